import { describe, expect, it } from "vitest";
import { decodeBody, oddness } from "../../src/feeds/decode.js";
import { parseFetched } from "../../src/feeds/read-feed.js";
import { normalizeFeed } from "../../src/news/normalize.js";
import { encodeKoi8r, type FixtureEncoding, RUSSIAN_SUMMARY, RUSSIAN_TITLES, russianFeed } from "../fixtures/feeds/cyrillic.js";
import { encodeWindows1251 } from "../fixtures/feeds/windows-1251.js";

/**
 * What a reader gets from a feed whose HTTP Content-Type and XML prolog
 * disagree about its encoding: the titles and summaries of its items.
 */
async function read(body: Uint8Array, contentType: string | undefined) {
  const res = await parseFetched("gazeta", { status: "ok", body, contentType, finalUrl: "https://gazeta.example.ru/rss", cache: {} });
  const { items } = normalizeFeed(res.feed, { id: "gazeta", name: "Газета", url: res.finalUrl, lang: "ru" }, Date.UTC(2025, 11, 10));
  return { feedTitle: res.feed.title, titles: items.map((i) => i.title), summaries: items.map((i) => i.summary) };
}

const ct = (charset?: string) => (charset ? `application/rss+xml; charset=${charset}` : "application/rss+xml");

function expectRussian(got: Awaited<ReturnType<typeof read>>) {
  expect(got.feedTitle).toBe("Газета");
  expect(got.titles).toEqual(RUSSIAN_TITLES);
  expect(got.summaries).toEqual(RUSSIAN_TITLES.map(() => RUSSIAN_SUMMARY));
  expect(got.titles.join("") + got.summaries.join("")).not.toMatch(/[\uFFFD\u0080-\u009F]/);
}

describe("charset: the Content-Type and the XML prolog disagree", () => {
  const cases: { bytes: FixtureEncoding; prolog: string | undefined; header: string | undefined; why: string }[] = [
    // The feed: the prolog says UTF-8, the bytes prove it wrong, the header is right.
    { bytes: "windows-1251", prolog: "UTF-8", header: "windows-1251", why: "header cp1251, prolog utf-8, cp1251 bytes" },
    { bytes: "windows-1251", prolog: "windows-1251", header: "utf-8", why: "header utf-8, prolog cp1251, cp1251 bytes" },
    { bytes: "utf-8", prolog: "UTF-8", header: "windows-1251", why: "header cp1251, prolog utf-8, real UTF-8 bytes" },
    { bytes: "utf-8", prolog: "windows-1251", header: "windows-1251", why: "both say cp1251, real UTF-8 bytes" },
    { bytes: "koi8-r", prolog: "utf-8", header: "KOI8-R", why: "header koi8-r, prolog utf-8, koi8-r bytes" },
    { bytes: "koi8-r", prolog: "koi8-r", header: "utf-8", why: "header utf-8, prolog koi8-r, koi8-r bytes" },
    { bytes: "koi8-r", prolog: "koi8-r", header: "windows-1251", why: "header cp1251, prolog koi8-r, koi8-r bytes" },
    { bytes: "koi8-r", prolog: "windows-1251", header: "koi8-r", why: "header koi8-r, prolog cp1251 (copied), koi8-r bytes" },
    { bytes: "windows-1251", prolog: "koi8-r", header: "windows-1251", why: "header cp1251, prolog koi8-r (copied), cp1251 bytes" },
    { bytes: "windows-1251", prolog: "ISO-8859-1", header: "windows-1251", why: "header cp1251, prolog latin-1 (a default), cp1251 bytes" },
    { bytes: "windows-1251", prolog: "windows-1251", header: "ISO-8859-1", why: "header latin-1 (a default), prolog cp1251" },
    { bytes: "windows-1251", prolog: "UTF-8", header: undefined, why: "prolog utf-8 only, cp1251 bytes" },
    { bytes: "windows-1251", prolog: undefined, header: undefined, why: "nothing declared, cp1251 bytes" },
    { bytes: "koi8-r", prolog: undefined, header: "utf-8", why: "header utf-8 only, koi8-r bytes" },
  ];

  for (const c of cases) {
    it(`reads Cyrillic: ${c.why}`, async () => {
      expectRussian(await read(russianFeed(c.bytes, c.prolog), ct(c.header)));
    });
  }

  it("a byte order mark beats both declarations", async () => {
    const utf8 = russianFeed("utf-8", "koi8-r");
    expectRussian(await read(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]), ct("windows-1251")));
    const text = new TextDecoder().decode(russianFeed("utf-8", "windows-1251"));
    expectRussian(await read(Uint8Array.from([0xff, 0xfe, ...Buffer.from(text, "utf16le")]), ct("koi8-r")));
  });

  it("keeps UTF-8 with one stray windows-1251 byte, reading that byte as the header says", async () => {
    const body = new TextEncoder().encode(
      `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Газета</title>` +
        `<item><title>Цены на STRAYблоки выросли</title><link>https://gazeta.example.ru/1</link>` +
        `<description>Данные на 10 декабря.</description></item></channel></rss>`,
    );
    const at = Buffer.from(body).indexOf("STRAY");
    const patched = Uint8Array.from([...body.subarray(0, at), ...encodeWindows1251("я"), ...body.subarray(at + 5)]);
    const got = await read(patched, ct("windows-1251"));
    expect(got.titles).toEqual(["Цены на яблоки выросли"]);
    expect(got.summaries).toEqual(["Данные на 10 декабря."]);
  });
});

describe("decodeBody: evidence against a declaration", () => {
  it("reads a one-word KOI8-R title right whichever of the two is declared where", () => {
    const body = Uint8Array.from([
      ...Buffer.from(`<?xml version="1.0" encoding="windows-1251"?><rss><channel><title>`),
      ...encodeKoi8r("Мир"),
      ...Buffer.from(`</title></channel></rss>`),
    ]);
    expect(decodeBody(body, "text/xml; charset=koi8-r")).toContain("<title>Мир</title>");
  });

  it("keeps Western text in windows-1252 when a server's default charset names windows-1251", () => {
    const body = Uint8Array.from([
      ...Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>Pr`),
      0xe9,
      ...Buffer.from(`sentation du caf`),
      0xe9,
      ...Buffer.from(`</title></channel></rss>`),
    ]);
    expect(decodeBody(body, "text/xml; charset=windows-1251")).toContain("<title>Présentation du café</title>");
  });

  it("reads labels servers write that the Encoding Standard does not list (win-1251)", () => {
    const body = encodeWindows1251(`<?xml version="1.0" encoding="utf-8"?><rss><channel><title>Погода</title></channel></rss>`);
    expect(decodeBody(body, "text/xml; charset=win-1251")).toContain("<title>Погода</title>");
  });

  it("scores mojibake, not text: case flips, mixed scripts, runs of Latin-1 letters", () => {
    expect(oddness("Правительство утвердило бюджет, iPhone и YouTube")).toBe(0);
    expect(oddness("Présentation du café, São Paulo, Ærøskøbing")).toBe(0);
    expect(oddness("нЙТ")).toBeGreaterThan(0); // "Мир" in KOI8-R read as windows-1251
    expect(oddness("Cafй")).toBeGreaterThan(0); // "Café" in Latin-1 read as windows-1251
    expect(oddness("Ïðàâèòåëüñòâî")).toBeGreaterThan(0); // "Правительство" read as windows-1252
  });
});
