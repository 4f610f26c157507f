import { describe, expect, it } from "vitest";
import type { Item } from "../../src/news/item.js";
import { type ChatState, packState, unpackState } from "../../src/store/chat-state-store.js";
import { BOUNDS } from "../../src/store/keys.js";
import { classify, DIGEST_MAX, layoutDelivery, messageCarrying, PER_SOURCE_CAP } from "../../src/timeline/layout.js";
import type { TimelineStory } from "../../src/timeline/timeline-cache.js";

/** What one chat's delivery sends, decided from the stories after its cursor: no Redis, no Telegram. */
const T0 = Date.parse("2026-11-28T12:00:00Z");

/** Story number `seq` of `source`, published `minutesAgo` before T0; `into` = merged into that root. */
function story(seq: number, source = "bbc", o: { minutesAgo?: number; into?: string } = {}): TimelineStory {
  const item: Item = {
    key: `${source}:${seq}`,
    sourceId: source,
    sourceName: source.toUpperCase(),
    title: `Story ${seq}`,
    link: `https://${source}.example/${seq}`,
    summary: "",
    published: new Date(T0 - (o.minutesAgo ?? 0) * 60_000).toISOString(),
    seenAt: T0,
  };
  return {
    seq,
    item,
    facts: { key: item.key, sourceId: source, lang: "en", text: item.title },
    // Matching is the caller's (a `passes` function): layout never reads the analysed text.
    text: {} as TimelineStory["text"],
    record: o.into ? { into: o.into } : { related: [] },
  };
}

const all = () => true;
const seqs = (list: readonly TimelineStory[]) => list.map((s) => s.seq);
const cards = { digestMode: false, threshold: 3, skipped: 0 };

describe("classify: which stories are new messages, which grow one the chat has", () => {
  it("without merging every passing story is news, in timeline order", () => {
    const batch = [story(1), story(2, "apa", { into: "bbc:1" }), story(3)];
    const c = classify(batch, (s) => s.seq !== 3, false);
    expect(seqs(c.news)).toEqual([1, 2]);
    expect(c.reports.size).toBe(0);
  });

  it("a later report whose first report is in the same delivery folds into that message", () => {
    const c = classify([story(1), story(2, "apa", { into: "bbc:1" }), story(3, "tass", { into: "bbc:1" })], all, true);
    expect(seqs(c.news)).toEqual([1]);
    expect(c.reports.size).toBe(0);
  });

  it("a later report whose first report the chat's preferences did not pass is news to the chat", () => {
    const c = classify([story(1), story(2, "apa", { into: "bbc:1" })], (s) => s.item.sourceId === "apa", true);
    expect(seqs(c.news)).toEqual([2]);
    expect(c.reports.size).toBe(0);
  });

  it("later reports of a story behind the cursor are candidates for an edit, grouped by that story", () => {
    const batch = [story(5, "apa", { into: "bbc:1" }), story(6), story(7, "tass", { into: "bbc:1" }), story(8, "dw", { into: "bbc:2" })];
    const c = classify(batch, (s) => s.item.sourceId !== "dw", true);
    expect(seqs(c.news)).toEqual([6]);
    expect([...c.reports.keys()]).toEqual(["bbc:1"]);
    expect(seqs(c.reports.get("bbc:1")!)).toEqual([5, 7]);
  });
});

describe("layoutDelivery: cards, or one digest", () => {
  it("nothing to send is no message", () => {
    expect(layoutDelivery([], cards)).toBeNull();
    expect(layoutDelivery([], { ...cards, skipped: 40 })).toBeNull();
  });

  it("up to the threshold: a card per story, in timeline order", () => {
    const layout = layoutDelivery([story(1, "bbc", { minutesAgo: 1 }), story(2, "apa", { minutesAgo: 9 }), story(3)], cards);
    expect(layout?.kind).toBe("cards");
    expect(layout?.kind === "cards" && seqs(layout.stories)).toEqual([1, 2, 3]);
  });

  it("more than the threshold: one digest, oldest first by the stories' own dates", () => {
    const news = [
      story(1, "a", { minutesAgo: 5 }),
      story(2, "b", { minutesAgo: 30 }),
      story(3, "c", { minutesAgo: 1 }),
      story(4, "d", { minutesAgo: 30 }),
    ];
    const layout = layoutDelivery(news, cards);
    expect(layout).toMatchObject({ kind: "digest", more: 0 });
    expect(layout?.kind === "digest" && seqs(layout.shown)).toEqual([2, 4, 1, 3]);
  });

  it("a digest chat always gets one digest, even of one story", () => {
    expect(layoutDelivery([story(1)], { ...cards, digestMode: true })).toMatchObject({ kind: "digest", more: 0, shown: [{ seq: 1 }] });
  });

  it(`shows at most ${DIGEST_MAX} stories, the newest, and counts the rest`, () => {
    const news = Array.from({ length: DIGEST_MAX + 4 }, (_, i) => story(i + 1, `s${i}`));
    const layout = layoutDelivery(news, cards);
    expect(layout).toMatchObject({ kind: "digest", more: 4 });
    expect(layout?.kind === "digest" && seqs(layout.shown)).toEqual(Array.from({ length: DIGEST_MAX }, (_, i) => i + 5));
  });

  it(`one source puts at most ${PER_SOURCE_CAP} stories into a delivery: its newest`, () => {
    const flood = Array.from({ length: 3000 }, (_, i) => story(i + 1, "wire"));
    const layout = layoutDelivery([...flood, story(3001, "apa"), story(3002, "apa")], cards);
    expect(layout).toMatchObject({ kind: "digest", more: 3000 - PER_SOURCE_CAP });
    const newest = Array.from({ length: PER_SOURCE_CAP }, (_, i) => 3000 - PER_SOURCE_CAP + 1 + i);
    expect(layout?.kind === "digest" && seqs(layout.shown)).toEqual([...newest, 3001, 3002].slice(-DIGEST_MAX));
  });

  it("a source over its cap makes a digest even under the threshold, so the reader learns of the rest", () => {
    const news = Array.from({ length: PER_SOURCE_CAP + 2 }, (_, i) => story(i + 1, "wire"));
    expect(layoutDelivery(news, { ...cards, threshold: 50 })).toMatchObject({ kind: "digest", more: 2 });
  });

  it("stories older than what a delivery reads are counted in the digest's 'more'", () => {
    const layout = layoutDelivery([story(2001), story(2002)], { ...cards, skipped: 2000 });
    expect(layout).toMatchObject({ kind: "digest", more: 2000 });
    expect(layout?.kind === "digest" && seqs(layout.shown)).toEqual([2001, 2002]);
  });
});

describe("messageCarrying: which message of the chat has a story", () => {
  const sent = [
    { from: 3, to: 4, messageId: 11, digest: false },
    { from: 4, to: 9, messageId: 12, digest: true },
    { from: 9, to: 10, messageId: 13, digest: false },
  ];

  it("a card carries its one story; a digest the stories after `from` up to `to`", () => {
    expect(messageCarrying(sent, 4)?.messageId).toBe(11);
    expect(messageCarrying(sent, 5)?.messageId).toBe(12);
    expect(messageCarrying(sent, 9)?.messageId).toBe(12);
    expect(messageCarrying(sent, 10)?.messageId).toBe(13);
  });

  it("none for a story the chat's state does not know (older, or never sent)", () => {
    expect(messageCarrying(sent, 3)).toBeUndefined();
    expect(messageCarrying(sent, 11)).toBeUndefined();
    expect(messageCarrying([], 4)).toBeUndefined();
  });
});

describe("a chat's packed state", () => {
  it("round-trips the cursor, its cards and digests, in a few bytes", () => {
    const state: ChatState = {
      cursor: 123_456,
      sent: [
        { from: 123_400, to: 123_401, messageId: 1, digest: false },
        { from: 123_401, to: 123_450, messageId: 2_147_483_647, digest: true },
        { from: 123_455, to: 123_456, messageId: 99_999, digest: false },
      ],
    };
    const packed = packState(state);
    expect(unpackState(packed)).toEqual(state);
    expect(packed.length).toBeLessThan(60);
    expect(packState({ cursor: 0, sent: [] })).toBe("0");
    expect(unpackState("0")).toEqual({ cursor: 0, sent: [] });
  });

  it(`keeps only the last ${BOUNDS.chatMessagesKept} messages`, () => {
    const sent = Array.from({ length: 20 }, (_, i) => ({ from: i, to: i + 1, messageId: 500 + i, digest: false }));
    expect(unpackState(packState({ cursor: 20, sent }))?.sent).toEqual(sent.slice(-BOUNDS.chatMessagesKept));
  });

  it("an unreadable cursor makes the state unreadable; an unreadable entry is dropped, never thrown", () => {
    for (const raw of ["", "|", "-1", "ZZ", "1.5", "x!|1.1", "0123456789abcd"]) expect(unpackState(raw)).toBeNull();
    expect(unpackState("a|b.c|junk|.7|5.|3-2.9|q-.3|-4.1|4-z.2|1y-1z.a|w..1")).toEqual({
      cursor: 10,
      sent: [
        { from: 10, to: 11, messageId: 12, digest: false },
        { from: 4, to: 35, messageId: 2, digest: true },
        { from: 70, to: 71, messageId: 10, digest: true },
      ],
    });
  });
});
