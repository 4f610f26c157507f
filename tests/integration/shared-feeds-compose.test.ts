import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FeedError } from "../../src/feeds/errors.js";
import { readFeed } from "../../src/feeds/read-feed.js";
import { composeNews } from "../../src/news/compose.js";
import { visibleText } from "../../src/news/html.js";
import { normalizeFeed } from "../../src/news/normalize.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";

/**
 * How the summaries of real-world feeds end on the cards a reader gets: the
 * whole fetch → decode → parse → normalize → compose path over every file in
 * ../shared/feeds. A card summary of 200 characters or more must end at a
 * sentence end or with an ellipsis — never in the middle of a sentence the
 * publisher cut ("…Weird! The"). Prints the count, so the figure can be
 * compared before and after a change (SUMMARY_ENDS_VERBOSE=1 lists them).
 */

const SHARED = resolve(import.meta.dirname, "../../../shared/feeds");
const present = existsSync(SHARED);
const NOW = Date.parse("2026-11-28T12:00:00Z");
const LONG = 200;

/**
 * The measure itself, deliberately simpler than the code it checks: a
 * sentence end (Latin, CJK, Arabic, Urdu, Devanagari, Armenian, Ethiopic), with
 * closing quotes or brackets after it, or an ellipsis.
 */
const ENDS_WELL = /(?:[.!?…。！？｡؟۔।॥։።]|\.\.\.)["'”’»›)\]}」』】〕）〉》]*$/u;

function feedFiles(): string[] {
  if (!present) return [];
  return (readdirSync(SHARED, { recursive: true }) as string[])
    .map((f) => join(SHARED, f))
    .filter((f) => statSync(f).isFile() && /\.(?:xml|atom)$/.test(f))
    .sort();
}

const TYPES: Record<string, string> = { ".xml": "application/xml", ".atom": "application/atom+xml" };

/** The summary as the card shows it: the block between the source · time line and "Read more". */
function cardSummary(visible: string): string {
  const blocks = visible.split("\n\n");
  const second = blocks[1] ?? "";
  return second.startsWith("Read more") || second === "Related" || second.startsWith("Also reported by") ? "" : second;
}

let server: FeedServer;
const summaries: { file: string; summary: string }[] = [];

describe.skipIf(!present)(`how card summaries end, on the feeds in ${SHARED}`, () => {
  beforeAll(async () => {
    server = await startFeedServer();
    for (const file of feedFiles()) {
      const bytes = readFileSync(file);
      const gzipped = bytes[0] === 0x1f && bytes[1] === 0x8b;
      server.set(`/${relative(SHARED, file)}`, {
        body: bytes,
        contentType: TYPES[extname(file)] ?? "application/octet-stream",
        headers: gzipped ? { "Content-Encoding": "gzip" } : {},
      });
    }
    for (const file of feedFiles()) {
      const rel = relative(SHARED, file);
      try {
        const r = await readFeed({ id: "shared", url: server.urlFor(`/${rel}`) }, { timeoutMs: 10_000, maxBytes: 10 * 1024 * 1024 });
        if (r.status !== "ok") continue;
        const { items } = normalizeFeed(r.feed, { id: "shared", name: "Shared", url: r.finalUrl }, NOW);
        for (const item of items) {
          const card = composeNews({ item, related: [] }, { timezone: "UTC", now: NOW });
          summaries.push({ file: rel, summary: cardSummary(visibleText(card.text)) });
        }
      } catch (err) {
        if (!(err instanceof FeedError)) throw err;
      }
    }
  });
  afterAll(() => server?.close());

  it(`no card summary of ${LONG}+ characters ends mid-sentence`, () => {
    const long = summaries.filter((s) => s.summary.length >= LONG);
    const bad = long.filter((s) => !ENDS_WELL.test(s.summary.trimEnd()));
    console.log(
      `summary ends: ${summaries.length} cards, ${long.length} with a summary of ${LONG}+ characters, ${bad.length} of them ending without a sentence end or ellipsis`,
    );
    if (process.env.SUMMARY_ENDS_VERBOSE) for (const b of bad) console.log(`${b.file}: …${b.summary.slice(-80)}`);
    expect(long.length).toBeGreaterThan(0);
    expect(bad.map((b) => `${b.file}: …${b.summary.slice(-60)}`)).toEqual([]);
  });
});

if (!present) {
  describe("how card summaries end, on the shared feeds", () => {
    it.skip(`skipped: ${SHARED} is absent (real-world feeds kept outside the repo)`, () => {});
  });
}
