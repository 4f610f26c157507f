import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandDeps } from "../../src/bot/context.js";
import { createBot } from "../../src/bot/create-bot.js";
import type { Source } from "../../src/config.js";
import { silentLogger } from "../../src/log.js";
import { createNewsService } from "../../src/news/service.js";
import { createSourceAdmin } from "../../src/sources/admin.js";
import { createSourceRegistry } from "../../src/sources/registry.js";
import { createStores } from "../../src/store/index.js";
import { keys } from "../../src/store/keys.js";
import { ApiRecorder, botInfo, callbackUpdate, textUpdate } from "../support/api-recorder.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { testRedis } from "../support/redis-client.js";
import { rss } from "../support/rss.js";

/**
 * The fulltext option as an admin meets it: `/addsource <url> fulltext=never`
 * shows it in the preview and stores it with the source; a word that is no
 * option is refused with the usage; and /sources shows each source's leads of
 * the last 7 days under its health.
 */

const TOKEN = "1:test-token-aaaaaaaaaaaaaaaaaaaa";
const ADMIN = { id: 42, first_name: "Admin" };

const { redis } = testRedis();
let feeds: FeedServer;
const fileSources: Source[] = [];

beforeAll(async () => {
  feeds = await startFeedServer();
  feeds.set("/regional.xml", () => ({
    body: rss("Regional Wire", [{ guid: "r1", title: "Title-only story", link: "https://regional.example/1", pubDate: new Date() }]),
  }));
  fileSources.push(
    { id: "world-wire", name: "World Wire", url: feeds.urlFor("/world.xml"), enabled: true },
    { id: "titles", name: "Titles", url: feeds.urlFor("/titles.xml"), enabled: true, fulltext: "always" },
  );
});
afterAll(async () => {
  await feeds.close();
  await redis.quit();
});

let n = 0;
function setup(files: Source[] = fileSources) {
  const prefix = `leadsrc${++n}-${Date.now()}:`;
  const stores = createStores(redis, prefix);
  const registryAt = () =>
    createSourceRegistry({ redis, keys: keys(prefix), fileSources: files, allowPrivate: true, logger: silentLogger, items: stores.items });
  const registry = registryAt();
  const admin = createSourceAdmin({
    registry,
    health: stores.health,
    fetch: { timeoutMs: 1500, maxBytes: 1024 * 1024 },
    allowPrivate: true,
    logger: silentLogger,
  });
  const rec = new ApiRecorder();
  const bot = createBot({
    token: TOKEN,
    apiRoot: "http://127.0.0.1:9",
    botInfo,
    config: { adminIds: [ADMIN.id], timezone: "UTC" },
    stores,
    news: createNewsService({ items: stores.items, sources: () => registry.cached() }),
    broadcasts: {} as CommandDeps["broadcasts"],
    logger: silentLogger,
    clock: Date.now,
    sourceAdmin: admin,
  });
  rec.install(bot.api);
  const handle = async (u: Update) => {
    await bot.handleUpdate(u);
    await admin.idle();
  };
  const say = (text: string) => handle(textUpdate(ADMIN, text));
  const last = () => rec.sent(ADMIN.id).at(-1)?.text ?? "";
  const press = (data: string) => handle(callbackUpdate(ADMIN, data, { chatId: ADMIN.id, messageId: 101, text: last() }));
  const addButton = () => (rec.sent(ADMIN.id).at(-1)?.reply_markup?.inline_keyboard ?? []).flat()[0]!.callback_data as string;
  return { stores, registry, registryAt, rec, say, last, press, addButton };
}

describe("the fulltext option in the chat", () => {
  it("/addsource <url> fulltext=never: the preview says so, and the source is stored with it", async () => {
    const h = setup();
    await h.say(`/addsource ${feeds.urlFor("/regional.xml")} fulltext=never`);
    const preview = h.last();
    expect(preview).toContain("📰 <b>Regional Wire</b>");
    // Above the closing question.
    expect(preview).toMatch(
      /📄 Its stories never get a lead from their article page \(fulltext=never\)\.\n\nAdd it to the sources\? \(This preview expires in 15 minutes\.\)$/,
    );
    await h.press(h.addButton());
    const added = (await h.registry.list()).find((s) => s.id === "regional-wire");
    expect(added).toMatchObject({ origin: "chat", fulltext: "never" });
    // As stored in Redis: another process reads it back.
    expect((await h.registryAt().list()).find((s) => s.id === "regional-wire")?.fulltext).toBe("never");
  });

  it("without the option nothing is said and the source is auto; fulltext=always is said", async () => {
    const h = setup();
    await h.say(`/addsource ${feeds.urlFor("/regional.xml")}`);
    expect(h.last()).not.toContain("fulltext");
    await h.press(h.addButton());
    expect((await h.registry.list()).find((s) => s.id === "regional-wire")?.fulltext).toBeUndefined();

    const again = setup();
    await again.say(`/addsource fulltext=ALWAYS ${feeds.urlFor("/regional.xml")}`);
    expect(again.last()).toContain(
      "📄 Every new story gets the first sentences of its article page, in place of a shorter summary (fulltext=always).",
    );
  });

  it("/addsource <a source's url> fulltext=…: changes a chat source's, stored for every process; says when it already was", async () => {
    const h = setup();
    await h.say(`/addsource ${feeds.urlFor("/regional.xml")}`);
    await h.press(h.addButton());
    const fetchedBefore = feeds.requests().length;

    await h.say(`/addsource ${feeds.urlFor("/regional.xml")} fulltext=never`);
    expect(h.last()).toBe(
      "Already a source: <b>Regional Wire</b> (<code>regional-wire</code>).\n\n📄 Its stories never get a lead from their article page (fulltext=never). Changed from fulltext=auto.",
    );
    expect((await h.registryAt().list()).find((s) => s.id === "regional-wire")).toMatchObject({ origin: "chat", fulltext: "never" });

    await h.say(`/addsource ${feeds.urlFor("/regional.xml")} fulltext=never`);
    expect(h.last()).toMatch(/\(fulltext=never\)\. It already was\.$/);

    // Back to auto: stored as a source added without the option.
    await h.say(`/addsource fulltext=auto ${feeds.urlFor("/regional.xml")}`);
    expect(h.last()).toContain(
      "📄 A new story without a summary gets the first sentences of its article page (fulltext=auto). Changed from fulltext=never.",
    );
    const back = (await h.registryAt().list()).find((s) => s.id === "regional-wire")!;
    expect(back.fulltext).toBeUndefined();
    expect(back).toMatchObject({ origin: "chat", enabled: true, addedBy: ADMIN.id });
    // A known address is not fetched again.
    expect(feeds.requests().length).toBe(fetchedBefore);
  });

  it("a SOURCES_FILE source's option is the file's: said so, nothing changed; without the option nothing is said", async () => {
    const h = setup();
    await h.say(`/addsource ${feeds.urlFor("/titles.xml")} fulltext=never`);
    expect(h.last()).toBe(
      "Already a source: <b>Titles</b> (<code>titles</code>).\n\nIts fulltext option is set in the sources file (SOURCES_FILE), not from the chat.",
    );
    expect((await h.registry.list()).find((s) => s.id === "titles")?.fulltext).toBe("always");
    await h.say(`/addsource ${feeds.urlFor("/titles.xml")}`);
    expect(h.last()).toBe("Already a source: <b>Titles</b> (<code>titles</code>).");
  });

  it("refuses a word that is no option, with the usage, before fetching anything", async () => {
    const h = setup();
    const before = feeds.requests().length;
    await h.say(`/addsource ${feeds.urlFor("/regional.xml")} fulltext=sometimes`);
    expect(h.last()).toMatch(
      /^"fulltext=sometimes" is not an option of \/addsource\. Usage: \/addsource <url> \[fulltext=auto\|always\|never\]/,
    );
    await h.say(`/addsource ${feeds.urlFor("/regional.xml")} lang=ru`);
    expect(h.last()).toMatch(/^"lang=ru" is not an option of \/addsource\./);
    expect(feeds.requests().length).toBe(before);
  });
});

describe("/sources for admins", () => {
  it("shows the article leads of the last 7 days, and the sources set to always or never", async () => {
    const h = setup();
    const at = Date.now();
    await h.stores.health.recordSuccess("world-wire", { at, newItems: 5, next: null, leads: { fetched: 3, failed: 1 } });
    await h.stores.health.recordSuccess("world-wire", { at, newItems: 1, next: null, leads: { fetched: 1, failed: 0 } });
    await h.stores.health.recordSuccess("titles", { at, newItems: 0, next: null });
    await h.say("/sources");
    const text = h.last();
    expect(text).toContain("📄 <b>Article leads</b>, last 7 days");
    expect(text).toContain("• <code>world-wire</code>: 4 with a lead, 1 without");
    expect(text).toContain("• <code>titles</code>: 0 with a lead, 0 without · <code>fulltext=always</code>");
  });

  it("says nothing of leads when no source had any and none is set to always or never", async () => {
    const h = setup(fileSources.filter((s) => !s.fulltext));
    await h.stores.health.recordSuccess("world-wire", { at: Date.now(), newItems: 2, next: null });
    await h.say("/sources");
    expect(h.last()).toContain("<code>world-wire</code>");
    expect(h.last()).not.toContain("Article leads");
  });
});
