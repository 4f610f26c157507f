import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type BotProcess, startBotProcess } from "../support/bot-process.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { testRedis } from "../support/redis-client.js";
import { rss } from "../support/rss.js";

/**
 * A Bot API outage, as an operator sees it: one line when Telegram becomes
 * unreachable, one when it is back, and a user's /start sent during the
 * outage answered within seconds of its end — not after a backoff that
 * doubled while Telegram was away (33 s after a 60 s outage, before).
 */
const TOKEN = "123456:E2E-outage-token_abcdefghijklm";
const ALICE = { id: 21, first_name: "Alice" };
const { redis, url: redisUrl } = testRedis();
let tg: FakeTelegram | undefined;
let feeds: FeedServer | undefined;
let bot: BotProcess | undefined;

afterAll(async () => {
  await bot?.stop("SIGKILL");
  await tg?.close();
  await feeds?.close();
  await redis.quit();
});

describe("when the Bot API goes away and comes back", () => {
  it("says so once each way and answers a waiting user within seconds", { timeout: 60_000 }, async () => {
    tg = await startFakeTelegram();
    feeds = await startFeedServer();
    feeds.set("/world.xml", () => ({ body: rss("World Wire", []) }));
    const dir = mkdtempSync(join(tmpdir(), "newsbot-outage-"));
    const sourcesFile = join(dir, "sources.json");
    writeFileSync(sourcesFile, JSON.stringify({ sources: [{ id: "world-wire", name: "World Wire", url: feeds.urlFor("/world.xml") }] }));
    bot = startBotProcess({
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: `outage${randomUUID().slice(0, 6)}:`,
      SOURCES_FILE: sourcesFile,
      POLL_ON_START: "false",
      DATA_DIR: join(dir, "data"),
      LOG_LEVEL: "info",
    });
    await bot.waitForLog((l) => l.msg === "bot: started");
    await new Promise((r) => setTimeout(r, 500));

    tg.setUnreachable(true);
    await bot.waitForLog((l) => l.msg === "telegram: the Bot API is unreachable; updates and replies wait until it is back", 10_000);
    tg.sendText(ALICE, "/start");
    await new Promise((r) => setTimeout(r, 8000));
    tg.setUnreachable(false);
    const back = Date.now();

    const reply = await tg.waitFor((m) => m.chatId === ALICE.id, 15_000);
    const waited = Date.now() - back;
    expect(reply.visibleText).toContain("You are subscribed");
    // Runner retries every 2 s; a long poll then returns at once with the waiting update.
    expect(waited).toBeLessThan(6000);
    await bot.waitForLog((l) => l.msg === "telegram: the Bot API is reachable again", 5000);
    const outageLines = bot.logs.filter((l) => String(l.msg).startsWith("telegram: the Bot API is"));
    expect(outageLines.map((l) => l.msg)).toEqual([
      "telegram: the Bot API is unreachable; updates and replies wait until it is back",
      "telegram: the Bot API is reachable again",
    ]);
    expect(bot.logs.filter((l) => l.unparsed)).toEqual([]);
  });
});
