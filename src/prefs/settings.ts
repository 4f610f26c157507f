/**
 * The preference use cases behind /settings and /filter: each takes the
 * state the reader asked for (not a toggle), so a button pressed twice, or a
 * press Telegram delivers again, changes nothing the second time. Stores only
 * when something changed, then tells `onChanged` (the timeline reschedules
 * digests); a failure there is logged, never undoes the stored change.
 */
import { isLocale, type Locale } from "../i18n/locales.js";
import type { Logger } from "../log.js";
import { type ChatRef, parseSubKey } from "../store/sub-key.js";
import { addRules as addKeywordRules, type FilterProblem, removeRule as removeKeywordRule, ruleKeyOf } from "./keywords.js";
import { normalizeLang } from "./match.js";
import { PREF_LIMITS, samePrefs } from "./preferences.js";
import { isValidTimeZone, parseClock } from "./schedule.js";
import { type ChatPrefs, type DeliveryMode, DIGEST_HOURS, type KeywordRules, type QuietHours } from "./types.js";

/** A chat id (the chat's own subscription) or a subscription key ("chatId:thread" for a forum topic). */
export type { ChatRef };

export interface PrefsStore {
  /** null when the subscription does not exist */
  get(ref: ChatRef): Promise<ChatPrefs | null>;
  /** false when it does not exist (nothing written) */
  set(ref: ChatRef, prefs: ChatPrefs): Promise<boolean>;
}

/** A source as the settings see it: an enabled source now. */
export interface SettingsSource {
  id: string;
  name: string;
  lang?: string;
}

export type RuleKind = "include" | "exclude" | "phrases";

/** What a list choice is about: the sources, or the languages of the news. */
export type ListKind = "sources" | "langs";

/**
 * Why a change was refused, as data (worded at the edge, in the chat's
 * language: commands/settings.ts).
 */
export type SettingsProblem =
  /** switching off the only one left when every other is off already */
  | { kind: "keep-one"; what: ListKind }
  /** switching off the last one of a chosen list */
  | { kind: "keep-one-or-all"; what: ListKind }
  /** a list longer than PREF_LIMITS allows: `count` it would be, `max` allowed */
  | { kind: "too-many"; what: ListKind; count: number; max: number }
  /** not a time zone Intl knows; `zone` as typed, cut to 64 characters */
  | { kind: "bad-zone"; zone: string }
  /** quiet hours that are not two HH:MM times */
  | { kind: "bad-quiet" }
  /** quiet hours that start and end at the same time */
  | { kind: "quiet-same" }
  /** an "every N hours" not in DIGEST_HOURS */
  | { kind: "bad-hours"; offered: readonly number[] }
  /** a daily time that is not HH:MM */
  | { kind: "bad-time" }
  | { kind: "bad-mode" };

export type SettingsFailure =
  /** the chat never sent /start, or sent /stop */
  | { ok: false; reason: "not-subscribed" }
  /** a value no reader could pick (a bad zone or time) */
  | { ok: false; reason: "invalid"; problem: SettingsProblem }
  /** a source, language or bot language that is no longer offered: the menu it came from is out of date */
  | { ok: false; reason: "unknown" }
  /** more than PREF_LIMITS allows, or none left */
  | { ok: false; reason: "limit"; problem: SettingsProblem };

export type SettingsResult = { ok: true; prefs: ChatPrefs; changed: boolean } | SettingsFailure;

/** A part of the preferences, as a form names it. */
export type PrefField = "sources" | "langs" | "keywords" | "mode" | "timezone" | "quiet" | "previews" | "locale";

/**
 * What replacing the whole preferences did: a refusal names the field it is
 * about; keyword rules that cannot be taken come back as FilterProblems.
 */
export type ReplaceResult =
  | { ok: true; prefs: ChatPrefs; changed: boolean }
  | (SettingsFailure & { field?: PrefField })
  | { ok: false; reason: "rules"; field: "keywords"; rejected: FilterProblem[] };
export type AddRulesResult = { ok: true; prefs: ChatPrefs; changed: boolean; rejected: FilterProblem[] } | SettingsFailure;

export interface SettingsDeps {
  store: PrefsStore;
  /** the enabled sources now (id, name, lang?) */
  sources: () => readonly SettingsSource[];
  /** the bot's TIMEZONE, for chats without their own */
  defaultTimezone: string;
  /**
   * after a change was stored (the timeline reschedules digests etc.); a
   * failure is logged, the change stays. `ref` is the chat id for a chat's
   * own subscription, the key ("chatId:thread") for a forum topic's.
   */
  onChanged?(ref: ChatRef, before: ChatPrefs, after: ChatPrefs): Promise<void>;
  logger?: Pick<Logger, "warn">;
}

/** Every method takes a ChatRef: a chat id, or a subscription key (a forum topic: "chatId:thread"). */
export interface Settings {
  /** the enabled sources now, as given */
  sources(): readonly SettingsSource[];
  /** the languages of those sources (lower-case; "und" for a source without one), sorted, "und" last */
  langs(): string[];
  readonly defaultTimezone: string;
  /** null when the subscription does not exist */
  get(ref: ChatRef): Promise<ChatPrefs | null>;
  /** one source on or off; turning one off while on "all" makes the list of every other current source */
  setSource(ref: ChatRef, sourceId: string, on: boolean): Promise<SettingsResult>;
  /** back to every source, those added later too */
  setAllSources(ref: ChatRef): Promise<SettingsResult>;
  setLang(ref: ChatRef, lang: string, on: boolean): Promise<SettingsResult>;
  setAllLangs(ref: ChatRef): Promise<SettingsResult>;
  setMode(ref: ChatRef, mode: DeliveryMode): Promise<SettingsResult>;
  /** an IANA zone (stored in its canonical spelling), or null for the bot's TIMEZONE */
  setTimezone(ref: ChatRef, zone: string | null): Promise<SettingsResult>;
  setQuiet(ref: ChatRef, quiet: QuietHours | null): Promise<SettingsResult>;
  setPreviews(ref: ChatRef, on: boolean): Promise<SettingsResult>;
  /** the language the bot writes in there; one it does not speak: "unknown" */
  setLocale(ref: ChatRef, locale: Locale): Promise<SettingsResult>;
  /** adds parsed rules (parseFilter); `rejected` has a problem per rule not added (a repeat, over the limit…) */
  addRules(ref: ChatRef, rules: KeywordRules): Promise<AddRulesResult>;
  /** removes the rule of that kind with this text (or the same text in other case); none such: unchanged */
  removeRule(ref: ChatRef, kind: RuleKind, word: string): Promise<SettingsResult>;
  clearRules(ref: ChatRef): Promise<SettingsResult>;
  /**
   * every preference at once (the settings Mini App's form), each checked as
   * the buttons check it: sources and languages offered now (or already
   * chosen), within PREF_LIMITS and never none; rules as /filter takes them;
   * all or nothing — a refusal stores nothing
   */
  replace(ref: ChatRef, desired: ChatPrefs): Promise<ReplaceResult>;
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

/** What onChanged is told: a plain chat's id as a number (as before topics), a forum topic's key. */
function changedRef(ref: ChatRef): ChatRef {
  const t = parseSubKey(ref);
  return t && t.thread === undefined ? t.chatId : ref;
}

export function createSettings(deps: SettingsDeps): Settings {
  const { store } = deps;

  /** Reads, applies, stores when it changed and tells onChanged. */
  async function update(ref: ChatRef, change: (p: ChatPrefs) => Change): Promise<SettingsResult> {
    const before = await store.get(ref);
    if (!before) return { ok: false, reason: "not-subscribed" };
    const after = change(before);
    if ("ok" in after) return after;
    if (samePrefs(before, after)) return { ok: true, prefs: before, changed: false };
    if (!(await store.set(ref, after))) return { ok: false, reason: "not-subscribed" };
    if (deps.onChanged) {
      try {
        await deps.onChanged(changedRef(ref), before, after);
      } catch (err) {
        deps.logger?.warn(
          { chat: String(ref), err: err instanceof Error ? err.message : String(err) },
          "settings: after-change step failed",
        );
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
    what: ListKind,
  ): "all" | string[] | SettingsFailure {
    const known = offered.includes(value);
    if (current === "all") {
      if (on) return "all";
      if (!known) return { ok: false, reason: "unknown" };
      const rest = offered.filter((v) => v !== value);
      if (rest.length === 0) return limit({ kind: "keep-one", what });
      if (rest.length > max) return limit({ kind: "too-many", what, count: rest.length, max });
      return rest;
    }
    if (on) {
      if (current.includes(value)) return current;
      if (!known) return { ok: false, reason: "unknown" };
      if (current.length >= max) return limit({ kind: "too-many", what, count: current.length + 1, max });
      return ordered([...current, value], offered);
    }
    if (!current.includes(value)) return current;
    const rest = current.filter((v) => v !== value);
    // None at all would mean no news; and an empty language list is stored as "all".
    if (rest.length === 0) return limit({ kind: "keep-one-or-all", what });
    return rest;
  }

  return {
    sources: () => deps.sources(),
    langs: () => langsOf(deps.sources()),
    defaultTimezone: deps.defaultTimezone,

    get: (ref) => store.get(ref),

    setSource(ref, sourceId, on) {
      return update(ref, (p) => {
        const ids = deps.sources().map((s) => s.id);
        const next = setListed(p.sources, sourceId, on, ids, PREF_LIMITS.maxSources, "sources");
        return typeof next === "object" && !Array.isArray(next) ? next : { ...p, sources: next };
      });
    },

    setAllSources(ref) {
      return update(ref, (p) => ({ ...p, sources: "all" }));
    },

    setLang(ref, lang, on) {
      const code = lang.trim().toLowerCase();
      return update(ref, (p) => {
        const next = setListed(p.langs, code, on, langsOf(deps.sources()), PREF_LIMITS.maxLangs, "langs");
        return typeof next === "object" && !Array.isArray(next) ? next : { ...p, langs: next };
      });
    },

    setAllLangs(ref) {
      return update(ref, (p) => ({ ...p, langs: "all" }));
    },

    setMode(ref, mode) {
      const checked = checkMode(mode);
      return update(ref, (p) => ("ok" in checked ? checked : { ...p, mode: checked }));
    },

    setTimezone(ref, zone) {
      const z = zone === null ? null : canonicalZone(zone);
      return update(ref, (p) => {
        if (zone !== null && z === null) return invalid({ kind: "bad-zone", zone: zone.trim().slice(0, 64) });
        return { ...p, timezone: z };
      });
    },

    setQuiet(ref, quiet) {
      return update(ref, (p) => {
        if (quiet === null) return { ...p, quiet: null };
        const from = parseClock(quiet.from);
        const to = parseClock(quiet.to);
        if (!from || !to) return invalid({ kind: "bad-quiet" });
        if (from === to) return invalid({ kind: "quiet-same" });
        return { ...p, quiet: { from, to } };
      });
    },

    setPreviews(ref, on) {
      return update(ref, (p) => ({ ...p, previews: on }));
    },

    setLocale(ref, locale) {
      return update(ref, (p) => (isLocale(locale) ? { ...p, locale } : { ok: false, reason: "unknown" }));
    },

    async addRules(ref, rules) {
      let rejected: FilterProblem[] = [];
      const r = await update(ref, (p) => {
        const added = addKeywordRules(p.keywords, rules);
        rejected = added.rejected;
        return { ...p, keywords: added.rules };
      });
      return r.ok ? { ...r, rejected } : r;
    },

    removeRule(ref, kind, word) {
      return update(ref, (p) => {
        const list = p.keywords[kind];
        let i = list.indexOf(word);
        if (i < 0) i = list.findIndex((w) => ruleKeyOf(w) === ruleKeyOf(word));
        return i < 0 ? p : { ...p, keywords: removeKeywordRule(p.keywords, kind, i) };
      });
    },

    clearRules(ref) {
      return update(ref, (p) => ({ ...p, keywords: EMPTY_RULES() }));
    },

    async replace(ref, d) {
      // What does not depend on the stored preferences is checked before reading them.
      const rules = addKeywordRules(EMPTY_RULES(), d.keywords);
      if (rules.rejected.length) return { ok: false, reason: "rules", field: "keywords", rejected: rules.rejected };
      const mode = checkMode(d.mode);
      if ("ok" in mode) return { ...mode, field: "mode" };
      const zone = d.timezone === null ? null : canonicalZone(d.timezone);
      if (d.timezone !== null && zone === null) {
        return { ...invalid({ kind: "bad-zone", zone: d.timezone.trim().slice(0, 64) }), field: "timezone" };
      }
      let quiet: QuietHours | null = null;
      if (d.quiet !== null) {
        const from = parseClock(d.quiet.from);
        const to = parseClock(d.quiet.to);
        if (!from || !to) return { ...invalid({ kind: "bad-quiet" }), field: "quiet" };
        if (from === to) return { ...invalid({ kind: "quiet-same" }), field: "quiet" };
        quiet = { from, to };
      }
      if (!isLocale(d.locale)) return { ok: false, reason: "unknown", field: "locale" };
      let field: PrefField | undefined;
      const r = await update(ref, (p) => {
        const sources = listOf(
          d.sources,
          p.sources,
          deps.sources().map((s) => s.id),
          PREF_LIMITS.maxSources,
          "sources",
        );
        if (isFailure(sources)) {
          field = "sources";
          return sources;
        }
        const langs = listOf(
          d.langs === "all" ? "all" : d.langs.map((l) => l.trim().toLowerCase()),
          p.langs,
          langsOf(deps.sources()),
          PREF_LIMITS.maxLangs,
          "langs",
        );
        if (isFailure(langs)) {
          field = "langs";
          return langs;
        }
        return { sources, langs, keywords: rules.rules, mode, timezone: zone, quiet, previews: d.previews === true, locale: d.locale };
      });
      return r.ok || field === undefined ? r : { ...r, field };
    },
  };

  /** A whole chosen list: "all", or ids offered now or chosen already (a source switched off for now stays), none missing, within max. */
  function listOf(
    desired: "all" | readonly string[],
    current: "all" | string[],
    offered: readonly string[],
    max: number,
    what: ListKind,
  ): "all" | string[] | SettingsFailure {
    if (desired === "all") return "all";
    const chosen = [...new Set(desired)];
    const known = new Set([...offered, ...(current === "all" ? [] : current)]);
    if (chosen.some((v) => !known.has(v))) return { ok: false, reason: "unknown" };
    if (chosen.length === 0) return limit({ kind: "keep-one-or-all", what });
    if (chosen.length > max) return limit({ kind: "too-many", what, count: chosen.length, max });
    return ordered(chosen, offered);
  }
}

function isFailure(v: "all" | string[] | SettingsFailure): v is SettingsFailure {
  return typeof v === "object" && !Array.isArray(v);
}

function invalid(problem: SettingsProblem): SettingsFailure {
  return { ok: false, reason: "invalid", problem };
}

function limit(problem: SettingsProblem): SettingsFailure {
  return { ok: false, reason: "limit", problem };
}

/** The mode as stored (the time in its "HH:MM" form), or why it cannot be. */
function checkMode(mode: DeliveryMode): DeliveryMode | SettingsFailure {
  switch (mode.kind) {
    case "now":
      return { kind: "now" };
    case "every":
      return (DIGEST_HOURS as readonly number[]).includes(mode.hours)
        ? { kind: "every", hours: mode.hours }
        : invalid({ kind: "bad-hours", offered: DIGEST_HOURS });
    case "daily": {
      const at = parseClock(mode.at);
      return at ? { kind: "daily", at } : invalid({ kind: "bad-time" });
    }
    default:
      return invalid({ kind: "bad-mode" });
  }
}
