import { afterAll, describe, expect, it } from "vitest";
import type { Source } from "../../src/config.js";
import { silentLogger } from "../../src/log.js";
import { feedUrlKey } from "../../src/news/url.js";
import { buildOpml, parseOpml, sourcesFromOutlines } from "../../src/sources/opml.js";
import { createSourceRegistry, type RegisteredSource } from "../../src/sources/registry.js";
import { createStores } from "../../src/store/index.js";
import { BOUNDS, keys } from "../../src/store/keys.js";
import { testRedis } from "../support/redis-client.js";

const { redis } = testRedis();
afterAll(() => redis.quit());

const fileSources: Source[] = [
  {
    id: "bbc-world",
    name: "BBC World",
    url: "https://feeds.bbci.co.uk/news/world/rss.xml",
    lang: "en",
    description: "World news",
    enabled: true,
  },
  { id: "apa", name: "APA", url: "https://apa.az/rss", enabled: true },
  { id: "old", name: "Old", url: "https://old.example/rss", enabled: false },
];
const meta = { by: 42, at: Date.parse("2026-11-28T12:00:00Z") };
const newsSite: Source = { id: "site-news", name: "Site News", url: "https://site.example/feed", enabled: true };

let n = 0;
function setup(opts: { files?: Source[]; allowPrivate?: boolean; prefix?: string } = {}) {
  const prefix = opts.prefix ?? `reg${++n}-${Date.now()}:`;
  const removed: string[] = [];
  const registry = createSourceRegistry({
    redis,
    keys: keys(prefix),
    fileSources: opts.files ?? fileSources,
    allowPrivate: opts.allowPrivate ?? false,
    logger: silentLogger,
    items: createStores(redis, prefix).items,
    onRemoved: async (id) => void removed.push(id),
  });
  return { registry, prefix, k: keys(prefix), removed };
}

const plain = (s: RegisteredSource): Source => {
  const { origin: _o, addedBy: _b, addedAt: _a, ...rest } = s;
  return rest;
};

describe("source registry", () => {
  it("starts with the file's sources, marked as such", async () => {
    const { registry } = setup();
    expect(registry.cached().map((s) => [s.id, s.origin, s.enabled])).toEqual([
      ["bbc-world", "file", true],
      ["apa", "file", true],
      ["old", "file", false],
    ]);
    expect((await registry.list()).map(plain)).toEqual(fileSources);
  });

  it("adds a proposed source once, however often Add is pressed, even at the same moment", async () => {
    const { registry } = setup();
    const token = await registry.propose(newsSite, meta);
    const results = await Promise.all([registry.confirm(token), registry.confirm(token), registry.confirm(token)]);
    expect(results.filter((r) => r.status === "added")).toHaveLength(1);
    expect(results.filter((r) => r.status !== "added").every((r) => r.status === "gone" || r.status === "duplicate")).toBe(true);
    expect(await registry.confirm(token)).toEqual({ status: "gone" });
    const list = await registry.list();
    expect(list.filter((s) => s.id.startsWith("site-news"))).toEqual([{ ...newsSite, origin: "chat", addedBy: 42, addedAt: meta.at }]);
    // the snapshot the poller reads is already up to date
    expect(registry.cached().map((s) => s.id)).toContain("site-news");
  });

  it("Cancel drops the proposal: Add afterwards finds nothing", async () => {
    const { registry } = setup();
    const token = await registry.propose(newsSite, meta);
    expect(await registry.cancel(token)).toBe(true);
    expect(await registry.cancel(token)).toBe(false);
    expect(await registry.confirm(token)).toEqual({ status: "gone" });
    expect((await registry.list()).map((s) => s.id)).not.toContain("site-news");
  });

  it("gives a free id when the wanted one is taken, by the file or by another process", async () => {
    const a = setup();
    const b = setup({ prefix: a.prefix });
    const t1 = await a.registry.propose({ ...newsSite, id: "apa", url: "https://one.example/rss" }, meta);
    expect(await a.registry.confirm(t1)).toMatchObject({ status: "added", source: { id: "apa-2" } });
    // b has not refreshed since: its idea of the taken ids is stale, Redis decides.
    const t2 = await b.registry.propose({ ...newsSite, id: "apa", url: "https://two.example/rss" }, meta);
    expect(await b.registry.confirm(t2)).toMatchObject({ status: "added", source: { id: "apa-3" } });
  });

  it("refuses a feed URL that is already a source", async () => {
    const { registry } = setup();
    const token = await registry.propose({ ...newsSite, url: "HTTPS://APA.az:443/rss#x" }, meta);
    const r = await registry.confirm(token);
    expect(r).toMatchObject({ status: "duplicate", existing: { id: "apa", origin: "file" } });
    expect(registry.findByUrl("https://apa.az/rss")?.id).toBe("apa");
  });

  it("stops at the cap of chat-added sources", async () => {
    const { registry, k } = setup();
    const fill: Record<string, string> = {};
    for (let i = 0; i < BOUNDS.addedSourcesCap; i++) {
      fill[`f-${i}`] = JSON.stringify({
        source: { id: `f-${i}`, name: `F${i}`, url: `https://f.example/${i}`, enabled: true },
        addedBy: 1,
        addedAt: i,
      });
    }
    await redis.hset(k.addedSources(), fill);
    const token = await registry.propose(newsSite, meta);
    expect(await registry.confirm(token)).toEqual({ status: "full" });
    expect(await registry.addMany([{ ...newsSite, id: "x", url: "https://x.example/" }], meta)).toMatchObject({
      added: [],
      full: [{ id: "x" }],
    });
    expect(await redis.hlen(k.addedSources())).toBe(BOUNDS.addedSourcesCap);
  });

  it("deletes a chat source with what the bot remembers of it, so a re-added feed starts as backlog", async () => {
    const { registry, k, removed } = setup();
    await registry.confirm(await registry.propose(newsSite, meta));
    await redis.zadd(k.seen("site-news"), 1, "site-news:a");
    await redis.hset(k.httpCache("site-news"), "etag", '"x"');
    await redis.sadd(k.polledSources(), "site-news", "apa");
    expect(await registry.remove("site-news")).toMatchObject({ status: "removed", source: { id: "site-news" } });
    expect(await redis.exists(k.seen("site-news"), k.httpCache("site-news"))).toBe(0);
    expect(await redis.smembers(k.polledSources())).toEqual(["apa"]);
    expect(removed).toEqual(["site-news"]);
    expect(registry.cached().map((s) => s.id)).not.toContain("site-news");
    expect(await registry.remove("site-news")).toEqual({ status: "not-found" });
  });

  it("switches a file source off instead of deleting it, and back on", async () => {
    const { registry, k } = setup();
    expect(await registry.remove("apa")).toMatchObject({ status: "disabled", source: { id: "apa", enabled: false } });
    expect(registry.cached().find((s) => s.id === "apa")?.enabled).toBe(false);
    expect(await registry.remove("apa")).toMatchObject({ status: "already-disabled" });
    expect(await registry.enable("apa")).toMatchObject({ status: "enabled" });
    expect(registry.cached().find((s) => s.id === "apa")?.enabled).toBe(true);
    expect(await registry.enable("apa")).toMatchObject({ status: "already-enabled" });
    // the file's own enabled:false can be overridden from the chat too
    expect(await registry.enable("old")).toMatchObject({ status: "enabled" });
    // a switch for a source no longer in the file is dropped
    await redis.hset(k.sourceOverrides(), "gone-from-file", "0");
    await registry.refresh();
    expect(await redis.hkeys(k.sourceOverrides())).not.toContain("gone-from-file");
  });

  it("sets a chat source's fulltext (auto stored as no field), never a file source's, never bringing back a deleted one", async () => {
    const { registry, prefix, k } = setup();
    await registry.confirm(await registry.propose(newsSite, meta));
    expect(await registry.setFulltext("site-news", "always")).toMatchObject({
      status: "changed",
      was: "auto",
      source: { fulltext: "always" },
    });
    expect(await registry.setFulltext("site-news", "always")).toMatchObject({ status: "unchanged" });
    // Read back by another process, the rest of the record as it was.
    const other = setup({ prefix }).registry;
    expect((await other.get("site-news"))!).toMatchObject({
      ...newsSite,
      fulltext: "always",
      origin: "chat",
      addedBy: 42,
      addedAt: meta.at,
    });
    expect(await registry.setFulltext("site-news", "auto")).toMatchObject({ status: "changed", was: "always" });
    expect(Object.keys(JSON.parse((await redis.hget(k.addedSources(), "site-news"))!).source)).not.toContain("fulltext");

    expect(await registry.setFulltext("apa", "never")).toMatchObject({ status: "file" });
    expect(registry.cached().find((s) => s.id === "apa")?.fulltext).toBeUndefined();
    expect(await registry.setFulltext("nope", "never")).toEqual({ status: "not-found" });

    // Deleted by another process between this one's read and its write: stays deleted.
    const racing = createSourceRegistry({
      redis: new Proxy(redis, {
        get(target, prop, receiver) {
          if (prop !== "evalsha") return Reflect.get(target, prop, receiver);
          return async (...args: Parameters<typeof target.evalsha>) => {
            await target.hdel(k.addedSources(), "site-news");
            return target.evalsha(...args);
          };
        },
      }),
      keys: k,
      fileSources,
      allowPrivate: false,
      logger: silentLogger,
      items: createStores(redis, prefix).items,
    });
    expect(await racing.setFulltext("site-news", "never")).toEqual({ status: "not-found" });
    expect(await redis.hexists(k.addedSources(), "site-news")).toBe(0);
  });

  it("skips records in Redis that are not valid sources instead of failing", async () => {
    const { registry, k } = setup();
    await redis.hset(k.addedSources(), {
      broken: "{not json",
      "bad-url": JSON.stringify({ source: { id: "bad-url", name: "X", url: "ftp://x", enabled: true } }),
      mismatch: JSON.stringify({ source: { id: "other", name: "X", url: "https://x.example/", enabled: true } }),
      "bbc-world": JSON.stringify({ source: { id: "bbc-world", name: "Shadow", url: "https://evil.example/", enabled: true } }),
      good: JSON.stringify({ source: { id: "good", name: "Good", url: "https://good.example/", enabled: true }, addedBy: 1, addedAt: 5 }),
    });
    const ids = (await registry.list()).map((s) => s.id);
    expect(ids).toEqual(["bbc-world", "apa", "old", "good"]);
    expect(registry.cached().find((s) => s.id === "bbc-world")?.name).toBe("BBC World");
  });

  it("guards chat sources only, and none when private addresses are allowed", async () => {
    const guarded = setup();
    await guarded.registry.confirm(await guarded.registry.propose(newsSite, meta));
    expect(guarded.registry.guardFor("site-news")).toBe("public-only");
    expect(guarded.registry.guardFor("bbc-world")).toBeUndefined();
    const open = setup({ prefix: guarded.prefix, allowPrivate: true });
    await open.registry.refresh();
    expect(open.registry.guardFor("site-news")).toBeUndefined();
  });

  it("OPML round trip: exporting one registry and importing into an empty one gives the same sources", async () => {
    const a = setup();
    await a.registry.confirm(await a.registry.propose(newsSite, meta));
    await a.registry.addMany(
      [
        {
          id: "jam",
          name: "JAMnews & <co>",
          url: "https://jam-news.net/feed/?lang=en&x=1",
          lang: "ru",
          description: "South Caucasus",
          enabled: true,
          fulltext: "never",
        },
      ],
      meta,
    );
    await a.registry.setFulltext("site-news", "always");
    await a.registry.remove("apa"); // exported switched off
    const exported = await a.registry.list();

    const b = setup({ files: [] });
    const parsed = parseOpml(buildOpml(exported, { title: "t", now: meta.at }));
    if (!parsed.ok) throw new Error(parsed.reason);
    const outlines = sourcesFromOutlines(
      parsed.outlines,
      b.registry.takenIds(),
      new Set(b.registry.cached().map((s) => feedUrlKey(s.url))),
    );
    expect(outlines.skipped).toEqual([]);
    const done = await b.registry.addMany(outlines.sources, meta);
    expect(done.full).toEqual([]);
    expect((await b.registry.list()).map(plain)).toEqual(exported.map(plain));
  });
});
