import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, startBotProcess, testBotEnv } from "../support/bot-process.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { freePort, until } from "../support/http-process.js";
import { testRedis } from "../support/redis-client.js";
import { rss } from "../support/rss.js";

/**
 * Two bot processes in webhook mode on one Redis, as behind a load
 * balancer: updates posted to each in turn (and some posted to both, as a
 * retry landing elsewhere) — every command answered once, setWebhook called
 * once, and the per-process webhook counters add up to what was posted;
 * a new story reaches every subscriber once, and the per-process news
 * counters add up to one message per subscriber.
 */
const TOKEN = "123456:E2E-test-token_abcdefghijklmnop";
const SECRET = "scale_out-secret";
const { redis, url: redisUrl } = testRedis();
let tg: FakeTelegram;
let feeds: FeedServer;
const bots: BotProcess[] = [];
const bases: string[] = [];
const prefix = `scale${randomUUID().slice(0, 6)}:`;

beforeAll(async () => {
  tg = await startFakeTelegram();
  feeds = await startFeedServer();
  feeds.set("/world.xml", () => ({
    body: rss("World Wire", [{ guid: "1", title: "A story", link: "https://w.example/1", pubDate: new Date() }]),
  }));
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    bases.push(`http://127.0.0.1:${port}`);
    bots.push(
      startBotProcess(
        testBotEnv({
          token: TOKEN,
          apiRoot: tg.apiRoot,
          redisUrl,
          prefix,
          sources: [{ id: "world-wire", name: "World Wire", url: feeds.urlFor("/world.xml"), lang: "en" }],
          extra: {
            BOT_MODE: "webhook",
            // One public URL for both, as a load balancer gives them.
            WEBHOOK_URL: "https://bot.example/telegram/hook",
            WEBHOOK_SECRET: SECRET,
            HTTP_PORT: String(port),
            HTTP_HOST: "127.0.0.1",
          },
        }),
      ),
    );
  }
  await Promise.all(bots.map((b) => b.waitForLog((l) => l.msg === "bot: started", 30_000)));
}, 60_000);

afterAll(async () => {
  for (const b of bots) await b.stop("SIGKILL");
  await tg?.close();
  await feeds?.close();
  await redis.quit();
});

let updateId = 9000;
const command = (userId: number, text: string) => ({
  update_id: ++updateId,
  message: {
    message_id: updateId,
    date: Math.floor(Date.now() / 1000),
    chat: { id: userId, type: "private", first_name: "U" },
    from: { id: userId, is_bot: false, first_name: "U", language_code: "en" },
    text,
    entities: [{ type: "bot_command", offset: 0, length: text.length }],
  },
});
const post = (base: string, body: unknown) =>
  fetch(`${base}/telegram/hook`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
    body: JSON.stringify(body),
  });
const sample = async (base: string, series: string) => {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.split(" ")[1]) : 0;
};
const accepted = (base: string) => sample(base, 'newsbot_webhook_posts_total{outcome="accepted"}');

describe("two webhook processes on one Redis", () => {
  it("set the webhook once between them", () => {
    expect(tg.webhookCalls()).toHaveLength(1);
  });

  it("answer every command once, wherever it is posted, retries included; their counters add up", async () => {
    const users = Array.from({ length: 10 }, (_, i) => 700 + i);
    const updates = users.map((u) => command(u, "/start"));
    // Alternately, side by side.
    const answers = await Promise.all(updates.map((u, i) => post(bases[i % 2]!, u)));
    expect(answers.map((a) => a.status)).toEqual(users.map(() => 200));
    // Telegram retrying the first three at the other process: handled once already.
    for (let i = 0; i < 3; i++) expect((await post(bases[(i + 1) % 2]!, updates[i])).status).toBe(200);

    await until(() => (users.every((u) => tg.messagesTo(u).length >= 1) ? true : undefined), "a welcome for each user");
    await new Promise((r) => setTimeout(r, 500));
    expect(users.map((u) => tg.messagesTo(u).length)).toEqual(users.map(() => 1));
    const [a, b] = await Promise.all(bases.map(accepted));
    expect(a! + b!).toBe(13);
    expect(a).toBeGreaterThanOrEqual(5);
    expect(b).toBeGreaterThanOrEqual(5);
    expect(await redis.hlen(`${prefix}subscribers`)).toBe(10);
  });

  it("deliver a new story to every subscriber once between them; their news counters add up", async () => {
    const users = Array.from({ length: 10 }, (_, i) => 700 + i);
    feeds.set("/world.xml", () => ({
      body: rss("World Wire", [
        { guid: "2", title: "Ceasefire talks resume in Geneva", link: "https://w.example/2", pubDate: new Date() },
        { guid: "1", title: "A story", link: "https://w.example/1", pubDate: new Date(Date.now() - 60_000) },
      ]),
    }));
    const got = (u: number) => tg.messagesTo(u).filter((m) => m.text.includes("Ceasefire talks resume")).length;
    await until(() => (users.every((u) => got(u) >= 1) ? true : undefined), "the new story for each subscriber", 30_000);
    // Several polls later (one a second), still once each.
    await new Promise((r) => setTimeout(r, 3000));
    expect(users.map(got)).toEqual(users.map(() => 1));
    const sent = await Promise.all(bases.map((b) => sample(b, 'newsbot_messages_total{kind="news",outcome="sent"}')));
    expect(sent[0]! + sent[1]!).toBe(10);
  }, 60_000);
});
