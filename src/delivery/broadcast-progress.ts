import { formatNumber as n, plural } from "../text/numbers.js";
import type { BroadcastCounts } from "./ledger.js";

/** What an admin sees about a broadcast: pure texts from the counts. */
export interface ProgressInput extends BroadcastCounts {
  total: number;
  /** ms since the broadcast started */
  elapsedMs: number;
  /** messages per second to assume before there is enough to measure */
  expectedRate: number;
}

export function doneCount(c: BroadcastCounts): number {
  return c.sent + c.failed + c.blocked + c.skipped;
}

/** "about 4 min left" from the pace so far (or the expected one at the start). */
export function etaText(p: ProgressInput): string {
  const done = doneCount(p);
  const left = Math.max(0, p.total - done);
  if (left === 0) return "finishing…";
  const measured = p.elapsedMs >= 5000 && done > 0 ? done / (p.elapsedMs / 1000) : 0;
  const rate = measured > 0 ? measured : p.expectedRate;
  const s = Math.ceil(left / Math.max(rate, 0.01));
  if (s < 60) return "less than a minute left";
  const min = Math.round(s / 60);
  if (min < 90) return `about ${min} min left`;
  return `about ${Math.round((min / 60) * 10) / 10} h left`;
}

function tail(c: BroadcastCounts): string {
  const parts = [`${n(c.failed)} failed`, `${n(c.blocked)} blocked the bot`];
  if (c.skipped) parts.push(`${n(c.skipped)} unsubscribed meanwhile`);
  return parts.join(" · ");
}

export function progressText(p: ProgressInput): string {
  return [`📢 Sending the broadcast: ${n(p.sent)} / ${n(p.total)} sent`, tail(p), `${etaText(p)} — /cancel stops it.`].join("\n");
}

export function finishedProgressText(p: BroadcastCounts & { total: number }): string {
  return [`📢 Broadcast sent: ${n(p.sent)} / ${n(p.total)} delivered`, tail(p)].join("\n");
}

/** The report that arrives as a new message when a broadcast is done. */
export function reportText(p: BroadcastCounts & { total: number }): string {
  return [
    `📢 Broadcast finished: sent to ${n(p.sent)} of ${plural(p.total, "subscriber")}.`,
    `Failed: ${n(p.failed)}. Blocked the bot (unsubscribed): ${n(p.blocked)}.` +
      (p.skipped ? ` Unsubscribed before their turn: ${n(p.skipped)}.` : ""),
  ].join("\n");
}

export function cancelledText(p: BroadcastCounts & { total: number }): string {
  return `✖️ Broadcast stopped by /cancel: it reached ${n(p.sent)} of ${plural(p.total, "subscriber")}; the rest will not get it.`;
}

const CAUSES: Record<string, string> = { "redis-data-lost": "Redis lost its data" };

/** A broadcast whose record (and queue) vanished: where it stopped, as far as this process knows. */
export function interruptedText(p: { sent: number; total: number }, reason: string): string {
  const cause = CAUSES[reason] ?? reason;
  return `⚠️ Broadcast interrupted: ${cause} after it reached ${n(p.sent)} of ${plural(p.total, "subscriber")}; the rest will not get it.`;
}
