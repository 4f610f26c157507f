import type { SourceHealth, WaitReason } from "../store/source-health.js";

/**
 * When a source may be fetched again: pure arithmetic over what the last
 * attempt learned. The poller stores the answer as the source's
 * `nextAttemptAt` and skips it on every tick before then.
 */

/** First backoff step. With the default 5-minute cron the first failure costs no tick; later ones double. */
export const BACKOFF_BASE_MS = 5 * 60_000;
/** A source failing for days is still tried four times a day until it is disabled. */
export const BACKOFF_CAP_MS = 6 * 3600_000;
/**
 * max-age and <ttl> are honoured up to an hour: a site answering
 * max-age=31536000 (a year) must not silence its news for a year.
 */
export const MIN_INTERVAL_CAP_MS = 3600_000;
/** Retry-After is honoured up to the backoff cap, for the same reason. */
export const RETRY_AFTER_CAP_MS = BACKOFF_CAP_MS;
/**
 * Ticks fire a few ms later or earlier than the last run started: a source
 * whose wait ends within this much of the tick is due, so a 5-minute wait
 * costs one 5-minute tick and not two.
 */
export const DUE_GRACE_MS = 5_000;

export interface NextAttempt {
  at: number;
  reason: WaitReason;
}

/** failures ≥ 1 → base × 2^(failures − 1), capped: 5, 10, 20, 40, 80, 160, 320, 360, 360 … minutes. */
export function backoffDelayMs(failures: number, base = BACKOFF_BASE_MS, cap = BACKOFF_CAP_MS): number {
  if (failures <= 0) return 0;
  // 2^40 already overflows any cap; stop doubling long before floats get silly.
  return Math.min(cap, base * 2 ** Math.min(failures - 1, 40));
}

/** After a failure: the backoff, or the server's Retry-After when that is longer. */
export function nextAfterFailure(opts: {
  failures: number;
  /** when this poll run started: backoff steps line up with ticks */
  runStartedAt: number;
  /** when the failed request was made: Retry-After counts from the response */
  attemptAt: number;
  retryAfterMs?: number | null;
}): NextAttempt {
  const backoff = opts.runStartedAt + backoffDelayMs(opts.failures);
  const retryAfter = opts.retryAfterMs ? opts.attemptAt + Math.min(opts.retryAfterMs, RETRY_AFTER_CAP_MS) : 0;
  return retryAfter > backoff ? { at: retryAfter, reason: "retry-after" } : { at: backoff, reason: "backoff" };
}

/**
 * After a success (200 or 304): the longer of Cache-Control max-age and the
 * feed's <ttl>, capped, as a minimum interval; null when neither asks for one.
 */
export function nextAfterSuccess(opts: { runStartedAt: number; maxAgeMs?: number | null; feedTtlMs?: number | null }): NextAttempt | null {
  const wait = Math.min(MIN_INTERVAL_CAP_MS, Math.max(opts.maxAgeMs ?? 0, opts.feedTtlMs ?? 0));
  return wait > 0 ? { at: opts.runStartedAt + wait, reason: "min-interval" } : null;
}

export type Skip = "disabled" | WaitReason;

/** Why a source is not fetched in the run starting at `now`, or null when it is due. */
export function skipReason(h: Pick<SourceHealth, "disabled" | "nextAttemptAt" | "nextAttemptReason">, now: number): Skip | null {
  if (h.disabled) return "disabled";
  if (h.nextAttemptAt !== null && h.nextAttemptAt > now + DUE_GRACE_MS) return h.nextAttemptReason ?? "backoff";
  return null;
}
