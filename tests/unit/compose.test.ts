import { describe, expect, it } from "vitest";
import {
  broadcastTextLimit,
  composeBroadcast,
  composeDigest,
  composeDigestPart,
  composeDigestParts,
  composeHeadlines,
  composeLatest,
  composeNews,
  composeSources,
  composeTimelineDigest,
  type FormatOptions,
  type OutgoingMessage,
  type StoryEntry,
} from "../../src/news/compose.js";
import { visibleLength } from "../../src/news/html.js";
import type { Item } from "../../src/news/item.js";
import { checkTelegramHtml } from "../support/telegram-html.js";

const LIMIT = 4096;
const NOW = Date.UTC(2026, 10, 28, 15, 0); // 28 Nov 2026, 15:00 UTC
const UTC: FormatOptions = { timezone: "UTC", now: NOW };

let seq = 0;
function item(over: Partial<Item> = {}): Item {
  seq++;
  return {
    key: `bbc-world:${seq}`,
    sourceId: "bbc-world",
    sourceName: "BBC World",
    title: `Story number ${seq}`,
    link: `https://example.com/story/${seq}`,
    summary: "",
    published: "2026-11-28T14:05:00Z",
    seenAt: NOW,
    ...over,
  };
}

const ALLOWED = /^(b|strong|i|em|u|ins|s|strike|del|a|code|pre|blockquote|span|tg-spoiler)$/;

/**
 * Our own strict reading of a message: only allowed tags, balanced, every `&`
 * an entity we emit, no raw `<`/`>` in text, every href absolute http(s).
 * Returns the visible text.
 */
function strictCheck(html: string): string {
  const stack: string[] = [];
  let visible = "";
  const token = /<(\/?)([a-z-]+)((?:\s+[a-z-]+="[^"<>]*")*)>|&(lt|gt|amp|quot|#\d+);|([<>&])|([^<>&]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = token.exec(html))) {
    at = token.lastIndex;
    const [, close, name, attrs, entity, stray, text] = m;
    if (stray) throw new Error(`raw ${JSON.stringify(stray)} in text at ${m.index}: ${html.slice(m.index - 20, m.index + 20)}`);
    if (text !== undefined) visible += text;
    else if (entity !== undefined) {
      visible +=
        entity === "lt"
          ? "<"
          : entity === "gt"
            ? ">"
            : entity === "amp"
              ? "&"
              : entity === "quot"
                ? '"'
                : String.fromCodePoint(Number(entity.slice(1)));
    } else if (name !== undefined) {
      if (!ALLOWED.test(name)) throw new Error(`tag <${name}> is not allowed`);
      if (close) {
        if (stack.pop() !== name) throw new Error(`unbalanced </${name}>`);
      } else {
        if (name === "a") {
          const href = /^\s+href="([^"]*)"$/.exec(attrs ?? "")?.[1];
          if (href === undefined) throw new Error(`<a> without exactly one href: ${attrs}`);
          const url = new URL(
            href
              .replace(/&quot;/g, '"')
              .replace(/&lt;/g, "<")
              .replace(/&gt;/g, ">")
              .replace(/&amp;/g, "&"),
          );
          if (!/^https?:$/.test(url.protocol)) throw new Error(`href ${href} is not http(s)`);
        } else if (attrs) throw new Error(`<${name}> has attributes ${attrs}`);
        stack.push(name);
      }
    }
  }
  if (at !== html.length) throw new Error(`could not read the message from ${at}`);
  if (stack.length) throw new Error(`unclosed tags: ${stack.join(", ")}`);
  return visible;
}

/** What the user sees, after checking the message is one Telegram accepts and within the limit. */
function seen(msg: OutgoingMessage): string {
  expect(msg.parse_mode).toBe("HTML");
  const visible = strictCheck(msg.text);
  const telegram = checkTelegramHtml(msg.text);
  if (!telegram.ok) throw new Error(telegram.description);
  expect(telegram.visibleText).toBe(visible);
  expect(visibleLength(msg.text)).toBe(visible.length);
  expect(visible.length).toBeLessThanOrEqual(LIMIT);
  // No half of a surrogate pair anywhere: Telegram would refuse the text.
  expect(visible).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  return visible;
}

function links(msg: OutgoingMessage): { href: string; text: string }[] {
  const r = checkTelegramHtml(msg.text);
  if (!r.ok) throw new Error(r.description);
  return r.links;
}

describe("composeNews: the card", () => {
  it("renders a news site's article card", () => {
    const story = item({
      title: "AT&T beats forecasts",
      link: "https://example.com/a",
      summary: "Revenue rose 4% as subscribers grew.\nShares jumped after the bell.",
    });
    const other = item({
      sourceId: "reuters",
      sourceName: "Reuters",
      title: "Other outlet's title",
      link: "https://other.test/x",
      published: "2026-11-28T13:00:00Z",
    });
    const earlier = item({ title: "Earlier coverage", link: "https://earlier.test/y", published: "2026-11-27T10:00:00Z" });
    const msg = composeNews({ item: story, related: [earlier, other] }, UTC);
    expect(msg.text).toBe(
      [
        '<b><a href="https://example.com/a">AT&amp;T beats forecasts</a></b>',
        "BBC World · 14:05 UTC",
        "",
        "Revenue rose 4% as subscribers grew.",
        "Shares jumped after the bell.",
        "",
        '<a href="https://example.com/a">Read more →</a>',
        "",
        "<b>Related</b>",
        '• <a href="https://other.test/x">Other outlet\'s title</a> — Reuters',
        '• <a href="https://earlier.test/y">Earlier coverage</a> — BBC World, 27 Nov',
      ].join("\n"),
    );
    seen(msg);
    expect(msg.link_preview_options).toEqual({ url: "https://example.com/a", prefer_small_media: true });
  });

  it("shows the time in the configured zone, with the date when it is not today", () => {
    const at = (published: string, opts: FormatOptions) =>
      seen(composeNews({ item: item({ published }), related: [] }, opts)).split("\n")[1];
    expect(at("2026-11-28T14:05:00Z", UTC)).toBe("BBC World · 14:05 UTC");
    expect(at("2026-11-27T09:30:00Z", UTC)).toBe("BBC World · 27 Nov, 09:30 UTC");
    expect(at("2025-12-31T23:59:00Z", UTC)).toBe("BBC World · 31 Dec 2025, 23:59 UTC");
    expect(at("2026-11-28T14:05:00Z", { timezone: "Europe/Berlin", now: NOW })).toBe("BBC World · 15:05 CET");
    // 23:30 UTC on the 27th is already the 28th in Baku (UTC+4): "today" is the zone's day.
    const baku = { timezone: "Asia/Baku", now: NOW };
    expect(at("2026-11-27T23:30:00Z", baku)).toBe("BBC World · 03:30 GMT+4");
    expect(at("2026-11-27T19:30:00Z", baku)).toBe("BBC World · 27 Nov, 23:30 GMT+4");
  });

  it("uses the time first seen when the feed gave no date", () => {
    const msg = composeNews({ item: item({ published: null, seenAt: Date.UTC(2026, 10, 28, 9, 41) }), related: [] }, UTC);
    expect(seen(msg).split("\n")[1]).toBe("BBC World · 09:41 UTC");
  });

  it("shows a hostile title literally, markup and all", () => {
    const title = `AT&T <b>beats</b> "forecasts" <script>`;
    const msg = composeNews({ item: item({ title, summary: "<i>not italic</i> & <br> fine" }), related: [] }, UTC);
    const visible = seen(msg);
    expect(visible.split("\n")[0]).toBe(title);
    expect(visible).toContain("<i>not italic</i> & <br> fine");
    expect(msg.text).not.toContain("<script>");
    expect(msg.text).not.toContain("<br>");
  });

  it("shows an entity found in the input as the characters given, not decoded", () => {
    const visible = seen(composeNews({ item: item({ title: "Fish &amp; Chips &nbsp;", summary: "5 &lt; 6" }), related: [] }, UTC));
    expect(visible.split("\n")[0]).toBe("Fish &amp; Chips &nbsp;");
    expect(visible).toContain("5 &lt; 6");
  });

  it("keeps a 10,000-character summary within the limit, cutting the summary and not the title", () => {
    const summary = "Lorem ipsum dolor sit amet. ".repeat(400);
    const msg = composeNews({ item: item({ title: "Short title", summary }), related: [item(), item()] }, UTC);
    const visible = seen(msg);
    expect(visible.split("\n")[0]).toBe("Short title");
    // Cut at a sentence end, not inside a sentence.
    expect(visible).toMatch(/ Lorem ipsum dolor sit amet\.\n\nRead more →/);
    expect(visible.length).toBeGreaterThan(LIMIT - 40); // cut only as much as needed
  });

  it("keeps a 10,000-character title and summary within the limit, ending the headline with …", () => {
    const msg = composeNews(
      {
        item: item({ title: "Headline ".repeat(1100), summary: "x".repeat(10_000) }),
        related: [item({ title: "Related ".repeat(1000), sourceId: "ap", sourceName: "AP" })],
      },
      UTC,
    );
    const visible = seen(msg);
    expect(visible.split("\n")[0]).toMatch(/^Headline( Headline)+…$/);
    expect(links(msg).map((l) => l.href)).toContain(`https://example.com/story/${seq - 1}`);
  });

  it("shortens long related titles before touching the headline", () => {
    const related = [1, 2, 3].map((n) => item({ title: `Related ${n} `.repeat(300), sourceId: `s${n}`, sourceName: `Outlet ${n}` }));
    const msg = composeNews({ item: item({ title: "Intact headline", summary: "A summary." }), related }, UTC);
    const visible = seen(msg);
    expect(visible.split("\n")[0]).toBe("Intact headline");
    const lines = visible.split("\n").filter((l) => l.startsWith("• "));
    expect(lines).toHaveLength(3);
    for (const [i, line] of lines.entries()) expect(line).toMatch(new RegExp(`^• Related ${i + 1} .*… — Outlet ${i + 1}$`));
    // Evenly: no title is left whole while another is cut to a stub.
    const lengths = lines.map((l) => l.length);
    expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(12);
    expect(visible.length).toBeGreaterThan(LIMIT - 40);
  });

  it("never splits an emoji or a surrogate pair when cutting", () => {
    const family = "👨‍👩‍👧‍👦";
    const msg = composeNews({ item: item({ title: family.repeat(1000), summary: "🇦🇿".repeat(3000) }), related: [] }, UTC);
    const headline = seen(msg).split("\n")[0]!;
    expect(headline.endsWith("…")).toBe(true);
    expect(headline.slice(0, -1).split(family).join("")).toBe("");
  });

  it("keeps right-to-left text intact, and isolated where it meets Latin text", () => {
    const title = "ارتفاع أسعار النفط بعد قرار أوبك";
    const summary = "قالت مصادر إن الإنتاج سيتراجع.";
    const related = item({ sourceId: "haaretz", sourceName: "הארץ", title: "מחירי הנפט עולים", link: "https://haaretz.test/1" });
    const msg = composeNews({ item: item({ sourceName: "الجزيرة", title, summary }), related: [related] }, UTC);
    const lines = seen(msg).split("\n");
    expect(lines[0]).toBe(title);
    expect(lines[1]).toBe("\u2068الجزيرة\u2069 · 14:05 UTC");
    expect(lines[3]).toBe(summary);
    expect(lines.at(-1)).toBe("• \u2068מחירי הנפט עולים\u2069 — \u2068הארץ\u2069");
  });

  it("emits no link for a javascript: URL, and no preview", () => {
    const story = item({ title: "Click me", link: "javascript:alert(1)" });
    const rel = item({ sourceId: "x", sourceName: "X", title: "Bad related", link: "JAVASCRIPT:alert(2)" });
    const msg = composeNews({ item: story, related: [rel] }, UTC);
    const visible = seen(msg);
    expect(msg.text).not.toMatch(/javascript/i);
    expect(msg.text).not.toContain("<a");
    expect(visible).not.toContain("Read more");
    expect(visible.split("\n")[0]).toBe("Click me");
    expect(visible).toContain("• Bad related — X");
    expect(msg.link_preview_options).toEqual({ is_disabled: true });
  });

  it("escapes a link containing quotes and ampersands so it still opens the article", () => {
    const link = 'https://example.com/a?x=1&y="2"&z=<3>#"frag"';
    const msg = composeNews({ item: item({ title: "Quoted", link }), related: [] }, UTC);
    seen(msg);
    const hrefs = links(msg).map((l) => l.href);
    expect(hrefs).toHaveLength(2); // headline and "Read more"
    for (const href of hrefs) {
      expect(new URL(href).searchParams.get("x")).toBe("1");
      expect(decodeURIComponent(new URL(href).searchParams.get("y")!)).toBe('"2"');
      expect(decodeURIComponent(new URL(href).searchParams.get("z")!)).toBe("<3>");
    }
    expect(msg.link_preview_options.url).toBe(hrefs[0]);
  });

  it("lists at most 3 related stories, other outlets first, skipping the story's own link", () => {
    const story = item({ link: "https://example.com/same" });
    const rel = [
      item({ title: "Own 1" }),
      item({ title: "Same link elsewhere", sourceId: "ap", sourceName: "AP", link: "https://example.com/same" }),
      item({ title: "Reuters 1", sourceId: "reuters", sourceName: "Reuters" }),
      item({ title: "Own 2" }),
      item({ title: "AP 1", sourceId: "ap", sourceName: "AP" }),
      item({ title: "Guardian 1", sourceId: "guardian", sourceName: "The Guardian" }),
    ];
    const visible = seen(composeNews({ item: story, related: rel }, UTC));
    const lines = visible.split("\n").filter((l) => l.startsWith("• "));
    expect(lines).toEqual(["• Reuters 1 — Reuters", "• AP 1 — AP", "• Guardian 1 — The Guardian"]);
  });

  it("shows no Related section when every related story is the story itself", () => {
    const story = item();
    const visible = seen(composeNews({ item: story, related: [story, { ...story, key: "other-key" }] }, UTC));
    expect(visible).not.toContain("Related");
  });
});

/** The lines of the card's "Also reported by" section, without its heading. */
function alsoLines(visible: string): string[] {
  const lines = visible.split("\n");
  const start = lines.indexOf("Also reported by");
  if (start < 0) return [];
  const end = lines.indexOf("", start);
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

function relatedLines(visible: string): string[] {
  const lines = visible.split("\n");
  const start = lines.indexOf("Related");
  return start < 0 ? [] : lines.slice(start + 1);
}

describe("composeNews: other reports of the same story", () => {
  it("lists the other outlets' reports after Read more, oldest first as given, each outlet linked to its report", () => {
    const story = item({ title: "Quake hits the coast", link: "https://example.com/quake" });
    const ap = item({
      sourceId: "ap",
      sourceName: "AP",
      title: "Strong quake strikes",
      link: "https://ap.test/q",
      published: "2026-11-27T23:10:00Z",
    });
    const reuters = item({
      sourceId: "reuters",
      sourceName: "Reuters",
      title: "Reuters' take on the quake",
      link: "https://reuters.test/q",
      published: "2026-11-28T13:00:00Z",
    });
    const update = item({ title: "Quake: death toll rises", link: "https://example.com/quake-update", published: "2026-11-28T14:30:00Z" });
    const earlier = item({ sourceId: "dw", sourceName: "DW", title: "Earlier tremors reported", link: "https://dw.test/e" });
    const msg = composeNews({ item: story, related: [earlier], also: [ap, reuters, update] }, UTC);
    expect(msg.text).toBe(
      [
        '<b><a href="https://example.com/quake">Quake hits the coast</a></b>',
        "BBC World · 14:05 UTC",
        "",
        '<a href="https://example.com/quake">Read more →</a>',
        "",
        "<b>Also reported by</b>",
        '• <a href="https://ap.test/q">AP</a>, 27 Nov — Strong quake strikes',
        '• <a href="https://reuters.test/q">Reuters</a> — Reuters\' take on the quake',
        "",
        "<b>Related</b>",
        '• <a href="https://dw.test/e">Earlier tremors reported</a> — DW',
      ].join("\n"),
    );
    // The story's own outlet's update is this story: neither "also" nor "related".
    expect(seen(msg)).not.toContain("death toll rises");
    // The headline still gives the preview: the first report is the message's story.
    expect(msg.link_preview_options).toEqual({ url: "https://example.com/quake", prefer_small_media: true });
  });

  it("shows no Also section for an empty list, nor one holding only the story itself", () => {
    const story = item();
    const visible = seen(composeNews({ item: story, related: [], also: [story, { ...story, key: "same-link" }] }, UTC));
    expect(visible).not.toContain("Also reported by");
    expect(seen(composeNews({ item: item(), related: [], also: [] }, UTC))).not.toContain("Also reported by");
  });

  it("keeps the other reports of the story out of Related, matching by key or by link", () => {
    const story = item();
    const reuters = item({ sourceId: "reuters", sourceName: "Reuters", title: "Reuters report", link: "https://reuters.test/1" });
    const ap = item({ sourceId: "ap", sourceName: "AP", title: "AP report", link: "https://ap.test/1" });
    const related = [
      { ...reuters, title: "Reuters report, stored again" }, // same key
      item({ sourceId: "ap2", sourceName: "AP mirror", title: "AP report via mirror", link: "https://ap.test/1" }), // same link
      item({ sourceId: "dw", sourceName: "DW", title: "Background on the region", link: "https://dw.test/1" }),
    ];
    const visible = seen(composeNews({ item: story, related, also: [reuters, ap, reuters] }, UTC));
    expect(alsoLines(visible)).toEqual(["• Reuters — Reuters report", "• AP — AP report"]);
    expect(relatedLines(visible)).toEqual(["• Background on the region — DW"]);
  });

  it("shows 6 reports and says how many more there are", () => {
    const story = item({ title: "Summit opens" });
    const also = Array.from({ length: 9 }, (_, i) => item({ sourceId: `o${i}`, sourceName: `Outlet ${i + 1}`, title: `Report ${i + 1}` }));
    const msg = composeNews({ item: story, related: [], also }, UTC);
    const visible = seen(msg);
    expect(alsoLines(visible)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `• Outlet ${n} — Report ${n}`).concat("…and 3 more"));
    expect(links(msg).map((l) => l.text)).toEqual(["Summit opens", "Read more →", ...[1, 2, 3, 4, 5, 6].map((n) => `Outlet ${n}`)]);
  });

  it("shows a hostile report's outlet, title and link literally", () => {
    const link = 'https://evil.test/a?x=1&y="2"&z=<3>';
    const hostile = item({ sourceId: "evil", sourceName: "<i>Evil</i> & Co", title: 'AT&T <b>beats</b> "forecasts" <script>', link });
    const msg = composeNews({ item: item(), related: [], also: [hostile] }, UTC);
    const visible = seen(msg);
    expect(alsoLines(visible)).toEqual(['• <i>Evil</i> & Co — AT&T <b>beats</b> "forecasts" <script>']);
    expect(msg.text).not.toContain("<script>");
    expect(msg.text).not.toContain("<i>");
    const evil = links(msg).find((l) => l.text === "<i>Evil</i> & Co")!;
    expect(new URL(evil.href).searchParams.get("x")).toBe("1");
    expect(decodeURIComponent(new URL(evil.href).searchParams.get("z")!)).toBe("<3>");
  });

  it("stays within the limit with 30 huge reports and huge related stories, cutting their titles evenly before the headline", () => {
    const also = Array.from({ length: 30 }, (_, i) =>
      item({
        sourceId: `o${i}`,
        sourceName: `Outlet ${i} `.repeat(20),
        title: `Also ${i} `.repeat(400),
        published: "2026-11-20T10:00:00Z",
      }),
    );
    const related = [1, 2, 3].map((n) =>
      item({ sourceId: `r${n}`, sourceName: `Related outlet ${n}`, title: `Related ${n} `.repeat(400) }),
    );
    const msg = composeNews({ item: item({ title: "Intact headline", summary: "Long summary. ".repeat(300) }), related, also }, UTC);
    const visible = seen(msg);
    expect(visible.split("\n")[0]).toBe("Intact headline");
    const shown = alsoLines(visible);
    expect(shown).toHaveLength(7);
    expect(shown.at(-1)).toBe("…and 24 more");
    const titles = [
      ...shown.slice(0, 6).map((l) => l.split(" — ").at(-1)!),
      ...relatedLines(visible).map((l) => l.slice(2).split(" — ")[0]!),
    ];
    expect(titles).toHaveLength(9);
    for (const t of titles) {
      expect(t.endsWith("…")).toBe(true);
      expect(t.length).toBeGreaterThanOrEqual(32);
    }
    expect(Math.max(...titles.map((t) => t.length)) - Math.min(...titles.map((t) => t.length))).toBeLessThanOrEqual(12);
    expect(visible.length).toBeGreaterThan(LIMIT - 40); // cut only as much as needed
    // Source names are capped, the date of a report from another day is kept.
    expect(shown[0]).toMatch(/^• (Outlet 0 )+Outlet 0…, 20 Nov — Also 0 /);
  });

  it("isolates a right-to-left outlet and title where they meet the separators", () => {
    const rtl = item({ sourceId: "haaretz", sourceName: "הארץ", title: "ارتفاع أسعار النفط", link: "https://haaretz.test/1" });
    const visible = seen(composeNews({ item: item(), related: [], also: [rtl] }, UTC));
    expect(alsoLines(visible)).toEqual(["• \u2068הארץ\u2069 — \u2068ارتفاع أسعار النفط\u2069"]);
  });
});

function stories(n: number, over: (i: number) => Partial<Item> = () => ({})): StoryEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    item: item({ title: `Digest story ${i + 1} — unique`, summary: `Summary of story ${i + 1}. `.repeat(20), ...over(i) }),
    related: [item({ sourceId: "reuters", sourceName: "Reuters", title: `Coverage of ${i + 1}` })],
  }));
}

describe("composeDigest", () => {
  it("sends several stories as one message under a count header, without previews", () => {
    const msgs = composeDigest(stories(7), UTC);
    expect(msgs).toHaveLength(1);
    const visible = seen(msgs[0]!);
    expect(visible.split("\n")[0]).toBe("📰 7 new stories, newest first");
    for (let i = 1; i <= 7; i++) expect(visible).toContain(`Digest story ${i} — unique`);
    // Related stories are other events: named apart, with their headlines, never as "Also reported by".
    expect(visible).toContain("Related: Coverage of 1 — Reuters");
    expect(visible).not.toContain("Also reported by");
    expect(msgs[0]!.link_preview_options).toEqual({ is_disabled: true });
  });

  it("gives each story a one-line teaser, not its whole summary", () => {
    const [msg] = composeDigest(stories(2), UTC);
    const lines = seen(msg!).split("\n");
    const teaser = lines[lines.indexOf("BBC World · 14:05 UTC") + 1]!;
    expect(teaser.startsWith("Summary of story 1.")).toBe(true);
    // Whole sentences that fit: "Summary of story 1." is 19 characters and a space.
    expect(teaser).toBe("Summary of story 1. ".repeat(8).trim());
    expect(teaser.length).toBeLessThanOrEqual(160);
  });

  it("says 1 new story in the singular", () => {
    expect(seen(composeDigest(stories(1), UTC)[0]!).split("\n")[0]).toBe("📰 1 new story");
  });

  it("splits 60 stories into several valid messages, each story exactly once, in order", () => {
    const entries = stories(60);
    const msgs = composeDigest(entries, UTC);
    expect(msgs.length).toBeGreaterThan(1);
    const all = msgs.map((m, i) => {
      const visible = seen(m);
      expect(visible.split("\n")[0]).toBe(`📰 60 new stories, newest first (${i + 1}/${msgs.length})`);
      return visible;
    });
    const joined = all.join("\n");
    let last = -1;
    for (const e of entries) {
      const occurrences = joined.split(e.item.title).length - 1;
      expect(occurrences, e.item.title).toBe(1);
      const at = joined.indexOf(e.item.title);
      expect(at).toBeGreaterThan(last);
      last = at;
    }
    // Never one story split across two messages: each message's stories are whole.
    for (const [i, m] of msgs.entries()) {
      const blocks = all[i]!.split("\n\n").slice(1);
      for (const block of blocks) {
        expect(block).toMatch(/^Digest story \d+ — unique\nBBC World · 14:05 UTC\n.+\nRelated: Coverage of \d+ — Reuters$/);
      }
      expect(links(m).length).toBe(blocks.length * 2);
    }
  });

  it("keeps every message within the limit even when each story is hostile and huge", () => {
    const msgs = composeDigest(
      stories(5, (i) => ({ title: `Huge ${i} `.repeat(2000), summary: "s".repeat(10_000) })),
      UTC,
    );
    expect(msgs.length).toBeGreaterThanOrEqual(5);
    for (const m of msgs) expect(seen(m).length).toBeLessThanOrEqual(LIMIT);
  });

  it("sends nothing for no stories", () => {
    expect(composeDigest([], UTC)).toEqual([]);
  });
});

describe("composeLatest", () => {
  it("numbers the stories under a heading that says the order, each with source · time, teaser, other reports and related stories apart", () => {
    const entries: StoryEntry[] = [
      {
        item: item({ title: "First", summary: "One line.\nTwo lines." }),
        also: [item({ sourceId: "reuters", sourceName: "Reuters", title: "First, as Reuters tells it", link: "https://reuters.test/1" })],
        related: [
          item({
            sourceId: "ap",
            sourceName: "AP",
            title: "Background to the first",
            link: "https://ap.test/1",
            published: "2026-11-26T10:00:00Z",
          }),
        ],
      },
      { item: item({ title: "Second", published: "2026-11-27T08:00:00Z" }), related: [] },
    ];
    const [msg, ...rest] = composeLatest(entries, UTC);
    expect(rest).toEqual([]);
    expect(seen(msg!)).toBe(
      [
        "🗞 Latest 2 stories, newest first",
        "",
        "1. First",
        "BBC World · 14:05 UTC",
        "One line. Two lines.",
        "Also reported by: Reuters",
        "Related: Background to the first — AP (26 Nov)",
        "",
        "2. Second",
        "BBC World · 27 Nov, 08:00 UTC",
      ].join("\n"),
    );
    expect(links(msg!).map((l) => `${l.text} ${l.href}`)).toEqual([
      `First ${entries[0]!.item.link}`,
      "Reuters https://reuters.test/1",
      "Background to the first https://ap.test/1",
      `Second ${entries[1]!.item.link}`,
    ]);
    expect(msg!.link_preview_options).toEqual({ is_disabled: true });
  });

  it("says 'the latest story' for one", () => {
    expect(seen(composeLatest([{ item: item({ title: "Only" }), related: [] }], UTC)[0]!).split("\n")[0]).toBe("🗞 The latest story");
  });

  it("says how news arrives when there is none yet", () => {
    const msgs = composeLatest([], UTC);
    expect(msgs).toHaveLength(1);
    expect(seen(msgs[0]!)).toBe("No news yet — sources are polled every few minutes.");
  });

  it("keeps numbering across messages when the list must be split", () => {
    const msgs = composeLatest(
      stories(10, () => ({ summary: "", title: "T ".repeat(700) })),
      UTC,
    );
    expect(msgs.length).toBeGreaterThan(1);
    const numbers = msgs.flatMap((m) => [...seen(m).matchAll(/^(\d+)\. /gm)].map((x) => Number(x[1])));
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(seen(msgs[0]!).split("\n")[0]).toBe(`🗞 Latest 10 stories, newest first (1/${msgs.length})`);
  });
});

/** The "source · time" lines of a list message, in order. */
function metaLines(visible: string): string[] {
  return visible.split("\n").filter((l) => / · \S/.test(l) && !l.startsWith("Related:"));
}

/** A story with its own outlet's update, two other outlets (one twice, one in Azerbaijani) and related stories that repeat events. */
function busyStory(): { entry: StoryEntry; second: StoryEntry } {
  const at = (hh: number, mm: number) => new Date(Date.UTC(2026, 10, 28, hh, mm)).toISOString();
  const story = item({ title: "Earthquake of magnitude 6.1 strikes near Baku", published: at(14, 1), lang: "en" } as Partial<Item>);
  const update = item({ title: "Baku quake: death toll rises to 3", published: at(14, 30), lang: "en" } as Partial<Item>);
  const apa = item({
    sourceId: "apa",
    sourceName: "APA",
    title: "Bakıda 6,1 bal gücündə zəlzələ",
    link: "https://apa.test/1",
    lang: "az",
  } as Partial<Item>);
  const apa2 = item({
    sourceId: "apa",
    sourceName: "APA",
    title: "Zəlzələ: yeni təfərrüatlar",
    link: "https://apa.test/2",
    lang: "az",
  } as Partial<Item>);
  const tass = item({
    sourceId: "tass",
    sourceName: "TASS",
    title: "Землетрясение магнитудой 6,1 в Баку",
    link: "https://tass.test/1",
    lang: "ru",
  } as Partial<Item>);
  const wire = item({
    sourceId: "wire",
    sourceName: "World Wire",
    title: "Quake near Baku",
    link: "https://wire.test/q",
    lang: "en-GB",
  } as Partial<Item>);
  // The second story of the list, and a report of it.
  const pipeline = item({ sourceId: "dw", sourceName: "DW", title: "Gas pipeline to Europe resumes flow", published: at(14, 2) });
  const pipelineAp = item({
    sourceId: "ap",
    sourceName: "AP",
    title: "Pipeline flow to Europe resumes after halt",
    link: "https://ap.test/pipe",
  });
  const aftershocks = item({
    sourceId: "ap",
    sourceName: "AP",
    title: "Aftershocks expected for a week, agency says",
    link: "https://ap.test/after",
  });
  const aftershocksAgain = item({
    sourceId: "reuters",
    sourceName: "Reuters",
    title: "Aftershocks expected for a week after the quake, agency says",
    link: "https://reuters.test/after",
  });
  const entry: StoryEntry = {
    item: story,
    also: [update, apa, tass, apa2, wire],
    related: [
      { ...apa, key: "apa-again" }, // a report of the story itself, stored again
      pipeline, // another entry of the list
      pipelineAp, // a report of another entry
      aftershocks,
      aftershocksAgain, // the same event as the one before
    ],
  };
  return { entry, second: { item: pipeline, also: [pipelineAp], related: [aftershocks] } };
}

describe("lists: as the reader sees /latest and digests", () => {
  it("/latest: newest first whatever order it is given, times that run down, each event once", () => {
    const { entry, second } = busyStory();
    const older = { item: item({ title: "Budget talks stall", published: "2026-11-28T13:59:00Z" }), related: [] };
    for (const input of [
      [older, entry, second],
      [second, older, entry],
    ]) {
      const [msg, ...rest] = composeLatest(input, UTC);
      expect(rest).toEqual([]);
      const visible = seen(msg!);
      expect(visible).toBe(
        [
          "🗞 Latest 3 stories, newest first",
          "",
          "1. Gas pipeline to Europe resumes flow",
          "DW · 14:02 UTC",
          "Also reported by: AP",
          "Related: Aftershocks expected for a week, agency says — AP",
          "",
          "2. Earthquake of magnitude 6.1 strikes near Baku",
          "BBC World · 14:01 UTC",
          "Also reported by: APA (az), TASS (ru), World Wire",
          "",
          "3. Budget talks stall",
          "BBC World · 13:59 UTC",
        ].join("\n"),
      );
      expect(metaLines(visible)).toEqual(["DW · 14:02 UTC", "BBC World · 14:01 UTC", "BBC World · 13:59 UTC"]);
    }
  });

  it("a digest: the same order, said in its header, and never the story's own outlet under Also reported by", () => {
    const { entry, second } = busyStory();
    // Timeline order is oldest first.
    for (const msg of [composeTimelineDigest([entry, second], 0, UTC)!, composeDigest([entry, second], UTC)[0]!]) {
      const visible = seen(msg);
      const blocks = visible.split("\n\n");
      expect(blocks[0]).toBe("📰 2 new stories, newest first");
      expect(blocks[1]!.split("\n")[0]).toBe("Gas pipeline to Europe resumes flow");
      expect(blocks[2]).toBe(
        [
          "Earthquake of magnitude 6.1 strikes near Baku",
          "BBC World · 14:01 UTC",
          "Also reported by: APA (az), TASS (ru), World Wire",
        ].join("\n"),
      );
      // The outlet is the link to its first report; the same outlet's second report and the story's own update are left out.
      const hrefs = links(msg).map((l) => l.href);
      expect(hrefs).toContain("https://apa.test/1");
      expect(hrefs).not.toContain("https://apa.test/2");
      expect(visible).not.toContain("death toll");
      // The aftershocks appear once in the message, though two entries (and two outlets) relate to them.
      expect(visible.split("Aftershocks").length - 1).toBe(1);
    }
  });

  it("a card: related stories never repeat the story, its reports or each other", () => {
    const { entry } = busyStory();
    const visible = seen(composeNews(entry, UTC));
    expect(alsoLines(visible)).toEqual([
      "• APA (az) — Bakıda 6,1 bal gücündə zəlzələ",
      "• TASS (ru) — Землетрясение магнитудой 6,1 в Баку",
      "• World Wire — Quake near Baku",
    ]);
    // On a card the pipeline story is related; AP's report of it is the same event, told alike, so it is named once.
    expect(relatedLines(visible)).toEqual([
      "• Gas pipeline to Europe resumes flow — DW",
      "• Aftershocks expected for a week, agency says — AP",
    ]);
  });

  it("marks no language when the story's or the outlet's is unknown", () => {
    const story = item({ title: "Summit opens" });
    const apa = item({ sourceId: "apa", sourceName: "APA", title: "Sammit açılır", lang: "az" } as Partial<Item>);
    const [msg] = composeLatest([{ item: story, also: [apa], related: [] }], UTC);
    expect(seen(msg!).split("\n").at(-1)).toBe("Also reported by: APA");
  });

  it("names at most 6 other outlets and counts the rest", () => {
    const also = Array.from({ length: 8 }, (_, i) => item({ sourceId: `o${i}`, sourceName: `O${i + 1}` }));
    const related = [item({ sourceId: "dw", sourceName: "DW", title: "Another event" })];
    const [msg] = composeLatest([{ item: item({ title: "Big story" }), also, related }], UTC);
    const lines = seen(msg!).split("\n");
    expect(lines.slice(-2)).toEqual(["Also reported by: O1, O2, O3, O4, O5, O6 +2 more", "Related: Another event — DW"]);
  });

  it("ends every teaser well: whole sentences, or words and …", () => {
    const fragment =
      "Valve says the ruling does not apply to it. Experts disagree. Is Valve going to have to let you resell your games? Weird! The";
    const entries: StoryEntry[] = [
      { item: item({ title: "Court rules on game resales", summary: fragment }), related: [] },
      { item: item({ title: "Long one", summary: `${"word ".repeat(60)}end` }), related: [] },
    ];
    const teasers = seen(composeLatest(entries, UTC)[0]!)
      .split("\n")
      .filter((l) => l.startsWith("Valve") || l.startsWith("word"));
    expect(teasers[0]).toBe(
      "Valve says the ruling does not apply to it. Experts disagree. Is Valve going to have to let you resell your games? Weird!",
    );
    expect(teasers[1]).toMatch(/^(word ){30,}word…$/);
    expect(teasers[1]!.length).toBeLessThanOrEqual(160);
  });

  it("keeps every list message valid Telegram HTML within 4096 characters with hostile, huge related stories", () => {
    const entries = Array.from({ length: 10 }, (_, i) => ({
      item: item({ title: `Huge ${i} <b>`.repeat(300), summary: "s & <i>".repeat(2000) }),
      also: Array.from({ length: 9 }, (_, j) =>
        item({ sourceId: `a${j}`, sourceName: `Outlet <${j}> & co `.repeat(10), lang: "az" } as Partial<Item>),
      ),
      related: Array.from({ length: 3 }, (_, j) =>
        item({ sourceId: `r${j}`, sourceName: `R${j}`, title: `Related ${i}-${j} "q" `.repeat(200) }),
      ),
    }));
    for (const m of [...composeLatest(entries, UTC), ...composeDigest(entries, UTC), composeTimelineDigest(entries.slice(0, 8), 3, UTC)!]) {
      expect(seen(m).length).toBeLessThanOrEqual(LIMIT);
    }
  });
});

/** Long enough entries that 40 of them need several digest messages. */
function longStories(n: number): StoryEntry[] {
  return stories(n, (i) => ({ title: `Digest story ${i + 1} — unique${" long words".repeat(25)}` }));
}

function withAlso(entry: StoryEntry, also: Item[]): StoryEntry {
  return { ...entry, also: [...(entry.also ?? []), ...also] };
}

describe("composeDigestParts and composeDigestPart", () => {
  it("tells which stories went into which part, under which header", () => {
    const entries = longStories(40);
    const parts = composeDigestParts(entries, UTC);
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.map((p) => p.message)).toEqual(composeDigest(entries, UTC));
    expect(parts.flatMap((p) => p.keys)).toEqual(entries.map((e) => e.item.key));
    for (const [i, p] of parts.entries()) {
      expect(p.header).toEqual({ count: 40, part: i + 1, parts: parts.length });
      const visible = seen(p.message);
      expect(visible.split("\n")[0]).toBe(`📰 40 new stories, newest first (${i + 1}/${parts.length})`);
      const shown = entries.filter((e) => visible.includes(e.item.title));
      expect(shown.map((e) => e.item.key)).toEqual(p.keys);
    }
  });

  it("gives the one part of a short digest its header", () => {
    const entries = stories(2);
    const [part, ...rest] = composeDigestParts(entries, UTC);
    expect(rest).toEqual([]);
    expect(part!.header).toEqual({ count: 2, part: 1, parts: 1 });
    expect(part!.keys).toEqual(entries.map((e) => e.item.key));
    expect(composeDigestPart(entries, part!.header, UTC)).toEqual(part!.message);
  });

  it("re-renders each part exactly as it was sent when nothing changed", () => {
    const entries = longStories(40);
    const byKey = new Map(entries.map((e) => [e.item.key, e]));
    for (const p of composeDigestParts(entries, UTC)) {
      expect(
        composeDigestPart(
          p.keys.map((k) => byKey.get(k)!),
          p.header,
          UTC,
        ),
      ).toEqual(p.message);
    }
  });

  it("re-renders a part with a newly merged report, same header, without changing its input", () => {
    const entries = longStories(40);
    const parts = composeDigestParts(entries, UTC);
    // The last part has room for one more line.
    const second = parts.at(-1)!;
    const byKey = new Map(entries.map((e) => [e.item.key, e]));
    const news = item({ sourceId: "afp", sourceName: "AFP", link: "https://afp.test/merged" });
    const now = second.keys.map((k) => byKey.get(k)!);
    now[0] = withAlso(now[0]!, [news]);
    const before = structuredClone(now);
    const msg = composeDigestPart(now, second.header, UTC);
    expect(now).toEqual(before);
    const visible = seen(msg!);
    expect(visible.split("\n")[0]).toBe(`📰 40 new stories, newest first (${parts.length}/${parts.length})`);
    expect(visible).toContain("Also reported by: AFP\nRelated: Coverage of");
    expect(links(msg!).map((l) => l.href)).toContain("https://afp.test/merged");
    // Only that story gained a line.
    expect(visible.replace("Also reported by: AFP\n", "")).toBe(seen(second.message));
  });

  it("says a part no longer fits in one message once its stories have gathered many reports", () => {
    const entries = longStories(40);
    const parts = composeDigestParts(entries, UTC);
    const first = parts[0]!;
    const byKey = new Map(entries.map((e) => [e.item.key, e]));
    const grown = first.keys.map((k, i) =>
      withAlso(
        byKey.get(k)!,
        Array.from({ length: 6 }, (_, j) => item({ sourceId: `o${i}-${j}`, sourceName: `Outlet with a long name ${i}-${j} `.repeat(4) })),
      ),
    );
    expect(composeDigestPart(grown, first.header, UTC)).toBeNull();
    // One grown story alone still fits under the same header.
    expect(seen(composeDigestPart(grown.slice(0, 1), first.header, UTC)!).split("\n")[0]).toBe(
      `📰 40 new stories, newest first (1/${parts.length})`,
    );
  });
});

describe("composeBroadcast", () => {
  it("shows the admin's text exactly as typed under a 📢 header", () => {
    const text = 'Maintenance tonight <b>22:00</b> & "soon" &amp; https://example.com/status?a=1&b=2';
    const msg = composeBroadcast(text, {});
    expect(seen(msg)).toBe(`📢 Announcement\n\n${text}`);
    expect(msg.text).not.toContain("<b>22:00</b>");
  });

  it("names the sender when given", () => {
    expect(seen(composeBroadcast("Hello", { from: "Anna <admin>" }))).toBe("📢 Message from Anna <admin>\n\nHello");
  });

  it("stays within the limit, and tells how much text fits", () => {
    const limit = broadcastTextLimit({});
    const exact = composeBroadcast("a".repeat(limit), {});
    expect(seen(exact)).toHaveLength(LIMIT);
    expect(seen(exact).endsWith("a")).toBe(true);
    const over = seen(composeBroadcast("word ".repeat(2000), {}));
    expect(over.length).toBeLessThanOrEqual(LIMIT);
    expect(over.endsWith("…")).toBe(true);
  });

  it("refuses an empty announcement", () => {
    expect(() => composeBroadcast("  \n ", {})).toThrow(/empty/);
  });
});

describe("composeHeadlines and composeSources", () => {
  it("lists headlines as linked bullets with their source", () => {
    const a = item({ title: "Q&A <live>", link: "https://example.com/qa" });
    const html = composeHeadlines([a]);
    expect(html).toBe('• <a href="https://example.com/qa">Q&amp;A &lt;live&gt;</a> — BBC World');
    expect(composeHeadlines([])).toBe("");
  });

  it("lists sources with their descriptions, and says how many did not fit", () => {
    const many = Array.from({ length: 200 }, (_, i) => ({
      id: `s-${i}`,
      name: `Source <${i}>`,
      url: `https://feeds.test/${i}.xml`,
      description: "A very long description of this source. ".repeat(6),
      enabled: true,
    }));
    const msg = composeSources(many);
    const visible = seen(msg);
    expect(visible.split("\n")[0]).toBe("📡 News sources (200)");
    expect(visible).toContain("• Source <0> — A very long description");
    expect(visible).toMatch(/\n…and \d+ more$/);
    expect(seen(composeSources([]))).toBe("No news sources are configured yet.");
  });
});
