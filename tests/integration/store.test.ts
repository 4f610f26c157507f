import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { Item } from "../../src/news/item.js";
import { defaultPrefs } from "../../src/prefs/preferences.js";
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
  it("stores a source's first poll as backlog and puts nothing on the timeline", async () => {
    const r = await stores.items.ingest("bbc", [item("bbc", "b", 10), item("bbc", "a", 1)]);
    expect(r).toEqual({ fresh: [], backlog: 2 });
    expect(await stores.items.timelineSince(0, 10)).toEqual([]);
    expect(await stores.items.timelineHead()).toBe(0);
    expect((await stores.items.latest(10)).map((i) => i.key)).toEqual(["bbc:a", "bbc:b"]);
  });

  it("reports only new items on later polls, oldest first, and numbers them on the timeline in that order", async () => {
    await stores.items.ingest("bbc", [item("bbc", "a", 30)]);
    const r = await stores.items.ingest("bbc", [item("bbc", "c", 1), item("bbc", "a", 30), item("bbc", "b", 5)]);
    expect(r.fresh.map((i) => i.key)).toEqual(["bbc:b", "bbc:c"]);
    expect(await stores.items.timelineSince(0, 10)).toEqual([
      { key: "bbc:b", seq: 1 },
      { key: "bbc:c", seq: 2 },
    ]);
    const again = await stores.items.ingest("bbc", [item("bbc", "c", 1), item("bbc", "b", 5)]);
    expect(again.fresh).toEqual([]);
    expect(await stores.items.timelineHead()).toBe(2);
  });

  it("numbers every source's news on one timeline, and a poll asked to be backlog not at all", async () => {
    await stores.items.ingest("bbc", []);
    await stores.items.ingest("apa", []);
    await stores.items.ingest("bbc", [item("bbc", "1", 3)]);
    await stores.items.ingest("apa", [item("apa", "1", 9), item("apa", "2", 1)]);
    // The poller's guid-change guard: stored and seen, sent to nobody.
    expect(await stores.items.ingest("apa", [item("apa", "3")], { backlog: true })).toEqual({ fresh: [], backlog: 1 });
    await stores.items.ingest("bbc", [item("bbc", "2")]);
    expect(await stores.items.timelineSince(0, 10)).toEqual([
      { key: "bbc:1", seq: 1 },
      { key: "apa:1", seq: 2 },
      { key: "apa:2", seq: 3 },
      { key: "bbc:2", seq: 4 },
    ]);
    expect(await stores.items.timelineSince(2, 1)).toEqual([{ key: "apa:2", seq: 3 }]);
    expect(await stores.items.timelineSince(4, 10)).toEqual([]);
    expect(await stores.items.timelineSeqs(["apa:2", "apa:3", "nope", "bbc:1"])).toEqual([3, null, null, 1]);
    expect(await stores.items.timelineSeqs([])).toEqual([]);
  });

  it("reads the newest stories between two numbers, oldest first, with how many there are in all", async () => {
    await stores.items.ingest("bbc", []);
    await stores.items.ingest(
      "bbc",
      Array.from({ length: 6 }, (_, i) => item("bbc", `n${i}`, 60 - i)),
    );
    expect(await stores.items.timelineBetween(1, 5, 10)).toEqual({
      entries: [2, 3, 4, 5].map((seq) => ({ key: `bbc:n${seq - 1}`, seq })),
      total: 4,
    });
    // More than the limit: the newest of them, and the total says how many were left out.
    expect(await stores.items.timelineBetween(0, 6, 2)).toEqual({
      entries: [
        { key: "bbc:n4", seq: 5 },
        { key: "bbc:n5", seq: 6 },
      ],
      total: 6,
    });
    expect(await stores.items.timelineBetween(6, 6, 10)).toEqual({ entries: [], total: 0 });
  });

  it("keeps the newest stories on the timeline, up to its cap, and never reuses a number", async () => {
    await stores.items.ingest("wire", []);
    const many = Array.from({ length: BOUNDS.timelineCap + 5 }, (_, i) => item("wire", `w${i}`, BOUNDS.timelineCap + 5 - i));
    await stores.items.ingest("wire", many);
    const k = keys(prefix);
    expect(await redis.zcard(k.timeline())).toBe(BOUNDS.timelineCap);
    expect(await stores.items.timelineHead()).toBe(BOUNDS.timelineCap + 5);
    // The oldest five were trimmed: a chat whose cursor is behind them reads from what is left.
    expect((await stores.items.timelineSince(0, 1))[0]).toEqual({ key: "wire:w5", seq: 6 });
    expect(await stores.items.timelineSeqs(["wire:w0", "wire:w5"])).toEqual([null, 6]);
    await stores.items.ingest("wire", [item("wire", "after")]);
    expect(await stores.items.timelineSince(BOUNDS.timelineCap + 5, 10)).toEqual([{ key: "wire:after", seq: BOUNDS.timelineCap + 6 }]);
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
    expect((await stores.items.timelineSince(0, 10)).map((e) => e.key)).toEqual(["bbc:a"]);
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
    await s.chats.start(1, 0);
    await s.chats.markDue([1], now);
    await s.chats.setPlanned(1);
    await s.broadcasts.create({ id: "b", adminId: 1, adminChatId: 1, text: "t", createdAt: now });
    await s.updates.firstTime(1);
    const all = await own.keys("*");
    expect(all.length).toBeGreaterThanOrEqual(12);
    expect(all.filter((k) => !k.startsWith(prefix))).toEqual([]);
    await own.flushdb();
    await own.quit();
  });
});

describe("subscribers", () => {
  it("subscribes idempotently, migrates and unsubscribes", async () => {
    expect(await stores.subscribers.add({ chatId: 5, kind: "private", since: 1 })).toBe(true);
    expect(await stores.subscribers.add({ chatId: 5, kind: "private", since: 2 })).toBe(false);
    expect(await stores.subscribers.all()).toEqual([{ key: "5", chatId: 5, kind: "private", since: 1, prefs: defaultPrefs() }]);
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

describe("subscribers: preferences", () => {
  it("a record from before preferences loads with the defaults", async () => {
    await redis.hset(keys(prefix).subscribers(), "5", JSON.stringify({ chatId: 5, kind: "private", since: 1 }));
    expect(await stores.subscribers.get(5)).toEqual({ key: "5", chatId: 5, kind: "private", since: 1, prefs: defaultPrefs() });
  });

  it("keeps only what differs from the defaults, and keeps it over /stop and /start", async () => {
    await stores.subscribers.add({ chatId: 6, kind: "private", since: 1 });
    expect(JSON.parse((await redis.hget(keys(prefix).subscribers(), "6"))!)).toEqual({ chatId: 6, kind: "private", since: 1 });
    const prefs = { ...defaultPrefs(), sources: ["apa"] };
    expect(await stores.subscribers.setPrefs(6, prefs)).toBe(true);
    expect((await stores.subscribers.get(6))?.prefs).toEqual(prefs);
    expect(await stores.subscribers.stop(6)).toBe(true);
    expect(await stores.subscribers.get(6)).toBeNull();
    expect(await stores.subscribers.count()).toBe(0);
    expect(await stores.subscribers.setPrefs(6, defaultPrefs())).toBe(false);
    expect(await stores.subscribers.add({ chatId: 6, kind: "private", since: 2 })).toBe(true);
    expect(await stores.subscribers.get(6)).toEqual({ key: "6", chatId: 6, kind: "private", since: 2, prefs });
  });
});

describe("chat timeline state", () => {
  const ids = async (nowMs: number, max: number) => (await stores.chats.claim(nowMs, max)).map((c) => Number(c.key));

  it("starts a chat at the head it is given, never behind where it stood", async () => {
    await stores.chats.start(1, 7);
    expect(await stores.chats.get(1)).toEqual({ cursor: 7, sent: [] });
    await stores.chats.save(1, { cursor: 12, sent: [{ from: 11, to: 12, messageId: 40, digest: false }] });
    await stores.chats.start(1, 9);
    expect(await stores.chats.get(1)).toEqual({ cursor: 12, sent: [] });
    expect(await stores.chats.getMany([1, 2])).toEqual([{ cursor: 12, sent: [] }, null]);
  });

  it("keeps the last messages a chat was sent, and forgets them when asked", async () => {
    const sent = Array.from({ length: BOUNDS.chatMessagesKept + 3 }, (_, i) => ({ from: i, to: i + 1, messageId: 100 + i, digest: false }));
    await stores.chats.save(2, { cursor: 11, sent });
    expect((await stores.chats.get(2))?.sent).toEqual(sent.slice(-BOUNDS.chatMessagesKept));
    await stores.chats.forgetSent(2);
    expect(await stores.chats.get(2)).toEqual({ cursor: 11, sent: [] });
  });

  it("moves a group's cursor to its new id and removes a gone chat whole", async () => {
    await stores.chats.save(-5, { cursor: 3, sent: [{ from: 2, to: 3, messageId: 9, digest: false }] });
    await stores.chats.markDue([-5], now);
    await stores.chats.migrate(-5, -1005);
    expect(await stores.chats.get(-5)).toBeNull();
    expect(await stores.chats.due(-5)).toBeNull();
    // Message ids do not carry over to the supergroup.
    expect(await stores.chats.get(-1005)).toEqual({ cursor: 3, sent: [] });
    await stores.chats.markDue([-1005], now);
    await stores.chats.remove(-1005);
    expect(await stores.chats.get(-1005)).toBeNull();
    expect(await stores.chats.due(-1005)).toBeNull();
  });

  it("has at most one pending delivery per chat: marking a due chat due again keeps its turn", async () => {
    await stores.chats.markDue([1, 2], 1000);
    await stores.chats.markDue([2, 3], 2000);
    expect(await stores.chats.dueMany([1, 2, 3, 4])).toEqual([1000, 1000, 2000, null]);
    await stores.chats.dueAt(1, 5000);
    expect(await stores.chats.due(1)).toBe(5000);
    expect(await stores.chats.counts(3000)).toEqual({ due: 3, waiting: 2, active: 0 });
  });

  it("gives each due chat to one claimant at a time, first due first, and takes back a lapsed claim", async () => {
    await stores.chats.markDue([3], 300);
    await stores.chats.markDue([1], 100);
    await stores.chats.markDue([2], 200);
    await stores.chats.markDue([9], 100_000);
    // With when each became due (how long it waited for its turn).
    expect(await stores.chats.claim(1000, 2)).toEqual([
      { key: "1", dueAt: 100 },
      { key: "2", dueAt: 200 },
    ]);
    // Due again while it is being delivered to: it waits for the delivery in hand.
    await stores.chats.markDue([1], 500);
    expect(await ids(1000, 10)).toEqual([3]);
    await stores.chats.release(1);
    expect(await ids(1000, 10)).toEqual([1]);
    // Chat 2's process died: its claim lapses and it is due again.
    await stores.chats.renew([3], 1000);
    const lapse = 1000 + BOUNDS.chatClaimMs + 1;
    await stores.chats.release(1);
    await stores.chats.release(3);
    expect(await stores.chats.claim(lapse, 10)).toEqual([{ key: "2", dueAt: lapse }]);
    expect(await ids(lapse, 10)).toEqual([]);
    expect((await ids(100_000 + 2 * BOUNDS.chatClaimMs, 10)).sort()).toEqual([2, 9]);
  });

  it("keeps a forum topic's state apart from its chat's: a plain chat's key is its id, as before topics", async () => {
    await stores.chats.start(-1001, 4);
    await stores.chats.start("-1001:17", 6);
    await stores.chats.markDue(["-1001:17", -1001], 100);
    expect(await stores.chats.getMany(["-1001", -1001, "-1001:17"])).toEqual([
      { cursor: 4, sent: [] },
      { cursor: 4, sent: [] },
      { cursor: 6, sent: [] },
    ]);
    expect(await redis.hkeys(keys(prefix).chatState())).toEqual(expect.arrayContaining(["-1001", "-1001:17"]));
    expect((await stores.chats.claim(1000, 10)).map((c) => c.key)).toEqual(["-1001", "-1001:17"]);
    await stores.chats.remove("-1001:17");
    expect(await stores.chats.get("-1001:17")).toBeNull();
    expect(await stores.chats.get(-1001)).toEqual({ cursor: 4, sent: [] });
  });

  it("remembers how far planning got", async () => {
    expect(await stores.chats.planned()).toBe(0);
    await stores.chats.setPlanned(42);
    expect(await stores.chats.planned()).toBe(42);
  });
});

describe("broadcasts and updates", () => {
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

describe("upgrading from the fan-out version", () => {
  it("puts the stories its `pending` queue held on the timeline, oldest first, once", async () => {
    const prefix = `upg${Math.random().toString(36).slice(2, 8)}:`;
    const { redis: r } = testRedis();
    const items = createStores(r, prefix).items;
    await r.zadd(`${prefix}pending`, 2000, "wire:b", 1000, "wire:a");
    expect(await items.adoptLegacyPending()).toBe(2);
    expect(await items.timelineSince(0, 10)).toEqual([
      { key: "wire:a", seq: 1 },
      { key: "wire:b", seq: 2 },
    ]);
    expect(await r.exists(`${prefix}pending`)).toBe(0);
    expect(await items.adoptLegacyPending()).toBe(0);
    expect(await items.timelineHead()).toBe(2);
    await r.quit();
  });
});
