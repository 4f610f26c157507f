import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Source } from "../../src/config.js";
import { silentLogger } from "../../src/log.js";
import type { Item } from "../../src/news/item.js";
import { summarize } from "../../src/news/summarize.js";
import { createPoller } from "../../src/poll/poller.js";
import { createStores } from "../../src/store/index.js";
import { keys } from "../../src/store/keys.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { testRedis } from "../support/redis-client.js";
import { type RssItem, rss } from "../support/rss.js";

/**
 * A feed that changed costs a poll the cleaning of its new entries only:
 * the ones already seen are recognised by key, kept from ageing out of
 * "seen", and neither cleaned again nor handed to onStored again.
 * summarize() — the costly part of cleaning — is spied on, passing through.
 */

vi.mock("../../src/news/summarize.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/news/summarize.js")>();
  return { ...real, summarize: vi.fn(real.summarize) };
});

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

/** The HTML texts summarized since the last call. */
function summarizedSinceLast(): string[] {
  const texts = vi
    .mocked(summarize)
    .mock.calls.map(([html]) => html)
    .filter(Boolean);
  vi.mocked(summarize).mockClear();
  return texts;
}

function harness(path: string) {
  const prefix = `pchg${randomUUID().slice(0, 8)}:`;
  const h = { now: Date.parse("2026-11-27T10:00:00Z"), stored: [] as Item[][], news: [] as Item[][] };
  const stores = createStores(redis, prefix, () => h.now);
  const src: Source = { id: "changed", name: "Changed", url: server.urlFor(path), enabled: true };
  const poller = createPoller({
    sources: () => [src],
    items: stores.items,
    health: stores.health,
    logger: silentLogger,
    fetch: { timeoutMs: 3_000, maxBytes: 1024 * 1024 },
    concurrency: 1,
    maxFailures: 20,
    politeness: { perHost: 1, spacingMs: 0, jitterMs: 0 },
    onStored: (items) => void h.stored.push(items),
    onNews: async (fresh) => void h.news.push(fresh),
    clock: () => h.now,
  });
  return { h, prefix, stores, poller };
}

const story = (id: string, at: number, description = `<p>What happened in story ${id}.</p>`): RssItem => ({
  guid: id,
  title: `Story ${id}`,
  link: `https://news.example/${id}`,
  description,
  pubDate: new Date(at),
});

describe("a changed feed", () => {
  it("normalizes and hands over only its new entries, and keeps the known ones seen", async () => {
    const t = harness("/changed/feed");
    const feed = Array.from({ length: 12 }, (_, i) => story(`s${i}`, t.h.now - (i + 1) * 60 * MIN));
    server.set("/changed/feed", () => ({ body: rss("changed", feed) }));
    summarizedSinceLast();

    // First poll: the backlog, every entry cleaned and stored.
    expect(await t.poller.poll()).toMatchObject({ ok: 1, backlog: 12 });
    expect(summarizedSinceLast()).toHaveLength(12);
    expect(t.h.stored.flat()).toHaveLength(12);
    const [before] = await t.stores.items.latest(1);
    expect(before?.summary).toBe("What happened in story s0.");

    // The publisher edits a known entry and adds one.
    t.h.now += 5 * MIN;
    feed[0] = { ...feed[0]!, description: "<p>Edited text of story s0.</p>" };
    feed.unshift(story("fresh", t.h.now - MIN));
    t.h.stored.length = 0;
    expect(await t.poller.poll()).toMatchObject({ ok: 1, newItems: 1, backlog: 0, guidChanges: 0 });

    expect(summarizedSinceLast()).toEqual(["<p>What happened in story fresh.</p>"]);
    expect(t.h.stored.flat().map((i) => i.title)).toEqual(["Story fresh"]);
    expect(t.h.news.flat().map((i) => i.title)).toEqual(["Story fresh"]);
    // The known entry's item stays as first stored.
    expect((await t.stores.items.getItems([before!.key]))[0]).toEqual(before);
    // ...and every known key was seen again now, so none ages out while its feed lists it.
    const seen = await redis.zrange(keys(t.prefix).seen("changed"), "0", "-1", "WITHSCORES");
    const scores = new Set(seen.filter((_, i) => i % 2 === 1));
    expect(seen).toHaveLength(2 * 13);
    expect([...scores]).toEqual([String(t.h.now)]);
  });
});
