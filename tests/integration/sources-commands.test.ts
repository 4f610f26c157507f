import { InputFile } from "grammy";
import type { Update } from "grammy/types";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { COMMANDS } from "../../commands/index.js";
import { ADMIN_ONLY, type CommandDeps } from "../../src/bot/context.js";
import { createBot } from "../../src/bot/create-bot.js";
import type { Source } from "../../src/config.js";
import { english } from "../../src/i18n/translator.js";
import { silentLogger } from "../../src/log.js";
import { createNewsService } from "../../src/news/service.js";
import { createPoller } from "../../src/poll/poller.js";
import { createSourceAdmin, type SourceAdmin } from "../../src/sources/admin.js";
import { createSourceRegistry, type SourceRegistry } from "../../src/sources/registry.js";
import { createStores, type Stores } from "../../src/store/index.js";
import { keys } from "../../src/store/keys.js";
import { ApiRecorder, botInfo, callbackUpdate, textUpdate } from "../support/api-recorder.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { testRedis } from "../support/redis-client.js";
import { type RssItem, rss } from "../support/rss.js";

/**
 * The source commands as an admin and a user meet them: the real bot
 * (handlers, Redis, registry, discovery over HTTP to the local feed server,
 * the real poller), with Telegram replaced by grammY's API transformer.
 */

const TOKEN = "1:test-token-aaaaaaaaaaaaaaaaaaaa";
const ADMIN_ONLY_TEXT = english()(ADMIN_ONLY);
const ADMIN = { id: 42, first_name: "Admin" };
const BOB = { id: 8, first_name: "Bob" };
const now = Date.now();
const min = (m: number) => new Date(now - m * 60_000);

const siteStories: RssItem[] = [1, 2, 3, 4, 5].map((n) => ({
  guid: `site-${n}`,
  title: `Site story ${n}: A < B & C`,
  link: `https://site.example/story-${n}`,
  description: `Summary of site story ${n}.`,
  pubDate: min(10 * n),
}));

const { redis } = testRedis();
let feeds: FeedServer;
let fileSources: Source[];

beforeAll(async () => {
  feeds = await startFeedServer();
  feeds.set("/site.xml", () => ({ body: rss("Site Daily", siteStories) }));
  feeds.set("/site/", {
    contentType: "text/html; charset=utf-8",
    body: `<!doctype html><html><head><link rel="alternate" type="application/rss+xml" title="Site Daily" href="/site.xml"></head><body>Home</body></html>`,
  });
  feeds.set("/world.xml", () => ({
    body: rss("World Wire", [{ guid: "w1", title: "World story", link: "https://world.example/1", pubDate: min(5) }]),
  }));
  feeds.set("/photo.jpg", { body: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), contentType: "image/jpeg" });
  feeds.set("/slow.xml", { delayMs: 3000, body: "x" });
  fileSources = [{ id: "world-wire", name: "World Wire", url: feeds.urlFor("/world.xml"), enabled: true }];
});

afterAll(async () => {
  await feeds.close();
  await redis.quit();
});

let n = 0;
let updateId = 5_000_000;

interface Harness {
  bot: { handleUpdate: (u: Update) => Promise<void> };
  /** the bot itself: handleUpdate returns without waiting for detached work */
  raw: ReturnType<typeof createBot>;
  rec: ApiRecorder;
  stores: Stores;
  registry: SourceRegistry;
  admin: SourceAdmin;
  poll: () => ReturnType<ReturnType<typeof createPoller>["poll"]>;
}

function setup(opts: { allowPrivate?: boolean; files?: Source[]; apiRoot?: string; prefix?: string } = {}): Harness {
  const prefix = opts.prefix ?? `srccmd${++n}-${now}:`;
  const stores = createStores(redis, prefix);
  const registry = createSourceRegistry({
    redis,
    keys: keys(prefix),
    fileSources: opts.files ?? fileSources,
    allowPrivate: opts.allowPrivate ?? true,
    logger: silentLogger,
    items: stores.items,
    onRemoved: (id) => stores.health.forget(id),
  });
  const news = createNewsService({ items: stores.items, sources: () => registry.cached() });
  const rec = new ApiRecorder();
  const admin = createSourceAdmin({
    registry,
    health: stores.health,
    fetch: { timeoutMs: 1500, maxBytes: 1024 * 1024 },
    allowPrivate: opts.allowPrivate ?? true,
    logger: silentLogger,
  });
  // Discovery and downloads run detached from the update; a test waits for them like a user would.
  const handle = async (u: Update) => {
    await bot.handleUpdate(u);
    await admin.idle();
  };
  const bot = createBot({
    token: TOKEN,
    apiRoot: opts.apiRoot ?? "http://127.0.0.1:9",
    botInfo,
    config: { adminIds: [ADMIN.id], timezone: "UTC" },
    stores,
    news,
    // Source commands never broadcast.
    broadcasts: {} as CommandDeps["broadcasts"],
    logger: silentLogger,
    clock: Date.now,
    sourceAdmin: admin,
  });
  rec.install(bot.api);
  const poller = createPoller({
    sources: () => registry.refresh(),
    guardFor: (s) => registry.guardFor(s.id),
    items: stores.items,
    health: stores.health,
    logger: silentLogger,
    fetch: { timeoutMs: 1500, maxBytes: 1024 * 1024 },
    concurrency: 4,
    maxFailures: 5,
    politeness: { perHost: 8, spacingMs: 0, jitterMs: 0 },
  });
  return { bot: { handleUpdate: handle }, raw: bot, rec, stores, registry, admin, poll: () => poller.poll() };
}

const say = (h: Harness, from: { id: number; first_name?: string }, text: string) => h.bot.handleUpdate(textUpdate(from, text));
const replies = (h: Harness, chatId: number) => h.rec.sent(chatId).map((m) => m.text);
const last = (h: Harness, chatId: number) => replies(h, chatId).at(-1) ?? "";

function buttons(h: Harness, chatId: number): Array<{ text: string; callback_data: string }> {
  const msg = h.rec.sent(chatId).at(-1);
  return (msg?.reply_markup?.inline_keyboard ?? []).flat();
}

function press(h: Harness, from: { id: number }, data: string) {
  const preview = h.rec.sent(ADMIN.id).at(-1)!;
  return h.bot.handleUpdate(callbackUpdate(from, data, { chatId: ADMIN.id, messageId: 101, text: preview.text }));
}

const answers = (h: Harness) => h.rec.calls.filter((c) => c.method === "answerCallbackQuery").map((c) => c.payload.text as string);
const edits = (h: Harness) => h.rec.calls.filter((c) => c.method === "editMessageText").map((c) => c.payload.text as string);

describe("/addsource", () => {
  let h: Harness;
  beforeEach(() => {
    h = setup();
  });

  it("finds the feed behind a site's page, previews 3 stories, and on Add the source is listed and polled at the next tick", async () => {
    await say(h, ADMIN, `/addsource ${feeds.urlFor("/site/")}`);
    const preview = last(h, ADMIN.id);
    expect(preview).toContain("📰 <b>Site Daily</b>");
    expect(preview).toContain(feeds.urlFor("/site.xml"));
    expect(preview).toContain("found through the page's feed link");
    expect(preview).toContain("5 stories in the feed now");
    expect(preview).toContain("<code>site-daily</code>");
    // titles are escaped, three shown, linked to the stories
    expect(preview).toContain('<a href="https://site.example/story-1">Site story 1: A &lt; B &amp; C</a>');
    expect(preview).toContain("Site story 3");
    expect(preview).not.toContain("Site story 4");
    expect(buttons(h, ADMIN.id).map((b) => b.text)).toEqual(["✅ Add", "✖️ Cancel"]);
    expect(h.rec.sent(ADMIN.id).at(-1)?.parse_mode).toBe("HTML");

    // Not listed before Add
    await say(h, BOB, "/sources");
    expect(last(h, BOB.id)).not.toContain("Site Daily");

    await press(h, ADMIN, buttons(h, ADMIN.id)[0]!.callback_data);
    expect(answers(h).at(-1)).toBe("Added.");
    expect(edits(h).at(-1)).toMatch(/^✅ Added <b>Site Daily<\/b> \(<code>site-daily<\/code>\)\.\nIt is polled from the next tick on\./);

    await say(h, BOB, "/sources");
    expect(last(h, BOB.id)).toContain("Site Daily");
    await say(h, ADMIN, "/sources");
    expect(last(h, ADMIN.id)).toMatch(/🆕 <b>Site Daily<\/b> <code>site-daily<\/code> · added in chat\n\s+not polled yet/);

    const hitsBefore = feeds.hits("/site.xml");
    const report = await h.poll();
    expect(report.failed).toBe(0);
    expect(feeds.hits("/site.xml")).toBe(hitsBefore + 1);
    const stored = await h.stores.items.latest(20);
    expect(
      stored
        .filter((i) => i.sourceId === "site-daily")
        .map((i) => i.title)
        .sort(),
    ).toEqual(siteStories.map((s) => s.title).sort());

    await say(h, ADMIN, "/sources");
    expect(last(h, ADMIN.id)).toMatch(/✅ <b>Site Daily<\/b> <code>site-daily<\/code> · added in chat\n\s+ok just now · 0\/day/);
  });

  it("adds once when Add is pressed twice, one after the other or at the same moment", async () => {
    await say(h, ADMIN, `/addsource ${feeds.urlFor("/site.xml")}`);
    const add = buttons(h, ADMIN.id)[0]!.callback_data;
    await Promise.all([press(h, ADMIN, add), press(h, ADMIN, add)]);
    await press(h, ADMIN, add);
    expect(answers(h).filter((a) => a === "Added.")).toHaveLength(1);
    expect(answers(h).filter((a) => /expired or was already answered|already a source/i.test(a))).toHaveLength(2);
    expect((await h.registry.list()).filter((s) => s.url === feeds.urlFor("/site.xml"))).toHaveLength(1);
  });

  it("Cancel adds nothing, and Add afterwards is refused", async () => {
    await say(h, ADMIN, `/addsource ${feeds.urlFor("/site.xml")}`);
    const [add, cancel] = buttons(h, ADMIN.id);
    await press(h, ADMIN, cancel!.callback_data);
    expect(edits(h).at(-1)).toBe("✖️ Not added.");
    await press(h, ADMIN, add!.callback_data);
    expect(answers(h).at(-1)).toBe("This preview has expired or was already answered. Send /addsource again.");
    expect((await h.registry.list()).map((s) => s.id)).toEqual(["world-wire"]);
  });

  it("refuses non-admins, for the command and for the buttons", async () => {
    const requests = feeds.requests().length;
    await say(h, BOB, `/addsource ${feeds.urlFor("/site.xml")}`);
    expect(last(h, BOB.id)).toBe("Sorry, only the bot's admins can do that.");
    expect(feeds.requests().length).toBe(requests);
    await say(h, ADMIN, `/addsource ${feeds.urlFor("/site.xml")}`);
    await press(h, BOB, buttons(h, ADMIN.id)[0]!.callback_data);
    expect(h.rec.calls.filter((c) => c.method === "answerCallbackQuery").at(-1)?.payload).toMatchObject({
      text: "Sorry, only the bot's admins can do that.",
      show_alert: true,
    });
    expect((await h.registry.list()).map((s) => s.id)).toEqual(["world-wire"]);
    for (const cmd of ["/rmsource world-wire", "/enablesource world-wire", "/opml"]) {
      await say(h, BOB, cmd);
      expect(last(h, BOB.id)).toMatch(/^Sorry, only the bot's admins can/);
    }
    expect(h.registry.cached().find((s) => s.id === "world-wire")?.enabled).toBe(true);
  });

  it.each([
    ["/addsource", /^Usage: \/addsource <url>/],
    ["/addsource not a url at all", /^"not a url at all" is not a web address\. Usage:/],
    ["/addsource ftp://example.com/feed", /is not a web address/],
  ])("%s gets one clear line", async (cmd, expected) => {
    await say(h, ADMIN, cmd);
    expect(replies(h, ADMIN.id)).toEqual([expect.stringMatching(expected)]);
  });

  it.each([
    ["/photo.jpg", "not a feed (image/jpeg)"],
    ["/slow.xml", "timed out after 1.5 s"],
    ["/missing.xml", "HTTP 404"],
  ])("%s: one clear line, nothing proposed", async (path, reason) => {
    await say(h, ADMIN, `/addsource ${feeds.urlFor(path)}`);
    expect(replies(h, ADMIN.id)).toEqual([`Could not add ${feeds.urlFor(path)}: ${reason}`]);
    expect(buttons(h, ADMIN.id)).toEqual([]);
  });

  it("a slow site does not hold up other chats: discovery runs beside the update loop", async () => {
    const started = Date.now();
    await h.raw.handleUpdate(textUpdate(ADMIN, `/addsource ${feeds.urlFor("/slow.xml")}`));
    await h.raw.handleUpdate(textUpdate(BOB, "/sources"));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(replies(h, BOB.id)).toHaveLength(1);
    expect(replies(h, ADMIN.id)).toEqual([]);
    await h.admin.idle();
    expect(replies(h, ADMIN.id)).toEqual([`Could not add ${feeds.urlFor("/slow.xml")}: timed out after 1.5 s`]);
  });

  it("says when the feed is already a source, found directly or through the page", async () => {
    await say(h, ADMIN, `/addsource ${feeds.urlFor("/world.xml")}`);
    expect(last(h, ADMIN.id)).toBe("Already a source: <b>World Wire</b> (<code>world-wire</code>).");
    feeds.set("/world/", {
      contentType: "text/html",
      body: `<html><head><link rel="alternate" type="application/rss+xml" href="/world.xml"></head></html>`,
    });
    await say(h, ADMIN, `/addsource ${feeds.urlFor("/world/")}`);
    expect(last(h, ADMIN.id)).toMatch(/^Already a source: <b>World Wire<\/b>/);
  });
});

describe("replies that echo what was sent stay sendable", () => {
  const TELEGRAM_MAX = 4096;

  it("/addsource with a 4,080-character URL gets a reply, the URL cut short", async () => {
    const h = setup();
    const base = feeds.urlFor("/missing.xml?q=");
    const url = base + "a".repeat(4080 - base.length);
    expect(url).toHaveLength(4080);
    await say(h, ADMIN, `/addsource ${url}`);
    const [reply] = replies(h, ADMIN.id);
    expect(reply).toMatch(/^Could not add http:\/\/127\.0\.0\.1:\d+\/missing\.xml\?q=a+…: HTTP 404$/);
    expect(reply!.length).toBeLessThan(300);
  });

  it("a 4,000-character address that is not a URL, and long ids, are echoed cut short", async () => {
    const h = setup();
    for (const cmd of [`/addsource ${"x".repeat(4000)}%`, `/rmsource ${"y".repeat(4000)}`, `/enablesource ${"z".repeat(4000)}`]) {
      await say(h, ADMIN, cmd);
      const reply = last(h, ADMIN.id);
      expect(reply).toContain("…");
      expect(reply.length).toBeLessThan(TELEGRAM_MAX);
    }
    expect(replies(h, ADMIN.id)).toHaveLength(3);
  });
});

describe("admin commands", () => {
  it("every admin command in the list refuses a non-admin with the one refusal text, touching nothing", async () => {
    const h = setup();
    const admin = COMMANDS.filter((c) => c.admin);
    expect(admin.length).toBeGreaterThanOrEqual(7);
    for (const c of admin) await say(h, BOB, `/${c.name} world-wire`);
    expect(replies(h, BOB.id)).toEqual(admin.map(() => ADMIN_ONLY_TEXT));
    expect(h.registry.cached().find((s) => s.id === "world-wire")?.enabled).toBe(true);
  });
});

describe("SSRF guard from the chat", () => {
  it("refuses a private address in one line, without a single request to it", async () => {
    const h = setup({ allowPrivate: false });
    const before = feeds.requests().length;
    await say(h, ADMIN, `/addsource ${feeds.urlFor("/site.xml")}`);
    expect(replies(h, ADMIN.id)).toEqual([
      `Could not add ${feeds.urlFor("/site.xml")}: refused: 127.0.0.1 is a loopback address; only public addresses are allowed`,
    ]);
    await say(h, ADMIN, `/addsource http://2130706433:${new URL(feeds.url).port}/site.xml`);
    expect(last(h, ADMIN.id)).toMatch(/: refused: 127\.0\.0\.1 is a loopback address/);
    await say(h, ADMIN, `/addsource http://localhost:${new URL(feeds.url).port}/site/`);
    expect(last(h, ADMIN.id)).toMatch(/: refused: localhost resolves to \S+, a loopback address/);
    expect(feeds.requests().length).toBe(before);
  });

  it("also guards chat sources at poll time (the address may have changed since), but not the file's", async () => {
    const h = setup({ allowPrivate: false });
    await h.registry.addMany([{ id: "sneaky", name: "Sneaky", url: feeds.urlFor("/site.xml"), enabled: true }], { by: ADMIN.id, at: now });
    const before = feeds.hits("/site.xml");
    const report = await h.poll();
    expect(report.errors).toEqual(["source sneaky: refused: 127.0.0.1 is a loopback address; only public addresses are allowed"]);
    expect(feeds.hits("/site.xml")).toBe(before);
    // the file source on the same host was fetched
    expect(report.ok + report.notModified).toBe(1);
    await say(h, ADMIN, "/sources");
    expect(last(h, ADMIN.id)).toMatch(
      /⚠️ <b>Sneaky<\/b> <code>sneaky<\/code> · added in chat\n\s+1 failure in a row · last error: refused: 127\.0\.0\.1 is a loopback address/,
    );
  });
});

describe("/rmsource and /enablesource", () => {
  it("removes a chat source: gone from /sources and no longer polled", async () => {
    const h = setup();
    await say(h, ADMIN, `/addsource ${feeds.urlFor("/site.xml")}`);
    await press(h, ADMIN, buttons(h, ADMIN.id)[0]!.callback_data);
    await h.poll();
    await say(h, ADMIN, "/rmsource site-daily");
    expect(last(h, ADMIN.id)).toBe("🗑 Removed <b>Site Daily</b> (<code>site-daily</code>). Nothing more is fetched from it.");
    await say(h, BOB, "/sources");
    expect(last(h, BOB.id)).not.toContain("Site Daily");
    const hits = feeds.hits("/site.xml");
    await h.poll();
    expect(feeds.hits("/site.xml")).toBe(hits);
    await say(h, ADMIN, "/rmsource site-daily");
    expect(last(h, ADMIN.id)).toBe('There is no source with the id "site-daily". Usage: /rmsource <id> — the ids are in /sources.');
    await say(h, ADMIN, "/rmsource");
    expect(last(h, ADMIN.id)).toBe("Usage: /rmsource <id> — the ids are in /sources.");
  });

  it("switches a file source off (the file is read-only), and /enablesource brings it back", async () => {
    const h = setup();
    await say(h, ADMIN, "/rmsource world-wire");
    expect(last(h, ADMIN.id)).toBe(
      "⏸ <b>World Wire</b> (<code>world-wire</code>) comes from the sources file, which the bot cannot change, so it is switched off instead: it is no longer polled. /enablesource world-wire turns it back on.",
    );
    const hits = feeds.hits("/world.xml");
    await h.poll();
    expect(feeds.hits("/world.xml")).toBe(hits);
    await say(h, BOB, "/sources");
    expect(last(h, BOB.id)).toBe("No news sources are configured yet.");
    await say(h, ADMIN, "/sources");
    expect(last(h, ADMIN.id)).toContain("⏸ <b>World Wire</b> <code>world-wire</code>\n    switched off — /enablesource world-wire");

    await say(h, ADMIN, "/enablesource world-wire");
    expect(last(h, ADMIN.id)).toBe("▶️ <b>World Wire</b> (<code>world-wire</code>) is on again: it is polled at the next tick.");
    await h.poll();
    expect(feeds.hits("/world.xml")).toBe(hits + 1);
    await say(h, ADMIN, "/enablesource world-wire");
    expect(last(h, ADMIN.id)).toBe("<b>World Wire</b> (<code>world-wire</code>) is already on.");
  });

  it("/enablesource lifts a disable after too many failures", async () => {
    const h = setup();
    const lastError = { kind: "http", params: { status: "503" } };
    await h.stores.health.recordFailure("world-wire", { at: now, ...lastError, next: null });
    await h.stores.health.disable("world-wire", { failures: 5, lastError }, now);
    await say(h, ADMIN, "/sources");
    expect(last(h, ADMIN.id)).toMatch(
      /⛔ <b>World Wire<\/b> <code>world-wire<\/code>\n\s+disabled just now: 5 failures in a row, last error: HTTP 503 — \/enablesource world-wire/,
    );
    await say(h, ADMIN, "/enablesource world-wire");
    expect(last(h, ADMIN.id)).toBe(
      "▶️ <b>World Wire</b> (<code>world-wire</code>) is on again, its failure count reset: it is polled at the next tick.",
    );
    expect((await h.stores.health.getHealth("world-wire")).disabled).toBeNull();
  });
});

describe("/opml", () => {
  function documentUpdate(
    from: { id: number },
    caption: string | undefined,
    doc: { file_id: string; file_name?: string; file_size?: number },
    replyText?: string,
  ): Update {
    const base = {
      message_id: ++updateId,
      date: Math.floor(now / 1000),
      chat: { id: from.id, type: "private", first_name: "A" },
      from: { id: from.id, is_bot: false, first_name: "A" },
    };
    const document = { file_unique_id: `u-${doc.file_id}`, mime_type: "text/x-opml", ...doc };
    if (replyText !== undefined) {
      return {
        update_id: updateId,
        message: {
          ...base,
          text: replyText,
          entities: [{ type: "bot_command", offset: 0, length: 5 }],
          reply_to_message: { ...base, message_id: 1, document },
        },
      } as unknown as Update;
    }
    return { update_id: updateId, message: { ...base, document, ...(caption ? { caption } : {}) } } as unknown as Update;
  }

  async function exported(h: Harness): Promise<{ bytes: Uint8Array; caption: string; filename: string | undefined }> {
    const call = h.rec.calls.filter((c) => c.method === "sendDocument").at(-1);
    expect(call).toBeDefined();
    const file = call!.payload.document as InputFile;
    expect(file).toBeInstanceOf(InputFile);
    return { bytes: (await file.toRaw()) as Uint8Array, caption: call!.payload.caption as string, filename: file.filename };
  }

  function serveFile(h: Harness, fileId: string, path: string, bytes: Uint8Array) {
    h.rec.respond((c) =>
      c.method === "getFile" && c.payload.file_id === fileId
        ? { ok: true, result: { file_id: fileId, file_unique_id: `u-${fileId}`, file_size: bytes.length, file_path: path } }
        : undefined,
    );
    feeds.set(`/file/bot${TOKEN}/${path}`, { body: bytes, contentType: "application/octet-stream" });
  }

  it("round trip: the exported document imported into an empty bot gives the same sources", async () => {
    const a = setup();
    await say(a, ADMIN, `/addsource ${feeds.urlFor("/site/")}`);
    await press(a, ADMIN, buttons(a, ADMIN.id)[0]!.callback_data);
    await a.registry.addMany(
      [
        {
          id: "jam",
          name: "JAMnews & <co>",
          url: "https://jam-news.net/feed/?a=1&b=2",
          lang: "ru",
          description: "South Caucasus",
          enabled: true,
        },
      ],
      { by: 1, at: now },
    );
    await say(a, ADMIN, "/rmsource world-wire");
    await say(a, ADMIN, "/opml");
    const file = await exported(a);
    expect(file.filename).toBe("newsbot-sources.opml");
    expect(file.caption).toMatch(/^3 sources as OPML\./);
    expect(Buffer.from(file.bytes).toString("utf8")).toContain('<opml version="2.0">');

    const b = setup({ files: [], apiRoot: feeds.url });
    serveFile(b, "doc-1", "documents/file_1.opml", file.bytes);
    await b.bot.handleUpdate(
      documentUpdate(ADMIN, "/opml import", { file_id: "doc-1", file_name: "newsbot-sources.opml", file_size: file.bytes.length }),
    );
    expect(last(b, ADMIN.id)).toBe(
      "📥 OPML import: 3 sources added (world-wire, jam, site-daily).\nThey are polled from the next tick on.",
    );
    const strip = (list: Awaited<ReturnType<SourceRegistry["list"]>>) => list.map(({ origin: _o, addedBy: _b, addedAt: _a, ...s }) => s);
    // world-wire was switched off before the export, and stays off
    expect(b.registry.cached().find((s) => s.id === "world-wire")?.enabled).toBe(false);
    expect(strip(await b.registry.list())).toEqual(strip(await a.registry.list()));

    // importing the same file again adds nothing
    serveFile(b, "doc-2", "documents/file_2.opml", file.bytes);
    await b.bot.handleUpdate(documentUpdate(ADMIN, undefined, { file_id: "doc-2" }, "/opml"));
    expect(last(b, ADMIN.id)).toBe("📥 OPML import: 0 sources added.\nAlready in the list: 3.");
  });

  it("imports other readers' files, skipping bad entries and private addresses, each with a reason", async () => {
    const h = setup({ files: [], apiRoot: feeds.url, allowPrivate: false });
    const opml = `<?xml version="1.0"?><opml version="1.0"><body><outline text="Tech">
      <outline type="rss" text="Good One" xmlUrl="https://good.example/rss"/>
      <outline type="rss" text="Metadata" xmlUrl="http://169.254.169.254/latest/"/>
      <outline type="rss" text="Gopher" xmlUrl="gopher://old.example/"/>
    </outline></body></opml>`;
    serveFile(h, "doc-3", "documents/file_3.opml", Buffer.from(opml));
    await h.bot.handleUpdate(documentUpdate(ADMIN, "/opml import", { file_id: "doc-3", file_name: "feedly.opml" }));
    expect(last(h, ADMIN.id)).toBe(
      [
        "📥 OPML import: 1 source added (good-one).",
        "Skipped 2:",
        "• Gopher: not a usable address (http or https only)",
        "• Metadata: refused: 169.254.169.254 is the cloud metadata address; only public addresses are allowed",
        "They are polled from the next tick on.",
      ].join("\n"),
    );
  });

  it("refuses an entity bomb and says what is wrong with a file that is not OPML", async () => {
    const h = setup({ files: [], apiRoot: feeds.url });
    serveFile(
      h,
      "doc-4",
      "documents/file_4.opml",
      Buffer.from(
        `<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><opml><body><outline text="&b;" xmlUrl="https://x.example/"/></body></opml>`,
      ),
    );
    await h.bot.handleUpdate(documentUpdate(ADMIN, "/opml import", { file_id: "doc-4", file_name: "bomb.opml" }));
    expect(last(h, ADMIN.id)).toBe("Could not import bomb.opml: refused: the file declares XML entities.");
    serveFile(h, "doc-5", "documents/file_5.txt", Buffer.from("just some text"));
    await h.bot.handleUpdate(documentUpdate(ADMIN, "/opml", { file_id: "doc-5", file_name: "notes.txt" }));
    expect(last(h, ADMIN.id)).toBe("Could not import notes.txt: not an OPML file (no <opml> element).");
    await h.bot.handleUpdate(
      documentUpdate(ADMIN, "/opml import", { file_id: "doc-6", file_name: "huge.opml", file_size: 5 * 1024 * 1024 }),
    );
    expect(last(h, ADMIN.id)).toBe("Could not import huge.opml: it is over 1 MB.");
    expect((await h.registry.list()).length).toBe(0);
  });

  it("ignores documents without the caption and refuses imports from non-admins", async () => {
    const h = setup({ files: [], apiRoot: feeds.url });
    await h.bot.handleUpdate(documentUpdate(ADMIN, "holiday photos", { file_id: "doc-7" }));
    expect(h.rec.calls.filter((c) => c.method === "getFile")).toHaveLength(0);
    await h.bot.handleUpdate(documentUpdate(BOB, "/opml import", { file_id: "doc-8" }));
    expect(last(h, BOB.id)).toBe("Sorry, only the bot's admins can do that.");
    expect(h.rec.calls.filter((c) => c.method === "getFile")).toHaveLength(0);
  });

  it("a failed download is one line, and the token never shows", async () => {
    const h = setup({ files: [], apiRoot: feeds.url });
    h.rec.respond((c) =>
      c.method === "getFile" ? { ok: true, result: { file_id: "x", file_unique_id: "u", file_path: "documents/nope.opml" } } : undefined,
    );
    await h.bot.handleUpdate(documentUpdate(ADMIN, "/opml import", { file_id: "x", file_name: "a.opml" }));
    expect(last(h, ADMIN.id)).toBe("Could not download a.opml: HTTP 404");
    expect(JSON.stringify(h.rec.sent(ADMIN.id))).not.toContain("test-token");
  });
});

describe("/help", () => {
  it("lists the source commands for admins only", async () => {
    const h = setup();
    await say(h, ADMIN, "/help");
    for (const c of ["/addsource", "/rmsource", "/enablesource", "/opml"]) expect(last(h, ADMIN.id)).toContain(c);
    await say(h, BOB, "/help");
    expect(last(h, BOB.id)).not.toContain("/addsource");
  });
});

describe("in the admin's language", () => {
  const inLanguage = (u: Update, language_code: string): Update => {
    const from = (u.message ?? u.callback_query)!.from as { language_code?: string };
    from.language_code = language_code;
    return u;
  };

  it.each([
    [
      "ru",
      "Как пользоваться: /addsource",
      "Не удалось добавить",
      "сервер ответил HTTP 404",
      "Источники",
      "Источника с id «nope» нет",
      "Отменено.",
    ],
    [
      "az",
      "İstifadə: /addsource",
      "əlavə edilə bilmədi",
      "server HTTP 404 cavabı verdi",
      "Mənbələr",
      "«nope» id-li mənbə yoxdur",
      "Ləğv edildi.",
    ],
  ])("%s: replies, previews, errors and buttons", async (lang, usage, failed, http404, sources, noSuch, cancelled) => {
    const h = setup();
    const send = (text: string) => h.bot.handleUpdate(inLanguage(textUpdate(ADMIN, text), lang));
    await send("/addsource");
    expect(last(h, ADMIN.id)).toMatch(new RegExp(`^${usage}`));
    await send(`/addsource ${feeds.urlFor("/missing.xml")}`);
    expect(last(h, ADMIN.id)).toContain(failed);
    expect(last(h, ADMIN.id)).toContain(http404);
    await send("/sources");
    expect(last(h, ADMIN.id)).toContain(sources);
    await send("/rmsource nope");
    expect(last(h, ADMIN.id)).toContain(noSuch);
    await send("/enablesource nope");
    expect(last(h, ADMIN.id)).toContain(noSuch);
    await send(`/addsource ${feeds.urlFor("/site.xml")}`);
    const preview = last(h, ADMIN.id);
    expect(preview).not.toContain("stories in the feed now");
    const cancel = buttons(h, ADMIN.id)[1]!;
    expect(cancel.text).not.toContain("Cancel");
    await h.bot.handleUpdate(
      inLanguage(callbackUpdate(ADMIN, cancel.callback_data, { chatId: ADMIN.id, messageId: 101, text: preview }), lang),
    );
    expect(answers(h).at(-1)).toBe(cancelled);
  });
});
