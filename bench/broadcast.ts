/**
 * npm run bench:broadcast — a broadcast to 10,000 subscribers through the real
 * bot process, against the fake Bot API:
 *
 *  1. Telegram's free limit (the fake enforces 30 msg/s in any sliding second,
 *     1/s per chat after a burst): achieved rate, 429s, lost, duplicates.
 *  2. Paid broadcast (PAID_BROADCAST=true, the fake raised to 1,000 msg/s):
 *     the rate this machine reaches.
 *  3. Redis memory per queued message (10,000 jobs added, no worker running).
 *
 * Everything runs locally: a private redis-server, the fake Bot API in this
 * process, the bot as a child process (as `npm start` runs it). Takes about
 * 6 minutes, most of it phase 1 (10,000 / 30 per second ≈ 5.6 min).
 * BENCH_N=2000 for a quick run; BENCH_ONLY=free or BENCH_ONLY=paid runs one phase.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { createOutbox } from "../src/delivery/outbox.js";
import { keys } from "../src/store/keys.js";
import { createRedis } from "../src/store/redis.js";
import { startBotProcess } from "../tests/support/bot-process.js";
import { type FakeTelegram, inlineButtons, startFakeTelegram } from "../tests/support/fake-telegram.js";
import { startPrivateRedis } from "../tests/support/redis.js";

const N = Number(process.env.BENCH_N ?? 10_000);
const FIRST = 1_000_000;
const ADMIN = { id: 42, first_name: "Admin" };
const TOKEN = "123456:bench-token_abcdefghijklmnopq";
const TEXT = "Benchmark broadcast: storm warning for the northern coast";

const redisServer = await startPrivateRedis();
// However the run ends (an error, Ctrl-C, a closed pipe), the private redis-server goes with it.
process.once("exit", () => redisServer.process.kill("SIGKILL"));
for (const signal of ["SIGINT", "SIGTERM", "SIGPIPE"] as const) process.once(signal, () => process.exit(1));
const redis = createRedis(redisServer.url, { maxRetriesPerRequest: null });
const dir = mkdtempSync(join(tmpdir(), "newsbot-bench-"));
const sourcesFile = join(dir, "sources.json");
// A source nobody polls during the run (POLL_ON_START=false, a yearly cron).
writeFileSync(sourcesFile, JSON.stringify({ sources: [{ id: "none", name: "None", url: "http://127.0.0.1:9/feed.xml" }] }));

function maxInWindow(times: number[], windowMs: number): number {
  const s = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < s.length; i++) {
    while (s[i]! - s[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

async function seed(prefix: string): Promise<void> {
  for (let from = 0; from < N; from += 1000) {
    const m = redis.multi();
    for (let i = from; i < Math.min(N, from + 1000); i++) {
      const chatId = FIRST + i;
      m.hset(`${prefix}subscribers`, String(chatId), JSON.stringify({ chatId, kind: "private", since: Date.now() }));
    }
    await m.exec();
  }
}

interface RunResult {
  sent: number;
  lost: number;
  duplicates: number;
  errors429: number;
  /** msg/s between the first and the last accepted broadcast message */
  rate: number;
  /** msg/s from the Send press to the last message */
  rateFromSend: number;
  maxInAnySecond: number;
  seconds: number;
}

async function run(label: string, tg: FakeTelegram, env: Record<string, string>): Promise<RunResult> {
  const prefix = `bench${randomUUID().slice(0, 6)}:`;
  await seed(prefix);
  const bot = startBotProcess({
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    REDIS_URL: redisServer.url,
    REDIS_PREFIX: prefix,
    ADMIN_IDS: String(ADMIN.id),
    SOURCES_FILE: sourcesFile,
    POLL_CRON: "0 0 1 1 *",
    POLL_ON_START: "false",
    DATA_DIR: join(dir, "data"),
    LOG_LEVEL: "info",
    ...env,
  });
  try {
    await bot.waitForLog((l) => l.msg === "bot: started", 30_000);
    tg.sendText(ADMIN, `/broadcast ${TEXT}`);
    const preview = await tg.waitFor((m) => m.chatId === ADMIN.id && m.visibleText.includes("Broadcast preview"), 10_000);
    const send = inlineButtons(preview).find((b) => b.text.includes("Send")) as { callback_data: string };
    const pressed = Date.now();
    tg.pressButton(ADMIN, preview, send.callback_data);
    let last = 0;
    const progress = setInterval(() => {
      const n = tg.stats.sent;
      process.stdout.write(`  ${label}: ${n - last} msg in the last 10 s, ${n} accepted in all\n`);
      last = n;
    }, 10_000);
    await tg.waitFor((m) => m.chatId === ADMIN.id && m.visibleText.startsWith("📢 Broadcast finished"), 3_600_000);
    clearInterval(progress);
    await new Promise((r) => setTimeout(r, 1000));

    const msgs = tg.allMessages().filter((m) => m.chatId >= FIRST && m.chatId < FIRST + N && m.visibleText.includes(TEXT));
    const per = new Map<number, number>();
    for (const m of msgs) per.set(m.chatId, (per.get(m.chatId) ?? 0) + 1);
    const times = msgs.map((m) => m.at).sort((a, b) => a - b);
    const span = (times.at(-1)! - times[0]!) / 1000;
    return {
      sent: msgs.length,
      lost: N - per.size,
      duplicates: [...per.values()].reduce((s, c) => s + c - 1, 0),
      errors429: tg.stats.errors429,
      rate: Math.round(((msgs.length - 1) / span) * 100) / 100,
      rateFromSend: Math.round((msgs.length / ((times.at(-1)! - pressed) / 1000)) * 100) / 100,
      maxInAnySecond: maxInWindow(
        tg.allMessages().map((m) => m.at),
        1000,
      ),
      seconds: Math.round(span * 10) / 10,
    };
  } finally {
    await bot.stop("SIGTERM");
  }
}

/** Redis memory taken by N queued broadcast jobs (no worker running), per job. */
async function memoryPerQueuedMessage(): Promise<{ bytesPerJob: number; jobs: number }> {
  const prefix = `benchmem${randomUUID().slice(0, 6)}:`;
  const outbox = createOutbox(redis, keys(prefix).bullPrefix());
  await outbox.queue.waitUntilReady();
  const used = async () => Number(/used_memory:(\d+)/.exec(await redis.info("memory"))![1]);
  await outbox.add([{ kind: "broadcast", id: "warmup000000", chatId: 1 }]);
  const before = await used();
  await outbox.add(Array.from({ length: N }, (_, i) => ({ kind: "broadcast" as const, id: "0123456789ab", chatId: FIRST + i })));
  const after = await used();
  await outbox.queue.obliterate({ force: true });
  await outbox.close();
  return { bytesPerJob: Math.round((after - before) / N), jobs: N };
}

const machine = { nproc: cpus().length, cpu: cpus()[0]?.model ?? "unknown", node: process.version };
console.log(`machine: ${machine.nproc} × ${machine.cpu}, node ${machine.node}; ${N} subscribers`);

const only = process.env.BENCH_ONLY;
let tg: FakeTelegram;
let free: RunResult | null = null;
if (!only || only === "free") {
  console.log("1. free limit: the fake enforces 30 msg/s; DELIVERY_RATE=30");
  tg = await startFakeTelegram({ globalPerSecond: 30 });
  free = await run("free", tg, { DELIVERY_RATE: "30" });
  await tg.close();
  console.log(`   ${JSON.stringify(free)}`);
}

let paid: RunResult | null = null;
if (!only || only === "paid") {
  console.log("2. paid broadcast: the fake allows 1,000 msg/s; PAID_BROADCAST=true");
  tg = await startFakeTelegram({ globalPerSecond: 1000 });
  paid = await run("paid", tg, { DELIVERY_RATE: "30", PAID_BROADCAST: "true", PAID_BROADCAST_RATE: "1000" });
  await tg.close();
  console.log(`   ${JSON.stringify(paid)}`);
}

console.log("3. Redis memory per queued message");
const memory = await memoryPerQueuedMessage();
console.log(`   ${JSON.stringify(memory)}`);

console.log(
  JSON.stringify({
    machine,
    subscribers: N,
    free: free && { ...free, targets: { rate: ">= 28.5", errors429: 0, lost: 0, duplicates: 0 } },
    paid: paid && { ...paid, target: ">= 800 msg/s" },
    memory,
  }),
);
await redis.quit();
await redisServer.stop();
process.exit(0);
