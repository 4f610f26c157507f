import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { articlePage, hostilePage } from "../support/article-page.js";
import { type BotProcess, startBotProcess, testBotEnv } from "../support/bot-process.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { testRedis } from "../support/redis-client.js";
import { type RssItem, rss } from "../support/rss.js";

/**
 * The real bot, a title-only feed on the local feed server that also serves
 * its article pages, and a fake Bot API: a reader's card carries the first
 * sentences of the article; a page that hangs, one too big and one that would
 * keep the extraction busy for seconds leave their cards without a lead, and
 * the cards go out on time all the same.
 */

const TOKEN = "123456:E2E-leads-token_abcdefghijklmnop";
const ALICE = { id: 21, first_name: "Alice" };
const LEAD_ONE = "Ferries were cancelled along the northern coast on Tuesday as winds reached 120 km/h, the port authority said.";
const LEAD_TWO = "Officials expect the harbours to reopen on Thursday, once the storm has passed over the mountains.";
const REST = "Fishermen stayed ashore for a third day, and the regional government promised help for lost nets.";

const { redis, url: redisUrl } = testRedis();
let tg: FakeTelegram;
let feeds: FeedServer;
let bot: BotProcess | undefined;
const items: RssItem[] = [];

beforeAll(async () => {
  tg = await startFakeTelegram();
  feeds = await startFeedServer();
  feeds.set("/regional.xml", () => ({ body: rss("Regional Daily", items) }));
});
afterAll(async () => {
  await bot?.stop("SIGKILL");
  await tg?.close();
  await feeds?.close();
  await redis.quit();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitCount(chatId: number, n: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (tg.messagesTo(chatId).length < n) {
    if (Date.now() > deadline)
      throw new Error(
        `chat ${chatId}: ${tg.messagesTo(chatId).length} messages, wanted ${n}: ${JSON.stringify(tg.messagesTo(chatId).map((m) => m.visibleText))}`,
      );
    await sleep(25);
  }
}
const story = (guid: string, title: string, path: string): RssItem => ({ guid, title, link: feeds.urlFor(path), pubDate: new Date() });
const html = (body: string | Uint8Array, extra = {}) => ({ body, contentType: "text/html; charset=utf-8", ...extra });

describe("leads end to end", () => {
  it("a title-only feed's card carries its article's lead; broken pages leave cards without one, on time", {
    timeout: 90_000,
  }, async () => {
    feeds.set("/news/old", html(articlePage({ title: "Old story", paragraphs: [LEAD_ONE] })));
    items.push({ ...story("old", "An old story from yesterday", "/news/old"), pubDate: new Date(Date.now() - 86_400_000) });
    bot = startBotProcess(
      testBotEnv({
        token: TOKEN,
        apiRoot: tg.apiRoot,
        redisUrl,
        prefix: `e2eleads${randomUUID().slice(0, 6)}:`,
        sources: [{ id: "regional", name: "Regional Daily", url: feeds.urlFor("/regional.xml") }],
      }),
    );
    await bot.waitForLog((l) => l.msg === "poll: run finished" && l.backlog === 1, 30_000);
    tg.sendText(ALICE, "/start");
    await waitCount(ALICE.id, 1, 15_000);
    // The backlog was stored, not read: its article was never asked for.
    expect(feeds.hits("/news/old")).toBe(0);

    // A new story with no description: its page is fetched and read, and the card says what happened.
    feeds.set("/news/storm", html(articlePage({ title: "Storm closes ports", paragraphs: [LEAD_ONE, LEAD_TWO, REST] })));
    items.unshift(story("storm", "Storm closes ports along the northern coast", "/news/storm"));
    await waitCount(ALICE.id, 2, 20_000);
    const card = tg.messagesTo(ALICE.id)[1]!.visibleText;
    expect(card).toContain("Storm closes ports along the northern coast");
    expect(card).toContain(`${LEAD_ONE} ${LEAD_TWO}`);
    expect(card).not.toContain(REST);
    expect(feeds.hits("/news/storm")).toBe(1);

    // Three pages that give nothing: one never answers, one is over the size cap, one keeps Readability busy for seconds.
    feeds.set("/news/hang", html(articlePage({ title: "x", paragraphs: [LEAD_ONE] }), { delayMs: 120_000 }));
    feeds.set("/news/huge", html(articlePage({ title: "x", paragraphs: [LEAD_ONE], bytes: 3 * 1024 * 1024 })));
    feeds.set("/news/hostile", html(hostilePage()));
    const from = bot.logs.length;
    const added = Date.now();
    items.unshift(
      story("hang", "Harbour master answers no calls", "/news/hang"),
      story("huge", "Council publishes its whole budget", "/news/huge"),
      story("hostile", "Site redesign goes badly wrong", "/news/hostile"),
    );
    await waitCount(ALICE.id, 5, 30_000);
    const took = Date.now() - added;
    const cards = tg
      .messagesTo(ALICE.id)
      .slice(2)
      .map((m) => m.visibleText);
    for (const title of ["Harbour master answers no calls", "Council publishes its whole budget", "Site redesign goes badly wrong"]) {
      const c = cards.find((text) => text.includes(title));
      expect(c, title).toBeDefined();
      expect(c).not.toContain("Ferries");
      expect(c).not.toContain("Some sentence");
    }
    // The hanging page costs the 5 s fetch timeout and the hostile one the 2 s extraction limit, side by side;
    // the lead deadline (8 s) is the most a poll waits. Add a tick, the fan-out and a loaded machine.
    expect(took).toBeLessThan(15_000);
    const run = await bot.waitForLog((l) => l.msg === "poll: run finished" && l.newItems === 3, 5_000, from);
    expect(run).toMatchObject({ leads: 0, leadsFailed: 3 });
    const why = bot.logs
      .slice(from)
      .filter((l) => l.msg === "leads: no lead")
      .map((l) => `${String(l.url).split("/").pop()}: ${l.why}`)
      .sort();
    expect(why).toEqual(["hang: timeout", "hostile: extract-timeout", "huge: too-large"]);
    expect(run.ms as number).toBeLessThan(9_000);
    expect(bot.errors()).toEqual([]);
  });
});
