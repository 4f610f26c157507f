/**
 * The /settings menu, pure: each screen's Telegram HTML text and inline
 * keyboard from a chat's preferences and the sources, and the callback data
 * of its buttons — written and read here only.
 *
 * Callback data is "set:<action>[:<arg>…]", at most 64 bytes whatever the
 * sources are called: a source id, language or zone is sent as itself when
 * short and plain, otherwise as "~" and a hash of it, looked up again among
 * what is offered now. A button carries the state it asks for ("switch X
 * off"), never "toggle", so pressing it twice is harmless. Anything that does
 * not parse is null: the menu it came from is out of date (or forged).
 *
 * Every word is the reader's language: each screen takes `t` (ViewInput.t)
 * and the Intl tag its language names are shown in; callback data never
 * holds a translated word.
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { isLocale, LOCALE_NAMES, LOCALES, type Locale } from "../i18n/locales.js";
import type { Translate } from "../i18n/translator.js";
import { escapeHtml, truncateText } from "../news/html.js";
import { oneLine } from "../text/one-line.js";
import { COMMON_ZONES, parseClock } from "./schedule.js";
import { langOfSource, langsOf, type RuleKind, type SettingsSource } from "./settings.js";
import { type ChatPrefs, type DeliveryMode, DIGEST_HOURS, type DigestHours, type KeywordRules, type QuietHours } from "./types.js";

/** Every callback of this menu starts with it. */
export const SETTINGS_PREFIX = "set:";
/** Telegram's limit for callback_data, in bytes. */
export const CALLBACK_DATA_MAX = 64;
export const SOURCES_PER_PAGE = 8;
export const LANGS_PER_PAGE = 20;
export const ZONES_PER_PAGE = 20;
/** Daily digest times offered as buttons; any other is typed: /settings time HH:MM */
export const DAILY_PRESETS = ["07:00", "08:00", "12:00", "18:00", "21:00"] as const;
export const QUIET_PRESETS: readonly QuietHours[] = [
  { from: "22:00", to: "07:00" },
  { from: "23:00", to: "07:00" },
  { from: "00:00", to: "08:00" },
];

const NAME_MAX = 64;
const BUTTON_MAX = 40;
const RULE_SHOWN_MAX = 64;

export type ScreenRef =
  | { screen: "main" }
  | { screen: "sources"; page: number }
  | { screen: "langs"; page: number }
  | { screen: "delivery" }
  | { screen: "zones"; page: number }
  | { screen: "quiet" }
  | { screen: "keywords" }
  | { screen: "previews" }
  /** the bot's language in this chat */
  | { screen: "language" };

/** What a button asks for. */
export type SettingsAction =
  | { kind: "show"; to: ScreenRef }
  | { kind: "source"; page: number; token: string; on: boolean }
  | { kind: "all-sources"; page: number }
  | { kind: "lang"; page: number; token: string; on: boolean }
  | { kind: "all-langs"; page: number }
  | { kind: "mode"; mode: DeliveryMode }
  /** token null: the bot's default zone */
  | { kind: "zone"; page: number; token: string | null }
  | { kind: "quiet"; quiet: QuietHours | null }
  | { kind: "previews"; on: boolean }
  | { kind: "locale"; locale: Locale }
  | { kind: "remove-rule"; rule: RuleKind; token: string }
  | { kind: "clear-rules" };

export interface ViewInput {
  prefs: ChatPrefs;
  /** the enabled sources now */
  sources: readonly SettingsSource[];
  /** the bot's TIMEZONE */
  defaultTimezone: string;
  /** the texts, in the reader's language */
  t: Translate;
  /** the BCP 47 tag language names are shown in ("ru-RU"); default English */
  locale?: string;
  /** the menu edits another chat's settings (a channel's, from its admin's private chat): its name, plain text */
  title?: string;
  /** the menu edits a forum topic's settings */
  topic?: boolean;
  /** the settings Mini App's address: the main screen offers an "Open settings" web_app button (private chats only: Telegram refuses it elsewhere) */
  webApp?: string;
}

export interface Screen {
  /** Telegram HTML */
  text: string;
  reply_markup: InlineKeyboardMarkup;
}

type Button = InlineKeyboardButton.CallbackButton;

// ---------------------------------------------------------------- tokens

/** FNV-1a, 32 bits, base 36: short, stable, not a secret. */
export function shortHash(s: string): string {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(s)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

const hashed = (s: string) => `~${shortHash(s)}`;

/** A source id or language in callback data: itself when short and plain, else its hash. */
export function tokenOf(s: string): string {
  return /^[a-z0-9-]{1,32}$/.test(s) ? s : hashed(s);
}

function zoneToken(z: string): string {
  return /^[A-Za-z0-9_/+-]{1,40}$/.test(z) ? z : hashed(z);
}

/** The one candidate `token` names, or null (none, or two with the same hash). */
function resolve(token: string, candidates: readonly string[], tok: (s: string) => string): string | null {
  let found: string | null = null;
  for (const c of candidates) {
    if (tok(c) !== token) continue;
    if (found !== null && found !== c) return null;
    found = c;
  }
  return found;
}

export function resolveSource(token: string, sources: readonly SettingsSource[]): string | null {
  return resolve(
    token,
    sources.map((s) => s.id),
    tokenOf,
  );
}

export function resolveLang(token: string, sources: readonly SettingsSource[]): string | null {
  return resolve(token, langsOf(sources), tokenOf);
}

export function resolveZone(token: string): string | null {
  return resolve(token, COMMON_ZONES, zoneToken);
}

/** The rule of `kind` a remove button names, as stored; null when there is none now. */
export function resolveRule(token: string, rules: KeywordRules, kind: RuleKind): string | null {
  return resolve(token, rules[kind], hashed);
}

// ---------------------------------------------------------------- callback data

const RULE_CODES: Record<RuleKind, string> = { include: "i", exclude: "e", phrases: "p" };
const RULE_KINDS: Record<string, RuleKind> = { i: "include", e: "exclude", p: "phrases" };

const hhmm = (clock: string) => clock.replace(":", "");
const clockOf = (digits: string): string | null => parseClock(`${digits.slice(0, 2)}:${digits.slice(2)}`);

function screenData(to: ScreenRef): string {
  switch (to.screen) {
    case "main":
      return "m";
    case "sources":
      return `s:${to.page}`;
    case "langs":
      return `l:${to.page}`;
    case "delivery":
      return "d";
    case "zones":
      return `z:${to.page}`;
    case "quiet":
      return "q";
    case "keywords":
      return "k";
    case "previews":
      return "p";
    case "language":
      return "u";
  }
}

export function callbackFor(a: SettingsAction): string {
  const p = SETTINGS_PREFIX;
  switch (a.kind) {
    case "show":
      return p + screenData(a.to);
    case "source":
      return `${p}st:${a.page}:${a.token}:${a.on ? 1 : 0}`;
    case "all-sources":
      return `${p}sa:${a.page}`;
    case "lang":
      return `${p}lt:${a.page}:${a.token}:${a.on ? 1 : 0}`;
    case "all-langs":
      return `${p}la:${a.page}`;
    case "mode":
      if (a.mode.kind === "now") return `${p}dn`;
      if (a.mode.kind === "every") return `${p}de:${a.mode.hours}`;
      return `${p}dd:${hhmm(a.mode.at)}`;
    case "zone":
      return `${p}zs:${a.page}:${a.token ?? "-"}`;
    case "quiet":
      return a.quiet ? `${p}qs:${hhmm(a.quiet.from)}-${hhmm(a.quiet.to)}` : `${p}qo`;
    case "previews":
      return `${p}pv:${a.on ? 1 : 0}`;
    case "locale":
      return `${p}us:${a.locale}`;
    case "remove-rule":
      return `${p}kr:${RULE_CODES[a.rule]}:${a.token}`;
    case "clear-rules":
      return `${p}kc`;
  }
}

const PAGE = "(\\d{1,3})";
const TOKEN = "([a-z0-9-]{1,32}|~[0-9a-z]{1,7})";
const ON = "([01])";

/** The action a button's data asks for; null for anything this menu never wrote. */
export function parseCallback(data: string): SettingsAction | null {
  if (!data.startsWith(SETTINGS_PREFIX) || data.length > CALLBACK_DATA_MAX) return null;
  const d = data.slice(SETTINGS_PREFIX.length);
  const m = (re: string) => new RegExp(`^${re}$`).exec(d);
  const page = (s: string | undefined) => Number(s);
  let r: RegExpExecArray | null;
  if (d === "m") return { kind: "show", to: { screen: "main" } };
  if (d === "d") return { kind: "show", to: { screen: "delivery" } };
  if (d === "q") return { kind: "show", to: { screen: "quiet" } };
  if (d === "k") return { kind: "show", to: { screen: "keywords" } };
  if (d === "p") return { kind: "show", to: { screen: "previews" } };
  if (d === "u") return { kind: "show", to: { screen: "language" } };
  if ((r = m(`s:${PAGE}`))) return { kind: "show", to: { screen: "sources", page: page(r[1]) } };
  if ((r = m(`l:${PAGE}`))) return { kind: "show", to: { screen: "langs", page: page(r[1]) } };
  if ((r = m(`z:${PAGE}`))) return { kind: "show", to: { screen: "zones", page: page(r[1]) } };
  if ((r = m(`st:${PAGE}:${TOKEN}:${ON}`))) return { kind: "source", page: page(r[1]), token: r[2]!, on: r[3] === "1" };
  if ((r = m(`sa:${PAGE}`))) return { kind: "all-sources", page: page(r[1]) };
  if ((r = m(`lt:${PAGE}:${TOKEN}:${ON}`))) return { kind: "lang", page: page(r[1]), token: r[2]!, on: r[3] === "1" };
  if ((r = m(`la:${PAGE}`))) return { kind: "all-langs", page: page(r[1]) };
  if (d === "dn") return { kind: "mode", mode: { kind: "now" } };
  if ((r = m("de:(\\d{1,2})"))) {
    const hours = Number(r[1]);
    return (DIGEST_HOURS as readonly number[]).includes(hours)
      ? { kind: "mode", mode: { kind: "every", hours: hours as DigestHours } }
      : null;
  }
  if ((r = m("dd:(\\d{4})"))) {
    const at = clockOf(r[1]!);
    return at ? { kind: "mode", mode: { kind: "daily", at } } : null;
  }
  if ((r = m(`zs:${PAGE}:(-|[A-Za-z0-9_/+-]{1,40}|~[0-9a-z]{1,7})`))) {
    return { kind: "zone", page: page(r[1]), token: r[2] === "-" ? null : r[2]! };
  }
  if (d === "qo") return { kind: "quiet", quiet: null };
  if ((r = m("qs:(\\d{4})-(\\d{4})"))) {
    const from = clockOf(r[1]!);
    const to = clockOf(r[2]!);
    return from && to && from !== to ? { kind: "quiet", quiet: { from, to } } : null;
  }
  if ((r = m(`pv:${ON}`))) return { kind: "previews", on: r[1] === "1" };
  if ((r = m("us:([a-z]{2})")) && isLocale(r[1])) return { kind: "locale", locale: r[1] };
  if ((r = m("kr:([iep]):(~[0-9a-z]{1,7})"))) return { kind: "remove-rule", rule: RULE_KINDS[r[1]!]!, token: r[2]! };
  if (d === "kc") return { kind: "clear-rules" };
  return null;
}

/** Whether the action changes the chat's preferences (in a group, only its admins may). */
export function isChange(a: SettingsAction): boolean {
  return a.kind !== "show";
}

/** The screen to show after the action: the one its button is on. */
export function screenAfter(a: SettingsAction): ScreenRef {
  switch (a.kind) {
    case "show":
      return a.to;
    case "source":
    case "all-sources":
      return { screen: "sources", page: a.page };
    case "lang":
    case "all-langs":
      return { screen: "langs", page: a.page };
    case "mode":
      return { screen: "delivery" };
    case "zone":
      return { screen: "zones", page: a.page };
    case "quiet":
      return { screen: "quiet" };
    case "previews":
      return { screen: "previews" };
    case "locale":
      return { screen: "language" };
    case "remove-rule":
    case "clear-rules":
      return { screen: "keywords" };
  }
}

// ---------------------------------------------------------------- wording

// Right-to-left scripts: a name in one would reorder the separators around it.
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC]|[\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;
const isolate = (s: string) => (RTL.test(s) ? `\u2068${s}\u2069` : s);

/** A source's name as plain text, one line, cut short. */
function nameOf(s: SettingsSource, max = NAME_MAX): string {
  return truncateText(oneLine(s.name) || s.id, max);
}

const DEFAULT_INTL = "en-GB";
const displayNames = new Map<string, Intl.DisplayNames | null>();

/** Language names in `locale` ("английский" in ru-RU); null when Intl cannot. */
function displayNamesIn(locale: string): Intl.DisplayNames | null {
  let d = displayNames.get(locale);
  if (d === undefined) {
    try {
      d = new Intl.DisplayNames([locale, DEFAULT_INTL], { type: "language", fallback: "none" });
    } catch {
      d = null;
    }
    if (displayNames.size < 32) displayNames.set(locale, d);
  }
  return d;
}

/** "English (en)" (in the reader's language: "английский (en)"); "other" for sources without a language. Plain text. */
export function langLabel(lang: string, t: Translate, locale: string = DEFAULT_INTL): string {
  if (lang === "und") return t("set-lang-other");
  let name: string | undefined;
  try {
    name = displayNamesIn(locale)?.of(lang);
  } catch {
    name = undefined;
  }
  const code = truncateText(lang, 24);
  return name && name.toLowerCase() !== lang.toLowerCase() ? `${truncateText(name, 40)} (${code})` : code;
}

/** "as it comes", "a digest every 3 h", "a digest daily at 07:30". Plain text. */
export function describeMode(mode: DeliveryMode, t: Translate): string {
  switch (mode.kind) {
    case "now":
      return t("set-mode-now");
    case "every":
      return t("set-mode-every", { hours: String(mode.hours) });
    case "daily":
      return t("set-mode-daily", { at: mode.at });
  }
}

/** "23:00–07:00 (messages arrive silently)", or "off". Plain text. */
export function describeQuiet(q: QuietHours | null, t: Translate): string {
  return q ? t("set-quiet-hours", { from: q.from, to: q.to }) : t("set-off");
}

/** The zone in use, plain text: "Asia/Baku", or "UTC (the bot's default)". */
export function describeZone(prefs: ChatPrefs, defaultTimezone: string, t: Translate): string {
  return prefs.timezone ?? t("set-zone-default", { zone: defaultTimezone });
}

function chosenSources(prefs: ChatPrefs, sources: readonly SettingsSource[]): SettingsSource[] {
  if (prefs.sources === "all") return [...sources];
  const set = new Set(prefs.sources);
  return sources.filter((s) => set.has(s.id));
}

/**
 * Which sources the chat gets, as HTML: "all sources (new ones too)", or
 * "3 of 12 sources: A, B, C" with up to `names` names.
 */
export function describeSources(prefs: ChatPrefs, sources: readonly SettingsSource[], t: Translate, names = 0): string {
  if (prefs.sources === "all") return t("set-sources-all");
  const chosen = chosenSources(prefs, sources);
  if (chosen.length === 0) return t("set-none-chosen");
  const head = t("set-sources-some", { chosen: chosen.length, total: sources.length });
  if (names <= 0) return head;
  const shown = chosen.slice(0, names).map((s) => `<b>${escapeHtml(isolate(nameOf(s, 48)))}</b>`);
  const more = chosen.length - shown.length;
  const list = shown.join(", ");
  return `${head}: ${more > 0 ? t("set-and-more", { list, count: more }) : list}`;
}

/** Which languages, as HTML. */
export function describeLangs(prefs: ChatPrefs, t: Translate, locale?: string): string {
  if (prefs.langs === "all") return t("set-langs-all");
  if (prefs.langs.length === 0) return t("set-none-chosen");
  const shown = prefs.langs.slice(0, 12).map((l) => escapeHtml(langLabel(l, t, locale)));
  const more = prefs.langs.length - shown.length;
  const list = shown.join(", ");
  return more > 0 ? t("set-and-more", { list, count: more }) : list;
}

function ruleCount(r: KeywordRules): number {
  return r.include.length + r.exclude.length + r.phrases.length;
}

const shownRule = (s: string) => escapeHtml(truncateText(oneLine(s), RULE_SHOWN_MAX));

/** The rules in force, one HTML line per kind; [] when there are none. */
export function rulesLines(r: KeywordRules, t: Translate): string[] {
  const lines: string[] = [];
  const wanted = [...r.include.map((w) => `<b>${shownRule(w)}</b>`), ...r.phrases.map((p) => `<b>"${shownRule(p)}"</b>`)];
  if (wanted.length) lines.push(t("set-rules-include", { rules: wanted.join(", ") }));
  if (r.exclude.length) lines.push(t("set-rules-exclude", { rules: r.exclude.map((w) => `<b>${shownRule(w)}</b>`).join(", ") }));
  return lines;
}

/** What +word, -word and "…" mean, and how to add them (HTML). */
export function filterHelp(t: Translate): string {
  return t("set-filter-help");
}

/** A few lines on what this chat gets, for /sources (HTML); `locale` the Intl tag language names are shown in. */
export function chatChoiceText(prefs: ChatPrefs, sources: readonly SettingsSource[], t: Translate, locale?: string): string {
  const rules = ruleCount(prefs.keywords);
  return [
    t("set-choice-gets", { sources: describeSources(prefs, sources, t, 10), langs: describeLangs(prefs, t, locale) }),
    rules ? t("set-choice-rules", { rules: t("set-rules-count", { count: rules }) }) : t("set-choice-no-rules"),
    t("set-choice-change"),
  ].join("\n");
}

// ---------------------------------------------------------------- screens

const button = (text: string, a: SettingsAction): Button => ({ text: truncateText(text, 64), callback_data: callbackFor(a) });
const back = (t: Translate, to: ScreenRef = { screen: "main" }): Button => button(t("set-btn-back"), { kind: "show", to });
const check = (on: boolean) => (on ? "✅" : "▫️");
const mark = (same: boolean, label: string) => (same ? `✅ ${label}` : label);
const markup = (rows: InlineKeyboardButton[][]): InlineKeyboardMarkup => ({ inline_keyboard: rows.filter((r) => r.length > 0) });

function pairs(buttons: Button[], perRow = 2): Button[][] {
  const rows: Button[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow));
  return rows;
}

function pageCount(total: number, per: number): number {
  return Math.max(1, Math.ceil(total / per));
}

function clampPage(page: number, pages: number): number {
  return Number.isInteger(page) && page >= 0 ? Math.min(page, pages - 1) : 0;
}

/** A screen's title, with "(page 2/5)" when it has pages. */
function titled(t: Translate, title: string, page: number, pages: number): string {
  return pages > 1 ? `${title} ${t("set-page", { page: String(page + 1), pages: String(pages) })}` : title;
}

/** ◀ ▶ for a paged screen; none when it has one page. */
function pager(page: number, pages: number, to: (page: number) => SettingsAction): Button[] {
  if (pages <= 1) return [];
  const row: Button[] = [];
  if (page > 0) row.push(button(`◀️ ${page}/${pages}`, to(page - 1)));
  if (page < pages - 1) row.push(button(`${page + 2}/${pages} ▶️`, to(page + 1)));
  return row;
}

/** The sources in menu order: grouped by language (as langsOf orders them), by name within one. */
export function sourcesInMenuOrder(sources: readonly SettingsSource[]): SettingsSource[] {
  const rank = new Map(langsOf(sources).map((l, i) => [l, i]));
  const keyed = sources.map((s) => ({ s, lang: rank.get(langOfSource(s))!, name: oneLine(s.name) || s.id }));
  keyed.sort((a, b) => a.lang - b.lang || byName.compare(a.name, b.name) || (a.s.id < b.s.id ? -1 : a.s.id > b.s.id ? 1 : 0));
  return keyed.map((k) => k.s);
}

const byName = new Intl.Collator("en", { sensitivity: "base" });

/** The sources on one page of the sources screen, in order. */
export function sourcesPage(sources: readonly SettingsSource[], page: number): { shown: SettingsSource[]; page: number; pages: number } {
  const all = sourcesInMenuOrder(sources);
  const pages = pageCount(all.length, SOURCES_PER_PAGE);
  const p = clampPage(page, pages);
  return { shown: all.slice(p * SOURCES_PER_PAGE, (p + 1) * SOURCES_PER_PAGE), page: p, pages };
}

function mainTitle(v: ViewInput): string {
  if (v.title !== undefined) return v.t("set-main-title-of", { title: escapeHtml(isolate(truncateText(oneLine(v.title), NAME_MAX))) });
  return v.t(v.topic ? "set-main-title-topic" : "set-main-title");
}

export function mainScreen(v: ViewInput): Screen {
  const { prefs, t } = v;
  const rules = ruleCount(prefs.keywords);
  const text = [
    mainTitle(v),
    "",
    t("set-main-sources", { value: describeSources(prefs, v.sources, t) }),
    t("set-main-langs", { value: describeLangs(prefs, t, v.locale) }),
    t("set-main-keywords", { value: rules ? t("set-rules-count", { count: rules }) : t("set-none") }),
    t("set-main-delivery", { value: describeMode(prefs.mode, t) }),
    t("set-main-zone", { value: escapeHtml(describeZone(prefs, v.defaultTimezone, t)) }),
    t("set-main-quiet", { value: describeQuiet(prefs.quiet, t) }),
    t("set-main-previews", { value: prefs.previews ? t("set-on") : t("set-off") }),
    t("set-main-language", { value: LOCALE_NAMES[prefs.locale] }),
    "",
    t("set-main-hint"),
  ].join("\n");
  return {
    text,
    reply_markup: markup([
      [
        button(t("set-btn-sources"), { kind: "show", to: { screen: "sources", page: 0 } }),
        button(t("set-btn-langs"), { kind: "show", to: { screen: "langs", page: 0 } }),
      ],
      [
        button(t("set-btn-keywords"), { kind: "show", to: { screen: "keywords" } }),
        button(t("set-btn-delivery"), { kind: "show", to: { screen: "delivery" } }),
      ],
      [
        button(t("set-btn-quiet"), { kind: "show", to: { screen: "quiet" } }),
        button(t("set-btn-previews"), { kind: "show", to: { screen: "previews" } }),
      ],
      [button(t("set-btn-language", { name: LOCALE_NAMES[prefs.locale] }), { kind: "show", to: { screen: "language" } })],
      v.webApp ? [{ text: truncateText(t("webapp-open"), 64), web_app: { url: v.webApp } }] : [],
    ]),
  };
}

export function sourcesScreen(v: ViewInput, page: number): Screen {
  const { prefs, t } = v;
  const { shown, page: p, pages } = sourcesPage(v.sources, page);
  const on = (s: SettingsSource) => prefs.sources === "all" || prefs.sources.includes(s.id);
  const lines = [
    titled(t, t("set-sources-title"), p, pages),
    t("set-you-get", { value: describeSources(prefs, v.sources, t) }),
    v.sources.length ? t("set-sources-hint") : t("set-sources-none"),
  ];
  let lang: string | null = null;
  for (const s of shown) {
    const l = langOfSource(s);
    if (l !== lang) {
      lines.push("", `<b>${escapeHtml(langLabel(l, t, v.locale))}</b>`);
      lang = l;
    }
    lines.push(`${check(on(s))} ${escapeHtml(isolate(nameOf(s)))}`);
  }
  if (prefs.sources !== "all") lines.push("", t("set-sources-later"));
  const rows: Button[][] = shown.map((s) => [
    button(`${check(on(s))} ${nameOf(s, BUTTON_MAX)}`, { kind: "source", page: p, token: tokenOf(s.id), on: !on(s) }),
  ]);
  rows.push(pager(p, pages, (to) => ({ kind: "show", to: { screen: "sources", page: to } })));
  rows.push([button(`${check(prefs.sources === "all")} ${t("set-btn-all-sources")}`, { kind: "all-sources", page: p })]);
  rows.push([back(t)]);
  return { text: lines.join("\n"), reply_markup: markup(rows) };
}

export function langsScreen(v: ViewInput, page: number): Screen {
  const { prefs, t } = v;
  const langs = langsOf(v.sources);
  const pages = pageCount(langs.length, LANGS_PER_PAGE);
  const p = clampPage(page, pages);
  const shown = langs.slice(p * LANGS_PER_PAGE, (p + 1) * LANGS_PER_PAGE);
  const on = (l: string) => prefs.langs === "all" || prefs.langs.includes(l);
  const text = [
    titled(t, t("set-langs-title"), p, pages),
    t("set-you-get", { value: describeLangs(prefs, t, v.locale) }),
    langs.length ? t("set-langs-hint", { other: t("set-lang-other") }) : t("set-langs-none"),
  ].join("\n");
  const rows = pairs(
    shown.map((l) => button(`${check(on(l))} ${langLabel(l, t, v.locale)}`, { kind: "lang", page: p, token: tokenOf(l), on: !on(l) })),
  );
  rows.push(pager(p, pages, (to) => ({ kind: "show", to: { screen: "langs", page: to } })));
  rows.push([button(`${check(prefs.langs === "all")} ${t("set-btn-all-langs")}`, { kind: "all-langs", page: p })]);
  rows.push([back(t)]);
  return { text, reply_markup: markup(rows) };
}

export function deliveryScreen(v: ViewInput): Screen {
  const { t } = v;
  const { mode } = v.prefs;
  const text = [
    t("set-delivery-title"),
    t("set-now", { value: describeMode(mode, t) }),
    "",
    t("set-delivery-now-info"),
    t("set-delivery-every-info"),
    t("set-delivery-daily-info"),
    "",
    t("set-delivery-zone", { zone: escapeHtml(describeZone(v.prefs, v.defaultTimezone, t)) }),
  ].join("\n");
  const daily = [...DAILY_PRESETS] as string[];
  if (mode.kind === "daily" && !daily.includes(mode.at)) daily.push(mode.at);
  const rows: Button[][] = [
    [button(mark(mode.kind === "now", t("set-btn-now")), { kind: "mode", mode: { kind: "now" } })],
    DIGEST_HOURS.map((h) =>
      button(mark(mode.kind === "every" && mode.hours === h, t("set-btn-hours", { hours: String(h) })), {
        kind: "mode",
        mode: { kind: "every", hours: h },
      }),
    ),
    ...pairs(
      daily.map((at) =>
        button(mark(mode.kind === "daily" && mode.at === at, t("set-btn-daily", { at })), { kind: "mode", mode: { kind: "daily", at } }),
      ),
      3,
    ),
    [button(t("set-btn-zone"), { kind: "show", to: { screen: "zones", page: 0 } })],
    [back(t)],
  ];
  return { text, reply_markup: markup(rows) };
}

export function zonesScreen(v: ViewInput, page: number): Screen {
  const { t } = v;
  const pages = pageCount(COMMON_ZONES.length, ZONES_PER_PAGE);
  const p = clampPage(page, pages);
  const shown = COMMON_ZONES.slice(p * ZONES_PER_PAGE, (p + 1) * ZONES_PER_PAGE);
  const current = v.prefs.timezone;
  const text = [
    titled(t, t("set-zones-title"), p, pages),
    t("set-now", { value: escapeHtml(describeZone(v.prefs, v.defaultTimezone, t)) }),
    t("set-zones-hint"),
  ].join("\n");
  const rows: Button[][] = [
    [
      button(mark(current === null, t("set-btn-zone-default", { zone: truncateText(v.defaultTimezone, 30) })), {
        kind: "zone",
        page: p,
        token: null,
      }),
    ],
    ...pairs(shown.map((z) => button(mark(current === z, z), { kind: "zone", page: p, token: zoneToken(z) }))),
    pager(p, pages, (to) => ({ kind: "show", to: { screen: "zones", page: to } })),
    [back(t, { screen: "delivery" })],
  ];
  return { text, reply_markup: markup(rows) };
}

export function quietScreen(v: ViewInput): Screen {
  const { t } = v;
  const q = v.prefs.quiet;
  const text = [
    t("set-quiet-title"),
    t("set-now", { value: describeQuiet(q, t) }),
    "",
    t("set-quiet-info", { zone: escapeHtml(describeZone(v.prefs, v.defaultTimezone, t)) }),
    t("set-quiet-typed"),
  ].join("\n");
  const same = (a: QuietHours) => q !== null && q.from === a.from && q.to === a.to;
  const presets = [...QUIET_PRESETS];
  if (q && !presets.some(same)) presets.push(q);
  const rows: Button[][] = [
    [button(mark(q === null, t("set-btn-off")), { kind: "quiet", quiet: null })],
    ...pairs(presets.map((a) => button(mark(same(a), `${a.from}–${a.to}`), { kind: "quiet", quiet: a }))),
    [back(t)],
  ];
  return { text, reply_markup: markup(rows) };
}

export function keywordsScreen(v: ViewInput): Screen {
  const { t } = v;
  const r = v.prefs.keywords;
  const lines = rulesLines(r, t);
  const text = [
    t("set-keywords-title"),
    ...(lines.length ? lines : [t("set-keywords-none")]),
    "",
    filterHelp(t),
    ...(lines.length ? [t("set-keywords-remove-hint")] : []),
  ].join("\n");
  const remove = (kind: RuleKind, w: string, label: string) =>
    button(`✖ ${truncateText(label, BUTTON_MAX)}`, { kind: "remove-rule", rule: kind, token: hashed(w) });
  const buttons = [
    ...r.include.map((w) => remove("include", w, `+${oneLine(w)}`)),
    ...r.exclude.map((w) => remove("exclude", w, `-${oneLine(w)}`)),
    ...r.phrases.map((w) => remove("phrases", w, `"${oneLine(w)}"`)),
  ];
  const rows = pairs(buttons);
  if (buttons.length) rows.push([button(t("set-btn-clear"), { kind: "clear-rules" })]);
  rows.push([back(t)]);
  return { text, reply_markup: markup(rows) };
}

export function previewsScreen(v: ViewInput): Screen {
  const { t } = v;
  const on = v.prefs.previews;
  const text = [t("set-previews-title"), t("set-now", { value: on ? t("set-on") : t("set-off") }), t("set-previews-info")].join("\n");
  const rows: Button[][] = [
    [
      button(`${check(on)} ${t("set-btn-on")}`, { kind: "previews", on: true }),
      button(`${check(!on)} ${t("set-btn-off")}`, { kind: "previews", on: false }),
    ],
    [back(t)],
  ];
  return { text, reply_markup: markup(rows) };
}

/** The bot's language here: each language in its own words (LOCALE_NAMES), the current one ticked. */
export function languageScreen(v: ViewInput): Screen {
  const { t } = v;
  const current = v.prefs.locale;
  const text = [t("set-language-title"), t("set-now", { value: LOCALE_NAMES[current] }), t("set-language-hint")].join("\n");
  const rows: Button[][] = [
    ...LOCALES.map((l) => [button(mark(l === current, LOCALE_NAMES[l]), { kind: "locale", locale: l })]),
    [back(t)],
  ];
  return { text, reply_markup: markup(rows) };
}

export function renderScreen(v: ViewInput, ref: ScreenRef): Screen {
  switch (ref.screen) {
    case "main":
      return mainScreen(v);
    case "sources":
      return sourcesScreen(v, ref.page);
    case "langs":
      return langsScreen(v, ref.page);
    case "delivery":
      return deliveryScreen(v);
    case "zones":
      return zonesScreen(v, ref.page);
    case "quiet":
      return quietScreen(v);
    case "keywords":
      return keywordsScreen(v);
    case "previews":
      return previewsScreen(v);
    case "language":
      return languageScreen(v);
  }
}
