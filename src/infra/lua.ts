import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * A Lua script run by its SHA (EVALSHA), so the source crosses the wire once
 * per Redis server rather than with every call: the limiter runs several
 * times per message. After a Redis restart (NOSCRIPT) it is sent again.
 */
export function luaScript(source: string) {
  const sha = createHash("sha1").update(source).digest("hex");
  return async (redis: Redis, keys: string[], args: (string | number)[]): Promise<unknown> => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!/NOSCRIPT/.test((err as Error).message)) throw err;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}
