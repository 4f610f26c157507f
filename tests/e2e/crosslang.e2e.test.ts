import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LabelledDoc, labelledDocSchema, parseJsonl } from "../../src/news/related/jsonl.js";
import { type BotProcess, startBotProcess } from "../support/bot-process.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { testRedis } from "../support/redis-client.js";
import { type RssItem, rss } from "../support/rss.js";
import { sleep, waitUntil } from "../support/wait.js";

/**
 * The "done when", through the real process: an Azerbaijani, a
 * Russian and an English outlet report Aliyev receiving Georgia's foreign
 * minister (the cross-language fixture's first event) in three polls; the
 * reader gets one card, edited to list the other two outlets, each marked
 * with its language. The same president receiving another guest the same
 * day is a card of its own.
 */
const parsed = parseJsonl<LabelledDoc>(
  readFileSync(new URL("../fixtures/related/crosslang.jsonl", import.meta.url), "utf8"),
  labelledDocSchema,
);
if (!parsed.ok) throw new Error(parsed.error);
const fixture = new Map(parsed.rows.map((d) => [d.id, d]));

const TOKEN = "123456:E2E-test-token_abcdefghijklmnop";
const READER = { id: 21, first_name: "Leyla", language_code: "en" };
const FEEDS = { az: "/apa.xml", ru: "/trend.xml", en: "/report.xml" } as const;
type Lang = keyof typeof FEEDS;

// The fixture's day, moved to the last few hours (same-story needs reports close in time).
const shift = Date.now() - 5 * 3600_000 - Date.parse("2025-03-10T10:00:00Z");
const entry = (id: string): RssItem => {
  const d = fixture.get(id)!;
  return {
    guid: id,
    title: d.title,
    link: d.url!,
    ...(d.description ? { description: d.description } : {}),
    pubDate: new Date(Date.parse(String(d.published)) + shift),
  };
};
/** What each outlet's feed holds: an older story each, so the first poll has a backlog to pass over. */
const feedItems: Record<Lang, RssItem[]> = {
  az: [{ guid: "old-az", title: "Bakıda yeni park açılıb", link: "https://apa.example/old", pubDate: new Date(Date.now() - 86400_000) }],
  ru: [
    {
      guid: "old-ru",
      title: "В Баку открылся новый парк",
      link: "https://trend-ru.example/old",
      pubDate: new Date(Date.now() - 86400_000),
    },
  ],
  en: [{ guid: "old-en", title: "New park opens in Baku", link: "https://report.example/old", pubDate: new Date(Date.now() - 86400_000) }],
};
const publish = (id: string) => feedItems[fixture.get(id)!.lang as Lang].unshift(entry(id));

const { redis, url: redisUrl } = testRedis();
let tg: FakeTelegram;
let feeds: FeedServer;
let bot: BotProcess;

beforeAll(async () => {
  tg = await startFakeTelegram();
  feeds = await startFeedServer();
  feeds.set(FEEDS.az, () => ({ body: rss("APA", feedItems.az) }));
  feeds.set(FEEDS.ru, () => ({ body: rss("Trend", feedItems.ru) }));
  feeds.set(FEEDS.en, () => ({ body: rss("Report.az", feedItems.en) }));
  const dir = mkdtempSync(join(tmpdir(), "newsbot-crosslang-"));
  const sourcesFile = join(dir, "sources.json");
  // fulltext=never: the fixture's English report has no summary, and its article page is not served here.
  writeFileSync(
    sourcesFile,
    JSON.stringify({
      sources: [
        { id: "apa", name: "APA", url: feeds.urlFor(FEEDS.az), lang: "az", fulltext: "never" },
        { id: "trend", name: "Trend", url: feeds.urlFor(FEEDS.ru), lang: "ru", fulltext: "never" },
        { id: "report", name: "Report.az", url: feeds.urlFor(FEEDS.en), lang: "en", fulltext: "never" },
      ],
    }),
  );
  bot = startBotProcess({
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: tg.apiRoot,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `e2e${randomUUID().slice(0, 6)}:`,
    SOURCES_FILE: sourcesFile,
    POLL_CRON: "* * * * * *",
    DATA_DIR: join(dir, "data"),
    LOG_LEVEL: "debug",
  });
});

afterAll(async () => {
  await bot?.stop("SIGKILL");
  await tg?.close();
  await feeds?.close();
  await redis.quit();
});

const cards = () => tg.messagesTo(READER.id).slice(1); // after the welcome
/** Waits for a poll that stores a new story, from now on. */
const nextNewsPoll = () => bot.waitForLog((l) => l.msg === "poll: run finished" && Number(l.newItems) > 0, 15_000, bot.logs.length);

describe("stories linked across languages, end to end", () => {
  it("an Azerbaijani, a Russian and an English report of one event reach the reader as one card", { timeout: 90_000 }, async () => {
    await bot.waitForLog((l) => l.msg === "poll: run finished" && l.backlog === 3);
    tg.sendText(READER, "/start");
    await waitUntil(() => tg.messagesTo(READER.id).length === 1, "the welcome");

    publish("x01-az");
    await waitUntil(() => cards().length === 1, "the first report's card");
    expect(cards()[0]!.visibleText.split("\n")[0]).toBe(fixture.get("x01-az")!.title);

    // The other two, each in a poll of its own: the card is edited, no new message.
    const ruPolled = nextNewsPoll();
    publish("x01-ru");
    await ruPolled;
    publish("x01-en");
    await waitUntil(
      () => ["x01-ru", "x01-en"].every((id) => cards()[0]!.links.some((l) => l.href === fixture.get(id)!.url)),
      "the card to list the Russian and the English report",
    );
    const card = cards()[0]!;
    expect(card.visibleText).toContain("Also reported by");
    expect(card.visibleText).toContain("Trend (ru)");
    expect(card.visibleText).toContain("Report.az (en)");
    // Its own outlet is not among the others.
    expect(card.visibleText).not.toMatch(/Also reported by[^\n]*APA/);
    expect(bot.errors()).toEqual([]);

    // The same president, the same day, another guest: a card of its own, which its English report joins.
    publish("d01-az");
    await waitUntil(() => cards().length === 2, "the near miss's own card");
    publish("d01-en");
    await waitUntil(() => cards()[1]!.links.some((l) => l.href === fixture.get("d01-en")!.url), "the near miss's English report");
    await sleep(1500);
    expect(cards()).toHaveLength(2);
    expect(cards()[0]!.links.map((l) => l.href)).not.toContain(fixture.get("d01-en")!.url);
    expect(tg.stats.errors400).toBe(0);
  });
});
