import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FeedError } from "../../src/feeds/errors.js";
import { readFeed } from "../../src/feeds/read-feed.js";
import { htmlToLine } from "../../src/news/html-text.js";
import type { ParsedFeed, RawEntry } from "../../src/news/item.js";
import { identityOf, itemKey, uniqueIdentities } from "../../src/news/item-key.js";
import { identifyFeed, type NormalizeSource, normalizeFeed } from "../../src/news/normalize.js";
import { windows1251Feed } from "../fixtures/feeds/windows-1251.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";

/**
 * A poll keys a feed's entries without cleaning their text (identifyFeed),
 * and an item whose key changes is delivered again as new. So the cheap
 * keys must be, entry for entry and in order, the keys that normalizing
 * every entry in full gives — what the bot stored before the cheap path
 * existed. The reference below does it that way: each entry normalized on
 * its own, its identity from all its parts (title and summary included),
 * and every entry, not only those sharing an identity, told apart by its
 * display title.
 */

const NOW = Date.parse("2026-11-28T12:00:00Z");
const SHARED = resolve(import.meta.dirname, "../../../shared/feeds");
const FIXTURES = resolve(import.meta.dirname, "../fixtures/feeds");
const sharedPresent = existsSync(SHARED);

const str = (v: unknown) => (typeof v === "string" ? v : "");

function referenceKeys(feed: ParsedFeed, source: NormalizeSource): { keys: string[]; dropped: number } {
  const full: { identity: string; link: string; title: string }[] = [];
  let dropped = 0;
  for (const raw of feed.entries) {
    // A feed of one entry has nothing to tell apart: this is the entry normalized in full.
    const item = normalizeFeed({ entries: [raw] }, source, NOW).items[0];
    if (!item) {
      dropped++;
      continue;
    }
    const title = htmlToLine(str(raw.title));
    const identity = identityOf({ guid: str(raw.guid), id: str(raw.id), link: item.link, title, summary: item.summary });
    full.push({ identity, link: item.link, title: item.title });
  }
  return { keys: uniqueIdentities(full).map((e) => itemKey(source.id, e.identity)), dropped };
}

function expectSameKeys(feed: ParsedFeed, source: NormalizeSource, where: string) {
  const cheap = identifyFeed(feed, source);
  const reference = referenceKeys(feed, source);
  expect(
    cheap.entries.map((e) => e.key),
    where,
  ).toEqual(reference.keys);
  expect(cheap.dropped, where).toBe(reference.dropped);
  expect(
    normalizeFeed(feed, source, NOW).items.map((i) => i.key),
    where,
  ).toEqual(reference.keys);
}

const source = { id: "keys", name: "Keys", url: "https://example.com/feed.xml" };

describe("keys from identifyFeed equal full normalization's: awkward entries", () => {
  const long = "Storm ".repeat(60);
  it.each<[string, RawEntry[]]>([
    [
      "one guid for every entry, no titles: told apart by lead titles from the summaries",
      [
        { guid: "home", link: "https://example.com/live", summary: "<p>First update. More text.</p>" },
        { guid: "home", link: "https://example.com/live", summary: "<p>Second update. More text.</p>" },
        { guid: "home", link: "https://example.com/live?utm_source=rss", summary: "<p>First update. Other text.</p>" },
        { guid: "home", link: "https://example.com/other", content: "<div>Only content here.</div>" },
      ],
    ],
    [
      "titles that differ only past the 250-character cut are exact repeats",
      [
        { guid: "g", link: "https://example.com/1", title: `${long}one` },
        { guid: "g", link: "https://example.com/1", title: `${long}two` },
        { guid: "g", link: "https://example.com/2", title: "Other" },
      ],
    ],
    [
      "titles that differ only in markup and entities",
      [
        { guid: "g", link: "https://example.com/1", title: "<b>AT&amp;T</b> buys rival" },
        { guid: "g", link: "https://example.com/1", title: "AT&T buys  rival" },
        { guid: "g", link: "https://example.com/1", title: "AT&T sells rival" },
      ],
    ],
    [
      "no text at all: titles from the links",
      [
        { guid: "g", link: "https://example.com/news/a" },
        { guid: "g", link: "https://example.com/news/a#top" },
        { guid: "g", link: "https://example.com/news/b" },
      ],
    ],
    [
      "links, guids and Atom ids of every kind, dropped entries between them",
      [
        { link: "/relative", title: "R" },
        { link: "javascript:alert(1)", title: "Dropped" },
        { guid: "https://example.com/permalink", title: "Guid as link" },
        { id: "https://example.com/atom-id", title: "Id as link" },
        { id: "tag:example.com,2024:1", link: "https://example.com/t", title: "Tag id" },
        { guid: "  ", id: "  ", link: "https://example.com/t?utm_medium=x", title: "Blank guid" },
        { title: "No link" },
        { link: "/relative", title: "R" },
      ],
    ],
  ])("%s", (label, entries) => {
    expectSameKeys({ entries }, source, label);
  });
});

/* ------------------------------------------------------- real feed files */

const TYPES: Record<string, string> = {
  ".xml": "application/xml",
  ".rdf": "application/rdf+xml",
  ".atom": "application/atom+xml",
  ".json": "application/feed+json",
  ".html": "text/html",
};

function filesIn(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile() && !/(?:ATTRIBUTION|README)\.md$|LICENSE$|\.ts$/.test(f))
    .sort();
}

interface Served {
  name: string;
  path: string;
  bytes: Uint8Array;
}

function served(): Served[] {
  const out: Served[] = filesIn(FIXTURES).map((f) => ({
    name: `fixtures/${relative(FIXTURES, f)}`,
    path: `/fixtures/${relative(FIXTURES, f)}`,
    bytes: readFileSync(f),
  }));
  out.push({ name: "fixtures/windows-1251.ts (its feed)", path: "/fixtures/windows-1251.xml", bytes: windows1251Feed() });
  if (sharedPresent) {
    for (const f of filesIn(SHARED))
      out.push({ name: `shared/${relative(SHARED, f)}`, path: `/shared/${relative(SHARED, f)}`, bytes: readFileSync(f) });
  }
  return out;
}

describe("keys from identifyFeed equal full normalization's: every feed file", () => {
  let server: FeedServer;
  const feeds = new Map<string, { feed: ParsedFeed; url: string } | FeedError>();
  const files = served();

  beforeAll(async () => {
    server = await startFeedServer();
    for (const f of files) {
      const gzipped = f.bytes[0] === 0x1f && f.bytes[1] === 0x8b;
      // A .gz stored behind a .xml name: served the way a web server configured for it would.
      server.set(f.path, {
        body: f.bytes,
        contentType: TYPES[extname(f.path)] ?? "application/octet-stream",
        headers: gzipped ? { "Content-Encoding": "gzip" } : {},
      });
    }
    for (const f of files) {
      try {
        const r = await readFeed({ id: "keys", url: server.urlFor(f.path) }, { timeoutMs: 10_000, maxBytes: 10 * 1024 * 1024 });
        if (r.status !== "ok") throw new Error(`${f.name}: unexpected ${r.status}`);
        feeds.set(f.name, { feed: r.feed, url: r.finalUrl });
      } catch (err) {
        if (!(err instanceof FeedError)) throw err;
        feeds.set(f.name, err); // not a feed (an HTML page, a billion laughs): nothing to key
      }
    }
  });
  afterAll(() => server?.close());

  it.each(files.map((f) => f.name))("%s", (name) => {
    const r = feeds.get(name);
    expect(r, name).toBeDefined();
    if (r instanceof FeedError) return;
    expectSameKeys(r!.feed, { id: "keys", name: "Keys", url: r!.url }, name);
  });

  it("compared enough entries to mean something", () => {
    const read = [...feeds.values()].filter((r): r is { feed: ParsedFeed; url: string } => !(r instanceof FeedError));
    const entries = read.reduce((n, r) => n + r.feed.entries.length, 0);
    expect(read.length).toBeGreaterThanOrEqual(sharedPresent ? 40 : 6);
    expect(entries).toBeGreaterThanOrEqual(sharedPresent ? 400 : 15);
  });
});

if (!sharedPresent) {
  describe("stable keys on shared feeds", () => {
    it.skip(`skipped: no shared feed files at ${SHARED} (third-party test data kept outside the project, at ../shared/feeds); the fixtures were still checked`, () => {});
  });
}
