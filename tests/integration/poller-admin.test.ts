import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, startBotProcess } from "../support/bot-process.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { testRedis } from "../support/redis-client.js";
import { rss } from "../support/rss.js";

/**
 * The real bot process: a source that keeps failing is disabled and every
 * admin is told — one admin who blocked the bot does not keep the message
 * from the other.
 */
const TOKEN = "123456:poller-admin-test-token_abcdefgh";
const ADMIN = 42;
const BLOCKED_ADMIN = 43;

const { redis, url: redisUrl } = testRedis();
let tg: FakeTelegram;
let feeds: FeedServer;
let bot: BotProcess | undefined;

beforeAll(async () => {
  tg = await startFakeTelegram();
  feeds = await startFeedServer();
});
afterAll(async () => {
  await bot?.stop("SIGKILL");
  await tg.close();
  await feeds.close();
  await redis.quit();
});

describe("a source disabled after too many failures", () => {
  it("tells each admin once, in words an admin can act on", { timeout: 60_000 }, async () => {
    feeds.set("/admin/broken.xml", { status: 503, body: "down for maintenance", contentType: "text/plain" });
    feeds.set("/admin/fine.xml", { body: rss("Fine", [{ guid: "f1", title: "All quiet", link: "https://fine.example/1" }]) });
    const dir = mkdtempSync(join(tmpdir(), "newsbot-admin-"));
    const sourcesFile = join(dir, "sources.json");
    writeFileSync(
      sourcesFile,
      JSON.stringify({
        sources: [
          { id: "broken-wire", name: "Broken Wire", url: feeds.urlFor("/admin/broken.xml") },
          { id: "fine-daily", name: "Fine Daily", url: feeds.urlFor("/admin/fine.xml") },
        ],
      }),
    );
    tg.blockUser(BLOCKED_ADMIN);
    bot = startBotProcess({
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: `padm${randomUUID().slice(0, 6)}:`,
      ADMIN_IDS: `${BLOCKED_ADMIN},${ADMIN}`,
      SOURCES_FILE: sourcesFile,
      SOURCE_MAX_FAILURES: "1",
      POLL_CRON: "0 0 1 1 *",
      DATA_DIR: join(dir, "data"),
      LOG_LEVEL: "debug",
    });
    const run = await bot.waitForLog((l) => l.msg === "poll: run finished", 30_000);
    expect(run).toMatchObject({ ok: 1, failed: 1 });

    const told = await tg.waitFor((m) => m.chatId === ADMIN && m.visibleText.includes("is disabled"), 10_000);
    expect(told.visibleText).toBe(
      `⚠️ Source "Broken Wire" (broken-wire) is disabled: 1 poll in a row failed.\n` +
        `Last error: HTTP 503\n` +
        `Check ${feeds.urlFor("/admin/broken.xml")} and turn it back on with /enablesource broken-wire`,
    );
    await bot.waitForLog((l) => l.msg === "poll: admin message not sent" && l.adminId === BLOCKED_ADMIN);
    expect(tg.messagesTo(ADMIN).filter((m) => m.visibleText.includes("is disabled"))).toHaveLength(1);
  });
});
