import { describe, expect, it } from "vitest";
import { english } from "../../src/i18n/translator.js";
import { TELEGRAM_TEXT_LIMIT } from "../../src/news/html.js";
import { defaultPrefs, PREF_LIMITS } from "../../src/prefs/preferences.js";
import { COMMON_ZONES } from "../../src/prefs/schedule.js";
import type { SettingsSource } from "../../src/prefs/settings.js";
import {
  CALLBACK_DATA_MAX,
  callbackFor,
  chatChoiceText,
  parseCallback,
  renderScreen,
  resolveSource,
  type Screen,
  type ScreenRef,
  SOURCES_PER_PAGE,
  screenAfter,
  sourcesPage,
  type ViewInput,
} from "../../src/prefs/settings-view.js";
import type { ChatPrefs } from "../../src/prefs/types.js";
import { checkTelegramHtml } from "../support/telegram-html.js";

const t = english();

const HOSTILE = ["<b>Bold</b> & co", "AT&T &amp; <script>", "חדשות ישראל", "أخبار <i>", "Пресса & Co", "🇦🇿 Azərbaycan &nbsp;"];
const LANGS = [undefined, "en", "ru", "az", "he", "ar", "en-GB", "zz-Weird-Tag", "tr"];

/** `n` sources with 60-character ids and hostile names, in several languages. */
function manySources(n: number): SettingsSource[] {
  return Array.from({ length: n }, (_, i) => {
    const lang = LANGS[i % LANGS.length];
    const id = `source-${String(i).padStart(4, "0")}-`.padEnd(60, "x");
    const name = `${HOSTILE[i % HOSTILE.length]} ${i} ${"long name ".repeat(i % 3 === 0 ? 12 : 0)}`;
    return lang ? { id, name, lang } : { id, name };
  });
}

function narrowed(sources: readonly SettingsSource[]): ChatPrefs {
  return {
    ...defaultPrefs(),
    sources: sources.filter((_, i) => i % 3 === 0).map((s) => s.id),
    langs: ["en", "ru", "und"],
    keywords: {
      include: Array.from({ length: 10 }, (_, i) => `<word${i}>&${"x".repeat(40)}`),
      exclude: Array.from({ length: 10 }, (_, i) => `מילה${i}${"y".repeat(50)}`),
      phrases: Array.from({ length: 5 }, (_, i) => `"quoted" & <phrase> ${i}`),
    },
    mode: { kind: "daily", at: "07:30" },
    timezone: "America/Los_Angeles",
    quiet: { from: "23:30", to: "06:15" },
    previews: true,
  };
}

/** Every screen, every page, for one view. */
function allScreens(v: ViewInput): { ref: ScreenRef; screen: Screen }[] {
  const refs: ScreenRef[] = [
    { screen: "main" },
    { screen: "delivery" },
    { screen: "quiet" },
    { screen: "keywords" },
    { screen: "previews" },
    { screen: "language" },
    { screen: "zones", page: 0 },
    { screen: "zones", page: 5 },
    { screen: "langs", page: 0 },
    { screen: "langs", page: 1 },
  ];
  const pages = sourcesPage(v.sources, 0).pages;
  for (let p = 0; p < pages + 1; p++) refs.push({ screen: "sources", page: p });
  return refs.map((ref) => ({ ref, screen: renderScreen(v, ref) }));
}

function sourceToken(data: string): string {
  const a = parseCallback(data);
  return a?.kind === "source" ? a.token : "";
}

const buttonsOf = (s: Screen) => s.reply_markup.inline_keyboard.flat().map((b) => b as { text: string; callback_data: string });

describe("settings screens", () => {
  const sources = manySources(300);
  const views: [string, ViewInput][] = [
    ["defaults, 300 hostile sources", { prefs: defaultPrefs(), sources, defaultTimezone: "UTC", t }],
    ["narrowed, 300 hostile sources", { prefs: narrowed(sources), sources, defaultTimezone: "Asia/Baku", t }],
    ["no sources at all", { prefs: defaultPrefs(), sources: [], defaultTimezone: "UTC", t }],
    [
      "an empty chosen list",
      { prefs: { ...defaultPrefs(), sources: [], langs: [] }, sources: sources.slice(0, 3), defaultTimezone: "UTC", t },
    ],
  ];

  it.each(views)("every text is Telegram HTML within the limit (%s)", (_, v) => {
    for (const { ref, screen } of allScreens(v)) {
      const r = checkTelegramHtml(screen.text);
      if (!r.ok) throw new Error(`${JSON.stringify(ref)}: ${r.description}\n${screen.text}`);
      expect(r.visibleLength).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      // No raw source-supplied markup survives as markup.
      expect(r.entities.every((e) => e.type === "bold" || e.type === "code")).toBe(true);
    }
    const choice = checkTelegramHtml(chatChoiceText(v.prefs, v.sources, t));
    expect(choice.ok).toBe(true);
  });

  it.each(views)("every callback_data is at most 64 bytes and parses back (%s)", (_, v) => {
    let n = 0;
    for (const { ref, screen } of allScreens(v)) {
      const buttons = buttonsOf(screen);
      expect(buttons.length).toBeLessThanOrEqual(100);
      for (const b of buttons) {
        expect(Buffer.byteLength(b.callback_data, "utf8"), `${JSON.stringify(ref)} ${b.callback_data}`).toBeLessThanOrEqual(
          CALLBACK_DATA_MAX,
        );
        const action = parseCallback(b.callback_data);
        expect(action, b.callback_data).not.toBeNull();
        expect(callbackFor(action!)).toBe(b.callback_data);
        expect(b.text.length).toBeGreaterThan(0);
        n++;
      }
    }
    expect(n).toBeGreaterThan(0);
  });

  it("hostile names are escaped, shown in the text and on the buttons", () => {
    const v: ViewInput = { prefs: defaultPrefs(), sources: manySources(6), defaultTimezone: "UTC", t };
    const all = renderScreen(v, { screen: "sources", page: 0 });
    const r = checkTelegramHtml(all.text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.visibleText).toContain("<b>Bold</b> & co 0");
    expect(r.visibleText).toContain("AT&T &amp; <script> 1");
    expect(buttonsOf(all).map((b) => b.text)).toContain("✅ AT&T &amp; <script> 1");
  });

  it("paging covers every source exactly once, grouped by language with a header per language", () => {
    const v: ViewInput = { prefs: defaultPrefs(), sources, defaultTimezone: "UTC", t };
    const { pages } = sourcesPage(sources, 0);
    expect(pages).toBe(Math.ceil(300 / SOURCES_PER_PAGE));
    const seen: string[] = [];
    const langOrder: string[] = [];
    for (let p = 0; p < pages; p++) {
      const page = sourcesPage(sources, p);
      expect(page.page).toBe(p);
      expect(page.shown.length).toBeLessThanOrEqual(SOURCES_PER_PAGE);
      const screen = renderScreen(v, { screen: "sources", page: p });
      const toggles = buttonsOf(screen).filter((b) => b.callback_data.startsWith("set:st:"));
      // the buttons name the page's sources, in the same order
      expect(toggles.map((b) => resolveSource(sourceToken(b.callback_data), sources))).toEqual(page.shown.map((s) => s.id));
      for (const s of page.shown) {
        seen.push(s.id);
        const lang = s.lang?.split("-")[0] ?? "und";
        const norm = /^[a-z]{2,3}$/.test(lang) ? lang : "und";
        if (langOrder.at(-1) !== norm) langOrder.push(norm);
      }
      expect(screen.text).toMatch(/<b>[^<]+<\/b>\n[✅▫]/u);
    }
    expect(seen).toHaveLength(300);
    expect(new Set(seen).size).toBe(300);
    // each language is one run across the pages: grouped
    expect(new Set(langOrder).size).toBe(langOrder.length);
    expect(langOrder.at(-1)).toBe("und");
    // a page past the end shows the last page
    expect(sourcesPage(sources, 999).page).toBe(pages - 1);
  });

  it("buttons ask for the state they show the opposite of: pressing twice is harmless", () => {
    const some = manySources(4);
    const v: ViewInput = { prefs: { ...defaultPrefs(), sources: [some[0]!.id] }, sources: some, defaultTimezone: "UTC", t };
    const byId = new Map<string | null, boolean>();
    for (const b of buttonsOf(renderScreen(v, { screen: "sources", page: 0 }))) {
      const a = parseCallback(b.callback_data);
      if (a?.kind === "source") byId.set(resolveSource(a.token, some), a.on);
    }
    expect(byId.get(some[0]!.id)).toBe(false);
    expect(byId.get(some[1]!.id)).toBe(true);
  });

  it("the keywords screen has one remove button per rule, Clear all and Back", () => {
    const v: ViewInput = { prefs: narrowed(sources), sources, defaultTimezone: "UTC", t };
    const b = buttonsOf(renderScreen(v, { screen: "keywords" }));
    expect(b.filter((x) => x.callback_data.startsWith("set:kr:"))).toHaveLength(25);
    expect(b.map((x) => x.callback_data)).toEqual(expect.arrayContaining(["set:kc", "set:m"]));
    expect(PREF_LIMITS.maxRules).toBe(25);
  });

  it("the zones screen lists every common zone; delivery offers the presets and the chat's own time", () => {
    const v: ViewInput = { prefs: narrowed(sources), sources, defaultTimezone: "UTC", t };
    const zoneData = buttonsOf(renderScreen(v, { screen: "zones", page: 0 })).map((b) => b.callback_data);
    for (const z of COMMON_ZONES) expect(zoneData).toContain(`set:zs:0:${z}`);
    const delivery = buttonsOf(renderScreen(v, { screen: "delivery" })).map((b) => b.text);
    expect(delivery).toEqual(
      expect.arrayContaining(["As it comes", "1 h", "12 h", "Daily 07:00", "Daily 21:00", "✅ Daily 07:30", "🕰 Time zone"]),
    );
    const quiet = renderScreen(v, { screen: "quiet" });
    expect(quiet.text).toContain("silently");
    expect(quiet.text).toContain("announcements");
    expect(buttonsOf(quiet).map((b) => b.text)).toEqual(expect.arrayContaining(["Off", "22:00–07:00", "✅ 23:30–06:15"]));
  });
});

describe("the language screen", () => {
  it("the main menu shows the current language; its screen offers the three, the current one ticked", () => {
    const v: ViewInput = { prefs: { ...defaultPrefs(), locale: "az" }, sources: manySources(3), defaultTimezone: "UTC", t };
    const main = renderScreen(v, { screen: "main" });
    expect(main.text).toContain(t("set-main-language", { value: "🇦🇿 Azərbaycanca" }));
    const open = buttonsOf(main).find((b) => b.callback_data === "set:u")!;
    expect(open.text).toBe(t("set-btn-language", { name: "🇦🇿 Azərbaycanca" }));
    const screen = renderScreen(v, { screen: "language" });
    expect(buttonsOf(screen).map((b) => [b.text, b.callback_data])).toEqual([
      ["🇬🇧 English", "set:us:en"],
      ["🇷🇺 Русский", "set:us:ru"],
      ["✅ 🇦🇿 Azərbaycanca", "set:us:az"],
      [t("set-btn-back"), "set:m"],
    ]);
  });

  it("a menu for another chat names it; one for a forum topic says so", () => {
    const base = { prefs: defaultPrefs(), sources: manySources(3), defaultTimezone: "UTC", t };
    expect(renderScreen({ ...base, title: "News <&> Channel" }, { screen: "main" }).text).toMatch(
      /^<b>⚙️ Settings for News &lt;&amp;&gt; Channel<\/b>/,
    );
    expect(renderScreen({ ...base, topic: true }, { screen: "main" }).text).toMatch(/^<b>⚙️ Settings for this topic<\/b>/);
    expect(renderScreen(base, { screen: "main" }).text).toMatch(/^<b>⚙️ Settings for this chat<\/b>/);
  });
});

describe("callback data", () => {
  it.each([
    "",
    "set:",
    "set:x",
    "set:s:",
    "set:s:-1",
    "set:s:1000",
    "set:s:99999999999999999999",
    "set:st:0:bbc:2",
    "set:st:0:BBC:1",
    "set:st:0:~zzzzzzzzz:1",
    "set:de:2",
    "set:de:24",
    "set:dd:2500",
    "set:dd:0760",
    "set:qs:0700-0700",
    "set:qs:2500-0700",
    "set:kr:x:~abc",
    "set:kr:i:plain",
    "set:pv:2",
    "set:m:extra",
    `set:s:${"1".repeat(70)}`,
    "set:zs:0:../../etc",
    "set:\u0000\uffff",
    "src:add:0123456789ab",
    "set:us:xx",
    "set:us:RU",
    "set:us:",
    "set:u:1",
  ])("rejects %j", (data) => {
    expect(parseCallback(data)).toBeNull();
  });

  it("reads what it writes, and every action maps to the screen of its button", () => {
    const data = [
      "set:m",
      "set:s:3",
      "set:st:2:bbc-world:0",
      "set:sa:1",
      "set:lt:0:en:1",
      "set:la:0",
      "set:dn",
      "set:de:3",
      "set:dd:0730",
      "set:u",
      "set:us:ru",
    ];
    for (const d of data) {
      const a = parseCallback(d);
      expect(a).not.toBeNull();
      expect(callbackFor(a!)).toBe(d);
      expect(screenAfter(a!).screen).toBeDefined();
    }
    expect(parseCallback("set:qs:2300-0700")).toEqual({ kind: "quiet", quiet: { from: "23:00", to: "07:00" } });
    expect(parseCallback("set:zs:0:-")).toEqual({ kind: "zone", page: 0, token: null });
    expect(parseCallback("set:us:az")).toEqual({ kind: "locale", locale: "az" });
    expect(screenAfter({ kind: "locale", locale: "az" })).toEqual({ screen: "language" });
  });
});
