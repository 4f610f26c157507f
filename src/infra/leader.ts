import type { Redis } from "ioredis";
import type { Logger } from "../log.js";
import { tryLease, type Lease } from "./redis-lock.js";

/**
 * One leader among the processes sharing a Redis: the holder of a lease that
 * it renews every `renewMs`. The others stand by and try again every
 * `retryMs`; when the leader stops (its lease released) or dies (its lease
 * lapses after `ttlMs`) one of them takes over. `lead` runs while this
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
  let stopped = false;
  let lease: Lease | null = null;
  let leading: Promise<void> | null = null;
  let abort: AbortController | null = null;
  let timer: NodeJS.Timeout | null = null;

  const schedule = (ms: number) => {
    if (!stopped) timer = setTimeout(() => void step(), ms);
  };

  async function step(): Promise<void> {
    try {
      if (!lease) {
        lease = await tryLease(opts.redis, opts.key, ttl);
        if (lease) becomeLeader(lease);
        return schedule(lease ? renewMs : retryMs);
      }
      if (!(await lease.renew(ttl))) {
        opts.logger.warn("leader: lease lost, standing by");
        stepDown();
        return schedule(retryMs);
      }
      schedule(renewMs);
    } catch (err) {
      opts.logger.warn({ err: (err as Error).message }, "leader: Redis trouble");
      schedule(Math.min(retryMs, renewMs));
    }
  }

  function becomeLeader(l: Lease) {
    opts.logger.info("leader: this process leads (long polling)");
    const ac = new AbortController();
    abort = ac;
    leading = opts
      .lead(ac.signal)
      .catch((err) => opts.logger.error({ err: (err as Error).message }, "leader: leading stopped with an error"))
      .finally(() => {
        // Leading ended on its own (e.g. Telegram said another poller took over): give the lease back.
        if (!ac.signal.aborted && lease === l) {
          lease = null;
          abort = null;
          void l.release().catch(() => undefined);
        }
      });
  }

  function stepDown() {
    abort?.abort();
    abort = null;
    lease = null;
  }

  void step();
  return {
    get isLeader() {
      return lease !== null;
    },
    /** stops leading (lease released at once, so a standby takes over quickly) and standing by */
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      const l = lease;
      stepDown();
      await leading?.catch(() => undefined);
      await l?.release().catch(() => undefined);
    },
  };
}
