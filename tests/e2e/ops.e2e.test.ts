import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, startBotProcess, testBotEnv } from "../support/bot-process.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { testRedis } from "../support/redis-client.js";
import { rss } from "../support/rss.js";

/**
 * The operator's view of the real process (HTTP_PORT): /healthz, /readyz,
 * /metrics with what the bot knows — subscribers by chat type and language,
 * sources, Redis round trip, Node's own — and /readyz turning 503 when the
 * Bot API goes away.
 */
const TOKEN = "123456:E2E-test-token_abcdefghijklmnop";
const { redis, url: redisUrl } = testRedis();
let tg: FakeTelegram;
let feeds: FeedServer;
let bot: BotProcess;
let base: string;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  tg = await startFakeTelegram();
  feeds = await startFeedServer();
  feeds.set("/world.xml", () => ({
    body: rss("World Wire", [{ guid: "1", title: "A story", link: "https://world.example/1", pubDate: new Date() }]),
  }));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  bot = startBotProcess(
    testBotEnv({
      token: TOKEN,
      apiRoot: tg.apiRoot,
      redisUrl,
      prefix: `ops${randomUUID().slice(0, 6)}:`,
      sources: [
        { id: "world-wire", name: "World Wire", url: feeds.urlFor("/world.xml"), lang: "en" },
        { id: "gone-wire", name: "Gone Wire", url: feeds.urlFor("/missing.xml"), lang: "en" },
      ],
      extra: { HTTP_PORT: String(port), HTTP_HOST: "127.0.0.1" },
    }),
  );
  await bot.waitForLog((l) => l.msg === "bot: started", 30_000);
  await bot.waitForLog((l) => l.msg === "poll: run finished", 30_000);
}, 60_000);

afterAll(async () => {
  await bot?.stop("SIGKILL");
  await tg?.close();
  await feeds?.close();
  await redis.quit();
});

const get = async (path: string) => {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: await res.text() };
};

/** the value of one sample line of the Prometheus text, or undefined */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the operator's HTTP server", () => {
  it("/healthz answers, /readyz is ready, anything else is 404", async () => {
    expect(await get("/healthz")).toMatchObject({ status: 200, body: "ok\n" });
    expect(await get("/readyz")).toMatchObject({ status: 200, body: "ready\n" });
    expect((await get("/nope")).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { method: "POST" })).status).toBe(405);
  });

  it("/metrics counts subscribers by chat type and language, sources by state, and Node's own figures", async () => {
    const before = tg.messagesTo(31).length;
    tg.sendText({ id: 31, first_name: "Ivan", language_code: "ru" }, "/start");
    tg.sendText({ id: 32, first_name: "Ann", language_code: "en" }, "/start");
    await until(async () => (tg.messagesTo(31).length > before && tg.messagesTo(32).length > 0 ? true : undefined), "two welcomes");
    const m = await get("/metrics");
    expect(m.status).toBe(200);
    expect(m.type).toContain("text/plain");
    expect(sample(m.body, 'newsbot_subscribers{chat_type="private",language="ru"}')).toBe(1);
    expect(sample(m.body, 'newsbot_subscribers{chat_type="private",language="en"}')).toBe(1);
    expect(sample(m.body, 'newsbot_sources{state="ok"}')).toBe(1);
    expect(sample(m.body, 'newsbot_sources{state="failing"}')).toBe(1);
    expect(sample(m.body, 'newsbot_chat_deliveries{state="active"}')).toBeGreaterThanOrEqual(0);
    expect(sample(m.body, 'newsbot_outbox_jobs{state="waiting"}')).toBe(0);
    expect(sample(m.body, "newsbot_redis_roundtrip_seconds")).toBeGreaterThan(0);
    expect(sample(m.body, "newsbot_telegram_reachable")).toBe(1);
    expect(m.body).toContain("newsbot_process_resident_memory_bytes");
    expect(m.body).not.toContain("newsbot_scrape_errors_total{");
  });

  it("/readyz turns 503, naming Telegram, when the Bot API stops answering; /healthz stays 200", async () => {
    await tg.close();
    const ready = await until(
      async () => {
        const r = await get("/readyz");
        return r.status === 503 ? r : undefined;
      },
      "/readyz to turn 503",
      40_000,
    );
    expect(ready.body).toMatch(/^telegram: /m);
    expect((await get("/healthz")).status).toBe(200);
    expect(sample((await get("/metrics")).body, "newsbot_telegram_reachable")).toBe(0);
  }, 60_000);
});
