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
import { sleep, waitUntil } from "../support/wait.js";

/**
 * The real bot process against a fake Bot API, a local feed server and the
 * private Redis: what a subscriber and an admin would see, start to finish.
 */
const TOKEN = "123456:E2E-test-token_abcdefghijklmnop";
const ALICE = { id: 11, first_name: "Alice" };
const BOB = { id: 12, first_name: "Bob" };
const CAROL = { id: 13, first_name: "Carol" };
const DAVE = { id: 14, first_name: "Dave" };
const ADMIN = { id: 42, first_name: "Admin" };

const min = (m: number) => new Date(Date.now() - m * 60_000);
const world: RssItem[] = [
  {
    guid: "w1",
    title: "Parliament passes the annual budget",
    link: "https://world.example/budget",
    description: "Lawmakers approved spending after a long debate.",
    pubDate: min(50),
  },
  {
    guid: "w2",
    title: "Storm closes ports along the northern coast",
    link: "https://world.example/storm",
    description: "Ferries were cancelled as winds reached 120 km/h.",
    pubDate: min(40),
  },
  {
    guid: "w3",
    title: "Central bank holds interest rates steady",
    link: "https://world.example/rates",
    description: "The bank kept its key rate at 4.5 percent.",
    pubDate: min(30),
  },
];
const caucasus: RssItem[] = [
  {
    guid: "c1",
    title: "Tbilisi hosts regional trade forum",
    link: "https://caucasus.example/forum",
    description: "Delegations from Armenia and Azerbaijan attended.",
    pubDate: min(45),
  },
  {
    guid: "c2",
    title: "New rail link between Baku and Kars opens for freight",
    link: "https://caucasus.example/rail",
    description: "The first cargo train crossed the border on Monday.",
    pubDate: min(20),
  },
];

const { redis, url: redisUrl } = testRedis();
const prefix = `e2e${randomUUID().slice(0, 6)}:`;
let tg: FakeTelegram;
let feeds: FeedServer;
let bot: BotProcess;
let env: Record<string, string>;

beforeAll(async () => {
  tg = await startFakeTelegram();
  feeds = await startFeedServer();
  feeds.set("/world.xml", () => ({ body: rss("World Wire", world) }));
  feeds.set("/caucasus.xml", () => ({ body: rss("Caucasus Daily", caucasus) }));
  const dir = mkdtempSync(join(tmpdir(), "newsbot-e2e-"));
  const sourcesFile = join(dir, "sources.json");
  writeFileSync(
    sourcesFile,
    JSON.stringify({
      sources: [
        { id: "world-wire", name: "World Wire", url: feeds.urlFor("/world.xml") },
        { id: "caucasus-daily", name: "Caucasus Daily", url: feeds.urlFor("/caucasus.xml"), lang: "en" },
      ],
    }),
  );
  env = {
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    ADMIN_IDS: String(ADMIN.id),
    SOURCES_FILE: sourcesFile,
    POLL_CRON: "* * * * * *",
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
async function waitCount(chatId: number, n: number, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (tg.messagesTo(chatId).length < n) {
    if (Date.now() > deadline)
      throw new Error(`chat ${chatId} has ${tg.messagesTo(chatId).length} messages, wanted ${n}: ${JSON.stringify(texts(chatId))}`);
    await sleep(25);
  }
}
const polled = (l: Record<string, unknown>) => l.msg === "poll: run finished";

describe("newsbot end to end", () => {
  it("runs a whole day in the life of the bot", { timeout: 120_000 }, async () => {
    bot = startBotProcess(env);
    await bot.waitForLog((l) => l.msg === "bot: started");
    const first = await bot.waitForLog((l) => polled(l) && l.backlog === 5);
    expect(first).toMatchObject({ ok: 2, failed: 0, newItems: 0 });
    expect(tg.myCommands().map((c) => c.command)).toEqual(expect.arrayContaining(["start", "latest", "stop", "help", "sources"]));

    // Users subscribe: a welcome with the top headlines, and no backlog flood.
    for (const u of [ALICE, BOB, CAROL, ADMIN]) tg.sendText(u, "/start");
    for (const u of [ALICE, BOB, CAROL, ADMIN]) await waitCount(u.id, 1);
    expect(texts(ALICE.id)[0]).toContain("You are subscribed");
    expect(texts(ALICE.id)[0]).toContain("New rail link between Baku and Kars opens for freight");
    await sleep(1500);
    for (const u of [ALICE, BOB, CAROL, ADMIN]) expect(tg.messagesTo(u.id)).toHaveLength(1);

    // A new story: one message each, with its link, summary and preview.
    world.unshift({
      guid: "w4",
      title: "Magnitude 6.1 earthquake strikes off Japan's northeast coast",
      link: "https://world.example/quake",
      description: "The quake hit off Miyagi prefecture; no tsunami warning was issued.",
      pubDate: min(2),
    });
    for (const u of [ALICE, BOB, CAROL, ADMIN]) await waitCount(u.id, 2);
    const quake = tg.messagesTo(ALICE.id)[1]!;
    expect(quake.visibleText).toContain("Magnitude 6.1 earthquake strikes off Japan's northeast coast");
    expect(quake.visibleText).toContain("The quake hit off Miyagi prefecture; no tsunami warning was issued.");
    expect(quake.links.map((l) => l.href)).toContain("https://world.example/quake");
    expect(quake.linkPreview?.url).toBe("https://world.example/quake");

    // A second outlet reports the same story: no second message, the first one lists it.
    caucasus.unshift({
      guid: "c3",
      title: "Strong 6.1 earthquake shakes northeast Japan, no tsunami warning",
      link: "https://caucasus.example/japan-quake",
      description: "Buildings swayed in Miyagi and Tokyo after the 6.1 magnitude earthquake.",
      pubDate: min(1),
    });
    for (const u of [ALICE, BOB, CAROL, ADMIN]) {
      await waitUntil(
        () => tg.messagesTo(u.id)[1]!.links.some((l) => l.href === "https://caucasus.example/japan-quake"),
        `chat ${u.id}'s story to list the second outlet`,
      );
    }
    expect(quake.visibleText).toContain("Also reported by");
    expect(quake.visibleText).toContain("Caucasus Daily");
    expect(quake.edits).toBe(1);
    await sleep(2500);
    for (const u of [ALICE, BOB, CAROL, ADMIN]) expect(tg.messagesTo(u.id)).toHaveLength(2);

    // /latest works for someone who never subscribed.
    tg.sendText(DAVE, "/latest 3");
    await waitCount(DAVE.id, 1);
    expect(texts(DAVE.id)[0]).toContain("earthquake");
    tg.sendText(DAVE, "/latest many");
    await waitCount(DAVE.id, 2);
    expect(texts(DAVE.id)[1]).toMatch(/^Usage: \/latest/);

    // A non-admin cannot broadcast; the admin confirms and everyone gets it once.
    tg.sendText(CAROL, "/broadcast free pizza");
    await waitCount(CAROL.id, 3);
    expect(texts(CAROL.id)[2]).toContain("only the bot's admins");
    tg.sendText(ADMIN, "/broadcast Polls close at 20:00 <today> & results follow");
    const preview = await tg.waitFor((m) => m.chatId === ADMIN.id && m.visibleText.includes("Broadcast preview"));
    const send = inlineButtons(preview).find((b) => b.text.includes("Send")) as { callback_data: string };
    tg.pressButton(ADMIN, preview, send.callback_data);
    tg.pressButton(ADMIN, preview, send.callback_data);
    await tg.waitFor((m) => m.chatId === ADMIN.id && m.visibleText.includes("Broadcast finished"));
    for (const u of [ALICE, BOB, CAROL]) {
      expect(texts(u.id).filter((t) => t.includes("Polls close at 20:00 <today> & results follow"))).toHaveLength(1);
    }
    expect(texts(DAVE.id).join()).not.toContain("Polls close");

    // Carol blocks the bot, Bob unsubscribes; the next story reaches Alice only once.
    tg.blockUser(CAROL.id);
    tg.sendText(BOB, "/stop");
    await tg.waitFor((m) => m.chatId === BOB.id && m.visibleText.includes("unsubscribed"));
    const bobBefore = tg.messagesTo(BOB.id).length;
    world.unshift({
      guid: "w5",
      title: "Museum returns looted artefacts",
      link: "https://world.example/museum",
      description: "Twelve bronzes went home.",
      pubDate: min(0),
    });
    await tg.waitFor((m) => m.chatId === ALICE.id && m.visibleText.includes("Museum returns looted artefacts"));
    await bot.waitForLog((l) => l.msg === "delivery: chat is gone, unsubscribed" && l.chatId === CAROL.id);
    expect(tg.messagesTo(BOB.id)).toHaveLength(bobBefore);
    // Bob's record stays, stopped (his settings kept for a later /start); Carol blocked the bot and is gone.
    const records = Object.values(await redis.hgetall(`${prefix}subscribers`)).map(
      (r) => JSON.parse(r) as { chatId: number; stopped?: boolean },
    );
    const subs = records
      .filter((r) => !r.stopped)
      .map((r) => r.chatId)
      .sort();
    expect(subs).toEqual([ALICE.id, ADMIN.id].sort());
    expect(records.find((r) => r.chatId === BOB.id)?.stopped).toBe(true);

    // A restart keeps subscribers and sends nothing twice.
    const code = await bot.stop("SIGTERM");
    expect(code).toBe(0);
    const counts = new Map([ALICE, BOB, CAROL, ADMIN].map((u) => [u.id, tg.messagesTo(u.id).length]));
    bot = startBotProcess(env);
    await bot.waitForLog((l) => l.msg === "bot: started");
    await bot.waitForLog(polled);
    await sleep(2000);
    for (const [id, n] of counts) expect(tg.messagesTo(id)).toHaveLength(n);
    world.unshift({
      guid: "w6",
      title: "Marathon record falls in Berlin",
      link: "https://world.example/marathon",
      description: "A new world best by eleven seconds.",
      pubDate: min(0),
    });
    await tg.waitFor((m) => m.chatId === ALICE.id && m.visibleText.includes("Marathon record falls in Berlin"));
    await sleep(2000);
    expect(texts(ALICE.id).filter((t) => t.includes("Marathon record"))).toHaveLength(1);

    // Telegram never had to refuse a message or slow the bot down.
    expect(tg.stats.errors400).toBe(0);
    expect(tg.stats.errors429).toBe(0);
    // The token is a secret: no log line carries it.
    expect(bot.logs.some((l) => JSON.stringify(l).includes(TOKEN))).toBe(false);
  });
});
