import { describe, expect, it } from "vitest";
import { capXmlEntries, FEED_ENTRY_CAP, newestIndexes } from "../../src/feeds/entry-cap.js";
import { readFeedText } from "../../src/feeds/parse.js";
import { parseFetched } from "../../src/feeds/read-feed.js";
import { normalizeFeed } from "../../src/news/normalize.js";

/**
 * A feed lists far more entries than can be news: only the newest are read,
 * in the feed's own order, and the others are counted. What a reader gets is
 * the items normalized from what was read.
 */

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const minutesAgo = (m: number) => new Date(NOW - m * 60_000);
const source = { id: "big", name: "Big", url: "https://big.example/feed", lang: "en" };

async function titlesOf(text: string, maxEntries?: number) {
  const read = await readFeedText(text, "big", { now: NOW, ...(maxEntries ? { maxEntries } : {}) });
  const { items } = normalizeFeed(read.feed, source, NOW);
  return { feedTitle: read.feed.title, titles: items.map((i) => i.title), overCap: read.entriesOverCap };
}

/** Story k published k minutes after the oldest (story 0), or undated when `date` says so. */
function rssItem(k: number, total: number, date = true): string {
  const pub = date ? `<pubDate>${minutesAgo(total - k).toUTCString()}</pubDate>` : "";
  return `<item><title>Story ${k}</title><link>https://big.example/${k}</link><guid>s${k}</guid>${pub}<description><![CDATA[<p>Body of ${k}</p>]]></description></item>`;
}

function rss(order: number[], total: number, date: (k: number) => boolean = () => true): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Big Feed</title><link>https://big.example/</link>
${order.map((k) => rssItem(k, total, date(k))).join("\n")}
</channel></rss>`;
}

function atom(order: number[], total: number): string {
  const entries = order.map(
    (k) =>
      `<entry><id>urn:big:${k}</id><title type="text">Story ${k}</title><link rel="alternate" href="https://big.example/${k}"/>` +
      `<updated>${minutesAgo(total - k).toISOString()}</updated><summary>Body of ${k}</summary></entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Big Atom</title><id>urn:big</id><updated>${new Date(NOW).toISOString()}</updated>
<link rel="alternate" href="https://big.example/"/>
${entries.join("\n")}
</feed>`;
}

const range = (from: number, to: number) => Array.from({ length: Math.abs(to - from) + 1 }, (_, i) => (from <= to ? from + i : from - i));
const stories = (ks: number[]) => ks.map((k) => `Story ${k}`);

describe("feed entry cap: the newest entries, the feed's order, the rest counted", () => {
  it("reads the newest 50 of a 1,000-item RSS feed that lists the newest first", async () => {
    const text = rss(range(999, 0), 1000);
    // What the parser is handed: a whole document with 50 items, not 1,000 items to build objects for.
    const cut = capXmlEntries(text, 50, NOW);
    expect(cut.xml.match(/<item>/g)).toHaveLength(50);
    expect(cut.xml).toMatch(/^<\?xml[^>]*\?>\n<rss version="2.0"><channel><title>Big Feed<\/title>/);
    expect(cut.xml).toMatch(/<\/channel><\/rss>$/);
    expect(cut.xml.length).toBeLessThan(text.length / 10);
    const got = await titlesOf(text, 50);
    expect(got.feedTitle).toBe("Big Feed");
    expect(got.titles).toEqual(stories(range(999, 950)));
    expect(got.overCap).toBe(950);
  });

  it("reads the newest 50 of a 1,000-entry Atom feed", async () => {
    const got = await titlesOf(atom(range(999, 0), 1000), 50);
    expect(got.feedTitle).toBe("Big Atom");
    expect(got.titles).toEqual(stories(range(999, 950)));
    expect(got.overCap).toBe(950);
  });

  it("takes the newest by date when the feed lists them last, keeping the feed's order", async () => {
    const got = await titlesOf(rss(range(0, 999), 1000), 50);
    expect(got.titles).toEqual(stories(range(950, 999)));
    expect(got.overCap).toBe(950);
    const atomGot = await titlesOf(atom(range(0, 999), 1000), 50);
    expect(atomGot.titles).toEqual(stories(range(950, 999)));
  });

  it("takes the newest by date from a feed in no order at all", async () => {
    // 0..999 shuffled the same way on every run: 7 generates the group mod 1,000 (gcd(7, 1000) = 1).
    const order = range(0, 999).map((i) => (i * 7 + 3) % 1000);
    const got = await titlesOf(rss(order, 1000), 40);
    expect(got.titles).toEqual(stories(order.filter((k) => k >= 960)));
    expect(got.overCap).toBe(960);
  });

  it("takes the first entries when no entry has a date (feeds put their newest first)", async () => {
    const got = await titlesOf(
      rss(range(0, 999), 1000, () => false),
      30,
    );
    expect(got.titles).toEqual(stories(range(0, 29)));
    expect(got.overCap).toBe(970);
  });

  it("ranks an undated entry with the dated entry before it", async () => {
    // Ascending by date, every tenth entry undated: the newest 20 are 980..999, whatever their dates say.
    const got = await titlesOf(
      rss(range(0, 999), 1000, (k) => k % 10 !== 5),
      20,
    );
    expect(got.titles).toEqual(stories(range(980, 999)));
  });

  it("reads everything, unchanged, from a feed within the cap", async () => {
    const text = rss(range(9, 0), 10);
    expect(capXmlEntries(text, 10, NOW)).toEqual({ xml: text, total: 10, omitted: 0 });
    const got = await titlesOf(text, 10);
    expect(got.titles).toEqual(stories(range(9, 0)));
    expect(got.overCap).toBe(0);
  });

  it("caps at FEED_ENTRY_CAP by default and says how many more the feed listed", async () => {
    const text = rss(range(999, 0), 1000);
    const res = await parseFetched("big", {
      status: "ok",
      body: new TextEncoder().encode(text),
      contentType: "application/rss+xml",
      finalUrl: source.url,
      cache: {},
    });
    expect(FEED_ENTRY_CAP).toBe(300);
    expect(res.feed.entries).toHaveLength(300);
    expect(res.feed.entries[0]?.title).toBe("Story 999");
    expect(res.feed.entries[299]?.title).toBe("Story 700");
    expect(res.entriesOverCap).toBe(700);
  });

  it("does not count <item> written inside CDATA or a comment as an entry", async () => {
    const tricky = (k: number) =>
      `<item><title>Story ${k}</title><link>https://big.example/${k}</link><pubDate>${minutesAgo(100 - k).toUTCString()}</pubDate>` +
      `<description><![CDATA[<item>not an entry</item> and </item> in text]]></description></item><!-- <item>old</item> -->`;
    const text = `<rss version="2.0"><channel><title>T</title>${range(99, 0).map(tricky).join("\n")}</channel></rss>`;
    const cut = capXmlEntries(text, 5, NOW);
    expect(cut.total).toBe(100);
    const got = await titlesOf(text, 5);
    expect(got.titles).toEqual(stories(range(99, 95)));
    expect(got.overCap).toBe(95);
  });

  it("caps RSS 1.0 (items beside the channel) and JSON Feed the same way", async () => {
    const rdf = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://big.example/"><title>RDF</title><link>https://big.example/</link></channel>
${range(199, 0)
  .map(
    (k) =>
      `<item rdf:about="https://big.example/${k}"><title>Story ${k}</title><link>https://big.example/${k}</link><dc:date>${minutesAgo(200 - k).toISOString()}</dc:date></item>`,
  )
  .join("\n")}
</rdf:RDF>`;
    const got = await titlesOf(rdf, 10);
    expect(got.titles).toEqual(stories(range(199, 190)));
    expect(got.overCap).toBe(190);

    const json = JSON.stringify({
      version: "https://jsonfeed.org/version/1.1",
      title: "JSON",
      items: range(0, 199).map((k) => ({
        id: `j${k}`,
        url: `https://big.example/${k}`,
        title: `Story ${k}`,
        date_published: minutesAgo(200 - k).toISOString(),
      })),
    });
    const jsonGot = await titlesOf(json, 10);
    expect(jsonGot.titles).toEqual(stories(range(190, 199)));
    expect(jsonGot.overCap).toBe(190);
  });

  it("still salvages a big feed cut off mid-download, within the cap", async () => {
    const text = rss(range(499, 0), 500);
    const truncated = text.slice(0, text.lastIndexOf("<item>") + 40);
    const got = await titlesOf(truncated, 25);
    expect(got.titles).toEqual(stories(range(499, 475)));
    expect(got.overCap).toBe(474);
  });
});

describe("newestIndexes", () => {
  it("keeps document order among the newest, ties to the earlier entry", () => {
    expect(newestIndexes([5, 9, 1, 9, 7], 3)).toEqual([1, 3, 4]);
    expect(newestIndexes([3, 3, 3, 3], 2)).toEqual([0, 1]);
    expect(newestIndexes([null, null, null], 2)).toEqual([0, 1]);
    expect(newestIndexes([null, 1, null, 5, null], 2)).toEqual([3, 4]);
    expect(newestIndexes([2, 1], 5)).toEqual([0, 1]);
  });
});
