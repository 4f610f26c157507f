import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Item } from "../../src/news/item.js";
import { isSameStory, resemblesRoot } from "../../src/news/related/index.js";
import { toRelatedDoc } from "../../src/news/service.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { type Harness, harness, settled, sleep, subscribeAll } from "./delivery-harness.js";

/**
 * Same-story merging, through the chats' timelines against the fake Bot API:
 * when several outlets report one story, each subscriber has one message,
 * and the later reports appear in it under "Also reported by".
 */
const t = Date.now() - 3600_000;
const WINDOW = 6 * 3600_000;

function report(source: string, n: number, title: string, minutesAfter: number): Item {
  return {
    key: `${source}:${n}`,
    sourceId: source,
    sourceName: source.toUpperCase(),
    title,
    link: `https://${source}.example/${n}`,
    summary: "",
    published: new Date(t + minutesAfter * 60_000).toISOString(),
    seenAt: t + minutesAfter * 60_000,
  };
}

const QUAKE_BBC = report("bbc", 1, "Magnitude 6.1 earthquake strikes eastern Turkey near Malatya", 0);
const QUAKE_APA = report("apa", 7, "Earthquake of magnitude 6.1 strikes Malatya in eastern Turkey", 20);
const QUAKE_TASS = report("tass", 3, "Eastern Turkey earthquake near Malatya: magnitude 6.1 strikes", 40);
const BUDGET = report("apa", 8, "Parliament approves the 2027 state budget after a long debate", 25);

let tg: FakeTelegram;
let h: Harness;
/** Every item stored so far: what the related index would know. */
let known: Item[];

/** The bot's same-story rule over the items stored so far. */
function earlier(item: Item): Item[] {
  return known
    .filter((e) => e.key !== item.key && e.seenAt < item.seenAt && isSameStory(toRelatedDoc(item), toRelatedDoc(e)))
    .sort((a, b) => a.seenAt - b.seenAt);
}

/** The bot's rule for joining a story's first report through a later one. */
function resembles(item: Item, root: Item): boolean {
  return resemblesRoot(toRelatedDoc(item), toRelatedDoc(root));
}

function start(opts: Parameters<typeof harness>[1] = {}): Harness {
  return harness(tg, { merge: { windowMs: WINDOW, earlier, resembles }, ...opts });
}

beforeEach(async () => {
  tg = await startFakeTelegram();
  known = [];
});

afterEach(async () => {
  await h?.close();
  await tg.close();
});

/** A poll of `source` bringing `items` as news (its first poll was the backlog), then planning. */
async function poll(source: string, items: Item[]) {
  await h.stores.items.ingest(source, []);
  await h.stores.items.ingest(source, items);
  known.push(...items);
  await h.delivery.planner.run();
}

async function settle() {
  await settled(h);
  await sleep(100);
}

const hrefs = (chatId: number) => tg.messagesTo(chatId).map((m) => m.links.map((l) => l.href));
const firstLines = (chatId: number) => tg.messagesTo(chatId).map((m) => m.visibleText.split("\n")[0]);

describe("same-story merging", () => {
  it("two outlets, one story, polled apart: one message per subscriber that grows an 'Also reported by' list", async () => {
    h = start();
    await subscribeAll(h, [1, 2]);
    h.delivery.start();
    await poll("bbc", [QUAKE_BBC]);
    await settle();
    await poll("apa", [QUAKE_APA]);
    await settle();
    for (const chat of [1, 2]) {
      const msgs = tg.messagesTo(chat);
      expect(msgs).toHaveLength(1);
      expect(msgs[0]!.visibleText).toContain(QUAKE_BBC.title);
      expect(msgs[0]!.visibleText).toContain("Also reported by");
      expect(msgs[0]!.visibleText).toContain("APA");
      expect(hrefs(chat)[0]).toContain(QUAKE_APA.link);
      expect(msgs[0]!.edits).toBe(1);
    }
    expect((await h.delivery.ledger.today()).merged).toBe(2);
    expect(tg.stats.sent).toBe(2);

    // A third outlet joins the same message.
    await poll("tass", [QUAKE_TASS]);
    await settle();
    for (const chat of [1, 2]) {
      expect(tg.messagesTo(chat)).toHaveLength(1);
      expect(hrefs(chat)[0]).toEqual(expect.arrayContaining([QUAKE_APA.link, QUAKE_TASS.link]));
      expect(tg.messagesTo(chat)[0]!.edits).toBe(2);
    }
    expect(tg.stats.sent).toBe(2);
    expect(tg.stats.errors400).toBe(0);
  });

  it("reports arriving in one poll become one message, with no edit", async () => {
    h = start();
    await subscribeAll(h, [1]);
    h.delivery.start();
    await h.stores.items.ingest("bbc", []);
    await h.stores.items.ingest("apa", []);
    await h.stores.items.ingest("bbc", [QUAKE_BBC]);
    await h.stores.items.ingest("apa", [QUAKE_APA, BUDGET]);
    known.push(QUAKE_BBC, QUAKE_APA, BUDGET);
    await h.delivery.planner.run();
    await settle();
    expect(firstLines(1)).toEqual([QUAKE_BBC.title, BUDGET.title]);
    expect(hrefs(1)[0]).toContain(QUAKE_APA.link);
    expect(tg.messagesTo(1)[0]!.visibleText).toContain("Also reported by");
    expect(tg.stats.edits).toBe(0);
  });

  it("a different story is a message of its own", async () => {
    h = start();
    await subscribeAll(h, [1]);
    h.delivery.start();
    await poll("bbc", [QUAKE_BBC]);
    await settle();
    await poll("apa", [BUDGET]);
    await settle();
    expect(firstLines(1)).toEqual([QUAKE_BBC.title, BUDGET.title]);
    expect(tg.stats.edits).toBe(0);
  });

  it("merging off (no window): every report is a message", async () => {
    h = harness(tg, {});
    await subscribeAll(h, [1]);
    h.delivery.start();
    await poll("bbc", [QUAKE_BBC]);
    await settle();
    await poll("apa", [QUAKE_APA]);
    await settle();
    expect(firstLines(1)).toEqual([QUAKE_BBC.title, QUAKE_APA.title]);
    expect(tg.stats.edits).toBe(0);
  });

  it("merging off (a zero window) with reports in one poll: every report is a message", async () => {
    h = start({ merge: { windowMs: 0, earlier, resembles } });
    await subscribeAll(h, [1]);
    h.delivery.start();
    await h.stores.items.ingest("bbc", []);
    await h.stores.items.ingest("apa", []);
    await h.stores.items.ingest("bbc", [QUAKE_BBC]);
    await h.stores.items.ingest("apa", [QUAKE_APA]);
    known.push(QUAKE_BBC, QUAKE_APA);
    await h.delivery.planner.run();
    await settle();
    expect(firstLines(1)).toEqual([QUAKE_BBC.title, QUAKE_APA.title]);
    expect(tg.messagesTo(1)[0]!.visibleText).not.toContain("Also reported by");
  });

  it("when the first message was deleted, the later report comes as a new message", async () => {
    h = start();
    await subscribeAll(h, [1]);
    h.delivery.start();
    await poll("bbc", [QUAKE_BBC]);
    await settle();
    await h.botApi.deleteMessage(1, tg.messagesTo(1)[0]!.messageId);
    await poll("apa", [QUAKE_APA]);
    await settle();
    const live = tg.messagesTo(1).filter((m) => !m.deleted);
    expect(live).toHaveLength(1);
    expect(live[0]!.visibleText.split("\n")[0]).toBe(QUAKE_APA.title);
    expect(tg.calls("editMessageText")).toHaveLength(1);
    expect((await h.delivery.ledger.today()).merged).toBe(0);
  });

  it("a subscriber who joined after the first report gets the later one as news", async () => {
    h = start();
    await subscribeAll(h, [1]);
    h.delivery.start();
    await poll("bbc", [QUAKE_BBC]);
    await settle();
    await subscribeAll(h, [2]);
    await poll("apa", [QUAKE_APA]);
    await settle();
    expect(tg.messagesTo(1)).toHaveLength(1);
    expect(tg.messagesTo(1)[0]!.edits).toBe(1);
    expect(firstLines(2)).toEqual([QUAKE_APA.title]);
    expect(tg.messagesTo(2)[0]!.visibleText).not.toContain("Also reported by");
  });

  it("a story first sent in a digest: the digest message is edited", async () => {
    h = start({ threshold: 1 });
    await subscribeAll(h, [1]);
    h.delivery.start();
    const other = report("bbc", 2, "Central bank keeps interest rates unchanged for the third month", 1);
    await poll("bbc", [QUAKE_BBC, other]);
    await settle();
    expect(tg.messagesTo(1)).toHaveLength(1);
    expect(tg.messagesTo(1)[0]!.visibleText).toContain("2 new stories");
    expect(hrefs(1)[0]).not.toContain(QUAKE_APA.link);
    await poll("apa", [QUAKE_APA]);
    await settle();
    const msgs = tg.messagesTo(1);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.visibleText).toContain("2 new stories");
    expect(msgs[0]!.visibleText).toContain(other.title);
    expect(hrefs(1)[0]).toContain(QUAKE_APA.link);
    expect(msgs[0]!.edits).toBe(1);
  });

  describe("one digest carrying two stories that both get later reports in one poll", () => {
    const BUDGET_BBC = report("bbc", 2, "Parliament approves the 2027 state budget after a long debate", 1);
    const BUDGET_APA = report("apa", 9, "Lawmakers pass the 2027 state budget", 21);

    /** As the index would judge: each APA report is the same story as one BBC report. */
    async function both(deleteDigest: boolean) {
      const like = new Map([
        [QUAKE_APA.key, [QUAKE_BBC]],
        [BUDGET_APA.key, [BUDGET_BBC]],
      ]);
      h = start({ threshold: 1, merge: { windowMs: WINDOW, earlier: (i) => like.get(i.key) ?? [], resembles: () => false } });
      await subscribeAll(h, [1]);
      h.delivery.start();
      await poll("bbc", [QUAKE_BBC, BUDGET_BBC]);
      await settle();
      expect(tg.messagesTo(1)).toHaveLength(1);
      if (deleteDigest) await h.botApi.deleteMessage(1, tg.messagesTo(1)[0]!.messageId);
      await poll("apa", [QUAKE_APA, BUDGET_APA]);
      await settle();
    }

    it("one edit shows both", async () => {
      await both(false);
      const msgs = tg.messagesTo(1);
      expect(msgs).toHaveLength(1);
      expect(msgs[0]!.edits).toBe(1);
      expect(hrefs(1)[0]).toEqual(expect.arrayContaining([QUAKE_APA.link, BUDGET_APA.link]));
      expect((await h.delivery.ledger.today()).merged).toBe(2);
    });

    it("when the digest was deleted, both reports come as news", async () => {
      await both(true);
      const live = tg.messagesTo(1).filter((m) => !m.deleted);
      expect(live).toHaveLength(1);
      expect(live[0]!.visibleText).toContain("2 new stories");
      expect(hrefs(1)[1]).toEqual(expect.arrayContaining([QUAKE_APA.link, BUDGET_APA.link]));
    });
  });

  describe("a report the same story as a merged one only", () => {
    /** `later` arrives 40 min in; as the index would judge, APA's report is like BBC's, and `later` only like APA's. */
    async function third(later: Item) {
      const like = new Map([
        [QUAKE_APA.key, [QUAKE_BBC]],
        [later.key, [QUAKE_APA]],
      ]);
      h = start({ merge: { windowMs: WINDOW, earlier: (i) => like.get(i.key) ?? [], resembles } });
      await subscribeAll(h, [1]);
      h.delivery.start();
      await poll("bbc", [QUAKE_BBC]);
      await settle();
      await poll("apa", [QUAKE_APA]);
      await settle();
      await poll("tass", [later]);
      await settle();
    }

    it("joins the story's first message when it is like that first report too", async () => {
      const injured = report("tass", 5, "Malatya earthquake leaves dozens injured in Turkey", 40);
      expect(isSameStory(toRelatedDoc(injured), toRelatedDoc(QUAKE_BBC))).toBe(false); // only through APA's
      await third(injured);
      const msgs = tg.messagesTo(1);
      expect(msgs).toHaveLength(1);
      expect(firstLines(1)).toEqual([QUAKE_BBC.title]);
      expect(hrefs(1)[0]).toEqual(expect.arrayContaining([QUAKE_APA.link, injured.link]));
      expect(msgs[0]!.edits).toBe(2);
    });

    it("is a message of its own when it is not like the story's first report", async () => {
      const lava = report("tass", 4, "Lava reaches the road near Malatya", 40);
      await third(lava);
      expect(firstLines(1)).toEqual([QUAKE_BBC.title, lava.title]);
      expect(hrefs(1)[0]).toContain(QUAKE_APA.link);
      expect(hrefs(1)[0]).not.toContain(lava.link);
    });
  });

  it("a merge processed twice (planned again, its edit delivered again) changes nothing the second time", async () => {
    h = start();
    await subscribeAll(h, [1]);
    h.delivery.start();
    await poll("bbc", [QUAKE_BBC]);
    await settle();
    const bbcSeq = await h.stores.chats.planned();
    await poll("apa", [QUAKE_APA]);
    await settle();
    const text = tg.messagesTo(1)[0]!.visibleText;
    expect(text).toContain("Also reported by");
    const state = (await h.stores.chats.get(1))!;

    // As if the planner had died before recording how far it got: APA's report is planned again.
    await h.redis.set(`${h.prefix}timeline:planned`, String(bbcSeq));
    await h.delivery.planner.run();
    await settle();
    // As if the delivery had died after the edit, before moving the cursor: the edit is made again.
    await h.stores.chats.save(1, { ...state, cursor: bbcSeq });
    await h.stores.chats.dueAt(1, Date.now());
    await settle();

    expect(tg.messagesTo(1)).toHaveLength(1);
    expect(tg.messagesTo(1)[0]!.visibleText).toBe(text);
    expect(tg.messagesTo(1)[0]!.edits).toBe(1);
    expect(tg.calls("editMessageText").length).toBeGreaterThanOrEqual(2);
    expect((await h.stores.chats.get(1))?.cursor).toBe(await h.stores.chats.planned());
  });
});
