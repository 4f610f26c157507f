import { describe, expect, it } from "vitest";
import {
  escapeAttr,
  escapeHtml,
  linkHtml,
  safeHref,
  TELEGRAM_TEXT_LIMIT,
  truncateText,
  visibleLength,
  visibleText,
} from "../../src/news/html.js";

describe("escapeHtml", () => {
  it("escapes the three characters Telegram's HTML parser reads in text", () => {
    expect(escapeHtml(`AT&T <b>beats</b> "forecasts" <script>`)).toBe(`AT&amp;T &lt;b&gt;beats&lt;/b&gt; "forecasts" &lt;script&gt;`);
  });

  it("escapes an entity that is already in the input, so it shows as typed", () => {
    expect(escapeHtml("Fish &amp; Chips &nbsp; &#60;")).toBe("Fish &amp;amp; Chips &amp;nbsp; &amp;#60;");
    expect(visibleText(escapeHtml("Fish &amp; Chips"))).toBe("Fish &amp; Chips");
  });

  it("replaces a lone surrogate, which Telegram could not encode, and keeps real pairs", () => {
    expect(escapeHtml("a\uD83Db 😀")).toBe("a\uFFFDb 😀");
    expect(escapeHtml("\uDE00x")).toBe("\uFFFDx");
  });
});

describe("escapeAttr", () => {
  it("also escapes the double quote that would end the attribute", () => {
    expect(escapeAttr(`https://x.test/?a=1&b="2"<`)).toBe("https://x.test/?a=1&amp;b=&quot;2&quot;&lt;");
  });
});

describe("safeHref", () => {
  it("keeps absolute http and https URLs, normalized", () => {
    expect(safeHref("https://Example.com/a b?q=1&r=2")).toBe("https://example.com/a%20b?q=1&r=2");
    expect(safeHref("  http://example.com  ")).toBe("http://example.com/");
  });

  it.each([
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "mailto:a@b.c",
    "ftp://example.com/file",
    "/relative/path",
    "//example.com/no-scheme",
    "example.com",
    "http://",
    "",
  ])("refuses %j, which Telegram would drop or which is no web page", (url) => {
    expect(safeHref(url)).toBeNull();
  });
});

describe("linkHtml", () => {
  it("links escaped text to an escaped URL", () => {
    expect(linkHtml("https://x.test/?a=1&b=2", "Q&A <live>")).toBe('<a href="https://x.test/?a=1&amp;b=2">Q&amp;A &lt;live&gt;</a>');
  });

  it("shows only the text when the URL cannot be a link", () => {
    expect(linkHtml("javascript:alert(1)", "Click <me>")).toBe("Click &lt;me&gt;");
  });
});

describe("visibleLength", () => {
  it("counts what Telegram shows: no tags, decoded entities, UTF-16 units", () => {
    const html = '<b><a href="https://x.test/?a=1&amp;b=2">AT&amp;T &lt;3 &quot;q&quot;</a></b> 😀';
    expect(visibleText(html)).toBe('AT&T <3 "q" 😀');
    expect(visibleLength(html)).toBe(14); // 12 characters + the emoji's surrogate pair
  });

  it("decodes numeric entities", () => {
    expect(visibleText("&#39;&#x1F600;&#128512;")).toBe("'😀😀");
  });
});

describe("truncateText", () => {
  it("leaves text that fits alone", () => {
    expect(truncateText("short", 5)).toBe("short");
  });

  it("cuts at a word boundary, with an ellipsis, within the limit", () => {
    const out = truncateText("The quick brown fox jumps over the lazy dog", 20);
    expect(out).toBe("The quick brown fox…");
    expect(out.length).toBeLessThanOrEqual(20);
  });

  it("cuts inside a word when the last space is far back", () => {
    const out = truncateText("Supercalifragilisticexpialidocious word", 12);
    expect(out).toBe("Supercalifr…");
  });

  it("drops trailing punctuation before the ellipsis", () => {
    expect(truncateText("Breaking, update: more to come soon", 18)).toBe("Breaking, update…");
  });

  it("never splits an emoji, a ZWJ family, a flag or a combining accent", () => {
    const family = "👨‍👩‍👧"; // 8 UTF-16 units, one grapheme
    for (let max = 2; max < 40; max++) {
      const out = truncateText(family.repeat(10), max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.replace(/…$/, "").split(family).join("")).toBe("");
    }
    const flags = "🇦🇿🇬🇧🇫🇷🇩🇪";
    expect(truncateText(flags, 6)).toBe("🇦🇿…");
    expect(truncateText(flags, 9)).toBe("🇦🇿🇬🇧…");
    const accents = "e\u0301".repeat(10); // é as e + combining acute
    const cut = truncateText(accents, 6);
    expect(cut).toBe("e\u0301e\u0301…");
  });

  it("cuts text without spaces (Chinese) by characters", () => {
    expect(truncateText("中华人民共和国国务院新闻办公室", 6)).toBe("中华人民共…");
  });

  it("fits any length it is given", () => {
    const long = "word ".repeat(5000);
    for (const max of [0, 1, 2, 3, 100, TELEGRAM_TEXT_LIMIT]) {
      expect(truncateText(long, max).length).toBeLessThanOrEqual(max);
    }
  });
});
