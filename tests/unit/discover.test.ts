import { describe, expect, it } from "vitest";
import { commonFeedUrls, feedLinksFromHtml } from "../../src/feeds/discover.js";
import { parseSourceInput } from "../../src/sources/inspect.js";
import { baseId, hostSlug, idCandidates, slugify } from "../../src/sources/slug.js";

const PAGE = "https://news.example/world/index.html";

describe("feedLinksFromHtml", () => {
  it("finds RSS, Atom and JSON Feed links, resolved against the page, in page order", () => {
    const html = `<!doctype html><html><head>
      <link rel="stylesheet" href="/s.css">
      <link rel="alternate" type="application/rss+xml" title="World" href="/world/rss.xml">
      <link rel="alternate" type="application/atom+xml" href="atom.xml">
      <link rel="alternate" type="application/feed+json" href="//cdn.example/feed.json">
      <link rel="alternate" hreflang="fr" href="/fr/">
      <link rel="alternate" type="text/html" href="/other">
    </head><body></body></html>`;
    expect(feedLinksFromHtml(html, PAGE)).toEqual([
      "https://news.example/world/rss.xml",
      "https://news.example/world/atom.xml",
      "https://cdn.example/feed.json",
    ]);
  });

  it("reads attributes in any order, quoting and case, and decodes entities in href", () => {
    const html = `<LINK HREF='/feed?a=1&amp;b=2' TYPE="Application/RSS+XML; charset=utf-8" REL="Alternate Home">
      <link href=/plain.xml rel=alternate type=application/atom+xml />`;
    expect(feedLinksFromHtml(html, PAGE)).toEqual(["https://news.example/feed?a=1&b=2", "https://news.example/plain.xml"]);
  });

  it("honours <base href>", () => {
    const html = `<head><base href="https://static.example/site/"><link rel="alternate" type="application/rss+xml" href="feed.xml"></head>`;
    expect(feedLinksFromHtml(html, PAGE)).toEqual(["https://static.example/site/feed.xml"]);
  });

  it("puts comment feeds last and drops duplicates, fragments and non-http links", () => {
    const html = `
      <link rel="alternate" type="application/rss+xml" title="Site » Comments Feed" href="/comments/feed/">
      <link rel="alternate" type="application/rss+xml" title="Site » Feed" href="/feed/#top">
      <link rel="alternate" type="application/rss+xml" href="/feed/">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
      <link rel="alternate" type="application/rss+xml" href="ftp://news.example/feed">
      <link rel="alternate" type="application/rss+xml" href="">`;
    expect(feedLinksFromHtml(html, PAGE)).toEqual(["https://news.example/feed/", "https://news.example/comments/feed/"]);
  });

  it("ignores links in comments and scripts", () => {
    const html = `<!-- <link rel="alternate" type="application/rss+xml" href="/old.xml"> -->
      <script>document.write('<link rel="alternate" type="application/rss+xml" href="/js.xml">')</script>`;
    expect(feedLinksFromHtml(html, PAGE)).toEqual([]);
  });

  it("takes linear time on hostile markup: unclosed tags, comments, quotes, scripts", () => {
    const n = 200_000;
    for (const evil of ["<link ".repeat(n), "<!--".repeat(n), '<link href="'.repeat(n), "<script>".repeat(n), `${"<a b='".repeat(n)}>`]) {
      const t = performance.now();
      feedLinksFromHtml(evil, PAGE);
      expect(performance.now() - t).toBeLessThan(1000);
    }
  });

  it("takes linear time on deeply nested unclosed elements (no open-element stack)", () => {
    const n = 200_000;
    for (const evil of ["<div>".repeat(n) + "</span>".repeat(n), "<b>".repeat(n) + "</i>".repeat(n)]) {
      const t = performance.now();
      expect(feedLinksFromHtml(`${evil}<link rel="alternate" type="application/rss+xml" href="/end.xml">`, PAGE)).toEqual([
        "https://news.example/end.xml",
      ]);
      expect(performance.now() - t).toBeLessThan(1000);
    }
  });

  it("finds links after an odd but closed quote and after skipped scripts", () => {
    const html = `<div title='it"s'><script>var s = "<link rel=alternate type=application/rss+xml href=/no>";</script>
      <link rel="alternate" type="application/rss+xml" href="/yes.xml">`;
    expect(feedLinksFromHtml(html, PAGE)).toEqual(["https://news.example/yes.xml"]);
  });

  it("copes with junk without throwing", () => {
    for (const junk of [
      "",
      "<link",
      "<link rel=alternate type=application/rss+xml href=http://[bad/>",
      "<<<>>>".repeat(1000),
      "\u0000<link>",
    ]) {
      expect(() => feedLinksFromHtml(junk, PAGE)).not.toThrow();
    }
  });
});

describe("commonFeedUrls", () => {
  it("tries the usual paths at the site's root", () => {
    expect(commonFeedUrls("http://blog.example:8080/2024/05/post?x=1")).toEqual([
      "http://blog.example:8080/feed",
      "http://blog.example:8080/rss",
      "http://blog.example:8080/rss.xml",
      "http://blog.example:8080/feed.xml",
      "http://blog.example:8080/atom.xml",
      "http://blog.example:8080/index.xml",
    ]);
  });
});

describe("parseSourceInput", () => {
  it.each([
    ["https://example.com/feed", "https://example.com/feed"],
    ["  http://Example.COM/rss.xml ", "http://example.com/rss.xml"],
    ["example.com/news", "https://example.com/news"],
    ["<https://example.com/a>", "https://example.com/a"],
    ["//example.com/x", "https://example.com/x"],
  ])("%s → %s", (input, url) => {
    expect(parseSourceInput(input)).toBe(url);
  });

  it.each([
    "",
    "not a url",
    "ftp://example.com/feed",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "https://user:pw@example.com/",
    "http://",
  ])("refuses %j", (input) => {
    expect(parseSourceInput(input)).toBeNull();
  });
});

describe("source ids", () => {
  it("slugs titles, dropping accents and punctuation, within the length limit", () => {
    expect(slugify("BBC News - World")).toBe("bbc-news-world");
    expect(slugify("Ça va? Économie & Société")).toBe("ca-va-economie-societe");
    expect(slugify("Новости")).toBe("");
    const long = slugify("The Quite Extraordinarily Long Name Of A Regional Newspaper Online");
    expect(long.length).toBeLessThanOrEqual(40);
    expect(long).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  it("falls back to the host when the title has no Latin letters", () => {
    expect(baseId("Новости дня", "https://www.kommersant.ru/rss/news")).toBe("kommersant-ru");
    expect(hostSlug("https://feeds.bbci.co.uk/news/rss.xml")).toBe("bbci-co-uk");
    expect(baseId(undefined, "not a url")).toBe("source");
  });

  it("numbers ids that are taken", () => {
    expect(idCandidates("bbc", new Set(), 3)).toEqual(["bbc", "bbc-2", "bbc-3"]);
    expect(idCandidates("bbc", new Set(["bbc", "bbc-2"]), 2)).toEqual(["bbc-3", "bbc-4"]);
  });
});
