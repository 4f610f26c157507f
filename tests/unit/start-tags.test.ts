import { describe, expect, it } from "vitest";
import { scanStartTags } from "../../src/feeds/start-tags.js";

function tags(text: string, names: string[], opts?: Parameters<typeof scanStartTags>[3]): Array<[string, Record<string, string>]> {
  const out: Array<[string, Record<string, string>]> = [];
  scanStartTags(text, new Set(names), (name, attrs) => out.push([name, Object.fromEntries(attrs)]), opts);
  return out;
}

describe("scanStartTags", () => {
  it("gives the named start tags with lowercased attribute names, the first of a repeat winning", () => {
    expect(tags(`<LINK Rel=a rel=b HREF="/x?a=1&amp;b=2" async><p><link/>`, ["link"])).toEqual([
      ["link", { rel: "a", href: "/x?a=1&b=2", async: "" }],
      ["link", {}],
    ]);
  });

  it("HTML: decodes the full entity table; skips comments and script content", () => {
    expect(tags(`<!-- <a x=1> --><script><a x=2></script><a title="caf&eacute;&hairsp;&notit;">`, ["a"])).toEqual([
      ["a", { title: "café\u200A&notit;" }],
    ]);
  });

  it("XML: only the five entities and numeric references; unknown names stay as written", () => {
    expect(tags(`<o t="&amp;&lt;&#233;&#x2014; &nbsp; &eacute;"/>`, ["o"], { xml: true })).toEqual([["o", { t: "&<é— &nbsp; &eacute;" }]]);
  });

  it("skips start tags longer than maxTagLength", () => {
    expect(tags(`<a x="${"y".repeat(100)}"><a x="short">`, ["a"], { maxTagLength: 50 })).toEqual([["a", { x: "short" }]]);
  });

  it("copes with junk and unterminated tags without throwing", () => {
    for (const junk of ["", "<", "<a", '<a x="', "<![CDATA[", "<!--", "\u0000<a>", "<<<>>>".repeat(1000)]) {
      expect(() => tags(junk, ["a"])).not.toThrow();
      expect(() => tags(junk, ["a"], { xml: true })).not.toThrow();
    }
  });
});
