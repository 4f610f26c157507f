/**
 * Numbers and plurals through Intl (pure), for the texts not yet in Fluent.
 * A translated text does not use these: it passes the count as a number to
 * its Fluent message, which groups it in the locale and picks the plural
 * form with a selector (`{ $count -> [one] … *[other] … }`). `plural()`
 * knows English forms only.
 */

/** The CLDR plural categories a language may use; "other" is always required. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

const numberFormats = new Map<string, Intl.NumberFormat>();
const pluralRules = new Map<string, Intl.PluralRules>();

function cached<T>(map: Map<string, T>, locale: string, make: (locale: string) => T): T {
  let value = map.get(locale);
  if (!value) {
    value = make(locale);
    map.set(locale, value);
  }
  return value;
}

/** 12345 → "12,345" in English. */
export function formatNumber(n: number, locale = "en"): string {
  return cached(numberFormats, locale, (l) => new Intl.NumberFormat(l)).format(n);
}

/** The word for n: pluralWord(1, {one: "source", other: "sources"}) → "source". */
export function pluralWord(n: number, forms: PluralForms, locale = "en"): string {
  const rule = cached(pluralRules, locale, (l) => new Intl.PluralRules(l)).select(n);
  return forms[rule] ?? forms.other;
}

/** The number and its word: plural(3, {one: "source", other: "sources"}) → "3 sources". */
export function plural(n: number, forms: PluralForms | string, locale = "en"): string {
  const f = typeof forms === "string" ? { one: forms, other: `${forms}s` } : forms;
  return `${formatNumber(n, locale)} ${pluralWord(n, f, locale)}`;
}
