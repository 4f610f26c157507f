import { randomUUID } from "node:crypto";
import { Api } from "grammy";
import type { Redis } from "ioredis";
import { inject } from "vitest";
import { createFormatter } from "../../src/delivery/formatter.js";
import { createDelivery, type Delivery, type DeliveryOptions } from "../../src/delivery/index.js";
import { createSendApi } from "../../src/delivery/send-api.js";
import { createLogger, silentLogger } from "../../src/log.js";
import type { Item } from "../../src/news/item.js";
import type { ChatPrefs } from "../../src/prefs/types.js";
import { createStores, type Stores } from "../../src/store/index.js";
import { createRedis } from "../../src/store/redis.js";
import { subKey } from "../../src/store/sub-key.js";
import { onPrefsChanged, subscribeChat } from "../../src/timeline/subscriptions.js";
import type { FakeTelegram } from "../support/fake-telegram.js";

/**
 * The real delivery (timeline planner, chat deliveries, BullMQ outbox for
 * broadcasts, Redis limiter) in the test process, against the fake Bot API and the private
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
  /** source id → lang (default "en") */
  langOf?: (sourceId: string) => string;
  /** how long a send waits for an answer (ms) */
  sendTimeoutMs?: number;
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
  /** chats this process delivers to at once (default 16) */
  chatConcurrency?: number;
  /** what cards, digests and broadcasts are composed with (default createFormatter()) */
  format?: DeliveryOptions["format"];
  translator?: DeliveryOptions["translator"];
  onTopicGone?: DeliveryOptions["onTopicGone"];
  onChatGone?: DeliveryOptions["onChatGone"];
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
  const botApi = new Api(TOKEN, { apiRoot: tg.apiRoot });
  const delivery = createDelivery({
    redis,
    prefix,
    stores,
    api: createSendApi({ token: TOKEN, apiRoot: tg.apiRoot, timeoutMs: o.sendTimeoutMs }),
    botApi,
    format: o.format ?? createFormatter(),
    translator: o.translator,
    onTopicGone: o.onTopicGone,
    onChatGone: o.onChatGone,
    langOf: o.langOf ?? (() => "en"),
    sendTimeoutMs: o.sendTimeoutMs,
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
    chatConcurrency: o.chatConcurrency,
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

/**
 * Subscribes chats as /start does: each on the timeline from now on; then,
 * for those `prefs` gives, the preferences the chat chose, as the settings do
 * (a digest chat is due at its next digest).
 */
export async function subscribeAll(h: Harness, ids: number[], prefs?: (chatId: number) => ChatPrefs | undefined): Promise<void> {
  const changed = onPrefsChanged(h.stores, { timezone: "UTC" });
  for (const chatId of ids) {
    await subscribeChat(
      h.stores,
      { chatId, kind: chatId < -1_000_000_000_000 ? "supergroup" : chatId < 0 ? "group" : "private" },
      { timezone: "UTC", now: Date.now() },
    );
    const p = prefs?.(chatId);
    if (!p) continue;
    const before = (await h.stores.subscribers.get(chatId))!.prefs;
    await h.stores.subscribers.setPrefs(chatId, p);
    await changed(chatId, before, p);
  }
}

/**
 * Subscribes forum topics (or, without `thread`, the chat itself) as /start
 * in that topic does, each with its own preferences when given.
 */
export async function subscribeTopics(h: Harness, subs: { chatId: number; thread?: number; prefs?: ChatPrefs }[]): Promise<void> {
  const changed = onPrefsChanged(h.stores, { timezone: "UTC" });
  for (const s of subs) {
    await subscribeChat(h.stores, { chatId: s.chatId, thread: s.thread, kind: "supergroup" }, { timezone: "UTC", now: Date.now() });
    if (!s.prefs) continue;
    const key = subKey(s.chatId, s.thread);
    const before = (await h.stores.subscribers.get(key))!.prefs;
    await h.stores.subscribers.setPrefs(key, s.prefs);
    await changed(key, before, s.prefs);
  }
}

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

/**
 * Waits until nothing is left to send: no broadcast job waiting, delayed or
 * in hand, no chat due (digests scheduled later do not count unless
 * `scheduled`) or being delivered to.
 */
export async function drained(d: Delivery, timeoutMs = 15_000, scheduled = false): Promise<void> {
  await d.planner.idle();
  await until(
    async () => {
      const [c, s] = await Promise.all([d.outbox.counts(), d.stats()]);
      return c.waiting + c.delayed + c.active === 0 && s.chats.waiting + s.chats.active + (scheduled ? s.chats.scheduled : 0) === 0;
    },
    timeoutMs,
    "deliveries to drain",
  );
}

/**
 * A poll of `source` bringing `items` as news (its first poll, empty, was the
 * backlog), then a planning pass, as the app runs one after every poll.
 */
export async function arrive(h: Harness, source: string, items: Item[]): Promise<void> {
  await h.stores.items.ingest(source, []);
  await h.stores.items.ingest(source, items);
  await h.delivery.planner.run();
}

/**
 * Waits until every as-it-comes chat is done: nothing due at all (a chat put
 * back for a 429 or an outage is due a little later and counts). Not for
 * tests with digest chats, which are always due at their next digest.
 */
export async function settled(h: Harness, timeoutMs = 15_000): Promise<void> {
  await drained(h.delivery, timeoutMs, true);
}

/**
 * The stories a chat got, by link, across its cards and digests: each
 * message's links under `linkPrefix` once (a card links its story twice, in
 * the headline and "Read more").
 */
export function storiesIn(tg: FakeTelegram, chatId: number, linkPrefix: string): string[] {
  return tg.messagesTo(chatId).flatMap((m) => [...new Set(m.links.map((l) => l.href).filter((href) => href.startsWith(linkPrefix)))]);
}
