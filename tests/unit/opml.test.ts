import { describe, expect, it } from "vitest";
import type { Source } from "../../src/config.js";
import { buildOpml, OPML_MAX_SOURCES, parseOpml, sourcesFromOutlines } from "../../src/sources/opml.js";

const sources: Source[] = [
  {
    id: "bbc-world",
    name: "BBC World",
    url: "https://feeds.bbci.co.uk/news/world/rss.xml",
    lang: "en",
    description: "World news from the BBC",
    enabled: true,
  },
  { id: "civil-ge", name: "Civil.ge — «Georgia» & <more>", url: 'https://civil.ge/feed?lang=en&x="1"', lang: "ka", enabled: false },
  {
    id: "jam",
    name: "JAMnews\tline\nbreak",
    url: "https://jam-news.net/feed/",
    description: "Quotes ' and \" and ]]> and &amp;",
    enabled: true,
    fulltext: "always",
  },
  { id: "zh", name: "新闻 · 🇬🇪", url: "https://example.cn/rss", lang: "zh-Hans", enabled: true, fulltext: "never" },
];

function roundTrip(list: Source[]): Source[] {
  const parsed = parseOpml(buildOpml(list, { title: "t", now: 0 }));
  if (!parsed.ok) throw new Error(parsed.reason);
  const r = sourcesFromOutlines(parsed.outlines, new Set(), new Set());
  expect(r.skipped).toEqual([]);
  expect(r.duplicates).toEqual([]);
  return r.sources;
}

describe("OPML", () => {
  it("round-trips every field through export and import, hostile characters included", () => {
    // Names are single-line in OPML readers; whitespace runs become one space.
    const expected = sources.map((s) => ({ ...s, name: s.name.replace(/\s+/g, " ") }));
    expect(roundTrip(sources)).toEqual(expected);
  });

  it("writes well-formed OPML 2.0 that feed readers understand", () => {
    const xml = buildOpml(sources.slice(0, 2), { title: "newsbot & co", now: Date.parse("2026-11-28T12:00:00Z") });
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<opml version="2.0">/);
    expect(xml).toContain("<title>newsbot &amp; co</title>");
    expect(xml).toContain("<dateCreated>Sat, 28 Nov 2026 12:00:00 GMT</dateCreated>");
    expect(xml).toContain(
      '<outline type="rss" text="BBC World" title="BBC World" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml" id="bbc-world" language="en" description="World news from the BBC"/>',
    );
    expect(xml).toContain('xmlUrl="https://civil.ge/feed?lang=en&amp;x=&quot;1&quot;"');
    expect(xml).toContain('enabled="false"');
    // every attribute value is quoted and nothing unescaped leaks into markup
    for (const tag of xml.match(/<outline[^>]*\/>/g) ?? []) expect(tag).toMatch(/^<outline( [a-zA-Z]+="[^"<]*")+\/>$/);
  });

  it("reads exports of other readers: nested folders, single quotes, odd case, entities", () => {
    const xml = `<?xml version="1.0"?>
<opml version="1.0"><head><title>Feedly</title></head><body>
  <outline text="News" title="News">
    <outline type="rss" text="Example &amp; Co" xmlurl='https://example.com/rss?a=1&amp;b=2' htmlUrl="https://example.com/"/>
    <outline type="rss" title="Caf&#233; &#x2014; daily" text="ignored when title is there" xmlUrl="https://cafe.example/feed"></outline>
  </outline>
  <!-- <outline type="rss" text="commented out" xmlUrl="https://old.example/rss"/> -->
  <outline text="A folder without feeds"/>
</body></opml>`;
    const parsed = parseOpml(xml);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const r = sourcesFromOutlines(parsed.outlines, new Set(), new Set());
    expect(r.sources).toEqual([
      { id: "example-co", name: "Example & Co", url: "https://example.com/rss?a=1&b=2", enabled: true },
      { id: "cafe-daily", name: "Café — daily", url: "https://cafe.example/feed", enabled: true },
    ]);
  });

  it("gives imported feeds ids that are free, and skips feeds already in the list", () => {
    const xml = buildOpml(
      [
        { id: "bbc-world", name: "BBC World", url: "https://feeds.bbci.co.uk/news/world/rss.xml", enabled: true },
        { id: "apa", name: "APA", url: "https://apa.az/rss", enabled: true },
        { id: "apa-2", name: "APA", url: "https://apa.az/en/rss", enabled: true },
      ],
      { title: "t", now: 0 },
    );
    const parsed = parseOpml(xml);
    if (!parsed.ok) throw new Error(parsed.reason);
    const r = sourcesFromOutlines(parsed.outlines, new Set(["apa", "other"]), new Set(["https://feeds.bbci.co.uk/news/world/rss.xml"]));
    expect(r.duplicates).toEqual(["BBC World"]);
    expect(r.sources.map((s) => s.id)).toEqual(["apa-2", "apa-3"]);
  });

  it("skips outlines that are not valid sources, each with a reason, and keeps the rest", () => {
    const xml = `<opml version="2.0"><body>
      <outline text="FTP" xmlUrl="ftp://example.com/feed"/>
      <outline text="Not a URL" xmlUrl="feed.xml"/>
      <outline text="Bad lang" xmlUrl="https://ok.example/rss" language="English (US)" fulltext="sometimes"/>
      <outline text="Odd case" xmlUrl="https://odd.example/rss" FullText="NEVER"/>
    </body></opml>`;
    const parsed = parseOpml(xml);
    if (!parsed.ok) throw new Error(parsed.reason);
    const r = sourcesFromOutlines(parsed.outlines, new Set(), new Set());
    expect(r.skipped).toEqual([
      { label: "FTP", problem: "invalid", field: "url", message: expect.stringMatching(/http or https/) },
      { label: "Not a URL", problem: "invalid", field: "url", message: expect.any(String) },
    ]);
    // A language or fulltext mode the file gets wrong is dropped, not the source.
    expect(r.sources).toEqual([
      { id: "bad-lang", name: "Bad lang", url: "https://ok.example/rss", enabled: true },
      { id: "odd-case", name: "Odd case", url: "https://odd.example/rss", enabled: true, fulltext: "never" },
    ]);
  });

  it("refuses documents that declare entities: nothing is expanded", () => {
    const laughs = `<?xml version="1.0"?>
<!DOCTYPE opml [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<opml version="2.0"><body><outline text="&lol3;" xmlUrl="https://example.com/rss"/></body></opml>`;
    expect(parseOpml(laughs)).toEqual({ ok: false, reason: "refused: the file declares XML entities", problem: "entities" });
    const xxe = `<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]><opml><body><outline text="&x;" xmlUrl="https://e.example/rss"/></body></opml>`;
    expect(parseOpml(xxe)).toEqual({ ok: false, reason: "refused: the file declares XML entities", problem: "entities" });
  });

  it("leaves undeclared entities as written instead of resolving them", () => {
    const parsed = parseOpml(`<opml><body><outline text="A &nbsp; &unknown; B" xmlUrl="https://e.example/rss"/></body></opml>`);
    expect(parsed.ok && parsed.outlines[0]?.text).toBe("A &nbsp; &unknown; B");
  });

  it("says what is wrong with a file that is not OPML", () => {
    const notOpml = { ok: false, reason: "not an OPML file (no <opml> element)", problem: "not-opml" };
    expect(parseOpml("")).toEqual(notOpml);
    expect(parseOpml("<rss><channel/></rss>")).toEqual(notOpml);
    expect(parseOpml("\u0000\u0001binary")).toMatchObject({ ok: false });
  });

  it(`reads at most ${OPML_MAX_SOURCES} feeds from one file and counts the rest`, () => {
    const many = Array.from({ length: OPML_MAX_SOURCES + 7 }, (_, i) => `<outline text="F${i}" xmlUrl="https://e.example/${i}"/>`).join("");
    const parsed = parseOpml(`<opml><body>${many}</body></opml>`);
    expect(parsed).toMatchObject({ ok: true, truncated: 7 });
    expect(parsed.ok && parsed.outlines).toHaveLength(OPML_MAX_SOURCES);
  });

  it("reads tag and attribute names in any case, and leaves CDATA and comments alone", () => {
    const parsed = parseOpml(`<opml><body><![CDATA[<outline text="no" xmlUrl="https://cdata.example/rss"/>]]>
      <OUTLINE TEXT="Loud" XMLURL="https://loud.example/rss"/></body></opml>`);
    expect(parsed.ok && parsed.outlines).toEqual([{ xmlUrl: "https://loud.example/rss", text: "Loud" }]);
  });

  it("is fast on deeply nested unclosed outlines", () => {
    const evil = `<opml><body>${'<outline text="x">'.repeat(100_000)}${"</x>".repeat(100_000)}</body></opml>`;
    const t = performance.now();
    expect(parseOpml(evil)).toMatchObject({ ok: true, outlines: [] });
    expect(performance.now() - t).toBeLessThan(2000);
  });

  it("is fast on pathological input (no backtracking blow-up)", () => {
    const evil = `<opml>${"<outline ".repeat(20_000)}${'"'.repeat(20_000)}`;
    const t = performance.now();
    parseOpml(evil);
    expect(performance.now() - t).toBeLessThan(2000);
  });
});
