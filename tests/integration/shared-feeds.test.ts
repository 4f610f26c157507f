import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FeedError } from "../../src/feeds/errors.js";
import { readFeed } from "../../src/feeds/read-feed.js";
import type { Item, ParsedFeed } from "../../src/news/item.js";
import { normalizeFeed } from "../../src/news/normalize.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";

/**
 * Real-world feed files other readers test with (see ATTRIBUTION.md in each
 * folder), served as-is through the local feed server so the whole
 * fetch → decode → parse → normalize path runs on them. Each must give
 * clean items or one clear refusal — never a crash.
 */

const SHARED = resolve(import.meta.dirname, "../../../shared/feeds");
const present = existsSync(SHARED);
const NOW = Date.parse("2026-11-28T12:00:00Z");

function feedFiles(): string[] {
  if (!present) return [];
  return (readdirSync(SHARED, { recursive: true }) as string[])
    .map((f) => join(SHARED, f))
    .filter((f) => statSync(f).isFile() && !/(?:ATTRIBUTION|README)\.md$|LICENSE$/.test(f))
    .sort();
}

const TYPES: Record<string, string> = { ".xml": "application/xml", ".atom": "application/atom+xml", ".html": "text/html" };
// Markup left over, by HTML element name: text such as "<nick> hi" (an escaped IRC log) is fine.
const TAG =
  /<\/?(?:a|abbr|b|br|blockquote|div|em|figure|font|h[1-6]|i|iframe|img|li|ol|p|script|span|strong|style|svg|table|td|tr|ul|video)(?:\s[^>]*)?\/?>/i;
const ENTITY = /&(?:[a-z][a-z0-9]*|#[0-9]+|#x[0-9a-f]+);/i;

let server: FeedServer;
const outcome = new Map<string, { feed: ParsedFeed; items: Item[] } | FeedError>();

async function read(file: string) {
  const rel = relative(SHARED, file);
  const r = await readFeed({ id: "shared", url: server.urlFor(`/${rel}`) }, { timeoutMs: 10_000, maxBytes: 10 * 1024 * 1024 });
  if (r.status !== "ok") throw new Error(`${rel}: unexpected ${r.status}`);
  const { items } = normalizeFeed(r.feed, { id: "shared", name: "Shared", url: r.finalUrl }, NOW);
  return { feed: r.feed, items };
}

describe.skipIf(!present)(`shared feeds in ${SHARED}`, () => {
  beforeAll(async () => {
    server = await startFeedServer();
    for (const file of feedFiles()) {
      const bytes = readFileSync(file);
      const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
      // A .gz stored behind a .xml name: serve it the way a web server configured for it would.
      server.set(`/${relative(SHARED, file)}`, {
        body: bytes,
        contentType: TYPES[extname(file)] ?? "application/octet-stream",
        headers: gzipped ? { "Content-Encoding": "gzip" } : {},
      });
    }
    for (const file of feedFiles()) {
      try {
        outcome.set(relative(SHARED, file), await read(file));
      } catch (err) {
        if (!(err instanceof FeedError)) throw err;
        outcome.set(relative(SHARED, file), err);
      }
    }
  });
  afterAll(() => server?.close());

  it.each(feedFiles().map((f) => relative(SHARED, f)))("%s: clean items or one clear line", (rel) => {
    const r = outcome.get(rel);
    expect(r).toBeDefined();
    if (r instanceof FeedError) {
      expect(r.message).toMatch(/^source shared: \S/);
      expect(r.message).not.toMatch(/[\r\n]|\bat .+:\d+:\d+/);
      return;
    }
    const keys = new Set<string>();
    for (const item of r!.items) {
      const where = `${rel} ${item.link}`;
      expect(item.link, where).toMatch(/^https?:\/\/[^\s]+$/);
      expect(() => new URL(item.link), where).not.toThrow();
      expect(item.title.trim(), where).not.toBe("");
      expect(item.title, where).not.toMatch(TAG);
      expect(item.title, where).not.toMatch(ENTITY);
      expect(item.summary, where).not.toMatch(TAG);
      expect(item.summary, where).not.toMatch(ENTITY);
      expect(item.summary.length, where).toBeLessThanOrEqual(300);
      if (item.published !== null) expect(new Date(item.published).toISOString(), where).toBe(item.published);
      expect(keys.has(item.key), `${where}: duplicate key ${item.key}`).toBe(false);
      keys.add(item.key);
    }
  });

  it("refuses the HTML pages as HTML pages", () => {
    const html = [...outcome.keys()].filter((k) => k.endsWith(".html"));
    expect(html.length).toBeGreaterThan(0);
    for (const k of html) expect((outcome.get(k) as FeedError).reason, k).toBe("not a feed (HTML page)");
  });

  it("reads every .xml and .atom file as a feed", () => {
    for (const [k, r] of outcome) {
      if (k.endsWith(".html")) continue;
      expect(r instanceof FeedError ? r.message : "ok", k).toBe("ok");
    }
  });

  it.each([
    ["node-feedparser/iconv.xml", /^Новости Оренбурга/],
    ["node-feedparser/compressed.xml", /^Новости Оренбурга/],
    ["miniflux/encoding-testdata/koi8r.xml", /^Пример RSS ленты$/],
    ["miniflux/parser-testdata/encoding_WINDOWS-1251.xml", /^iBash\.Org\.Ru$/],
    ["miniflux/encoding-testdata/windows-1252.xml", /^Euro €$/],
    ["miniflux/encoding-testdata/windows-1252-incorrect-prolog.xml", /^Euro €$/],
    ["miniflux/encoding-testdata/utf8-incorrect-prolog.xml", /^테스트 피드$/],
    ["miniflux/encoding-testdata/iso-8859-1.xml", /^Café$/],
  ])("decodes %s", (rel, title) => {
    const r = outcome.get(rel);
    if (r === undefined || r instanceof FeedError) throw new Error(`${rel}: ${r?.message ?? "missing"}`);
    expect(r.feed.title).toMatch(title);
  });

  it("keeps Cyrillic, Urdu and German item titles intact", () => {
    const titles = (rel: string) => {
      const r = outcome.get(rel);
      return r && !(r instanceof FeedError) ? r.items.map((i) => i.title) : [];
    };
    expect(titles("miniflux/parser-testdata/encoding_WINDOWS-1251.xml")[0]).toMatch(/^Цитата #\d+$/);
    expect(titles("miniflux/encoding-testdata/koi8r.xml")).toEqual(["Первая новость", "Вторая новость"]);
    expect(titles("miniflux/parser-testdata/urdu_UTF8.xml").join(" ")).toMatch(/[\u0600-\u06FF]/);
    expect(titles("miniflux/parser-testdata/rdf_UTF8.xml")[0]).toContain("Vorsichtsmaßnahmen");
  });

  it("salvages the items around the bare & in saxerror.xml", () => {
    const r = outcome.get("node-feedparser/saxerror.xml");
    if (r === undefined || r instanceof FeedError) throw new Error(`saxerror.xml: ${r?.message ?? "missing"}`);
    expect(r.items.map((i) => i.link)).toContain("http://example.com/bad?foo=1&bar=2");
    expect(r.items.map((i) => i.title)).toContain("Item After Error");
  });
});

if (!present) {
  describe("shared feeds", () => {
    it.skip(`skipped: no shared feed files at ${SHARED} (third-party test data kept outside the project, at ../shared/feeds)`, () => {});
  });
}
