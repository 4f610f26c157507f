import type { Redis } from "ioredis";
import type { Logger } from "../log.js";
import { createRedis } from "../store/redis.js";
import { StartupError } from "./startup-error.js";

/** redis://user:secret@host → redis://user:***@host: the URL is logged, its password never. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@").replace(/\/\/([^:@/]+)@/, "//***@");
}

export interface RedisConnection {
  redis: Redis;
  /** resolves when the connection is closed */
  close(): Promise<void>;
}

export interface ConnectOptions {
  logger: Logger;
  /** a start-up that gets no answer for this long is a configuration error */
  timeoutMs: number;
  /** the key that proves this Redis still has our data (see watchForDataLoss) */
  markerKey: string;
  /** called once each time Redis comes back without the marker: restarted empty */
  onDataLost?: () => void | Promise<void>;
  /** between "still down" reminders while Redis is unreachable */
  remindEveryMs?: number;
}

/**
 * Connects to Redis for the app: bounded at start-up (no answer within
 * `timeoutMs` → StartupError), then rides out outages with one line when the
 * connection is lost, a reminder every `remindEveryMs` while it stays down,
 * and one line when it is back. A Redis that comes back without the marker
 * key written at start lost our data (restarted without persistence): that
 * is logged as an error once and `onDataLost` runs.
 */
export async function connectRedis(url: string, opts: ConnectOptions): Promise<RedisConnection> {
  const { logger } = opts;
  const shown = redactRedisUrl(url);
  const remindEveryMs = opts.remindEveryMs ?? 60_000;
  const redis = createRedis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 500, 5000),
  });
  let lastError = "";
  let downSince: number | null = null;
  let lastReminder = 0;
  let everReady = false;
  let closing = false;

  // "close" comes first when a live connection drops, "error" with each failed reconnect:
  // one line when it is lost, then a reminder every remindEveryMs.
  const stillDown = (err?: string) => {
    if (!everReady || closing) return;
    const now = Date.now();
    if (downSince === null) {
      downSince = now;
      lastReminder = now;
      logger.warn({ redis: shown, err }, "redis: connection lost, reconnecting (work waits, nothing is dropped)");
    } else if (err && now - lastReminder >= remindEveryMs) {
      lastReminder = now;
      logger.warn({ redis: shown, err, downForS: Math.round((now - downSince) / 1000) }, "redis: still unreachable");
    }
  };
  redis.on("error", (err: Error) => {
    lastError = err.message;
    stillDown(err.message);
  });
  redis.on("close", () => stillDown());
  redis.on("ready", () => {
    if (!everReady) return;
    const since = downSince;
    downSince = null;
    if (since !== null) logger.info({ redis: shown, downForS: Math.round((Date.now() - since) / 1000) }, "redis: reconnected");
    void checkMarker();
  });

  const ready = new Promise<"ready">((ok) => redis.once("ready", () => ok("ready")));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((ok) => {
    timer = setTimeout(() => ok("timeout"), opts.timeoutMs);
  });
  const outcome = redis.status === "ready" ? "ready" : await Promise.race([ready, timeout]);
  clearTimeout(timer);
  if (outcome === "timeout") {
    closing = true;
    redis.disconnect();
    const why = lastError ? ` (${lastError})` : "";
    throw new StartupError(
      `redis: no answer from ${shown} within ${Math.round(opts.timeoutMs / 1000)} s${why}: ` +
        "start it, fix REDIS_URL, or unset REDIS_URL to use an embedded redis-server (REDIS_CONNECT_TIMEOUT_MS sets the wait)",
    );
  }
  everReady = true;
  // NX: a second process, or a restart of this one, keeps the first marker.
  await redis.set(opts.markerKey, new Date().toISOString(), "NX");

  let reporting = false;
  async function checkMarker(): Promise<void> {
    if (reporting) return;
    reporting = true;
    try {
      if (await redis.exists(opts.markerKey)) return;
      logger.error(
        { redis: shown },
        "redis: came back EMPTY (restarted without persistence?): subscribers, seen items and queued messages are gone; " +
          "enable appendonly or RDB snapshots on this Redis",
      );
      await redis.set(opts.markerKey, new Date().toISOString(), "NX");
      await opts.onDataLost?.();
    } catch (err) {
      logger.warn({ err: (err as Error).message }, "redis: could not check whether it kept its data");
    } finally {
      reporting = false;
    }
  }

  return {
    redis,
    async close() {
      closing = true;
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
