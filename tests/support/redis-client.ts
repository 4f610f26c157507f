import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { inject } from "vitest";
import { createRedis } from "../../src/store/redis.js";

/** A client on the private test Redis, with a prefix no other test uses. */
export function testRedis(): { redis: Redis; prefix: string; url: string } {
  const url = inject("redisUrl");
  return { redis: createRedis(url), prefix: `t${randomUUID().slice(0, 8)}:`, url };
}
