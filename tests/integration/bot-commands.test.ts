import { Api } from "grammy";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMANDS } from "../../commands/index.js";
import { ADMIN_ONLY } from "../../src/bot/context.js";
import { createBot } from "../../src/bot/create-bot.js";
import type { Source } from "../../src/config.js";
import { createFormatter } from "../../src/delivery/formatter.js";
import { createDelivery, type Delivery } from "../../src/delivery/index.js";
import { sendApiFromGrammy } from "../../src/delivery/send-api.js";
import { english } from "../../src/i18n/translator.js";
import { silentLogger } from "../../src/log.js";
import { visibleLength } from "../../src/news/html.js";
import type { Item } from "../../src/news/item.js";
import { createStores, type Stores } from "../../src/store/index.js";
import { createRedis } from "../../src/store/redis.js";
import { ApiRecorder, botInfo, callbackUpdate, errors, textUpdate } from "../support/api-recorder.js";
import { testRedis } from "../support/redis-client.js";
import { drained, until } from "./delivery-harness.js";

const en = english();
const { redis, url } = testRedis();
// BullMQ's workers need a connection that retries forever.
const queueRedis = createRedis(url, { maxRetriesPerRequest: null });
afterAll(() => Promise.all([redis.quit(), queueRedis.quit()]));
const deliveries: Delivery[] = [];
afterEach(async () => {
  for (const d of deliveries.splice(0)) await d.close();
});

const ADMIN = { id: 42, first_name: "Admin" };
const ALICE = { id: 7, first_name: "Alice" };
const BOB = { id: 8, first_name: "Bob" };
const now = Date.parse("2026-11-28T12:00:00Z");
const sources: Source[] = [
  { id: "bbc-world", name: "BBC World", url: "https://feeds.example/bbc", enabled: true, description: "World news" },
  { id: "apa", name: "APA", url: "https://feeds.example/apa", enabled: true, lang: "az" },
];

function item(n: number): Item {
  return {
    key: `bbc-world:${n}`,
    sourceId: "bbc-world",
    sourceName: "BBC World",
    title: `Headline number ${n} & <more>`,
    link: `https://news.example/${n}`,
    summary: `Summary ${n}.`,
    published: new Date(now - n * 60_000).toISOString(),
    seenAt: now,
  };
}
const items = Array.from({ length: 12 }, (_, i) => item(i + 1));

let stores: Stores;
let rec: ApiRecorder;
let n = 0;
function setup() {
  const prefix = `cmd${++n}:`;
  stores = createStores(redis, prefix);
  rec = new ApiRecorder();
  const api = new Api("1:test-token-aaaaaaaaaaaaaaaaaaaa");
  rec.install(api);
  // The real delivery (outbox, workers, progress, report), answering through the recorder.
  let delivery: Delivery | undefined;
  const bot = createBot({
    token: "1:test-token-aaaaaaaaaaaaaaaaaaaa",
    apiRoot: "http://127.0.0.1:9",
    botInfo,
    config: { adminIds: [ADMIN.id], timezone: "UTC" },
    stores,
    news: {
      latest: async (k: number) => items.slice(0, k).map((it) => ({ item: it, related: [] })),
      sources: () => sources,
    },
    broadcasts: { start: (b) => delivery!.broadcasts.start(b), cancel: () => delivery!.broadcasts.cancel() },
    deliveryStats: () => delivery!.stats(),
    logger: silentLogger,
    clock: () => now,
  });
  rec.install(bot.api);
  delivery = createDelivery({
    redis: queueRedis,
    prefix,
    stores,
    api: sendApiFromGrammy(api),
    botApi: bot.api,
    format: createFormatter(),
    relatedFor: async () => [],
    langOf: () => "en",
    logger: silentLogger,
    timezone: "UTC",
    rate: 1000,
    paidBroadcast: false,
    paidRate: 1000,
    digestThreshold: 3,
    outbox: { attempts: 3, backoffMs: 10 },
    progressIntervalMs: 100,
  });
  deliveries.push(delivery);
  delivery.start();
  const d = delivery;
  /** resolves once nothing a broadcast started is still queued or in hand */
  const settled = async () => {
    await d.broadcasts.idle();
    await drained(d);
  };
  return { bot, delivery: d, settled };
}

const reported = () => until(() => replies(ADMIN.id).find((t) => t.startsWith("📢 Broadcast finished")), 10_000, "the broadcast report");

const replies = (chatId: number) => rec.sent(chatId).map((m) => m.text);

describe("commands", () => {
  let h: ReturnType<typeof setup>;
  beforeEach(() => {
    h = setup();
  });

  it("/start subscribes once, explains the commands and shows the top 3 headlines", async () => {
    await h.bot.handleUpdate(textUpdate(ALICE, "/start"));
    await h.bot.handleUpdate(textUpdate(ALICE, "/start"));
    expect(await stores.subscribers.count()).toBe(1);
    const [first, second] = replies(ALICE.id);
    expect(first).toContain("You are subscribed");
    expect(first).toContain("/latest");
    expect(first).toContain("Headline number 1 &amp; &lt;more&gt;");
    expect(first).toContain("Headline number 3");
    expect(first).not.toContain("Headline number 4");
    expect(second).toContain("already subscribed");
  });

  it("handles an update redelivered after a crash only once", async () => {
    const u = textUpdate(ALICE, "/start");
    await h.bot.handleUpdate(u);
    await h.bot.handleUpdate(u);
    expect(replies(ALICE.id)).toHaveLength(1);
  });

  it("/stop unsubscribes and confirms", async () => {
    await h.bot.handleUpdate(textUpdate(ALICE, "/start"));
    await h.bot.handleUpdate(textUpdate(ALICE, "/stop"));
    expect(await stores.subscribers.has(ALICE.id)).toBe(false);
    expect(replies(ALICE.id).at(-1)).toContain("unsubscribed");
    await h.bot.handleUpdate(textUpdate(ALICE, "/stop"));
    expect(replies(ALICE.id).at(-1)).toContain("not subscribed");
  });

  it("/latest gives 5 by default, n on request, 10 at most, to non-subscribers too", async () => {
    await h.bot.handleUpdate(textUpdate(BOB, "/latest"));
    const all = replies(BOB.id).join("\n");
    expect(all).toContain("Headline number 5");
    expect(all).not.toContain("Headline number 6");
    await h.bot.handleUpdate(textUpdate(BOB, "/latest 2"));
    expect(replies(BOB.id).at(-1)).toContain("Headline number 2");
    expect(replies(BOB.id).at(-1)).not.toContain("Headline number 3");
    await h.bot.handleUpdate(textUpdate(BOB, "/latest 50"));
    const many = replies(BOB.id).at(-1)!;
    expect(many).toContain("Headline number 10");
    expect(many).not.toContain("Headline number 11");
  });

  it.each(["/latest abc", "/latest -3", "/latest 0", "/latest 2 3"])("%s gets a usage line", async (cmd) => {
    await h.bot.handleUpdate(textUpdate(BOB, cmd));
    expect(replies(BOB.id)).toEqual([expect.stringMatching(/^Usage: \/latest \[n\]/)]);
  });

  it("/sources lists the sources; /help lists commands, admin ones only for admins", async () => {
    await h.bot.handleUpdate(textUpdate(BOB, "/sources"));
    expect(replies(BOB.id)[0]).toContain("BBC World");
    expect(replies(BOB.id)[0]).toContain("APA");
    await h.bot.handleUpdate(textUpdate(BOB, "/help"));
    expect(replies(BOB.id)[1]).toContain("/latest");
    expect(replies(BOB.id)[1]).not.toContain("/broadcast");
    await h.bot.handleUpdate(textUpdate(ADMIN, "/help"));
    expect(replies(ADMIN.id)[0]).toContain("/broadcast");
  });

  it("a repeated /start and an unknown command answer in a line or two, pointing to /help", async () => {
    await h.bot.handleUpdate(textUpdate(ALICE, "/start"));
    await h.bot.handleUpdate(textUpdate(ALICE, "/start"));
    await h.bot.handleUpdate(textUpdate(ALICE, "/frobnicate"));
    const [, again, unknown] = replies(ALICE.id);
    for (const text of [again!, unknown!]) {
      expect(text.split("\n").length).toBeLessThanOrEqual(2);
      expect(text).toContain("/help");
      expect(text).not.toContain("/stop —");
    }
    expect(unknown).toBe("I don't know that command. /help lists what I can do.");
  });

  it("plain text in a private chat gets a short answer of what the bot does; in a group, none", async () => {
    await h.bot.handleUpdate(textUpdate(BOB, "hello?"));
    expect(replies(BOB.id)).toEqual([
      "I send news as it is published. /start to subscribe, /latest for the newest stories, /help for everything.",
    ]);
    await h.bot.handleUpdate(textUpdate(BOB, "/start"));
    await h.bot.handleUpdate(textUpdate(BOB, "thanks"));
    expect(replies(BOB.id).at(-1)).toMatch(/^You are subscribed: .*\/help for everything\.$/);
    rec.calls = [];
    await h.bot.handleUpdate(textUpdate(BOB, "hello group", { chatId: -100 }));
    await h.bot.handleUpdate(textUpdate(BOB, "/frobnicate", { chatId: -100 }));
    expect(rec.calls).toEqual([]);
  });

  it("/whoami tells the user id and the chat id, for ADMIN_IDS; /help shows the user id too", async () => {
    await h.bot.handleUpdate(textUpdate(BOB, "/whoami"));
    expect(replies(BOB.id)[0]).toBe(
      [
        "Your Telegram user id: 8",
        "This chat's id: 8",
        "To make someone an admin of this bot, put their user id in ADMIN_IDS (comma-separated) and restart it.",
      ].join("\n"),
    );
    await h.bot.handleUpdate(textUpdate(BOB, "/whoami", { chatId: -100 }));
    expect(replies(-100)[0]).toContain("Your Telegram user id: 8\nThis chat's id: -100");
    await h.bot.handleUpdate(textUpdate(BOB, "/help"));
    expect(replies(BOB.id).at(-1)).toContain("/whoami — ");
    expect(replies(BOB.id).at(-1)).toContain("Your Telegram user id is 8");
  });

  it("/help is the command list: every public command for users, admin ones too for admins", async () => {
    await h.bot.handleUpdate(textUpdate(BOB, "/help"));
    await h.bot.handleUpdate(textUpdate(ADMIN, "/help"));
    const [user, admin] = [replies(BOB.id)[0]!, replies(ADMIN.id)[0]!];
    // without a SourceAdmin the source commands are not installed, so not listed
    const shown = COMMANDS.filter((c) => c.available === undefined);
    for (const c of shown) {
      expect(admin).toContain(`/${c.name} — ${en(c.key)}`);
      if (c.admin) expect(user).not.toContain(`/${c.name}`);
      else expect(user).toContain(`/${c.name} — ${en(c.key)}`);
    }
    expect(admin).not.toContain("/addsource");
  });

  it("every admin command gives a non-admin the same one-line refusal", async () => {
    const admin = COMMANDS.filter((c) => c.admin && c.available === undefined);
    expect(admin.map((c) => c.name)).toEqual(["broadcast", "cancel", "stats"]);
    for (const c of admin) await h.bot.handleUpdate(textUpdate(ALICE, `/${c.name}`));
    expect(replies(ALICE.id)).toEqual(admin.map(() => en(ADMIN_ONLY)));
  });

  it("keeps running when Telegram rejects a reply", async () => {
    rec.failNext("sendMessage", 1, errors.blocked());
    await expect(h.bot.handleUpdate(textUpdate(BOB, "/help"))).resolves.toBeUndefined();
    await h.bot.handleUpdate(textUpdate(BOB, "/help"));
    expect(replies(BOB.id)).toHaveLength(2);
  });
});

describe("/broadcast", () => {
  let h: ReturnType<typeof setup>;
  beforeEach(async () => {
    h = setup();
    for (const u of [ALICE, BOB, ADMIN]) await h.bot.handleUpdate(textUpdate(u, "/start"));
    rec.calls = [];
  });

  async function previewFor(text: string) {
    await h.bot.handleUpdate(textUpdate(ADMIN, text));
    const preview = rec.sent(ADMIN.id).at(-1)!;
    const buttons = preview.reply_markup.inline_keyboard[0] as Array<{ text: string; callback_data: string }>;
    return { preview, send: buttons[0]!.callback_data, cancel: buttons[1]!.callback_data };
  }

  it("previews, then on Send reaches every subscriber once and reports", async () => {
    const { preview, send } = await previewFor("/broadcast Polls close at 8 <pm> & results follow");
    expect(preview.text).toContain("Polls close at 8 &lt;pm&gt; &amp; results follow");
    expect(replies(ALICE.id)).toEqual([]);
    const press = callbackUpdate(ADMIN, send, { chatId: ADMIN.id, messageId: 101 });
    await h.bot.handleUpdate(press);
    await h.bot.handleUpdate(callbackUpdate(ADMIN, send, { chatId: ADMIN.id, messageId: 101 }));
    expect(await reported()).toBe("📢 Broadcast finished: sent to 3 of 3 subscribers.\nFailed: 0. Blocked the bot (unsubscribed): 0.");
    await h.settled();
    for (const u of [ALICE, BOB]) {
      expect(replies(u.id)).toHaveLength(1);
      expect(replies(u.id)[0]).toContain("Polls close at 8 &lt;pm&gt;");
    }
    const answers = rec.calls.filter((c) => c.method === "answerCallbackQuery").map((c) => c.payload.text);
    expect(answers).toContain("This broadcast is already on its way.");
  });

  it("sends a replied-to message, drops blocked users and counts them", async () => {
    rec.failNext("sendMessage", 1, errors.blocked(), BOB.id);
    await h.bot.handleUpdate(textUpdate(ADMIN, "/broadcast", { replyTo: "Storm warning for the coast" }));
    const preview = rec.sent(ADMIN.id).at(-1)!;
    await h.bot.handleUpdate(
      callbackUpdate(ADMIN, preview.reply_markup.inline_keyboard[0][0].callback_data, { chatId: ADMIN.id, messageId: 101 }),
    );
    expect(await reported()).toBe("📢 Broadcast finished: sent to 2 of 3 subscribers.\nFailed: 0. Blocked the bot (unsubscribed): 1.");
    expect(replies(ALICE.id)[0]).toContain("Storm warning for the coast");
    expect(await stores.subscribers.has(BOB.id)).toBe(false);
  });

  it("refuses non-admins politely and sends nothing", async () => {
    await h.bot.handleUpdate(textUpdate(ALICE, "/broadcast hello everyone"));
    expect(replies(ALICE.id)).toEqual(["Sorry, only the bot's admins can do that."]);
    expect(replies(BOB.id)).toEqual([]);
    const { send } = await previewFor("/broadcast real one");
    await h.bot.handleUpdate(callbackUpdate(ALICE, send, { chatId: ALICE.id, messageId: 5 }));
    await h.settled();
    expect(replies(BOB.id)).toEqual([]);
  });

  it("Cancel sends nothing; an expired broadcast cannot be sent", async () => {
    const { send, cancel } = await previewFor("/broadcast not today");
    await h.bot.handleUpdate(callbackUpdate(ADMIN, cancel, { chatId: ADMIN.id, messageId: 101 }));
    await h.bot.handleUpdate(callbackUpdate(ADMIN, send, { chatId: ADMIN.id, messageId: 101 }));
    await h.settled();
    expect(replies(ALICE.id)).toEqual([]);
    const second = await previewFor("/broadcast later");
    await redis.del(...(await redis.keys(`cmd${n}:broadcast:*`)));
    await h.bot.handleUpdate(callbackUpdate(ADMIN, second.send, { chatId: ADMIN.id, messageId: 102 }));
    await h.settled();
    expect(replies(ALICE.id)).toEqual([]);
    const answers = rec.calls.filter((c) => c.method === "answerCallbackQuery").map((c) => c.payload.text);
    expect(answers).toContain("This broadcast has expired. Send /broadcast again.");
  });

  it("the preview of the longest broadcast stays within one Telegram message", async () => {
    const text = "&<".repeat(1750);
    const { preview } = await previewFor(`/broadcast ${text}`);
    expect(visibleLength(preview.text)).toBeLessThanOrEqual(4096);
    expect(preview.text).toContain("&amp;&lt;".repeat(1750));
    expect(preview.text).toContain("goes to 3 subscribers");
  });

  it("an empty /broadcast gets a usage line", async () => {
    await h.bot.handleUpdate(textUpdate(ADMIN, "/broadcast   "));
    expect(replies(ADMIN.id).at(-1)).toMatch(/^Usage: \/broadcast/);
  });
});
