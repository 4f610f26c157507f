import { describe, expect, it } from "vitest";
import { decodeEntities, htmlToLine, htmlToText, sliceSafe, tidyText } from "../../src/news/html-text.js";

describe("decodeEntities", () => {
  it("decodes named, decimal and hex references", () => {
    expect(decodeEntities("&laquo;Hi&raquo; &mdash; wait&hellip; it&rsquo;s &#1234; &#x4F60;&#X597D;")).toBe("«Hi» — wait… it’s Ӓ 你好");
    expect(decodeEntities("a&nbsp;b")).toBe("a\u00A0b");
  });

  it("reads 0x80–0x9F references as windows-1252, like browsers", () => {
    expect(decodeEntities("It&#146;s &#147;fine&#148; &#150; ok")).toBe("It’s “fine” – ok");
  });

  it("turns impossible code points into U+FFFD instead of throwing", () => {
    expect(decodeEntities("&#0;&#xD800;&#x110000;&#99999999999;")).toBe("\uFFFD\uFFFD\uFFFD\uFFFD");
  });

  it("decodes only one layer", () => {
    expect(decodeEntities("AT&amp;amp;T")).toBe("AT&amp;T");
  });

  it("leaves unknown names and bare ampersands alone", () => {
    expect(decodeEntities("AT&T &foo; R&D &")).toBe("AT&T &foo; R&D &");
  });

  it("accepts legacy names without ';' but not inside a query string", () => {
    expect(decodeEntities("Tom &amp Jerry &copy 2024")).toBe("Tom & Jerry © 2024");
    expect(decodeEntities("/page?a=1&copy=2&lt=3")).toBe("/page?a=1&copy=2&lt=3");
  });

  it("knows the Turkish letters", () => {
    expect(decodeEntities("&Idot;stanbul &scedil;ehri, &gbreve; &inodot;")).toBe("İstanbul şehri, ğ ı");
  });

  it("knows the whole HTML5 table", () => {
    expect(decodeEntities("a&hairsp;b")).toBe("a\u200Ab");
    expect(decodeEntities("&NotGreaterEqual; &bigstar; &phone;")).toBe("\u2271 \u2605 \u260E");
    expect(htmlToText("<p>10&hairsp;000 km</p>")).toBe("10 000 km");
  });

  it("decodes every legacy name without ';', as HTML does, but not glued to a word", () => {
    expect(decodeEntities("caf&eacute au lait, &Eacute;t&eacute")).toBe("café au lait, Été");
    expect(decodeEntities("caf&eacutes &notit;")).toBe("caf&eacutes &notit;");
    expect(htmlToText("<p>Caf&eacute cr&egrave;me</p>")).toBe("Café crème");
  });

  it("decodes &amp;amp; once per layer: one layer here, htmlToText peels layers until none is left", () => {
    expect(decodeEntities("&amp;amp;")).toBe("&amp;");
    expect(decodeEntities(decodeEntities("&amp;amp;"))).toBe("&");
    expect(htmlToText("AT&amp;amp;T")).toBe("AT&T");
  });

  it("decodes numeric references, with or without ';'", () => {
    expect(decodeEntities("&#65;&#x42;&#X43; &#68 &#x45 &#0065;")).toBe("ABC D E A");
    expect(decodeEntities("&#128512; &#x1F600;")).toBe("😀 😀");
    expect(decodeEntities("&#; &#x; &#xZZ;")).toBe("&#; &#x; &#xZZ;");
  });
});

describe("htmlToText", () => {
  it("strips tags and keeps paragraphs and <br> as lines", () => {
    expect(htmlToText("<p>First <b>bold</b> line.</p><p>Second<br/>third</p>")).toBe("First bold line.\nSecond\nthird");
  });

  it("treats the source's own line breaks as spaces in HTML", () => {
    expect(htmlToText("<p>The minister\nsaid on\r\nMonday</p>")).toBe("The minister said on Monday");
  });

  it("keeps line breaks of plain text", () => {
    expect(htmlToText("Line one\n\n\nLine two")).toBe("Line one\nLine two");
  });

  it("removes scripts, styles, iframes and media with their content", () => {
    expect(
      htmlToText(
        "Safe<script>alert('x')</script> <style>p{color:red}</style>text<iframe src=//e.com>Your browser…</iframe>" +
          "<video><p>Video not supported</p></video><noscript><img src=x></noscript>.",
      ),
    ).toBe("Safe text .");
  });

  it("drops everything after an unclosed <script>, as a browser would", () => {
    expect(htmlToText("News <script>document.write('<p>gotcha</p>')")).toBe("News");
  });

  it("drops images and photo captions", () => {
    expect(htmlToText('<figure><img src="a.jpg" alt="A cat"><figcaption>Photo: Reuters</figcaption></figure><p>Cats win.</p>')).toBe(
      "Cats win.",
    );
  });

  it("is not fooled by '>' inside quoted attributes or by comments", () => {
    expect(htmlToText("<a title=\"a > b\" href='/x?a=1&b=2'>link</a> <!-- <p>hidden</p> --> end")).toBe("link end");
  });

  it("keeps comparison signs that are not tags", () => {
    expect(htmlToText("3 < 5 and 7 > 2")).toBe("3 < 5 and 7 > 2");
    expect(htmlToText("a <b c")).toBe("a <b c");
  });

  it("decodes double-escaped text completely (AT&amp;amp;T → AT&T)", () => {
    expect(htmlToText("AT&amp;T")).toBe("AT&T");
    expect(htmlToText("AT&amp;amp;T")).toBe("AT&T");
    expect(htmlToText("&amp;quot;Quoted&amp;quot;")).toBe('"Quoted"');
  });

  it("strips markup that only appears after decoding", () => {
    expect(htmlToText("&amp;lt;b&amp;gt;Breaking&amp;lt;/b&amp;gt; news")).toBe("Breaking news");
    expect(htmlToText("&lt;p&gt;One&lt;/p&gt;&lt;p&gt;Two&lt;/p&gt;")).toBe("One\nTwo");
    expect(htmlToText("&lt;script&gt;alert(1)&lt;/script&gt;Hello")).toBe("Hello");
  });

  it("keeps escaped angle brackets that are not HTML elements", () => {
    expect(htmlToText("Why List&lt;String&gt; is slow")).toBe("Why List<String> is slow");
    // raw, it is a tag, as a browser would read it
    expect(htmlToText("Why List<String> is slow")).toBe("Why List is slow");
  });

  it("turns &nbsp; and other spaces into single spaces", () => {
    expect(htmlToText("a&nbsp;&nbsp; b\u2009\u3000c")).toBe("a b c");
  });

  it("keeps emoji sequences, RTL text and ZWNJ intact", () => {
    expect(htmlToText("<p>👩‍👩‍👧 🇦🇿 مرحبا بالعالم</p><p>می‌خواهم</p>")).toBe("👩‍👩‍👧 🇦🇿 مرحبا بالعالم\nمی‌خواهم");
  });

  it("removes bidi overrides, controls and zero-width spaces", () => {
    expect(htmlToText("evil\u202Etxt.exe\u0007 zero\u200Bwidth\uFEFF")).toBe("eviltxt.exe zerowidth");
  });

  it("handles hostile input in linear time", () => {
    const start = performance.now();
    htmlToText(`${"<a ".repeat(60_000)}>`);
    htmlToText(`${"<video>".repeat(30_000)}x`);
    htmlToText("&amp;lt;b&amp;gt;".repeat(20_000));
    htmlToText(`<a x="${"<b ".repeat(60_000)}`);
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});

describe("htmlToLine", () => {
  it("makes one line of a multi-paragraph title", () => {
    expect(htmlToLine("<h1>Big</h1>\n<p>news</p>")).toBe("Big news");
  });

  it("strips real HTML but keeps angle-bracket text in plain-text titles", () => {
    expect(htmlToLine("Why Vector<int> beats List<T> <em>again</em>")).toBe("Why Vector<int> beats List<T> again");
    expect(htmlToLine("Word<o:p></o:p> junk<!-- x -->")).toBe("Word junk");
  });
});

describe("tidyText / sliceSafe", () => {
  it("replaces lone surrogates so the text can be sent as UTF-8", () => {
    expect(tidyText("a\uD83Db")).toBe("a\uFFFDb");
  });

  it("never splits a surrogate pair", () => {
    expect(sliceSafe("ab😀", 3)).toBe("ab");
    expect(sliceSafe("ab😀", 4)).toBe("ab😀");
  });
});
