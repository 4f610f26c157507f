import { describe, expect, it } from "vitest";
import { decodeHtml, metaCharset } from "../../src/leads/extract.js";
import { extractArticle } from "../../src/leads/extract-worker.mjs";
import { pickLead } from "../../src/leads/lead-text.js";
import { articlePage } from "../support/article-page.js";

/**
 * Reading a news page's main text (Readability on linkedom, here on the test's
 * own thread): the story's paragraphs, not the navigation, the caption, the
 * related box or the comments; and the page's bytes decoded as a browser would.
 */

const TITLE = "Storm closes ports along the northern coast";
const PARAGRAPHS = [
  "Ferries were cancelled along the northern coast on Tuesday as winds reached 120 km/h, the port authority said.",
  "Officials expect the harbours to reopen on Thursday, once the storm has passed over the mountains to the east.",
  "Fishermen stayed ashore for a third day, and the regional government promised help for those who lost nets and boats.",
  "Forecasters said a second, weaker front could arrive at the weekend, bringing rain to the capital and the south.",
];

describe("extracting an article", () => {
  it("finds the story's paragraphs in a 200 KB page full of navigation, scripts and comments", () => {
    const html = articlePage({ title: TITLE, paragraphs: PARAGRAPHS, description: "Winds of 120 km/h shut the ports." });
    expect(html.length).toBeGreaterThan(190 * 1024);
    const page = extractArticle(html);
    expect(page.paragraphs.slice(0, PARAGRAPHS.length)).toEqual(PARAGRAPHS);
    expect(page.paragraphs.join(" ")).not.toMatch(/Photo: Agency|comment number|Section 1/);
    expect(page.excerpt).toBe("Winds of 120 km/h shut the ports.");
    expect(page.lang).toBe("en");
    expect(pickLead(page, { title: TITLE })).toBe(`${PARAGRAPHS[0]} ${PARAGRAPHS[1]}`);
  });

  it("takes a one-paragraph story for the story, not the comments under it", () => {
    const page = extractArticle(articlePage({ title: TITLE, paragraphs: [PARAGRAPHS[0]!] }));
    expect(page.paragraphs[0]).toBe(PARAGRAPHS[0]);
  });

  it("reads a Russian page, and a page with no article gives no paragraphs", () => {
    const ru = [
      "Паромное сообщение на северном побережье прервано во вторник: ветер достиг 120 км/ч, сообщили в администрации порта.",
      "Порты рассчитывают открыть в четверг, когда шторм уйдёт за горы на восток.",
    ];
    const page = extractArticle(articlePage({ title: "Шторм закрыл порты", paragraphs: ru, lang: "ru" }));
    expect(pickLead(page, { title: "Шторм закрыл порты", lang: "ru" })).toBe(ru.join(" "));
    const empty = extractArticle("<html><body><nav><a href='/'>Home</a></nav></body></html>");
    expect(pickLead(empty, { title: TITLE })).toBe("");
  });
});

describe("decoding a page", () => {
  const cyrillic = "Шторм закрыл порты";
  const cp1251 = Uint8Array.from([
    0xd8, 0xf2, 0xee, 0xf0, 0xec, 0x20, 0xe7, 0xe0, 0xea, 0xf0, 0xfb, 0xeb, 0x20, 0xef, 0xee, 0xf0, 0xf2, 0xfb,
  ]);
  const page = (meta: string) => {
    const head = new TextEncoder().encode(`<html><head>${meta}</head><body><p>`);
    const tail = new TextEncoder().encode("</p></body></html>");
    return Uint8Array.from([...head, ...cp1251, ...tail]);
  };

  it("believes the page's meta charset when the server names none", () => {
    expect(metaCharset(page('<meta charset="windows-1251">'))).toBe("windows-1251");
    expect(metaCharset(page('<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'))).toBe("windows-1251");
    expect(decodeHtml(page('<meta charset="windows-1251">'), "text/html")).toContain(cyrillic);
  });

  it("believes the server's charset over the page's, and UTF-8 bytes over both", () => {
    expect(decodeHtml(page('<meta charset="iso-8859-1">'), "text/html; charset=windows-1251")).toContain(cyrillic);
    const utf8 = new TextEncoder().encode(`<html><head><meta charset="windows-1251"></head><body>${cyrillic}</body></html>`);
    expect(decodeHtml(utf8, "text/html")).toContain(cyrillic);
  });
});
