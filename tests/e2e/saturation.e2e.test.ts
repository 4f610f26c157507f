import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type BotProcess, killHard, startBotProcess } from "../support/bot-process.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { testRedis } from "../support/redis-client.js";
import { type RssItem, rss } from "../support/rss.js";

/**
 * More subscribers than Telegram's 30 msg/s serves at the pace news comes,
 * through the real bot process: 300 chats (a round of them takes 10 s at
 * 30/s), 2 new stories every 3 s for 30 s. Before timelines every chat got a
 * message per poll and the queue fell further behind with each one; now each
 * chat has one pending delivery that takes in whatever arrived while it
 * waited — fewer, fuller messages, every story exactly once.
 */
const TOKEN = "123456:saturation-test-token_abcdefgh";
const SUBSCRIBERS = 300;
const FIRST = 300_000;
const SECONDS = 30;
const EVERY_S = 3;

const { redis, url: redisUrl } = testRedis();
const prefix = `sat${randomUUID().slice(0, 6)}:`;
let tg: FakeTelegram;
let feeds: FeedServer;
let bot: BotProcess | undefined;

afterAll(async () => {
  if (bot) await killHard(bot);
  await tg?.close();
  await feeds?.close();
  await redis.quit();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LETTERS = "bcdfghklmnprstvz";
const VOWELS = "aeiou";
/** A made-up word, e.g. "kovetu". */
function word(): string {
  let w = "";
  for (let i = 0; i < 3; i++)
    w += LETTERS[Math.floor(Math.random() * LETTERS.length)]! + VOWELS[Math.floor(Math.random() * VOWELS.length)]!;
  return w;
}

describe("saturation: more chats than 30 msg/s serves", () => {
  it("sends fewer, fuller messages, each story once to each chat, and catches up", { timeout: 120_000 }, async () => {
    tg = await startFakeTelegram();
    feeds = await startFeedServer();
    const wire: RssItem[] = [];
    feeds.set("/wire.xml", () => ({ body: rss("Wire", wire.slice(-40)) }));
    const dir = mkdtempSync(join(tmpdir(), "newsbot-sat-"));
    const sourcesFile = join(dir, "sources.json");
    writeFileSync(sourcesFile, JSON.stringify({ sources: [{ id: "wire", name: "Wire", url: feeds.urlFor("/wire.xml") }] }));
    // Subscribers as an older version stored them: no preferences, no timeline state.
    const m = redis.multi();
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const chatId = FIRST + i;
      m.hset(`${prefix}subscribers`, String(chatId), JSON.stringify({ chatId, kind: "private", since: Date.now() }));
    }
    await m.exec();
    bot = startBotProcess({
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      SOURCES_FILE: sourcesFile,
      ALLOW_PRIVATE_SOURCES: "true",
      POLL_CRON: `*/${EVERY_S} * * * * *`,
      POLL_ON_START: "true",
      // Below the fake's 30/s: two cores run the bot, the fake and the runner.
      DELIVERY_RATE: "28",
    });
    await bot.waitForLog((l) => l.msg === "bot: started", 30_000);
    await bot.waitForLog((l) => l.msg === "poll: run finished", 15_000);

    const published: string[] = [];
    const start = Date.now();
    for (let n = 0; Date.now() - start < SECONDS * 1000; n += 2) {
      for (const j of [0, 1]) {
        const link = `https://wire.example/${n + j}`;
        // Words no other story shares: no related links, no same-story merge — each message's links are its own stories.
        wire.push({ guid: link, title: `${word()} ${word()} ${word()} ${word()}`, link, pubDate: new Date() });
        published.push(link);
      }
      await sleep(EVERY_S * 1000);
    }
    const lastAt = Date.now();

    // A story's link appears twice in its card (headline, "Read more"): once per message.
    const storiesOf = (chatId: number) =>
      tg
        .messagesTo(chatId)
        .flatMap((msg) => [...new Set(msg.links.map((l) => l.href).filter((h) => h.startsWith("https://wire.example/")))]);
    const everyone = () => {
      for (let i = 0; i < SUBSCRIBERS; i++) if (new Set(storiesOf(FIRST + i)).size < published.length) return false;
      return true;
    };
    while (!everyone() && Date.now() - lastAt < 60_000) await sleep(1000);
    const caughtUpS = (Date.now() - lastAt) / 1000;

    const perChat: number[] = [];
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const chat = FIRST + i;
      const got = storiesOf(chat);
      // Each story exactly once: as a card, or a digest line (a card's own link, counted once).
      const counts = new Map<string, number>();
      for (const h of got) counts.set(h, (counts.get(h) ?? 0) + 1);
      expect([...counts.keys()].sort()).toEqual([...published].sort());
      expect(Math.max(...counts.values())).toBe(1);
      perChat.push(tg.messagesTo(chat).length);
    }
    // A round of all chats takes 300 / 30 = 10 s: at most 30 / 10 + 2 messages each.
    expect(Math.max(...perChat)).toBeLessThanOrEqual(SECONDS / (SUBSCRIBERS / 30) + 2);
    expect(tg.stats.errors429).toBe(0);
    expect(caughtUpS).toBeLessThan(30);
  });
});
