import type { Api, RawApi, Transformer } from "grammy";
import type { Redis } from "ioredis";
import { defaultTranslator, type Translator } from "../i18n/translator.js";
import { sleep } from "../infra/sleep.js";
import type { Logger } from "../log.js";
import type { Item } from "../news/item.js";
import type { DeliveryMeter, FanoutMeter, MessageOutcome } from "../ops/meters.js";
import type { Stores } from "../store/index.js";
import { BOUNDS, keys } from "../store/keys.js";
import { createStoryStore } from "../store/story-store.js";
import type { SubKey } from "../store/sub-key.js";
import { createChatDelivery, type TimelineFormatter } from "../timeline/chat-delivery.js";
import { createPlanner } from "../timeline/planner.js";
import type { MergeDeps } from "../timeline/roots.js";
import { createDeliveryRunner } from "../timeline/runner.js";
import { createTimelineCache } from "../timeline/timeline-cache.js";
import { type BroadcastSummary, createBroadcastDelivery } from "./broadcast-delivery.js";
import { throttledErrors } from "./error-log.js";
import { createLedger, type DayCounter, type DeadLetter } from "./ledger.js";
import { createLimiter, type Limiter } from "./limiter.js";
import { classifyRefusal, createGoneHandlers, NOT_MODIFIED } from "./messenger.js";
import { createOutbox, DEFAULT_OUTBOX_OPTIONS, type OutboxOptions } from "./outbox.js";
import type { SendApi } from "./send-api.js";
import { createDeliveryWorker, type DeliveryFormatter } from "./worker.js";

export interface DeliveryOptions {
  redis: Redis;
  prefix: string;
  stores: Pick<Stores, "items" | "subscribers" | "chats" | "broadcasts">;
  /** sends news and broadcasts, without retries (the queue retries): createSendApi(), or sendApiFromGrammy() */
  api: SendApi;
  /** the bot's own client, for the admin's progress message and report */
  botApi: Api;
  format: DeliveryFormatter & TimelineFormatter;
  relatedFor: (item: Item) => Promise<Item[]>;
  /** brings the related index up to date before a planning round */
  prepareFanout?: () => Promise<unknown>;
  /**
   * Same-story merging (SAME_STORY_MERGE_HOURS): a later report of a story a
   * chat already got edits that message instead of becoming a new one.
   * Absent or a zero window: off.
   */
  merge?: MergeDeps;
  /** source id → its lang ("und" when none): what language preferences match */
  langOf: (sourceId: string) => string;
  /**
   * the texts in every language: cards, digests and broadcasts are composed
   * in each chat's language (prefs.locale), progress reports in the admin's
   * (default: defaultTranslator())
   */
  translator?: Translator;
  /**
   * A forum topic subscription ended because Telegram will not post there
   * any more (400 "message thread not found", TOPIC_CLOSED, TOPIC_DELETED):
   * it has been removed, with its timeline state, when this is called — once
   * per topic, whichever process or delivery met it. The chat's other topics
   * and its own subscription go on.
   */
  onTopicGone?: (sub: { key: SubKey; chatId: number; thread: number }, reason: string) => Promise<void>;
  /**
   * The bot can no longer post in a chat (403 blocked / kicked, 400 "chat
   * not found", 400 "not enough rights to send text messages"): all its
   * subscriptions (its own and its topics') have been removed, with their
   * timeline state, when this is called — once per chat.
   */
  onChatGone?: (chatId: number, reason: string) => Promise<void>;
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
  /** chats this process delivers to at once (default 16) */
  chatConcurrency?: number;
  /** how long a send waits for Telegram's answer (ms, default 30 s); the one retry of an unanswered send waits 4× as long */
  sendTimeoutMs?: number;
  progressIntervalMs?: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** stretch of the spacing between sends (see limiter.ts) */
  limiterMargin?: number;
  /** told of every news, digest, edit and broadcast message and its outcome, and of each planning pass (src/ops/meters.ts) */
  meter?: DeliveryMeter & FanoutMeter;
}

export interface DeliveryStats {
  /** broadcast jobs */
  queue: { waiting: number; delayed: number; active: number; failed: number };
  /** chats with a delivery due now, scheduled later (digests, waits), being delivered to */
  chats: { waiting: number; scheduled: number; active: number };
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

/** Methods that change a message the bot sent, or answer a button: replies too. */
const REPLY_METHODS = new Set([
  ...SEND_METHODS,
  "editMessageText",
  "editMessageCaption",
  "editMessageMedia",
  "editMessageReplyMarkup",
  "answerCallbackQuery",
]);

/**
 * Counts what the bot's grammY client sends (kind "reply": replies to
 * commands and buttons, and its other messages — admin alerts, notices, a
 * broadcast's progress). News, digests, edits and broadcasts do not pass
 * here: they go through the lean SendApi (send-api.ts) and are counted
 * where they are sent. Telegram's answer decides the outcome as it does for
 * news: 429 rate_limited, a chat gone blocked, any other refusal or no
 * answer failed; "message is not modified" is an edit already done.
 * Installed after grammY's auto-retry (createBareBot's), it sees each call's
 * last answer: a 429 the retry waited out counts as the message's outcome
 * only; installed before it, every answer would count.
 */
export function meterReplies(meter: DeliveryMeter): Transformer<RawApi> {
  return async (prev, method, payload, signal) => {
    if (!REPLY_METHODS.has(method)) return prev(method, payload, signal);
    let outcome: MessageOutcome = "failed";
    try {
      const res = await prev(method, payload, signal);
      if (res.ok || (res.error_code === 400 && NOT_MODIFIED.test(res.description))) outcome = "sent";
      else {
        const kind = classifyRefusal(res).kind;
        outcome = kind === "flood" ? "rate_limited" : kind === "gone" || kind === "topic-gone" ? "blocked" : "failed";
      }
      return res;
    } finally {
      meter.message("reply", outcome);
    }
  };
}

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

/** A gone chat or topic is told of once within this long (ms), however many deliveries meet it. */
const GONE_NOTICE_MS = 10 * 60_000;

/**
 * Delivery, assembled: the timeline planner and the chat deliveries (news),
 * the outbox (BullMQ) and its workers (broadcasts), the shared flood limits
 * and the ledger behind /stats. Nothing runs until start().
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
  const merging = !!o.merge && o.merge.windowMs > 0;
  const stories = createStoryStore(o.redis, k);
  const { chats } = o.stores;
  const translator = o.translator ?? defaultTranslator();
  const gone = createGoneHandlers({
    subscribers: o.stores.subscribers,
    chats,
    // The first to meet a gone chat or topic tells of it; the others (its other topics' deliveries, a broadcast) do not.
    first: async (name) => (await o.redis.set(k.lock(name), "1", "PX", GONE_NOTICE_MS, "NX")) === "OK",
    onChatGone: o.onChatGone,
    onTopicGone: o.onTopicGone,
    logger: o.logger,
  });
  const longTimeoutMs = Math.max(4 * (o.sendTimeoutMs ?? 30_000), 120_000);
  const worker = createDeliveryWorker({
    bullRedis,
    bullPrefix: k.bullPrefix(),
    outbox,
    api: o.api,
    limiter,
    subscribers: o.stores.subscribers,
    broadcasts: o.stores.broadcasts,
    ledger,
    format: o.format,
    translator,
    timezone: o.timezone,
    gone,
    logger: o.logger,
    // At normal rates a few workers take turns at the due slot. Fast, each
    // worker holds a slot reserved up to the lookahead (250 ms) ahead: 200 ms
    // worth of workers keep the pace without crowding a full window, where
    // they would only be sent away and come back.
    concurrency: o.concurrency ?? Math.min(256, Math.max(16, Math.ceil(maxRate * 0.2))),
    paidBroadcast: o.paidBroadcast,
    lockDurationMs: o.lockDurationMs,
    stalledIntervalMs: o.stalledIntervalMs,
    longTimeoutMs,
    onMigrated: (from, to) => chats.migrate(from, to),
    onError: errors.listener("outbox worker"),
    meter: o.meter,
  });
  const cache = createTimelineCache({ items: o.stores.items, stories, langOf: o.langOf });
  const chatDelivery = createChatDelivery({
    items: o.stores.items,
    subscribers: o.stores.subscribers,
    chats,
    stories,
    cache,
    api: o.api,
    limiter,
    ledger,
    format: o.format,
    translator,
    gone,
    logger: o.logger,
    timezone: o.timezone,
    threshold: o.digestThreshold,
    merging,
    timeoutMs: o.sendTimeoutMs,
    longTimeoutMs,
    backoffFirstMs: o.outbox?.backoffMs,
    meter: o.meter,
    langOf: o.langOf,
  });
  const runner = createDeliveryRunner({
    chats,
    delivery: chatDelivery,
    concurrency: o.chatConcurrency ?? 16,
    logger: o.logger,
    onError: errors.listener("chat deliveries"),
  });
  const planner = createPlanner({
    redis: o.redis,
    leaseKey: k.lock("planner"),
    items: o.stores.items,
    subscribers: o.stores.subscribers,
    chats,
    stories,
    relatedFor: o.relatedFor,
    prepare: o.prepareFanout,
    merge: merging ? o.merge : undefined,
    langOf: o.langOf,
    timezone: o.timezone,
    onDue: () => runner.wake(),
    logger: o.logger,
    meter: o.meter,
  });
  const broadcasts = createBroadcastDelivery({
    redis: o.redis,
    keys: k,
    broadcasts: o.stores.broadcasts,
    subscribers: o.stores.subscribers,
    outbox,
    ledger,
    api: o.botApi,
    translator,
    logger: o.logger,
    expectedRate: o.paidBroadcast ? o.paidRate : o.rate,
    progressIntervalMs: o.progressIntervalMs,
  });

  return {
    outbox,
    limiter,
    ledger,
    planner,
    chatDelivery,
    runner,
    broadcasts,
    worker,
    /** starts this process's workers, chat deliveries and its share of broadcast tracking */
    start(): void {
      worker.start();
      runner.start();
      broadcasts.startMonitor();
    },
    async stats(): Promise<DeliveryStats> {
      const now = Date.now();
      const [queue, c, today, deadLetters, running] = await Promise.all([
        outbox.counts(),
        chats.counts(now),
        ledger.today(),
        ledger.deadLetters(3),
        broadcasts.running(),
      ]);
      return {
        queue,
        chats: { waiting: c.waiting, scheduled: c.due - c.waiting, active: c.active },
        today,
        deadLetters,
        broadcasts: running,
      };
    },
    /**
     * Since when (ms) the longest-waiting delivery has waited, read from
     * Redis: `chats` the subscription due earliest that is due by `now` (put
     * back for a flood limit or an outage: since it became due again),
     * `outbox` the broadcast job next in line (since it was added); null
     * when nothing waits.
     */
    async waitingSince(queue: "chats" | "outbox", now = Date.now()): Promise<number | null> {
      return queue === "outbox" ? outbox.oldestWaitingAt() : chats.oldestDueAt(now);
    },
    /** finishes the deliveries in hand (the rest stay due in Redis) and stops */
    async close(): Promise<void> {
      await broadcasts.stop();
      await planner.idle();
      await runner.close();
      await worker.close();
      await outbox.close();
      await bullRedis.quit().catch(() => bullRedis.disconnect());
    },
  };
}

export type Delivery = ReturnType<typeof createDelivery>;
