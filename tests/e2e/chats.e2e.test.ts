import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, startBotProcess, testBotEnv } from "../support/bot-process.js";
import {
  type FakeChat,
  type FakeTelegram,
  type FakeUser,
  inlineButtons,
  type RecordedMessage,
  startFakeTelegram,
} from "../support/fake-telegram.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { testRedis } from "../support/redis-client.js";
import { type RssItem, rss } from "../support/rss.js";
import { waitUntil } from "../support/wait.js";

/**
 * Issue 13's chats beyond a private one, from their people's side, with the
 * real bot process: a group whose admins (and only they) turn news on and
 * off; a channel the bot posts in once an admin lets it, managed from that
 * admin's private chat; a forum whose topics each have their own news. And
 * what happens when the bot is removed or a topic is deleted: sends stop,
 * the right person is told once, the bot keeps running.
 */
const TOKEN = "123456:CHATS-e2e-token_abcdefghijklmnop";
const BOT_ADMIN = { id: 42, first_name: "Admin" };
/** a private subscriber: once a story reached it, every chat that would get it had its turn */
const CANARY: FakeUser = { id: 60, first_name: "Cara" };

const GRETA: FakeUser = { id: 31, first_name: "Greta" };
const MAX: FakeUser = { id: 32, first_name: "Max" };
const GROUP: FakeChat = { id: -5001, type: "group", title: "Book Club" };
const GROUP2: FakeChat = { id: -5002, type: "group", title: "Chess Club" };
const UMA: FakeUser = { id: 41, first_name: "Uma" };
const CHANNEL: FakeChat = { id: -1005003, type: "channel", title: "Morning Brief Channel" };
/** added by someone who never wrote to the bot: they cannot be told, the channel still gets news */
const VERA: FakeUser = { id: 45, first_name: "Vera" };
const CHANNEL2: FakeChat = { id: -1005006, type: "channel", title: "Evening Wire Channel" };
const FRED: FakeUser = { id: 51, first_name: "Fred" };
const FORUM: FakeChat = { id: -1005004, type: "supergroup", title: "Newsroom Forum", is_forum: true };

const A = "world-wire";
const B = "caucasus-daily";
const feedsOf: Record<string, RssItem[]> = {
  [A]: [
    {
      guid: "a0",
      title: "Parliament passes the annual budget",
      link: "https://world.example/budget",
      description: "Lawmakers approved spending after a long debate.",
      pubDate: new Date(Date.now() - 3600_000),
    },
  ],
  [B]: [
    {
      guid: "b0",
      title: "Tbilisi hosts regional trade forum",
      link: "https://caucasus.example/forum",
      description: "Delegations from Armenia and Azerbaijan attended.",
      pubDate: new Date(Date.now() - 3600_000),
    },
  ],
};
/** headlines with nothing in common, so no story is taken for another outlet's report of an earlier one */
const HEADLINES: Record<string, string[]> = {
  [A]: [
    "Volcano erupts near a remote island village",
    "Orchestra premieres a long lost symphony",
    "Desert solar farm doubles its output",
    "Rare orchid blooms in the botanical garden",
    "Submarine cable links two continents",
    "Marathon runner breaks the course record",
    "Museum returns looted bronze artefacts",
    "Glacier retreat accelerates in the Alps",
    "Chess prodigy wins the national title",
    "Ancient shipwreck found off the coast",
    "Library digitises medieval manuscripts",
    "Wind turbines power an entire town",
  ],
  [B]: [
    "Tea harvest begins early in Lankaran",
    "Mountain pass reopens after an avalanche",
    "Carpet weavers revive forgotten patterns",
    "Night ferry starts crossing the Caspian",
    "Pomegranate festival draws record crowds",
    "Caviar exports rise for a third year",
    "Old town bathhouse restored to glory",
    "Silk road caravanserai opens as hotel",
    "Mud volcano park welcomes first tourists",
    "Saffron growers report a bumper crop",
  ],
};
let published = 0;
/** A new story in source A's or B's feed; the bot finds it at its next poll (every second). */
function publish(source: typeof A | typeof B): RssItem {
  const title = HEADLINES[source]!.shift();
  if (!title) throw new Error(`test: out of headlines for ${source}`);
  published++;
  const item: RssItem = {
    guid: `${source}-${published}`,
    title,
    link: `https://${source}.example/story-${published}`,
    description: `${title}, as our correspondent reports.`,
    pubDate: new Date(),
  };
  feedsOf[source]!.unshift(item);
  return item;
}

const { redis, url: redisUrl } = testRedis();
const prefix = `chats${randomUUID().slice(0, 6)}:`;
let tg: FakeTelegram;
let feeds: FeedServer;
let bot: BotProcess;

beforeAll(async () => {
  // As Telegram: nobody is written to in private before they wrote to the bot (the bot's admin 42 never did).
  tg = await startFakeTelegram({ requireStartedPrivateChats: true });
  feeds = await startFeedServer();
  feeds.set("/a.xml", () => ({ body: rss("World Wire", feedsOf[A]!) }));
  feeds.set("/b.xml", () => ({ body: rss("Caucasus Daily", feedsOf[B]!) }));
  bot = startBotProcess(
    testBotEnv({
      token: TOKEN,
      apiRoot: tg.apiRoot,
      redisUrl,
      prefix,
      adminIds: [BOT_ADMIN.id],
      sources: [
        { id: A, name: "World Wire", url: feeds.urlFor("/a.xml"), lang: "en" },
        { id: B, name: "Caucasus Daily", url: feeds.urlFor("/b.xml"), lang: "en" },
      ],
    }),
  );
  await bot.waitForLog((l) => l.msg === "bot: started", 30_000);
  await bot.waitForLog((l) => l.msg === "poll: run finished" && l.backlog === 2, 30_000);
  tg.sendText(CANARY, "/start");
  await waitUntil(
    () => tg.messagesTo(CANARY.id).length > 0,
    () => "the canary's welcome",
  );
}, 60_000);

afterAll(async () => {
  // E2E_TRANSCRIPT=1: what every chat saw, with the time of each message (for reading a failure, or the pace of sends).
  if (process.env.E2E_TRANSCRIPT && tg) {
    const t0 = tg.allMessages()[0]?.at ?? 0;
    for (const m of tg.allMessages()) {
      const where = `${m.chatId}${m.threadId ? `:${m.threadId}` : ""}`;
      process.stdout.write(
        `${((m.at - t0) / 1000).toFixed(1).padStart(6)}s ${where.padEnd(16)} ${JSON.stringify(m.visibleText.slice(0, 110))}\n`,
      );
    }
  }
  await bot?.stop("SIGKILL");
  await tg?.close();
  await feeds?.close();
  await redis.quit();
});

// ─── waiting ─────────────────────────────────────────────────────────────────

/** The bot's messages in a chat (or topic), for failure messages. */
function transcript(chatId: number, threadId?: number): string {
  return (
    tg
      .messagesTo(chatId, threadId)
      .map((m) => `  #${m.messageId}${m.threadId ? ` [topic ${m.threadId}]` : ""}: ${JSON.stringify(m.visibleText.slice(0, 160))}`)
      .join("\n") || "  (nothing)"
  );
}

/** Lets whatever the bot does with the updates and stories it has in hand happen: the next two polls (a second each). */
async function settle(): Promise<void> {
  const from = bot.logs.length;
  let seen = 0;
  await bot.waitForLog((l) => l.msg === "poll: run finished" && ++seen >= 2, 15_000, from);
  await tg.waitForConfirmed(undefined, 5000);
}

/** The next message the bot writes in a chat (topic) after `before` of them. */
function nextIn(chatId: number, before: number, threadId?: number, timeoutMs = 15_000): Promise<RecordedMessage> {
  return waitUntil(
    () => tg.messagesTo(chatId, threadId)[before],
    () => `a message in chat ${chatId}${threadId ? ` topic ${threadId}` : ""}; so far:\n${transcript(chatId, threadId)}`,
    timeoutMs,
  );
}

/** A user writes; the bot's answer in that chat (topic). */
async function say(user: FakeUser, text: string, chat?: FakeChat, topic?: number): Promise<RecordedMessage> {
  const chatId = chat?.id ?? user.id;
  const before = tg.messagesTo(chatId, topic).length;
  tg.sendText(user, text, chat, topic === undefined ? undefined : { topic });
  return nextIn(chatId, before, topic);
}

/** The card of a story in a chat (topic). */
function cardIn(chatId: number, story: RssItem, threadId?: number, timeoutMs = 20_000): Promise<RecordedMessage> {
  return waitUntil(
    () => tg.messagesTo(chatId, threadId).find((m) => m.visibleText.includes(story.title)),
    () => `the card "${story.title}" in chat ${chatId}${threadId ? ` topic ${threadId}` : ""}; so far:\n${transcript(chatId)}`,
    timeoutMs,
  );
}

const has = (chatId: number, story: RssItem, threadId?: number) =>
  tg.messagesTo(chatId, threadId).some((m) => m.visibleText.includes(story.title));

/** The story reached the canary and everything else had time to happen. */
async function delivered(story: RssItem): Promise<void> {
  await cardIn(CANARY.id, story);
  await settle();
}

/** sendMessage attempts the bot made to a chat (or topic), accepted or refused. */
function attempts(chatId: number, threadId?: number): number {
  return tg
    .calls("sendMessage")
    .filter((b) => Number(b.chat_id) === chatId && (threadId === undefined || Number(b.message_thread_id) === threadId)).length;
}

/** The subscription of a chat (or "chatId:thread") as Redis holds it. */
async function subscription(key: string): Promise<"on" | "stopped" | "none"> {
  const raw = await redis.hget(`${prefix}subscribers`, key);
  if (raw === null) return "none";
  return (JSON.parse(raw) as { stopped?: boolean }).stopped ? "stopped" : "on";
}

const button = (m: RecordedMessage, pred: (b: { text: string; callback_data: string }) => boolean, what: string) => {
  const buttons = inlineButtons(m).flatMap((b) => ("callback_data" in b ? [{ text: b.text, callback_data: b.callback_data }] : []));
  const found = buttons.find(pred);
  if (!found) throw new Error(`no button for ${what} on message #${m.messageId}: ${JSON.stringify(buttons)}`);
  return found;
};

/** Presses a button of a menu that edits itself (or answers with a new message); returns what the user sees next. */
async function press(user: FakeUser, menu: RecordedMessage, data: string): Promise<RecordedMessage> {
  const edits = menu.edits;
  const before = tg.messagesTo(menu.chatId).length;
  tg.pressButton(user, menu, data);
  return waitUntil(
    () => (menu.edits > edits ? menu : tg.messagesTo(menu.chatId)[before]),
    () => `an answer to pressing ${data}; so far:\n${transcript(menu.chatId)}`,
  );
}

/**
 * In a /settings menu: open the sources screen and switch `off` off, by
 * the buttons' own callback data ("set:s:<page>" opens it, "…:<id>:0"
 * switches a source off). Returns the menu message.
 */
async function switchSourceOff(user: FakeUser, menu: RecordedMessage, off: string): Promise<RecordedMessage> {
  const open = button(menu, (b) => /^set:s:\d+$/.test(b.callback_data), "the sources screen");
  const screen = await press(user, menu, open.callback_data);
  const offButton = button(screen, (b) => b.callback_data.includes(`:${off}:`) && b.callback_data.endsWith(":0"), `switching ${off} off`);
  const after = await press(user, screen, offButton.callback_data);
  // The screen now offers to switch it back on.
  await waitUntil(
    () => inlineButtons(after).some((b) => "callback_data" in b && b.callback_data.includes(`:${off}:`) && b.callback_data.endsWith(":1")),
    () => `the sources screen to show ${off} off: ${JSON.stringify(inlineButtons(after))}`,
  );
  return after;
}

// ─── the tests ───────────────────────────────────────────────────────────────

describe("chats end to end", () => {
  it("a group: an admin turns news on, a member cannot stop it, the admin can", { timeout: 60_000 }, async () => {
    tg.setMemberStatus(GROUP.id, GRETA, "creator");
    tg.setMemberStatus(GROUP.id, MAX, "member");
    tg.botMembership(GROUP, GRETA, "member");
    await settle();

    const welcome = await say(GRETA, "/start", GROUP);
    expect(welcome.visibleText, "the admin's /start in the group").not.toMatch(/only .*admin/i);
    await waitUntil(
      async () => (await subscription(String(GROUP.id))) === "on",
      () => `the group subscribed after its admin's /start; the group saw:\n${transcript(GROUP.id)}`,
    );

    const first = publish(A);
    await cardIn(GROUP.id, first);

    const refused = await say(MAX, "/stop", GROUP);
    expect(refused.visibleText, "a plain member's /stop").toMatch(/admin/i);
    expect(await subscription(String(GROUP.id))).toBe("on");

    const second = publish(A);
    await cardIn(GROUP.id, second);

    const stopped = await say(GRETA, "/stop", GROUP);
    expect(stopped.visibleText).not.toMatch(/only .*admin/i);
    await waitUntil(
      async () => (await subscription(String(GROUP.id))) !== "on",
      () => "the group's subscription to stop after its admin's /stop",
    );
    const third = publish(A);
    await delivered(third);
    expect(has(GROUP.id, third), `no card after /stop; the group saw:\n${transcript(GROUP.id)}`).toBe(false);
    // Who is an admin is asked of Telegram, and kept a while: one lookup per person here.
    expect(tg.memberLookups(GROUP.id, GRETA.id), "getChatMember calls for the group's admin").toBeGreaterThan(0);
    expect(tg.memberLookups(GROUP.id, GRETA.id), "getChatMember calls for the group's admin (cached a minute)").toBeLessThanOrEqual(1);
    expect(tg.memberLookups(GROUP.id, MAX.id), "getChatMember calls for the plain member").toBeLessThanOrEqual(1);
  });

  it("a group: once the bot is removed, nothing more is sent there and the bot keeps running", { timeout: 60_000 }, async () => {
    tg.setMemberStatus(GROUP2.id, GRETA, "administrator");
    tg.botMembership(GROUP2, GRETA, "member");
    await settle();
    await say(GRETA, "/start", GROUP2);
    await waitUntil(
      async () => (await subscription(String(GROUP2.id))) === "on",
      () => `the second group subscribed; it saw:\n${transcript(GROUP2.id)}`,
    );
    const story = publish(B);
    await cardIn(GROUP2.id, story);

    const errorsBefore = bot.errors().length;
    tg.botMembership(GROUP2, GRETA, "kicked");
    await settle();
    const sendsBefore = attempts(GROUP2.id);
    const next = publish(B);
    await delivered(next);
    const later = publish(A);
    await delivered(later);

    expect(attempts(GROUP2.id), "sendMessage calls to a group the bot was removed from").toBe(sendsBefore);
    expect(await subscription(String(GROUP2.id))).not.toBe("on");
    expect(bot.running()).toBe(true);
    expect(bot.errors(errorsBefore).map((l) => l.msg)).toEqual([]);
  });

  it("a channel: its admin adds the bot, is told, manages it from /channels; removed, it stops and the admin is told once", {
    timeout: 60_000,
  }, async () => {
    await say(UMA, "/start");
    tg.setMemberStatus(CHANNEL.id, UMA, "creator");

    // Made an administrator who may post: Uma hears of it in her private chat.
    let before = tg.messagesTo(UMA.id).length;
    tg.botMembership(CHANNEL, UMA, "administrator", { can_post_messages: true });
    const added = await nextIn(UMA.id, before);
    expect(added.visibleText, "the notice to the admin who added the bot").toContain(CHANNEL.title);

    const first = publish(B);
    await cardIn(CHANNEL.id, first);
    await cardIn(UMA.id, first);

    // /channels lists it; its button opens the channel's settings, here in the private chat.
    const list = await say(UMA, "/channels");
    const open = button(
      list,
      (b) => b.text.includes(CHANNEL.title!) || b.callback_data.includes(String(CHANNEL.id)),
      `the channel "${CHANNEL.title}"`,
    );
    const menu = await press(UMA, list, open.callback_data);
    expect(menu.chatId).toBe(UMA.id);
    expect(menu.visibleText, "the channel's settings say whose they are").toContain(CHANNEL.title);
    expect(inlineButtons(menu).some((b) => "callback_data" in b && b.callback_data.startsWith("set:"))).toBe(true);

    // What is chosen there is the channel's, not Uma's own subscription.
    await switchSourceOff(UMA, menu, B);
    const fromB = publish(B);
    await cardIn(UMA.id, fromB);
    const fromA = publish(A);
    await cardIn(CHANNEL.id, fromA);
    await settle();
    expect(has(CHANNEL.id, fromB), `the channel switched ${B} off; it saw:\n${transcript(CHANNEL.id)}`).toBe(false);

    // Removed: no more posts, and Uma is told — once.
    before = tg.messagesTo(UMA.id).length;
    tg.botMembership(CHANNEL, UMA, "kicked");
    const removed = await nextIn(UMA.id, before);
    expect(removed.visibleText, "the notice that the bot was removed").toContain(CHANNEL.title);
    const sendsBefore = attempts(CHANNEL.id);
    const after1 = publish(A);
    await delivered(after1);
    const after2 = publish(A);
    await delivered(after2);
    expect(attempts(CHANNEL.id), "sendMessage calls to the channel after the bot was removed").toBe(sendsBefore);
    const notices = tg
      .messagesTo(UMA.id)
      .slice(before)
      .filter((m) => m.visibleText.includes(CHANNEL.title!));
    expect(
      notices.map((m) => m.visibleText),
      "notices to Uma about the channel after removal",
    ).toHaveLength(1);
    expect(await subscription(String(CHANNEL.id))).not.toBe("on");
    expect(bot.running()).toBe(true);
  });

  it("a channel added by someone who never wrote to the bot: its news comes, stops while it may not post, comes back", {
    timeout: 60_000,
  }, async () => {
    const errorsBefore = bot.errors().length;
    tg.setMemberStatus(CHANNEL2.id, VERA, "creator");
    tg.botMembership(CHANNEL2, VERA, "administrator", { can_post_messages: true });
    await settle();
    const story = publish(A);
    await cardIn(CHANNEL2.id, story);
    expect(tg.messagesTo(VERA.id)).toEqual([]);

    // Still an administrator, but no longer allowed to post: the channel's news stops…
    tg.botMembership(CHANNEL2, VERA, "administrator", { can_post_messages: false });
    await settle();
    const sendsBefore = attempts(CHANNEL2.id);
    const quiet = publish(A);
    await delivered(quiet);
    expect(attempts(CHANNEL2.id), "sendMessage calls to a channel the bot may not post in").toBe(sendsBefore);
    // …and comes back when the right does.
    tg.botMembership(CHANNEL2, VERA, "administrator", { can_post_messages: true });
    await settle();
    const back = publish(B);
    await cardIn(CHANNEL2.id, back);
    expect(has(CHANNEL2.id, quiet), "a story from while it could not post is not sent later").toBe(false);
    expect(bot.running()).toBe(true);
    expect(bot.errors(errorsBefore).map((l) => l.msg)).toEqual([]);
  });

  it("a forum: each topic has its own news and settings; a deleted topic stops, the group is told once, the others go on", {
    timeout: 60_000,
  }, async () => {
    tg.setMemberStatus(FORUM.id, FRED, "creator");
    tg.botMembership(FORUM, FRED, "member");
    await settle();

    const welcome10 = await say(FRED, "/start", FORUM, 10);
    const welcome20 = await say(FRED, "/start", FORUM, 20);
    expect([welcome10.threadId, welcome20.threadId]).toEqual([10, 20]);
    await waitUntil(
      async () => (await subscription(`${FORUM.id}:10`)) === "on" && (await subscription(`${FORUM.id}:20`)) === "on",
      () => `both topics subscribed; the forum saw:\n${transcript(FORUM.id)}`,
    );

    // Topic 10 takes only A, topic 20 only B — each through /settings inside the topic.
    const menu10 = await say(FRED, "/settings", FORUM, 10);
    expect(menu10.threadId).toBe(10);
    await switchSourceOff(FRED, menu10, B);
    const menu20 = await say(FRED, "/settings", FORUM, 20);
    expect(menu20.threadId).toBe(20);
    await switchSourceOff(FRED, menu20, A);

    const storyA = publish(A);
    const storyB = publish(B);
    await cardIn(FORUM.id, storyA, 10);
    await cardIn(FORUM.id, storyB, 20);
    await settle();
    const cards = (thread?: number) =>
      tg
        .messagesTo(FORUM.id)
        .filter((m) => m.threadId === thread && (m.visibleText.includes(storyA.title) || m.visibleText.includes(storyB.title)));
    expect(
      cards(10).map((m) => m.visibleText.split("\n")[0]),
      "topic 10's cards",
    ).toEqual([storyA.title]);
    expect(
      cards(20).map((m) => m.visibleText.split("\n")[0]),
      "topic 20's cards",
    ).toEqual([storyB.title]);
    expect(cards(undefined), "cards in the General topic").toEqual([]);

    // Topic 20 is deleted: its next card is refused, its news stops, the group is told once.
    tg.deleteTopic(FORUM.id, 20);
    const forumBefore = tg.messagesTo(FORUM.id).length;
    const fredBefore = tg.messagesTo(FRED.id).length;
    const titles = () => [...feedsOf[A]!, ...feedsOf[B]!].map((i) => i.title);
    const notices = () => [
      ...tg
        .messagesTo(FORUM.id)
        .slice(forumBefore)
        .filter((m) => m.threadId !== 10 && !titles().some((t) => m.visibleText.includes(t))),
      ...tg.messagesTo(FRED.id).slice(fredBefore),
    ];
    const b2 = publish(B);
    const a2 = publish(A);
    await cardIn(FORUM.id, a2, 10);
    const notice = await waitUntil(
      () => notices()[0],
      () =>
        `a notice that topic 20 is gone (in the forum or to its admin); the forum saw:\n${transcript(FORUM.id)}\n` +
        `Telegram refused ${tg.stats.errors400} sends with 400`,
    );
    expect(notice.visibleText.length).toBeGreaterThan(0);
    await waitUntil(
      async () => (await subscription(`${FORUM.id}:20`)) !== "on",
      () => "topic 20's subscription to stop",
    );
    const tries20 = attempts(FORUM.id, 20);

    const b3 = publish(B);
    const a3 = publish(A);
    await cardIn(FORUM.id, a3, 10);
    await delivered(b3);
    expect(attempts(FORUM.id, 20), "sends to the deleted topic after it stopped").toBe(tries20);
    expect(
      notices().map((m) => m.visibleText),
      "notices about the deleted topic",
    ).toHaveLength(1);
    expect(has(FORUM.id, b2, 10) || has(FORUM.id, b3, 10), "topic 10 does not take B").toBe(false);
    expect(await subscription(`${FORUM.id}:10`)).toBe("on");
    expect(bot.running()).toBe(true);
  });
});
