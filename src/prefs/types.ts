import type { Locale } from "../i18n/locales.js";

/**
 * A chat's preferences: what it gets and when. Stored with the subscriber
 * (src/store/subscriber-store.ts), only the fields that differ from
 * DEFAULT_PREFS (src/prefs/preferences.ts), with a version so records of
 * older versions — and those written before preferences existed — load.
 */

/** How news reaches the chat. */
export type DeliveryMode =
  /** each story as it comes (several at once become one digest) */
  | { kind: "now" }
  /** one digest every N hours, at local multiples of N from midnight (00:00, 03:00, … for 3) */
  | { kind: "every"; hours: DigestHours }
  /** one digest a day at a local time "HH:MM" */
  | { kind: "daily"; at: string };

export const DIGEST_HOURS = [1, 3, 6, 12] as const;
export type DigestHours = (typeof DIGEST_HOURS)[number];

/** Local "HH:MM" to "HH:MM"; may cross midnight (23:00–07:00). */
export interface QuietHours {
  from: string;
  to: string;
}

/**
 * Keyword rules, as the reader typed them (display form, trimmed). A story
 * passes when it matches no exclude word and, if there are includes or
 * phrases, at least one include word or phrase. Matched on folded, stemmed
 * terms of the title and summary (src/prefs/keywords.ts). An entry of
 * several words, in any list, matches as a phrase: /filter -"climate change"
 * stores the exclude "climate change", which leaves out stories with that
 * phrase, not every story with "change".
 */
export interface KeywordRules {
  include: string[];
  exclude: string[];
  phrases: string[];
}

export interface ChatPrefs {
  /** "all" follows every enabled source, those added later too; a list follows only those ids */
  sources: "all" | string[];
  /** "all", or language codes from the sources' `lang` ("en", "ru", "az"); a source without lang counts as "und" */
  langs: "all" | string[];
  keywords: KeywordRules;
  mode: DeliveryMode;
  /** IANA zone for digest times and quiet hours; null = the bot's TIMEZONE */
  timezone: string | null;
  /** null = none */
  quiet: QuietHours | null;
  /** link previews under single story cards (default on) */
  previews: boolean;
  /** the language the bot writes in, in this chat (replies, cards, digests); chosen at /start from Telegram's language_code */
  locale: Locale;
}

/** What matching needs of one story (built once per story, shared by every chat). */
export interface StoryFacts {
  key: string;
  sourceId: string;
  /** the source's lang, lower-case; "und" when the source has none */
  lang: string;
  /** title + "\n" + summary, as shown */
  text: string;
}
