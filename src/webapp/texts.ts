import type { Translate } from "../i18n/translator.js";

/**
 * The words of the settings Mini App (src/webapp/public/): the page has
 * none of its own, it shows the `texts` every API answer carries. Their
 * Fluent messages are in locales/<lang>/webapp.ftl.
 */
export const WEBAPP_TEXT_KEYS = [
  "webapp-title",
  "webapp-loading",
  "webapp-offline",
  "webapp-failed",
  "webapp-chat",
  "webapp-not-subscribed",
  "webapp-sources",
  "webapp-sources-all",
  "webapp-sources-all-hint",
  "webapp-sources-later",
  "webapp-sources-none",
  "webapp-langs",
  "webapp-langs-all",
  "webapp-langs-hint",
  "webapp-keywords",
  "webapp-kw-include",
  "webapp-kw-exclude",
  "webapp-kw-phrases",
  "webapp-kw-word",
  "webapp-kw-phrase",
  "webapp-kw-add",
  "webapp-kw-remove",
  "webapp-kw-repeat",
  "webapp-kw-limit",
  "webapp-kw-hint",
  "webapp-delivery",
  "webapp-mode",
  "webapp-mode-now",
  "webapp-mode-every",
  "webapp-mode-daily",
  "webapp-daily-at",
  "webapp-timezone",
  "webapp-zone-default",
  "webapp-delivery-hint",
  "webapp-quiet",
  "webapp-quiet-on",
  "webapp-quiet-from",
  "webapp-quiet-to",
  "webapp-quiet-hint",
  "webapp-messages",
  "webapp-previews",
  "webapp-locale",
  "webapp-messages-hint",
  "webapp-save",
  "webapp-saving",
] as const;

export type WebAppTextKey = (typeof WEBAPP_TEXT_KEYS)[number];

/** What the API server says itself (errors, confirmations, the chat's buttons and chat titles), in the same .ftl files. */
export const WEBAPP_SERVER_KEYS = [
  "webapp-unauthorized",
  "webapp-forbidden",
  "webapp-not-subscribed",
  "webapp-bad-request",
  "webapp-saved",
  "webapp-unchanged",
  "webapp-failed",
  "webapp-stale",
  "webapp-open",
  "webapp-menu-button",
  "webapp-private-title",
  "webapp-topic-title",
  "webapp-confirm",
] as const;

/**
 * Placeholders the page fills itself (a value it only knows in the
 * browser): the text carries `{name}` there. These messages must not
 * select a plural form on that value — Fluent sees the string "{name}".
 */
const PAGE_PLACEHOLDERS: Partial<Record<WebAppTextKey, readonly string[]>> = {
  "webapp-kw-remove": ["word"],
  "webapp-kw-repeat": ["word"],
  "webapp-kw-limit": ["max"],
  "webapp-mode-every": ["hours"],
  "webapp-zone-default": ["zone"],
};

/** Every text of the page in one language, placeholders the page fills left as `{name}`. */
export function pageTexts(t: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of WEBAPP_TEXT_KEYS) {
    const names = PAGE_PLACEHOLDERS[key] ?? [];
    out[key] = t(key, Object.fromEntries(names.map((n) => [n, `{${n}}`])));
  }
  return out;
}
