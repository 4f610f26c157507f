import { describe, expect, it } from "vitest";
import type { ParsedFeed, RawEntry } from "../../src/news/item.js";
import { itemKey } from "../../src/news/item-key.js";
import { identifyFeed, normalizeFeed, normalizeIdentified, parseFeedDate } from "../../src/news/normalize.js";

const NOW = Date.UTC(2024, 5, 1, 12, 0, 0);
const source = { id: "example-news", name: "Example News", url: "https://example.com/feeds/world.xml" };

const feed = (...entries: RawEntry[]): ParsedFeed => ({ title: "Example", entries });
const one = (entry: RawEntry, src: typeof source & { lang?: string } = source) => {
  const { items, dropped } = normalizeFeed(feed(entry), src, NOW);
  expect(dropped).toBe(0);
  expect(items).toHaveLength(1);
  return items[0]!;
};

describe("normalizeFeed: a typical entry", () => {
  it("produces a clean item", () => {
    const result = normalizeFeed(
      feed({
        guid: "https://example.com/?p=101",
        link: "/world/2024/06/01/talks-resume?utm_source=rss",
        title: "Talks resume in Baku &mdash; officials &laquo;hopeful&raquo;",
        summary:
          "<p><img src='/i.jpg'>Negotiators met on Saturday for the first time in months.</p>" +
          "<p>The post <a href='/x'>Talks resume</a> appeared first on <a>Example News</a>.</p>",
        content: "<p>Full article…</p>",
        date: "Sat, 01 Jun 2024 09:30:00 +0300",
      }),
      source,
      NOW,
    );
    expect(result).toEqual({
      dropped: 0,
      items: [
        {
          key: itemKey("example-news", "guid:https://example.com/?p=101"),
          sourceId: "example-news",
          sourceName: "Example News",
          title: "Talks resume in Baku — officials «hopeful»",
          link: "https://example.com/world/2024/06/01/talks-resume?utm_source=rss",
          summary: "Negotiators met on Saturday for the first time in months.",
          published: "2024-06-01T06:30:00.000Z",
          seenAt: NOW,
        },
      ],
    });
  });

  it("keeps feed order and gives the same keys on every poll", () => {
    const f = feed({ guid: "a", link: "https://example.com/a", title: "A" }, { guid: "b", link: "https://example.com/b", title: "B" });
    const first = normalizeFeed(f, source, NOW).items;
    const later = normalizeFeed(f, source, NOW + 3600_000).items;
    expect(first.map((i) => i.title)).toEqual(["A", "B"]);
    expect(later.map((i) => i.key)).toEqual(first.map((i) => i.key));
    expect(later[0]!.seenAt).toBe(NOW + 3600_000);
  });
});

describe("links", () => {
  it.each([
    ["relative path", "../news/1.html", "https://example.com/news/1.html"],
    ["root-relative", "/news/1", "https://example.com/news/1"],
    ["protocol-relative", "//m.example.org/news/1", "https://m.example.org/news/1"],
    ["padded with whitespace", "\n\t https://example.com/news/1 \n", "https://example.com/news/1"],
  ])("resolves a %s link", (_label, link, expected) => {
    expect(one({ link, title: "T" }).link).toBe(expected);
  });

  it("drops and counts entries whose link cannot be opened", () => {
    const { items, dropped } = normalizeFeed(
      feed(
        { link: "javascript:alert(document.cookie)", title: "XSS" },
        { link: "data:text/html;base64,PHNjcmlwdD4=", title: "Data" },
        { link: "mailto:tips@example.com", title: "Mail" },
        { title: "No link at all", summary: "Text." },
        { guid: "tag:example.com,2024:5", title: "Opaque guid only" },
        { link: "https://example.com/ok", title: "Fine" },
      ),
      source,
      NOW,
    );
    expect(items.map((i) => i.title)).toEqual(["Fine"]);
    expect(dropped).toBe(5);
  });

  it("uses an http(s) guid when the link is missing or unusable", () => {
    expect(one({ guid: "https://example.com/p/7", title: "T" }).link).toBe("https://example.com/p/7");
    expect(one({ guid: "http://example.com/p/8", link: "javascript:void(0)", title: "T" }).link).toBe("http://example.com/p/8");
  });

  it("uses an http(s) Atom id when there is no link", () => {
    expect(one({ id: "https://example.com/p/9", title: "T" }).link).toBe("https://example.com/p/9");
  });
});

describe("titles", () => {
  it.each([
    ["tags", "<b>Breaking:</b> <i>storm</i> hits coast", "Breaking: storm hits coast"],
    ["a script", "Storm<script>alert(1)</script> hits coast", "Storm hits coast"],
    ["escaped markup", "&amp;lt;b&amp;gt;Storm&amp;lt;/b&amp;gt; hits coast", "Storm hits coast"],
    ["an escaped ampersand", "AT&amp;T buys rival", "AT&T buys rival"],
    ["a doubly escaped ampersand", "AT&amp;amp;T buys rival", "AT&T buys rival"],
    ["entities", "It&rsquo;s &#8220;over&#8221;&hellip; &#x4F60;&#x597D;&nbsp;!", "It’s “over”… 你好 !"],
    ["runs of whitespace", "  Storm \n\t hits   coast  ", "Storm hits coast"],
    ["Russian", "Шторм обрушился на побережье", "Шторм обрушился на побережье"],
    ["Azerbaijani", "Bakıda güclü külək: şəhərdə ağaclar aşıb", "Bakıda güclü külək: şəhərdə ağaclar aşıb"],
    ["Arabic (RTL)", "عاصفة تضرب الساحل", "عاصفة تضرب الساحل"],
    ["emoji", "🔥 Wildfire spreads 🚒", "🔥 Wildfire spreads 🚒"],
  ])("cleans %s", (_label, title, expected) => {
    expect(one({ link: "https://example.com/1", title }).title).toBe(expected);
  });

  it("caps a long title at 250 characters at a word boundary", () => {
    const title = one({ link: "https://example.com/1", title: "Storm ".repeat(100) }).title;
    expect(title.length).toBeLessThanOrEqual(250);
    expect(title).toBe(`${"Storm ".repeat(40)}Storm…`);
  });

  it("takes the first sentence of the summary when there is no title", () => {
    const item = one({ link: "https://example.com/1", summary: "<p>Storm hits the coast. Thousands are without power.</p>" });
    expect(item.title).toBe("Storm hits the coast.");
    expect(item.summary).toBe("Thousands are without power.");
  });

  it("takes the first words of a long summary when there is no title", () => {
    const text = "Thousands of residents along the northern coast spent the night in shelters after the storm tore roofs off homes.";
    const item = one({ link: "https://example.com/1", title: "   ", summary: text });
    expect(item.title).toBe("Thousands of residents along the northern coast spent the night in shelters…");
    expect(item.summary).toBe(text);
  });

  it("falls back to the link's host and path when there is no text at all", () => {
    expect(one({ link: "https://www.example.com/news/storm-hits-coast/" }).title).toBe("example.com/news/storm-hits-coast");
    expect(one({ link: "https://example.com/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8" }).title).toBe("example.com/новости");
  });
});

describe("summaries", () => {
  it("keeps a 10,000-character summary within 300 characters", () => {
    const summary = `<p>${"The storm moved north overnight. ".repeat(300)}</p>`;
    const item = one({ link: "https://example.com/1", title: "Storm", summary });
    expect(item.summary.length).toBeLessThanOrEqual(300);
    expect(item.summary).toBe(Array(9).fill("The storm moved north overnight.").join(" "));
  });

  it("uses the content when there is no summary", () => {
    const item = one({ link: "https://example.com/1", title: "Storm", content: "<div><p>Winds reached 150 km/h.</p></div>" });
    expect(item.summary).toBe("Winds reached 150 km/h.");
  });

  it("uses the content when the summary only repeats the title", () => {
    const item = one({
      link: "https://example.com/1",
      title: "Storm hits coast",
      summary: "Storm hits coast",
      content: "<p>Storm hits coast</p><p>Winds reached 150 km/h.</p>",
    });
    expect(item.summary).toBe("Winds reached 150 km/h.");
  });

  it("is empty when nothing but the title and furniture is left", () => {
    const item = one({ link: "https://example.com/1", title: "Storm hits coast", summary: "<p>Storm hits coast</p><p>Read more »</p>" });
    expect(item.summary).toBe("");
  });

  it("cuts in the source's language", () => {
    const summary =
      "Шторм обрушился на побережье в ночь на субботу. Ветер достигал 150 км/ч. " +
      "Тысячи жителей остались без электричества, сообщили в министерстве энергетики региона. " +
      "Спасатели эвакуировали около двухсот человек из прибрежных районов. " +
      "Синоптики предупреждают, что непогода продлится как минимум до понедельника. Читать далее";
    const item = one({ link: "https://example.com/1", title: "Шторм", summary }, { ...source, lang: "ru" });
    expect(item.summary).toBe(
      "Шторм обрушился на побережье в ночь на субботу. Ветер достигал 150 км/ч. " +
        "Тысячи жителей остались без электричества, сообщили в министерстве энергетики региона. " +
        "Спасатели эвакуировали около двухсот человек из прибрежных районов.",
    );
  });
});

describe("duplicates inside one document", () => {
  it("collapses an entry listed twice into one item", () => {
    const entry = { guid: "g1", link: "https://example.com/1", title: "Storm", summary: "Text." };
    const { items, dropped } = normalizeFeed(feed(entry, { ...entry }), source, NOW);
    expect(items).toHaveLength(1);
    expect(dropped).toBe(0);
  });

  it("keeps different stories that share a guid, with different keys", () => {
    const { items } = normalizeFeed(
      feed(
        { guid: "https://example.com/", link: "https://example.com/1", title: "One" },
        { guid: "https://example.com/", link: "https://example.com/2", title: "Two" },
        { guid: "https://example.com/", link: "https://example.com/3", title: "Three" },
      ),
      source,
      NOW,
    );
    expect(items.map((i) => i.title)).toEqual(["One", "Two", "Three"]);
    expect(new Set(items.map((i) => i.key)).size).toBe(3);
  });
});

describe("parseFeedDate", () => {
  it.each([
    ["Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00.000Z"],
    ["tue, 10 jun 2003 04:00:00 gmt", "2003-06-10T04:00:00.000Z"],
    ["Tue, 10 Jun 2003 04:00 GMT", "2003-06-10T04:00:00.000Z"],
    ["10 Jun 2003 04:00:00 +0300", "2003-06-10T01:00:00.000Z"],
    ["Tue, 10 Jun 2003 04:00:00 -0430", "2003-06-10T08:30:00.000Z"],
    ["Tue, 10 Jun 2003 04:00:00 EDT", "2003-06-10T08:00:00.000Z"],
    ["Tue, 10 Jun 2003 04:00:00 PST", "2003-06-10T12:00:00.000Z"],
    ["Tue, 10 Jun 2003 04:00:00 MSK", "2003-06-10T01:00:00.000Z"],
    ["Tuesday, 10 June 2003 04:00:00 UT", "2003-06-10T04:00:00.000Z"],
    ["Tue,  10 Jun 03 04:00:00 GMT", "2003-06-10T04:00:00.000Z"],
    ["Tue Jun 10 2003 04:00:00 GMT+0300 (Moscow Standard Time)", "2003-06-10T01:00:00.000Z"],
    ["June 10, 2003 4:00 PM EST", "2003-06-10T21:00:00.000Z"],
    ["2003-06-03T09:39:21Z", "2003-06-03T09:39:21.000Z"],
    ["2003-06-03T09:39:21.250+03:00", "2003-06-03T06:39:21.250Z"],
    ["2003-06-03T09:39+0300", "2003-06-03T06:39:00.000Z"],
    ["2003-06-03 09:39:21", "2003-06-03T09:39:21.000Z"],
    ["2003-06-03", "2003-06-03T00:00:00.000Z"],
  ])("reads %s", (raw, expected) => {
    expect(parseFeedDate(raw, NOW)).toBe(expected);
  });

  it.each([
    ["garbage", "yesterday"],
    ["an unknown zone", "Tue, 10 Jun 2003 04:00:00 XYZ"],
    ["31 June", "Tue, 31 Jun 2003 04:00:00 GMT"],
    ["hour 25", "2003-06-03T25:00:00Z"],
    ["a date before 1995", "Fri, 01 Jan 1993 00:00:00 GMT"],
    ["a date three days ahead", "2024-06-04T12:00:01Z"],
    ["an empty string", ""],
  ])("returns null for %s", (_label, raw) => {
    expect(parseFeedDate(raw, NOW)).toBeNull();
  });

  it("accepts a date up to two days ahead (time zones, clock skew)", () => {
    expect(parseFeedDate("2024-06-03T12:00:00Z", NOW)).toBe("2024-06-03T12:00:00.000Z");
  });

  it("is what an item shows as published", () => {
    expect(one({ link: "https://example.com/1", title: "T", date: "not a date" }).published).toBeNull();
    expect(one({ link: "https://example.com/1", title: "T", date: "2024-05-31T10:00:00Z" }).published).toBe("2024-05-31T10:00:00.000Z");
  });
});

describe("hostile input", () => {
  it("treats fields of the wrong type as missing instead of crashing", () => {
    const weird = { guid: { _: "x" }, link: 42, title: ["a"], summary: null, date: {} } as unknown as RawEntry;
    expect(normalizeFeed(feed(weird), source, NOW)).toEqual({ items: [], dropped: 1 });
  });

  it("handles a large feed quickly", () => {
    const entries = Array.from({ length: 1000 }, (_, i) => ({
      guid: "same-for-all",
      link: `https://example.com/${i}`,
      title: `<b>Story ${i}</b>`,
      summary: `<p>${"Long text here. ".repeat(200)}</p>`,
    }));
    const start = performance.now();
    const { items } = normalizeFeed(feed(...entries), source, NOW);
    expect(items).toHaveLength(1000);
    expect(new Set(items.map((i) => i.key)).size).toBe(1000);
    expect(performance.now() - start).toBeLessThan(5_000);
  });
});

describe("identifyFeed and normalizeIdentified", () => {
  const entries = [
    { guid: "a", link: "https://example.com/a", title: "A", summary: "<p>Text of A.</p>", date: "2024-05-31T10:00:00Z" },
    { title: "No link", summary: "Dropped." },
    { guid: "b", link: "/b", title: "B", summary: "<p>Text of B.</p>" },
    { guid: "c", link: "https://example.com/c", summary: "<p>Lead of C. Rest of C.</p>" },
  ];

  it("gives every kept entry its key and resolved link, and counts the dropped", () => {
    const { entries: found, dropped } = identifyFeed(feed(...entries), source);
    expect(dropped).toBe(1);
    expect(found.map((e) => [e.key, e.link])).toEqual([
      [itemKey("example-news", "guid:a"), "https://example.com/a"],
      [itemKey("example-news", "guid:b"), "https://example.com/b"],
      [itemKey("example-news", "guid:c"), "https://example.com/c"],
    ]);
  });

  it("normalizes any subset of the entries into exactly the items the whole feed gives", () => {
    const whole = normalizeFeed(feed(...entries), source, NOW).items;
    const found = identifyFeed(feed(...entries), source).entries;
    const some = normalizeIdentified([found[2]!, found[0]!], source, NOW);
    expect(some).toEqual([whole[2], whole[0]]);
    expect(some[0]).toMatchObject({ title: "Lead of C.", summary: "Rest of C." });
  });
});
