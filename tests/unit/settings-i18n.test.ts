/**
 * The /settings screens and the /filter and /settings replies in Russian and
 * Azerbaijani: no English word from locales/en/settings.ftl reaches the
 * reader, every screen is Telegram HTML within the limits, and callback data
 * stays at most 64 bytes (and the same in every language: no translated text in it).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { filterProblemText } from "../../commands/filter.js";
import { settingsProblemText } from "../../commands/settings.js";
import { INTL_LOCALE, type Locale } from "../../src/i18n/locales.js";
import { createTranslator, localesDir, type Translate } from "../../src/i18n/translator.js";
import { TELEGRAM_TEXT_LIMIT } from "../../src/news/html.js";
import type { FilterProblem } from "../../src/prefs/keywords.js";
import { defaultPrefs, PREF_LIMITS } from "../../src/prefs/preferences.js";
import type { SettingsProblem, SettingsSource } from "../../src/prefs/settings.js";
import {
  CALLBACK_DATA_MAX,
  chatChoiceText,
  describeMode,
  describeQuiet,
  describeZone,
  renderScreen,
  type Screen,
  type ScreenRef,
  sourcesPage,
  type ViewInput,
} from "../../src/prefs/settings-view.js";
import type { ChatPrefs } from "../../src/prefs/types.js";
import { checkTelegramHtml } from "../support/telegram-html.js";

const missing: string[] = [];
const translator = createTranslator({ onMissing: (_l, key) => missing.push(key) });

/**
 * The English words of the settings texts: every value and variant in
 * en/settings.ftl, without placeables, tags, code, commands and zone names
 * (those stay as they are in every language).
 */
function englishWords(): Set<string> {
  const ftl = readFileSync(join(localesDir(), "en", "settings.ftl"), "utf8");
  const out = new Set<string>();
  for (const line of ftl.split("\n")) {
    if (/^\s*#/.test(line)) continue;
    const value = /^[a-z][a-z0-9-]*\s*=(.*)$/.exec(line)?.[1] ?? (/^\s+/.test(line) ? line : "");
    const text = value
      .replace(/<code>.*?<\/code>/g, " ")
      .replace(/<[^>]+>/g, " ")
      .replace(/\{[^}]*\}/g, " ")
      .replace(/\*?\[[a-z]+\]/g, " ")
      .replace(/\S*\/\S*/g, " ")
      .replace(/HH:MM/g, " ");
    for (const w of text.match(/[A-Za-z]{3,}/g) ?? []) out.add(w.toLowerCase());
  }
  return out;
}

/** Words Azerbaijani shares with English ("bot": Botun dili, bot adminləri). */
const SHARED = new Set(["bot"]);
const ENGLISH = new Set([...englishWords()].filter((w) => !SHARED.has(w)));

/** The English words in a text a reader sees (code spans, commands and zone names left out). */
function englishIn(visible: string): string[] {
  const text = visible.replace(/\S*\/\S*/g, " ").replace(/HH:MM/g, " ");
  return [...new Set((text.match(/\p{L}+/gu) ?? []).map((w) => w.toLowerCase()).filter((w) => ENGLISH.has(w)))];
}

/** The text as a reader sees it, without <code> spans (commands to type stay as they are). */
function visibleWithoutCode(html: string): string {
  const r = checkTelegramHtml(html.replace(/<code>.*?<\/code>/gs, ""));
  if (!r.ok) throw new Error(`${r.description}\n${html}`);
  return r.visibleText;
}

// Names that are no English words (source names are shown as they are).
const SOURCES: SettingsSource[] = [
  { id: "apa", name: "APA", lang: "az" },
  { id: "oxu", name: "Oxu.az", lang: "az" },
  { id: "tass", name: "ТАСС", lang: "ru" },
  { id: "meduza", name: "Медуза", lang: "ru" },
  { id: "bbc", name: "BBC", lang: "en" },
  { id: "dw", name: "DW", lang: "de" },
  { id: "x", name: "Xəbər", lang: undefined },
  ...Array.from({ length: 14 }, (_, i) => ({ id: `s${i}`, name: `Qəzet ${i}`, lang: i % 2 ? "tr" : "ka" })),
];

function prefsVariants(): [string, ChatPrefs][] {
  const d = defaultPrefs();
  return [
    ["defaults", d],
    [
      "narrowed",
      {
        ...d,
        sources: ["apa", "tass", "x", "s1"],
        langs: ["az", "ru", "und"],
        keywords: { include: ["neft", "Пашинян"], exclude: ["futbol"], phrases: ["baş nazir"] },
        mode: { kind: "daily", at: "07:30" },
        timezone: "Asia/Baku",
        quiet: { from: "23:00", to: "07:00" },
        previews: false,
      },
    ],
    ["every 3 h, one rule", { ...d, mode: { kind: "every", hours: 3 }, keywords: { include: ["neft"], exclude: [], phrases: [] } }],
    ["nothing chosen", { ...d, sources: [], langs: [] }],
    ["many languages", { ...d, langs: ["az", "ru", "en", "de", "tr", "ka", "fr", "es", "it", "pt", "uk", "kk", "uz", "und"] }],
    [
      "21 rules",
      {
        ...d,
        keywords: { include: Array.from({ length: 21 }, (_, i) => `söz${i}`), exclude: [], phrases: [] },
        sources: SOURCES.slice(0, 5).map((s) => s.id),
      },
    ],
  ];
}

function allRefs(sources: readonly SettingsSource[]): ScreenRef[] {
  const refs: ScreenRef[] = [
    { screen: "main" },
    { screen: "delivery" },
    { screen: "quiet" },
    { screen: "keywords" },
    { screen: "previews" },
    { screen: "language" },
    { screen: "langs", page: 0 },
  ];
  for (let p = 0; p < 3; p++) refs.push({ screen: "zones", page: p });
  for (let p = 0; p < sourcesPage(sources, 0).pages; p++) refs.push({ screen: "sources", page: p });
  return refs;
}

const buttonsOf = (s: Screen) => s.reply_markup.inline_keyboard.flat() as { text: string; callback_data: string }[];

const SETTINGS_PROBLEMS: SettingsProblem[] = [
  { kind: "keep-one", what: "sources" },
  { kind: "keep-one", what: "langs" },
  { kind: "keep-one-or-all", what: "sources" },
  { kind: "keep-one-or-all", what: "langs" },
  ...[2, 5, 21, 301].map((count): SettingsProblem => ({ kind: "too-many", what: "sources", count, max: PREF_LIMITS.maxSources })),
  ...[2, 5, 21].map((count): SettingsProblem => ({ kind: "too-many", what: "langs", count, max: PREF_LIMITS.maxLangs })),
  { kind: "bad-zone", zone: "Mars/Base" },
  { kind: "bad-quiet" },
  { kind: "quiet-same" },
  { kind: "bad-hours", offered: [1, 3, 6, 12] },
  { kind: "bad-time" },
  { kind: "bad-mode" },
];

const FILTER_PROBLEMS: FilterProblem[] = [
  { kind: "empty-rule", text: '""' },
  { kind: "too-long", max: PREF_LIMITS.maxRuleLength, text: "ččččč…" },
  { kind: "no-letters", text: "+++" },
  { kind: "too-many-words", max: PREF_LIMITS.maxPhraseWords, text: "a b c d e f g" },
  { kind: "unclosed-quote", text: '"neft qiyməti' },
  { kind: "empty-phrase", text: '""' },
  { kind: "nothing-after", sign: "-" },
  { kind: "repeat", text: "neft" },
  { kind: "rule-limit", max: PREF_LIMITS.maxRules, text: "neft" },
];

/** A word only this language has: the check that the text is in it, not just not English. */
const OWN_SCRIPT: Record<Exclude<Locale, "en">, RegExp> = { ru: /\p{Script=Cyrillic}/u, az: /[əğıöüçşİ]/iu };

describe.each(["ru", "az"] as const)("settings in %s", (locale) => {
  const t: Translate = translator.forLocale(locale);
  const en = translator.forLocale("en");

  it("every screen, for every kind of chat, has no English word, fits Telegram and keeps callback data short", () => {
    for (const [name, prefs] of prefsVariants()) {
      for (const extra of [{}, { title: "Kanal" }, { topic: true }]) {
        const v: ViewInput = {
          prefs: { ...prefs, locale },
          sources: SOURCES,
          defaultTimezone: "UTC",
          t,
          locale: INTL_LOCALE[locale],
          ...extra,
        };
        const english: ViewInput = { ...v, t: en, locale: INTL_LOCALE.en };
        for (const ref of allRefs(SOURCES)) {
          const where = `${name} ${JSON.stringify(ref)} ${JSON.stringify(extra)}`;
          const screen = renderScreen(v, ref);
          const r = checkTelegramHtml(screen.text);
          if (!r.ok) throw new Error(`${where}: ${r.description}\n${screen.text}`);
          expect(r.visibleLength, where).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
          const visible = visibleWithoutCode(screen.text);
          expect(englishIn(visible), `${where}\n${visible}`).toEqual([]);
          expect(visible, where).toMatch(OWN_SCRIPT[locale]);
          const buttons = buttonsOf(screen);
          for (const b of buttons) {
            expect(Buffer.byteLength(b.callback_data, "utf8"), `${where} ${b.callback_data}`).toBeLessThanOrEqual(CALLBACK_DATA_MAX);
            expect(b.text.length, where).toBeGreaterThan(0);
            expect(b.text.length, where).toBeLessThanOrEqual(64);
            expect(englishIn(b.text), `${where} button ${b.text}`).toEqual([]);
          }
          // The same buttons, in the same places, in English: no translated word in the data.
          expect(
            buttons.map((b) => b.callback_data),
            where,
          ).toEqual(buttonsOf(renderScreen(english, ref)).map((b) => b.callback_data));
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("what a chat gets (under /sources), and the values on the screens, are in the language", () => {
    for (const [name, prefs] of prefsVariants()) {
      const text = chatChoiceText(prefs, SOURCES, t, INTL_LOCALE[locale]);
      expect(checkTelegramHtml(text).ok, name).toBe(true);
      expect(englishIn(visibleWithoutCode(text)), `${name}\n${text}`).toEqual([]);
      expect(text).toMatch(OWN_SCRIPT[locale]);
    }
    const p = defaultPrefs();
    const values = [
      describeMode({ kind: "now" }, t),
      describeMode({ kind: "every", hours: 6 }, t),
      describeMode({ kind: "daily", at: "08:00" }, t),
      describeQuiet(null, t),
      describeQuiet({ from: "22:00", to: "07:00" }, t),
      describeZone(p, "UTC", t),
    ];
    for (const v of values) expect(englishIn(v), v).toEqual([]);
    expect(describeZone({ ...p, timezone: "Asia/Baku" }, "UTC", t)).toBe("Asia/Baku");
  });

  it("refusals and /filter problems are in the language, and short enough for an alert", () => {
    for (const problem of SETTINGS_PROBLEMS) {
      const line = settingsProblemText(t, problem);
      expect(englishIn(line), line).toEqual([]);
      expect(line).toMatch(OWN_SCRIPT[locale]);
      expect(line.length, line).toBeLessThanOrEqual(200);
      expect(line).not.toContain("\n");
    }
    for (const problem of FILTER_PROBLEMS) {
      const line = filterProblemText(t, problem);
      // "a b c d e f g" is the reader's own text
      expect(englishIn(line.replace("a b c d e f g", "")), line).toEqual([]);
      expect(line).toMatch(OWN_SCRIPT[locale]);
      expect(line.length, line).toBeLessThanOrEqual(200);
    }
    expect(missing).toEqual([]);
  });

  it("plurals follow the language", () => {
    const counts = (n: number) => t("set-rules-count", { count: n });
    if (locale === "ru") {
      expect([1, 2, 5, 21, 22, 25].map(counts)).toEqual(["1 правило", "2 правила", "5 правил", "21 правило", "22 правила", "25 правил"]);
      expect(t("set-sources-some", { chosen: 3, total: 21 })).toBe("3 из 21 источника");
      expect(t("set-sources-some", { chosen: 3, total: 12 })).toBe("3 из 12 источников");
    } else {
      expect([1, 2, 25].map(counts)).toEqual(["1 qayda", "2 qayda", "25 qayda"]);
      expect(t("set-sources-some", { chosen: 3, total: 12 })).toBe("12 mənbədən 3");
    }
  });
});

describe("the English word list the checks use", () => {
  it("has the settings' words and none of the kept names", () => {
    for (const w of ["sources", "delivery", "quiet", "previews", "keyword", "digest", "back", "settings"])
      expect(ENGLISH.has(w), w).toBe(true);
    for (const w of ["asia", "baku", "area", "city", "filter"]) expect(ENGLISH.has(w), w).toBe(false);
  });
});
