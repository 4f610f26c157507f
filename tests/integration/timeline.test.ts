import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Item } from "../../src/news/item.js";
import { defaultPrefs } from "../../src/prefs/preferences.js";
import type { ChatPrefs } from "../../src/prefs/types.js";
import { PER_SOURCE_CAP } from "../../src/timeline/layout.js";
import { type FakeTelegram, type FakeTelegramOptions, startFakeTelegram } from "../support/fake-telegram.js";
import {
  arrive,
  drained,
  type Harness,
  type HarnessOptions,
  harness,
  settled,
  sleep,
  storiesIn,
  subscribeAll,
  until,
} from "./delivery-harness.js";

/**
 * Every reader's own timeline, end to end against the fake Bot API: what
 * each chat's preferences let through, digests at their time, quiet hours,
 * crashes and outages in the middle of a delivery, slow answers, a feed that
 * floods, and more chats than 30 msg/s serves.
 */
const t = Date.now();
const LANGS: Record<string, string> = { bbc: "en", apa: "az", tass: "ru" };

function item(source: string, n: number, o: { title?: string; minutesAgo?: number } = {}): Item {
  return {
    key: `${source}:${n}`,
    sourceId: source,
    sourceName: source.toUpperCase(),
    title: o.title ?? `Story ${n} from ${source}`,
    link: `https://${source}.example/${n}`,
    summary: "",
    published: new Date(t - (o.minutesAgo ?? 0) * 60_000).toISOString(),
    seenAt: t,
  };
}

let tg: FakeTelegram;
const open: Harness[] = [];

async function fake(o: FakeTelegramOptions = {}) {
  tg = await startFakeTelegram(o);
}

function start(o: HarnessOptions = {}): Harness {
  const h = harness(tg, { langOf: (id) => LANGS[id] ?? "und", ...o });
  open.push(h);
  return h;
}

beforeEach(async () => {
  await fake();
});

afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
  await tg.close();
});

const prefs = (p: Partial<ChatPrefs>): ChatPrefs => ({ ...defaultPrefs(), ...p });
const links = (chatId: number, prefix = "https://") => storiesIn(tg, chatId, prefix);
/** How many times each story reached the chat, by link. */
function copies(chatId: number, prefix: string): Map<string, number> {
  const n = new Map<string, number>();
  for (const l of links(chatId, prefix)) n.set(l, (n.get(l) ?? 0) + 1);
  return n;
}
/** Local "HH:MM" in UTC, `minutes` from now. */
function hhmm(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toISOString().slice(11, 16);
}

describe("preferences, end to end", () => {
  it("each chat gets exactly the stories its sources, languages and keywords pass", async () => {
    const h = start({ threshold: 10 });
    const FOOTBALL = item("bbc", 1, { title: "Football final tonight in London" });
    const SUMMIT = item("apa", 1, { title: "Bakı hosts a climate summit" });
    const WEATHER = item("tass", 1, { title: "Moscow weather turns cold" });
    const MARKETS = item("bbc", 2, { title: "Markets rally after the Baku talks" });
    const chosen: Record<number, ChatPrefs | undefined> = {
      1: undefined,
      2: prefs({ sources: ["apa"] }),
      3: prefs({ langs: ["ru"] }),
      4: prefs({ keywords: { include: ["Baku"], exclude: [], phrases: [] } }),
      5: prefs({ keywords: { include: [], exclude: ["football"], phrases: [] } }),
      6: prefs({ sources: ["tass", "bbc"], langs: ["en"], previews: false }),
      7: prefs({ sources: ["npr"] }),
      8: prefs({ sources: ["apa"], previews: true }),
    };
    await subscribeAll(h, Object.keys(chosen).map(Number), (id) => chosen[id]);
    h.delivery.start();
    await arrive(h, "bbc", [FOOTBALL, MARKETS]);
    await arrive(h, "apa", [SUMMIT]);
    await arrive(h, "tass", [WEATHER]);
    await settled(h);
    await sleep(200);

    const want: Record<number, Item[]> = {
      1: [FOOTBALL, MARKETS, SUMMIT, WEATHER],
      2: [SUMMIT],
      3: [WEATHER],
      4: [MARKETS, SUMMIT],
      5: [MARKETS, SUMMIT, WEATHER],
      6: [FOOTBALL, MARKETS],
      7: [],
      8: [SUMMIT],
    };
    for (const [chat, stories] of Object.entries(want)) {
      const got = links(Number(chat));
      expect({ chat, got: [...got].sort() }).toEqual({ chat, got: stories.map((s) => s.link).sort() });
      // one card each, no story twice
      expect(tg.messagesTo(Number(chat))).toHaveLength(stories.length);
    }
    // Link previews under cards: the article's for a chat that has them on, none for one that has them off.
    expect(tg.messagesTo(8).map((m) => m.linkPreview?.url)).toEqual([SUMMIT.link]);
    expect(tg.messagesTo(6).map((m) => m.linkPreview)).toEqual([{ is_disabled: true }, { is_disabled: true }]);
    const byDefault = defaultPrefs().previews;
    expect(tg.messagesTo(1).map((m) => (byDefault ? m.linkPreview?.url : m.linkPreview))).toEqual(
      want[1]!.map((s) => (byDefault ? s.link : { is_disabled: true })),
    );
    // A chat nothing passed for is not even tried.
    expect(tg.calls("sendMessage").filter((b) => b.chat_id === 7)).toHaveLength(0);
    expect(tg.stats.sent).toBe(Object.values(want).flat().length);
  });

  it("a subscriber stored before preferences existed, with no timeline state, gets the next story", async () => {
    const h = start();
    await h.redis.hset(`${h.prefix}subscribers`, "5", JSON.stringify({ chatId: 5, kind: "private", since: 1 }));
    expect(await h.stores.chats.get(5)).toBeNull();
    h.delivery.start();
    await arrive(h, "bbc", [item("bbc", 1)]);
    await settled(h);
    expect(tg.messagesTo(5).map((m) => m.visibleText.split("\n")[0])).toEqual(["Story 1 from bbc"]);
    await arrive(h, "bbc", [item("bbc", 2)]);
    await settled(h);
    expect(links(5, "https://bbc.example/")).toEqual(["https://bbc.example/1", "https://bbc.example/2"]);
  });
});

describe("digests and quiet hours", () => {
  it("a digest chat gets nothing as stories arrive, then one digest when its time comes", async () => {
    const h = start();
    await subscribeAll(h, [10, 11], (id) => (id === 10 ? prefs({ mode: { kind: "every", hours: 1 } }) : undefined));
    const scheduled = await h.stores.chats.due(10);
    expect(scheduled).toBeGreaterThan(Date.now());
    expect(scheduled).toBeLessThanOrEqual(Date.now() + 3600_000);
    h.delivery.start();
    await arrive(h, "bbc", [item("bbc", 1, { minutesAgo: 2 }), item("bbc", 2, { minutesAgo: 1 })]);
    await drained(h.delivery);
    await sleep(300);
    expect(tg.messagesTo(11)).toHaveLength(2);
    expect(tg.messagesTo(10)).toHaveLength(0);
    expect(await h.stores.chats.due(10)).toBe(scheduled);

    // Its hour has come.
    await h.stores.chats.dueAt(10, Date.now());
    await until(() => tg.messagesTo(10).length > 0, 5000, "the digest");
    await drained(h.delivery);
    await sleep(300);
    const [digest, ...more] = tg.messagesTo(10);
    expect(more).toHaveLength(0);
    expect(digest!.visibleText).toContain("2 new stories");
    // A digest runs newest first.
    expect(links(10, "https://bbc.example/")).toEqual(["https://bbc.example/2", "https://bbc.example/1"]);
    // Due again at its next digest, and nothing is sent twice when that comes with nothing new.
    const next = await h.stores.chats.due(10);
    expect(next).toBeGreaterThan(Date.now());
    expect(next).toBeLessThanOrEqual(Date.now() + 3600_000);
    await h.stores.chats.dueAt(10, Date.now());
    await drained(h.delivery);
    await sleep(300);
    expect(tg.messagesTo(10)).toHaveLength(1);
    expect(await h.stores.chats.due(10)).toBeGreaterThan(Date.now());
  });

  it("inside a chat's quiet hours messages arrive silently, not held back", async () => {
    const h = start();
    await subscribeAll(h, [20, 21, 22], (id) =>
      id === 20
        ? prefs({ quiet: { from: hhmm(-60), to: hhmm(60) } })
        : id === 22
          ? prefs({ quiet: { from: hhmm(60), to: hhmm(120) } })
          : undefined,
    );
    h.delivery.start();
    await arrive(h, "bbc", [item("bbc", 1)]);
    await settled(h);
    expect(tg.messagesTo(20).map((m) => m.disableNotification)).toEqual([true]);
    expect(tg.messagesTo(21).map((m) => m.disableNotification)).toEqual([false]);
    expect(tg.messagesTo(22).map((m) => m.disableNotification)).toEqual([false]);
  });
});

describe("a process that dies in the middle of a chat's delivery", () => {
  it("leaves the chat where Telegram's last answer put it: after a restart each story arrives exactly once", async () => {
    const a = start({ threshold: 3 });
    await subscribeAll(a, [1]);
    // The process freezes (as good as dead) right after Telegram took the first card.
    const limiter = a.delivery.limiter;
    const acquire = limiter.tryAcquire.bind(limiter);
    let froze = false;
    let unfreeze!: (err: Error) => void;
    const frozen = new Promise<never>((_, reject) => {
      unfreeze = reject;
    });
    limiter.tryAcquire = (chatId, o) => {
      if (tg.messagesTo(1).length === 0) return acquire(chatId, o);
      froze = true;
      return frozen;
    };
    a.delivery.start();
    await arrive(
      a,
      "bbc",
      [1, 2, 3].map((n) => item("bbc", n, { minutesAgo: 10 - n })),
    );
    await until(() => froze, 5000, "the first card");
    expect(tg.messagesTo(1)).toHaveLength(1);
    const first = (await a.stores.items.timelineSeqs(["bbc:1"]))[0]!;
    expect((await a.stores.chats.get(1))?.cursor).toBe(first);
    // It takes no more chats, and its claim on this one lapses (as 30 s after its death).
    const closing = a.delivery.runner.close();
    await a.redis.zadd(`${a.prefix}chats:active`, 1, "1");

    const b = start({ prefix: a.prefix, threshold: 3 });
    b.delivery.start();
    await until(() => tg.messagesTo(1).length === 3, 10_000, "the rest of the cards");
    await settled(b);
    unfreeze(new Error("the frozen process wakes up"));
    await closing;
    await settled(b);
    await sleep(200);
    expect(tg.messagesTo(1).map((m) => m.visibleText.split("\n")[0])).toEqual(["Story 1 from bbc", "Story 2 from bbc", "Story 3 from bbc"]);
    expect((await b.stores.chats.get(1))?.cursor).toBe(await b.stores.items.timelineHead());
  });
});

describe("Telegram misbehaving", () => {
  it("an outage of several seconds: nothing is lost, nothing is a dead letter, everything arrives once when it is back", {
    timeout: 40_000,
  }, async () => {
    const chats = Array.from({ length: 40 }, (_, i) => 100 + i);
    const h = start({ backoffMs: 50, threshold: 2 });
    await subscribeAll(h, chats);
    h.delivery.start();
    await arrive(h, "bbc", [item("bbc", 1, { minutesAgo: 5 })]);
    await settled(h);
    tg.setUnreachable(true);
    const sentBefore = tg.stats.sent;
    await arrive(h, "bbc", [item("bbc", 2, { minutesAgo: 4 }), item("bbc", 3, { minutesAgo: 3 })]);
    await sleep(2500);
    await arrive(h, "bbc", [item("bbc", 4, { minutesAgo: 2 })]);
    await sleep(2500);
    expect(tg.stats.sent).toBe(sentBefore);
    tg.setUnreachable(false);
    const back = Date.now();
    const all = [1, 2, 3, 4].map((n) => `https://bbc.example/${n}`);
    await until(() => chats.every((c) => links(c, "https://bbc.example/").length >= 4), 20_000, "every chat to catch up");
    const caughtUp = Date.now() - back;
    await settled(h);
    await sleep(300);
    // Each story once (a card, then a newest-first digest of the rest).
    for (const c of chats) expect(links(c, "https://bbc.example/").sort()).toEqual(all);
    expect((await h.delivery.ledger.deadLetters(5)).total).toBe(0);
    expect((await h.delivery.ledger.today()).failed).toBe(0);
    // Back on it within seconds (the wait between tries doubles from 50 ms here, 2 s in production).
    expect(caughtUp).toBeLessThan(12_000);
  });

  it("an admin's broadcast sent during an outage reaches everyone once when Telegram is back", { timeout: 30_000 }, async () => {
    const chats = Array.from({ length: 20 }, (_, i) => 300 + i);
    const h = start();
    await subscribeAll(h, chats);
    await h.stores.broadcasts.create({
      id: "outage1",
      adminId: 42,
      adminChatId: 42,
      text: "Storm warning for the coast",
      createdAt: Date.now(),
    });
    const b = (await h.stores.broadcasts.transition("outage1", "pending", "sending"))!;
    tg.setUnreachable(true);
    h.delivery.start();
    await h.delivery.broadcasts.start(b);
    await sleep(3000);
    expect(tg.stats.sent).toBe(0);
    tg.setUnreachable(false);
    const got = (c: number) => tg.messagesTo(c).filter((m) => m.visibleText.includes("Storm warning for the coast")).length;
    await until(() => chats.every((c) => got(c) > 0), 20_000, "everyone to get the broadcast");
    await drained(h.delivery);
    await sleep(300);
    expect(chats.map(got)).toEqual(chats.map(() => 1));
    expect((await h.delivery.ledger.deadLetters(5)).total).toBe(0);
  });

  it("answers slower than the client waits: every story arrives, at most twice", async () => {
    const chats = [1, 2, 3, 4, 5];
    const h = start({ sendTimeoutMs: 300 });
    await subscribeAll(h, chats);
    tg.delayAnswers("sendMessage", 500);
    h.delivery.start();
    await arrive(h, "bbc", [item("bbc", 1, { minutesAgo: 2 }), item("bbc", 2, { minutesAgo: 1 })]);
    await settled(h, 20_000);
    await sleep(700);
    for (const c of chats) {
      const n = copies(c, "https://bbc.example/");
      expect([...n.keys()].sort()).toEqual(["https://bbc.example/1", "https://bbc.example/2"]);
      expect(Math.max(...n.values())).toBeLessThanOrEqual(2);
    }
    expect((await h.delivery.ledger.deadLetters(5)).total).toBe(0);
  });

  it("one answer slower than the client waits: one extra copy at most", async () => {
    const chats = [1, 2, 3];
    const h = start({ sendTimeoutMs: 300 });
    await subscribeAll(h, chats);
    tg.delayAnswers("sendMessage", 500, 1);
    h.delivery.start();
    await arrive(h, "bbc", [item("bbc", 1, { minutesAgo: 2 }), item("bbc", 2, { minutesAgo: 1 })]);
    await settled(h);
    await sleep(700);
    let extra = 0;
    for (const c of chats) {
      const n = copies(c, "https://bbc.example/");
      expect([...n.keys()].sort()).toEqual(["https://bbc.example/1", "https://bbc.example/2"]);
      for (const k of n.values()) extra += k - 1;
    }
    expect(extra).toBeLessThanOrEqual(1);
  });
});

describe("a sudden flood from one source", () => {
  it("3,000 fresh stories in one poll: each chat gets one digest with a few of them and the count of the rest", {
    timeout: 40_000,
  }, async () => {
    const chats = Array.from({ length: 20 }, (_, i) => 1 + i);
    const h = start();
    await subscribeAll(h, chats);
    const flood = Array.from({ length: 3000 }, (_, i) => item("wire", i, { minutesAgo: (3000 - i) / 100 }));
    await arrive(h, "wire", flood);
    h.delivery.start();
    await settled(h, 20_000);
    await sleep(300);
    for (const c of chats) {
      const msgs = tg.messagesTo(c);
      expect(msgs).toHaveLength(1);
      expect(msgs[0]!.visibleText).toContain("3,000 new stories");
      expect(msgs[0]!.visibleText).toContain(`…and ${(3000 - PER_SOURCE_CAP).toLocaleString("en")} older stories`);
      // The source's newest, no more than its cap, newest first.
      const newest = Array.from({ length: PER_SOURCE_CAP }, (_, i) => `https://wire.example/${2999 - i}`);
      expect(links(c, "https://wire.example/")).toEqual(newest);
    }
    expect(tg.stats.sent).toBe(chats.length);
  });
});

describe("saturation, in small", () => {
  it("150 chats at 30 msg/s, 2 stories a second for 10 s: every story once, few messages, no 429, caught up soon", {
    timeout: 50_000,
  }, async () => {
    const SUBSCRIBERS = 150;
    const SECONDS = 10;
    const chats = Array.from({ length: SUBSCRIBERS }, (_, i) => 5000 + i);
    // Below the fake's 30/s: the limiter's own margin covers the jitter of one machine running both.
    const h = start({ rate: 28, chatConcurrency: 16 });
    await subscribeAll(h, chats);
    h.delivery.start();
    await h.stores.items.ingest("wire", []);
    const published: string[] = [];
    const begin = Date.now();
    for (let n = 0; n < 2 * SECONDS; n += 2) {
      const pair = [item("wire", n, { title: `Wire story number ${n}` }), item("wire", n + 1, { title: `Wire story number ${n + 1}` })];
      await h.stores.items.ingest("wire", pair);
      published.push(...pair.map((i) => i.link));
      void h.delivery.planner.run();
      await sleep(Math.max(0, begin + ((n + 2) / 2) * 1000 - Date.now()));
    }
    const last = Date.now();
    await h.delivery.planner.run();
    const missing = (c: number) => published.filter((l) => !links(c, "https://wire.example/").includes(l));
    const lacking = () => chats.filter((c) => missing(c).length > 0);
    await until(() => lacking().length === 0, 30_000, "every chat to get every story").catch(() => undefined);
    expect(lacking().map((c) => ({ chat: c, missing: missing(c) }))).toEqual([]);
    const caughtUpMs = Date.now() - last;
    await settled(h);
    await sleep(300);

    const perChat: number[] = [];
    for (const c of chats) {
      const n = copies(c, "https://wire.example/");
      expect([...n.keys()].sort()).toEqual([...published].sort());
      expect(Math.max(...n.values())).toBe(1);
      perChat.push(tg.messagesTo(c).length);
    }
    // A round of every chat takes 150 / 30 = 5 s: at most 10 / 5 + 2 messages each.
    expect(Math.max(...perChat)).toBeLessThanOrEqual(SECONDS / (SUBSCRIBERS / 30) + 2);
    expect(tg.stats.errors429).toBe(0);
    expect(caughtUpMs).toBeLessThan(10_000);
  });
});
