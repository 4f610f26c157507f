import type { Redis } from "ioredis";
import type { RunCoordinator } from "node-cron";

/**
 * node-cron's RunCoordinator on Redis: for each scheduled slot (node-cron
 * passes "<task name>:<slot time ISO>") the first process to SET NX the key
 * runs it, the others skip. The key is not deleted when the run ends: it
 * expires after the lease, so a process whose clock is a little late cannot
 * run the same slot again.
 */
export function redisRunCoordinator(redis: Redis, key: (slot: string) => string): RunCoordinator {
  return {
    async shouldRun(slot, ttlMs) {
      return (await redis.set(key(slot), String(process.pid), "PX", Math.max(1000, ttlMs), "NX")) === "OK";
    },
  };
}
