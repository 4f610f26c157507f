import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Source } from "../../src/config.js";
import { createExtractor } from "../../src/leads/extractor.js";
import { articleGuard, createLeadFetcher, type LeadFetcherDeps } from "../../src/leads/fetch-lead.js";
import { createLeadStore, leadKeyOf } from "../../src/leads/lead-store.js";
import { createLogger } from "../../src/log.js";
import type { Item } from "../../src/news/item.js";
import { createPoller } from "../../src/poll/poller.js";
import { createStores } from "../../src/store/index.js";
import { keys } from "../../src/store/keys.js";
import { articlePage, hostilePage } from "../support/article-page.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { testRedis } from "../support/redis-client.js";
import { type RssItem, rss } from "../support/rss.js";

/**
 * Leads for title-only feeds, through the real poller, the local feed server
 * (which serves the articles too), the private Redis and the extraction
 * worker: which stories get their article's lead, what a reader then gets
 * and what is stored, the budget, the cache, politeness, the guard, and a
 * poll that never waits past the deadline for a page that hangs.
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

const LEAD_ONE = "Ferries were cancelled along the northern coast on Tuesday as winds reached 120 km/h, the port authority said.";
const LEAD_TWO = "Officials expect the harbours to reopen on Thursday, once the storm has passed over the mountains.";
const REST = "Fishermen stayed ashore for a third day, and the regional government promised help for lost nets.";

/** An article page on the feed server, with its story in its paragraphs. */
function article(path: string, title = `Story at ${path}`) {
  server.set(path, { body: articlePage({ title, paragraphs: [LEAD_ONE, LEAD_TWO, REST] }), contentType: "text/html; charset=utf-8" });
}

function harness(sources: Source[], over: Partial<LeadFetcherDeps> = {}) {
  const prefix = `leads${randomUUID().slice(0, 8)}:`;
  const h = { now: Date.parse("2026-11-27T10:00:00Z"), news: [] as Item[][], logs: [] as Record<string, unknown>[] };
  const clock = () => h.now;
  const stores = createStores(redis, prefix, clock);
  const logger = createLogger({ level: "debug", destination: { write: (line: string) => void h.logs.push(JSON.parse(line)) } });
  const extractor = createExtractor({ timeLimitMs: 1_000 });
  const leads = createLeadFetcher({
    store: stores.leads,
    extractor,
    logger,
    guardFor: (s, url) => articleGuard({ allowPrivate: false, sourceGuard: undefined, feedUrl: s.url, articleUrl: url }),
    clock,
    ...over,
  });
  const poller = createPoller({
    sources: () => sources,
    items: stores.items,
    health: stores.health,
    logger,
    fetch: { timeoutMs: 3_000, maxBytes: 1024 * 1024 },
    concurrency: 8,
    maxFailures: 20,
    politeness: { perHost: 8, spacingMs: 0, jitterMs: 0 },
    onNews: async (fresh) => void h.news.push(fresh),
    clock,
    leads,
  });
  return {
    h,
    stores,
    poller,
    leads,
    advance: (ms: number) => (h.now += ms),
    /** what the reader is handed, by title */
    delivered: () => new Map(h.news.flat().map((i) => [i.title, i.summary])),
    close: () => leads.close(),
  };
}

const source = (id: string, extra: Partial<Source> = {}): Source => ({
  id,
  name: id.toUpperCase(),
  url: server.urlFor(`/${id}/feed.xml`),
  enabled: true,
  ...extra,
});

/** A feed on the server whose items the test changes between polls. */
function feed(id: string, items: RssItem[]) {
  server.set(`/${id}/feed.xml`, () => ({ body: rss(id, items) }));
  return items;
}

const titleOnly = (id: string, path: string, at: number, title = `Story ${id}`): RssItem => ({
  guid: id,
  title,
  link: server.urlFor(path),
  pubDate: new Date(at),
});

describe("leads for a title-only feed", () => {
  it("gives a new story its article's first sentences, stored and delivered; never for the first poll or a story seen", async () => {
    const t = harness([source("plain")]);
    article("/plain/old");
    article("/plain/new");
    const items = feed("plain", [titleOnly("old", "/plain/old", t.h.now - 30 * MIN)]);

    expect(await t.poller.poll()).toMatchObject({ backlog: 1, leads: 0 });
    expect(server.hits("/plain/old")).toBe(0);

    t.advance(5 * MIN);
    items.unshift(titleOnly("new", "/plain/new", t.h.now - MIN, "Storm closes ports along the northern coast"));
    expect(await t.poller.poll()).toMatchObject({ newItems: 1, leads: 1, leadsFailed: 0 });
    expect(t.delivered().get("Storm closes ports along the northern coast")).toBe(`${LEAD_ONE} ${LEAD_TWO}`);
    const [stored] = await t.stores.items.getItems([t.h.news[0]![0]!.key]);
    expect(stored?.summary).toBe(`${LEAD_ONE} ${LEAD_TWO}`);
    expect((await t.stores.health.getHealth("plain")).leadsLast7Days).toEqual({ fetched: 1, failed: 0 });

    // Seen stories are never fetched again, and the backlog never was.
    t.advance(5 * MIN);
    expect(await t.poller.poll()).toMatchObject({ newItems: 0, leads: 0 });
    expect([server.hits("/plain/new"), server.hits("/plain/old")]).toEqual([1, 0]);
    await t.close();
  });

  it("auto leaves a story with a summary alone, always replaces a shorter summary, never fetches nothing", async () => {
    const sources = [source("auto"), source("always", { fulltext: "always" }), source("never", { fulltext: "never" })];
    const t = harness(sources);
    const summary = "Ferries were cancelled as the winds reached 120 km/h, the port authority said on Tuesday.";
    const lists = sources.map((s) => feed(s.id, []));
    await t.poller.poll();
    t.advance(5 * MIN);
    for (const [i, s] of sources.entries()) {
      article(`/${s.id}/with-summary`);
      article(`/${s.id}/title-only`);
      lists[i]!.push(
        { ...titleOnly(`${s.id}-a`, `/${s.id}/with-summary`, t.h.now - MIN, `${s.id} with summary`), description: summary },
        titleOnly(`${s.id}-b`, `/${s.id}/title-only`, t.h.now - 2 * MIN, `${s.id} title only`),
      );
    }
    expect(await t.poller.poll()).toMatchObject({ newItems: 6, leads: 3 });
    const got = t.delivered();
    expect(got.get("auto with summary")).toBe(summary);
    expect(got.get("auto title only")).toBe(`${LEAD_ONE} ${LEAD_TWO}`);
    expect(got.get("always with summary")).toBe(`${LEAD_ONE} ${LEAD_TWO}`);
    expect(got.get("always title only")).toBe(`${LEAD_ONE} ${LEAD_TWO}`);
    expect(got.get("never with summary")).toBe(summary);
    expect(got.get("never title only")).toBe("");
    expect(server.hits("/auto/with-summary") + server.hits("/never/with-summary") + server.hits("/never/title-only")).toBe(0);
    await t.close();
  });

  it("asks at most 4 pages per source per poll, and none for a feed whose guids all changed", async () => {
    const t = harness([source("burst"), source("moved")]);
    const burst = feed("burst", []);
    const day = 24 * 60 * MIN;
    const old = Array.from({ length: 12 }, (_, i) => titleOnly(`m${i}`, `/moved/${i}`, t.h.now - (i + 1) * day));
    const moved = feed("moved", [...old]);
    await t.poller.poll();
    t.advance(5 * MIN);
    for (let i = 0; i < 6; i++) {
      article(`/burst/${i}`);
      burst.push(titleOnly(`b${i}`, `/burst/${i}`, t.h.now - (i + 1) * 1000, `Burst ${i}`));
    }
    moved.splice(0, moved.length, ...old.map((s) => ({ ...s, guid: `new-${s.guid}`, link: `${s.link}?v=2` })));
    const r = await t.poller.poll();
    expect(r).toMatchObject({ newItems: 6, guidChanges: 1, leads: 4 });
    const got = t.delivered();
    // The newest four, as the feed lists them.
    expect([0, 1, 2, 3, 4, 5].map((i) => got.get(`Burst ${i}`) !== "")).toEqual([true, true, true, true, false, false]);
    expect([0, 1, 2, 3, 4, 5].reduce((n, i) => n + server.hits(`/burst/${i}`), 0)).toBe(4);
    expect(server.requests().filter((q) => q.path.startsWith("/moved/") && q.path !== "/moved/feed.xml")).toEqual([]);
    await t.close();
  });

  it("fetches a page two feeds link once, and does not ask a missing page again within the hour", async () => {
    const t = harness([source("main"), source("section")]);
    article("/site/shared");
    server.set("/site/missing", { status: 404, body: "not here", contentType: "text/html" });
    const main = feed("main", []);
    const section = feed("section", []);
    await t.poller.poll();
    t.advance(5 * MIN);
    main.push(titleOnly("s1", "/site/shared", t.h.now - MIN, "Shared in main"), titleOnly("x1", "/site/missing", t.h.now - MIN, "Missing"));
    expect(await t.poller.poll()).toMatchObject({ leads: 1, leadsFailed: 1 });
    t.advance(5 * MIN);
    section.push(
      titleOnly("s2", "/site/shared", t.h.now - MIN, "Shared in section"),
      titleOnly("x2", "/site/missing", t.h.now - MIN, "Missing again"),
    );
    expect(await t.poller.poll()).toMatchObject({ leads: 1, leadsFailed: 1 });
    expect(t.delivered().get("Shared in section")).toBe(`${LEAD_ONE} ${LEAD_TWO}`);
    expect([server.hits("/site/shared"), server.hits("/site/missing")]).toEqual([1, 1]);
    expect((await t.stores.health.getHealth("section")).leadsLast7Days).toEqual({ fetched: 1, failed: 1 });
    // A 404 is the page's fault, not the host's: the next page there is asked at once.
    t.advance(MIN);
    article("/site/after");
    main.push(titleOnly("a1", "/site/after", t.h.now - MIN, "After"));
    expect(await t.poller.poll()).toMatchObject({ leads: 1 });
    await t.close();
  });
});

describe("pages that give no lead", () => {
  it("a page that hangs, one too big, one not HTML, one that would keep the worker busy for seconds: stories go out without, on time", async () => {
    const t = harness([source("bad")], { timeoutMs: 1_000, deadlineMs: 2_500, maxBytes: 100 * 1024 });
    const items = feed("bad", []);
    server.set("/bad/hang", { body: articlePage({ title: "x", paragraphs: [LEAD_ONE] }), contentType: "text/html", delayMs: 30_000 });
    server.set("/bad/huge", { body: articlePage({ title: "x", paragraphs: [LEAD_ONE], bytes: 300 * 1024 }), contentType: "text/html" });
    server.set("/bad/image", { body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), contentType: "image/png" });
    server.set("/bad/hostile", { body: hostilePage(), contentType: "text/html" });
    await t.poller.poll();
    t.advance(5 * MIN);
    for (const p of ["hang", "huge", "image", "hostile"]) items.push(titleOnly(p, `/bad/${p}`, t.h.now - MIN, `Bad ${p}`));
    const started = Date.now();
    const r = await t.poller.poll();
    const took = Date.now() - started;
    expect(r).toMatchObject({ newItems: 4, leads: 0, leadsFailed: 4 });
    // The hanging page is given up on at the 1 s fetch timeout, the hostile one at the 1 s extraction limit.
    expect(took).toBeLessThan(2_500 + 1_000);
    expect([...t.delivered().values()]).toEqual(["", "", "", ""]);
    const health = await t.stores.health.getHealth("bad");
    expect(health.leadsLast7Days).toEqual({ fetched: 0, failed: 4 });
    expect(health.consecutiveFailures).toBe(0);
    await t.close();
  });

  it("never waits past the deadline, even for pages that have not started", async () => {
    const t = harness([source("slow")], { timeoutMs: 10_000, deadlineMs: 800, perHost: 1 });
    const items = feed("slow", []);
    await t.poller.poll();
    t.advance(5 * MIN);
    for (let i = 0; i < 3; i++) {
      server.set(`/slow/${i}`, { body: articlePage({ title: "x", paragraphs: [LEAD_ONE] }), contentType: "text/html", delayMs: 5_000 });
      items.push(titleOnly(`s${i}`, `/slow/${i}`, t.h.now - MIN, `Slow ${i}`));
    }
    const started = Date.now();
    expect(await t.poller.poll()).toMatchObject({ newItems: 3, leads: 0, leadsFailed: 3 });
    expect(Date.now() - started).toBeLessThan(800 + 700);
    await t.close();
  });

  it("backs off a host that fails (503) until its backoff has passed", async () => {
    const t = harness([source("down")]);
    const items = feed("down", []);
    server.set("/down/a", { status: 503, body: "busy", contentType: "text/html" });
    await t.poller.poll();
    t.advance(5 * MIN);
    items.push(titleOnly("a", "/down/a", t.h.now - MIN, "Down a"));
    expect(await t.poller.poll()).toMatchObject({ leadsFailed: 1 });
    t.advance(MIN);
    article("/down/b");
    items.push(titleOnly("b", "/down/b", t.h.now - MIN, "Down b"));
    expect(await t.poller.poll()).toMatchObject({ newItems: 1, leads: 0, leadsFailed: 0 });
    expect(server.hits("/down/b")).toBe(0);
    // Five minutes after the failure the host is asked again.
    t.advance(5 * MIN);
    article("/down/c");
    items.push(titleOnly("c", "/down/c", t.h.now - MIN, "Down c"));
    expect(await t.poller.poll()).toMatchObject({ newItems: 1, leads: 1 });
    await t.close();
  });

  it("refuses an article on another host that resolves to a private address, without a request", async () => {
    const t = harness([source("elsewhere")]);
    const items = feed("elsewhere", []);
    article("/elsewhere/private");
    await t.poller.poll();
    t.advance(5 * MIN);
    // The feed is on 127.0.0.1; "localhost" is another host, so it is fetched as public-only.
    items.push({
      ...titleOnly("p", "/elsewhere/private", t.h.now - MIN, "Private"),
      link: `http://localhost:${new URL(server.url).port}/elsewhere/private`,
    });
    expect(await t.poller.poll()).toMatchObject({ newItems: 1, leads: 0, leadsFailed: 1 });
    expect(server.hits("/elsewhere/private")).toBe(0);
    expect(t.h.logs.some((l) => l.msg === "leads: no lead" && l.why === "refused")).toBe(true);
    await t.close();
  });
});

describe("the lead cache", () => {
  it("keeps a lead a week and a failure an hour, by canonical URL", async () => {
    const k = keys(`leadcache${randomUUID().slice(0, 8)}:`);
    const store = createLeadStore(redis, k);
    await store.put("https://www.site.example/a?utm_source=rss#top", { lead: "Ferries were cancelled.", at: 1 });
    await store.put("https://site.example/broken", { failed: "http", at: 2 });
    // Scheme, "www.", tracking parameters and the fragment do not make another page.
    const got = await store.get(["http://site.example/a", "https://site.example/broken", "https://site.example/other"]);
    expect(Object.fromEntries(got)).toEqual({
      "http://site.example/a": { lead: "Ferries were cancelled.", at: 1 },
      "https://site.example/broken": { failed: "http", at: 2 },
    });
    const ttl = async (url: string) => redis.ttl(k.lead(leadKeyOf(url)));
    expect(await ttl("https://site.example/a")).toBeGreaterThan(7 * 24 * 3600 - 10);
    expect(await ttl("https://site.example/broken")).toBeLessThanOrEqual(3600);
    expect(await ttl("https://site.example/broken")).toBeGreaterThan(3590);
  });
});
