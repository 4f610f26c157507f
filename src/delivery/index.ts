import type { Api, RawApi, Transformer } from "grammy";
import type { Redis } from "ioredis";
import { sleep } from "../infra/sleep.js";
import type { Logger } from "../log.js";
import type { Item } from "../news/item.js";
import type { Stores } from "../store/index.js";
import { BOUNDS, keys } from "../store/keys.js";
import { createStoryStore } from "../store/story-store.js";
import { type BroadcastSummary, createBroadcastDelivery } from "./broadcast-delivery.js";
import { throttledErrors } from "./error-log.js";
import { createLedger, type DayCounter, type DeadLetter } from "./ledger.js";
import { createLimiter, type Limiter } from "./limiter.js";
import { createNewsFanout, type MergeDeps } from "./news-fanout.js";
import { createOutbox, DEFAULT_OUTBOX_OPTIONS, type OutboxOptions } from "./outbox.js";
import type { SendApi } from "./send-api.js";
import { createDeliveryWorker, type DeliveryFormatter } from "./worker.js";

export interface DeliveryOptions {
  redis: Redis;
  prefix: string;
  stores: Pick<Stores, "items" | "subscribers" | "delivered" | "broadcasts">;
  /** sends news and broadcasts, without retries (the queue retries): createSendApi(), or sendApiFromGrammy() */
  api: SendApi;
  /** the bot's own client, for the admin's progress message and report */
  botApi: Api;
  format: DeliveryFormatter;
  relatedFor: (item: Item) => Promise<Item[]>;
  /** brings the related index up to date before a fan-out round */
  prepareFanout?: () => Promise<unknown>;
  /**
   * Same-story merging (SAME_STORY_MERGE_HOURS): a later report of a story a
   * chat already got edits that message instead of becoming a new one.
   * Absent or a zero window: off.
   */
  merge?: Omit<MergeDeps, "stories">;
  logger: Logger;
  timezone: string;
  /** Telegram's overall limit, msg/s (DELIVERY_RATE) */
  rate: number;
  paidBroadcast: boolean;
  paidRate: number;
  digestThreshold: number;
  outbox?: OutboxOptions;
  /** jobs this process works on at once (default from the rate) */
  concurrency?: number;
  progressIntervalMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** stretch of the spacing between sends (see limiter.ts) */
  limiterMargin?: number;
}

export interface DeliveryStats {
  queue: { waiting: number; delayed: number; active: number; failed: number };
  today: Record<DayCounter, number>;
  deadLetters: { total: number; latest: DeadLetter[] };
  broadcasts: BroadcastSummary[];
}

/** Methods that put a message into a chat and so count against the flood limits. */
const SEND_METHODS = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "sendVideo",
  "sendAnimation",
  "sendAudio",
  "sendVoice",
  "sendVideoNote",
  "sendSticker",
  "sendMediaGroup",
  "sendLocation",
  "sendVenue",
  "sendContact",
  "sendPoll",
  "sendDice",
  "copyMessage",
  "forwardMessage",
]);

/**
 * Interactive replies go straight to the Bot API (no queue, so /latest is
 * fast during a broadcast) but draw from the same flood budget as the
 * outbox: the limiter reserves their slot ahead of queued work.
 */
export function paceReplies(limiter: Limiter, logger: Logger): Transformer<RawApi> {
  return async (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
    if (SEND_METHODS.has(method) && typeof chatId === "number") {
      try {
        await sleep(await limiter.reserve(chatId), signal as AbortSignal | undefined);
      } catch (err) {
        // Without Redis there is no shared budget; a reply is still better than none.
        logger.warn({ err: (err as Error).message }, "delivery: limiter unavailable, replying unpaced");
      }
    }
    return prev(method, payload, signal);
  };
}

/**
 * Delivery, assembled: the outbox (BullMQ), its workers, the news fan-out,
 * broadcasts, the shared flood limits and the ledger behind /stats.
 * Nothing runs until start().
 */
export function createDelivery(o: DeliveryOptions) {
  const k = keys(o.prefix);
  const maxRate = o.paidBroadcast ? Math.max(o.rate, o.paidRate) : o.rate;
  // BullMQ gets a connection of its own: it defines some 60 Lua commands on
  // the client it is given, and ioredis copies every defined command into each
  // pipeline/multi made on that client — a real cost per message on ours.
  const bullRedis = o.redis.duplicate();
  // BullMQ's errors during a Redis outage: one JSON line per part per 30 s (the lead logs the connection itself).
  const errors = throttledErrors(o.logger);
  bullRedis.on("error", errors.listener("queue connection"));
  const outbox = createOutbox(bullRedis, k.bullPrefix(), o.outbox ?? DEFAULT_OUTBOX_OPTIONS, errors.listener("outbox queue"));
  const limiter = createLimiter(o.redis, k.rate, {
    globalPerSecond: o.rate,
    paidPerSecond: o.paidBroadcast ? o.paidRate : undefined,
    perChatPerSecond: 1,
    perChatBurst: 3,
    groupPerMinute: 20,
    margin: o.limiterMargin,
    // Fast (paid) sending reserves up to this far ahead; see the concurrency below.
    lookaheadMs: 250,
    idleMs: BOUNDS.rateIdleMs,
  });
  const ledger = createLedger(o.redis, k, { timezone: o.timezone });
  const stories = o.merge && o.merge.windowMs > 0 ? createStoryStore(o.redis, k, o.merge.windowMs) : undefined;
  const worker = createDeliveryWorker({
    redis: o.redis,
    bullRedis,
    keys: k,
    bullPrefix: k.bullPrefix(),
    outbox,
    api: o.api,
    limiter,
    ...o.stores,
    stories,
    ledger,
    format: o.format,
    logger: o.logger,
    // At normal rates a few workers take turns at the due slot. Fast, each
    // worker holds a slot reserved up to the lookahead (250 ms) ahead: 200 ms
    // worth of workers keep the pace without crowding a full window, where
    // they would only be sent away and come back.
    concurrency: o.concurrency ?? Math.min(256, Math.max(16, Math.ceil(maxRate * 0.2))),
    paidBroadcast: o.paidBroadcast,
    lockDurationMs: o.lockDurationMs,
    stalledIntervalMs: o.stalledIntervalMs,
    onError: errors.listener("outbox worker"),
  });
  const fanout = createNewsFanout({
    redis: o.redis,
    leaseKey: k.lock("fanout"),
    ...o.stores,
    outbox,
    relatedFor: o.relatedFor,
    prepare: o.prepareFanout,
    merge: stories && o.merge ? { ...o.merge, stories } : undefined,
    logger: o.logger,
    digestThreshold: o.digestThreshold,
  });
  const broadcasts = createBroadcastDelivery({
    redis: o.redis,
    keys: k,
    broadcasts: o.stores.broadcasts,
    subscribers: o.stores.subscribers,
    outbox,
    ledger,
    api: o.botApi,
    logger: o.logger,
    expectedRate: o.paidBroadcast ? o.paidRate : o.rate,
    progressIntervalMs: o.progressIntervalMs,
  });

  return {
    outbox,
    limiter,
    ledger,
    fanout,
    broadcasts,
    worker,
    /** starts this process's workers and its share of broadcast tracking */
    start(): void {
      worker.start();
      broadcasts.startMonitor();
    },
    async stats(): Promise<DeliveryStats> {
      const [queue, today, deadLetters, running] = await Promise.all([
        outbox.counts(),
        ledger.today(),
        ledger.deadLetters(3),
        broadcasts.running(),
      ]);
      return { queue, today, deadLetters, broadcasts: running };
    },
    /** finishes the jobs in hand (the rest stay queued in Redis) and stops */
    async close(): Promise<void> {
      await broadcasts.stop();
      await fanout.idle();
      await worker.close();
      await outbox.close();
      await bullRedis.quit().catch(() => bullRedis.disconnect());
    },
  };
}

export type Delivery = ReturnType<typeof createDelivery>;
