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

/** Runs `fn` under the lease, or returns null at once when someone else holds it. */
export async function withLease<T>(redis: Redis, key: string, ttlMs: number, fn: () => Promise<T>): Promise<T | null> {
  const lease = await tryLease(redis, key, ttlMs);
  if (!lease) return null;
  try {
    return await fn();
  } finally {
    await lease.release().catch(() => undefined);
  }
}
