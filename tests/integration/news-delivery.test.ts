import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { Api } from "grammy";
import { createMessenger } from "../../src/delivery/messenger.js";
import { createNewsDelivery } from "../../src/delivery/news-delivery.js";
import { Pacer } from "../../src/delivery/pacer.js";
import { silentLogger } from "../../src/log.js";
import { composeDigest, composeNews } from "../../src/news/compose.js";
import type { Item } from "../../src/news/item.js";
import { createStores, type Stores } from "../../src/store/index.js";
import { ApiRecorder, errors } from "../support/api-recorder.js";
import { testRedis } from "../support/redis-client.js";

const { redis } = testRedis();
afterAll(() => redis.quit());

let t = Date.parse("2026-11-28T12:00:00Z");
const fmt = { timezone: "UTC", now: t };

function item(source: string, n: number, minutesAgo = n): Item {
  return {
    key: `${source}:${n}`,
    sourceId: source,
    sourceName: source.toUpperCase(),
    title: `Story ${n} from ${source}`,
    link: `https://${source}.example/${n}`,
    summary: `What happened in story ${n}.`,
    published: new Date(t - minutesAgo * 60_000).toISOString(),
    seenAt: t,
  };
}

let stores: Stores;
let rec: ApiRecorder;
let run = 0;

function makeDelivery(opts: { threshold?: number; related?: (i: Item) => Item[] } = {}) {
  const api = new Api("1:test-token-aaaaaaaaaaaaaaaaaaaa");
  rec = new ApiRecorder().install(api);
  const messenger = createMessenger({
    api,
    pacer: new Pacer({ globalPerSecond: 1000, perChatPerSecond: 1000, perChatBurst: 100 }),
    logger: silentLogger,
    backoffMs: 1,
  });
  return {
    messenger,
    delivery: createNewsDelivery({
      ...stores,
      messenger,
      logger: silentLogger,
      relatedFor: async (i) => opts.related?.(i) ?? [],
      format: { news: (e) => composeNews(e, fmt), digest: (es) => composeDigest(es, fmt) },
      digestThreshold: opts.threshold ?? 3,
    }),
  };
}

async function subscribe(...ids: number[]) {
  for (const chatId of ids) await stores.subscribers.add({ chatId, kind: chatId < 0 ? "group" : "private", since: t - 3600_000 });
}

/** first poll is backlog; the second brings `items` as news */
async function arrive(source: string, items: Item[]) {
  await stores.items.ingest(source, []);
  return stores.items.ingest(source, items);
}

beforeEach(() => {
  stores = createStores(redis, `dlv${++run}:`, () => t);
});

describe("news delivery", () => {
  it("sends each new item to every subscriber once, oldest first, with link and related", async () => {
    await subscribe(1, 2);
    const other = item("apa", 99, 30);
    const { delivery } = makeDelivery({ related: () => [other] });
    await arrive("bbc", [item("bbc", 1), item("bbc", 2)]);
    await delivery.run();
    await delivery.run();
    for (const chat of [1, 2]) {
      const texts = rec.sent(chat).map((m) => m.text);
      expect(texts).toHaveLength(2);
      expect(texts[0]).toContain("Story 2 from bbc");
      expect(texts[1]).toContain("Story 1 from bbc");
      expect(texts[0]).toContain('href="https://bbc.example/2"');
      expect(texts[0]).toContain("What happened in story 2.");
      expect(texts[0]).toContain('href="https://apa.example/99"');
      expect(rec.sent(chat)[0]!.parse_mode).toBe("HTML");
    }
    expect(await stores.items.pending(10)).toEqual([]);
  });

  it("sends one digest instead of a flood", async () => {
    await subscribe(1);
    const { delivery } = makeDelivery({ threshold: 3 });
    await arrive("bbc", [1, 2, 3, 4, 5].map((n) => item("bbc", n)));
    await delivery.run();
    const texts = rec.sent(1).map((m) => m.text);
    expect(texts).toHaveLength(1);
    for (const n of [1, 2, 3, 4, 5]) expect(texts[0]).toContain(`Story ${n} from bbc`);
  });

  it("waits out a 429 and still delivers everything exactly once", async () => {
    await subscribe(1, 2);
    const { delivery } = makeDelivery();
    rec.failNext("sendMessage", 1, errors.flood(1), 2);
    await arrive("bbc", [item("bbc", 1)]);
    const started = Date.now();
    await delivery.run();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(rec.sent(1).length).toBe(1);
    // the refused attempt is recorded too; exactly one accepted after it
    expect(rec.sent(2).length).toBe(2);
    expect(await stores.items.pending(10)).toEqual([]);
  });

  it("drops a subscriber who blocked the bot or whose chat is gone", async () => {
    await subscribe(1, 2, 3);
    const { delivery } = makeDelivery();
    rec.failNext("sendMessage", 1, errors.blocked(), 2);
    rec.failNext("sendMessage", 1, errors.notFound(), 3);
    await arrive("bbc", [item("bbc", 1)]);
    await delivery.run();
    expect((await stores.subscribers.all()).map((s) => s.chatId)).toEqual([1]);
    expect(await stores.items.pending(10)).toEqual([]);
  });

  it("follows a group that was upgraded to a supergroup", async () => {
    await subscribe(-5);
    const { delivery } = makeDelivery();
    rec.failNext("sendMessage", 1, errors.migrated(-1005), -5);
    await arrive("bbc", [item("bbc", 1)]);
    await delivery.run();
    expect(rec.sent(-1005)).toHaveLength(1);
    expect((await stores.subscribers.all()).map((s) => s.chatId)).toEqual([-1005]);
    expect(await stores.items.pending(10)).toEqual([]);
  });

  it("keeps an item queued when Telegram fails, and sends it on the next pass", async () => {
    await subscribe(1);
    const { delivery } = makeDelivery();
    rec.failNext("sendMessage", 4, errors.server());
    await arrive("bbc", [item("bbc", 1)]);
    await delivery.run();
    expect((await stores.items.pending(10)).map((i) => i.key)).toEqual(["bbc:1"]);
    await delivery.run();
    expect(rec.sent(1).filter((m) => m.text.includes("Story 1"))).toHaveLength(5);
    expect(await stores.items.pending(10)).toEqual([]);
  });

  it("resumes after a crash without repeating what Telegram accepted", async () => {
    await subscribe(1, 2);
    await arrive("bbc", [item("bbc", 1)]);
    // a previous process got the item to chat 1 and died
    await stores.delivered.markDelivered(["bbc:1"], 1);
    const { delivery } = makeDelivery();
    await delivery.run();
    expect(rec.sent(1)).toHaveLength(0);
    expect(rec.sent(2)).toHaveLength(1);
  });

  it("does not send news older than a subscription", async () => {
    await arrive("bbc", [item("bbc", 1)]);
    await stores.subscribers.add({ chatId: 9, kind: "private", since: t + 1000 });
    const { delivery } = makeDelivery();
    await delivery.run();
    expect(rec.sent(9)).toHaveLength(0);
    expect(await stores.items.pending(10)).toEqual([]);
  });

  it("a shutdown mid-pass leaves the rest queued", async () => {
    await subscribe(1);
    const { delivery, messenger } = makeDelivery();
    await arrive("bbc", [item("bbc", 1)]);
    messenger.stop();
    await delivery.run();
    expect(rec.sent(1)).toHaveLength(0);
    expect((await stores.items.pending(10)).map((i) => i.key)).toEqual(["bbc:1"]);
  });
});
