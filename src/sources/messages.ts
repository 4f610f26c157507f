import { formatTime } from "../news/format-time.js";
import { escapeHtml, linkHtml, TELEGRAM_TEXT_LIMIT, truncateText } from "../news/html.js";
import { itemTime } from "../news/item.js";
import type { SourceHealth } from "../store/source-health.js";
import { plural } from "../text/numbers.js";
import { oneLine as line } from "../text/one-line.js";
import { packMessages } from "../text/pack.js";
import type { SourcePreview } from "./inspect.js";
import type { RegisteredSource } from "./registry.js";

/**
 * The texts of the source commands, as Telegram HTML. Pure: the clock and
 * the time zone come in.
 */

export interface TimeFormat {
  timezone: string;
  now: number;
}

const TITLE_MAX = 160;
const STORIES = { one: "story", other: "stories" };
const ERROR_MAX = 160;

const VIA: Record<SourcePreview["via"], string> = {
  direct: "the address is the feed",
  link: "found through the page's feed link",
  "common-path": "found at a usual feed address of the site",
};

export function composeSourcePreview(p: SourcePreview, fmt: TimeFormat): string {
  const s = p.source;
  const head = [
    `📰 <b>${escapeHtml(truncateText(line(s.name), 100))}</b>`,
    escapeHtml(s.url),
    `${VIA[p.via]} · ${plural(p.itemCount, STORIES)} in the feed now · id <code>${escapeHtml(s.id)}</code>`,
  ];
  const samples = p.samples.map((item) => {
    const when = item.published ? ` — ${escapeHtml(formatTime(itemTime(item), fmt))}` : "";
    return `• ${linkHtml(item.link, truncateText(line(item.title), TITLE_MAX))}${when}`;
  });
  const latest = `Latest ${samples.length === 1 ? "story" : plural(samples.length, STORIES)}:`;
  const body = samples.length ? ["", latest, ...samples] : ["", "The feed has no stories right now."];
  return [...head, ...body, "", "Add it to the sources? (This preview expires in 15 minutes.)"].join("\n");
}

/** "3 min ago", "5 h ago", else the clock time: short enough for one line per source. */
export function ago(ms: number, fmt: TimeFormat): string {
  const d = Math.max(0, fmt.now - ms);
  if (d < 60_000) return "just now";
  if (d < 3600_000) return `${Math.floor(d / 60_000)} min ago`;
  if (d < 24 * 3600_000) return `${Math.floor(d / 3600_000)} h ago`;
  return formatTime(ms, fmt);
}

/** One block per source: status icon, name, id, origin, then what its health says. */
export function composeSourceHealthLine(s: RegisteredSource, h: SourceHealth | undefined, fmt: TimeFormat): string {
  const name = `<b>${escapeHtml(truncateText(line(s.name), 80))}</b> <code>${escapeHtml(s.id)}</code>${s.origin === "chat" ? " · added in chat" : ""}`;
  if (!s.enabled) return `⏸ ${name}\n    switched off — /enablesource ${escapeHtml(s.id)}`;
  if (h?.disabled) {
    return `⛔ ${name}\n    disabled ${ago(h.disabled.at, fmt)}: ${escapeHtml(truncateText(line(h.disabled.reason), ERROR_MAX))} — /enablesource ${escapeHtml(s.id)}`;
  }
  if (!h || h.lastAttemptAt === null) return `🆕 ${name}\n    not polled yet`;
  const facts: string[] = [];
  if (h.consecutiveFailures > 0) {
    facts.push(`${plural(h.consecutiveFailures, "failure")} in a row`);
    if (h.lastError) facts.push(`last error: ${escapeHtml(truncateText(line(h.lastError.message), ERROR_MAX))}`);
    facts.push(h.lastSuccessAt === null ? "never succeeded" : `last success ${ago(h.lastSuccessAt, fmt)}`);
  } else {
    facts.push(h.lastSuccessAt === null ? "no success yet" : `ok ${ago(h.lastSuccessAt, fmt)}`);
  }
  facts.push(`${h.itemsPerDay}/day`);
  if (h.lastNewItemAt !== null) facts.push(`last new story ${ago(h.lastNewItemAt, fmt)}`);
  return `${h.consecutiveFailures > 0 ? "⚠️" : "✅"} ${name}\n    ${facts.join(" · ")}`;
}

/**
 * The admin view of /sources: every source with its health, split into as
 * many messages as it takes (each under Telegram's 4096 characters).
 */
export function composeSourcesHealth(
  sources: readonly RegisteredSource[],
  health: ReadonlyMap<string, SourceHealth>,
  fmt: TimeFormat,
): string[] {
  if (sources.length === 0) return ["No news sources yet. Add one with /addsource &lt;url&gt;."];
  const on = sources.filter((s) => s.enabled).length;
  const failing = sources.filter(
    (s) => s.enabled && ((health.get(s.id)?.consecutiveFailures ?? 0) > 0 || health.get(s.id)?.disabled),
  ).length;
  const header = `📡 <b>Sources</b> (${sources.length}: ${on} on${sources.length - on ? `, ${sources.length - on} off` : ""}${failing ? `, ${failing} failing` : ""})`;
  const blocks = sources.map((s) => composeSourceHealthLine(s, health.get(s.id), fmt));
  const footer = "/addsource &lt;url&gt; · /rmsource &lt;id&gt; · /enablesource &lt;id&gt; · /opml";
  return packMessages(blocks, { title: header, footer, separator: "\n", limit: TELEGRAM_TEXT_LIMIT - 16 }).map((m) => m.text);
}
