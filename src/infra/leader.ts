import type { Redis } from "ioredis";
import type { Logger } from "../log.js";
import { type HeldLease, holdLease } from "./redis-lock.js";
import { sleep } from "./sleep.js";

/**
 * One leader among the processes sharing a Redis: the holder of a lease
 * (holdLease: renewed every `renewMs`). The others stand by and try again
 * every `retryMs`; when the leader stops (its lease released) or dies (its
 * lease lapses after `ttlMs`) one of them takes over. `lead` runs while this
 * process leads and gets a signal that aborts when the lease is lost.
 */
export interface LeaderOptions {
  redis: Redis;
  key: string;
  logger: Logger;
  ttlMs?: number;
  renewMs?: number;
  retryMs?: number;
  /** runs while leading; should return (or throw) soon after `signal` aborts */
  lead: (signal: AbortSignal) => Promise<void>;
}

export function startLeaderElection(opts: LeaderOptions) {
  const ttl = opts.ttlMs ?? 10_000;
  const renewMs = opts.renewMs ?? Math.floor(ttl / 3);
  const retryMs = opts.retryMs ?? 2000;
  const stopping = new AbortController();
  async function loop(): Promise<void> {
    while (!stopping.signal.aborted) {
      let held: HeldLease | null = null;
      let failed = false;
      try {
        held = await holdLease(opts.redis, opts.key, ttl, {
          renewMs,
          onLost: () => opts.logger.warn("leader: lease lost, standing by"),
          onError: (err) => opts.logger.warn({ err: err.message }, "leader: Redis trouble"),
        });
      } catch (err) {
        opts.logger.warn({ err: (err as Error).message }, "leader: Redis trouble");
        failed = true;
      }
      const mine = held;
      if (!mine) {
        await sleep(failed ? Math.min(retryMs, renewMs) : retryMs, stopping.signal);
        continue;
      }
      if (stopping.signal.aborted) {
        await mine.release();
        break;
      }
      opts.logger.info("leader: this process leads (long polling)");
      await opts
        .lead(AbortSignal.any([mine.signal, stopping.signal]))
        .catch((err) => opts.logger.error({ err: (err as Error).message }, "leader: leading stopped with an error"));
      // Leading ended: lost, stopped, or on its own (e.g. Telegram said another poller took over) — give the lease back.
      await mine.release();
      await sleep(retryMs, stopping.signal);
    }
  }

  const running = loop();
  return {
    /** stops leading (lease released at once, so a standby takes over quickly) and standing by */
    async stop(): Promise<void> {
      // Aborts `lead`'s signal; the lease is deleted once `lead` has returned.
      stopping.abort();
      await running;
    },
  };
}
