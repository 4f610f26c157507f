import { HttpError, type Transformer } from "grammy";
import type { Logger } from "../log.js";

/**
 * Watches every Bot API call of a client (getUpdates included) and tells the
 * operator when Telegram becomes unreachable and when it is back — one line
 * each, plus a reminder every `remindEveryMs` while it stays down — instead
 * of retrying silently. `lastOkAt` is what a readiness check reads.
 */
export interface ApiHealth {
  transformer: Transformer;
  reachable(): boolean;
  lastOkAt(): number | null;
}

export function trackApiHealth(opts: { logger: Logger; apiRoot: string; remindEveryMs?: number; clock?: () => number }): ApiHealth {
  const clock = opts.clock ?? Date.now;
  const remindEveryMs = opts.remindEveryMs ?? 5 * 60_000;
  let downSince: number | null = null;
  let lastReminder = 0;
  let lastOk: number | null = null;

  const up = () => {
    lastOk = clock();
    if (downSince === null) return;
    opts.logger.info(
      { apiRoot: opts.apiRoot, downForS: Math.round((clock() - downSince) / 1000) },
      "telegram: the Bot API is reachable again",
    );
    downSince = null;
  };
  const down = (method: string, why: string) => {
    const now = clock();
    if (downSince === null) {
      downSince = now;
      lastReminder = now;
      opts.logger.warn(
        { apiRoot: opts.apiRoot, method, err: why },
        "telegram: the Bot API is unreachable; updates and replies wait until it is back",
      );
    } else if (now - lastReminder >= remindEveryMs) {
      lastReminder = now;
      opts.logger.warn(
        { apiRoot: opts.apiRoot, err: why, downForS: Math.round((now - downSince) / 1000) },
        "telegram: the Bot API is still unreachable",
      );
    }
  };

  const transformer: Transformer = async (prev, method, payload, signal) => {
    try {
      const res = await prev(method, payload, signal);
      if (!res.ok && res.error_code >= 500) down(method, `${res.error_code} ${res.description}`);
      else up();
      return res;
    } catch (err) {
      // A long poll aborted by our own stop() says nothing about Telegram.
      if (err instanceof HttpError && !signal?.aborted) down(method, err.message);
      throw err;
    }
  };
  return { transformer, reachable: () => downSince === null, lastOkAt: () => lastOk };
}
