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
 */
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { escapeHtml, truncateText } from "../news/html.js";
import { plural } from "../text/numbers.js";
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
  | { screen: "previews" };

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
  | { kind: "remove-rule"; rule: RuleKind; token: string }
  | { kind: "clear-rules" };

export interface ViewInput {
  prefs: ChatPrefs;
  /** the enabled sources now */
  sources: readonly SettingsSource[];
  /** the bot's TIMEZONE */
  defaultTimezone: string;
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

const displayNames = (() => {
  try {
    return new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });
  } catch {
    return null;
  }
})();

/** "English (en)", "other" for sources without a language. Plain text. */
export function langLabel(lang: string): string {
  if (lang === "und") return "other";
  let name: string | undefined;
  try {
    name = displayNames?.of(lang);
  } catch {
    name = undefined;
  }
  const code = truncateText(lang, 24);
  return name && name.toLowerCase() !== lang.toLowerCase() ? `${truncateText(name, 40)} (${code})` : code;
}

export function describeMode(mode: DeliveryMode): string {
  switch (mode.kind) {
    case "now":
      return "as it comes";
    case "every":
      return `a digest every ${mode.hours} h`;
    case "daily":
      return `a digest daily at ${mode.at}`;
  }
}

export function describeQuiet(q: QuietHours | null): string {
  return q ? `${q.from}–${q.to} (messages arrive silently)` : "off";
}

/** The zone in use, plain text: "Asia/Baku", or "UTC (the bot's default)". */
export function describeZone(prefs: ChatPrefs, defaultTimezone: string): string {
  return prefs.timezone ?? `${defaultTimezone} (the bot's default)`;
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
export function describeSources(prefs: ChatPrefs, sources: readonly SettingsSource[], names = 0): string {
  if (prefs.sources === "all") return "all sources (new ones too)";
  const chosen = chosenSources(prefs, sources);
  if (chosen.length === 0) return "none — no news arrives until you choose some";
  const head = `${chosen.length} of ${plural(sources.length, "source")}`;
  if (names <= 0) return head;
  const shown = chosen.slice(0, names).map((s) => `<b>${escapeHtml(isolate(nameOf(s, 48)))}</b>`);
  const more = chosen.length - shown.length;
  return `${head}: ${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}

/** Which languages, as HTML. */
export function describeLangs(prefs: ChatPrefs): string {
  if (prefs.langs === "all") return "all languages";
  if (prefs.langs.length === 0) return "none — no news arrives until you choose some";
  const shown = prefs.langs.slice(0, 12).map((l) => escapeHtml(langLabel(l)));
  const more = prefs.langs.length - shown.length;
  return `${shown.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}

function ruleCount(r: KeywordRules): number {
  return r.include.length + r.exclude.length + r.phrases.length;
}

const shownRule = (s: string) => escapeHtml(truncateText(oneLine(s), RULE_SHOWN_MAX));

/** The rules in force, one HTML line per kind; [] when there are none. */
export function rulesLines(r: KeywordRules): string[] {
  const lines: string[] = [];
  const wanted = [...r.include.map((w) => `<b>${shownRule(w)}</b>`), ...r.phrases.map((p) => `<b>"${shownRule(p)}"</b>`)];
  if (wanted.length) lines.push(`➕ Only stories with any of: ${wanted.join(", ")}`);
  if (r.exclude.length) lines.push(`➖ Never stories with: ${r.exclude.map((w) => `<b>${shownRule(w)}</b>`).join(", ")}`);
  return lines;
}

/** What +word, -word and "…" mean, and how to add them (HTML). */
export const FILTER_HELP =
  "<code>+word</code> = only stories with it, <code>-word</code> = never stories with it, " +
  '<code>"exact phrase"</code> = only stories with that phrase. ' +
  'Add some: <code>/filter +word -word "exact phrase"</code>; <code>/filter clear</code> removes them all.';

/** A few lines on what this chat gets, for /sources (HTML). */
export function chatChoiceText(prefs: ChatPrefs, sources: readonly SettingsSource[]): string {
  const rules = ruleCount(prefs.keywords);
  return [
    `<b>This chat gets</b> ${describeSources(prefs, sources, 10)}, in ${describeLangs(prefs)}.`,
    rules ? `Keyword filters apply (${plural(rules, "rule")}): /filter shows them.` : "No keyword filters.",
    "Change what you get: /settings",
  ].join("\n");
}

// ---------------------------------------------------------------- screens

const button = (text: string, a: SettingsAction): Button => ({ text: truncateText(text, 64), callback_data: callbackFor(a) });
const back = (to: ScreenRef = { screen: "main" }): Button => button("⬅️ Back", { kind: "show", to });
const check = (on: boolean) => (on ? "✅" : "▫️");
const markup = (rows: Button[][]): InlineKeyboardMarkup => ({ inline_keyboard: rows.filter((r) => r.length > 0) });

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

export function mainScreen(v: ViewInput): Screen {
  const { prefs } = v;
  const rules = ruleCount(prefs.keywords);
  const text = [
    "<b>⚙️ Settings for this chat</b>",
    "",
    `📡 Sources: ${describeSources(prefs, v.sources)}`,
    `🌐 Languages: ${describeLangs(prefs)}`,
    `🔎 Keywords: ${rules ? plural(rules, "rule") : "none"}`,
    `📬 Delivery: ${describeMode(prefs.mode)}`,
    `🕰 Time zone: ${escapeHtml(describeZone(prefs, v.defaultTimezone))}`,
    `🌙 Quiet hours: ${describeQuiet(prefs.quiet)}`,
    `🔗 Link previews: ${prefs.previews ? "on" : "off"}`,
    "",
    "Tap what to change.",
  ].join("\n");
  return {
    text,
    reply_markup: markup([
      [
        button("📡 Sources", { kind: "show", to: { screen: "sources", page: 0 } }),
        button("🌐 Languages", { kind: "show", to: { screen: "langs", page: 0 } }),
      ],
      [
        button("🔎 Keywords", { kind: "show", to: { screen: "keywords" } }),
        button("📬 Delivery", { kind: "show", to: { screen: "delivery" } }),
      ],
      [
        button("🌙 Quiet hours", { kind: "show", to: { screen: "quiet" } }),
        button("🔗 Link previews", { kind: "show", to: { screen: "previews" } }),
      ],
    ]),
  };
}

export function sourcesScreen(v: ViewInput, page: number): Screen {
  const { prefs } = v;
  const { shown, page: p, pages } = sourcesPage(v.sources, page);
  const on = (s: SettingsSource) => prefs.sources === "all" || prefs.sources.includes(s.id);
  const lines = [
    `<b>📡 Sources</b>${pages > 1 ? ` (page ${p + 1}/${pages})` : ""}`,
    `You get: ${describeSources(prefs, v.sources)}.`,
    v.sources.length ? "Tap a source to switch it on or off." : "No sources are enabled yet.",
  ];
  let lang: string | null = null;
  for (const s of shown) {
    const l = langOfSource(s);
    if (l !== lang) {
      lines.push("", `<b>${escapeHtml(langLabel(l))}</b>`);
      lang = l;
    }
    lines.push(`${check(on(s))} ${escapeHtml(isolate(nameOf(s)))}`);
  }
  if (prefs.sources !== "all") lines.push("", "A source added later is not included until you tick it; “All sources” follows every one.");
  const rows: Button[][] = shown.map((s) => [
    button(`${check(on(s))} ${nameOf(s, BUTTON_MAX)}`, { kind: "source", page: p, token: tokenOf(s.id), on: !on(s) }),
  ]);
  rows.push(pager(p, pages, (to) => ({ kind: "show", to: { screen: "sources", page: to } })));
  rows.push([button(`${check(prefs.sources === "all")} All sources`, { kind: "all-sources", page: p })]);
  rows.push([back()]);
  return { text: lines.join("\n"), reply_markup: markup(rows) };
}

export function langsScreen(v: ViewInput, page: number): Screen {
  const { prefs } = v;
  const langs = langsOf(v.sources);
  const pages = pageCount(langs.length, LANGS_PER_PAGE);
  const p = clampPage(page, pages);
  const shown = langs.slice(p * LANGS_PER_PAGE, (p + 1) * LANGS_PER_PAGE);
  const on = (l: string) => prefs.langs === "all" || prefs.langs.includes(l);
  const text = [
    `<b>🌐 Languages</b>${pages > 1 ? ` (page ${p + 1}/${pages})` : ""}`,
    `You get: ${describeLangs(prefs)}.`,
    langs.length
      ? "The languages of the sources; tap one to switch it on or off. “other” is sources with no language set."
      : "No sources yet.",
  ].join("\n");
  const rows = pairs(shown.map((l) => button(`${check(on(l))} ${langLabel(l)}`, { kind: "lang", page: p, token: tokenOf(l), on: !on(l) })));
  rows.push(pager(p, pages, (to) => ({ kind: "show", to: { screen: "langs", page: to } })));
  rows.push([button(`${check(prefs.langs === "all")} All languages`, { kind: "all-langs", page: p })]);
  rows.push([back()]);
  return { text, reply_markup: markup(rows) };
}

export function deliveryScreen(v: ViewInput): Screen {
  const { mode } = v.prefs;
  const text = [
    "<b>📬 Delivery</b>",
    `Now: ${describeMode(mode)}.`,
    "",
    "• <b>As it comes</b>: each story when it is published (several at once arrive as one digest).",
    "• <b>Every N hours</b>: one digest at local multiples of N from midnight (00:00, 03:00, … for 3 h).",
    "• <b>Daily</b>: one digest a day. Any time: <code>/settings time HH:MM</code>",
    "",
    `🕰 Time zone: ${escapeHtml(describeZone(v.prefs, v.defaultTimezone))}. Change it below or with <code>/settings zone Area/City</code>.`,
  ].join("\n");
  const mark = (same: boolean, label: string) => (same ? `✅ ${label}` : label);
  const daily = [...DAILY_PRESETS] as string[];
  if (mode.kind === "daily" && !daily.includes(mode.at)) daily.push(mode.at);
  const rows: Button[][] = [
    [button(mark(mode.kind === "now", "As it comes"), { kind: "mode", mode: { kind: "now" } })],
    DIGEST_HOURS.map((h) =>
      button(mark(mode.kind === "every" && mode.hours === h, `${h} h`), { kind: "mode", mode: { kind: "every", hours: h } }),
    ),
    ...pairs(
      daily.map((at) =>
        button(mark(mode.kind === "daily" && mode.at === at, `Daily ${at}`), { kind: "mode", mode: { kind: "daily", at } }),
      ),
      3,
    ),
    [button("🕰 Time zone", { kind: "show", to: { screen: "zones", page: 0 } })],
    [back()],
  ];
  return { text, reply_markup: markup(rows) };
}

export function zonesScreen(v: ViewInput, page: number): Screen {
  const pages = pageCount(COMMON_ZONES.length, ZONES_PER_PAGE);
  const p = clampPage(page, pages);
  const shown = COMMON_ZONES.slice(p * ZONES_PER_PAGE, (p + 1) * ZONES_PER_PAGE);
  const current = v.prefs.timezone;
  const text = [
    `<b>🕰 Time zone</b>${pages > 1 ? ` (page ${p + 1}/${pages})` : ""}`,
    `Now: ${escapeHtml(describeZone(v.prefs, v.defaultTimezone))}.`,
    "Digest times and quiet hours are in this zone. Not listed? Type <code>/settings zone Area/City</code>, e.g. <code>/settings zone Asia/Baku</code>.",
  ].join("\n");
  const mark = (same: boolean, label: string) => (same ? `✅ ${label}` : label);
  const rows: Button[][] = [
    [button(mark(current === null, `Bot default (${truncateText(v.defaultTimezone, 30)})`), { kind: "zone", page: p, token: null })],
    ...pairs(shown.map((z) => button(mark(current === z, z), { kind: "zone", page: p, token: zoneToken(z) }))),
    pager(p, pages, (to) => ({ kind: "show", to: { screen: "zones", page: to } })),
    [back({ screen: "delivery" })],
  ];
  return { text, reply_markup: markup(rows) };
}

export function quietScreen(v: ViewInput): Screen {
  const q = v.prefs.quiet;
  const text = [
    "<b>🌙 Quiet hours</b>",
    `Now: ${describeQuiet(q)}.`,
    "",
    "During quiet hours messages still arrive, but silently: no sound, no vibration. " +
      "The same goes for the admins' announcements. " +
      `Times are in ${escapeHtml(describeZone(v.prefs, v.defaultTimezone))}.`,
    "Other hours: <code>/settings quiet 23:30-06:30</code>; <code>/settings quiet off</code> turns them off.",
  ].join("\n");
  const same = (a: QuietHours) => q !== null && q.from === a.from && q.to === a.to;
  const presets = [...QUIET_PRESETS];
  if (q && !presets.some(same)) presets.push(q);
  const mark = (on: boolean, label: string) => (on ? `✅ ${label}` : label);
  const rows: Button[][] = [
    [button(mark(q === null, "Off"), { kind: "quiet", quiet: null })],
    ...pairs(presets.map((a) => button(mark(same(a), `${a.from}–${a.to}`), { kind: "quiet", quiet: a }))),
    [back()],
  ];
  return { text, reply_markup: markup(rows) };
}

export function keywordsScreen(v: ViewInput): Screen {
  const r = v.prefs.keywords;
  const lines = rulesLines(r);
  const text = [
    "<b>🔎 Keyword filters</b>",
    ...(lines.length ? lines : ["None: you get every story of your sources."]),
    "",
    FILTER_HELP,
    ...(lines.length ? ["Tap ✖ to remove one."] : []),
  ].join("\n");
  const remove = (kind: RuleKind, w: string, label: string) =>
    button(`✖ ${truncateText(label, BUTTON_MAX)}`, { kind: "remove-rule", rule: kind, token: hashed(w) });
  const buttons = [
    ...r.include.map((w) => remove("include", w, `+${oneLine(w)}`)),
    ...r.exclude.map((w) => remove("exclude", w, `-${oneLine(w)}`)),
    ...r.phrases.map((w) => remove("phrases", w, `"${oneLine(w)}"`)),
  ];
  const rows = pairs(buttons);
  if (buttons.length) rows.push([button("🗑 Clear all", { kind: "clear-rules" })]);
  rows.push([back()]);
  return { text, reply_markup: markup(rows) };
}

export function previewsScreen(v: ViewInput): Screen {
  const on = v.prefs.previews;
  const text = [
    "<b>🔗 Link previews</b>",
    `Now: ${on ? "on" : "off"}.`,
    "When on, a single story's message shows the article's preview (picture and lead) under it; digests never do.",
  ].join("\n");
  const rows: Button[][] = [
    [button(`${check(on)} On`, { kind: "previews", on: true }), button(`${check(!on)} Off`, { kind: "previews", on: false })],
    [back()],
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
  }
}
