import { randomBytes, randomUUID } from "node:crypto";
import { Api, HttpError } from "grammy";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Source } from "../../src/config.js";
import { createFormatter } from "../../src/delivery/formatter.js";
import { createDelivery, type Delivery, meterReplies } from "../../src/delivery/index.js";
import { createSendApi } from "../../src/delivery/send-api.js";
import { silentLogger } from "../../src/log.js";
import type { Item } from "../../src/news/item.js";
import { createMeters, MESSAGE_KINDS, MESSAGE_OUTCOMES, type Meters } from "../../src/ops/meters.js";
import { createMetrics } from "../../src/ops/metrics.js";
import { createPoller } from "../../src/poll/poller.js";
import { createStores, type Stores } from "../../src/store/index.js";
import { createRedis } from "../../src/store/redis.js";
import { subscribeChat } from "../../src/timeline/subscriptions.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { type RssItem, rss } from "../support/rss.js";

/**
 * The per-process meters as an operator scrapes them: the real delivery
 * (timeline, outbox, limiter in the private Redis) against the fake Bot API,
 * the bot's grammY client with the reply meter, and the poller against a
 * local feed server — then /metrics' text, parsed, says what happened.
 */

// ─── The Prometheus text format, parsed ──────────────────────────────────────

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Exposition {
  samples: Sample[];
  types: Map<string, string>;
}

function parseExposition(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: -?\d+)?$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
    }
    const raw = m[3]!;
    const value = raw === "+Inf" ? Number.POSITIVE_INFINITY : raw === "-Inf" ? Number.NEGATIVE_INFINITY : Number(raw);
    samples.push({ name: m[1]!, labels, value });
  }
  return { samples, types };
}

/** the value of the one series `name` with exactly these labels; undefined when absent */
function sampleValue(e: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).sort();
  const hit = e.samples.filter((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === JSON.stringify(want));
  if (hit.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} appears ${hit.length} times`);
  return hit[0]?.value;
}

/** every series of `name`, by its labels */
function seriesOf(e: Exposition, name: string): Sample[] {
  return e.samples.filter((s) => s.name === name);
}

const metricsDeps = (meters: Meters, delivery?: Delivery) =>
  createMetrics({
    deliveryStats: async () => {
      if (!delivery) throw new Error("no delivery");
      return delivery.stats();
    },
    waitingSince: async (queue, now) => (delivery ? delivery.waitingSince(queue, now) : null),
    subscribers: async () => [],
    sourceHealth: async () => [],
    sourceIds: () => [],
    redisRoundTrip: async () => 0.001,
    telegram: { reachable: () => true, lastOkAt: () => null },
    logger: silentLogger,
    meters,
  });

const scrape = async (register: ReturnType<typeof createMetrics>) => parseExposition(await register.metrics());

// ─── The delivery, as the app assembles it ───────────────────────────────────

const TOKEN = "123456:meters-test-token_abcdefghij";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

interface Setup {
  tg: FakeTelegram;
  redis: Redis;
  stores: Stores;
  delivery: Delivery;
  botApi: Api;
  meters: Meters;
  register: ReturnType<typeof createMetrics>;
  close(): Promise<void>;
}

/** Reports of one story: a later one (`sameAs`) joins the earlier one's message. */
const sameStory = new Map<string, Item>();

async function setup(): Promise<Setup> {
  const tg = await startFakeTelegram();
  const redis = createRedis(inject("redisUrl"), { maxRetriesPerRequest: null });
  const prefix = `mtr${randomUUID().slice(0, 8)}:`;
  const stores = createStores(redis, prefix);
  const meters = createMeters();
  // The bot's own client, as src/app.ts sets it up: what goes through it is a reply.
  const botApi = new Api(TOKEN, { apiRoot: tg.apiRoot });
  botApi.config.use(meterReplies(meters));
  const delivery = createDelivery({
    redis,
    prefix,
    stores,
    api: createSendApi({ token: TOKEN, apiRoot: tg.apiRoot }),
    botApi,
    format: createFormatter(),
    langOf: () => "en",
    relatedFor: async () => [],
    merge: {
      windowMs: 6 * 3600_000,
      earlier: (item) => {
        const root = sameStory.get(item.key);
        return root ? [root] : [];
      },
      resembles: () => true,
    },
    logger: silentLogger,
    timezone: "UTC",
    rate: 30,
    paidBroadcast: false,
    paidRate: 1000,
    digestThreshold: 3,
    outbox: { attempts: 1, backoffMs: 50 },
    progressIntervalMs: 200,
    meter: meters,
  });
  return {
    tg,
    redis,
    stores,
    delivery,
    botApi,
    meters,
    register: metricsDeps(meters, delivery),
    async close() {
      await delivery.close();
      await redis.quit();
      await tg.close();
    },
  };
}

let seen = 0;
function story(source: string, n: number, title: string): Item {
  const at = Date.now() - 600_000 + ++seen * 1000;
  return {
    key: `${source}:${n}`,
    sourceId: source,
    sourceName: source.toUpperCase(),
    title,
    link: `https://${source}.example/${n}`,
    summary: "",
    published: new Date(at).toISOString(),
    seenAt: at,
  };
}

/** A poll of `source` bringing `items` as news (its first poll, empty, was the backlog), then planning. */
async function arrive(s: Setup, source: string, items: Item[]) {
  await s.stores.items.ingest(source, []);
  await s.stores.items.ingest(source, items);
  await s.delivery.planner.run();
}

/** Nothing due, nothing being delivered, no broadcast job left. */
async function settled(s: Setup) {
  await s.delivery.planner.idle();
  await until(async () => {
    const st = await s.delivery.stats();
    return st.chats.waiting + st.chats.scheduled + st.chats.active + st.queue.waiting + st.queue.delayed + st.queue.active === 0;
  }, "deliveries to settle");
}

const subscribe = (s: Setup, chatId: number) => subscribeChat(s.stores, { chatId, kind: "private" }, { timezone: "UTC", now: Date.now() });

let open: Setup | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

describe("newsbot_messages_total", () => {
  it("is on the page from the start: every kind and outcome at 0, a counter", async () => {
    const e = await scrape(metricsDeps(createMeters()));
    expect(e.types.get("newsbot_messages_total")).toBe("counter");
    expect(seriesOf(e, "newsbot_messages_total")).toHaveLength(MESSAGE_KINDS.length * MESSAGE_OUTCOMES.length);
    for (const kind of MESSAGE_KINDS) {
      for (const outcome of MESSAGE_OUTCOMES) expect(sampleValue(e, "newsbot_messages_total", { kind, outcome })).toBe(0);
    }
    expect(e.types.get("newsbot_fanout_duration_seconds")).toBe("histogram");
    expect(e.types.get("newsbot_poll_duration_seconds")).toBe("histogram");
    expect(e.types.get("newsbot_poll_items")).toBe("histogram");
    expect(e.types.get("newsbot_poll_items_total")).toBe("counter");
    expect(e.types.get("newsbot_oldest_waiting_seconds")).toBe("gauge");
  });

  it("counts cards, a 429, a blocked chat, a refused card, merge edits, digests and a broadcast by kind and outcome", async () => {
    const s = (open = await setup());
    const { tg } = s;
    const [ann, bob, cid] = [501, 502, 503];
    for (const id of [ann, bob, cid]) await subscribe(s, id);
    tg.blockUser(cid);
    // One 429 first: counted when it came; that card goes out after the wait and is counted sent.
    tg.failNext("sendMessage", 1, { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    s.delivery.start();

    const quake = story("wire", 1, "Magnitude 6.1 earthquake strikes eastern Turkey");
    await arrive(s, "wire", [quake]);
    await settled(s);
    let e = await scrape(s.register);
    expect(sampleValue(e, "newsbot_messages_total", { kind: "news", outcome: "sent" })).toBe(2);
    expect(sampleValue(e, "newsbot_messages_total", { kind: "news", outcome: "rate_limited" })).toBe(1);
    expect(sampleValue(e, "newsbot_messages_total", { kind: "news", outcome: "blocked" })).toBe(1);
    expect(tg.messagesTo(ann)).toHaveLength(1);

    // A later report of the same story: each reader's card is edited.
    const later = story("apa", 7, "Earthquake of magnitude 6.1 strikes eastern Turkey");
    sameStory.set(later.key, quake);
    await arrive(s, "apa", [later]);
    await settled(s);
    e = await scrape(s.register);
    expect(sampleValue(e, "newsbot_messages_total", { kind: "edit", outcome: "sent" })).toBe(2);
    expect(tg.messagesTo(ann)).toHaveLength(1);

    // Telegram refuses one card for good (a dead letter): failed; the other reader gets it.
    tg.failNext("sendMessage", 1, { error_code: 400, description: "Bad Request: can't parse entities" });
    await arrive(s, "wire", [story("wire", 2, "Parliament approves the budget")]);
    await settled(s);
    e = await scrape(s.register);
    expect(sampleValue(e, "newsbot_messages_total", { kind: "news", outcome: "failed" })).toBe(1);
    expect(sampleValue(e, "newsbot_messages_total", { kind: "news", outcome: "sent" })).toBe(3);

    // More than DIGEST_THRESHOLD at once: one digest each.
    await arrive(
      s,
      "wire",
      [3, 4, 5, 6, 7].map((n) => story("wire", n, `Story number ${n} of the day`)),
    );
    await settled(s);
    e = await scrape(s.register);
    expect(sampleValue(e, "newsbot_messages_total", { kind: "digest", outcome: "sent" })).toBe(2);
    // Four planning passes planned stories; one with nothing new is not a fan-out.
    await s.delivery.planner.run();
    e = await scrape(s.register);
    expect(sampleValue(e, "newsbot_fanout_duration_seconds_count")).toBe(4);
    expect(sampleValue(e, "newsbot_fanout_duration_seconds_sum")).toBeGreaterThan(0);
    expect(sampleValue(e, "newsbot_fanout_duration_seconds_bucket", { le: "+Inf" })).toBe(4);

    // A broadcast: one chat that blocked the bot meanwhile; the admin's preview, progress and report are replies.
    const dan = 504;
    await subscribe(s, dan);
    tg.blockUser(dan);
    const ADMIN = 42;
    const id = randomBytes(6).toString("hex");
    await s.stores.broadcasts.create({ id, adminId: ADMIN, adminChatId: ADMIN, text: "Storm warning", createdAt: Date.now() });
    const preview = await s.botApi.sendMessage(ADMIN, "📢 Broadcast preview: Storm warning");
    await s.stores.broadcasts.setPreviewMessage(id, preview.message_id);
    const b = (await s.stores.broadcasts.transition(id, "pending", "sending"))!;
    await s.delivery.broadcasts.start(b);
    await until(() => tg.messagesTo(ADMIN).find((m) => m.visibleText.startsWith("📢 Broadcast finished")), "the report");
    await settled(s);
    e = await scrape(s.register);
    expect(sampleValue(e, "newsbot_messages_total", { kind: "broadcast", outcome: "sent" })).toBe(2);
    expect(sampleValue(e, "newsbot_messages_total", { kind: "broadcast", outcome: "blocked" })).toBe(1);

    // Replies are what went through the bot's client — to the admin here; news never counts as one.
    const toAdmin = (method: string) => tg.calls(method).filter((c) => c.chat_id === ADMIN).length;
    const replies = toAdmin("sendMessage") + toAdmin("editMessageText");
    expect(replies).toBeGreaterThanOrEqual(3);
    expect(sampleValue(e, "newsbot_messages_total", { kind: "reply", outcome: "sent" })).toBe(replies);
    expect(sampleValue(e, "newsbot_messages_total", { kind: "reply", outcome: "failed" })).toBe(0);
    // What Telegram saw adds up to what was counted.
    const counted = seriesOf(e, "newsbot_messages_total")
      .filter((x) => x.labels.kind !== "reply")
      .reduce((n, x) => n + x.value, 0);
    const calls = (m: string) => tg.calls(m).filter((c) => c.chat_id !== ADMIN).length;
    expect(counted).toBe(calls("sendMessage") + calls("editMessageText"));
    // Nothing waits any more.
    expect(sampleValue(e, "newsbot_oldest_waiting_seconds", { queue: "chats" })).toBe(0);
    expect(sampleValue(e, "newsbot_oldest_waiting_seconds", { queue: "outbox" })).toBe(0);
  }, 40_000);
});

describe("replies through the bot's grammY client", () => {
  let tg: FakeTelegram;
  beforeAll(async () => {
    tg = await startFakeTelegram();
  });
  afterAll(async () => {
    await tg.close();
  });

  it("message-sending methods count by Telegram's answer; other methods do not count", async () => {
    const meters = createMeters();
    const api = new Api(TOKEN, { apiRoot: tg.apiRoot });
    api.config.use(meterReplies(meters));
    const m = await api.sendMessage(700, "hello");
    await api.editMessageText(700, m.message_id, "hello again");
    // The same text again: Telegram's "not modified" is an edit already done.
    await api.editMessageText(700, m.message_id, "hello again").catch(() => undefined);
    tg.blockUser(701);
    await expect(api.sendMessage(701, "hi")).rejects.toThrow(/blocked/);
    tg.failNext("sendMessage", 1, { error_code: 429, description: "Too Many Requests: retry after 3", parameters: { retry_after: 3 } });
    await expect(api.sendMessage(700, "fast")).rejects.toThrow(/Too Many Requests/);
    tg.failNext("sendMessage", 1, { error_code: 400, description: "Bad Request: can't parse entities" });
    await expect(api.sendMessage(700, "<b>")).rejects.toThrow(/parse entities/);
    tg.failNext("sendMessage", 1, "network");
    await expect(api.sendMessage(700, "lost")).rejects.toBeInstanceOf(HttpError);
    await api.getMe();
    await api.deleteMessage(700, m.message_id);

    const e = await scrape(metricsDeps(meters));
    const reply = (outcome: string) => sampleValue(e, "newsbot_messages_total", { kind: "reply", outcome });
    expect(reply("sent")).toBe(3);
    expect(reply("blocked")).toBe(1);
    expect(reply("rate_limited")).toBe(1);
    expect(reply("failed")).toBe(2);
    expect(sampleValue(e, "newsbot_messages_total", { kind: "news", outcome: "sent" })).toBe(0);
  });
});

describe("newsbot_oldest_waiting_seconds", () => {
  it("is how long the chat due earliest and the next outbox job have waited, read from Redis", async () => {
    const s = (open = await setup());
    // Not started: nothing takes what is due.
    let e = await scrape(s.register);
    expect(sampleValue(e, "newsbot_oldest_waiting_seconds", { queue: "chats" })).toBe(0);
    expect(sampleValue(e, "newsbot_oldest_waiting_seconds", { queue: "outbox" })).toBe(0);

    // Due later (a digest) is not waiting; due 90 s ago is.
    await s.stores.chats.dueAt(602, Date.now() + 600_000);
    e = await scrape(s.register);
    expect(sampleValue(e, "newsbot_oldest_waiting_seconds", { queue: "chats" })).toBe(0);
    await s.stores.chats.dueAt(601, Date.now() - 90_000);
    await s.stores.chats.dueAt(603, Date.now() - 30_000);
    await s.delivery.outbox.add([{ kind: "broadcast", id: "b1", chatId: 601 }]);
    await sleep(300);
    await s.delivery.outbox.add([{ kind: "broadcast", id: "b1", chatId: 603 }]);
    // A second apart: not the one-second delivery snapshot.
    await sleep(1100);
    e = await scrape(s.register);
    const chats = sampleValue(e, "newsbot_oldest_waiting_seconds", { queue: "chats" })!;
    expect(chats).toBeGreaterThanOrEqual(90);
    expect(chats).toBeLessThan(95);
    const outbox = sampleValue(e, "newsbot_oldest_waiting_seconds", { queue: "outbox" })!;
    // The first job added, not the newest.
    expect(outbox).toBeGreaterThanOrEqual(1.4);
    expect(outbox).toBeLessThan(5);
    expect(sampleValue(e, "newsbot_outbox_jobs", { state: "waiting" })).toBe(2);
  });
});

describe("poll meters", () => {
  let feeds: FeedServer;
  let redis: Redis;
  beforeAll(async () => {
    feeds = await startFeedServer();
    redis = createRedis(inject("redisUrl"));
  });
  afterAll(async () => {
    await feeds.close();
    await redis.quit();
  });

  it("each run's duration and new items, and the entries read by outcome", async () => {
    const stores = createStores(redis, `pm${randomUUID().slice(0, 8)}:`);
    const items: RssItem[] = [
      { guid: "1", title: "First story", link: "https://w.example/1", pubDate: new Date() },
      { guid: "2", title: "Second story", link: "https://w.example/2", pubDate: new Date() },
    ];
    feeds.set("/w.xml", () => ({ body: rss("W", items) }));
    const source: Source = { id: "w", name: "W", url: feeds.urlFor("/w.xml"), enabled: true } as Source;
    const meters = createMeters();
    const poller = createPoller({
      sources: () => [source],
      items: stores.items,
      health: stores.health,
      logger: silentLogger,
      fetch: { timeoutMs: 3000, maxBytes: 1 << 20 },
      concurrency: 4,
      maxFailures: 20,
      politeness: { perHost: 4, spacingMs: 0, jitterMs: 0 },
      meter: meters,
    });
    const register = metricsDeps(meters);
    // The first poll of a source is its backlog: stored, not sent.
    await poller.poll();
    let e = await scrape(register);
    expect(sampleValue(e, "newsbot_poll_duration_seconds_count")).toBe(1);
    expect(sampleValue(e, "newsbot_poll_items_total", { outcome: "backlog" })).toBe(2);
    expect(sampleValue(e, "newsbot_poll_items_total", { outcome: "new" })).toBe(0);

    items.unshift({ guid: "3", title: "Third story", link: "https://w.example/3", pubDate: new Date() });
    const report = await poller.poll();
    expect(report.newItems).toBe(1);
    e = await scrape(register);
    expect(sampleValue(e, "newsbot_poll_duration_seconds_count")).toBe(2);
    const sum = sampleValue(e, "newsbot_poll_duration_seconds_sum")!;
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(10);
    expect(sampleValue(e, "newsbot_poll_duration_seconds_bucket", { le: "300" })).toBe(2);
    expect(sampleValue(e, "newsbot_poll_items_total", { outcome: "new" })).toBe(1);
    expect(sampleValue(e, "newsbot_poll_items_total", { outcome: "seen" })).toBe(2);
    // New items per run: the first found none (its backlog is not news), the second one.
    expect(sampleValue(e, "newsbot_poll_items_bucket", { le: "0" })).toBe(1);
    expect(sampleValue(e, "newsbot_poll_items_bucket", { le: "1" })).toBe(2);
    expect(sampleValue(e, "newsbot_poll_items_sum")).toBe(1);
    expect(sampleValue(e, "newsbot_poll_items_count")).toBe(2);
  });
});
