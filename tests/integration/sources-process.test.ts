import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, startBotProcess } from "../support/bot-process.js";
import { type FakeTelegram, inlineButtons, startFakeTelegram } from "../support/fake-telegram.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { testRedis } from "../support/redis-client.js";
import { type RssItem, rss } from "../support/rss.js";

/**
 * The real bot process (src/main.ts → app.ts wiring) against the fake Bot
 * API: an admin adds a site from the chat, and a subscriber gets the site's
 * next story — the new source is polled from the next tick on, without its
 * backlog. ALLOW_PRIVATE_SOURCES is on because the "site" is on 127.0.0.1.
 */

const TOKEN = "123456:SRC-test-token_abcdefghijklmnop";
const ALICE = { id: 21, first_name: "Alice" };
const ADMIN = { id: 42, first_name: "Admin" };
const min = (m: number) => new Date(Date.now() - m * 60_000);

const site: RssItem[] = [1, 2, 3, 4].map((n) => ({
  guid: `s${n}`,
  title: `Valley news item ${n}`,
  link: `https://valley.example/${n}`,
  description: `What happened in the valley, part ${n}.`,
  pubDate: min(60 - n),
}));

const { redis, url: redisUrl } = testRedis();
let tg: FakeTelegram;
let feeds: FeedServer;
let bot: BotProcess | undefined;
let env: Record<string, string>;

beforeAll(async () => {
  tg = await startFakeTelegram();
  feeds = await startFeedServer();
  feeds.set("/wire.xml", () => ({
    body: rss("Wire", [{ guid: "w1", title: "Wire story", link: "https://wire.example/1", pubDate: min(30) }]),
  }));
  feeds.set("/valley.xml", () => ({ body: rss("Valley Gazette", site) }));
  feeds.set("/valley/", {
    contentType: "text/html",
    body: `<!doctype html><html><head><link rel="alternate" type="application/rss+xml" href="/valley.xml"></head><body>Valley Gazette</body></html>`,
  });
  const dir = mkdtempSync(join(tmpdir(), "newsbot-sources-"));
  const sourcesFile = join(dir, "sources.json");
  writeFileSync(sourcesFile, JSON.stringify({ sources: [{ id: "wire", name: "Wire", url: feeds.urlFor("/wire.xml") }] }));
  env = {
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `srcp${randomUUID().slice(0, 6)}:`,
    ADMIN_IDS: String(ADMIN.id),
    SOURCES_FILE: sourcesFile,
    POLL_CRON: "* * * * * *",
    ALLOW_PRIVATE_SOURCES: "true",
    DATA_DIR: join(dir, "data"),
    LOG_LEVEL: "debug",
  };
});

afterAll(async () => {
  await bot?.stop("SIGKILL");
  await tg?.close();
  await feeds?.close();
  await redis.quit();
});

const texts = (chatId: number) => tg.messagesTo(chatId).map((m) => m.visibleText);

describe("sources from the chat, in the running bot", () => {
  it("/addsource → preview → Add (pressed twice) → listed, polled, and its next story delivered", { timeout: 60_000 }, async () => {
    bot = startBotProcess(env);
    await bot.waitForLog((l) => l.msg === "bot: started");
    tg.sendText(ALICE, "/start");
    await tg.waitFor((m) => m.chatId === ALICE.id && m.visibleText.includes("You are subscribed"));

    tg.sendText(ADMIN, `/addsource ${feeds.urlFor("/valley/")}`);
    const preview = await tg.waitFor((m) => m.chatId === ADMIN.id && m.visibleText.startsWith("📰 Valley Gazette"));
    expect(preview.visibleText).toContain("Valley news item 1");
    expect(preview.visibleText).toContain("Valley news item 3");
    expect(preview.visibleText).not.toContain("Valley news item 4");
    const add = inlineButtons(preview).find((b) => b.text.includes("Add")) as { callback_data: string };
    tg.pressButton(ADMIN, preview, add.callback_data);
    tg.pressButton(ADMIN, preview, add.callback_data);
    await tg.waitFor((m) => m.messageId === preview.messageId && m.visibleText.startsWith("✅ Added Valley Gazette (valley-gazette)"));

    // Its first poll is a backlog: stored, nobody messaged.
    await bot.waitForLog((l) => l.msg === "poll: run finished" && (l.backlog as number) >= 4);
    tg.sendText(ADMIN, "/sources");
    const list = await tg.waitFor((m) => m.chatId === ADMIN.id && m.visibleText.startsWith("📡 Sources"));
    expect(list.visibleText).toMatch(/valley-gazette · added in chat\n\s+ok /);

    site.unshift({
      guid: "s5",
      title: "Valley bridge reopens after repairs",
      link: "https://valley.example/5",
      description: "Traffic flows again.",
      pubDate: min(1),
    });
    await tg.waitFor((m) => m.chatId === ALICE.id && m.visibleText.includes("Valley bridge reopens after repairs"), 15_000);
    expect(texts(ALICE.id).filter((t) => t.includes("Valley news item"))).toEqual([]);
    expect(texts(ADMIN.id).filter((t) => t.startsWith("✅ Added"))).toHaveLength(1);
    expect(tg.calls("answerCallbackQuery").map((c) => c.text)).toEqual(
      expect.arrayContaining(["Added.", "This preview has expired or was already answered. Send /addsource again."]),
    );
  });
});
