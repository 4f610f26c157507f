import type { Translate } from "../i18n/translator.js";
import type { BroadcastCounts } from "./ledger.js";

/**
 * What an admin sees about a broadcast: pure texts from the counts, in the
 * admin chat's language (`t`, locales/<lang>/broadcast.ftl). Counts go to
 * Fluent as numbers: it groups them in the locale ("10,000" / "10 000") and
 * picks the plural form, so no Intl tag is needed here.
 */
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
export function etaText(p: ProgressInput, t: Translate): string {
  const done = doneCount(p);
  const left = Math.max(0, p.total - done);
  if (left === 0) return t("bc-eta-finishing");
  const measured = p.elapsedMs >= 5000 && done > 0 ? done / (p.elapsedMs / 1000) : 0;
  const rate = measured > 0 ? measured : p.expectedRate;
  const s = Math.ceil(left / Math.max(rate, 0.01));
  if (s < 60) return t("bc-eta-under-minute");
  const min = Math.round(s / 60);
  if (min < 90) return t("bc-eta-minutes", { minutes: min });
  return t("bc-eta-hours", { hours: Math.round((min / 60) * 10) / 10 });
}

function tail(c: BroadcastCounts, t: Translate): string {
  const parts = [t("bc-failed", { count: c.failed }), t("bc-blocked", { count: c.blocked })];
  if (c.skipped) parts.push(t("bc-skipped", { count: c.skipped }));
  return parts.join(" · ");
}

export function progressText(p: ProgressInput, t: Translate): string {
  return [t("bc-progress-sending", { sent: p.sent, total: p.total }), tail(p, t), t("bc-progress-eta", { eta: etaText(p, t) })].join("\n");
}

export function finishedProgressText(p: BroadcastCounts & { total: number }, t: Translate): string {
  return [t("bc-progress-finished", { sent: p.sent, total: p.total }), tail(p, t)].join("\n");
}

/** The report that arrives as a new message when a broadcast is done. */
export function reportText(p: BroadcastCounts & { total: number }, t: Translate): string {
  const counts = t("bc-report-counts", { failed: p.failed, blocked: p.blocked });
  return [
    t("bc-report-finished", { sent: p.sent, total: p.total }),
    p.skipped ? `${counts} ${t("bc-report-skipped", { count: p.skipped })}` : counts,
  ].join("\n");
}

export function cancelledText(p: BroadcastCounts & { total: number }, t: Translate): string {
  return t("bc-cancelled", { sent: p.sent, total: p.total });
}

/** Why a broadcast was interrupted (a code, never shown): each has its own text. */
const INTERRUPTED_KEYS = { "redis-data-lost": "bc-interrupted-redis-data-lost" } as const;
export type InterruptReason = keyof typeof INTERRUPTED_KEYS;

/** A broadcast whose record (and queue) vanished: where it stopped, as far as this process knows. */
export function interruptedText(p: { sent: number; total: number }, reason: InterruptReason, t: Translate): string {
  // An unknown code (from untyped code) still gets a text in the admin's language, without the cause.
  const key = Object.hasOwn(INTERRUPTED_KEYS, reason) ? INTERRUPTED_KEYS[reason] : "bc-interrupted";
  return t(key, { sent: p.sent, total: p.total });
}
