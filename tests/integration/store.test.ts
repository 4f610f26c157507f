import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { Item } from "../../src/news/item.js";
import { createStores, type Stores } from "../../src/store/index.js";
import { BOUNDS, keys } from "../../src/store/keys.js";
import { testRedis } from "../support/redis-client.js";

const { redis } = testRedis();
afterAll(() => redis.quit());

let now = Date.parse("2026-11-28T12:00:00Z");
let prefix = "";
let stores: Stores;
let n = 0;
beforeEach(() => {
  prefix = `store${++n}:`;
  stores = createStores(redis, prefix, () => now);
});

function item(sourceId: string, id: string, minutesAgo = 0): Item {
  return {
    key: `${sourceId}:${id}`,
    sourceId,
    sourceName: sourceId.toUpperCase(),
    title: `Title ${id}`,
    link: `https://example.com/${id}`,
    summary: `Summary ${id}`,
    published: new Date(now - minutesAgo * 60_000).toISOString(),
    seenAt: now,
  };
}

describe("item store", () => {
  it("stores a source's first poll as backlog and queues nothing", async () => {
    const r = await stores.items.ingest("bbc", [item("bbc", "b", 10), item("bbc", "a", 1)]);
    expect(r).toEqual({ fresh: [], backlog: 2 });
    expect(await stores.items.pending(10)).toEqual([]);
    expect((await stores.items.latest(10)).map((i) => i.key)).toEqual(["bbc:a", "bbc:b"]);
  });

  it("reports only new items on later polls, oldest first, and queues them", async () => {
    await stores.items.ingest("bbc", [item("bbc", "a", 30)]);
    const r = await stores.items.ingest("bbc", [item("bbc", "c", 1), item("bbc", "a", 30), item("bbc", "b", 5)]);
    expect(r.fresh.map((i) => i.key)).toEqual(["bbc:b", "bbc:c"]);
    expect((await stores.items.pending(10)).map((i) => i.key)).toEqual(["bbc:b", "bbc:c"]);
    const again = await stores.items.ingest("bbc", [item("bbc", "c", 1), item("bbc", "b", 5)]);
    expect(again.fresh).toEqual([]);
  });

  it("treats every source's first poll separately", async () => {
    await stores.items.ingest("bbc", [item("bbc", "a")]);
    const r = await stores.items.ingest("apa", [item("apa", "x")]);
    expect(r.backlog).toBe(1);
    expect(r.fresh).toEqual([]);
  });

  it("keeps seen keys bounded by age but never forgets an item still in its feed", async () => {
    await stores.items.ingest("bbc", [item("bbc", "old"), item("bbc", "stays")]);
    now += BOUNDS.seenTtlMs - 60_000;
    await stores.items.ingest("bbc", [item("bbc", "stays")]);
    now += 2 * 60_000;
    await stores.items.ingest("bbc", [item("bbc", "stays")]);
    const members = await redis.zrange(keys(prefix).seen("bbc"), "0", "-1");
    expect(members).toEqual(["bbc:stays"]);
  });

  it("renews the seen time of the keys a poll found known, without their items", async () => {
    await stores.items.ingest("bbc", [item("bbc", "stays"), item("bbc", "left")]);
    now += BOUNDS.seenTtlMs - 60_000;
    const r = await stores.items.ingest("bbc", [item("bbc", "new")], { refresh: ["bbc:stays"] });
    expect(r.fresh.map((i) => i.key)).toEqual(["bbc:new"]);
    expect(Number(await redis.zscore(keys(prefix).seen("bbc"), "bbc:stays"))).toBe(now);
    now += 2 * 60_000;
    await stores.items.ingest("bbc", [], { refresh: ["bbc:stays", "bbc:new"] });
    expect((await redis.zrange(keys(prefix).seen("bbc"), "0", "-1")).sort()).toEqual(["bbc:new", "bbc:stays"]);
  });

  it("does not mark a key seen by renewing it once it has left the seen set: it comes back new, with its item", async () => {
    await stores.items.ingest("bbc", [item("bbc", "a")]);
    // trimmed between the poller's knownKeys and its ingest
    await redis.zrem(keys(prefix).seen("bbc"), "bbc:a");
    await stores.items.ingest("bbc", [], { refresh: ["bbc:a", "bbc:never"] });
    expect(await redis.zrange(keys(prefix).seen("bbc"), "0", "-1")).toEqual([]);
    const r = await stores.items.ingest("bbc", [item("bbc", "a")]);
    expect(r.fresh.map((i) => i.key)).toEqual(["bbc:a"]);
    expect((await stores.items.pending(10)).map((i) => i.key)).toEqual(["bbc:a"]);
  });

  it("caps the recent list and drops expired items from the delivery queue", async () => {
    await stores.items.ingest("bbc", []);
    await stores.items.ingest("bbc", [item("bbc", "a"), item("bbc", "b")]);
    await redis.del(keys(prefix).item("bbc:a"));
    expect((await stores.items.pending(10)).map((i) => i.key)).toEqual(["bbc:b"]);
    expect(await redis.zcard(keys(prefix).pending())).toBe(1);
  });

  it("remembers ETag and Last-Modified per source", async () => {
    await stores.items.setHttpCache("bbc", { etag: '"v1"', lastModified: "Sat, 28 Nov 2026 10:00:00 GMT" });
    expect(await stores.items.getHttpCache("bbc")).toEqual({ etag: '"v1"', lastModified: "Sat, 28 Nov 2026 10:00:00 GMT" });
    await stores.items.setHttpCache("bbc", { etag: '"v2"' });
    expect(await stores.items.getHttpCache("bbc")).toEqual({ etag: '"v2"' });
  });

  it("puts every key under the prefix", async () => {
    // a database of its own, so every key in it was written by this test
    const own = redis.duplicate({ db: 9 });
    await own.flushdb();
    const s = createStores(own, prefix, () => now);
    await s.items.ingest("bbc", []);
    await s.items.ingest("bbc", [item("bbc", "a")]);
    await s.items.setHttpCache("bbc", { etag: "x" });
    await s.subscribers.add({ chatId: 1, kind: "private", since: now });
    await s.delivered.markDelivered(["bbc:a"], 1);
    await s.broadcasts.create({ id: "b", adminId: 1, adminChatId: 1, text: "t", createdAt: now });
    await s.updates.firstTime(1);
    const all = await own.keys("*");
    expect(all.length).toBeGreaterThanOrEqual(9);
    expect(all.filter((k) => !k.startsWith(prefix))).toEqual([]);
    await own.flushdb();
    await own.quit();
  });
});

describe("subscribers", () => {
  it("subscribes idempotently, migrates and unsubscribes", async () => {
    expect(await stores.subscribers.add({ chatId: 5, kind: "private", since: 1 })).toBe(true);
    expect(await stores.subscribers.add({ chatId: 5, kind: "private", since: 2 })).toBe(false);
    expect(await stores.subscribers.all()).toEqual([{ chatId: 5, kind: "private", since: 1 }]);
    await stores.subscribers.add({ chatId: -7, kind: "group", since: 3 });
    await stores.subscribers.migrate(-7, -1009);
    expect((await stores.subscribers.all()).map((s) => s.chatId).sort()).toEqual([-1009, 5]);
    expect(await stores.subscribers.remove(5)).toBe(true);
    expect(await stores.subscribers.remove(5)).toBe(false);
    expect(await stores.subscribers.count()).toBe(1);
  });

  it("migrate copies the whole record: fields it does not know of survive, only the id and kind change", async () => {
    const k = keys(prefix);
    const record = { chatId: -8, kind: "group", since: 4, language: "az", prefs: { digest: false } };
    await redis.hset(k.subscribers(), "-8", JSON.stringify(record));
    await stores.subscribers.migrate(-8, -1000000000008);
    expect(await redis.hexists(k.subscribers(), "-8")).toBe(0);
    expect(JSON.parse((await redis.hget(k.subscribers(), "-1000000000008"))!)).toEqual({
      chatId: -1000000000008,
      kind: "supergroup",
      since: 4,
      language: "az",
      prefs: { digest: false },
    });
    // A second migration of the same group (another job got there first) keeps the moved record.
    await stores.subscribers.migrate(-8, -1000000000008);
    expect(JSON.parse((await redis.hget(k.subscribers(), "-1000000000008"))!)).toMatchObject({ since: 4, language: "az" });
  });
});

describe("item store: forget", () => {
  it("drops a source's seen keys, HTTP cache and polled mark, and nothing of other sources", async () => {
    const k = keys(prefix);
    await stores.items.ingest("gone", [item("gone", "a")]);
    await stores.items.setHttpCache("gone", { etag: '"e"' });
    await stores.items.ingest("kept", [item("kept", "b")]);
    await stores.items.forget("gone");
    expect(await redis.exists(k.seen("gone"), k.httpCache("gone"))).toBe(0);
    expect(await redis.sismember(k.polledSources(), "gone")).toBe(0);
    expect(await redis.sismember(k.polledSources(), "kept")).toBe(1);
    // Its next poll is a first poll again: backlog, not news.
    expect((await stores.items.ingest("gone", [item("gone", "a")])).backlog).toBe(1);
  });
});

describe("delivery log and broadcasts", () => {
  it("tracks which chats got an item", async () => {
    await stores.delivered.markDelivered(["x:1", "x:2"], 10);
    expect(await stores.delivered.undelivered("x:1", [10, 11, 12])).toEqual([11, 12]);
    expect(await redis.ttl(keys(prefix).delivered("x:1"))).toBeGreaterThan(0);
  });

  it("starts a broadcast once even when Send is pressed twice", async () => {
    await stores.broadcasts.create({ id: "b1", adminId: 1, adminChatId: 1, text: "hi", createdAt: now });
    const [a, b] = await Promise.all([
      stores.broadcasts.transition("b1", "pending", "sending"),
      stores.broadcasts.transition("b1", "pending", "sending"),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect((await stores.broadcasts.active()).map((x) => x.id)).toEqual(["b1"]);
    expect(await stores.broadcasts.transition("b1", "sending", "done")).not.toBeNull();
    expect(await stores.broadcasts.active()).toEqual([]);
  });

  it("lets a pending broadcast expire", async () => {
    await stores.broadcasts.create({ id: "b2", adminId: 1, adminChatId: 1, text: "hi", createdAt: now });
    expect(await redis.ttl(keys(prefix).broadcast("b2"))).toBeLessThanOrEqual(BOUNDS.broadcastTtlS);
    await redis.del(keys(prefix).broadcast("b2"));
    expect(await stores.broadcasts.transition("b2", "pending", "sending")).toBeNull();
  });

  it("processes an update id once", async () => {
    expect(await stores.updates.firstTime(42)).toBe(true);
    expect(await stores.updates.firstTime(42)).toBe(false);
  });
});
