import { storedErrorText } from "../feeds/errors.js";
import type { Translate } from "../i18n/translator.js";
import { formatTime } from "../news/format-time.js";
import { escapeHtml, linkHtml, TELEGRAM_TEXT_LIMIT, truncateText } from "../news/html.js";
import { itemTime } from "../news/item.js";
import type { SourceHealth } from "../store/source-health.js";
import { oneLine as line } from "../text/one-line.js";
import { packMessages } from "../text/pack.js";
import type { SourcePreview } from "./inspect.js";
import type { RegisteredSource } from "./registry.js";

/**
 * The texts of the source commands, as Telegram HTML, in the language `t`
 * speaks (locales/<lang>/sources.ftl). Pure: the clock, the time zone and
 * the Intl locale tag dates are written in come in.
 */

export interface TimeFormat {
  timezone: string;
  now: number;
  /** BCP 47 tag for dates (INTL_LOCALE); en-GB when absent */
  locale?: string;
}

const TITLE_MAX = 160;
const ERROR_MAX = 160;

const VIA_KEYS: Record<SourcePreview["via"], string> = {
  direct: "src-preview-via-direct",
  link: "src-preview-via-link",
  "common-path": "src-preview-via-common-path",
};

export function composeSourcePreview(t: Translate, p: SourcePreview, fmt: TimeFormat): string {
  const s = p.source;
  const head = [
    `📰 <b>${escapeHtml(truncateText(line(s.name), 100))}</b>`,
    escapeHtml(s.url),
    t("src-preview-facts", { via: t(VIA_KEYS[p.via]), count: p.itemCount, id: escapeHtml(s.id) }),
  ];
  const samples = p.samples.map((item) => {
    const when = item.published ? ` — ${escapeHtml(formatTime(itemTime(item), fmt))}` : "";
    return `• ${linkHtml(item.link, truncateText(line(item.title), TITLE_MAX))}${when}`;
  });
  const body = samples.length ? ["", t("src-preview-latest", { count: samples.length }), ...samples] : ["", t("src-preview-empty")];
  return [...head, ...body, "", t("src-preview-question")].join("\n");
}

/** "3 min ago", "5 h ago", else the clock time: short enough for one line per source. */
export function ago(t: Translate, ms: number, fmt: TimeFormat): string {
  const d = Math.max(0, fmt.now - ms);
  if (d < 60_000) return t("src-ago-now");
  if (d < 3600_000) return t("src-ago-minutes", { count: Math.floor(d / 60_000) });
  if (d < 24 * 3600_000) return t("src-ago-hours", { count: Math.floor(d / 3600_000) });
  return formatTime(ms, fmt);
}

const errorHtml = (text: string) => escapeHtml(truncateText(line(text), ERROR_MAX));

/** One block per source: status icon, name, id, origin, then what its health says. */
export function composeSourceHealthLine(t: Translate, s: RegisteredSource, h: SourceHealth | undefined, fmt: TimeFormat): string {
  const id = escapeHtml(s.id);
  const origin = s.origin === "chat" ? ` · ${t("src-health-added-in-chat")}` : "";
  const name = `<b>${escapeHtml(truncateText(line(s.name), 80))}</b> <code>${id}</code>${origin}`;
  if (!s.enabled) return `⏸ ${name}\n    ${t("src-health-switched-off", { id })}`;
  if (h?.disabled) {
    const d = h.disabled;
    const when = ago(t, d.at, fmt);
    const text =
      d.message !== undefined
        ? t("src-health-disabled-legacy", { ago: when, reason: errorHtml(d.message), id })
        : t("src-health-disabled", {
            ago: when,
            failures: d.failures,
            error: d.lastError ? errorHtml(storedErrorText(t, d.lastError)) : "—",
            id,
          });
    return `⛔ ${name}\n    ${text}`;
  }
  if (!h || h.lastAttemptAt === null) return `🆕 ${name}\n    ${t("src-health-not-polled")}`;
  const facts: string[] = [];
  if (h.consecutiveFailures > 0) {
    facts.push(t("src-health-failures", { count: h.consecutiveFailures }));
    if (h.lastError) facts.push(t("src-health-last-error", { error: errorHtml(storedErrorText(t, h.lastError)) }));
    facts.push(
      h.lastSuccessAt === null ? t("src-health-never-succeeded") : t("src-health-last-success", { ago: ago(t, h.lastSuccessAt, fmt) }),
    );
  } else {
    facts.push(h.lastSuccessAt === null ? t("src-health-no-success") : t("src-health-ok", { ago: ago(t, h.lastSuccessAt, fmt) }));
  }
  facts.push(t("src-health-per-day", { rate: h.itemsPerDay }));
  if (h.lastNewItemAt !== null) facts.push(t("src-health-last-new", { ago: ago(t, h.lastNewItemAt, fmt) }));
  return `${h.consecutiveFailures > 0 ? "⚠️" : "✅"} ${name}\n    ${facts.join(" · ")}`;
}

/**
 * The admin view of /sources: every source with its health, split into as
 * many messages as it takes (each under Telegram's 4096 characters).
 */
export function composeSourcesHealth(
  t: Translate,
  sources: readonly RegisteredSource[],
  health: ReadonlyMap<string, SourceHealth>,
  fmt: TimeFormat,
): string[] {
  if (sources.length === 0) return [t("src-health-empty")];
  const on = sources.filter((s) => s.enabled).length;
  const off = sources.length - on;
  const failing = sources.filter(
    (s) => s.enabled && ((health.get(s.id)?.consecutiveFailures ?? 0) > 0 || health.get(s.id)?.disabled),
  ).length;
  const counts = [t("src-health-count-on", { count: on })];
  if (off) counts.push(t("src-health-count-off", { count: off }));
  if (failing) counts.push(t("src-health-count-failing", { count: failing }));
  const header = t("src-health-title", { total: sources.length, counts: counts.join(", ") });
  const blocks = sources.map((s) => composeSourceHealthLine(t, s, health.get(s.id), fmt));
  const footer = t("src-health-footer");
  return packMessages(blocks, { title: header, footer, separator: "\n", limit: TELEGRAM_TEXT_LIMIT - 16 }).map((m) => m.text);
}
