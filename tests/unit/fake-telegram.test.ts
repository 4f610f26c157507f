import { Api, Bot, GrammyError, HttpError } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeTelegram, type FakeTelegramOptions, inlineButtons, startFakeTelegram } from "../support/fake-telegram.js";

const TOKEN = "123456:TEST-token-abcdefghijklmnopqrst";

let fake: FakeTelegram | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(opts: FakeTelegramOptions = {}): Promise<{ fake: FakeTelegram; api: Api }> {
  fake = await startFakeTelegram(opts);
  return { fake, api: new Api(TOKEN, { apiRoot: fake.apiRoot }) };
}

/** The GrammyError a call fails with (fails the test if it succeeds or fails otherwise). */
async function grammyError(call: Promise<unknown>): Promise<GrammyError> {
  const err = await call.then(
    (result) => {
      throw new Error(`expected the call to fail, it returned ${JSON.stringify(result)}`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GrammyError);
  return err as GrammyError;
}

describe("fake Telegram: sending", () => {
  it("answers getMe with the test bot and records the token", async () => {
    const { fake, api } = await setup();
    const me = await api.getMe();
    expect(me).toMatchObject({ id: 1000, is_bot: true, username: "news_test_bot", can_join_groups: true });
    expect(fake.tokens()).toEqual([TOKEN]);
  });

  it("round-trips sendMessage and records what the user sees", async () => {
    const { fake, api } = await setup();
    const sent = await api.sendMessage(42, '<b>Hello</b> &amp; <a href="https://news.example/1">welcome</a>', {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      reply_markup: { inline_keyboard: [[{ text: "More", callback_data: "more:1" }]] },
    });
    expect(sent.message_id).toBe(1);
    expect(sent.chat).toMatchObject({ id: 42, type: "private" });
    expect(sent.text).toBe("Hello & welcome");
    expect(sent.entities).toEqual([
      { type: "bold", offset: 0, length: 5 },
      { type: "text_link", offset: 8, length: 7, url: "https://news.example/1" },
    ]);

    const second = await api.sendMessage(42, "plain");
    const otherChat = await api.sendMessage(43, "plain");
    expect(second.message_id).toBe(2);
    expect(otherChat.message_id).toBe(1);

    const [first] = fake.messagesTo(42);
    expect(first).toMatchObject({
      chatId: 42,
      messageId: 1,
      parseMode: "HTML",
      visibleText: "Hello & welcome",
      links: [{ href: "https://news.example/1", text: "welcome" }],
      linkPreview: { is_disabled: true },
    });
    expect(inlineButtons(first!)).toEqual([{ text: "More", callback_data: "more:1" }]);
    expect(fake.allMessages().map((m) => m.visibleText)).toEqual(["Hello & welcome", "plain", "plain"]);
    expect(fake.stats).toMatchObject({ sent: 3, errors400: 0 });
    expect(fake.calls("sendMessage")).toHaveLength(3);
  });

  it("refuses bad HTML with Telegram's description, seen by grammY as a GrammyError", async () => {
    const { fake, api } = await setup();
    const err = await grammyError(api.sendMessage(42, "Hello<br>world", { parse_mode: "HTML" }));
    expect(err.error_code).toBe(400);
    expect(err.description).toBe(`Bad Request: can't parse entities: Unsupported start tag "br" at byte offset 5`);
    expect(fake.messagesTo(42)).toEqual([]);
    expect(fake.stats.errors400).toBe(1);
  });

  it("enforces the 4096 limit on the visible text, not on the markup", async () => {
    const { fake, api } = await setup();
    await api.sendMessage(1, "x".repeat(4096));
    await api.sendMessage(1, `<b>${"y".repeat(4096)}</b>`, { parse_mode: "HTML" });
    const err = await grammyError(api.sendMessage(1, "x".repeat(4097)));
    expect(err.description).toBe("Bad Request: message is too long");
    expect(fake.messagesTo(1).map((m) => m.visibleText.length)).toEqual([4096, 4096]);
  });

  it("refuses empty text, half an emoji, entities past the end and oversized callback data", async () => {
    const { api } = await setup();
    expect((await grammyError(api.sendMessage(1, "  \n "))).description).toBe("Bad Request: message text is empty");
    expect((await grammyError(api.sendMessage(1, "<b> </b>", { parse_mode: "HTML" }))).description).toBe(
      "Bad Request: message text is empty",
    );
    expect((await grammyError(api.sendMessage(1, "cut 😀".slice(0, 5)))).description).toBe("Bad Request: strings must be encoded in UTF-8");
    const entities = await grammyError(api.sendMessage(1, "short", { entities: [{ type: "bold", offset: 2, length: 4 }] }));
    expect(entities.description).toContain("after the end of the text");
    const data = await grammyError(
      api.sendMessage(1, "x", { reply_markup: { inline_keyboard: [[{ text: "b", callback_data: "d".repeat(65) }]] } }),
    );
    expect(data.description).toBe("Bad Request: BUTTON_DATA_INVALID");
  });

  it("answers an unknown method with 404", async () => {
    const { fake } = await setup();
    const res = await fetch(`${fake.apiRoot}/bot${TOKEN}/sendTelepathy`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ ok: false, error_code: 404, description: "Not Found: method not found" });
  });
});

describe("fake Telegram: editing", () => {
  it("edits a message, refuses unknown and unchanged edits, and drops the keyboard when none is given", async () => {
    const { fake, api } = await setup();
    const keyboard = { inline_keyboard: [[{ text: "Next", callback_data: "next" }]] };
    const sent = await api.sendMessage(5, "page 1", { reply_markup: keyboard });

    const missing = await grammyError(api.editMessageText(5, 99, "page 2"));
    expect(missing.description).toBe("Bad Request: message to edit not found");
    const same = await grammyError(api.editMessageText(5, sent.message_id, "page 1", { reply_markup: keyboard }));
    expect(same.description).toMatch(/^Bad Request: message is not modified: /);

    const edited = await api.editMessageText(5, sent.message_id, "<i>page 2</i>", { parse_mode: "HTML" });
    expect(edited).toMatchObject({ text: "page 2" });
    const [message] = fake.messagesTo(5);
    expect(message).toMatchObject({ visibleText: "page 2", edits: 1, replyMarkup: undefined });
    expect(fake.stats.edits).toBe(1);

    await api.deleteMessage(5, sent.message_id);
    expect(fake.messagesTo(5)[0]!.deleted).toBe(true);
    expect((await grammyError(api.deleteMessage(5, sent.message_id))).description).toBe("Bad Request: message to delete not found");
  });
});

describe("fake Telegram: flood limits", () => {
  it("answers 429 with retry_after after a burst to one private chat, and lets it through a second later", async () => {
    let clock = 1_700_000_000_000;
    const { fake, api } = await setup({ now: () => clock });
    for (let i = 0; i < 5; i++) await api.sendMessage(7, `burst ${i}`);
    const err = await grammyError(api.sendMessage(7, "one too many"));
    expect(err.error_code).toBe(429);
    expect(err.description).toBe("Too Many Requests: retry after 1");
    expect(err.parameters.retry_after).toBe(1);
    // Other chats are not affected by one chat's limit.
    await api.sendMessage(8, "someone else");

    clock += 1000;
    await api.sendMessage(7, "after waiting");
    expect(fake.messagesTo(7).map((m) => m.visibleText)).toEqual(["burst 0", "burst 1", "burst 2", "burst 3", "burst 4", "after waiting"]);
    expect(fake.stats.errors429).toBe(1);
  });

  it("answers 429 to the 31st message within one second overall", async () => {
    const clock = 1_700_000_000_000;
    const { fake, api } = await setup({ now: () => clock });
    for (let chat = 1; chat <= 30; chat++) await api.sendMessage(chat, "news");
    const err = await grammyError(api.sendMessage(31, "news"));
    expect(err.error_code).toBe(429);
    expect(err.parameters.retry_after).toBeGreaterThanOrEqual(1);
    expect(fake.stats).toMatchObject({ sent: 30, errors429: 1 });
  });

  it("allows 20 messages a minute to a group", async () => {
    let clock = 1_700_000_000_000;
    const { api } = await setup({ now: () => clock });
    for (let i = 0; i < 20; i++) {
      await api.sendMessage(-555, `group ${i}`);
      clock += 1000;
    }
    clock += 10_000; // 30 s after the first message
    const err = await grammyError(api.sendMessage(-555, "one too many"));
    expect(err.parameters.retry_after).toBe(30);
  });

  it("can have its limits switched off", async () => {
    const { fake, api } = await setup({ globalPerSecond: false, perChatBurst: false });
    for (let i = 0; i < 40; i++) await api.sendMessage(7, `m${i}`);
    expect(fake.stats).toMatchObject({ sent: 40, errors429: 0 });
  });
});

describe("fake Telegram: chat faults", () => {
  it("answers 403 for a blocked or deactivated user and 400 for a missing chat", async () => {
    const { fake, api } = await setup();
    fake.blockUser(10);
    fake.deactivate(11);
    fake.chatNotFound(12);
    const blocked = await grammyError(api.sendMessage(10, "hi"));
    expect([blocked.error_code, blocked.description]).toEqual([403, "Forbidden: bot was blocked by the user"]);
    expect((await grammyError(api.sendMessage(11, "hi"))).description).toBe("Forbidden: user is deactivated");
    expect((await grammyError(api.sendMessage(12, "hi"))).description).toBe("Bad Request: chat not found");
    expect(fake.stats).toMatchObject({ errors403: 2, errors400: 1, sent: 0 });

    fake.clearFault(10);
    await api.sendMessage(10, "welcome back");
    expect(fake.messagesTo(10)).toHaveLength(1);
  });

  it("tells the bot a group became a supergroup, with the new id", async () => {
    const { fake, api } = await setup();
    fake.migrateChat(-4000, -1004000);
    const err = await grammyError(api.sendMessage(-4000, "hi"));
    expect(err.description).toBe("Bad Request: group chat was upgraded to a supergroup chat");
    expect(err.parameters.migrate_to_chat_id).toBe(-1004000);
    const sent = await api.sendMessage(-1004000, "hi again");
    expect(sent.chat.type).toBe("supergroup");
  });

  it("injects arbitrary failures and dropped connections for the next calls", async () => {
    const { fake, api } = await setup();
    fake.failNext("sendMessage", 1, { error_code: 502, description: "Bad Gateway" });
    fake.failNext("sendMessage", 1, "network");
    const gateway = await grammyError(api.sendMessage(1, "a"));
    expect([gateway.error_code, gateway.description]).toEqual([502, "Bad Gateway"]);
    await expect(api.sendMessage(1, "b")).rejects.toBeInstanceOf(HttpError);
    await api.sendMessage(1, "c");
    expect(fake.messagesTo(1).map((m) => m.visibleText)).toEqual(["c"]);
    expect(fake.stats.errorsOther).toBe(1);
  });
});

describe("fake Telegram: slow answers and what a message was sent with", () => {
  it("records a message when it arrives but answers it only later, for the calls asked", async () => {
    const { fake, api } = await setup();
    fake.delayAnswers("sendMessage", 300, 1);
    const started = Date.now();
    const slow = api.sendMessage(1, "slow");
    await new Promise((r) => setTimeout(r, 100));
    // Telegram acted on it already: the user sees it before the bot has its answer.
    expect(fake.messagesTo(1).map((m) => m.visibleText)).toEqual(["slow"]);
    expect((await slow).message_id).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    // The count is used up: the next answer is immediate.
    const fastStart = Date.now();
    await api.sendMessage(1, "fast");
    expect(Date.now() - fastStart).toBeLessThan(200);
    // Other methods are not delayed.
    fake.delayAnswers("sendMessage", 300, 1);
    const editStart = Date.now();
    await api.editMessageText(1, 2, "fast, edited");
    expect(Date.now() - editStart).toBeLessThan(200);
  });

  it("delays every call while set without a count, refusals too, until set to 0", async () => {
    const { fake, api } = await setup();
    fake.blockUser(9);
    fake.delayAnswers("sendMessage", 250);
    for (const call of [() => api.sendMessage(1, "a"), () => grammyError(api.sendMessage(9, "b"))]) {
      const started = Date.now();
      await call();
      expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    }
    fake.delayAnswers("sendMessage", 0);
    const started = Date.now();
    await api.sendMessage(1, "c");
    expect(Date.now() - started).toBeLessThan(200);
  });

  it("answers nothing to a client that gave up waiting, and still shows the message", async () => {
    const { fake } = await setup();
    const impatient = new Api(TOKEN, { apiRoot: fake.apiRoot, timeoutSeconds: 1 });
    fake.delayAnswers("sendMessage", 1500, 1);
    await expect(impatient.sendMessage(3, "maybe")).rejects.toBeInstanceOf(HttpError);
    expect(fake.messagesTo(3).map((m) => m.visibleText)).toEqual(["maybe"]);
    await new Promise((r) => setTimeout(r, 700));
    expect(fake.stats.sent).toBe(1);
  });

  it("records whether a message was sent silently and its link preview", async () => {
    const { fake, api } = await setup();
    await api.sendMessage(1, "quiet", { disable_notification: true, link_preview_options: { is_disabled: true } });
    await api.sendMessage(1, "loud", { link_preview_options: { url: "https://news.example/1", prefer_small_media: true } });
    expect(fake.messagesTo(1).map((m) => [m.visibleText, m.disableNotification, m.linkPreview])).toEqual([
      ["quiet", true, { is_disabled: true }],
      ["loud", false, { url: "https://news.example/1", prefer_small_media: true }],
    ]);
  });
});

describe("fake Telegram: updates", () => {
  it("marks a leading /command with a bot_command entity, including /cmd@bot", async () => {
    const { fake, api } = await setup();
    fake.sendText({ id: 5, first_name: "Ann" }, "/start@news_test_bot hello");
    fake.sendText({ id: 5 }, "/latest");
    fake.sendText({ id: 5 }, "no command");
    const updates = await api.getUpdates();
    expect(updates.map((u) => u.message?.entities)).toEqual([
      [{ type: "bot_command", offset: 0, length: 20 }],
      [{ type: "bot_command", offset: 0, length: 7 }],
      undefined,
    ]);
    expect(updates[0]!.message).toMatchObject({
      chat: { id: 5, type: "private", first_name: "Ann" },
      from: { id: 5, is_bot: false, first_name: "Ann" },
      text: "/start@news_test_bot hello",
    });
  });

  it("confirms updates below the offset and redelivers unconfirmed ones", async () => {
    const { fake, api } = await setup();
    const ids = [fake.sendText({ id: 1 }, "a"), fake.sendText({ id: 1 }, "b"), fake.sendText({ id: 1 }, "c")];

    const first = await api.getUpdates();
    expect(first.map((u) => u.update_id)).toEqual(ids);
    // No offset — as after a crash: nothing was confirmed, everything comes again.
    expect((await api.getUpdates()).map((u) => u.update_id)).toEqual(ids);

    expect((await api.getUpdates({ offset: ids[2]! })).map((u) => u.message?.text)).toEqual(["c"]);
    expect((await api.getUpdates()).map((u) => u.message?.text)).toEqual(["c"]);
    expect(await api.getUpdates({ offset: ids[2]! + 1 })).toEqual([]);
    await fake.waitForConfirmed(ids[2]!, 100);
    expect(fake.pendingUpdates()).toEqual([]);

    fake.sendText({ id: 1 }, "d");
    fake.sendText({ id: 1 }, "e");
    expect((await api.getUpdates({ limit: 1 })).map((u) => u.message?.text)).toEqual(["d"]);
    expect((await api.getUpdates({ offset: -1 })).map((u) => u.message?.text)).toEqual(["e"]);
  });

  it("holds a long poll until an update arrives, and returns [] when the timeout passes", async () => {
    const { fake, api } = await setup();
    const started = Date.now();
    const poll = api.getUpdates({ timeout: 10 });
    setTimeout(() => fake.sendText({ id: 3 }, "wake up"), 150);
    const updates = await poll;
    const waited = Date.now() - started;
    expect(updates.map((u) => u.message?.text)).toEqual(["wake up"]);
    expect(waited).toBeGreaterThanOrEqual(100);
    expect(waited).toBeLessThan(3000);

    const emptyStart = Date.now();
    expect(await api.getUpdates({ offset: updates[0]!.update_id + 1, timeout: 1 })).toEqual([]);
    expect(Date.now() - emptyStart).toBeGreaterThanOrEqual(900);
  });

  it("terminates an older long poll with 409 when a second one starts", async () => {
    const { api } = await setup();
    const older = api.getUpdates({ timeout: 10 });
    await new Promise((r) => setTimeout(r, 50));
    const newer = api.getUpdates({ timeout: 0 });
    const err = await grammyError(older);
    expect(err.error_code).toBe(409);
    expect(await newer).toEqual([]);
  });

  it("serves a real grammY bot: a command, a reply with a button, the press and the edit", async () => {
    const { fake } = await setup();
    const bot = new Bot(TOKEN, { client: { apiRoot: fake.apiRoot } });
    bot.command("start", (ctx) =>
      ctx.reply("Welcome to <b>News</b>", {
        parse_mode: "HTML",
        reply_markup: { inline_keyboard: [[{ text: "Subscribe", callback_data: "sub" }]] },
      }),
    );
    bot.callbackQuery("sub", async (ctx) => {
      await ctx.answerCallbackQuery({ text: "Subscribed" });
      await ctx.editMessageText("You are subscribed ✅");
    });
    const running = bot.start({ timeout: 5 });
    try {
      const user = { id: 77, first_name: "Bea", username: "bea" };
      fake.sendText(user, "/start");
      const welcome = await fake.waitFor((m) => m.chatId === 77, 5000);
      expect(welcome.visibleText).toBe("Welcome to News");

      const press = fake.pressButton(user, welcome, "sub");
      await fake.waitFor((m) => m.chatId === 77 && m.visibleText === "You are subscribed ✅", 5000);
      const answer = await fake.waitForCall("answerCallbackQuery");
      expect(answer).toMatchObject({ callback_query_id: fake.callbackQueryId(press), text: "Subscribed" });
      expect(inlineButtons(fake.messagesTo(77)[0]!)).toEqual([]);
      await fake.waitForConfirmed(press, 5000);
      expect(() => fake.pressButton(user, welcome, "unsubscribe")).toThrow(/no button with callback_data "unsubscribe"/);
    } finally {
      await bot.stop();
      await running;
    }
    expect(fake.calls("deleteWebhook")).toHaveLength(1);
  });
});

describe("fake Telegram: groups, forums and channels", () => {
  const ANN = { id: 5, first_name: "Ann", language_code: "ru" };
  const GROUP = { id: -4001, type: "group" as const, title: "Reading club" };
  const FORUM = { id: -1004002, type: "supergroup" as const, title: "Newsroom", is_forum: true };
  const CHANNEL = { id: -1004003, type: "channel" as const, title: "Daily wire", username: "dailywire" };

  it("carries the sender's language_code and the group's chat object", async () => {
    const { fake, api } = await setup();
    fake.sendText(ANN, "/start", GROUP);
    const [update] = await api.getUpdates();
    expect(update!.message).toMatchObject({
      from: { id: 5, language_code: "ru" },
      chat: { id: -4001, type: "group", title: "Reading club" },
    });
    const reply = await api.sendMessage(GROUP.id, "hi");
    expect(reply.chat).toEqual({ id: -4001, type: "group", title: "Reading club" });
  });

  it("puts a message in a forum topic, as Telegram does, and records the topic of the bot's replies", async () => {
    const { fake, api } = await setup();
    fake.sendText(ANN, "/start", FORUM, { topic: 10 });
    fake.sendText(ANN, "in General", FORUM);
    const [inTopic, inGeneral] = await api.getUpdates();
    expect(inTopic!.message).toMatchObject({
      chat: { id: FORUM.id, type: "supergroup", is_forum: true },
      message_thread_id: 10,
      is_topic_message: true,
      reply_to_message: { message_id: 10, forum_topic_created: { name: "Topic 10" } },
    });
    expect(inTopic!.message!.message_id).toBeGreaterThan(10);
    expect(inGeneral!.message!.is_topic_message).toBeUndefined();
    expect(inGeneral!.message!.message_thread_id).toBeUndefined();

    const sent = await api.sendMessage(FORUM.id, "in the topic", { message_thread_id: 10 });
    expect(sent).toMatchObject({ message_thread_id: 10, is_topic_message: true });
    await api.sendMessage(FORUM.id, "in General");
    expect(fake.messagesTo(FORUM.id).map((m) => [m.visibleText, m.threadId])).toEqual([
      ["in the topic", 10],
      ["in General", undefined],
    ]);
    expect(fake.messagesTo(FORUM.id, 10).map((m) => m.visibleText)).toEqual(["in the topic"]);
    // A topic nobody created does not exist.
    expect((await grammyError(api.sendMessage(FORUM.id, "x", { message_thread_id: 99 }))).description).toBe(
      "Bad Request: message thread not found",
    );
  });

  it("lets grammY's ctx.reply answer in the topic, and a button press there keeps the topic", async () => {
    const { fake } = await setup();
    const bot = new Bot(TOKEN, { client: { apiRoot: fake.apiRoot } });
    bot.command("start", (ctx) => ctx.reply("topic menu", { reply_markup: { inline_keyboard: [[{ text: "Go", callback_data: "go" }]] } }));
    bot.callbackQuery("go", async (ctx) => {
      await ctx.answerCallbackQuery();
      await ctx.reply("pressed");
    });
    const running = bot.start({ timeout: 5 });
    try {
      fake.sendText(ANN, "/start", FORUM, { topic: 20 });
      const menu = await fake.waitFor((m) => m.visibleText === "topic menu");
      expect(menu.threadId).toBe(20);
      fake.pressButton(ANN, menu, "go");
      const pressed = await fake.waitFor((m) => m.visibleText === "pressed");
      expect(pressed.threadId).toBe(20);
    } finally {
      await bot.stop();
      await running;
    }
  });

  it("answers 'message thread not found' once a topic is deleted, and TOPIC_CLOSED while one is closed", async () => {
    const { fake, api } = await setup();
    fake.sendText(ANN, "hello", FORUM, { topic: 10 });
    fake.sendText(ANN, "hello", FORUM, { topic: 20 });
    const kept = await api.sendMessage(FORUM.id, "card", { message_thread_id: 20 });

    fake.deleteTopic(FORUM.id, 20);
    const gone = await grammyError(api.sendMessage(FORUM.id, "card", { message_thread_id: 20 }));
    expect([gone.error_code, gone.description]).toEqual([400, "Bad Request: message thread not found"]);
    expect(fake.messagesTo(FORUM.id, 20)[0]).toMatchObject({ messageId: kept.message_id, deleted: true });
    expect(() => fake.sendText(ANN, "again", FORUM, { topic: 20 })).toThrow(/was deleted/);

    fake.closeTopic(FORUM.id, 10);
    expect((await grammyError(api.sendMessage(FORUM.id, "card", { message_thread_id: 10 }))).description).toBe("Bad Request: TOPIC_CLOSED");
    fake.reopenTopic(FORUM.id, 10);
    await api.sendMessage(FORUM.id, "card", { message_thread_id: 10 });
    // The rest of the forum is not affected.
    await api.sendMessage(FORUM.id, "general");
    expect(
      fake
        .messagesTo(FORUM.id)
        .filter((m) => !m.deleted)
        .map((m) => [m.visibleText, m.threadId]),
    ).toEqual([
      ["card", 10],
      ["general", undefined],
    ]);
  });

  it("tells the bot it was added, promoted, demoted and removed, and answers sends as Telegram would", async () => {
    const { fake, api } = await setup();
    fake.botMembership(GROUP, ANN, "member");
    fake.botMembership(CHANNEL, ANN, "administrator", { can_post_messages: true });
    const updates = await api.getUpdates();
    expect(updates.map((u) => u.my_chat_member)).toMatchObject([
      {
        chat: { id: GROUP.id, type: "group" },
        from: { id: ANN.id, language_code: "ru" },
        old_chat_member: { status: "left", user: { id: 1000, is_bot: true } },
        new_chat_member: { status: "member", user: { id: 1000 } },
      },
      {
        chat: { id: CHANNEL.id, type: "channel", title: "Daily wire", username: "dailywire" },
        old_chat_member: { status: "left" },
        new_chat_member: { status: "administrator", can_post_messages: true, can_edit_messages: true },
      },
    ]);
    const post = await api.sendMessage(CHANNEL.id, "card");
    expect(post.sender_chat).toMatchObject({ id: CHANNEL.id, type: "channel" });
    expect(fake.botStatus(CHANNEL.id)).toBe("administrator");

    // An administrator who may not post, then removed: kicked, or left.
    fake.botMembership(CHANNEL, ANN, "administrator", { can_post_messages: false });
    expect((await grammyError(api.sendMessage(CHANNEL.id, "card"))).description).toBe(
      "Bad Request: need administrator rights in the channel chat",
    );
    fake.botMembership(CHANNEL, ANN, "kicked");
    const kicked = await grammyError(api.sendMessage(CHANNEL.id, "card"));
    expect([kicked.error_code, kicked.description]).toEqual([403, "Forbidden: bot was kicked from the channel chat"]);
    fake.botMembership(CHANNEL, ANN, "left");
    expect((await grammyError(api.sendMessage(CHANNEL.id, "card"))).description).toBe("Forbidden: bot is not a member of the channel chat");
    fake.botMembership(GROUP, ANN, "kicked");
    expect((await grammyError(api.sendMessage(GROUP.id, "card"))).description).toBe("Forbidden: bot was kicked from the group chat");
    expect(() => fake.sendText(ANN, "/start", GROUP)).toThrow(/not in chat -4001 \(kicked\)/);

    const changes = (await api.getUpdates({ offset: updates.at(-1)!.update_id + 1 })).map((u) => [
      u.my_chat_member?.old_chat_member.status,
      u.my_chat_member?.new_chat_member.status,
    ]);
    expect(changes).toEqual([
      ["administrator", "administrator"],
      ["administrator", "kicked"],
      ["kicked", "left"],
      ["member", "kicked"],
    ]);
  });

  it("needs the bot added before it may post in a channel, and injects channel posts", async () => {
    const { fake, api } = await setup();
    expect(() => fake.channelPost(CHANNEL, "/start")).toThrow(/not in chat/);
    expect((await grammyError(api.sendMessage(CHANNEL.id, "card"))).description).toBe("Forbidden: bot is not a member of the channel chat");
    fake.botMembership(CHANNEL, ANN, "administrator");
    fake.channelPost(CHANNEL, "/settings", { authorSignature: "Ann" });
    const [, postUpdate] = await api.getUpdates();
    expect(postUpdate!.channel_post).toMatchObject({
      chat: { id: CHANNEL.id, type: "channel" },
      sender_chat: { id: CHANNEL.id },
      text: "/settings",
      author_signature: "Ann",
      entities: [{ type: "bot_command", offset: 0, length: 9 }],
    });
    expect(postUpdate!.channel_post!.from).toBeUndefined();
  });

  it("answers getChatMember from the statuses set, counts the lookups, and lists the admins", async () => {
    const { fake, api } = await setup();
    const BEN = { id: 6, first_name: "Ben" };
    fake.sendText(BEN, "hello", FORUM);
    fake.setMemberStatus(FORUM.id, ANN, "creator");
    fake.setMemberStatus(FORUM.id, 7, "administrator", { can_manage_topics: false });
    fake.setMemberStatus(FORUM.id, 8, "left");
    expect(await api.getChatMember(FORUM.id, ANN.id)).toMatchObject({ status: "creator", user: { id: 5, first_name: "Ann" } });
    expect(await api.getChatMember(FORUM.id, 7)).toMatchObject({ status: "administrator", can_manage_topics: false });
    // Someone who wrote there is a member; someone never seen is not.
    expect((await api.getChatMember(FORUM.id, BEN.id)).status).toBe("member");
    expect((await api.getChatMember(FORUM.id, 8)).status).toBe("left");
    expect((await api.getChatMember(FORUM.id, 9)).status).toBe("left");
    expect((await api.getChatMember(FORUM.id, 1000)).status).toBe("member");
    fake.setMemberStatus(FORUM.id, BEN.id, "administrator");
    expect((await api.getChatMember(FORUM.id, BEN.id)).status).toBe("administrator");

    expect(fake.memberLookups()).toBe(7);
    expect(fake.memberLookups(FORUM.id, BEN.id)).toBe(2);
    expect(fake.memberLookups(FORUM.id, 12345)).toBe(0);
    expect(fake.memberLookups(GROUP.id)).toBe(0);

    const admins = await api.getChatAdministrators(FORUM.id);
    expect(admins.map((a) => [a.user.id, a.status]).sort()).toEqual([
      [5, "creator"],
      [6, "administrator"],
      [7, "administrator"],
    ]);
    // Removed from the chat, the bot cannot ask any more.
    fake.botMembership(FORUM, ANN, "kicked");
    expect((await grammyError(api.getChatMember(FORUM.id, ANN.id))).description).toBe("Forbidden: bot was kicked from the supergroup chat");
  });

  it("can refuse to write first to a user who never started the bot", async () => {
    const { fake, api } = await setup({ requireStartedPrivateChats: true });
    // Never seen: there is no such chat for the bot.
    expect((await grammyError(api.sendMessage(ANN.id, "hi"))).description).toBe("Bad Request: chat not found");
    expect(
      (await grammyError(api.setMyCommands([{ command: "stats", description: "Stats" }], { scope: { type: "chat", chat_id: ANN.id } })))
        .description,
    ).toBe("Bad Request: chat not found");
    // Seen in a group, but never wrote in private.
    fake.sendText(ANN, "hello", GROUP);
    const err = await grammyError(api.sendMessage(ANN.id, "hi"));
    expect([err.error_code, err.description]).toEqual([403, "Forbidden: bot can't initiate conversation with a user"]);
    fake.sendText(ANN, "/start");
    await api.sendMessage(ANN.id, "hi");
    await api.setMyCommands([{ command: "stats", description: "Stats" }], { scope: { type: "chat", chat_id: ANN.id } });
    expect(fake.messagesTo(ANN.id)).toHaveLength(1);
    // Groups need no start.
    await api.sendMessage(GROUP.id, "news");
  });
});

describe("fake Telegram: the bot's profile per language", () => {
  it("records command menus by scope and language_code", async () => {
    const { fake, api } = await setup();
    await api.setMyCommands([{ command: "start", description: "Subscribe" }]);
    await api.setMyCommands([{ command: "start", description: "Подписаться" }], { language_code: "ru" });
    await api.setMyCommands([{ command: "start", description: "Abunə olun" }], { scope: { type: "default" }, language_code: "az" });
    await api.setMyCommands([{ command: "stats", description: "Статистика" }], {
      scope: { type: "chat", chat_id: 42 },
      language_code: "ru",
    });
    expect(fake.myCommands(undefined, "ru")).toEqual([{ command: "start", description: "Подписаться" }]);
    expect(fake.myCommands({ type: "default" }, "az")[0]!.description).toBe("Abunə olun");
    expect(fake.myCommands()[0]!.description).toBe("Subscribe");
    expect(fake.myCommands({ chat_id: 42, type: "chat" }, "ru")[0]!.command).toBe("stats");
    expect(fake.commandMenus().map((m) => [m.scope, m.languageCode])).toEqual([
      [{ type: "default" }, undefined],
      [{ type: "default" }, "ru"],
      [{ type: "default" }, "az"],
      [{ type: "chat", chat_id: 42 }, "ru"],
    ]);
    expect(await api.getMyCommands({ language_code: "ru" })).toEqual([{ command: "start", description: "Подписаться" }]);
    await api.deleteMyCommands({ language_code: "ru" });
    expect(fake.myCommands(undefined, "ru")).toEqual([]);
    const bad = await grammyError(api.setMyCommands([{ command: "start", description: "x" }], { language_code: "Russian" as "ru" }));
    expect(bad.description).toBe("Bad Request: invalid language code specified");
  });

  it("records descriptions and short descriptions per language", async () => {
    const { fake, api } = await setup();
    await api.setMyDescription("News as it happens");
    await api.setMyDescription("Новости по мере выхода", { language_code: "ru" });
    await api.setMyShortDescription("Xəbərlər", { language_code: "az" });
    await api.setMyName("Xəbər botu", { language_code: "az" });
    expect(fake.myDescription()).toBe("News as it happens");
    expect(fake.myDescription("ru")).toBe("Новости по мере выхода");
    expect(fake.myDescription("az")).toBeUndefined();
    expect(fake.myShortDescription("az")).toBe("Xəbərlər");
    expect(fake.myName("az")).toBe("Xəbər botu");
    // A user with a language of no description of its own sees the one for all.
    expect(await api.getMyDescription({ language_code: "az" })).toEqual({ description: "News as it happens" });
    expect(fake.calls("setMyDescription").map((b) => b.language_code)).toEqual([undefined, "ru"]);
    const long = await grammyError(api.setMyShortDescription("x".repeat(121)));
    expect(long.description).toBe("Bad Request: short description is too long");
    await api.setMyDescription("", { language_code: "ru" });
    expect(fake.myDescription("ru")).toBeUndefined();
  });
});
