import { Redis, type RedisOptions } from "ioredis";

/** ioredis takes unix sockets as { path }, not as a URL. */
export function redisConnectionOptions(url: string): RedisOptions {
  if (url.startsWith("unix://")) return { path: url.slice("unix://".length) };
  const u = new URL(url);
  return {
    host: u.hostname || "127.0.0.1",
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname && u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined,
    tls: u.protocol === "rediss:" ? {} : undefined,
  };
}

export function createRedis(url: string, extra: RedisOptions = {}): Redis {
  return new Redis({ ...redisConnectionOptions(url), ...extra });
}

/** A pipeline answers each command's error in place; a failed write must not pass silently. */
export function throwIfFailed<T>(results: [Error | null, T][] | null): [Error | null, T][] {
  const failed = results?.find(([err]) => err);
  if (failed) throw failed[0];
  return results ?? [];
}
