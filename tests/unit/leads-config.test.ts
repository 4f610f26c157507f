import { describe, expect, it } from "vitest";
import { fulltextOf, parseSources } from "../../src/config.js";
import { parseAddSourceArgs } from "../../src/sources/admin.js";

/** The fulltext option where an admin writes it: the sources file, and after /addsource's address. */

describe("fulltext in the sources file", () => {
  it("takes auto, always or never, and a source that names none is auto", () => {
    const r = parseSources(
      JSON.stringify({
        sources: [
          { id: "a", name: "A", url: "https://a.example/feed", fulltext: "always" },
          { id: "b", name: "B", url: "https://b.example/feed", fulltext: "never" },
          { id: "c", name: "C", url: "https://c.example/feed" },
        ],
      }),
      "sources.json",
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.sources.map(fulltextOf)).toEqual(["always", "never", "auto"]);
  });

  it("names the entry and the field for anything else", () => {
    const r = parseSources(JSON.stringify({ sources: [{ id: "a", name: "A", url: "https://a.example/feed", fulltext: "yes" }] }), "s.json");
    expect(r).toEqual({ ok: false, errors: ['SOURCES_FILE s.json: sources[0].fulltext: must be "auto", "always" or "never"'] });
  });
});

describe("/addsource's words", () => {
  it("takes the address and fulltext=… in any order and case", () => {
    expect(parseAddSourceArgs("https://a.example/feed fulltext=never")).toEqual({
      ok: true,
      input: "https://a.example/feed",
      options: { fulltext: "never" },
    });
    expect(parseAddSourceArgs("  FULLTEXT=Always   a.example ")).toEqual({ ok: true, input: "a.example", options: { fulltext: "always" } });
    expect(parseAddSourceArgs("https://a.example/feed")).toEqual({ ok: true, input: "https://a.example/feed", options: {} });
  });

  it("keeps an address with = in its query, and several words as one (not an address)", () => {
    expect(parseAddSourceArgs("https://a.example/rss?lang=ru&x=1")).toMatchObject({ input: "https://a.example/rss?lang=ru&x=1" });
    expect(parseAddSourceArgs("not a url")).toMatchObject({ ok: true, input: "not a url" });
    expect(parseAddSourceArgs("")).toEqual({ ok: true, input: "", options: {} });
  });

  it("refuses an option it does not know, or a value fulltext does not take", () => {
    expect(parseAddSourceArgs("https://a.example/feed fulltext=sometimes")).toEqual({ ok: false, option: "fulltext=sometimes" });
    expect(parseAddSourceArgs("https://a.example/feed lang=ru")).toEqual({ ok: false, option: "lang=ru" });
    expect(parseAddSourceArgs("https://a.example/feed fulltext=")).toEqual({ ok: false, option: "fulltext=" });
  });
});
