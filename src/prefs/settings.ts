/**
 * The preference use cases behind /settings and /filter: each takes the
 * state the reader asked for (not a toggle), so a button pressed twice, or a
 * press Telegram delivers again, changes nothing the second time. Stores only
 * when something changed, then tells `onChanged` (the timeline reschedules
 * digests); a failure there is logged, never undoes the stored change.
 */
import type { Logger } from "../log.js";
import { addRules as addKeywordRules, removeRule as removeKeywordRule, ruleKeyOf } from "./keywords.js";
import { normalizeLang } from "./match.js";
import { PREF_LIMITS, samePrefs } from "./preferences.js";
import { isValidTimeZone, parseClock } from "./schedule.js";
import { type ChatPrefs, type DeliveryMode, DIGEST_HOURS, type KeywordRules, type QuietHours } from "./types.js";

export interface PrefsStore {
  /** null when the chat is not subscribed */
  get(chatId: number): Promise<ChatPrefs | null>;
  /** false when the chat is not subscribed (nothing written) */
  set(chatId: number, prefs: ChatPrefs): Promise<boolean>;
}

/** A source as the settings see it: an enabled source now. */
export interface SettingsSource {
  id: string;
  name: string;
  lang?: string;
}

export type RuleKind = "include" | "exclude" | "phrases";

export type SettingsFailure =
  /** the chat never sent /start, or sent /stop */
  | { ok: false; reason: "not-subscribed" }
  /** a value no reader could pick (a bad zone or time); `message` says why, in one line */
  | { ok: false; reason: "invalid"; message: string }
  /** a source or language that is no longer offered: the menu it came from is out of date */
  | { ok: false; reason: "unknown" }
  /** more than PREF_LIMITS allows */
  | { ok: false; reason: "limit"; message: string };

export type SettingsResult = { ok: true; prefs: ChatPrefs; changed: boolean } | SettingsFailure;
export type AddRulesResult = { ok: true; prefs: ChatPrefs; changed: boolean; rejected: string[] } | SettingsFailure;

export interface SettingsDeps {
  store: PrefsStore;
  /** the enabled sources now (id, name, lang?) */
  sources: () => readonly SettingsSource[];
  /** the bot's TIMEZONE, for chats without their own */
  defaultTimezone: string;
  /** after a change was stored (the timeline reschedules digests etc.); a failure is logged, the change stays */
  onChanged?: (chatId: number, before: ChatPrefs, after: ChatPrefs) => Promise<void>;
  logger?: Pick<Logger, "warn">;
}

export interface Settings {
  /** the enabled sources now, as given */
  sources(): readonly SettingsSource[];
  /** the languages of those sources (lower-case; "und" for a source without one), sorted, "und" last */
  langs(): string[];
  readonly defaultTimezone: string;
  /** null when the chat is not subscribed */
  get(chatId: number): Promise<ChatPrefs | null>;
  /** one source on or off; turning one off while on "all" makes the list of every other current source */
  setSource(chatId: number, sourceId: string, on: boolean): Promise<SettingsResult>;
  /** back to every source, those added later too */
  setAllSources(chatId: number): Promise<SettingsResult>;
  setLang(chatId: number, lang: string, on: boolean): Promise<SettingsResult>;
  setAllLangs(chatId: number): Promise<SettingsResult>;
  setMode(chatId: number, mode: DeliveryMode): Promise<SettingsResult>;
  /** an IANA zone (stored in its canonical spelling), or null for the bot's TIMEZONE */
  setTimezone(chatId: number, zone: string | null): Promise<SettingsResult>;
  setQuiet(chatId: number, quiet: QuietHours | null): Promise<SettingsResult>;
  setPreviews(chatId: number, on: boolean): Promise<SettingsResult>;
  /** adds parsed rules (parseFilter); `rejected` has a line per rule not added (a repeat, over the limit…) */
  addRules(chatId: number, rules: KeywordRules): Promise<AddRulesResult>;
  /** removes the rule of that kind with this text (or the same text in other case); none such: unchanged */
  removeRule(chatId: number, kind: RuleKind, word: string): Promise<SettingsResult>;
  clearRules(chatId: number): Promise<SettingsResult>;
}

/** A source's language as preferences count it ("en-GB" → "en", none → "und"). */
export function langOfSource(s: { lang?: string }): string {
  return normalizeLang(s.lang);
}

/** The distinct languages of `sources`, sorted, "und" (no language) last. */
export function langsOf(sources: readonly { lang?: string }[]): string[] {
  const set = new Set(sources.map(langOfSource));
  return [...set].sort((a, b) => (a === "und" ? 1 : b === "und" ? -1 : a < b ? -1 : a > b ? 1 : 0));
}

/** The zone's canonical spelling ("asia/baku" → "Asia/Baku"), or null when it is not a zone. */
export function canonicalZone(zone: string): string | null {
  const z = zone.trim();
  if (!z || !isValidTimeZone(z)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: z }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const EMPTY_RULES = (): KeywordRules => ({ include: [], exclude: [], phrases: [] });

type Change = ChatPrefs | SettingsFailure;

export function createSettings(deps: SettingsDeps): Settings {
  const { store } = deps;

  /** Reads, applies, stores when it changed and tells onChanged. */
  async function update(chatId: number, change: (p: ChatPrefs) => Change): Promise<SettingsResult> {
    const before = await store.get(chatId);
    if (!before) return { ok: false, reason: "not-subscribed" };
    const after = change(before);
    if ("ok" in after) return after;
    if (samePrefs(before, after)) return { ok: true, prefs: before, changed: false };
    if (!(await store.set(chatId, after))) return { ok: false, reason: "not-subscribed" };
    if (deps.onChanged) {
      try {
        await deps.onChanged(chatId, before, after);
      } catch (err) {
        deps.logger?.warn({ chatId, err: err instanceof Error ? err.message : String(err) }, "settings: after-change step failed");
      }
    }
    return { ok: true, prefs: after, changed: true };
  }

  /** `list` in the order of the current sources, ids no longer offered (switched off for now) kept at the end. */
  function ordered(list: readonly string[], order: readonly string[]): string[] {
    const set = new Set(list);
    const known = order.filter((id) => set.has(id));
    const knownSet = new Set(known);
    return [...known, ...[...set].filter((id) => !knownSet.has(id))];
  }

  function setListed(
    current: "all" | string[],
    value: string,
    on: boolean,
    offered: readonly string[],
    max: number,
    what: string,
  ): "all" | string[] | SettingsFailure {
    const known = offered.includes(value);
    if (current === "all") {
      if (on) return "all";
      if (!known) return { ok: false, reason: "unknown" };
      const rest = offered.filter((v) => v !== value);
      if (rest.length === 0) return { ok: false, reason: "limit", message: `Keep at least one of the ${what} on. /stop pauses all news.` };
      if (rest.length > max) return { ok: false, reason: "limit", message: tooMany(offered.length, max, what) };
      return rest;
    }
    if (on) {
      if (current.includes(value)) return current;
      if (!known) return { ok: false, reason: "unknown" };
      if (current.length >= max) return { ok: false, reason: "limit", message: tooMany(current.length + 1, max, what) };
      return ordered([...current, value], offered);
    }
    if (!current.includes(value)) return current;
    const rest = current.filter((v) => v !== value);
    // None at all would mean no news; and an empty language list is stored as "all".
    if (rest.length === 0)
      return {
        ok: false,
        reason: "limit",
        message: `Keep at least one of the ${what} on, or choose “All ${what}”. /stop pauses all news.`,
      };
    return rest;
  }

  return {
    sources: () => deps.sources(),
    langs: () => langsOf(deps.sources()),
    defaultTimezone: deps.defaultTimezone,

    get: (chatId) => store.get(chatId),

    setSource(chatId, sourceId, on) {
      return update(chatId, (p) => {
        const ids = deps.sources().map((s) => s.id);
        const next = setListed(p.sources, sourceId, on, ids, PREF_LIMITS.maxSources, "sources");
        return typeof next === "object" && !Array.isArray(next) ? next : { ...p, sources: next };
      });
    },

    setAllSources(chatId) {
      return update(chatId, (p) => ({ ...p, sources: "all" }));
    },

    setLang(chatId, lang, on) {
      const code = lang.trim().toLowerCase();
      return update(chatId, (p) => {
        const next = setListed(p.langs, code, on, langsOf(deps.sources()), PREF_LIMITS.maxLangs, "languages");
        return typeof next === "object" && !Array.isArray(next) ? next : { ...p, langs: next };
      });
    },

    setAllLangs(chatId) {
      return update(chatId, (p) => ({ ...p, langs: "all" }));
    },

    setMode(chatId, mode) {
      const checked = checkMode(mode);
      return update(chatId, (p) => ("ok" in checked ? checked : { ...p, mode: checked }));
    },

    setTimezone(chatId, zone) {
      const z = zone === null ? null : canonicalZone(zone);
      return update(chatId, (p) => {
        if (zone !== null && z === null) return invalid(`"${zone.trim().slice(0, 64)}" is not a time zone. Example: Asia/Baku`);
        return { ...p, timezone: z };
      });
    },

    setQuiet(chatId, quiet) {
      return update(chatId, (p) => {
        if (quiet === null) return { ...p, quiet: null };
        const from = parseClock(quiet.from);
        const to = parseClock(quiet.to);
        if (!from || !to) return invalid("Quiet hours are two times HH:MM-HH:MM, for example 23:00-07:00.");
        if (from === to) return invalid("Quiet hours must start and end at different times.");
        return { ...p, quiet: { from, to } };
      });
    },

    setPreviews(chatId, on) {
      return update(chatId, (p) => ({ ...p, previews: on }));
    },

    async addRules(chatId, rules) {
      let rejected: string[] = [];
      const r = await update(chatId, (p) => {
        const added = addKeywordRules(p.keywords, rules);
        rejected = added.rejected;
        return { ...p, keywords: added.rules };
      });
      return r.ok ? { ...r, rejected } : r;
    },

    removeRule(chatId, kind, word) {
      return update(chatId, (p) => {
        const list = p.keywords[kind];
        let i = list.indexOf(word);
        if (i < 0) i = list.findIndex((w) => ruleKeyOf(w) === ruleKeyOf(word));
        return i < 0 ? p : { ...p, keywords: removeKeywordRule(p.keywords, kind, i) };
      });
    },

    clearRules(chatId) {
      return update(chatId, (p) => ({ ...p, keywords: EMPTY_RULES() }));
    },
  };
}

function invalid(message: string): SettingsFailure {
  return { ok: false, reason: "invalid", message };
}

function tooMany(n: number, max: number, what: string): string {
  return `That would be ${n} ${what}; a chat can choose at most ${max}. Choose "All ${what}" instead.`;
}

/** The mode as stored (the time in its "HH:MM" form), or why it cannot be. */
function checkMode(mode: DeliveryMode): DeliveryMode | SettingsFailure {
  switch (mode.kind) {
    case "now":
      return { kind: "now" };
    case "every":
      return (DIGEST_HOURS as readonly number[]).includes(mode.hours)
        ? { kind: "every", hours: mode.hours }
        : invalid(`A digest comes every ${DIGEST_HOURS.join(", ")} hours.`);
    case "daily": {
      const at = parseClock(mode.at);
      return at ? { kind: "daily", at } : invalid("A time is HH:MM, for example 07:30.");
    }
    default:
      return invalid("Unknown delivery mode.");
  }
}
