import { describe, expect, it } from "vitest";
import { filterProblemText } from "../../commands/filter.js";
import { english } from "../../src/i18n/translator.js";
import { words } from "../../src/news/related/tokenize.js";
import {
  cleanRule,
  DEFAULT_PREFS,
  defaultPrefs,
  foldedWords,
  loadPrefs,
  normalizeRules,
  PREF_LIMITS,
  PREFS_VERSION,
  ruleKey,
  ruleProblem,
  samePrefs,
  storePrefs,
} from "../../src/prefs/preferences.js";
import { COMMON_ZONES } from "../../src/prefs/schedule.js";
import { type ChatPrefs, type DeliveryMode, DIGEST_HOURS } from "../../src/prefs/types.js";

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), "utf8");
const with_ = (p: Partial<ChatPrefs>): ChatPrefs => ({ ...defaultPrefs(), ...p });

describe("defaults", () => {
  it("are every source and language, no keywords, each story as it comes", () => {
    expect(DEFAULT_PREFS).toEqual({
      sources: "all",
      langs: "all",
      keywords: { include: [], exclude: [], phrases: [] },
      mode: { kind: "now" },
      timezone: null,
      quiet: null,
      previews: true,
      locale: "en",
    });
    expect(defaultPrefs()).toEqual(DEFAULT_PREFS);
    expect(PREFS_VERSION).toBe(1);
  });

  it("the chat's language is stored as u only when it is not English, and loads back", () => {
    expect(storePrefs(with_({ locale: "ru" }))).toEqual({ v: PREFS_VERSION, u: "ru" });
    expect(storePrefs(with_({ locale: "en" }))).toBeUndefined();
    expect(loadPrefs({ v: 1, u: "az" }).locale).toBe("az");
    expect(loadPrefs({ v: 1, u: "de" }).locale).toBe("en");
    expect(samePrefs(with_({ locale: "ru" }), with_({ locale: "az" }))).toBe(false);
  });

  it("DEFAULT_PREFS cannot be changed in place; defaultPrefs() is a fresh copy every time", () => {
    expect(() => (DEFAULT_PREFS.keywords.include as string[]).push("x")).toThrow(TypeError);
    expect(() => {
      (DEFAULT_PREFS as { previews: boolean }).previews = false;
    }).toThrow(TypeError);
    const a = defaultPrefs();
    a.keywords.include.push("x");
    expect(defaultPrefs().keywords.include).toEqual([]);
    expect(DEFAULT_PREFS.keywords.include).toEqual([]);
  });
});

describe("storePrefs", () => {
  it("stores nothing for the defaults", () => {
    expect(storePrefs(defaultPrefs())).toBeUndefined();
    expect(storePrefs(DEFAULT_PREFS)).toBeUndefined();
  });

  it("stores only what differs, in short fields", () => {
    expect(storePrefs(with_({ previews: false }))).toEqual({ v: 1, pv: 0 });
    expect(storePrefs(with_({ mode: { kind: "daily", at: "07:30" }, timezone: "Asia/Baku" }))).toEqual({
      v: 1,
      m: "d07:30",
      z: "Asia/Baku",
    });
    expect(storePrefs(with_({ quiet: { from: "23:00", to: "07:00" }, langs: ["ru", "az"] }))).toEqual({
      v: 1,
      l: ["ru", "az"],
      q: "23:00-07:00",
    });
    expect(storePrefs(with_({ keywords: { include: [], exclude: ["sport"], phrases: [] } }))).toEqual({ v: 1, k: { e: ["sport"] } });
  });

  it("a typical narrowed chat is about a hundred bytes", () => {
    const p = with_({
      sources: ["bbc-world", "apa", "meduza", "reuters"],
      keywords: { include: ["election", "Пашинян"], exclude: ["sport"], phrases: [] },
      mode: { kind: "every", hours: 3 },
    });
    const s = storePrefs(p);
    expect(JSON.stringify(s)).toBe(
      '{"v":1,"s":["bbc-world","apa","meduza","reuters"],"k":{"i":["election","Пашинян"],"e":["sport"]},"m":"e3"}',
    );
    expect(bytes(s)).toBe(113);
    // with a zone and quiet hours too, and the subscriber record around it, still under 300
    const more = storePrefs({ ...p, timezone: "America/Los_Angeles", quiet: { from: "23:00", to: "07:00" }, langs: ["en", "ru"] });
    const record = { chatId: -1001234567890, kind: "supergroup", since: 1764680000000, p: more };
    expect(bytes(record)).toBeLessThan(300);
  });

  it("does not share arrays with the prefs", () => {
    const p = with_({ sources: ["a"], keywords: { include: ["x"], exclude: [], phrases: [] } });
    const s = storePrefs(p)!;
    s.s!.push("b");
    s.k!.i!.push("y");
    expect(p.sources).toEqual(["a"]);
    expect(p.keywords.include).toEqual(["x"]);
  });
});

describe("loadPrefs", () => {
  it.each([undefined, null, 0, 42, "x", "", true, [], [1, 2], {}, { v: 1 }, { v: "1" }, Number.NaN])("garbage %j → the defaults", (raw) => {
    expect(loadPrefs(raw)).toEqual(DEFAULT_PREFS);
  });

  it("returns a fresh object, never DEFAULT_PREFS itself", () => {
    const p = loadPrefs(undefined);
    expect(p).not.toBe(DEFAULT_PREFS);
    p.keywords.include.push("x");
    expect(loadPrefs(undefined).keywords.include).toEqual([]);
  });

  it("reads each field on its own: an invalid one falls back, the others are kept", () => {
    const p = loadPrefs({ v: 1, s: "bbc", l: ["ru"], m: "d25:00", z: "Mars/Olympus", q: "7:00", pv: 0, k: "election" });
    expect(p).toEqual(with_({ langs: ["ru"], previews: false }));
    expect(loadPrefs({ v: 1, s: ["apa"], m: "e5", z: 7, q: "23:00-07:00" })).toEqual(
      with_({ sources: ["apa"], quiet: { from: "23:00", to: "07:00" } }),
    );
    expect(loadPrefs({ v: 1, m: "e12", z: "Asia/Tehran", q: ["23:00", "07:00"] })).toEqual(
      with_({ mode: { kind: "every", hours: 12 }, timezone: "Asia/Tehran" }),
    );
  });

  it("a later version's record loads the fields it can read", () => {
    const raw = { v: 7, s: ["apa", "bbc-world"], m: { kind: "weekly", day: 1 }, k: { i: ["Bakı"], x: ["?"] }, future: { a: 1 }, pv: 0 };
    expect(loadPrefs(raw)).toEqual(
      with_({ sources: ["apa", "bbc-world"], keywords: { include: ["Bakı"], exclude: [], phrases: [] }, previews: false }),
    );
  });

  it("times: lenient spellings load as HH:MM, others fall back", () => {
    expect(loadPrefs({ v: 1, m: "d7:30" }).mode).toEqual({ kind: "daily", at: "07:30" });
    expect(loadPrefs({ v: 1, m: "d24:00" }).mode).toEqual({ kind: "now" });
    expect(loadPrefs({ v: 1, m: "x" }).mode).toEqual({ kind: "now" });
    expect(loadPrefs({ v: 1, q: "23-7" }).quiet).toEqual({ from: "23:00", to: "07:00" });
    expect(loadPrefs({ v: 1, q: "07:00-07:00" }).quiet).toBeNull();
    expect(loadPrefs({ v: 1, q: "07:00-08:00-09:00" }).quiet).toBeNull();
    expect(loadPrefs({ v: 1, q: "7:61-08:00" }).quiet).toBeNull();
  });

  it("zones: any IANA zone Intl knows, else null", () => {
    expect(loadPrefs({ v: 1, z: "Asia/Kolkata" }).timezone).toBe("Asia/Kolkata");
    expect(loadPrefs({ v: 1, z: "+04:00" }).timezone).toBeNull();
    expect(loadPrefs({ v: 1, z: "" }).timezone).toBeNull();
    expect(loadPrefs({ v: 1, z: "Europe/Nowhere" }).timezone).toBeNull();
  });

  it("sources and languages: invalid items and repeats dropped, limits kept, empty → all", () => {
    const ids = Array.from({ length: 400 }, (_, i) => `src-${i}`);
    const p = loadPrefs({ v: 1, s: ["apa", "apa", "", 7, "bad id", "x".repeat(65), ...ids] });
    expect(p.sources).toHaveLength(PREF_LIMITS.maxSources);
    expect((p.sources as string[]).slice(0, 3)).toEqual(["apa", "src-0", "src-1"]);
    expect(loadPrefs({ v: 1, s: [] }).sources).toBe("all");
    expect(loadPrefs({ v: 1, s: [1, null] }).sources).toBe("all");
    expect(loadPrefs({ v: 1, l: ["EN", "en", "ru", "english", "az-Latn", "", "und"] }).langs).toEqual(["en", "ru", "und"]);
    const many = Array.from(
      { length: 30 },
      (_, i) => `l${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
    );
    expect(loadPrefs({ v: 1, l: many }).langs).toHaveLength(PREF_LIMITS.maxLangs);
    expect(loadPrefs({ v: 1, l: [] }).langs).toBe("all");
  });

  it("keyword rules: cleaned, one per folded form, invalid ones and those over the limit dropped", () => {
    const p = loadPrefs({
      v: 1,
      k: {
        i: ["  Bakı  ", "baki", "BAKI", "sport", "+++", "", 5, "x".repeat(61), "ёлка", "елка"],
        e: ["Sport", "climate   change"],
        p: ["prime minister", "one two three four five six seven", "  state  of \n emergency "],
      },
    });
    expect(p.keywords).toEqual({
      include: ["Bakı", "ёлка"],
      exclude: ["Sport", "climate change"],
      phrases: ["prime minister", "state of emergency"],
    });
    const thirty = Array.from({ length: 30 }, (_, i) => `word${i}`);
    const q = loadPrefs({ v: 1, k: { i: thirty, e: ["a1", "a2"] } });
    expect(q.keywords.exclude).toEqual(["a1", "a2"]);
    expect(q.keywords.include).toEqual(thirty.slice(0, PREF_LIMITS.maxRules - 2));
    expect(loadPrefs({ v: 1, k: { i: "election" } }).keywords).toEqual(DEFAULT_PREFS.keywords);
    expect(loadPrefs({ v: 1, k: { i: ["x".repeat(10_000)] } }).keywords).toEqual(DEFAULT_PREFS.keywords);
  });

  it("previews: on unless 0 or false", () => {
    expect(loadPrefs({ v: 1, pv: 0 }).previews).toBe(false);
    expect(loadPrefs({ v: 1, pv: false }).previews).toBe(false);
    expect(loadPrefs({ v: 1 }).previews).toBe(true);
    expect(loadPrefs({ v: 1, pv: "yes" }).previews).toBe(true);
    expect(loadPrefs({ v: 1, pv: 0 }).previews).toBe(false);
  });
});

describe("round trip", () => {
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const some = <T>(xs: readonly T[], max: number): T[] => [
    ...new Set(Array.from({ length: 1 + Math.floor(rand() * max) }, () => pick(xs))),
  ];
  const WORDS = [
    "election",
    "Пашинян",
    "Bakı",
    "Azərbaycan",
    "sport",
    "ёлка",
    "U.S.",
    "COVID-19",
    "the",
    "Qarabağ",
    "İstanbul",
    "нефть",
    "oil",
    "7",
  ];
  const PHRASES = ["prime minister", "state of emergency", "Газпром нефть", "Cənubi Qafqaz", "U.S.-Iran talks"];
  const clock = () => `${String(Math.floor(rand() * 24)).padStart(2, "0")}:${String(Math.floor(rand() * 60)).padStart(2, "0")}`;

  function randomPrefs(): ChatPrefs {
    const p = defaultPrefs();
    if (rand() < 0.5) p.sources = some(["apa", "bbc-world", "meduza", "reuters", "trend-az", "oc-media"], 5);
    if (rand() < 0.4) p.langs = some(["en", "ru", "az", "und", "tr"], 3);
    if (rand() < 0.5) {
      // one rule per folded form across the lists, as addRules keeps them
      const used = new Set<string>();
      const unique = (xs: string[]) => xs.filter((x) => !used.has(ruleKey(x)) && used.add(ruleKey(x)));
      p.keywords.exclude = unique(rand() < 0.5 ? some(WORDS, 3) : []);
      p.keywords.include = unique(rand() < 0.7 ? some(WORDS, 4) : []);
      p.keywords.phrases = unique(rand() < 0.4 ? some(PHRASES, 2) : []);
    }
    const r = rand();
    const mode: DeliveryMode =
      r < 0.4 ? { kind: "now" } : r < 0.7 ? { kind: "every", hours: pick(DIGEST_HOURS) } : { kind: "daily", at: clock() };
    p.mode = mode;
    if (rand() < 0.3) p.timezone = pick(COMMON_ZONES);
    if (rand() < 0.3) {
      const from = clock();
      let to = clock();
      while (to === from) to = clock();
      p.quiet = { from, to };
    }
    p.previews = rand() < 0.2;
    return p;
  }

  it("loadPrefs(storePrefs(p)) deep-equals p; nothing stored exactly when p is the defaults", () => {
    let stored = 0;
    for (let i = 0; i < 2000; i++) {
      const p = randomPrefs();
      const s = storePrefs(p);
      // what Redis holds is JSON
      const back = loadPrefs(s === undefined ? undefined : JSON.parse(JSON.stringify(s)));
      expect(back).toEqual(p);
      expect(samePrefs(back, p)).toBe(true);
      expect(s === undefined).toBe(samePrefs(p, DEFAULT_PREFS));
      if (s) stored++;
    }
    expect(stored).toBeGreaterThan(1500);
  });

  it("whatever is loaded round-trips too (loadPrefs is idempotent through the store)", () => {
    const junk = [
      { v: 1, s: ["a", "a", 3], l: ["EN", "xx-YY"], k: { i: ["  x  y ", "X Y", "+++"], e: [""] }, m: "e6", q: "1-2", pv: true },
      { v: 3, k: { p: ["a b c d e f g"], i: Array(40).fill("w") }, z: "europe/berlin" },
      { s: null, l: {}, k: [], m: 3, z: [], q: {}, pv: {} },
    ];
    for (const raw of junk) {
      const p = loadPrefs(raw);
      expect(loadPrefs(JSON.parse(JSON.stringify(storePrefs(p) ?? null)))).toEqual(p);
    }
  });
});

describe("samePrefs", () => {
  it("is deep equality, field by field", () => {
    const base = with_({
      sources: ["a", "b"],
      keywords: { include: ["x"], exclude: [], phrases: [] },
      quiet: { from: "23:00", to: "07:00" },
    });
    expect(samePrefs(base, structuredClone(base))).toBe(true);
    const changes: Partial<ChatPrefs>[] = [
      { sources: "all" },
      { sources: ["b", "a"] },
      { sources: ["a"] },
      { langs: ["en"] },
      { keywords: { include: ["x"], exclude: ["y"], phrases: [] } },
      { keywords: { include: [], exclude: [], phrases: ["x"] } },
      { mode: { kind: "every", hours: 3 } },
      { mode: { kind: "daily", at: "07:00" } },
      { timezone: "UTC" },
      { quiet: null },
      { quiet: { from: "23:00", to: "06:00" } },
      { previews: false },
    ];
    for (const c of changes) expect(samePrefs(base, { ...base, ...c }), JSON.stringify(c)).toBe(false);
    expect(samePrefs(with_({ mode: { kind: "every", hours: 3 } }), with_({ mode: { kind: "every", hours: 6 } }))).toBe(false);
    expect(samePrefs(with_({ mode: { kind: "daily", at: "07:00" } }), with_({ mode: { kind: "daily", at: "07:00" } }))).toBe(true);
  });
});

describe("rules as stored", () => {
  it("cleanRule trims and collapses whitespace; ruleKey is the folded words", () => {
    expect(cleanRule("  prime \t\n minister  ")).toBe("prime minister");
    expect(ruleKey("Bakı")).toBe(ruleKey("baki"));
    expect(ruleKey("ЁЛКА")).toBe(ruleKey("елка"));
    expect(ruleKey("İstanbul")).toBe("istanbul");
    expect(ruleKey("U.S.")).toBe(ruleKey("us"));
    expect(ruleKey("Prime  Minister")).toBe("prime minister");
    expect(ruleKey("+++")).toBe("");
  });

  it("ruleProblem names the rule in one line", () => {
    const en = (rule: string, typed?: string) => {
      const p = ruleProblem(rule, typed);
      return p && filterProblemText(english(), p);
    };
    expect(ruleProblem("election")).toBeNull();
    expect(ruleProblem("a b c d e f")).toBeNull();
    expect(ruleProblem("a b c d e f g")).toEqual({ kind: "too-many-words", max: PREF_LIMITS.maxPhraseWords, text: "a b c d e f g" });
    expect(en("a b c d e f g")).toMatch(/^Too many words .*: a b c d e f g$/);
    expect(en("x".repeat(61))).toMatch(/^Too long \(over 60 characters\): x{30}…$/);
    expect(ruleProblem("й".repeat(60))).toBeNull();
    expect(en("++", "+++")).toBe("No letters or digits: +++");
    expect(en("")).toMatch(/^Empty rule/);
    const long = en("y".repeat(10_000))!;
    expect(long.length).toBeLessThan(80);
    expect(long).not.toContain("\n");
  });

  it("normalizeRules keeps an unwanted word unwanted", () => {
    expect(normalizeRules({ include: ["sport", "oil"], exclude: ["SPORT"], phrases: ["Sport"] })).toEqual({
      include: ["oil"],
      exclude: ["SPORT"],
      phrases: [],
    });
  });

  it("foldedWords is words() in linear time", () => {
    const text = "Prime Ministers' election in Bakı, Пашиняна и ёлки; U.S.-Iran 1,000 talks. ".repeat(300);
    expect(text.length).toBeGreaterThan(20_000);
    expect(foldedWords(text)).toEqual(words(text));
    expect(foldedWords("short text")).toEqual(["short", "text"]);
    // no whitespace at all: cut anyway, never inside a surrogate pair
    const emoji = "😀".repeat(5000);
    expect(foldedWords(emoji)).toEqual([]);
    const big = "Bakı ".repeat(200_000);
    const w = foldedWords(big);
    expect(w).toHaveLength(200_000);
    expect(new Set(w)).toEqual(new Set(["baki"]));
  });
});
