import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Item } from "../../src/news/item.js";
import { isSameStory, resemblesRoot } from "../../src/news/related/index.js";
import { toRelatedDoc } from "../../src/news/service.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { drained, type Harness, harness, sleep } from "./delivery-harness.js";

/**
 * Same-story merging, through the real outbox against the fake Bot API:
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

async function subscribe(ids: number[], since = t - 3600_000) {
  for (const chatId of ids) await h.stores.subscribers.add({ chatId, kind: "private", since });
}

/** A poll of `source` bringing `items` as news (its first poll was the backlog), fanned out. */
async function poll(source: string, items: Item[]) {
  await h.stores.items.ingest(source, []);
  await h.stores.items.ingest(source, items);
  known.push(...items);
  await h.delivery.fanout.run();
}

async function settle() {
  await drained(h.delivery);
  await sleep(100);
}

const hrefs = (chatId: number) => tg.messagesTo(chatId).map((m) => m.links.map((l) => l.href));

describe("same-story merging", () => {
  it("two outlets, one story, polled apart: one message per subscriber that grows an 'Also reported by' list", async () => {
    h = start();
    await subscribe([1, 2]);
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
    // Both reports count as delivered: a re-run sends neither again.
    expect(await h.stores.delivered.undelivered(QUAKE_APA.key, [1, 2])).toEqual([]);
    expect((await h.delivery.ledger.today()).merged).toBe(2);

    // A third outlet joins the same message.
    await poll("tass", [QUAKE_TASS]);
    await settle();
    for (const chat of [1, 2]) {
      expect(tg.messagesTo(chat)).toHaveLength(1);
      expect(hrefs(chat)[0]).toEqual(expect.arrayContaining([QUAKE_APA.link, QUAKE_TASS.link]));
      expect(tg.messagesTo(chat)[0]!.edits).toBe(2);
    }
    expect(tg.stats.errors400).toBe(0);
  });

  it("reports arriving in one poll become one message, with no edit", async () => {
    h = start();
    await subscribe([1]);
    h.delivery.start();
    await h.stores.items.ingest("bbc", []);
    await h.stores.items.ingest("apa", []);
    await h.stores.items.ingest("bbc", [QUAKE_BBC]);
    await h.stores.items.ingest("apa", [QUAKE_APA, BUDGET]);
    known.push(QUAKE_BBC, QUAKE_APA, BUDGET);
    await h.delivery.fanout.run();
    await settle();
    const msgs = tg.messagesTo(1);
    expect(msgs.map((m) => m.visibleText.split("\n")[0])).toEqual([QUAKE_BBC.title, BUDGET.title]);
    expect(hrefs(1)[0]).toContain(QUAKE_APA.link);
    expect(tg.stats.edits).toBe(0);
    expect(await h.stores.delivered.undelivered(QUAKE_APA.key, [1])).toEqual([]);
  });

  it("a different story is a message of its own", async () => {
    h = start();
    await subscribe([1]);
    h.delivery.start();
    await poll("bbc", [QUAKE_BBC]);
    await settle();
    await poll("apa", [BUDGET]);
    await settle();
    expect(tg.messagesTo(1)).toHaveLength(2);
    expect(tg.stats.edits).toBe(0);
  });

  it("merging off (no window): every report is a message", async () => {
    h = harness(tg, {});
    await subscribe([1]);
    h.delivery.start();
    await poll("bbc", [QUAKE_BBC]);
    await settle();
    await poll("apa", [QUAKE_APA]);
    await settle();
    expect(tg.messagesTo(1)).toHaveLength(2);
  });

  it("when the first message was deleted, the later report comes as a new message", async () => {
    h = start();
    await subscribe([1]);
    h.delivery.start();
    await poll("bbc", [QUAKE_BBC]);
    await settle();
    await h.botApi.deleteMessage(1, tg.messagesTo(1)[0]!.messageId);
    await poll("apa", [QUAKE_APA]);
    await settle();
    const live = tg.messagesTo(1).filter((m) => !m.deleted);
    expect(live).toHaveLength(1);
    expect(live[0]!.visibleText).toContain(QUAKE_APA.title);
  });

  it("a subscriber who joined after the first report gets the later one as news", async () => {
    h = start();
    await subscribe([1]);
    h.delivery.start();
    await poll("bbc", [QUAKE_BBC]);
    await settle();
    await subscribe([2], QUAKE_BBC.seenAt + 60_000);
    await poll("apa", [QUAKE_APA]);
    await settle();
    expect(tg.messagesTo(1)).toHaveLength(1);
    expect(tg.messagesTo(2)).toHaveLength(1);
    expect(tg.messagesTo(2)[0]!.visibleText).toContain(QUAKE_APA.title);
  });

  it("a story first sent in a digest: the digest message is edited", async () => {
    h = start({ threshold: 1 });
    await subscribe([1]);
    h.delivery.start();
    await h.stores.items.ingest("bbc", []);
    const other = report("bbc", 2, "Central bank keeps interest rates unchanged for the third month", 1);
    await poll("bbc", [QUAKE_BBC, other]);
    await settle();
    expect(tg.messagesTo(1)).toHaveLength(1);
    expect(tg.messagesTo(1)[0]!.visibleText).toContain("2 new stories");
    await poll("apa", [QUAKE_APA]);
    await settle();
    const msgs = tg.messagesTo(1);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.visibleText).toContain("2 new stories");
    expect(hrefs(1)[0]).toContain(QUAKE_APA.link);
    expect(msgs[0]!.edits).toBe(1);
  });

  describe("a report the same story as a merged one only", () => {
    /** `later` arrives 40 min in; as the index would judge, APA's report is like BBC's, and `later` only like APA's. */
    async function third(later: Item) {
      const like = new Map([
        [QUAKE_APA.key, [QUAKE_BBC]],
        [later.key, [QUAKE_APA]],
      ]);
      h = start({ merge: { windowMs: WINDOW, earlier: (i) => like.get(i.key) ?? [], resembles } });
      await subscribe([1]);
      h.delivery.start();
      await poll("bbc", [QUAKE_BBC]);
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
      expect(msgs[0]!.visibleText.split("\n")[0]).toBe(QUAKE_BBC.title);
      expect(hrefs(1)[0]).toEqual(expect.arrayContaining([QUAKE_APA.link, injured.link]));
      expect(msgs[0]!.edits).toBe(2);
    });

    it("is a message of its own when it is not like the story's first report", async () => {
      const lava = report("tass", 4, "Lava reaches the road near Malatya", 40);
      await third(lava);
      expect(tg.messagesTo(1).map((m) => m.visibleText.split("\n")[0])).toEqual([QUAKE_BBC.title, lava.title]);
      expect(hrefs(1)[0]).toContain(QUAKE_APA.link);
      expect(hrefs(1)[0]).not.toContain(lava.link);
    });
  });

  it("a merge run twice (a retry, a re-run fan-out) changes nothing the second time", async () => {
    h = start();
    await subscribe([1]);
    h.delivery.start();
    await poll("bbc", [QUAKE_BBC]);
    await settle();
    await poll("apa", [QUAKE_APA]);
    await settle();
    const text = tg.messagesTo(1)[0]!.visibleText;
    // As if the fan-out had died before clearing `pending`, and the job ran again after its marker was lost.
    await h.redis.zadd(`${h.prefix}pending`, QUAKE_APA.seenAt, QUAKE_APA.key);
    await h.redis.srem(`${h.prefix}delivered:${QUAKE_APA.key}`, "1");
    await h.delivery.fanout.run();
    await settle();
    expect(tg.messagesTo(1)).toHaveLength(1);
    expect(tg.messagesTo(1)[0]!.visibleText).toBe(text);
    expect(await h.stores.delivered.undelivered(QUAKE_APA.key, [1])).toEqual([]);
  });
});
