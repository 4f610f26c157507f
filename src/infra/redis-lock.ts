import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { luaScript } from "./lua.js";

/**
 * A lease in Redis (SET NX PX with a random token): whoever holds the token
 * holds the lease until it is released or its TTL runs out. Renew and release
 * compare the token first, so a process whose lease lapsed (and was taken
 * over) can never extend or delete the new holder's.
 */
const RENEW = luaScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`);
const RELEASE = luaScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`);

export interface Lease {
  readonly key: string;
  readonly token: string;
  /** false when the lease was lost meanwhile */
  renew(ttlMs: number): Promise<boolean>;
  release(): Promise<void>;
}

/** A lease taken once, for work shorter than its TTL (or renewed by hand). */
export async function tryLease(redis: Redis, key: string, ttlMs: number): Promise<Lease | null> {
  const token = randomBytes(9).toString("base64url");
  const ok = await redis.set(key, token, "PX", ttlMs, "NX");
  if (ok !== "OK") return null;
  return {
    key,
    token,
    renew: async (ms) => (await RENEW(redis, [key], [token, ms])) === 1,
    release: async () => {
      await RELEASE(redis, [key], [token]);
    },
  };
}

/** A lease kept while work runs: renewed in the background, its `signal` aborted when it is lost. */
export interface HeldLease {
  readonly key: string;
  /** aborts when the lease is lost (taken over, or lapsed) or released */
  readonly signal: AbortSignal;
  /** true once the lease was found taken over or lapsed (not when released) */
  readonly lost: boolean;
  /** stops renewing and deletes the lease if it is still ours; idempotent */
  release(): Promise<void>;
}

export interface HoldOptions {
  /** renewal period; default a third of the TTL */
  renewMs?: number;
  /** called once when the lease is lost */
  onLost?: () => void;
  /** a renewal that failed (Redis unreachable); the lease is kept and renewal goes on */
  onError?: (err: Error) => void;
}

/**
 * The one lease-with-renewal loop: acquires (or returns null when someone
 * else holds the lease), renews every ttl/3, aborts `signal` when a renewal
 * finds the lease no longer ours, and releases only if it still is. A
 * renewal that fails because Redis is away is retried at the next period:
 * when Redis answers again the lease is either still ours or found lost.
 */
export async function holdLease(redis: Redis, key: string, ttlMs: number, opts: HoldOptions = {}): Promise<HeldLease | null> {
  const lease = await tryLease(redis, key, ttlMs);
  if (!lease) return null;
  const renewMs = Math.max(10, opts.renewMs ?? Math.floor(ttlMs / 3));
  const ac = new AbortController();
  let lost = false;
  let released: Promise<void> | null = null;
  let renewing: Promise<void> | null = null;

  const timer = setInterval(() => {
    if (renewing || ac.signal.aborted) return;
    renewing = lease
      .renew(ttlMs)
      .then((ours) => {
        if (ours || ac.signal.aborted) return;
        lost = true;
        clearInterval(timer);
        ac.abort(new Error(`lease ${key} lost`));
        opts.onLost?.();
      })
      .catch((err: Error) => opts.onError?.(err))
      .finally(() => (renewing = null));
  }, renewMs);
  timer.unref?.();

  return {
    key,
    signal: ac.signal,
    get lost() {
      return lost;
    },
    release() {
      released ??= (async () => {
        clearInterval(timer);
        if (!ac.signal.aborted) ac.abort(new Error(`lease ${key} released`));
        await renewing;
        if (!lost) await lease.release().catch(() => undefined);
      })();
      return released;
    },
  };
}

/**
 * Runs `fn` under a held lease (renewed while it runs; `signal` aborts if it
 * is lost), or returns null at once when someone else holds it.
 */
export async function withLease<T>(
  redis: Redis,
  key: string,
  ttlMs: number,
  fn: (signal: AbortSignal) => Promise<T>,
  opts: HoldOptions = {},
): Promise<T | null> {
  const held = await holdLease(redis, key, ttlMs, opts);
  if (!held) return null;
  try {
    return await fn(held.signal);
  } finally {
    await held.release();
  }
}
