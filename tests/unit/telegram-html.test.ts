import { describe, expect, it } from "vitest";
import { checkTelegramHtml } from "../support/telegram-html.js";

const PREFIX = "Bad Request: can't parse entities: ";

function refusal(text: string): string {
  const r = checkTelegramHtml(text);
  if (r.ok) throw new Error(`expected ${JSON.stringify(text)} to be refused, got ${JSON.stringify(r.visibleText)}`);
  return r.description;
}

function accepted(text: string) {
  const r = checkTelegramHtml(text);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(text)} to be accepted: ${r.description}`);
  return r;
}

describe("checkTelegramHtml: what Telegram accepts", () => {
  it("accepts nested formatting and reports the visible text and entities", () => {
    const r = accepted('<b>Bold <i>both</i></b> and <a href="https://example.com/x?a=1&amp;b=2">a link</a>');
    expect(r.visibleText).toBe("Bold both and a link");
    expect(r.visibleLength).toBe(20);
    expect(r.links).toEqual([{ href: "https://example.com/x?a=1&b=2", text: "a link" }]);
    expect(r.entities).toEqual([
      { type: "bold", offset: 0, length: 9 },
      { type: "italic", offset: 5, length: 4 },
      { type: "text_link", offset: 14, length: 6, url: "https://example.com/x?a=1&b=2" },
    ]);
  });

  it("accepts every documented tag, upper-case tag names and a bare >", () => {
    const r = accepted(
      "<strong>s</strong><em>e</em><u>u</u><ins>i</ins><s>s</s><strike>k</strike><del>d</del>" +
        '<tg-spoiler>p</tg-spoiler><span class="tg-spoiler">q</span><code>c</code>' +
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji><B>B</B> 5 > 3',
    );
    expect(r.visibleText).toBe("seuiskdpqc👍B 5 > 3");
    expect(r.entities.map((e) => e.type)).toEqual([
      "bold",
      "italic",
      "underline",
      "underline",
      "strikethrough",
      "strikethrough",
      "strikethrough",
      "spoiler",
      "spoiler",
      "code",
      "custom_emoji",
      "bold",
    ]);
  });

  it("turns <pre><code class=language-x> into one pre entity with a language", () => {
    const r = accepted('<pre><code class="language-ts">const x = 1 &lt; 2;</code></pre>');
    expect(r.visibleText).toBe("const x = 1 < 2;");
    expect(r.entities).toEqual([{ type: "pre", offset: 0, length: 16, language: "ts" }]);
  });

  it("accepts blockquote and expandable blockquote", () => {
    const r = accepted("<blockquote>one</blockquote>\n<blockquote expandable>two</blockquote>");
    expect(r.entities).toEqual([
      { type: "blockquote", offset: 0, length: 3 },
      { type: "expandable_blockquote", offset: 4, length: 3 },
    ]);
  });

  it("decodes &amp; &lt; &gt; &quot; and numeric entities", () => {
    const r = accepted("Tom &amp; Jerry&#39;s &lt;3 &gt; &quot;x&quot; &#x1F600; &#8212;");
    expect(r.visibleText).toBe('Tom & Jerry\'s <3 > "x" 😀 —');
  });

  it("counts visibleLength in UTF-16 code units: an emoji outside the BMP counts 2", () => {
    const r = accepted("<b>😀</b> ok");
    expect(r.visibleText).toBe("😀 ok");
    expect(r.visibleLength).toBe(5);
    expect(accepted("&#x1F600;").visibleLength).toBe(2);
  });

  it("counts only visible text: markup does not count toward the 4096 limit", () => {
    const r = accepted(`<b>${"a".repeat(4096)}</b>`);
    expect(r.visibleLength).toBe(4096);
  });
});

describe("checkTelegramHtml: links Telegram would drop", () => {
  it("lists a javascript: link with an empty href and creates no text_link entity", () => {
    const r = accepted('Read <a href="javascript:alert(1)">this</a>');
    expect(r.visibleText).toBe("Read this");
    expect(r.links).toEqual([{ href: "", text: "this" }]);
    expect(r.entities).toEqual([]);
  });

  it("drops relative links and keeps http, https and tg links", () => {
    const r = accepted(
      '<a href="/news/1">rel</a> <a href="http://a.example/">h</a> <a href="tg://user?id=5">u</a> <a href="ftp://x.example/">f</a>',
    );
    expect(r.links).toEqual([
      { href: "", text: "rel" },
      { href: "http://a.example/", text: "h" },
      { href: "tg://user?id=5", text: "u" },
      { href: "", text: "f" },
    ]);
  });

  it("uses the link text as the URL when href is empty, as Telegram does", () => {
    expect(accepted('<a href="">https://example.org/a</a>').links).toEqual([
      { href: "https://example.org/a", text: "https://example.org/a" },
    ]);
  });
});

describe("checkTelegramHtml: what Telegram refuses, in its words", () => {
  it("refuses <br> with the tag name and the UTF-8 byte offset", () => {
    // "Привет" is 6 characters but 12 bytes: Telegram counts bytes.
    expect(refusal("Привет<br>мир")).toBe(`${PREFIX}Unsupported start tag "br" at byte offset 12`);
    expect(refusal("<p>x</p>")).toBe(`${PREFIX}Unsupported start tag "p" at byte offset 0`);
  });

  it("refuses an unclosed <b>", () => {
    expect(refusal("<b>bold forever")).toBe(`${PREFIX}Can't find end tag corresponding to start tag "b"`);
  });

  it("refuses crossed tags and a stray end tag", () => {
    expect(refusal("<b><i>x</b></i>")).toBe(`${PREFIX}Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`);
    expect(refusal("x</b>")).toBe(`${PREFIX}Unexpected end tag at byte offset 1`);
  });

  it("refuses a stray < that is not a tag", () => {
    expect(refusal("5 < 6")).toBe(`${PREFIX}Unsupported start tag "" at byte offset 2`);
    expect(refusal("price <100")).toBe(`${PREFIX}Unclosed start tag at byte offset 6`);
  });

  it("refuses a bare &", () => {
    const d = refusal("AT&T wins");
    expect(d.startsWith(PREFIX)).toBe(true);
    expect(d).toContain('"&" at byte offset 2');
  });

  it("refuses &nbsp; and other named entities Telegram does not know", () => {
    expect(refusal("a&nbsp;b")).toContain('Unsupported HTML entity "&nbsp;" at byte offset 1');
    expect(refusal("&laquo;quoted&raquo;")).toContain('"&laquo;"');
  });

  it("refuses a numeric entity for half a surrogate pair", () => {
    expect(refusal("&#xD83D;")).toBe(
      `${PREFIX}Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units`,
    );
  });

  it("refuses attributes other than the documented ones", () => {
    expect(refusal('<a href="https://x.example" target="_blank">x</a>')).toContain('Unsupported attribute "target" in the tag "a"');
    expect(refusal("<span>x</span>")).toBe(`${PREFIX}Tag "span" must have class "tg-spoiler" at byte offset 0`);
    expect(refusal('<tg-emoji emoji-id="abc">x</tg-emoji>')).toBe(`${PREFIX}Invalid custom emoji identifier specified`);
  });

  it("refuses an unquoted attribute value with characters Telegram cannot read", () => {
    expect(refusal("<a href=https://x.example/>x</a>")).toBe(`${PREFIX}Unexpected end of name token at byte offset 8`);
  });

  it("refuses formatting inside code and links inside links", () => {
    expect(refusal("<code><b>x</b></code>")).toContain('Tag "b" can\'t be nested in the tag "code"');
    expect(refusal('<a href="https://a.example"><a href="https://b.example">x</a></a>')).toContain(
      'Tag "a" can\'t be nested in the tag "a"',
    );
  });
});
