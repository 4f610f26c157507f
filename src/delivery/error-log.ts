import type { Logger } from "../log.js";

/**
 * BullMQ's `error` events, as one JSON line per failing part per window.
 * During a Redis outage a Queue or Worker emits an error on every retry of
 * every connection; without a listener BullMQ (and ioredis) print multi-line
 * stacks that are not JSON. The first error of a window is logged as a warn;
 * the rest are counted and the count goes with the next line.
 */
export interface ErrorThrottle {
  /** the listener for one part ("outbox queue", "outbox worker"…) */
  listener(part: string): (err: Error) => void;
}

export function throttledErrors(logger: Logger, windowMs = 30_000, clock: () => number = Date.now): ErrorThrottle {
  const parts = new Map<string, { until: number; suppressed: number }>();
  return {
    listener(part) {
      return (err) => {
        const now = clock();
        const p = parts.get(part);
        if (p && now < p.until) {
          p.suppressed++;
          return;
        }
        const suppressed = p?.suppressed ?? 0;
        parts.set(part, { until: now + windowMs, suppressed: 0 });
        const message = String(err?.message ?? err).split("\n")[0];
        logger.warn({ part, err: message, ...(suppressed ? { suppressed } : {}) }, `delivery: ${part} error`);
      };
    },
  };
}
