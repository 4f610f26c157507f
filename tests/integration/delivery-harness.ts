import { randomUUID } from "node:crypto";
import { Api } from "grammy";
import type { Redis } from "ioredis";
import { inject } from "vitest";
import { createFormatter } from "../../src/delivery/formatter.js";
import { createDelivery, type Delivery } from "../../src/delivery/index.js";
import { createSendApi } from "../../src/delivery/send-api.js";
import { createLogger, silentLogger } from "../../src/log.js";
import type { Item } from "../../src/news/item.js";
import { createStores, type Stores } from "../../src/store/index.js";
import { createRedis } from "../../src/store/redis.js";
import type { FakeTelegram } from "../support/fake-telegram.js";

/**
 * The real delivery (BullMQ outbox, workers, Redis limiter, fan-out,
 * broadcasts) in the test process, against the fake Bot API and the private
 * Redis, under a prefix of its own. Several harnesses on one prefix behave
 * like several bot processes.
 */
export const TOKEN = "123456:delivery-test-token_abcdefghij";

export interface HarnessOptions {
  rate?: number;
  threshold?: number;
  related?: (item: Item) => Item[];
  /** same-story merging: earlier reports of an item's story (oldest first) */
  merge?: Parameters<typeof createDelivery>[0]["merge"];
  attempts?: number;
  backoffMs?: number;
  progressIntervalMs?: number;
  paid?: boolean;
  paidRate?: number;
  /** share another harness's Redis data (a second "process") */
  prefix?: string;
  clock?: () => number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** a Redis of the test's own (e.g. one it will FLUSHALL), instead of the shared private one */
  redisUrl?: string;
}

export interface Harness {
  redis: Redis;
  prefix: string;
  stores: Stores;
  delivery: Delivery;
  /** the bot's own api (for replies), paced like the app's */
  botApi: Api;
  close(): Promise<void>;
}

export function harness(tg: FakeTelegram, o: HarnessOptions = {}): Harness {
  // BullMQ workers need a connection that retries forever.
  const redis = createRedis(o.redisUrl ?? inject("redisUrl"), { maxRetriesPerRequest: null });
  const prefix = o.prefix ?? `dlv${randomUUID().slice(0, 8)}:`;
  const stores = createStores(redis, prefix, o.clock);
  const fmt = () => ({ timezone: "UTC", now: o.clock?.() ?? Date.now() });
  const botApi = new Api(TOKEN, { apiRoot: tg.apiRoot });
  const delivery = createDelivery({
    redis,
    prefix,
    stores,
    api: createSendApi({ token: TOKEN, apiRoot: tg.apiRoot }),
    botApi,
    format: createFormatter(fmt),
    relatedFor: async (i) => o.related?.(i) ?? [],
    merge: o.merge,
    // DELIVERY_TEST_LOG=debug shows what delivery did, when a test needs explaining.
    logger: process.env.DELIVERY_TEST_LOG ? createLogger({ level: process.env.DELIVERY_TEST_LOG }) : silentLogger,
    timezone: "UTC",
    rate: o.rate ?? 30,
    paidBroadcast: o.paid ?? false,
    paidRate: o.paidRate ?? 1000,
    digestThreshold: o.threshold ?? 3,
    outbox: { attempts: o.attempts ?? 5, backoffMs: o.backoffMs ?? 50 },
    progressIntervalMs: o.progressIntervalMs ?? 300,
    lockDurationMs: o.lockDurationMs,
    stalledIntervalMs: o.stalledIntervalMs,
  });
  return {
    redis,
    prefix,
    stores,
    delivery,
    botApi,
    async close() {
      await delivery.close();
      await redis.quit();
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns something truthy. */
export async function until<T>(probe: () => T | Promise<T>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

/** Waits until the outbox has nothing waiting, delayed or in hand. */
export async function drained(d: Delivery, timeoutMs = 15_000): Promise<void> {
  await until(
    async () => {
      const c = await d.outbox.counts();
      return c.waiting + c.delayed + c.active === 0;
    },
    timeoutMs,
    "the outbox to drain",
  );
}
