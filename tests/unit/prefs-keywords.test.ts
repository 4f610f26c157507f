import { describe, expect, it } from "vitest";
import { filterProblemText } from "../../commands/filter.js";
import { english } from "../../src/i18n/translator.js";
import {
  type AnalyzedText,
  addRules,
  analyzeText,
  compileRules,
  type FilterProblem,
  hasRules,
  KeywordIndex,
  matchesRules,
  type ParsedFilter,
  parseFilter,
  removeRule,
  ruleKeyOf,
} from "../../src/prefs/keywords.js";
import { PREF_LIMITS } from "../../src/prefs/preferences.js";
import type { KeywordRules } from "../../src/prefs/types.js";

const rules = (r: Partial<KeywordRules>): KeywordRules => ({ include: [], exclude: [], phrases: [], ...r });
const match = (r: Partial<KeywordRules>, text: string) => matchesRules(compileRules(rules(r)), analyzeText(text));
/** The problems as an English reader sees them. */
const lines = (ps: readonly FilterProblem[]) => ps.map((p) => filterProblemText(english(), p));
const added = (text: string) => {
  const p = parseFilter(text);
  if (p.kind !== "add") throw new Error(`not an add: ${p.kind}`);
  return p;
};

describe("analyzeText", () => {
  it("keeps every word's term, stop words too, in order", () => {
    const t = analyzeText("The Prime Ministers' elections\nin Baku");
    expect(t.latin).toBe("en");
    expect(t.sequence).toEqual(["the", "prim", "minister", "election", "in", "baku"]);
    expect(t.terms.has("the")).toBe(true);
    expect(t.terms.has("election")).toBe(true);
  });

  it("decides the Latin rules once per text", () => {
    expect(analyzeText("Bakıda yağış").latin).toBe("turkic");
    expect(analyzeText("Bakida yagis ve kulek").latin).toBe("turkic");
    expect(analyzeText("Rain in Baku").latin).toBe("en");
    // Cyrillic is stemmed the Russian way whatever the Latin rules
    expect(analyzeText("Пашиняна").sequence).toEqual(analyzeText("Bakı Пашиняна").sequence.slice(1));
  });
});

describe("matching: English", () => {
  it("by stem", () => {
    expect(match({ include: ["election"] }, "Elections in Armenia")).toBe(true);
    expect(match({ include: ["elections"] }, "A snap election is called")).toBe(true);
    expect(match({ include: ["raise"] }, "Central bank raised rates")).toBe(true);
    expect(match({ include: ["election"] }, "Selection of the week")).toBe(false);
    expect(match({ include: ["oil"] }, "Soil erosion")).toBe(false);
  });

  it("phrases: contiguous, each word folded and stemmed", () => {
    expect(match({ phrases: ["prime minister"] }, "Prime Ministers' meeting in Yerevan")).toBe(true);
    expect(match({ phrases: ["prime minister"] }, "the PRIME MINISTER said")).toBe(true);
    expect(match({ phrases: ["prime minister"] }, "the minister of prime importance")).toBe(false);
    expect(match({ phrases: ["prime minister"] }, "prime time for the minister")).toBe(false);
    expect(match({ phrases: ["state of emergency"] }, "A state of emergency was declared")).toBe(true);
    expect(match({ phrases: ["state of emergency"] }, "The state declared an emergency")).toBe(false);
    expect(match({ phrases: ["U.S.-Iran"] }, "US Iran talks resume")).toBe(true);
    expect(match({ phrases: ["COVID-19"] }, "New COVID 19 wave")).toBe(true);
    // a phrase at the very end, and one longer than the text
    expect(match({ phrases: ["in Baku"] }, "Talks in Baku")).toBe(true);
    expect(match({ phrases: ["talks in Baku today"] }, "Talks in Baku")).toBe(false);
  });

  it("a stop word as a rule works if the reader insists", () => {
    expect(match({ include: ["the"] }, "The end")).toBe(true);
    expect(match({ include: ["the"] }, "End of story")).toBe(false);
    expect(match({ include: ["a"] }, "A day")).toBe(true);
  });

  it("apostrophes, case and diacritics", () => {
    expect(match({ include: ["Fed"] }, "The Fed's decision")).toBe(true);
    expect(match({ include: ["cafe"] }, "Café culture")).toBe(true);
    expect(match({ include: ["O'Connell"] }, "Mr OConnell spoke")).toBe(true);
    expect(match({ include: ["1,000"] }, "1000 people")).toBe(true);
  });
});

describe("matching: Russian", () => {
  it("by stem", () => {
    expect(match({ include: ["Пашинян"] }, "Встреча с Пашиняном")).toBe(true);
    expect(match({ include: ["Пашинян"] }, "Визит Пашиняна в Москву")).toBe(true);
    expect(match({ include: ["Москва"] }, "В Москве прошёл саммит")).toBe(true);
    expect(match({ include: ["выборы"] }, "Итоги выборов")).toBe(true);
    expect(match({ include: ["мир"] }, "Мирзоян заявил")).toBe(false);
  });

  it("ё is е", () => {
    expect(match({ include: ["ёлка"] }, "Ёлки в Москве")).toBe(true);
    expect(match({ include: ["елка"] }, "Главная ёлка страны")).toBe(true);
    expect(match({ include: ["прошел"] }, "В Москве прошёл саммит")).toBe(true);
  });

  it("phrases and excludes", () => {
    expect(match({ phrases: ["Газпром нефть"] }, "«Газпром нефти» выросла прибыль")).toBe(true);
    expect(match({ phrases: ["Газпром нефть"] }, "Газпром и нефть")).toBe(false);
    expect(match({ include: ["нефть"], exclude: ["спорт"] }, "Цены на нефть и спорта новости")).toBe(false);
    expect(match({ include: ["нефть"], exclude: ["спорт"] }, "Цены на нефть растут")).toBe(true);
  });
});

describe("matching: Azerbaijani", () => {
  it("folds ı, ə, İ", () => {
    expect(match({ include: ["Bakı"] }, "Protests in Baki")).toBe(true);
    expect(match({ include: ["Baki"] }, "Bakı şəhərində yağış")).toBe(true);
    expect(match({ include: ["Azərbaycan"] }, "Azerbaycan ve Turkiye")).toBe(true);
    expect(match({ include: ["İstanbul"] }, "istanbul news")).toBe(true);
    expect(match({ include: ["istanbul"] }, "İstanbul'da yağış")).toBe(true);
  });

  it("stems suffixes as far as the stemmer goes", () => {
    expect(match({ include: ["Bakı"] }, "Bakıda yağış yağır")).toBe(true);
    expect(match({ include: ["Azərbaycan"] }, "Azərbaycanın xarici siyasəti")).toBe(true);
    expect(match({ include: ["Putin"] }, "Putinin səfəri")).toBe(true);
    // the stemmer strips up to three suffixes: "Bakıdakı" keeps one of them
    expect(match({ include: ["Bakı"] }, "Bakıdakı tədbir")).toBe(false);
  });

  it("a rule word is stemmed the story's way: Putin is not put in English", () => {
    expect(match({ include: ["Putin"] }, "I put the book down")).toBe(false);
    expect(match({ include: ["Bakı"] }, "Bake a cake")).toBe(false);
  });

  it("phrases and excludes", () => {
    expect(match({ phrases: ["Cənubi Qafqaz"] }, "Cənubi Qafqazda sülh")).toBe(true);
    expect(match({ phrases: ["Cənubi Qafqaz"] }, "Qafqaz cənubi")).toBe(false);
    expect(match({ include: ["Bakı"], exclude: ["futbol"] }, "Bakıda futbolçular")).toBe(false);
  });
});

describe("matching: the rules together", () => {
  it("no rules: everything passes", () => {
    expect(compileRules(rules({}))).toBeNull();
    expect(matchesRules(null, analyzeText("anything"))).toBe(true);
  });

  it("an exclude wins over an include", () => {
    expect(match({ include: ["oil"], exclude: ["sport"] }, "Oil and sports")).toBe(false);
    expect(match({ include: ["oil"], exclude: ["sport"] }, "Oil prices")).toBe(true);
    expect(match({ include: ["oil"], exclude: ["sport"] }, "Weather")).toBe(false);
  });

  it("excludes only: all but those", () => {
    expect(match({ exclude: ["sport"] }, "Weather")).toBe(true);
    expect(match({ exclude: ["sport"] }, "Sport news")).toBe(false);
  });

  it("an exclude of several words leaves out the phrase, not each word", () => {
    expect(match({ exclude: ["climate change"] }, "Climate change summit")).toBe(false);
    expect(match({ exclude: ["climate change"] }, "Climate changes fast")).toBe(false);
    expect(match({ exclude: ["climate change"] }, "Change of climate")).toBe(true);
  });

  it("any include or phrase is enough", () => {
    const r = { include: ["Bakı"], phrases: ["prime minister"] };
    expect(match(r, "The prime minister spoke")).toBe(true);
    expect(match(r, "Rain in Baku")).toBe(false);
    expect(match(r, "Rain in Baki")).toBe(true);
  });

  it("rules that fold to nothing are left out (their chat gets everything the other rules allow)", () => {
    const c = compileRules(rules({ include: ["+++"] }));
    expect(c).not.toBeNull();
    expect(matchesRules(c, analyzeText("Weather"))).toBe(true);
  });

  it("hasRules", () => {
    expect(hasRules(rules({}))).toBe(false);
    expect(hasRules(rules({ include: ["x"] }))).toBe(true);
    expect(hasRules(rules({ exclude: ["x"] }))).toBe(true);
    expect(hasRules(rules({ phrases: ["x y"] }))).toBe(true);
  });
});

describe("parseFilter", () => {
  it("empty → show, clear → clear", () => {
    expect(parseFilter("")).toEqual({ kind: "show" });
    expect(parseFilter("   \n ")).toEqual({ kind: "show" });
    expect(parseFilter("clear")).toEqual({ kind: "clear" });
    expect(parseFilter(" CLEAR ")).toEqual({ kind: "clear" });
    expect(parseFilter("clear sport").kind).toBe("add");
  });

  it("+word and word include, -word excludes, quotes make phrases", () => {
    expect(parseFilter('+Bakı election -sport "prime minister"')).toEqual<ParsedFilter>({
      kind: "add",
      rules: { include: ["Bakı", "election"], exclude: ["sport"], phrases: ["prime minister"] },
      errors: [],
    });
  });

  it("smart quotes, «ёлочки» and „German“ quotes", () => {
    expect(added("“prime minister” «Газпром нефть» „Cənubi Qafqaz“ ”state of emergency”").rules.phrases).toEqual([
      "prime minister",
      "Газпром нефть",
      "Cənubi Qafqaz",
      "state of emergency",
    ]);
  });

  it('-"phrase" is an exclude of several words, matched as a phrase', () => {
    const p = added('-"climate change" −sport —football +"oil price"');
    expect(p.rules).toEqual({ include: [], exclude: ["climate change", "sport", "football"], phrases: ["oil price"] });
    expect(p.errors).toEqual([]);
  });

  it("display form as typed: trimmed, inner whitespace collapsed; a quoted single word is an include; several words typed as one are a phrase", () => {
    expect(added('"  prime    minister  "').rules.phrases).toEqual(["prime minister"]);
    expect(added('"Bakı"').rules).toEqual({ include: ["Bakı"], exclude: [], phrases: [] });
    expect(added("U.S.-Iran COVID-19 O'Connell").rules).toEqual({
      include: ["O'Connell"],
      exclude: [],
      phrases: ["U.S.-Iran", "COVID-19"],
    });
    expect(added("  Пашинян\n\tёлка  ").rules.include).toEqual(["Пашинян", "ёлка"]);
  });

  it("one short line per problem, naming the token; the rest still count", () => {
    const p = added(`+++ sport - + "" ${"x".repeat(61)} "a b c d e f g" oil "unclosed phrase`);
    expect(p.rules).toEqual({ include: ["sport", "oil"], exclude: [], phrases: [] });
    // data, worded at the edge
    expect(p.errors.slice(0, 3)).toEqual<FilterProblem[]>([
      { kind: "no-letters", text: "+++" },
      { kind: "nothing-after", sign: "-" },
      { kind: "nothing-after", sign: "+" },
    ]);
    expect(lines(p.errors)).toEqual([
      "No letters or digits: +++",
      "Nothing after -: write -word",
      "Nothing after +: write +word",
      'Empty phrase: ""',
      `Too long (over ${PREF_LIMITS.maxRuleLength} characters): ${"x".repeat(30)}…`,
      `Too many words (a phrase has at most ${PREF_LIMITS.maxPhraseWords}): "a b c d e f g"`,
      'Unclosed quote: "unclosed phrase',
    ]);
  });

  it("hostile input: a 10,000-character rule, 50,000 tokens", () => {
    const long = added(`+${"я".repeat(10_000)} oil`);
    expect(long.rules.include).toEqual(["oil"]);
    expect(long.errors).toHaveLength(1);
    expect(lines(long.errors)[0]!.length).toBeLessThan(80);
    const many = added("w ".repeat(50_000));
    expect(many.rules.include).toHaveLength(50_000);
    const quote = added(`"${"a ".repeat(50_000)}`);
    expect(quote.errors).toHaveLength(1);
    expect(lines(quote.errors)[0]!.length).toBeLessThan(80);
  });
});

describe("addRules", () => {
  const none = rules({});

  it("adds, one per folded form", () => {
    const r = addRules(rules({ include: ["baki"] }), rules({ include: ["Bakı", "BAKI", "oil", "Oil"] }));
    expect(r.rules).toEqual(rules({ include: ["baki", "oil"] }));
    expect(r.rejected).toEqual<FilterProblem[]>([
      { kind: "repeat", text: "Bakı" },
      { kind: "repeat", text: "BAKI" },
      { kind: "repeat", text: "Oil" },
    ]);
    expect(lines(r.rejected)).toEqual(["Already there: Bakı", "Already there: BAKI", "Already there: Oil"]);
  });

  it("a word moved between include and exclude leaves the other list", () => {
    const r = addRules(rules({ include: ["sport", "oil"] }), rules({ exclude: ["Sport"] }));
    expect(r.rules).toEqual(rules({ include: ["oil"], exclude: ["Sport"] }));
    expect(r.rejected).toEqual([]);
    const back = addRules(r.rules, rules({ include: ["sport"] }));
    expect(back.rules).toEqual(rules({ include: ["oil", "sport"] }));
    const phrase = addRules(rules({ phrases: ["climate change"] }), rules({ exclude: ["Climate  change"] }));
    expect(phrase.rules).toEqual(rules({ exclude: ["Climate change"] }));
  });

  it("at most maxRules together; the rest rejected with a reason each", () => {
    const start = rules({ include: Array.from({ length: 20 }, (_, i) => `w${i}`), exclude: ["x1", "x2"], phrases: ["a b"] });
    const r = addRules(start, rules({ include: ["n1", "n2", "n3"], exclude: ["x3"] }));
    expect(r.rules.include.length + r.rules.exclude.length + r.rules.phrases.length).toBe(PREF_LIMITS.maxRules);
    expect(r.rules.include.slice(-2)).toEqual(["n1", "n2"]);
    expect(lines(r.rejected)).toEqual([
      `Not added, a chat has at most ${PREF_LIMITS.maxRules} keyword rules: n3`,
      `Not added, a chat has at most ${PREF_LIMITS.maxRules} keyword rules: x3`,
    ]);
    // moving one when full is still possible
    const moved = addRules(r.rules, rules({ exclude: ["w0"] }));
    expect(moved.rejected).toEqual([]);
    expect(moved.rules.exclude).toContain("w0");
    expect(moved.rules.include).not.toContain("w0");
  });

  it("checks and cleans what it is given", () => {
    const r = addRules(none, rules({ include: ["  oil  ", "+++", "x".repeat(100)], phrases: ["a  b", "1 2 3 4 5 6 7"] }));
    expect(r.rules).toEqual(rules({ include: ["oil"], phrases: ["a b"] }));
    expect(r.rejected).toHaveLength(3);
  });

  it("never changes its arguments", () => {
    const cur = Object.freeze(rules({ include: Object.freeze(["sport"]) as string[] }));
    const add = Object.freeze(rules({ exclude: Object.freeze(["sport"]) as string[] }));
    expect(() => addRules(cur, add)).not.toThrow();
    expect(cur.include).toEqual(["sport"]);
  });
});

describe("removeRule and ruleKeyOf", () => {
  const r = rules({ include: ["a", "b"], exclude: ["c"], phrases: ["d e"] });
  it("removes by position", () => {
    expect(removeRule(r, "include", 0)).toEqual(rules({ include: ["b"], exclude: ["c"], phrases: ["d e"] }));
    expect(removeRule(r, "phrases", 0)).toEqual(rules({ include: ["a", "b"], exclude: ["c"] }));
    expect(r.include).toEqual(["a", "b"]);
  });
  it("out of range: unchanged", () => {
    for (const i of [-1, 1, 5, 0.5, Number.NaN]) expect(removeRule(r, "exclude", i)).toBe(r);
  });
  it("ruleKeyOf is the folded form", () => {
    expect(ruleKeyOf("Bakı")).toBe(ruleKeyOf("BAKI"));
    expect(ruleKeyOf("Prime  Minister")).toBe("prime minister");
  });
});

describe("KeywordIndex", () => {
  it("matches every chat in one pass", () => {
    const index = new KeywordIndex([
      [1, rules({ include: ["Bakı"] })],
      [2, rules({ exclude: ["sport"] })],
      [3, rules({ phrases: ["prime minister"] })],
      [4, rules({ include: ["oil"], exclude: ["sport"] })],
      [5, rules({})],
      [6, rules({ include: ["+++"] })],
      [7, rules({ include: ["baki"], phrases: ["climate change"] })],
    ]);
    expect(index.size).toBe(6);
    expect(index.passing(analyzeText("Oil prices in Baki"))).toEqual(new Set([1, 2, 4, 6, 7]));
    expect(index.passing(analyzeText("Sport and oil: the prime minister"))).toEqual(new Set([3, 6]));
    expect(index.passing(analyzeText("Weather"))).toEqual(new Set([2, 6]));
  });

  it("a chat listed twice: its last rules count", () => {
    const index = new KeywordIndex([
      [1, rules({ include: ["oil"] })],
      [1, rules({ include: ["gas"] })],
      [2, rules({ include: ["oil"] })],
      [2, rules({})],
    ]);
    expect(index.size).toBe(1);
    expect(index.passing(analyzeText("oil"))).toEqual(new Set());
    expect(index.passing(analyzeText("gas"))).toEqual(new Set([1]));
  });

  it("empty", () => {
    const index = new KeywordIndex([]);
    expect(index.size).toBe(0);
    expect(index.passing(analyzeText("anything"))).toEqual(new Set());
  });

  it("agrees with matchesRules for every chat (randomized)", () => {
    let seed = 2026;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const EN = [
      "election",
      "elections",
      "prime",
      "minister",
      "ministers'",
      "the",
      "of",
      "state",
      "emergency",
      "sport",
      "sports",
      "oil",
      "news",
      "new",
      "put",
      "Putin",
      "in",
      "Baku",
    ];
    const RU = [
      "Пашинян",
      "Пашиняна",
      "выборы",
      "выборов",
      "спорт",
      "спорта",
      "ёлка",
      "елки",
      "и",
      "премьер",
      "министр",
      "министра",
      "нефть",
      "в",
    ];
    const AZ = [
      "Bakı",
      "Baki",
      "Bakıda",
      "Azərbaycan",
      "Azərbaycanın",
      "Putinin",
      "seçki",
      "seçkilər",
      "və",
      "idman",
      "neft",
      "Qafqaz",
      "Cənubi",
    ];
    const ALL = [...EN, ...RU, ...AZ, "2026", "U.S."];
    const text = () => {
      const lang = pick([EN, RU, AZ, ALL]);
      return Array.from({ length: 1 + Math.floor(rand() * 25) }, () => pick(rand() < 0.85 ? lang : ALL)).join(" ");
    };
    const phrase = () => {
      const lang = pick([EN, RU, AZ]);
      return Array.from({ length: 2 + Math.floor(rand() * 2) }, () => pick(lang)).join(" ");
    };
    const list = (max: number, make: () => string) => Array.from({ length: Math.floor(rand() * (max + 1)) }, make);
    const chats: [number, KeywordRules][] = [];
    for (let id = 1; id <= 400; id++) {
      const r = rules({
        include: list(3, () => pick(ALL)),
        exclude: list(2, () => (rand() < 0.3 ? phrase() : pick(ALL))),
        phrases: list(2, phrase),
      });
      if (rand() < 0.05) r.include.push("+++");
      chats.push([id, r]);
      // some chats choose alike
      if (rand() < 0.1) chats.push([10_000 + id, { ...r }]);
    }
    const index = new KeywordIndex(chats);
    const withRules = chats.filter(([, r]) => hasRules(r));
    expect(index.size).toBe(withRules.length);
    const compiled = withRules.map(([id, r]) => [id, compileRules(r)] as const);
    let passed = 0;
    let failed = 0;
    for (let i = 0; i < 400; i++) {
      const t: AnalyzedText = analyzeText(text());
      const want = new Set(compiled.filter(([, c]) => matchesRules(c, t)).map(([id]) => id));
      expect(index.passing(t)).toEqual(want);
      passed += want.size;
      failed += compiled.length - want.size;
    }
    // the comparison means something: both outcomes are common
    expect(passed).toBeGreaterThan(10_000);
    expect(failed).toBeGreaterThan(10_000);
  });
});

describe("hostile input", () => {
  it("a 1 MB text is analysed and matched (linearly)", () => {
    const filler = "Prime Ministers' talks in Bakı and Пашиняна. ";
    const big = `${filler.repeat(Math.ceil(1_000_000 / filler.length))} final needle words`;
    expect(big.length).toBeGreaterThan(1_000_000);
    const t = analyzeText(big);
    expect(t.sequence.length).toBeGreaterThan(150_000);
    expect(matchesRules(compileRules(rules({ phrases: ["final needle words"] })), t)).toBe(true);
    expect(matchesRules(compileRules(rules({ phrases: ["needle final"] })), t)).toBe(false);
    expect(matchesRules(compileRules(rules({ include: ["Пашинян"] })), t)).toBe(true);
    expect(matchesRules(compileRules(rules({ include: ["absent"] })), t)).toBe(false);
    const index = new KeywordIndex([
      [1, rules({ phrases: ["prime minister talks"] })],
      [2, rules({ phrases: ["talks prime"] })],
      [3, rules({ include: ["Bakı"], exclude: ["needle"] })],
    ]);
    expect(index.passing(t)).toEqual(new Set([1]));
  });

  it("a 10,000-character rule compiles and matches only itself", () => {
    const rule = Array.from({ length: 2000 }, (_, i) => `word${i % 7}`).join(" ");
    expect(rule.length).toBeGreaterThan(9_000);
    const c = compileRules(rules({ phrases: [rule] }));
    expect(matchesRules(c, analyzeText(rule))).toBe(true);
    expect(matchesRules(c, analyzeText(rule.slice(0, -3)))).toBe(false);
    const index = new KeywordIndex([[1, rules({ exclude: [rule] })]]);
    expect(index.passing(analyzeText(`x ${rule} y`))).toEqual(new Set());
    expect(index.passing(analyzeText("word0 word1 word2"))).toEqual(new Set([1]));
  });
});
