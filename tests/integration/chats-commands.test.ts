/**
 * The bot in the reader's language and where they read, handler by handler
 * (grammY's way: a recording API transformer, bot.handleUpdate): the
 * language from language_code and /language; groups where only admins turn
 * news on and off; forum topics as their own subscriptions; channels the
 * bot is made an administrator of, and /channels.
 */
import type { Update } from "grammy/types";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createBot } from "../../src/bot/create-bot.js";
import type { Source } from "../../src/config.js";
import { createTranslator } from "../../src/i18n/translator.js";
import { silentLogger } from "../../src/log.js";
import { createSettings } from "../../src/prefs/settings.js";
import { createStores, type Stores } from "../../src/store/index.js";
import { ApiRecorder, botInfo } from "../support/api-recorder.js";
import { testRedis } from "../support/redis-client.js";

const { redis } = testRedis();
afterAll(() => redis.quit());

const tr = createTranslator();
const en = tr.forLocale("en");
const ru = tr.forLocale("ru");
const az = tr.forLocale("az");

const now = Date.parse("2026-12-02T12:00:00Z");
const sources: Source[] = [
  { id: "apa", name: "APA", url: "https://feeds.example/apa", enabled: true, lang: "az" },
  { id: "bbc", name: "BBC World", url: "https://feeds.example/bbc", enabled: true, lang: "en" },
];

interface Person {
  id: number;
  first_name: string;
  language_code?: string;
}
const IVAN: Person = { id: 11, first_name: "Ivan", language_code: "ru" };
const AYSEL: Person = { id: 12, first_name: "Aysel", language_code: "az" };
const JOHN: Person = { id: 13, first_name: "John", language_code: "en-US" };
const ADMIN: Person = { id: 21, first_name: "Admin", language_code: "en" };
const MEMBER: Person = { id: 22, first_name: "Member", language_code: "en" };
const GROUP = { id: -100500, type: "supergroup" as const, title: "Newsroom", is_forum: true };
const CHANNEL = { id: -100777, type: "channel" as const, title: "Baku Daily" };

let updateId = 1;
let messageId = 1;
const user = (p: Person) => ({ id: p.id, is_bot: false, first_name: p.first_name, language_code: p.language_code });

function message(from: Person, text: string, opts: { chat?: typeof GROUP; thread?: number } = {}): Update {
  const cmd = /^\/[a-z_]+/i.exec(text);
  const chat = opts.chat ?? { id: from.id, type: "private" as const, first_name: from.first_name };
  return {
    update_id: updateId++,
    message: {
      message_id: messageId++,
      date: Math.floor(now / 1000),
      chat,
      from: user(from),
      text,
      ...(cmd ? { entities: [{ type: "bot_command", offset: 0, length: cmd[0].length }] } : {}),
      ...(opts.thread === undefined ? {} : { message_thread_id: opts.thread, is_topic_message: true }),
    } as never,
  };
}

function press(from: Person, data: string, msg: { chatId: number; messageId: number; chat?: object; thread?: number }): Update {
  return {
    update_id: updateId++,
    callback_query: {
      id: String(updateId),
      from: user(from),
      chat_instance: "ci",
      data,
      message: {
        message_id: msg.messageId,
        date: 0,
        chat: msg.chat ?? { id: msg.chatId, type: "private", first_name: "U" },
        text: "menu",
        ...(msg.thread === undefined ? {} : { message_thread_id: msg.thread, is_topic_message: true }),
      } as never,
    },
  };
}

function botStatus(
  chat: { id: number; type: string; title?: string },
  by: Person,
  from: string,
  to: string,
  rights: { can_post_messages?: boolean } = {},
): Update {
  const member = (status: string, extra = {}) => ({ status, user: { id: botInfo.id, is_bot: true, first_name: "NewsBot" }, ...extra });
  return {
    update_id: updateId++,
    my_chat_member: {
      chat,
      from: user(by),
      date: Math.floor(now / 1000),
      old_chat_member: member(from),
      new_chat_member: member(to, to === "administrator" ? { can_post_messages: false, ...rights } : {}),
    } as never,
  };
}

let stores: Stores;
let rec: ApiRecorder;
let n = 0;
/** who is an admin of which chat, as getChatMember answers */
let admins: Map<number, Set<number>>;

function setup() {
  stores = createStores(redis, `chats${++n}:`, () => now);
  rec = new ApiRecorder();
  admins = new Map([
    [GROUP.id, new Set([ADMIN.id])],
    [CHANNEL.id, new Set([ADMIN.id])],
  ]);
  rec.respond((c) => {
    if (c.method !== "getChatMember") return undefined;
    const admin = admins.get(c.payload.chat_id)?.has(c.payload.user_id) ?? false;
    return {
      ok: true,
      result: { status: admin ? "administrator" : "member", user: { id: c.payload.user_id, is_bot: false, first_name: "U" } },
    };
  });
  const settings = createSettings({
    store: {
      get: async (id) => (await stores.subscribers.get(id))?.prefs ?? null,
      set: (id, p) => stores.subscribers.setPrefs(id, p),
    },
    sources: () => sources,
    defaultTimezone: "UTC",
    logger: silentLogger,
  });
  const bot = createBot({
    token: "1:test-token-aaaaaaaaaaaaaaaaaaaa",
    apiRoot: "http://127.0.0.1:9",
    botInfo,
    config: { adminIds: [], timezone: "UTC" },
    stores,
    news: { latest: async () => [], sources: () => sources },
    broadcasts: { start: async () => ({ ok: false }) as never, cancel: async () => false as never },
    settings,
    translator: tr,
    logger: silentLogger,
    clock: () => now,
  });
  rec.install(bot.api);
  return bot;
}

const texts = (chatId: number) => rec.sent(chatId).map((m) => m.text);
const last = (chatId: number) => texts(chatId).at(-1) ?? "";

describe("the reader's language", () => {
  let bot: ReturnType<typeof setup>;
  beforeEach(() => {
    bot = setup();
  });

  it("a Russian reader is greeted, helped and remembered in Russian", async () => {
    await bot.handleUpdate(message(IVAN, "/start"));
    expect(last(IVAN.id)).toContain("Добро пожаловать");
    expect((await stores.subscribers.get(IVAN.id))?.prefs.locale).toBe("ru");
    await bot.handleUpdate(message(IVAN, "/help"));
    const help = last(IVAN.id);
    expect(help).toContain(ru("help-about"));
    expect(help).toContain(`/stop — ${ru("cmd-stop")}`);
    expect(help).not.toContain(en("cmd-stop"));
    await bot.handleUpdate(message(IVAN, "/nonsense"));
    expect(last(IVAN.id)).toBe(ru("fallback-unknown"));
  });

  it("an Azerbaijani reader gets Azerbaijani, anyone else English", async () => {
    await bot.handleUpdate(message(AYSEL, "/start"));
    expect(last(AYSEL.id)).toContain("Xoş gəlmisiniz");
    await bot.handleUpdate(message(AYSEL, "/help"));
    expect(last(AYSEL.id)).toContain(az("help-about"));
    await bot.handleUpdate(message(JOHN, "/start"));
    expect(last(JOHN.id)).toContain("Welcome to the news");
    expect((await stores.subscribers.get(JOHN.id))?.prefs.locale).toBe("en");
  });

  it("/language switches the chat's language, answered in the new one; a forged button changes nothing", async () => {
    await bot.handleUpdate(message(JOHN, "/start"));
    await bot.handleUpdate(message(JOHN, "/language"));
    const menu = rec.sent(JOHN.id).at(-1)!;
    expect(menu.text).toBe(en("language-choose"));
    const buttons = (menu.reply_markup.inline_keyboard as { text: string; callback_data: string }[][]).flat();
    expect(buttons.map((b) => b.text)).toEqual(["✅ 🇬🇧 English", "🇷🇺 Русский", "🇦🇿 Azərbaycanca"]);
    const azButton = buttons.find((b) => b.text.includes("Azərbaycanca"))!;
    await bot.handleUpdate(press(JOHN, azButton.callback_data, { chatId: JOHN.id, messageId: 500 }));
    expect((await stores.subscribers.get(JOHN.id))?.prefs.locale).toBe("az");
    const edit = rec.calls.filter((c) => c.method === "editMessageText").at(-1)!;
    expect(edit.payload.text).toBe(az("language-set"));
    await bot.handleUpdate(message(JOHN, "/help"));
    expect(last(JOHN.id)).toContain(az("help-about"));

    await bot.handleUpdate(press(JOHN, "lang:xx", { chatId: JOHN.id, messageId: 500 }));
    expect((await stores.subscribers.get(JOHN.id))?.prefs.locale).toBe("az");
    const answer = rec.calls.filter((c) => c.method === "answerCallbackQuery").at(-1)!;
    expect(answer.payload.text).toBe(az("fallback-stale-button"));
  });

  it("a language chosen before /start is kept by /start, and survives /stop", async () => {
    await bot.handleUpdate(message(JOHN, "/language"));
    await bot.handleUpdate(press(JOHN, "lang:ru", { chatId: JOHN.id, messageId: 501 }));
    expect(await stores.subscribers.has(JOHN.id)).toBe(false);
    await bot.handleUpdate(message(JOHN, "/start"));
    expect(last(JOHN.id)).toContain("Добро пожаловать");
    await bot.handleUpdate(message(JOHN, "/stop"));
    expect(last(JOHN.id)).toBe(ru("stop-done"));
    await bot.handleUpdate(message(JOHN, "/help"));
    expect(last(JOHN.id)).toContain(ru("help-about"));
  });
});

describe("groups and forum topics", () => {
  let bot: ReturnType<typeof setup>;
  beforeEach(() => {
    bot = setup();
  });

  it("only a group's admins turn its news on and off; members are told so", async () => {
    await bot.handleUpdate(botStatus(GROUP, ADMIN, "left", "member"));
    expect(last(GROUP.id)).toBe(en("group-hello"));
    await bot.handleUpdate(message(MEMBER, "/start", { chat: GROUP }));
    expect(last(GROUP.id)).toBe(en("start-only-admins"));
    expect(await stores.subscribers.has(GROUP.id)).toBe(false);

    await bot.handleUpdate(message(ADMIN, "/start", { chat: GROUP }));
    expect(last(GROUP.id)).toContain("News for this chat is on");
    expect(await stores.subscribers.has(GROUP.id)).toBe(true);

    await bot.handleUpdate(message(MEMBER, "/stop", { chat: GROUP }));
    expect(last(GROUP.id)).toBe(en("stop-only-admins"));
    expect(await stores.subscribers.has(GROUP.id)).toBe(true);

    await bot.handleUpdate(message(ADMIN, "/stop", { chat: GROUP }));
    expect(last(GROUP.id)).toBe(en("stop-done-group"));
    expect(await stores.subscribers.has(GROUP.id)).toBe(false);
  });

  it("an admin check is asked of Telegram once a minute, not at every command", async () => {
    await bot.handleUpdate(message(ADMIN, "/start", { chat: GROUP }));
    await bot.handleUpdate(message(ADMIN, "/start", { chat: GROUP }));
    await bot.handleUpdate(message(ADMIN, "/stop", { chat: GROUP }));
    expect(rec.calls.filter((c) => c.method === "getChatMember")).toHaveLength(1);
  });

  it("/start inside a forum topic subscribes that topic, answered in the topic", async () => {
    await bot.handleUpdate(message(ADMIN, "/start", { chat: GROUP, thread: 10 }));
    await bot.handleUpdate(message(ADMIN, "/start", { chat: GROUP, thread: 20 }));
    const subs = await stores.subscribers.topicsOf(GROUP.id);
    expect(subs.map((s) => [s.key, s.thread]).sort()).toEqual([
      [`${GROUP.id}:10`, 10],
      [`${GROUP.id}:20`, 20],
    ]);
    expect(await stores.subscribers.has(GROUP.id)).toBe(false);
    const welcome = rec.sent(GROUP.id).at(-1)!;
    expect(welcome.text).toContain("News for this topic is on");
    expect(welcome.message_thread_id).toBe(20);

    // /stop in topic 20 stops that topic only.
    await bot.handleUpdate(message(ADMIN, "/stop", { chat: GROUP, thread: 20 }));
    expect((await stores.subscribers.topicsOf(GROUP.id)).map((s) => s.key)).toEqual([`${GROUP.id}:10`]);
  });

  it("the bot removed from a group stops every subscription in it, its topics too", async () => {
    await bot.handleUpdate(message(ADMIN, "/start", { chat: GROUP }));
    await bot.handleUpdate(message(ADMIN, "/start", { chat: GROUP, thread: 10 }));
    await bot.handleUpdate(botStatus(GROUP, ADMIN, "member", "kicked"));
    expect(await stores.subscribers.topicsOf(GROUP.id)).toEqual([]);
  });
});

describe("channels", () => {
  let bot: ReturnType<typeof setup>;
  beforeEach(() => {
    bot = setup();
  });

  it("made an administrator who may post: news on there, the admin told in their language; removed: told once", async () => {
    const ADMIN_RU = { ...ADMIN, language_code: "ru" };
    await bot.handleUpdate(botStatus(CHANNEL, ADMIN_RU, "left", "administrator", { can_post_messages: true }));
    expect(await stores.subscribers.has(CHANNEL.id)).toBe(true);
    expect((await stores.subscribers.get(CHANNEL.id))?.kind).toBe("channel");
    expect(last(ADMIN.id)).toContain("Baku Daily");
    expect(last(ADMIN.id)).toContain("Русский");
    expect(last(ADMIN.id)).toContain("/channels");

    await bot.handleUpdate(botStatus(CHANNEL, ADMIN_RU, "administrator", "left"));
    await bot.handleUpdate(botStatus(CHANNEL, ADMIN_RU, "administrator", "left"));
    expect(await stores.subscribers.has(CHANNEL.id)).toBe(false);
    const told = texts(ADMIN.id).filter((t) => t.startsWith("⛔"));
    expect(told).toEqual([ru("channel-removed", { title: "Baku Daily" })]);
  });

  it("an administrator without the right to post gets no news, and the admin hears why", async () => {
    await bot.handleUpdate(botStatus(CHANNEL, ADMIN, "left", "administrator", { can_post_messages: false }));
    expect(await stores.subscribers.has(CHANNEL.id)).toBe(false);
    expect(last(ADMIN.id)).toBe(en("channel-no-post-right", { title: "Baku Daily" }));
    // Granted later: news on.
    await bot.handleUpdate(botStatus(CHANNEL, ADMIN, "administrator", "administrator", { can_post_messages: true }));
    expect(await stores.subscribers.has(CHANNEL.id)).toBe(true);
  });

  it("/channels lists the channels the reader administers and opens one's settings; others are refused", async () => {
    await bot.handleUpdate(botStatus(CHANNEL, ADMIN, "left", "administrator", { can_post_messages: true }));
    await bot.handleUpdate(message(ADMIN, "/channels"));
    const list = rec.sent(ADMIN.id).at(-1)!;
    expect(list.text).toBe(en("channels-list"));
    const button = (list.reply_markup.inline_keyboard as { text: string; callback_data: string }[][]).flat()[0]!;
    expect(button.text).toContain("Baku Daily");

    await bot.handleUpdate(message(MEMBER, "/channels"));
    expect(last(MEMBER.id)).toBe(en("channels-none"));
    await bot.handleUpdate(press(MEMBER, button.callback_data, { chatId: MEMBER.id, messageId: 900 }));
    const refusal = rec.calls.filter((c) => c.method === "answerCallbackQuery").at(-1)!;
    expect(refusal.payload.text).toBe(en("channels-not-admin"));

    await bot.handleUpdate(press(ADMIN, button.callback_data, { chatId: ADMIN.id, messageId: 901 }));
    const menu = rec.sent(ADMIN.id).at(-1)!;
    expect(menu.text).toContain("Baku Daily");
    expect(menu.reply_markup.inline_keyboard.length).toBeGreaterThan(0);
    // The menu edits the channel's settings, not the admin's own.
    const bound = await redis.keys(`chats${n}:menu:${ADMIN.id}:*`);
    expect(bound).toHaveLength(1);
    expect(await redis.get(bound[0]!)).toBe(String(CHANNEL.id));
  });
});

describe("/latest in a group", () => {
  it("members asking together get one list a minute; a private chat is never held back", async () => {
    const bot = setup();
    for (const who of [MEMBER, ADMIN, MEMBER]) await bot.handleUpdate(message(who, "/latest", { chat: GROUP }));
    expect(rec.sent(GROUP.id)).toHaveLength(1);
    for (let i = 0; i < 3; i++) await bot.handleUpdate(message(JOHN, "/latest"));
    expect(rec.sent(JOHN.id)).toHaveLength(3);
  });
});
