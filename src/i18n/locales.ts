/**
 * The languages the bot speaks. A chat's language is chosen at /start from
 * Telegram's `language_code` (ru → Russian, az → Azerbaijani, anything else
 * → English), changed with /language or in /settings, and stored with the
 * chat's preferences.
 */
export const LOCALES = ["en", "ru", "az"] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = "en";

export function isLocale(v: unknown): v is Locale {
  return typeof v === "string" && (LOCALES as readonly string[]).includes(v);
}

/** Telegram's `language_code` (an IETF tag: "ru", "az-Latn", "en-GB", or nothing) → the bot's language. */
export function pickLocale(languageCode: string | undefined | null): Locale {
  const base = (languageCode ?? "").trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return isLocale(base) ? base : DEFAULT_LOCALE;
}

/**
 * The BCP 47 tag Intl formats dates and numbers with: en-GB ("27 Nov,
 * 14:05"), ru-RU ("27 нояб., 14:05"), az-Latn-AZ ("27 noy, 14:05").
 */
export const INTL_LOCALE: Record<Locale, string> = { en: "en-GB", ru: "ru-RU", az: "az-Latn-AZ" };

/** Each language in its own words, for the /language buttons. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "🇬🇧 English", ru: "🇷🇺 Русский", az: "🇦🇿 Azərbaycanca" };
