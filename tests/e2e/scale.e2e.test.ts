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
 * Two bot processes on one Redis work as one bot: each cron tick polls once,
 * each story reaches each subscriber once under one 30/s budget, and only
 * one process long-polls Telegram — the other takes over when it stops.
 */
const TOKEN = "123456:scale-test-token_abcdefghijklmn";
const ALICE = { id: 11, first_name: "Alice" };
const BOB = { id: 12, first_name: "Bob" };
const SUBSCRIBERS = 60;
const FIRST = 200_000;

const { redis, url: redisUrl } = testRedis();
const prefix = `scale${randomUUID().slice(0, 6)}:`;
let tg: FakeTelegram;
let feeds: FeedServer;
const bots: BotProcess[] = [];

afterAll(async () => {
  for (const b of bots) await killHard(b);
  await tg?.close();
  await feeds?.close();
  await redis.quit();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const min = (m: number) => new Date(Date.now() - m * 60_000);
const ticks = (b: BotProcess) => b.logs.filter((l) => l.msg === "poll: tick").map((l) => String(l.slot));

describe("two processes, one bot", () => {
  it("polls each tick once, delivers each story once, long-polls from one process", { timeout: 90_000 }, async () => {
    tg = await startFakeTelegram();
    feeds = await startFeedServer();
    const wire: RssItem[] = [{ guid: "a1", title: "Old story", link: "https://wire.example/old", pubDate: min(30) }];
    feeds.set("/wire.xml", () => ({ body: rss("Wire", wire) }));
    const dir = mkdtempSync(join(tmpdir(), "newsbot-scale-"));
    const sourcesFile = join(dir, "sources.json");
    writeFileSync(sourcesFile, JSON.stringify({ sources: [{ id: "wire", name: "Wire", url: feeds.urlFor("/wire.xml") }] }));
    const env = {
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      SOURCES_FILE: sourcesFile,
      POLL_CRON: "* * * * * *",
      POLL_ON_START: "true",
      // Each process alone at 25/s is fine; two that did not share the budget would send 50/s and meet 429s.
      // (Below the fake's 30/s: this machine runs both bots, the fake and the test runner on 2 cores, and
      // a stalled event loop bunches requests.)
      DELIVERY_RATE: "25",
      DATA_DIR: join(dir, "data"),
      LOG_LEVEL: "debug",
    };
    const m = redis.multi();
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const chatId = FIRST + i;
      m.hset(`${prefix}subscribers`, String(chatId), JSON.stringify({ chatId, kind: "private", since: Date.now() - 60_000 }));
    }
    await m.exec();

    const a = startBotProcess(env);
    const b = startBotProcess(env);
    bots.push(a, b);
    await a.waitForLog((l) => l.msg === "app: started");
    await b.waitForLog((l) => l.msg === "app: started");
    // Both polling on start would be a double poll: one of them does.
    expect([a, b].flatMap((p) => p.logs.filter((l) => l.msg === "poll: on start"))).toHaveLength(1);

    // A story arrives: the 60 subscribers (plus Alice, who subscribes through whichever process leads) get it once.
    tg.sendText(ALICE, "/start");
    await tg.waitFor((msg) => msg.chatId === ALICE.id && msg.visibleText.includes("You are subscribed"));
    wire.unshift({
      guid: "a2",
      title: "Bridge reopens after repairs",
      link: "https://wire.example/bridge",
      description: "Traffic flows again.",
      pubDate: min(0),
    });
    const story = (id: number) => tg.messagesTo(id).filter((msg) => msg.visibleText.includes("Bridge reopens after repairs"));
    const deadline = Date.now() + 20_000;
    while (!Array.from({ length: SUBSCRIBERS }, (_, i) => FIRST + i).every((id) => story(id).length > 0) || story(ALICE.id).length === 0) {
      if (Date.now() > deadline) throw new Error("the story did not reach every subscriber");
      await sleep(50);
    }
    await sleep(3000);
    for (let i = 0; i < SUBSCRIBERS; i++) expect(story(FIRST + i)).toHaveLength(1);
    expect(story(ALICE.id)).toHaveLength(1);

    // Every tick so far ran in exactly one process, and each run fetched the feed once.
    const slotsA = ticks(a);
    const slotsB = ticks(b);
    const all = [...slotsA, ...slotsB];
    expect(all.length).toBeGreaterThan(4);
    expect(new Set(all).size).toBe(all.length);
    const runs = [a, b].reduce((n, p) => n + p.logs.filter((l) => l.msg === "poll: run finished").length, 0);
    expect(feeds.hits("/wire.xml")).toBe(runs);

    // One process long-polls; a reply comes once. It stops: the other takes over.
    const leaders = [a, b].filter((p) => p.logs.some((l) => l.msg === "bot: started"));
    expect(leaders).toHaveLength(1);
    const leader = leaders[0]!;
    const standby = leader === a ? b : a;
    expect(await leader.stop("SIGTERM")).toBe(0);
    await standby.waitForLog((l) => l.msg === "bot: started", 20_000);
    tg.sendText(BOB, "/latest 1");
    await tg.waitFor((msg) => msg.chatId === BOB.id && msg.visibleText.includes("Bridge reopens"), 10_000);
    await sleep(1000);
    expect(tg.messagesTo(BOB.id)).toHaveLength(1);
    expect(tg.messagesTo(ALICE.id).filter((msg) => msg.visibleText.includes("You are subscribed"))).toHaveLength(1);

    // Two getUpdates at once would have been answered 409; one budget means no 429.
    expect(tg.stats.errorsOther).toBe(0);
    expect(tg.stats.errors429).toBe(0);
    expect(tg.stats.errors400).toBe(0);
  });
});
