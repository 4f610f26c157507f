import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Source } from "../../src/config.js";
import { createTranslator, english } from "../../src/i18n/translator.js";
import { createLogger } from "../../src/log.js";
import type { Item } from "../../src/news/item.js";
import { type AdminMessage, createPoller, type PollerDeps } from "../../src/poll/poller.js";
import { createStores } from "../../src/store/index.js";
import { keys } from "../../src/store/keys.js";
import { type FeedResponse, type FeedServer, startFeedServer } from "../support/feed-server.js";
import { testRedis } from "../support/redis-client.js";
import { type RssItem, rss } from "../support/rss.js";

/**
 * The poller against the local feed server and the private Redis, with a
 * clock the test moves: source health, backoff, Retry-After, max-age and
 * <ttl>, disabling with a message to the admins, the guid-change guard, and
 * sources that fail or hang without holding up the others.
 */

const MIN = 60_000;
const { redis } = testRedis();
let server: FeedServer;

beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
  await redis.quit();
});

function harness(sources: Source[], over: Partial<PollerDeps> = {}) {
  const prefix = `poll${randomUUID().slice(0, 8)}:`;
  const h = {
    now: Date.parse("2026-11-27T10:00:00Z"),
    logs: [] as Record<string, unknown>[],
    /** the admin messages, as an English-speaking admin reads them */
    admin: [] as string[],
    adminMessages: [] as AdminMessage[],
    news: [] as Item[][],
  };
  const clock = () => h.now;
  const stores = createStores(redis, prefix, clock);
  const logger = createLogger({ level: "debug", destination: { write: (line: string) => void h.logs.push(JSON.parse(line)) } });
  const poller = createPoller({
    sources: () => sources,
    items: stores.items,
    health: stores.health,
    logger,
    fetch: { timeoutMs: 3_000, maxBytes: 1024 * 1024 },
    concurrency: 8,
    maxFailures: 20,
    notifyAdmins: async (message) => {
      h.adminMessages.push(message);
      h.admin.push(message(english(), "en-GB"));
    },
    politeness: { perHost: 8, spacingMs: 0, jitterMs: 0 },
    onNews: async (fresh) => void h.news.push(fresh),
    clock,
    ...over,
  });
  return { ...h, h, prefix, stores, poller, advance: (ms: number) => (h.now += ms) };
}

const source = (id: string, path: string, extra: Partial<Source> = {}): Source => ({
  id,
  name: id.toUpperCase(),
  url: server.urlFor(path),
  enabled: true,
  ...extra,
});

/** A feed whose items (and whose answer) the test changes between polls. */
function liveFeed(path: string, items: RssItem[], extra: () => Partial<FeedResponse> = () => ({})) {
  server.set(path, () => ({ body: rss(path, items), ...extra() }));
  return items;
}

const story = (id: string, at: number, guidPrefix = ""): RssItem => ({
  guid: `${guidPrefix}${id}`,
  title: `Story ${id} about the harbour, the council and the weather`,
  link: `https://news.example/${guidPrefix}${id}`,
  description: `What happened in story ${id}.`,
  pubDate: new Date(at),
});

describe("source health", () => {
  it("records successes, new items, failures and recovery", async () => {
    let broken = false;
    const t = harness([source("health-a", "/health/a")]);
    const items = liveFeed("/health/a", [story("1", t.h.now - 60 * MIN), story("2", t.h.now - 50 * MIN)], () =>
      broken ? { status: 500, body: "oops", contentType: "text/plain" } : {},
    );

    const started = t.h.now;
    expect(await t.poller.poll()).toMatchObject({ ok: 1, backlog: 2, newItems: 0 });
    let health = await t.stores.health.getHealth("health-a");
    expect(health).toMatchObject({
      since: started,
      lastAttemptAt: started,
      lastSuccessAt: started,
      consecutiveFailures: 0,
      lastError: null,
      itemsLast7Days: 0,
      lastNewItemAt: null,
      nextAttemptAt: null,
      disabled: null,
    });

    t.advance(5 * MIN);
    items.unshift(story("3", t.h.now - MIN), story("4", t.h.now - 2 * MIN));
    expect(await t.poller.poll()).toMatchObject({ ok: 1, newItems: 2 });
    health = await t.stores.health.getHealth("health-a");
    expect(health).toMatchObject({ itemsLast7Days: 2, itemsPerDay: 2, lastNewItemAt: t.h.now, lastSuccessAt: t.h.now });

    t.advance(5 * MIN);
    broken = true;
    const failedAt = t.h.now;
    expect(await t.poller.poll()).toMatchObject({ ok: 0, failed: 1, errors: ["source health-a: HTTP 500"] });
    health = await t.stores.health.getHealth("health-a");
    expect(health).toMatchObject({
      consecutiveFailures: 1,
      lastError: { at: failedAt, kind: "http", params: { status: "500" } },
      lastSuccessAt: failedAt - 5 * MIN,
      nextAttemptAt: failedAt + 5 * MIN,
      nextAttemptReason: "backoff",
    });

    t.advance(5 * MIN);
    broken = false;
    expect(await t.poller.poll()).toMatchObject({ ok: 1, failed: 0 });
    health = await t.stores.health.getHealth("health-a");
    expect(health.consecutiveFailures).toBe(0);
    expect(health.nextAttemptAt).toBeNull();
    expect(health.lastSuccessAt).toBe(t.h.now);
    // the last error stays visible to admins after the source recovered
    expect(health.lastError).toEqual({ at: failedAt, kind: "http", params: { status: "500" } });

    const all = await t.stores.health.allHealth();
    expect(all.map((x) => x.sourceId)).toEqual(["health-a"]);
  });
});

describe("backoff and politeness toward one source", () => {
  it("skips ticks after failures: 5, then 10, then 20 minutes", async () => {
    server.set("/backoff/down", { status: 502, body: "bad gateway", contentType: "text/plain" });
    const t = harness([source("down", "/backoff/down")]);
    const attempts: number[] = [];
    // A tick every 5 minutes for 45 minutes.
    for (let tick = 0; tick <= 9; tick++) {
      const before = server.hits("/backoff/down");
      const r = await t.poller.poll();
      if (server.hits("/backoff/down") > before) attempts.push(tick * 5);
      else expect(r).toMatchObject({ failed: 0, waiting: 1 });
      t.advance(5 * MIN);
    }
    expect(attempts).toEqual([0, 5, 15, 35]);
    expect((await t.stores.health.getHealth("down")).consecutiveFailures).toBe(4);
  });

  it("waits as long as Retry-After asks on a 429, and caps a 503's month-long one at 6 hours", async () => {
    server.set("/retry/429", { status: 429, body: "slow down", contentType: "text/plain", headers: { "Retry-After": "1800" } });
    server.set("/retry/503", {
      status: 503,
      body: "maintenance",
      contentType: "text/plain",
      headers: { "Retry-After": String(30 * 24 * 3600) },
    });
    const t = harness([source("busy", "/retry/429"), source("maint", "/retry/503")]);
    const start = t.h.now;
    await t.poller.poll();
    const busy = await t.stores.health.getHealth("busy");
    const maint = await t.stores.health.getHealth("maint");
    expect(busy).toMatchObject({
      nextAttemptAt: start + 30 * MIN,
      nextAttemptReason: "retry-after",
      lastError: { params: { status: "429" } },
    });
    expect(maint).toMatchObject({ nextAttemptAt: start + 6 * 60 * MIN, nextAttemptReason: "retry-after" });

    t.advance(25 * MIN);
    expect(await t.poller.poll()).toMatchObject({ waiting: 2, failed: 0 });
    expect(server.hits("/retry/429")).toBe(1);
    t.advance(5 * MIN);
    await t.poller.poll();
    expect(server.hits("/retry/429")).toBe(2);
    expect(server.hits("/retry/503")).toBe(1);
  });

  it("treats Cache-Control max-age as a minimum interval, at most an hour", async () => {
    server.set("/maxage/15m", { body: rss("m", [story("m1", 0)]), headers: { "Cache-Control": "public, max-age=900" } });
    server.set("/maxage/year", { body: rss("y", [story("y1", 0)]), headers: { "Cache-Control": "max-age=31536000" } });
    const t = harness([source("quarter", "/maxage/15m"), source("year", "/maxage/year")]);
    const start = t.h.now;
    await t.poller.poll();
    expect(await t.stores.health.getHealth("quarter")).toMatchObject({
      nextAttemptAt: start + 15 * MIN,
      nextAttemptReason: "min-interval",
    });
    expect((await t.stores.health.getHealth("year")).nextAttemptAt).toBe(start + 60 * MIN);

    t.advance(10 * MIN);
    expect(await t.poller.poll()).toMatchObject({ waiting: 2 });
    t.advance(5 * MIN);
    expect(await t.poller.poll()).toMatchObject({ ok: 1, waiting: 1 });
    t.advance(45 * MIN);
    expect(await t.poller.poll()).toMatchObject({ ok: 2, waiting: 0 });
    expect([server.hits("/maxage/15m"), server.hits("/maxage/year")]).toEqual([3, 2]);
  });

  it("honours the feed's <ttl>, and keeps honouring it while the server answers 304", async () => {
    const body = rss("t", [story("t1", 0)]).replace("<description>test</description>", "<description>test</description><ttl>30</ttl>");
    server.set("/ttl", { body, etag: '"ttl-v1"' });
    const t = harness([source("ttl", "/ttl")]);
    await t.poller.poll();
    expect(await t.stores.health.getHealth("ttl")).toMatchObject({ feedTtlMs: 30 * MIN, nextAttemptAt: t.h.now + 30 * MIN });

    t.advance(20 * MIN);
    expect(await t.poller.poll()).toMatchObject({ waiting: 1, notModified: 0 });
    t.advance(10 * MIN);
    const third = t.h.now;
    expect(await t.poller.poll()).toMatchObject({ notModified: 1 });
    expect(await t.stores.health.getHealth("ttl")).toMatchObject({ lastSuccessAt: third, nextAttemptAt: third + 30 * MIN });
    expect(server.hits("/ttl")).toBe(2);
  });
});

describe("disabling a source", () => {
  it("disables a source after N failures in a row, tells the admins once, and polls it again once re-enabled", async () => {
    let down = true;
    server.set("/disable/flaky", () =>
      down ? { status: 500, body: "err", contentType: "text/plain" } : { body: rss("f", [story("f1", 0)]) },
    );
    server.set("/disable/fine", { body: rss("ok", [story("ok1", 0)]) });
    const t = harness([source("flaky", "/disable/flaky"), source("fine", "/disable/fine")], { maxFailures: 3 });

    for (let i = 0; i < 3; i++) {
      const r = await t.poller.poll();
      expect(r).toMatchObject({ failed: 1, ok: 1 });
      t.advance(6 * 60 * MIN); // past any backoff
    }
    const health = await t.stores.health.getHealth("flaky");
    expect(health.consecutiveFailures).toBe(3);
    expect(health.disabled).toEqual({
      at: health.lastAttemptAt,
      kind: "failures",
      failures: 3,
      lastError: { kind: "http", params: { status: "500" } },
    });
    expect(t.h.admin).toEqual([
      `⚠️ Source "FLAKY" (flaky) is disabled: 3 polls in a row failed.\nLast error: HTTP 500\nCheck ${server.urlFor("/disable/flaky")} and turn it back on with /enablesource flaky`,
    ]);
    // Each admin reads it in their own language.
    const ru = t.h.adminMessages[0]!(createTranslator().forLocale("ru"), "ru-RU");
    expect(ru).toBe(
      `⚠️ Источник «FLAKY» (flaky) отключён после 3 неудачных опросов подряд.\nПоследняя ошибка: сервер ответил HTTP 500\nПроверьте ${server.urlFor("/disable/flaky")} и включите источник снова командой /enablesource flaky`,
    );

    // Disabled: not fetched however long we wait, and no second message.
    down = false;
    const hits = server.hits("/disable/flaky");
    for (let i = 0; i < 3; i++) {
      expect(await t.poller.poll()).toMatchObject({ disabled: 1, ok: 1, failed: 0 });
      t.advance(24 * 60 * MIN);
    }
    expect(server.hits("/disable/flaky")).toBe(hits);
    expect(t.h.admin).toHaveLength(1);

    expect(await t.stores.health.enableSource("flaky")).toBe(true);
    expect(await t.stores.health.enableSource("flaky")).toBe(false);
    expect(await t.stores.health.getHealth("flaky")).toMatchObject({ disabled: null, consecutiveFailures: 0, nextAttemptAt: null });
    expect(await t.poller.poll()).toMatchObject({ ok: 2, disabled: 0 });
    expect(server.hits("/disable/flaky")).toBe(hits + 1);
  });

  it("keeps polling when telling the admins fails", async () => {
    server.set("/disable/gone", { status: 410, body: "gone", contentType: "text/plain" });
    const t = harness([source("gone", "/disable/gone")], {
      maxFailures: 1,
      notifyAdmins: async () => {
        throw new Error("Telegram is down");
      },
    });
    expect(await t.poller.poll()).toMatchObject({ failed: 1 });
    expect((await t.stores.health.getHealth("gone")).disabled).not.toBeNull();
    expect(t.h.logs.some((l) => l.msg === "poll: admins not told about the disabled source" && l.err === "Telegram is down")).toBe(true);
    expect(await t.poller.poll()).toMatchObject({ disabled: 1 });
  });
});

describe("guid-change guard", () => {
  it("stores a feed whose every guid changed at once without sending its backlog", async () => {
    const t = harness([source("redesign", "/guids/redesign")]);
    const day = 24 * 60 * MIN;
    const stories = Array.from({ length: 12 }, (_, i) => story(`r${i}`, t.h.now - (i + 1) * day));
    const feed = liveFeed("/guids/redesign", [...stories]);
    expect(await t.poller.poll()).toMatchObject({ backlog: 12 });

    // The site moves to a new CMS: same stories, same dates, new guids and links.
    t.advance(5 * MIN);
    feed.splice(
      0,
      feed.length,
      ...stories.map((s) => ({ ...s, guid: `cms2-${s.guid}`, link: s.link.replace("news.example/", "news.example/2/") })),
    );
    const r = await t.poller.poll();
    expect(r).toMatchObject({ newItems: 0, backlog: 12, guidChanges: 1 });
    expect(t.h.news).toEqual([]);
    // Nothing of it went on the timeline (what chats are sent from).
    const onTimeline = await t.stores.items.getItems((await t.stores.items.timelineSince(0, 100)).map((e) => e.key));
    expect(onTimeline.filter((i) => i?.sourceId === "redesign")).toEqual([]);
    expect(t.h.logs.find((l) => l.level === 40 && l.source === "redesign")?.msg).toBe(
      "poll: source redesign: 12 of 12 items are new at once and not recent (guids changed?) — stored without sending",
    );

    // Afterwards a real new story is sent as usual.
    t.advance(5 * MIN);
    feed.unshift(story("after", t.h.now - MIN, "cms2-"));
    expect(await t.poller.poll()).toMatchObject({ newItems: 1, guidChanges: 0 });
    expect(t.h.news.flat().map((i) => i.title)).toEqual(["Story after about the harbour, the council and the weather"]);
  });

  it("sends a busy feed that turned over completely with stories published since the last poll", async () => {
    const t = harness([source("wire", "/guids/wire")]);
    const feed = liveFeed(
      "/guids/wire",
      Array.from({ length: 12 }, (_, i) => story(`w${i}`, t.h.now - (i + 10) * MIN)),
    );
    await t.poller.poll();
    t.advance(5 * MIN);
    feed.splice(0, feed.length, ...Array.from({ length: 12 }, (_, i) => story(`n${i}`, t.h.now - i * 20_000)));
    expect(await t.poller.poll()).toMatchObject({ newItems: 12, guidChanges: 0 });
    expect(t.h.news.flat()).toHaveLength(12);
  });
});

describe("a failing or slow source never holds up the others", () => {
  it("polls and hands over the other sources' news while one hangs and one fails", async () => {
    server.set("/iso/hang", { body: rss("hang", [story("h", 0)]), delayMs: 10_000 });
    server.set("/iso/broken", { status: 500, body: "x", contentType: "text/plain" });
    const fast = ["a", "b", "c", "d"].map((n) => liveFeed(`/iso/${n}`, [story(`${n}0`, 0)]));
    const sources = [
      source("hang", "/iso/hang"),
      source("broken", "/iso/broken"),
      ...["a", "b", "c", "d"].map((n) => source(`fast-${n}`, `/iso/${n}`)),
    ];
    // Two at a time, the hanging one first: the other slot does all the work.
    const t = harness(sources, { concurrency: 2, fetch: { timeoutMs: 1_500, maxBytes: 1024 * 1024 }, newsFlushMs: 300 });
    await t.poller.poll();

    t.advance(6 * 60 * MIN);
    for (const [i, items] of fast.entries()) items.unshift(story(`new-${i}`, t.h.now - MIN));
    const started = Date.now();
    const handed: number[] = [];
    const onNews = t.h.news;
    const wait = t.poller.poll();
    while (onNews.length === 0 && Date.now() - started < 1_400) await new Promise((r) => setTimeout(r, 10));
    handed.push(Date.now() - started);
    const r = await wait;
    const total = Date.now() - started;

    expect(r).toMatchObject({ ok: 4, failed: 2, newItems: 4 });
    expect(r.errors).toEqual(expect.arrayContaining(["source hang: timed out after 1.5 s", "source broken: HTTP 500"]));
    // the four new stories went out after the flush delay, not after the hanging source's timeout
    expect(
      onNews
        .flat()
        .map((i) => i.sourceId)
        .sort(),
    ).toEqual(["fast-a", "fast-b", "fast-c", "fast-d"]);
    expect(handed[0]).toBeLessThan(1_000);
    expect(total).toBeGreaterThanOrEqual(1_400);
  });
});

describe("health store bounds", () => {
  it("keeps per-day counts for 7 days only, and forgets a removed source", async () => {
    const t = harness([]);
    const day = 24 * 60 * MIN;
    for (let d = 0; d < 10; d++) {
      await t.stores.health.recordSuccess("counted", { at: t.h.now, newItems: d + 1, next: null });
      t.advance(day);
    }
    t.advance(-day);
    const dayFields = Object.keys(await redis.hgetall(keys(t.prefix).sourceHealth("counted"))).filter((f) => f.startsWith("d:"));
    expect(dayFields).toHaveLength(7);
    const h = await t.stores.health.getHealth("counted");
    // days 4..10 of the loop: 4+5+…+10
    expect(h.itemsLast7Days).toBe(49);
    expect(h.itemsPerDay).toBe(7);
    expect((await t.stores.health.allHealth()).map((x) => x.sourceId)).toEqual(["counted"]);
    await t.stores.health.forget("counted");
    expect(await t.stores.health.allHealth()).toEqual([]);
    expect((await t.stores.health.getHealth("counted")).since).toBeNull();
  });
});

describe("a feed listing more than is read", () => {
  it("reads its newest 300 entries and counts the rest in the poll's report", async () => {
    const t = harness([source("huge", "/huge")]);
    liveFeed(
      "/huge",
      Array.from({ length: 420 }, (_, i) => story(`h${i}`, t.h.now - (i + 1) * MIN)),
    );
    expect(await t.poller.poll()).toMatchObject({ backlog: 300, entriesOverCap: 120 });
  });
});
