import { describe, expect, it } from "vitest";
import { analyzeText, compileRules } from "../../src/prefs/keywords.js";
import { normalizeLang, passes, passesSources, sourceLangs, storyFacts } from "../../src/prefs/match.js";
import { defaultPrefs } from "../../src/prefs/preferences.js";
import type { ChatPrefs } from "../../src/prefs/types.js";

const item = { key: "apa:1", sourceId: "apa", title: "Bakıda yağış", summary: "Sabah da yağış gözlənilir." };
const prefs = (p: Partial<ChatPrefs>): ChatPrefs => ({ ...defaultPrefs(), ...p });

describe("languages", () => {
  it.each([
    ["en", "en"],
    ["en-GB", "en"],
    ["EN-us", "en"],
    ["az-Latn-AZ", "az"],
    ["pt_BR", "pt"],
    [" ru ", "ru"],
    ["fil", "fil"],
    ["und", "und"],
    [undefined, "und"],
    ["", "und"],
    ["english", "und"],
    ["e", "und"],
    ["123", "und"],
  ])("%s → %s", (lang, want) => {
    expect(normalizeLang(lang)).toBe(want);
  });

  it("sourceLangs maps each source id to its normalized lang", () => {
    const m = sourceLangs([{ id: "bbc", lang: "en-GB" }, { id: "apa", lang: "az" }, { id: "x" }]);
    expect(m).toEqual(
      new Map([
        ["bbc", "en"],
        ["apa", "az"],
        ["x", "und"],
      ]),
    );
  });
});

describe("storyFacts", () => {
  it("is what matching needs: key, source, base language, title + newline + summary", () => {
    expect(storyFacts(item, "az-Latn")).toEqual({
      key: "apa:1",
      sourceId: "apa",
      lang: "az",
      text: "Bakıda yağış\nSabah da yağış gözlənilir.",
    });
    expect(storyFacts(item, undefined).lang).toBe("und");
    expect(storyFacts({ ...item, summary: "" }, "az").text).toBe("Bakıda yağış\n");
  });
});

describe("passesSources", () => {
  const facts = { sourceId: "apa", lang: "az" };
  it("all sources and languages", () => {
    expect(passesSources(prefs({}), facts)).toBe(true);
  });
  it("a list of sources", () => {
    expect(passesSources(prefs({ sources: ["apa", "bbc"] }), facts)).toBe(true);
    expect(passesSources(prefs({ sources: ["bbc"] }), facts)).toBe(false);
  });
  it("a list of languages; a source without one counts as und", () => {
    expect(passesSources(prefs({ langs: ["az", "ru"] }), facts)).toBe(true);
    expect(passesSources(prefs({ langs: ["en"] }), facts)).toBe(false);
    expect(passesSources(prefs({ langs: ["und"] }), { sourceId: "x", lang: "und" })).toBe(true);
    expect(passesSources(prefs({ langs: ["en"] }), { sourceId: "x", lang: "und" })).toBe(false);
  });
  it("both must agree", () => {
    expect(passesSources(prefs({ sources: ["apa"], langs: ["en"] }), facts)).toBe(false);
    expect(passesSources(prefs({ sources: ["bbc"], langs: ["az"] }), facts)).toBe(false);
    expect(passesSources(prefs({ sources: ["apa"], langs: ["az"] }), facts)).toBe(true);
  });
});

describe("passes", () => {
  const facts = storyFacts(item, "az");
  const text = analyzeText(facts.text);

  it("sources, languages and keywords together", () => {
    expect(passes(prefs({}), facts, text)).toBe(true);
    expect(passes(prefs({ keywords: { include: ["Baki"], exclude: [], phrases: [] } }), facts, text)).toBe(true);
    expect(passes(prefs({ keywords: { include: ["Gəncə"], exclude: [], phrases: [] } }), facts, text)).toBe(false);
    expect(passes(prefs({ keywords: { include: [], exclude: ["yağış"], phrases: [] } }), facts, text)).toBe(false);
    expect(passes(prefs({ sources: ["bbc"], keywords: { include: ["Baki"], exclude: [], phrases: [] } }), facts, text)).toBe(false);
    expect(passes(prefs({ langs: ["ru"] }), facts, text)).toBe(false);
  });

  it("uses the compiled rules when given (null = no rules), else compiles prefs.keywords", () => {
    const p = prefs({ keywords: { include: ["Gəncə"], exclude: [], phrases: [] } });
    expect(passes(p, facts, text)).toBe(false);
    expect(passes(p, facts, text, compileRules(p.keywords))).toBe(false);
    expect(passes(p, facts, text, null)).toBe(true);
    expect(passes(p, facts, text, compileRules({ include: ["Bakı"], exclude: [], phrases: [] }))).toBe(true);
    // sources first, whatever the rules
    expect(passes({ ...p, sources: ["bbc"] }, facts, text, null)).toBe(false);
  });
});
