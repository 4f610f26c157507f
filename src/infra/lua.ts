import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * The one way the bot runs Lua: by the script's SHA (EVALSHA), so the source
 * crosses the wire once per Redis server rather than with every call (the
 * limiter runs several times per message, the poller after every fetch).
 * After a Redis restart or SCRIPT FLUSH (NOSCRIPT) the source is sent again.
 *
 * Not ioredis' defineCommand: ioredis copies every defined command into each
 * pipeline / multi made on that client, a real cost per message.
 */
export type LuaScript = (redis: Redis, keys: string[], args: (string | number)[]) => Promise<unknown>;

export function luaScript(source: string): LuaScript {
  const sha = createHash("sha1").update(source).digest("hex");
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!/NOSCRIPT/.test((err as Error).message)) throw err;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}
