import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FeedError, feedErrorText } from "../../src/feeds/errors.js";
import { parseFeedText } from "../../src/feeds/parse.js";
import { escapeNamedEntities, repairXml } from "../../src/feeds/repair.js";
import { refuseBytes } from "../../src/feeds/sniff.js";
import { english } from "../../src/i18n/translator.js";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "../fixtures/feeds", name), "utf8");

async function failure(text: string): Promise<FeedError> {
  const err = await parseFeedText(text, "s1").then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FeedError);
  const fe = err as FeedError;
  expect(fe.message).toMatch(/^source s1: /);
  expect(fe.message).not.toMatch(/[\r\n]/);
  // What an English-speaking admin reads is what the log says.
  expect(feedErrorText(english(), fe.kind, fe.params)).toBe(fe.reason);
  return fe;
}

const rss = (items: string, head = "<title>T</title><link>https://t.example/</link>") =>
  `<?xml version="1.0"?><rss version="2.0"><channel>${head}${items}</channel></rss>`;

describe("parseFeedText: formats", () => {
  it("reads RSS 2.0: description is the summary, content:encoded the content, dates as found", async () => {
    const feed = await parseFeedText(fixture("rss2.xml"), "s1");
    expect(feed.title).toBe("Example News");
    expect(feed.link).toBe("https://news.example.com/");
    expect(feed.entries).toHaveLength(3);
    expect(feed.entries[0]).toEqual({
      guid: "budget-2026",
      title: "Parliament passes the budget",
      link: "https://news.example.com/2026/11/budget",
      summary: "<p>The vote was <b>312 to 290</b>.</p>",
      content: "<p>The vote was <b>312 to 290</b>, after a night of debate.</p><p>More follows.</p>",
      date: "Fri, 27 Nov 2026 09:30:00 +0000",
    });
    expect(feed.entries[1]?.date).toBe("2026-11-27T07:15:00Z");
    expect(feed.entries[2]?.link).toBe("/2026/11/relative");
  });

  it("reads RSS 1.0 / RDF with dc:date and rdf:about", async () => {
    const feed = await parseFeedText(fixture("rss1.rdf"), "s1");
    expect(feed.title).toBe("RDF Example");
    expect(feed.entries.map((e) => e.title)).toEqual(["First RDF item", "Second RDF item"]);
    expect(feed.entries[0]).toMatchObject({
      id: "https://rdf.example.org/a",
      link: "https://rdf.example.org/a",
      summary: "Described in RSS 1.0.",
      date: "2026-11-26T18:00:00+01:00",
    });
    expect(feed.entries[1]?.date).toBeUndefined();
  });

  it("reads Atom: the alternate link, published before updated, an unreadable date kept as found", async () => {
    const feed = await parseFeedText(fixture("atom.xml"), "s1");
    expect(feed.title).toBe("Atom Example");
    expect(feed.link).toBe("https://atom.example.net/");
    expect(feed.entries).toHaveLength(3);
    expect(feed.entries[0]).toEqual({
      id: "tag:atom.example.net,2026:rates",
      title: "Rates <em>held</em> at 4%",
      link: "https://atom.example.net/2026/rates",
      content: "<p>The central bank left rates unchanged for a third month.</p>",
      summary: "The central bank left rates unchanged.",
      date: "2026-11-27T10:00:00Z",
    });
    expect(feed.entries[1]?.date).toBe("2026-11-26T08:00:00Z");
    expect(feed.entries[1]?.link).toBe("https://atom.example.net/2026/updated-only");
    expect(feed.entries[1]?.summary).toBe('<div xmlns="http://www.w3.org/1999/xhtml">An <b>xhtml</b> summary.</div>');
    expect(feed.entries[2]).toMatchObject({ title: "A date nobody can read", date: "the day before yesterday" });
  });

  it("reads Atom whose elements carry a namespace prefix", async () => {
    const feed = await parseFeedText(
      `<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>Prefixed</a:title>
        <a:entry><a:id>urn:1</a:id><a:title>Hello</a:title><a:link href="https://p.example/1"/><a:updated>2026-01-01T00:00:00Z</a:updated></a:entry>
      </a:feed>`,
      "s1",
    );
    expect(feed.title).toBe("Prefixed");
    expect(feed.entries).toEqual([{ id: "urn:1", title: "Hello", link: "https://p.example/1", date: "2026-01-01T00:00:00Z" }]);
  });

  it("keeps Atom xhtml content in document order", async () => {
    const div = `<div xmlns="http://www.w3.org/1999/xhtml"><p><cite>Jacques</cite>: <em>Unicode</em> is still &amp; “cutting edge”.</p></div>`;
    const feed = await parseFeedText(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>X</title>
        <entry><id>1</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">A <i>b</i> c</div></title>
          <link href="https://x.example/1"/><content type="xhtml">${div}</content></entry>
        <entry><id>2</id><title>Plain</title><link href="https://x.example/2"/><content type="html">&lt;p&gt;hi&lt;/p&gt;</content></entry>
      </feed>`,
      "s1",
    );
    expect(feed.entries[0]?.content).toBe(div);
    expect(feed.entries[0]?.title).toBe('<div xmlns="http://www.w3.org/1999/xhtml">A <i>b</i> c</div>');
    expect(feed.entries[1]).toMatchObject({ title: "Plain", content: "<p>hi</p>" });
  });

  it("reads RSS without a version attribute", async () => {
    const feed = await parseFeedText(`<rss><channel><title>Old</title><item><title>Still works</title></item></channel></rss>`, "s1");
    expect(feed.entries).toEqual([{ title: "Still works" }]);
  });

  it("reads JSON Feed, skipping an item that is not an object", async () => {
    const feed = await parseFeedText(fixture("feed.json"), "s1");
    expect(feed.title).toBe("JSON Example");
    expect(feed.entries).toEqual([
      {
        guid: "1",
        link: "https://json.example.org/first",
        title: "First JSON item",
        content: "<p>Hello from JSON Feed.</p>",
        date: "2026-11-27T08:00:00Z",
      },
      { guid: "2", link: "https://json.example.org/second", content: "No title, only text." },
    ]);
  });

  it("keeps items with the same guid as separate entries", async () => {
    const feed = await parseFeedText(fixture("duplicate-guids.xml"), "s1");
    expect(feed.entries.map((e) => [e.guid, e.title])).toEqual([
      ["same-guid", "Morning edition"],
      ["same-guid", "Evening edition"],
    ]);
  });

  it("returns an empty list for a feed with no items", async () => {
    expect((await parseFeedText(rss(""), "s1")).entries).toEqual([]);
  });
});

describe("parseFeedText: repairs", () => {
  it("understands HTML named entities such as &nbsp; and &mdash;", async () => {
    const feed = await parseFeedText(fixture("entities.xml"), "s1");
    expect(feed.title).toBe("Entities\u00a0Weekly");
    expect(feed.entries[0]?.title).toBe("Markets\u00a0rally — again…");
    expect(feed.entries[0]?.summary).toBe("Café owners say “finally” — “numeric” too.");
  });

  it("keeps an entity name the parser does not know as text instead of failing", async () => {
    const feed = await parseFeedText(rss("<item><title>Tom &madeup; Jerry &amp; co</title></item>"), "s1");
    expect(feed.entries[0]?.title).toBe("Tom &madeup; Jerry & co");
  });

  it("escapes a bare & in text and in links", async () => {
    const feed = await parseFeedText(fixture("bare-ampersand.xml"), "s1");
    expect(feed.title).toBe("Fish & Chips Daily");
    expect(feed.entries[0]).toMatchObject({
      title: "Cod & haddock prices rise",
      link: "https://fish.example.com/story?id=7&ref=rss",
      summary: "Q&A with the harbour master & crew. AT&T sponsored.",
    });
  });

  it("leaves & inside CDATA alone", async () => {
    const feed = await parseFeedText(rss("<item><title><![CDATA[Salt & vinegar &amp; more]]></title></item>"), "s1");
    expect(feed.entries[0]?.title).toBe("Salt & vinegar &amp; more");
  });

  it("removes characters XML forbids, raw or as references", async () => {
    const feed = await parseFeedText(rss("<item><title>Bad\u0001 ti\u000btle&#1;&#x1F; here\uFFFF</title></item>"), "s1");
    expect(feed.entries[0]?.title).toBe("Bad title here");
  });

  it("reads a document with a BOM, whitespace or server junk before <?xml", async () => {
    const doc = rss("<item><title>After junk</title></item>");
    for (const prefix of ["\uFEFF", "\n\n   ", "<br />\n<b>Warning</b>: something in feed.php on line 3<br />\n"]) {
      const feed = await parseFeedText(prefix + doc, "s1");
      expect(feed.entries[0]?.title).toBe("After junk");
    }
  });

  it("salvages the good items when one item breaks the XML", async () => {
    const text = rss(
      `<item><title>Good one</title><link>https://t.example/1</link><guid>1</guid></item>
       <item><title>Broken <b>unclosed</title><link>https://t.example/2</link></item>
       <item><title>Good &amp; after</title><link>https://t.example/3</link><pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>`,
    );
    const feed = await parseFeedText(text, "s1");
    expect(feed.title).toBe("T");
    expect(feed.entries.map((e) => e.title)).toContain("Good one");
    expect(feed.entries.find((e) => e.link === "https://t.example/3")).toEqual({
      title: "Good & after",
      link: "https://t.example/3",
      date: "Mon, 02 Nov 2026 10:00:00 GMT",
    });
  });

  it("salvages a truncated download up to the last complete item", async () => {
    const text = rss("<item><title>Complete</title><link>https://t.example/1</link></item>").replace(
      "</channel></rss>",
      "<item><title>Cut off he",
    );
    const feed = await parseFeedText(text, "s1");
    expect(feed.entries).toEqual([{ title: "Complete", link: "https://t.example/1" }]);
  });

  it("salvages an Atom feed that rss-parser itself cannot map", async () => {
    // a <link> without attributes makes rss-parser throw on the whole feed
    const feed = await parseFeedText(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>
        <entry><title>Text link</title><link>https://a.example/1</link><id>1</id></entry>
        <entry><title>Normal</title><link rel="alternate" href="https://a.example/2"/><id>2</id></entry></feed>`,
      "s1",
    );
    expect(feed.entries.map((e) => e.link)).toEqual(["https://a.example/1", "https://a.example/2"]);
  });
});

describe("parseFeedText: refusals", () => {
  it("refuses an HTML page", async () => {
    const err = await failure(fixture("not-a-feed.html"));
    expect(err).toMatchObject({ kind: "not-a-feed", message: "source s1: not a feed (HTML page)" });
  });

  it("refuses HTML without a doctype", async () => {
    expect((await failure("<html><body>hi</body></html>")).reason).toBe("not a feed (HTML page)");
  });

  it("refuses an empty or blank body", async () => {
    expect((await failure("")).message).toBe("source s1: empty response");
    expect((await failure(" \n\t ")).message).toBe("source s1: empty response");
  });

  it("refuses billion laughs without expanding anything, quickly", async () => {
    const started = Date.now();
    const err = await failure(fixture("billion-laughs.xml"));
    expect(err).toMatchObject({ kind: "refused", message: "source s1: refused: document declares entities" });
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("refuses an external entity (XXE)", async () => {
    const err = await failure(
      `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>&xxe;</title></channel></rss>`,
    );
    expect(err.kind).toBe("refused");
  });

  it("accepts a DOCTYPE that declares no entities (RSS 0.91)", async () => {
    const feed = await parseFeedText(
      `<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
       <rss version="0.91"><channel><title>Old</title><item><title>Netscape era</title></item></channel></rss>`,
      "s1",
    );
    expect(feed.entries[0]?.title).toBe("Netscape era");
  });

  it("names an XML document that is not a feed by its root", async () => {
    expect((await failure(`<svg xmlns="http://www.w3.org/2000/svg"></svg>`)).message).toBe("source s1: not a feed (XML root <svg>)");
  });

  it("refuses plain text and JSON that is not a JSON Feed", async () => {
    expect((await failure("Service temporarily unavailable")).message).toBe("source s1: not a feed (plain text)");
    expect((await failure(`{"error":"rate limited"}`)).message).toBe("source s1: not a feed (JSON that is not a JSON Feed)");
  });

  it("reports broken XML with no items on one line, with the position", async () => {
    const err = await failure(`<?xml version="1.0"?>\n<rss version="2.0"><channel>\n<title>x</title>\n</rss>`);
    expect(err.kind).toBe("parse");
    expect(err.message).toMatch(/^source s1: not valid XML: .+ at line \d+, column \d+$/);
  });
});

describe("repairXml", () => {
  it("escapes only the ampersands that start no reference", () => {
    expect(repairXml("<a>x & y &amp; &#38; &#x26; &nbsp; &b</a>")).toBe("<a>x &amp; y &amp; &#38; &#x26; &nbsp; &amp;b</a>");
  });

  it("does not touch CDATA sections", () => {
    const cdata = "<![CDATA[a & b &c; \u0000?]]>";
    expect(repairXml(`<a>${cdata} & </a>`)).toBe("<a><![CDATA[a & b &c; ?]]> &amp; </a>");
  });

  it("turns unknown named references into text, leaving XML's five", () => {
    expect(escapeNamedEntities("<a>&nbsp;&amp;&lt;&#38;</a>")).toBe("<a>&amp;nbsp;&amp;&lt;&#38;</a>");
  });

  it("keeps a declaration that appears inside content", () => {
    const doc = `<rss><channel><description>&lt;?xml version="1.0"?&gt;</description></channel></rss>`;
    expect(repairXml(doc)).toBe(doc);
    const cdata = `<rss><channel><item><description><![CDATA[<?xml version="1.0"?>]]></description></item></channel></rss>`;
    expect(repairXml(cdata)).toBe(cdata);
  });
});

describe("refuseBytes", () => {
  it("names images by Content-Type or by their first bytes", () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(refuseBytes(png)?.reason).toBe("not a feed (image/png)");
    expect(refuseBytes(new TextEncoder().encode("<rss/>"), "image/jpeg")?.reason).toBe("not a feed (image/jpeg)");
  });

  it("refuses empty and binary bodies but not UTF-16 text", () => {
    expect(refuseBytes(new Uint8Array())?.reason).toBe("empty response");
    expect(refuseBytes(Uint8Array.from([0x41, 0x00, 0x42, 0x03]))?.reason).toBe("not a feed (binary data)");
    expect(refuseBytes(Uint8Array.from(Buffer.from("\uFEFF<rss/>", "utf16le")))).toBeUndefined();
    expect(refuseBytes(new TextEncoder().encode("<rss/>"), "text/xml")).toBeUndefined();
  });
});
