import { Bot } from "grammy";
import type { Update } from "grammy/types";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { NOTHING_PASSES_KEY } from "../../commands/latest.js";
import { sendSettingsMenu } from "../../commands/settings.js";
import { createAccess } from "../../src/bot/access.js";
import type { BotContext } from "../../src/bot/context.js";
import { createBot } from "../../src/bot/create-bot.js";
import { localeMiddleware } from "../../src/bot/locale.js";
import type { Source } from "../../src/config.js";
import { createTranslator, english } from "../../src/i18n/translator.js";
import { silentLogger } from "../../src/log.js";
import { escapeHtml } from "../../src/news/html.js";
import type { Item } from "../../src/news/item.js";
import { createNewsService } from "../../src/news/service.js";
import { defaultPrefs } from "../../src/prefs/preferences.js";
import { createSettings, type PrefsStore } from "../../src/prefs/settings.js";
import type { ChatPrefs } from "../../src/prefs/types.js";
import { createStores, type Stores } from "../../src/store/index.js";
import type { ChatRef } from "../../src/store/sub-key.js";
import { ApiRecorder, botInfo, callbackUpdate, textUpdate } from "../support/api-recorder.js";
import { testRedis } from "../support/redis-client.js";
import { checkTelegramHtml } from "../support/telegram-html.js";

const { redis, prefix: base } = testRedis();
const en = english();
const NOT_SUBSCRIBED = en("set-not-subscribed");
const FILTER_NOT_SUBSCRIBED = en("set-filter-not-subscribed");
const MENU_OUT_OF_DATE = en("set-menu-stale");
const ONLY_GROUP_ADMINS = en("set-only-admins");
const FILTERS_CLEARED = en("set-filter-cleared");
const NO_FILTERS = en("set-filter-none");
const NOTHING_PASSES = en(NOTHING_PASSES_KEY);
afterAll(() => redis.quit());

const ALICE = { id: 7, first_name: "Alice" };
const BOB = { id: 8, first_name: "Bob" };
const GROUP = -100123;
const now = Date.parse("2026-11-28T12:00:00Z");
const clock = () => now;

const sources: Source[] = [
  { id: "bbc-world", name: "BBC World", url: "https://feeds.example/bbc", enabled: true, lang: "en" },
  { id: "apa", name: "APA <Az> & Co", url: "https://feeds.example/apa", enabled: true, lang: "az" },
  { id: "tass", name: "TASS", url: "https://feeds.example/tass", enabled: true, lang: "ru" },
];

const TOPICS = [
  "Central bank holds interest rates steady",
  "Wildfires force thousands to evacuate",
  "Parliament passes budget after marathon session",
  "Scientists discover new species of frog",
  "Oil prices climb as producers agree output cuts",
  "Floods hit northern towns after heavy rain",
  "Airline cancels flights over pilot strike",
  "Museum returns looted artefacts",
  "Rail workers announce walkout over pay",
];

function item(sourceId: string, i: number, title: string): Item {
  return {
    key: `${sourceId}:${i}`,
    sourceId,
    sourceName: sources.find((s) => s.id === sourceId)!.name,
    title: `${title} (${sourceId})`,
    link: `https://${sourceId}.example/${i}`,
    summary: `Report ${i} from ${sourceId}.`,
    published: new Date(now - i * 60_000).toISOString(),
    seenAt: now - i * 60_000,
  };
}

let stores: Stores;
let rec: ApiRecorder;
let n = 0;
let changed: ReturnType<typeof vi.fn<(ref: ChatRef, before: ChatPrefs, after: ChatPrefs) => Promise<void>>>;
let warn: ReturnType<typeof vi.spyOn>;

async function setup() {
  stores = createStores(redis, `${base}set${++n}:`, clock);
  // Three outlets, three stories each, interleaved in time.
  const all = TOPICS.map((t, i) => item(sources[i % 3]!.id, i + 1, t));
  for (const s of sources)
    await stores.items.ingest(
      s.id,
      all.filter((it) => it.sourceId === s.id),
    );
  const news = createNewsService({ items: stores.items, sources: () => sources, clock });
  await news.load();
  const store: PrefsStore = {
    get: async (ref) => (await stores.subscribers.get(ref))?.prefs ?? null,
    set: (ref, prefs) => stores.subscribers.setPrefs(ref, prefs),
  };
  changed = vi.fn(async (_ref: ChatRef, _before: ChatPrefs, _after: ChatPrefs) => undefined);
  const settings = createSettings({ store, sources: () => news.sources(), defaultTimezone: "UTC", onChanged: changed });
  rec = new ApiRecorder();
  // The group's admins, as Telegram tells them.
  rec.respond((c) =>
    c.method === "getChatMember"
      ? {
          ok: true,
          result: {
            status: c.payload.user_id === ALICE.id ? "administrator" : "member",
            user: { id: c.payload.user_id, is_bot: false, first_name: "U" },
          },
        }
      : undefined,
  );
  const logger = silentLogger.child({});
  warn = vi.spyOn(logger, "warn");
  const bot = createBot({
    token: "1:test-token-aaaaaaaaaaaaaaaaaaaa",
    apiRoot: "http://127.0.0.1:9",
    botInfo,
    config: { adminIds: [], timezone: "UTC" },
    stores,
    news,
    broadcasts: { start: async () => ({ ok: false, reason: "busy" }) as never, cancel: async () => null as never },
    logger,
    clock,
    settings,
  });
  rec.install(bot.api);
  return bot;
}

let bot: Awaited<ReturnType<typeof setup>>;
beforeEach(async () => {
  bot = await setup();
});

const replies = (chatId: number) => rec.sent(chatId).map((m) => m.text);
const lastReply = (chatId: number) => rec.sent(chatId).at(-1)!;
const edits = () => rec.calls.filter((c) => c.method === "editMessageText").map((c) => c.payload);
const answers = () => rec.calls.filter((c) => c.method === "answerCallbackQuery").map((c) => c.payload);
const prefsOf = async (chatId: number): Promise<ChatPrefs> => (await stores.subscribers.get(chatId))!.prefs;
type Button = { text: string; callback_data: string };
const buttons = (payload: { reply_markup?: { inline_keyboard: Button[][] } }): Button[] =>
  payload.reply_markup?.inline_keyboard.flat() ?? [];

/** The button of the latest menu (sent or edited) whose text contains `label`. */
function press(label: string): string {
  const menus = rec.calls.filter((c) => (c.method === "sendMessage" || c.method === "editMessageText") && c.payload.reply_markup);
  const b = buttons(menus.at(-1)!.payload).find((x) => x.text.includes(label));
  if (!b) throw new Error(`no button "${label}" in ${JSON.stringify(buttons(menus.at(-1)!.payload).map((x) => x.text))}`);
  return b.callback_data;
}

const tap = (from: { id: number }, data: string, chatId = from.id) =>
  bot.handleUpdate(callbackUpdate(from, data, { chatId, messageId: 500 }));
const say = (from: { id: number }, text: string, chatId?: number) => bot.handleUpdate(textUpdate(from, text, chatId ? { chatId } : {}));

/** A press in a group (the recorder's helper makes private-chat presses). */
function groupTap(from: { id: number }, data: string): Promise<void> {
  const u = callbackUpdate(from, data, { chatId: GROUP, messageId: 500 }) as Update;
  (u.callback_query!.message as { chat: unknown }).chat = { id: GROUP, type: "group", title: "Group" };
  return bot.handleUpdate(u);
}

/** Every text the bot sent or edited in, checked as Telegram checks HTML. */
function expectValidHtml() {
  for (const c of rec.calls) {
    if ((c.method === "sendMessage" || c.method === "editMessageText") && c.payload.parse_mode === "HTML") {
      const r = checkTelegramHtml(c.payload.text);
      expect(r.ok, `${c.payload.text}\n${r.ok ? "" : r.description}`).toBe(true);
      if (r.ok) expect(r.visibleLength).toBeLessThanOrEqual(4096);
    }
    if (c.payload.reply_markup?.inline_keyboard) {
      for (const b of buttons(c.payload)) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    }
  }
}

describe("/settings menu", () => {
  it("opens, goes to sources, switches one off and stores it; a repeated press changes nothing", async () => {
    await say(ALICE, "/start");
    await say(ALICE, "/settings");
    const menu = lastReply(ALICE.id);
    expect(menu.text).toContain("Settings for this chat");
    expect(menu.text).toContain("Sources: all sources");
    expect(menu.parse_mode).toBe("HTML");

    await tap(ALICE, press("Sources"));
    expect(edits().at(-1)!.text).toContain("APA &lt;Az&gt; &amp; Co");
    const off = press("BBC World");
    expect(off).toMatch(/^set:st:0:bbc-world:0$/);
    const offUpdate = callbackUpdate(ALICE, off, { chatId: ALICE.id, messageId: 500 });
    await bot.handleUpdate(offUpdate);
    expect((await prefsOf(ALICE.id)).sources).toEqual(["apa", "tass"]);
    expect(changed).toHaveBeenCalledTimes(1);
    expect(changed.mock.calls[0]![1]).toMatchObject({ sources: "all" });
    expect(changed.mock.calls[0]![2]).toMatchObject({ sources: ["apa", "tass"] });
    expect(buttons(edits().at(-1)!).find((b) => b.text.includes("BBC World"))!.text).toMatch(/^▫️/);

    // The same update again (Telegram redelivering it) and the same button pressed again.
    await bot.handleUpdate(offUpdate);
    await tap(ALICE, off);
    expect((await prefsOf(ALICE.id)).sources).toEqual(["apa", "tass"]);
    expect(changed).toHaveBeenCalledTimes(1);

    // Back on: an explicit list of all three, distinct from "all"; the All sources button makes it "all".
    await tap(ALICE, press("BBC World"));
    expect((await prefsOf(ALICE.id)).sources).toEqual(["bbc-world", "apa", "tass"]);
    await tap(ALICE, press("All sources"));
    expect((await prefsOf(ALICE.id)).sources).toBe("all");
    expect(changed).toHaveBeenCalledTimes(3);

    // every press handled was answered, once
    const handled = rec.calls.filter((c) => c.method === "answerCallbackQuery").length;
    expect(handled).toBe(5);
    expectValidHtml();
  });

  it("walks every screen and changes each preference by buttons", async () => {
    await say(ALICE, "/start");
    await say(ALICE, "/settings");
    await tap(ALICE, press("Languages"));
    await tap(ALICE, press("Russian"));
    expect((await prefsOf(ALICE.id)).langs).toEqual(["az", "en"]);
    await tap(ALICE, press("Back"));
    await tap(ALICE, press("Delivery"));
    await tap(ALICE, press("3 h"));
    expect((await prefsOf(ALICE.id)).mode).toEqual({ kind: "every", hours: 3 });
    await tap(ALICE, press("Daily 08:00"));
    expect((await prefsOf(ALICE.id)).mode).toEqual({ kind: "daily", at: "08:00" });
    expect(edits().at(-1)!.text).toContain("/settings time HH:MM");
    await tap(ALICE, press("Time zone"));
    await tap(ALICE, press("Asia/Baku"));
    expect((await prefsOf(ALICE.id)).timezone).toBe("Asia/Baku");
    await tap(ALICE, press("Bot default"));
    expect((await prefsOf(ALICE.id)).timezone).toBeNull();
    await tap(ALICE, press("Back"));
    await tap(ALICE, press("Back"));
    await tap(ALICE, press("Quiet hours"));
    expect(edits().at(-1)!.text).toContain("silently");
    await tap(ALICE, press("23:00–07:00"));
    expect((await prefsOf(ALICE.id)).quiet).toEqual({ from: "23:00", to: "07:00" });
    await tap(ALICE, press("Off"));
    expect((await prefsOf(ALICE.id)).quiet).toBeNull();
    await tap(ALICE, press("Back"));
    await tap(ALICE, press("Link previews"));
    await tap(ALICE, press("On"));
    expect((await prefsOf(ALICE.id)).previews).toBe(true);
    await tap(ALICE, press("Back"));
    expect(edits().at(-1)!.text).toContain("Link previews: on");
    expect(edits().at(-1)!.text).toContain("a digest daily at 08:00");

    const presses = rec.calls.filter((c) => c.method === "answerCallbackQuery").length;
    expect(presses).toBe(edits().length);
    expectValidHtml();
  });

  it("removes a keyword by its button; pressing it again is harmless; Clear all empties the list", async () => {
    await say(ALICE, "/start");
    await say(ALICE, '/filter +oil -football "prime minister"');
    await say(ALICE, "/settings");
    await tap(ALICE, press("Keywords"));
    const remove = press("-football");
    await tap(ALICE, remove);
    expect((await prefsOf(ALICE.id)).keywords).toEqual({ include: ["oil"], exclude: [], phrases: ["prime minister"] });
    await tap(ALICE, remove);
    expect((await prefsOf(ALICE.id)).keywords).toEqual({ include: ["oil"], exclude: [], phrases: ["prime minister"] });
    expect(answers().at(-1)).not.toHaveProperty("show_alert");
    await tap(ALICE, press("Clear all"));
    expect((await prefsOf(ALICE.id)).keywords).toEqual({ include: [], exclude: [], phrases: [] });
    expectValidHtml();
  });

  it("answers forged and stale presses, changes nothing and never fails", async () => {
    await say(ALICE, "/start");
    const before = await prefsOf(ALICE.id);
    const forged = [
      "set:st:0:no-such-source:0",
      "set:st:0:~zzzz:0",
      "set:lt:0:xx:0",
      "set:zs:0:Mars/Base",
      "set:nope",
      "set:s:99999999999999999999999",
      "set:dd:9999",
      `set:${"\u0000\uffff".repeat(20)}`,
      "set:kr:i:~0",
      "garbage",
      "",
    ];
    for (const data of forged) await expect(tap(ALICE, data)).resolves.toBeUndefined();
    expect(await prefsOf(ALICE.id)).toEqual(before);
    expect(changed).not.toHaveBeenCalled();
    const a = answers();
    expect(a).toHaveLength(forged.length);
    expect(a.filter((x) => x.text === MENU_OUT_OF_DATE).length).toBeGreaterThanOrEqual(8);
    expect(warn).not.toHaveBeenCalled();
  });

  it("takes Telegram's 'message is not modified' quietly, and still answers", async () => {
    await say(ALICE, "/start");
    rec.respond((c) =>
      c.method === "editMessageText"
        ? {
            ok: false,
            error_code: 400,
            description: "Bad Request: message is not modified: specified new message content and reply markup are exactly the same",
          }
        : undefined,
    );
    await tap(ALICE, "set:m");
    await tap(ALICE, "set:pv:0");
    expect(answers()).toHaveLength(2);
    expect(warn).not.toHaveBeenCalled();
  });

  it("a chat that is not subscribed is told to /start first", async () => {
    await say(BOB, "/settings");
    await say(BOB, "/filter");
    await tap(BOB, "set:pv:1");
    expect(replies(BOB.id)).toEqual([NOT_SUBSCRIBED, FILTER_NOT_SUBSCRIBED]);
    expect(answers()).toEqual([expect.objectContaining({ text: NOT_SUBSCRIBED, show_alert: true })]);
    expect(await stores.subscribers.get(BOB.id)).toBeNull();
  });

  it("in a group only its admins change settings; anyone may look", async () => {
    await say(ALICE, "/start", GROUP);
    await say(BOB, "/settings", GROUP);
    expect(lastReply(GROUP).text).toContain("Settings for this chat");
    await groupTap(BOB, "set:s:0");
    expect(answers().at(-1)).not.toHaveProperty("show_alert");
    await groupTap(BOB, "set:st:0:tass:0");
    expect(answers().at(-1)).toMatchObject({ text: ONLY_GROUP_ADMINS, show_alert: true });
    expect((await prefsOf(GROUP)).sources).toBe("all");
    await say(BOB, "/settings zone Asia/Baku", GROUP);
    expect(lastReply(GROUP).text).toBe(ONLY_GROUP_ADMINS);
    await say(BOB, "/filter +oil", GROUP);
    expect(lastReply(GROUP).text).toBe(ONLY_GROUP_ADMINS);
    expect(await prefsOf(GROUP)).toEqual(defaultPrefs());

    await groupTap(ALICE, "set:st:0:tass:0");
    expect((await prefsOf(GROUP)).sources).toEqual(["bbc-world", "apa"]);
    await say(ALICE, "/settings zone Asia/Baku", GROUP);
    expect((await prefsOf(GROUP)).timezone).toBe("Asia/Baku");
  });
});

const ru = createTranslator().forLocale("ru");

describe("the bot's language in /settings", () => {
  it("Language → Русский stores ru and re-renders the menu in Russian; the next /settings is Russian too", async () => {
    await say(ALICE, "/start");
    await say(ALICE, "/settings");
    expect(lastReply(ALICE.id).text).toContain(en("set-main-language", { value: "🇬🇧 English" }));
    await tap(ALICE, press("Bot language"));
    expect(edits().at(-1)!.text).toContain(en("set-language-title"));
    expect(press("English")).toBe("set:us:en");
    expect(buttons(edits().at(-1)!).find((b) => b.text.includes("English"))!.text).toMatch(/^✅/);

    await tap(ALICE, press("Русский"));
    expect((await prefsOf(ALICE.id)).locale).toBe("ru");
    const screen = edits().at(-1)!;
    expect(screen.text).toBe([ru("set-language-title"), ru("set-now", { value: "🇷🇺 Русский" }), ru("set-language-hint")].join("\n"));
    expect(buttons(screen).map((b) => b.text)).toEqual(["🇬🇧 English", "✅ 🇷🇺 Русский", "🇦🇿 Azərbaycanca", ru("set-btn-back")]);
    expect(answers().at(-1)).toMatchObject({ text: ru("set-language-set", { name: "🇷🇺 Русский" }) });
    expect(changed).toHaveBeenCalledTimes(1);

    await tap(ALICE, press("Назад"));
    const main = edits().at(-1)!;
    expect(main.text).toContain(ru("set-main-title"));
    expect(main.text).toContain(ru("set-main-sources", { value: ru("set-sources-all") }));
    expect(main.text).not.toMatch(/Settings|Sources|Delivery|Quiet hours|Tap what/);
    expect(buttons(main).map((b) => b.text)).toContain(ru("set-btn-language", { name: "🇷🇺 Русский" }));

    // A later update reads the stored language: the typed forms and the menu answer in Russian.
    await say(ALICE, "/settings");
    expect(lastReply(ALICE.id).text).toContain(ru("set-main-title"));
    await say(ALICE, "/settings zone Mars/Base");
    expect(lastReply(ALICE.id).text).toBe(ru("set-zone-invalid", { zone: "Mars/Base" }));
    await say(ALICE, "/filter");
    expect(lastReply(ALICE.id).text.startsWith(escapeHtml(ru("set-filter-none")))).toBe(true);

    // The same press again changes nothing; back to English works the same way.
    await tap(ALICE, "set:us:ru");
    expect(changed).toHaveBeenCalledTimes(1);
    await tap(ALICE, "set:us:en");
    expect((await prefsOf(ALICE.id)).locale).toBe("en");
    expect(edits().at(-1)!.text).toContain(en("set-language-title"));
    expectValidHtml();
  });

  it("in a group a member cannot change the language, an admin can", async () => {
    await say(ALICE, "/start", GROUP);
    await groupTap(BOB, "set:us:az");
    expect(answers().at(-1)).toMatchObject({ text: ONLY_GROUP_ADMINS, show_alert: true });
    expect((await prefsOf(GROUP)).locale).toBe("en");
    await groupTap(ALICE, "set:us:az");
    expect((await prefsOf(GROUP)).locale).toBe("az");
    expect(edits().at(-1)!.text).toContain(createTranslator().forLocale("az")("set-language-title"));
    // Refusals come in the group's language now.
    await say(BOB, "/settings quiet off", GROUP);
    expect(lastReply(GROUP).text).toBe(createTranslator().forLocale("az")("set-only-admins"));
  });
});

describe("forum topics and menus bound to another chat", () => {
  const FORUM = -1009001;
  const TOPIC = `${FORUM}:5`;

  /** A message in topic 5 of the forum. */
  function topicMessage(from: { id: number }, text: string): Update {
    const u = textUpdate(from, text, { chatId: FORUM }) as Update;
    Object.assign(u.message!, {
      chat: { id: FORUM, type: "supergroup", title: "Forum", is_forum: true },
      is_topic_message: true,
      message_thread_id: 5,
    });
    return u;
  }

  /** A press under a menu in topic 5. */
  function topicTap(from: { id: number }, data: string): Promise<void> {
    const u = callbackUpdate(from, data, { chatId: FORUM, messageId: 500 }) as Update;
    Object.assign(u.callback_query!.message!, {
      chat: { id: FORUM, type: "supergroup", title: "Forum", is_forum: true },
      is_topic_message: true,
      message_thread_id: 5,
    });
    return bot.handleUpdate(u);
  }

  beforeEach(async () => {
    await stores.subscribers.add({ chatId: FORUM, kind: "supergroup", since: now });
    await stores.subscribers.add({ chatId: FORUM, thread: 5, kind: "supergroup", since: now });
  });

  it("a forum topic changes only that topic's subscription", async () => {
    await bot.handleUpdate(topicMessage(ALICE, "/settings quiet 23:00-07:00"));
    expect((await stores.subscribers.get(TOPIC))!.prefs.quiet).toEqual({ from: "23:00", to: "07:00" });
    expect((await stores.subscribers.get(FORUM))!.prefs.quiet).toBeNull();
    expect(lastReply(FORUM)).toMatchObject({ message_thread_id: 5 });
    expect(changed).toHaveBeenLastCalledWith(TOPIC, expect.anything(), expect.anything());

    await bot.handleUpdate(topicMessage(ALICE, "/settings"));
    expect(lastReply(FORUM).text).toContain(en("set-main-title-topic"));
    await topicTap(ALICE, "set:pv:0");
    await bot.handleUpdate(topicMessage(ALICE, "/filter +oil"));
    const topic = (await stores.subscribers.get(TOPIC))!.prefs;
    expect(topic.previews).toBe(false);
    expect(topic.keywords.include).toEqual(["oil"]);
    expect(await prefsOf(FORUM)).toEqual(defaultPrefs());

    // a member of the forum may look, not change
    await topicTap(BOB, "set:pv:1");
    expect(answers().at(-1)).toMatchObject({ text: ONLY_GROUP_ADMINS, show_alert: true });
    await bot.handleUpdate(topicMessage(BOB, "/filter clear"));
    expect(lastReply(FORUM).text).toBe(ONLY_GROUP_ADMINS);
    expect((await stores.subscribers.get(TOPIC))!.prefs.previews).toBe(false);
    expect((await stores.subscribers.get(TOPIC))!.prefs.keywords.include).toEqual(["oil"]);
  });

  it("a menu bound to a channel changes the channel, for its admins only, and names it", async () => {
    const CHANNEL = -1007007;
    await stores.subscribers.add({ chatId: CHANNEL, kind: "channel", since: now });
    await stores.places.saveChannel({ id: CHANNEL, title: "Daily <News>", addedBy: ALICE.id, at: now });
    await say(ALICE, "/start");
    await stores.places.bindMenu(ALICE.id, 500, String(CHANNEL));
    await tap(ALICE, "set:m");
    expect(edits().at(-1)!.text).toContain(en("set-main-title-of", { title: "Daily &lt;News&gt;" }));
    await tap(ALICE, "set:us:ru");
    expect((await prefsOf(CHANNEL)).locale).toBe("ru");
    // the reader's own chat keeps its language; the menu keeps speaking it
    expect((await prefsOf(ALICE.id)).locale).toBe("en");
    expect(edits().at(-1)!.text).toContain(en("set-language-title"));
    expect(rec.calls.some((c) => c.method === "getChatMember" && c.payload.chat_id === CHANNEL)).toBe(true);

    await say(BOB, "/start");
    await stores.places.bindMenu(BOB.id, 500, String(CHANNEL));
    await tap(BOB, "set:pv:0");
    expect(answers().at(-1)).toMatchObject({ text: en("set-only-admins-other"), show_alert: true });
    expect((await prefsOf(CHANNEL)).previews).toBe(true);
  });

  it("sendSettingsMenu sends the channel's menu in the reader's chat and binds it", async () => {
    const CHANNEL = -1007008;
    await stores.subscribers.add({ chatId: CHANNEL, kind: "channel", since: now });
    const settings = createSettings({
      store: {
        get: async (ref) => (await stores.subscribers.get(ref))?.prefs ?? null,
        set: (ref, prefs) => stores.subscribers.setPrefs(ref, prefs),
      },
      sources: () => sources,
      defaultTimezone: "UTC",
    });
    const access = createAccess({ places: stores.places });
    const own = new Bot<BotContext>("1:test-token-aaaaaaaaaaaaaaaaaaaa", { botInfo, client: { apiRoot: "http://127.0.0.1:9" } });
    const recorder = new ApiRecorder().install(own.api);
    own.use(localeMiddleware(createTranslator(), stores.subscribers, silentLogger));
    own.command("open", (ctx) => sendSettingsMenu(ctx, settings, String(CHANNEL), access, "My Channel"));
    own.command("mine", (ctx) => sendSettingsMenu(ctx, settings, String(ctx.chat.id), access));
    await own.handleUpdate(textUpdate(ALICE, "/open"));
    const menu = recorder.sent(ALICE.id).at(-1)!;
    expect(menu.text).toContain(en("set-main-title-of", { title: "My Channel" }));
    expect(menu.parse_mode).toBe("HTML");
    // the recorder numbers the messages it sends from 101
    expect(await stores.places.menuTarget(ALICE.id, 101)).toBe(String(CHANNEL));

    // its own chat: not bound; not subscribed: told so
    await own.handleUpdate(textUpdate(BOB, "/mine"));
    expect(recorder.sent(BOB.id).at(-1)!.text).toBe(NOT_SUBSCRIBED);
    await stores.subscribers.add({ chatId: BOB.id, kind: "private", since: now });
    await own.handleUpdate(textUpdate(BOB, "/mine"));
    expect(recorder.sent(BOB.id).at(-1)!.text).toContain(en("set-main-title"));
    expect(await stores.places.menuTarget(BOB.id, 102)).toBeNull();
  });
});

describe("/settings typed forms", () => {
  beforeEach(async () => {
    await say(ALICE, "/start");
  });

  it("sets the zone, a daily time and quiet hours, each with one line", async () => {
    await say(ALICE, "/settings zone asia/baku");
    expect(lastReply(ALICE.id).text).toBe("Time zone set to Asia/Baku: digest times and quiet hours follow it.");
    await say(ALICE, "/settings time 7:30");
    expect(lastReply(ALICE.id).text).toBe("Now: a digest daily at 07:30 (Asia/Baku).");
    await say(ALICE, "/settings quiet 23:00-07:00");
    expect(lastReply(ALICE.id).text).toBe("Quiet hours: 23:00–07:00 (messages arrive silently), in Asia/Baku.");
    expect(await prefsOf(ALICE.id)).toMatchObject({
      timezone: "Asia/Baku",
      mode: { kind: "daily", at: "07:30" },
      quiet: { from: "23:00", to: "07:00" },
    });
    await say(ALICE, "/settings quiet off");
    expect(lastReply(ALICE.id).text).toBe("Quiet hours off: every message arrives with sound.");
    expect((await prefsOf(ALICE.id)).quiet).toBeNull();
    expect(changed).toHaveBeenCalledTimes(4);
    await say(ALICE, "/settings zone Asia/Baku");
    expect(lastReply(ALICE.id).text).toBe("The time zone is Asia/Baku already.");
    expect(changed).toHaveBeenCalledTimes(4);
  });

  it.each([
    ["/settings zone Mars/Base", /^“Mars\/Base” is not a time zone\. Example: \/settings zone Asia\/Baku$/],
    ["/settings time 25:00", /^“25:00” is not a time: use HH:MM/],
    ["/settings time soon", /^“soon” is not a time/],
    ["/settings quiet 23:00", /^“23:00” is not quiet hours/],
    ["/settings quiet 07:00-07:00", /^Quiet hours must start and end at different times\.$/],
    ["/settings frobnicate", /^Usage: \/settings/],
    ["/settings zone", /^Usage: \/settings/],
  ])("%s gets one clear error line", async (cmd, expected) => {
    await say(ALICE, cmd);
    const text = lastReply(ALICE.id).text;
    expect(text).toMatch(expected);
    expect(text.split("\n")).toHaveLength(1);
    expect(await prefsOf(ALICE.id)).toEqual(defaultPrefs());
  });
});

describe("/filter", () => {
  it("shows, adds (with each problem on its line) and clears", async () => {
    await say(ALICE, "/start");
    await say(ALICE, "/filter");
    expect(lastReply(ALICE.id).text).toContain(NO_FILTERS);
    expect(lastReply(ALICE.id).text).toContain("+word = only stories with it, -word = never stories with it");

    await say(ALICE, '/filter +oil -football "prime minister" "unclosed');
    const added = lastReply(ALICE.id).text;
    expect(added).toContain("<b>oil</b>");
    expect(added).toContain("<b>football</b>");
    expect(added).toContain("prime minister");
    expect(added).toContain("⚠️ Unclosed quote");
    expect((await prefsOf(ALICE.id)).keywords).toEqual({ include: ["oil"], exclude: ["football"], phrases: ["prime minister"] });

    await say(ALICE, "/filter");
    expect(lastReply(ALICE.id).text).toContain("Never stories with: <b>football</b>");

    await say(ALICE, "/filter <b>&amp;");
    expect(lastReply(ALICE.id).text).toContain("&lt;b&gt;&amp;amp;");

    await say(ALICE, "/filter clear");
    expect(lastReply(ALICE.id).text).toBe(FILTERS_CLEARED);
    expect((await prefsOf(ALICE.id)).keywords).toEqual({ include: [], exclude: [], phrases: [] });
    expectValidHtml();
  });
});

describe("/latest and /sources honour the chat's choice", () => {
  it("/latest keeps to the chosen sources; /latest all and /latest 3 all ignore them", async () => {
    await say(ALICE, "/start");
    await say(ALICE, "/settings");
    await tap(ALICE, press("Sources"));
    await tap(ALICE, press("BBC World"));
    await tap(ALICE, press("TASS"));
    expect((await prefsOf(ALICE.id)).sources).toEqual(["apa"]);

    await say(ALICE, "/latest 10");
    const mine = lastReply(ALICE.id).text;
    expect(mine).toContain("(apa)");
    expect(mine).not.toContain("(bbc-world)");
    expect(mine).not.toContain("(tass)");
    expect(mine.match(/\(apa\)/g)).toHaveLength(3);

    await say(ALICE, "/latest all");
    const all = lastReply(ALICE.id).text;
    expect(all).toContain("(bbc-world)");
    expect(all).toContain("(tass)");
    await say(ALICE, "/latest 3 all");
    expect(lastReply(ALICE.id).text.match(/^\d+\. /gm)).toHaveLength(3);
    await say(ALICE, "/latest all all");
    expect(lastReply(ALICE.id).text).toMatch(/^Usage: \/latest \[n\]/);

    // keywords narrow it further; nothing left → one line
    await say(ALICE, "/filter +zebra");
    await say(ALICE, "/latest");
    expect(lastReply(ALICE.id).text).toBe(NOTHING_PASSES);
    await say(ALICE, "/filter clear");
    await say(ALICE, "/filter +oil");
    await say(ALICE, "/latest");
    const oil = lastReply(ALICE.id).text;
    expect(oil.match(/^\d+\. /gm)).toHaveLength(1);
    expect(oil).toContain("Oil prices climb");
  });

  it("/latest for a chat with no choice, or not subscribed, is every source", async () => {
    await say(BOB, "/latest 10");
    const text = lastReply(BOB.id).text;
    for (const s of sources) expect(text).toContain(`(${s.id})`);
  });

  it("/sources says which sources and languages this chat gets, and whether keywords apply", async () => {
    await say(BOB, "/sources");
    expect(lastReply(BOB.id).text).toContain("/start");
    await say(ALICE, "/start");
    await say(ALICE, "/sources");
    expect(lastReply(ALICE.id).text).toContain("This chat gets</b> all sources (new ones too), in all languages.");
    expect(lastReply(ALICE.id).text).toContain("/settings");
    await tap(ALICE, "set:st:0:tass:0");
    await tap(ALICE, "set:lt:0:az:0");
    await say(ALICE, "/filter -football");
    await say(ALICE, "/sources");
    const text = lastReply(ALICE.id).text;
    expect(text).toContain("2 of 3 sources: <b>BBC World</b>, <b>APA &lt;Az&gt; &amp; Co</b>, in English (en), Russian (ru).");
    expect(text).toContain("Keyword filters apply (1 rule)");
    expectValidHtml();
  });
});
