import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { I18n } from "@grammyjs/i18n";
import { DEFAULT_LOCALE, INTL_LOCALE, isLocale, LOCALES, type Locale } from "./locales.js";

/** A value a message takes: numbers are formatted by Fluent in the locale (grouping!), so pass ids as strings. */
export type TextArg = string | number;
export type TextArgs = Record<string, TextArg>;

/** The texts of one language: `t("card-read-more")`. */
export type Translate = (key: string, args?: TextArgs) => string;

export interface Translator {
  /** the @grammyjs/i18n instance (its middleware gives each update `ctx.t`) */
  readonly i18n: I18n;
  t(locale: Locale, key: string, args?: TextArgs): string;
  /** bound to one language (cards, digests, alerts composed outside an update) */
  forLocale(locale: Locale | string | undefined | null): Translate;
  /** the BCP 47 tag dates and numbers are formatted with */
  intlLocale(locale: Locale | string | undefined | null): string;
}

/**
 * `locales/` beside the package: found by walking up from this module, so
 * it works from src/ (tsx) and from dist/src/ (the build) alike.
 */
export function localesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "locales");
    if (existsSync(join(candidate, DEFAULT_LOCALE))) return candidate;
    dir = dirname(dir);
  }
  throw new Error("i18n: the locales/ folder was not found");
}

export interface TranslatorOptions {
  directory?: string;
  /** a missing message (a key absent in a locale): tests fail on it, the bot logs it */
  onMissing?: (locale: string, key: string) => void;
}

/**
 * Loads every `locales/<lang>/*.ftl` (Fluent) once. Placeables are not
 * wrapped in Unicode isolation marks: the texts are Telegram HTML, and
 * compose.ts isolates right-to-left titles itself where it matters.
 * Values passed to an HTML message must be escaped by the caller.
 */
export function createTranslator(opts: TranslatorOptions = {}): Translator {
  const i18n = new I18n({
    defaultLocale: DEFAULT_LOCALE,
    fluentBundleOptions: { useIsolating: false },
    fluentOptions: {
      warningHandler: (w) => {
        const key = "messageId" in w ? w.messageId : w.path;
        opts.onMissing?.(w.locales.join(","), key);
      },
    },
  });
  i18n.loadLocalesDirSync(opts.directory ?? localesDir());
  const bound = new Map<Locale, Translate>();
  const norm = (l: Locale | string | undefined | null): Locale => (isLocale(l) ? l : DEFAULT_LOCALE);
  // Fluent throws on a placeholder it was not given a value for: a text
  // must never crash a handler or a delivery, so the key is reported and
  // shown rather than thrown (the locales test fills every placeholder).
  const translate = (locale: Locale, key: string, args?: TextArgs): string => {
    try {
      return i18n.t(locale, key, args);
    } catch (err) {
      opts.onMissing?.(locale, `${key} (${err instanceof Error ? err.message : String(err)})`);
      return key;
    }
  };
  for (const l of LOCALES) bound.set(l, (key, args) => translate(l, key, args));
  return {
    i18n,
    t: (locale, key, args) => translate(norm(locale), key, args),
    forLocale: (locale) => bound.get(norm(locale)) as Translate,
    intlLocale: (locale) => INTL_LOCALE[norm(locale)],
  };
}

let shared: Translator | undefined;

/**
 * One translator for the process, loaded on first use (never on import).
 * Pure composers default to its English texts, so a caller that passes no
 * `t` still gets words, not keys.
 */
export function defaultTranslator(): Translator {
  shared ??= createTranslator();
  return shared;
}

/** English, for composers called without a language (tools, tests, logs). */
export function english(): Translate {
  return defaultTranslator().forLocale("en");
}
