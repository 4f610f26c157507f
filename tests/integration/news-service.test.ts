import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Item } from "../../src/news/item.js";
import { createNewsService } from "../../src/news/service.js";
import { createStores, type Stores } from "../../src/store/index.js";
import { BOUNDS, keys } from "../../src/store/keys.js";
import type { ItemStore } from "../../src/store/types.js";
import { testRedis } from "../support/redis-client.js";

const { redis, prefix: base } = testRedis();
afterAll(() => redis.quit());

const HOUR = 3600_000;
const now = Date.parse("2026-11-28T12:00:00Z");
const clock = () => now;
let prefix = "";
let stores: Stores;
let n = 0;
beforeEach(() => {
  prefix = `${base}news${++n}:`;
  stores = createStores(redis, prefix, clock);
});

function item(
  sourceId: string,
  id: string,
  title: string,
  o: { summary?: string; link?: string; seenAgoMin?: number; publishedAgoMin?: number } = {},
): Item {
  const seenAt = now - (o.seenAgoMin ?? 0) * 60_000;
  return {
    key: `${sourceId}:${id}`,
    sourceId,
    sourceName: sourceId.toUpperCase(),
    title,
    link: o.link ?? `https://${sourceId}.example/${id}`,
    summary: o.summary ?? "",
    published: new Date(now - (o.publishedAgoMin ?? o.seenAgoMin ?? 0) * 60_000).toISOString(),
    seenAt,
  };
}

/** Other news of the day: the IDF background a real index has. */
const background = [
  "Central bank holds interest rates steady amid inflation worries",
  "Football: Arsenal beat Chelsea in London derby",
  "Wildfires force thousands to evacuate in California",
  "Tech giant unveils new smartphone with foldable screen",
  "Parliament passes budget after marathon session",
  "Scientists discover new species of frog in Amazon rainforest",
  "Oil prices climb as OPEC agrees output cuts",
  "Floods hit northern Italy after days of heavy rain",
  "Tennis star withdraws from Australian Open with injury",
  "Museum returns looted artefacts to Nigeria",
  "Airline cancels hundreds of flights over pilot strike",
  "Election results delayed in Kenya as counting continues",
  "New study links air pollution to dementia risk",
  "Rail workers announce fresh walkout over pay",
  "President signs climate bill into law",
  "Stock markets fall on recession fears",
].map((title, i) => item("wire", `bg${i}`, title, { seenAgoMin: 600 + i }));

const quake = item("bbc", "quake", "Earthquake of magnitude 6.2 strikes Istanbul, buildings damaged", {
  summary: "A strong earthquake shook Istanbul on Wednesday, damaging buildings and sending residents into the streets.",
  seenAgoMin: 60,
});
const quakeReworded = item("guardian", "quake", "Strong earthquake rattles Istanbul, damaging buildings", {
  summary: "A magnitude 6.2 earthquake shook Istanbul, sending people into the streets.",
  seenAgoMin: 30,
});
const marathon = item("npr", "marathon", "Istanbul marathon draws record number of runners", {
  summary: "Thousands ran across the Bosphorus bridge in Istanbul on Sunday.",
  seenAgoMin: 45,
});

/** Stores a poll of one source as the poller does (a source's first poll is backlog: stored all the same). */
async function poll(s: Stores, items: Item[]) {
  for (const sourceId of new Set(items.map((i) => i.sourceId))) {
    await s.items.ingest(
      sourceId,
      items.filter((i) => i.sourceId === sourceId),
    );
  }
}

const keysOf = (items: Item[]) => items.map((i) => i.key);

describe("news service across processes", () => {
  it("finds another process's news as related after sync(), not before", async () => {
    await poll(stores, [...background, quake]);
    const a = createNewsService({ items: stores.items, sources: () => [], clock });
    const b = createNewsService({ items: stores.items, sources: () => [], clock });
    await a.load();
    await b.load();

    // Process A polls the Guardian and feeds its own index directly.
    await poll(stores, [quakeReworded]);
    a.add([quakeReworded]);
    expect(keysOf(await a.relatedFor(quake))).toEqual([quakeReworded.key]);

    expect(keysOf(await b.relatedFor(quake))).toEqual([]);
    expect(await b.sync()).toBe(1);
    expect(keysOf(await b.relatedFor(quake))).toEqual([quakeReworded.key]);
    // A already had it from its own poll.
    expect(await a.sync()).toBe(0);
  });

  it("adds nothing twice when news is stored between load's two reads", async () => {
    await poll(stores, background);
    // Process A's poll lands after C took the cursor but before it read the recent items.
    const racing: ItemStore = {
      ...stores.items,
      recent: async (since, limit) => {
        await poll(stores, [quake]);
        return stores.items.recent(since, limit);
      },
    };
    const c = createNewsService({ items: racing, sources: () => [], clock });
    expect(await c.load()).toBe(background.length + 1);
    expect(await c.sync()).toBe(0);
    await poll(stores, [quakeReworded]);
    expect(await c.sync()).toBe(1);
    expect(await c.sync()).toBe(0);
  });

  it("keeps to the 72-hour window when catching up", async () => {
    const s = createNewsService({ items: stores.items, sources: () => [], clock });
    await s.load();
    const old = item("bbc", "old", "Earthquake strikes Istanbul, buildings damaged", { publishedAgoMin: 73 * 60 });
    await poll(stores, [old, quakeReworded]);
    expect(await s.sync()).toBe(1);
    expect(keysOf(await s.relatedFor(quake))).toEqual([quakeReworded.key]);
  });

  it("shares one catch-up between concurrent callers, and one more for callers that came during it", async () => {
    await poll(stores, background);
    const reads = vi.fn(stores.items.ingestedSince);
    const s = createNewsService({ items: { ...stores.items, ingestedSince: reads }, sources: () => [], clock });
    const [x, y, z] = await Promise.all([s.sync(), s.sync(), s.sync()]);
    expect(x).toBe(background.length);
    expect([y, z]).toEqual([0, 0]);
    // first run: one page with news, one confirming the end; follow-up: one empty read
    expect(reads).toHaveBeenCalledTimes(3);
  });
});

describe("ingest log", () => {
  it("logs every newly stored item once, backlog included, and skips bodies that expired", async () => {
    expect(await stores.items.ingestCursor()).toBe("0-0");
    await poll(stores, [quake]); // the source's first poll: backlog
    await poll(stores, [quake, { ...quake, key: "bbc:later", title: "Later" }]);
    const first = await stores.items.ingestedSince("0", 10);
    expect(keysOf(first.items)).toEqual(["bbc:quake", "bbc:later"]);
    expect(first.cursor).toBe(await stores.items.ingestCursor());

    await poll(stores, [marathon, quakeReworded]);
    await redis.del(keys(prefix).item(marathon.key));
    const next = await stores.items.ingestedSince(first.cursor, 10);
    expect(keysOf(next.items)).toEqual([quakeReworded.key]);
    expect(await stores.items.ingestedSince(next.cursor, 10)).toEqual({ cursor: next.cursor, items: [] });
  });

  it("stays bounded, and a cursor from before the trimmed start continues from what is left", async () => {
    const cursor = await stores.items.ingestCursor();
    const total = BOUNDS.ingestedCap + 1500;
    for (let from = 0; from < total; from += 2500) {
      const batch = Array.from({ length: Math.min(2500, total - from) }, (_, i) => item("wire", `n${from + i}`, `Story ${from + i}`));
      await stores.items.ingest("wire", batch);
    }
    const len = await redis.xlen(keys(prefix).ingested());
    expect(len).toBeGreaterThanOrEqual(BOUNDS.ingestedCap);
    expect(len).toBeLessThanOrEqual(BOUNDS.ingestedCap + 100); // MAXLEN ~ trims whole nodes of 100
    expect(await redis.zcard(keys(prefix).recent())).toBe(BOUNDS.recentCap);

    const page = await stores.items.ingestedSince(cursor, 5);
    expect(page.items).toHaveLength(5);
    expect(Number(page.items[0]!.key.slice("wire:n".length))).toBe(total - len);

    // a fresh service takes the 20,000 newest and is caught up
    const s = createNewsService({ items: stores.items, sources: () => [], clock });
    expect(await s.load()).toBe(BOUNDS.recentCap);
    expect(await s.sync()).toBe(0);

    const own = await redis.keys(`${prefix}*`);
    for (let i = 0; i < own.length; i += 1000) await redis.unlink(...own.slice(i, i + 1000));
  }, 60_000);
});

describe("sameStoryEarlier", () => {
  const sameUrl = item("aggregator", "q1", "Turkey: tremor felt across the Bosphorus city", { link: quake.link, seenAgoMin: 50 });
  const sameTitle = item("apnews", "q2", quake.title, { seenAgoMin: 40 });
  const twoDaysEarlier = item("bbc", "old-quake", "Earthquake of magnitude 5.1 strikes Istanbul, buildings damaged", {
    summary: "An earthquake shook Istanbul, damaging buildings.",
    seenAgoMin: 48 * 60,
  });

  async function service() {
    await poll(stores, [...background, twoDaysEarlier, quake, sameUrl, sameTitle, quakeReworded, marathon]);
    const s = createNewsService({ items: stores.items, sources: () => [], clock });
    await s.load();
    return s;
  }

  it("finds earlier reports: a copy at the same URL, the same headline from another outlet, the story reworded", async () => {
    const s = await service();
    // same URL under another headline: no shared words, still the same story
    expect(keysOf(s.sameStoryEarlier(sameUrl, 6 * HOUR))).toEqual([quake.key]);
    // related() never shows a copy of the query's own headline; same-story must see it
    expect(keysOf(s.sameStoryEarlier(sameTitle, 6 * HOUR))).toEqual([quake.key]);
    expect(keysOf(s.sameStoryEarlier(quakeReworded, 6 * HOUR))).toEqual([quake.key, sameTitle.key]);
  });

  it("leaves out other stories, reports outside the window and reports seen later", async () => {
    const s = await service();
    expect(keysOf(s.sameStoryEarlier(marathon, 72 * HOUR))).toEqual([]);
    expect(keysOf(s.sameStoryEarlier(quake, 72 * HOUR))).toEqual([]); // the others came later; the 2-day-old one is another quake
    expect(keysOf(s.sameStoryEarlier(quakeReworded, 20 * 60_000))).toEqual([sameTitle.key]);
  });

  it("makes exactly one of two reports seen in the same millisecond the earlier", async () => {
    const s = await service();
    const x = { ...quakeReworded, key: "x:1", seenAt: now };
    const y = { ...quakeReworded, key: "y:1", link: "https://y.example/1", seenAt: now };
    s.add([x, y]);
    expect(s.sameStoryEarlier(x, HOUR).map((i) => i.key)).not.toContain("y:1");
    expect(s.sameStoryEarlier(y, HOUR).map((i) => i.key)).toContain("x:1");
  });
});

describe("latest", () => {
  it("shows each story once: a later report of it from another outlet is folded in, an unrelated story stays apart", async () => {
    await poll(stores, [...background, quake, marathon, quakeReworded]);
    const s = createNewsService({ items: stores.items, sources: () => [], clock });
    await s.load();
    const entries = await s.latest(3);
    expect(entries.map((e) => [e.item.key, keysOf(e.also ?? [])])).toEqual([
      [quake.key, [quakeReworded.key]], // ordered by its newest report (30 min ago)
      [marathon.key, []],
      [background[0]!.key, []],
    ]);
    expect(keysOf(entries[0]!.related)).not.toContain(quakeReworded.key);
  });

  it("still answers from the index it has when catching up fails, and says so", async () => {
    await poll(stores, [...background, quake]);
    const failing: ItemStore = { ...stores.items, ingestedSince: () => Promise.reject(new Error("connect ECONNREFUSED")) };
    const warn = vi.fn();
    const s = createNewsService({ items: failing, sources: () => [], clock, logger: { warn } });
    await s.load();
    await expect(s.sync()).rejects.toThrow("ECONNREFUSED");

    await poll(stores, [quakeReworded]);
    const entries = await s.latest(2);
    // the items /latest reads are indexed on the way, so the story is still folded
    expect(entries.map((e) => [e.item.key, keysOf(e.also ?? [])])).toEqual([
      [quake.key, [quakeReworded.key]],
      [background[0]!.key, []],
    ]);
    expect(warn).toHaveBeenCalledWith({ err: "connect ECONNREFUSED" }, expect.stringContaining("/latest"));
  });
});
