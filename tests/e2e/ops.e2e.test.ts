import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeTelegram } from "../support/fake-telegram.js";
import { type ServedBot, startServedBot, until } from "../support/http-process.js";
import { testRedis } from "../support/redis-client.js";
import { rss } from "../support/rss.js";

/**
 * The operator's view of the real process (HTTP_PORT): /healthz, /readyz,
 * /metrics with what the bot knows — subscribers by chat type and language,
 * sources, Redis round trip, Node's own, this process's messages by kind,
 * polls and fan-outs — and /readyz turning 503 when the Bot API goes away.
 */
const { redis, url: redisUrl } = testRedis();
let served: ServedBot;
let tg: FakeTelegram;
let base: string;

beforeAll(async () => {
  served = await startServedBot({
    redisUrl,
    prefix: `ops${randomUUID().slice(0, 6)}:`,
    more: [{ id: "gone-wire", name: "Gone Wire", path: "/missing.xml" }],
  });
  tg = served.tg;
  base = `http://127.0.0.1:${served.port}`;
  await served.bot.waitForLog((l) => l.msg === "poll: run finished", 30_000);
}, 60_000);

afterAll(async () => {
  await served?.close();
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

  it("/metrics counts this process's messages by kind and outcome, its polls and fan-outs, and how long deliveries wait", async () => {
    // The readers of the test above are subscribed; a new story reaches them as a card.
    served.feeds.set("/world.xml", () => ({
      body: rss("World Wire", [
        { guid: "2", title: "Ceasefire agreed in the north", link: "https://world.example/2", pubDate: new Date() },
        { guid: "1", title: "A story", link: "https://world.example/1", pubDate: new Date() },
      ]),
    }));
    await tg.waitFor((m) => m.chatId === 32 && m.visibleText.includes("Ceasefire agreed in the north"), 20_000);
    const text = await until(async () => {
      const body = (await get("/metrics")).body;
      return (sample(body, 'newsbot_messages_total{kind="news",outcome="sent"}') ?? 0) >= 2 ? body : undefined;
    }, "both cards counted");
    // The welcomes of /start went through the bot's client: replies.
    expect(sample(text, 'newsbot_messages_total{kind="reply",outcome="sent"}')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'newsbot_messages_total{kind="news",outcome="blocked"}')).toBe(0);
    expect(sample(text, 'newsbot_messages_total{kind="broadcast",outcome="sent"}')).toBe(0);
    expect(sample(text, "newsbot_poll_duration_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'newsbot_poll_duration_seconds_bucket{le="+Inf"}')).toBe(sample(text, "newsbot_poll_duration_seconds_count"));
    expect(sample(text, 'newsbot_poll_items_total{outcome="new"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, "newsbot_fanout_duration_seconds_count")).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'newsbot_oldest_waiting_seconds{queue="outbox"}')).toBe(0);
    expect(sample(text, 'newsbot_oldest_waiting_seconds{queue="chats"}')).toBeGreaterThanOrEqual(0);
    expect(text).toContain("# TYPE newsbot_messages_total counter");
    expect(text).toContain("# TYPE newsbot_poll_duration_seconds histogram");
  }, 40_000);

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
