/**
 * npm run bench:timeline — per-chat timelines at scale.
 *
 *  1. Scale (in this process, a private redis-server): 100,000 subscribers
 *     with mixed preferences (60 % all sources, 30 % one to four sources,
 *     10 % keyword rules, 20 % digests). Redis bytes per subscriber; CPU to
 *     plan one poll's 50 new stories for every chat; Redis bytes retained per
 *     delivered message once every due chat got its message (a stub Bot API
 *     that answers at once, no flood limit) — against the records the
 *     pre-timeline delivery kept for the same messages (a `delivered:<story>`
 *     set member and a `sent:<story>` hash field per chat per story), written
 *     the same way in the same run.
 *  2. Saturation (the real bot process, as `npm start` runs it, the fake Bot
 *     API at Telegram's 30 msg/s, a local feed): 3,000 subscribers, 2 new
 *     stories every 15 s for 5 minutes. Every chat must get every story
 *     exactly once, all within 3 minutes after the last story, with at most
 *     duration ÷ (subscribers ÷ 30) + 2 messages per chat and no 429.
 *
 * BENCH_ONLY=scale or BENCH_ONLY=saturation runs one part; BENCH_SUBS /
 * BENCH_SAT_SUBS / BENCH_SAT_SECONDS shrink them for a quick run.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { Api } from "grammy";
import { createFormatter } from "../src/delivery/formatter.js";
import { createDelivery } from "../src/delivery/index.js";
import type { SendApi } from "../src/delivery/send-api.js";
import { silentLogger } from "../src/log.js";
import type { Item } from "../src/news/item.js";
import { defaultPrefs } from "../src/prefs/preferences.js";
import type { ChatPrefs } from "../src/prefs/types.js";
import { createStores } from "../src/store/index.js";
import { BOUNDS } from "../src/store/keys.js";
import { createRedis } from "../src/store/redis.js";
import { startBotProcess } from "../tests/support/bot-process.js";
import { startFakeTelegram } from "../tests/support/fake-telegram.js";
import { startFeedServer } from "../tests/support/feed-server.js";
import { startPrivateRedis } from "../tests/support/redis.js";
import { rss } from "../tests/support/rss.js";

const ONLY = process.env.BENCH_ONLY;
const SUBS = Number(process.env.BENCH_SUBS ?? 100_000);
const SAT_SUBS = Number(process.env.BENCH_SAT_SUBS ?? 3000);
const SAT_SECONDS = Number(process.env.BENCH_SAT_SECONDS ?? 300);
const TOKEN = "123456:bench-token_abcdefghijklmnopq";
const SOURCES = ["bbc", "apa", "tass", "npr", "dw", "oc", "jam", "civil"];
const LANGS: Record<string, string> = { bbc: "en", apa: "az", tass: "ru", npr: "en", dw: "en", oc: "en", jam: "en", civil: "ru" };

const redisServer = await startPrivateRedis();
process.once("exit", () => redisServer.process.kill("SIGKILL"));
for (const signal of ["SIGINT", "SIGTERM", "SIGPIPE"] as const) process.once(signal, () => process.exit(1));
const redis = createRedis(redisServer.url, { maxRetriesPerRequest: null });
const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info("memory"))![1]);
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** A deterministic mix: 60 % all, 30 % one to four sources, 10 % keyword rules; 20 % digests across them. */
function prefsFor(i: number): ChatPrefs | undefined {
  const p = defaultPrefs();
  const bucket = i % 10;
  if (bucket >= 6 && bucket <= 8) p.sources = SOURCES.slice(i % 5, (i % 5) + 1 + (i % 4));
  if (bucket === 9) p.keywords = { include: ["election", "Bakı"], exclude: ["football"], phrases: ["prime minister"] };
  if (i % 5 === 0) p.mode = i % 2 ? { kind: "every", hours: 3 } : { kind: "daily", at: "08:00" };
  const def = JSON.stringify(defaultPrefs());
  return JSON.stringify(p) === def ? undefined : p;
}

function story(n: number, now: number): Item {
  const src = SOURCES[((n % SOURCES.length) + SOURCES.length) % SOURCES.length]!;
  const topics = [
    "Election results in Baku",
    "Prime minister visits Tbilisi",
    "Football final tonight",
    "Storm hits the coast",
    "Markets fall",
  ];
  return {
    key: `${src}:bench${n}`,
    sourceId: src,
    sourceName: src.toUpperCase(),
    title: `${topics[n % topics.length]} — report ${n}`,
    link: `https://${src}.example/${n}`,
    summary: `What happened in report ${n}, in two sentences. More details follow.`,
    published: new Date(now - (50 - (n % 50)) * 1000).toISOString(),
    seenAt: now,
  };
}

async function scale() {
  const prefix = `tl${randomUUID().slice(0, 6)}:`;
  const stores = createStores(redis, prefix);
  let sent = 0;
  const api: SendApi = {
    sendMessage: async () => ({ ok: true, result: { message_id: 1000 + ++sent } }),
    editMessageText: async (_c, id) => ({ ok: true, result: { message_id: id } }),
  };
  const delivery = createDelivery({
    redis,
    prefix,
    stores,
    api,
    botApi: new Api(TOKEN, { apiRoot: "http://127.0.0.1:9" }),
    format: createFormatter(),
    relatedFor: async () => [],
    langOf: (id) => LANGS[id] ?? "und",
    logger: silentLogger,
    timezone: "UTC",
    rate: 1_000_000,
    paidBroadcast: false,
    paidRate: 1000,
    digestThreshold: 3,
    chatConcurrency: 64,
  });
  // One poll before: the timeline exists, the sources were polled (not a backlog).
  for (const s of SOURCES) await stores.items.ingest(s, []);
  await stores.items.ingest("bbc", [story(-1, Date.now())]);
  await delivery.planner.run();

  const before = await usedMemory();
  for (let from = 0; from < SUBS; from += 1000) {
    const batch: Promise<unknown>[] = [];
    for (let i = from; i < Math.min(SUBS, from + 1000); i++) {
      const chatId = 10_000_000 + i;
      const prefs = prefsFor(i);
      batch.push(
        (async () => {
          await stores.subscribers.add({ chatId, kind: "private", since: Date.now(), ...(prefs ? { prefs } : {}) });
          await stores.chats.start(chatId, await stores.chats.planned());
          if (prefs?.mode.kind === "every" || prefs?.mode.kind === "daily") await stores.chats.dueAt(chatId, Date.now() + 3600_000);
        })(),
      );
    }
    await Promise.all(batch);
  }
  const afterSeed = await usedMemory();
  const perSubscriber = (afterSeed - before) / SUBS;

  // A poll's 50 new stories across the sources.
  const now = Date.now();
  const fresh = Array.from({ length: 50 }, (_, n) => story(n, now));
  for (const s of SOURCES)
    await stores.items.ingest(
      s,
      fresh.filter((f) => f.sourceId === s),
    );
  const afterIngest = await usedMemory();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const report = await delivery.planner.run();
  const cpu = process.cpuUsage(cpu0);
  const planCpuS = (cpu.user + cpu.system) / 1e6;
  const planWallS = (performance.now() - t0) / 1000;
  const afterPlan = await usedMemory();

  // Deliver to every due chat, as fast as this machine goes.
  const t1 = performance.now();
  delivery.start();
  for (;;) {
    const s = await delivery.stats();
    if (s.chats.waiting + s.chats.active === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const deliverS = (performance.now() - t1) / 1000;
  await delivery.close();
  // What a delivery leaves for a while only: the per-chat flood-limit cells expire a minute
  // after their last use (BOUNDS.rateIdleMs). Retained is what stays after that.
  const transient = await usedMemory();
  await new Promise((r) => setTimeout(r, BOUNDS.rateIdleMs + 5000));
  // Expired keys Redis's background expiry has not reached yet are freed when touched: one SCAN.
  let cursor = "0";
  do {
    const [next] = await redis.scan(cursor, "MATCH", "*rate:*", "COUNT", 10_000);
    cursor = next;
  } while (cursor !== "0");
  await redis.call("MEMORY", "PURGE").catch(() => undefined);
  const afterDelivery = await usedMemory();
  // Against memory before this poll's planning: planning's due entries are gone again once delivered.
  const retainedPerMessage = (afterDelivery - afterIngest) / Math.max(1, sent);

  // The same messages as the pre-timeline delivery recorded them, for comparison.
  const oldPrefix = `old${randomUUID().slice(0, 6)}:`;
  const oldBefore = await usedMemory();
  const states = await stores.chats.getMany(Array.from({ length: SUBS }, (_, i) => 10_000_000 + i));
  let oldMessages = 0;
  for (let from = 0; from < SUBS; from += 500) {
    const m = redis.pipeline();
    for (let i = from; i < Math.min(SUBS, from + 500); i++) {
      const st = states[i];
      const got = st?.sent.length ?? 0;
      if (!got) continue;
      oldMessages += got;
      // Every story the chat's message carried: a delivered marker and a message id field.
      for (const f of fresh.slice(0, 8)) {
        m.sadd(`${oldPrefix}delivered:${f.key}`, String(10_000_000 + i)).expire(`${oldPrefix}delivered:${f.key}`, 8 * 86400);
        m.hset(`${oldPrefix}sent:${f.key}`, String(10_000_000 + i), String(1000 + i)).expire(`${oldPrefix}sent:${f.key}`, 8 * 3600);
      }
    }
    await m.exec();
  }
  const oldPerMessage = (await usedMemory()) - oldBefore;

  const out = {
    subscribers: SUBS,
    bytesPerSubscriber: round(perSubscriber),
    ingestBytes: afterIngest - afterSeed,
    planned: report,
    planCpuSeconds: round(planCpuS, 2),
    planWallSeconds: round(planWallS, 2),
    planRedisBytes: afterPlan - afterIngest,
    messagesDelivered: sent,
    deliverSeconds: round(deliverS, 1),
    transientBytesPerMessage: round((transient - afterIngest) / Math.max(1, sent)),
    retainedBytesPerMessage: round(retainedPerMessage),
    oldSchemeBytesPerMessage: round(oldPerMessage / Math.max(1, oldMessages)),
    oldSchemeNote:
      "delivered-set member + sent-hash field for each of (up to) 8 stories a message carried, as the pre-timeline delivery wrote them",
  };
  await redis.eval(`for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end`, 0, `${oldPrefix}*`);
  return out;
}

/** Four made-up words per story from a hash of n: the same for the same n (the feed is rebuilt at every request), shared by no other story. */
function titleFor(n: number): string {
  const L = "bcdfghklmnprstvz";
  const V = "aeiou";
  const h = createHash("sha256").update(`story ${n}`).digest();
  const word = (w: number) =>
    Array.from({ length: 3 }, (_, i) => L[h[w * 6 + i * 2]! % L.length]! + V[h[w * 6 + i * 2 + 1]! % V.length]!).join("");
  return `${word(0)} ${word(1)} ${word(2)} ${word(3)}`;
}

async function saturation() {
  const prefix = `sat${randomUUID().slice(0, 6)}:`;
  const tg = await startFakeTelegram({ globalPerSecond: 30 });
  const feed = await startFeedServer();
  const dir = mkdtempSync(join(tmpdir(), "newsbot-bench-"));
  const sourcesFile = join(dir, "sources.json");
  writeFileSync(sourcesFile, JSON.stringify({ sources: [{ id: "wire", name: "Wire", url: feed.urlFor("/wire.xml"), lang: "en" }] }));
  // The feed: two new stories every 15 s from the bench's start.
  const t0 = Date.now();
  const published = new Map<string, number>();
  feed.set("/wire.xml", () => {
    const ticks = Math.min(Math.floor((Date.now() - t0) / 15_000), SAT_SECONDS / 15);
    const items = [];
    for (let t = 0; t < ticks; t++) {
      for (const j of [0, 1]) {
        const n = t * 2 + j;
        const link = `https://wire.example/${n}`;
        if (!published.has(link)) published.set(link, Date.now());
        items.push({
          // Words no other story shares: no related links or merges, so a message's links are its own stories.
          title: titleFor(n),
          link,
          guid: link,
          pubDate: new Date(t0 + t * 15_000),
        });
      }
    }
    return { body: rss("Wire", items.slice(-40)) };
  });
  for (let from = 0; from < SAT_SUBS; from += 1000) {
    const m = redis.multi();
    for (let i = from; i < Math.min(SAT_SUBS, from + 1000); i++) {
      const chatId = 2_000_000 + i;
      m.hset(`${prefix}subscribers`, String(chatId), JSON.stringify({ chatId, kind: "private", since: Date.now() }));
    }
    await m.exec();
  }
  const bot = startBotProcess({
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    REDIS_URL: redisServer.url,
    REDIS_PREFIX: prefix,
    SOURCES_FILE: sourcesFile,
    ALLOW_PRIVATE_SOURCES: "true",
    POLL_CRON: "*/15 * * * * *",
    LOG_LEVEL: "info",
  });
  const lastStoryAt = t0 + SAT_SECONDS * 1000;
  try {
    await bot.waitForLog((l) => l.msg === "bot: started", 60_000);
    let last = 0;
    const progress = setInterval(() => {
      const n = tg.stats.sent;
      process.stdout.write(`  saturation: ${n - last} msg in the last 15 s, ${n} in all, ${published.size} stories so far\n`);
      last = n;
    }, 15_000);
    const expected = (SAT_SECONDS / 15) * 2;
    const deadline = lastStoryAt + 180_000;
    const storiesOf = () => {
      const got = new Map<number, Map<string, number>>();
      for (const m of tg.allMessages()) {
        if (m.chatId < 2_000_000 || m.chatId >= 2_000_000 + SAT_SUBS) continue;
        let g = got.get(m.chatId);
        if (!g) got.set(m.chatId, (g = new Map()));
        // A card links its story twice (headline, "Read more"): once per message.
        for (const href of new Set(m.links.map((l) => l.href)))
          if (href.startsWith("https://wire.example/")) g.set(href, (g.get(href) ?? 0) + 1);
      }
      return got;
    };
    // Until every chat has every story, or 3 minutes after the last story.
    for (;;) {
      await new Promise((r) => setTimeout(r, 5000));
      if (Date.now() < lastStoryAt) continue;
      const got = storiesOf();
      const complete = got.size === SAT_SUBS && [...got.values()].every((g) => g.size === expected);
      if (complete || Date.now() > deadline) break;
    }
    clearInterval(progress);
    const doneAt = Date.now();
    const got = storiesOf();
    const msgs = tg.allMessages().filter((m) => m.chatId >= 2_000_000 && m.chatId < 2_000_000 + SAT_SUBS);
    const perChat = new Map<number, number>();
    for (const m of msgs) perChat.set(m.chatId, (perChat.get(m.chatId) ?? 0) + 1);
    let missing = 0;
    let duplicates = 0;
    const latencies: number[] = [];
    for (let i = 0; i < SAT_SUBS; i++) {
      const g = got.get(2_000_000 + i) ?? new Map<string, number>();
      missing += expected - g.size;
      for (const c of g.values()) duplicates += c - 1;
    }
    for (const m of msgs)
      for (const href of new Set(m.links.map((l) => l.href))) if (published.has(href)) latencies.push((m.at - published.get(href)!) / 1000);
    latencies.sort((a, b) => a - b);
    const maxMsgs = Math.max(...perChat.values());
    return {
      subscribers: SAT_SUBS,
      seconds: SAT_SECONDS,
      stories: expected,
      messages: msgs.length,
      maxMessagesPerChat: maxMsgs,
      allowedMessagesPerChat: Math.floor(SAT_SECONDS / (SAT_SUBS / 30)) + 2,
      missingStoryChatPairs: missing,
      duplicateStoryChatPairs: duplicates,
      errors429: tg.stats.errors429,
      deliveredWithinSecondsAfterLastStory: round((doneAt - lastStoryAt) / 1000),
      latencyP50s: round(latencies[Math.floor(latencies.length * 0.5)] ?? 0),
      latencyP95s: round(latencies[Math.floor(latencies.length * 0.95)] ?? 0),
      latencyMaxS: round(latencies.at(-1) ?? 0),
    };
  } finally {
    await bot.stop("SIGTERM");
    await tg.close();
    await feed.close();
  }
}

const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}`;
console.log(`bench:timeline on ${machine}`);
if (ONLY !== "saturation") console.log("scale:", JSON.stringify(await scale(), null, 2));
if (ONLY !== "scale") console.log("saturation:", JSON.stringify(await saturation(), null, 2));
await redis.quit();
process.exit(0);
