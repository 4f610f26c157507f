import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFormatter } from "../../src/delivery/formatter.js";
import { createTranslator, english, type Translate } from "../../src/i18n/translator.js";
import type { FormatOptions } from "../../src/news/compose.js";
import type { Item } from "../../src/news/item.js";
import { defaultPrefs } from "../../src/prefs/preferences.js";
import type { ChatPrefs } from "../../src/prefs/types.js";
import type { Broadcast } from "../../src/store/broadcast-store.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { arrive, type Harness, harness, settled, subscribeAll, subscribeTopics, until } from "./delivery-harness.js";

/**
 * Forum topics and each chat's language in the delivery pipeline: a topic is
 * a subscription of its own (its sources, its cursor, its posts carry its
 * message_thread_id), a closed or deleted topic ends only itself, a chat
 * the bot cannot post in ends with all its topics, a broadcast reaches a
 * forum once, and every message is composed in its subscription's language.
 */
const FORUM = -1001234567890;
const ADMIN = 42;
const t0 = Date.now();

function item(source: string, n: number): Item {
  return {
    key: `${source}:${n}`,
    sourceId: source,
    sourceName: source.toUpperCase(),
    title: `Story ${n} from ${source}`,
    link: `https://${source}.example/${n}`,
    summary: `What happened in story ${n}.`,
    published: new Date(t0 - n * 60_000).toISOString(),
    seenAt: t0,
  };
}

const only = (sources: string[], more: Partial<ChatPrefs> = {}): ChatPrefs => ({ ...defaultPrefs(), sources, ...more });

let tg: FakeTelegram;
const open: Harness[] = [];
function start(o: Parameters<typeof harness>[1] = {}): Harness {
  const h = harness(tg, o);
  open.push(h);
  return h;
}

beforeEach(async () => {
  tg = await startFakeTelegram();
});

afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
  await tg.close();
});

/** Makes `chatId` a forum (in the fake) with these topics open: a member wrote in each. */
function forum(chatId: number, topics: number[]) {
  const chat = { id: chatId, type: "supergroup" as const, title: "Forum", is_forum: true };
  for (const topic of topics) tg.sendText({ id: 900, first_name: "Member" }, "hi", chat, { topic });
}

/** The sendMessage bodies to the forum, as [thread, text]. */
const forumSends = () =>
  tg
    .calls("sendMessage")
    .filter((b) => Number(b.chat_id) === FORUM)
    .map((b) => [b.message_thread_id === undefined ? undefined : Number(b.message_thread_id), String(b.text)] as const);

/** What the /broadcast command does up to Send: a record, a preview message, the status CAS. */
async function confirm(h: Harness, text: string): Promise<Broadcast> {
  const id = randomBytes(6).toString("hex");
  await h.stores.broadcasts.create({ id, adminId: ADMIN, adminChatId: ADMIN, text, createdAt: Date.now() });
  const preview = await h.botApi.sendMessage(ADMIN, `📢 Broadcast preview: ${text}`);
  await h.stores.broadcasts.setPreviewMessage(id, preview.message_id);
  return (await h.stores.broadcasts.transition(id, "pending", "sending"))!;
}

describe("forum topics", () => {
  it("each topic gets only its own sources' stories, in its topic; the group's flood limit counts them together", async () => {
    const h = start();
    await subscribeTopics(h, [
      { chatId: FORUM, thread: 17, prefs: only(["bbc"]) },
      { chatId: FORUM, thread: 18, prefs: only(["apa"]) },
    ]);
    await arrive(h, "bbc", [item("bbc", 1)]);
    await arrive(h, "apa", [item("apa", 1)]);
    h.delivery.start();
    await settled(h, 20_000);

    const in17 = tg.messagesTo(FORUM, 17).map((m) => m.visibleText);
    const in18 = tg.messagesTo(FORUM, 18).map((m) => m.visibleText);
    expect(in17).toHaveLength(1);
    expect(in17[0]).toContain("Story 1 from bbc");
    expect(in18).toHaveLength(1);
    expect(in18[0]).toContain("Story 1 from apa");
    expect(forumSends().map(([thread]) => thread)).toEqual(expect.arrayContaining([17, 18]));
    expect(forumSends()).toHaveLength(2);
    // One flood budget for the whole group (20/min): the second topic waited its turn.
    const [a, b] = tg.messagesTo(FORUM).map((m) => m.at);
    expect(Math.abs(b! - a!)).toBeGreaterThanOrEqual(2900);
    expect(tg.stats.errors429).toBe(0);
    // Each topic stands after the last story on its own cursor; existing chat ids keep their plain keys.
    const head = await h.stores.items.timelineHead();
    expect((await h.stores.chats.get(`${FORUM}:17`))?.cursor).toBe(head);
    expect((await h.stores.chats.get(`${FORUM}:18`))?.cursor).toBe(head);
    expect(await h.stores.chats.get(FORUM)).toBeNull();
  });

  it("a deleted topic ends only that subscription, and onTopicGone is called once", async () => {
    const told: { sub: unknown; reason: string }[] = [];
    const chatsGone: number[] = [];
    const h = start({
      onTopicGone: async (sub, reason) => void told.push({ sub, reason }),
      onChatGone: async (chatId) => void chatsGone.push(chatId),
    });
    await subscribeTopics(h, [
      { chatId: FORUM, prefs: only(["cnn"]) },
      { chatId: FORUM, thread: 17, prefs: only(["bbc"]) },
      { chatId: FORUM, thread: 18, prefs: only(["apa"]) },
    ]);
    forum(FORUM, [17, 18]);
    tg.deleteTopic(FORUM, 17);
    await arrive(h, "bbc", [item("bbc", 1)]);
    h.delivery.start();
    await until(() => told.length > 0, 10_000, "onTopicGone");
    await settled(h);
    expect(told).toEqual([{ sub: { key: `${FORUM}:17`, chatId: FORUM, thread: 17 }, reason: "Bad Request: message thread not found" }]);
    expect(chatsGone).toEqual([]);
    expect(await h.stores.subscribers.get(`${FORUM}:17`)).toBeNull();
    expect(await h.stores.chats.get(`${FORUM}:17`)).toBeNull();
    expect(await h.stores.chats.due(`${FORUM}:17`)).toBeNull();
    expect((await h.stores.subscribers.topicsOf(FORUM)).map((s) => s.key).sort()).toEqual([String(FORUM), `${FORUM}:18`]);
    // Not a dead letter, not a failure: the subscription simply ended.
    expect((await h.delivery.ledger.deadLetters(10)).total).toBe(0);

    // The other topic and the chat's own subscription go on; the deleted topic is not tried again.
    await arrive(h, "apa", [item("apa", 2)]);
    await arrive(h, "cnn", [item("cnn", 3)]);
    await arrive(h, "bbc", [item("bbc", 4)]);
    await settled(h, 20_000);
    expect(tg.messagesTo(FORUM, 18).map((m) => m.visibleText)).toEqual([expect.stringContaining("Story 2 from apa")]);
    const general = tg.messagesTo(FORUM).filter((m) => m.threadId === undefined);
    expect(general.map((m) => m.visibleText)).toEqual([expect.stringContaining("Story 3 from cnn")]);
    expect(forumSends().filter(([thread]) => thread === 17)).toHaveLength(1);
    expect(told).toHaveLength(1);
  });

  it("a closed topic (TOPIC_CLOSED) ends that subscription the same way", async () => {
    const told: string[] = [];
    const h = start({ onTopicGone: async (sub) => void told.push(sub.key) });
    await subscribeTopics(h, [{ chatId: FORUM, thread: 19 }]);
    forum(FORUM, [19]);
    tg.closeTopic(FORUM, 19);
    await arrive(h, "bbc", [item("bbc", 1)]);
    h.delivery.start();
    await settled(h);
    expect(told).toEqual([`${FORUM}:19`]);
    expect(await h.stores.subscribers.count()).toBe(0);
  });

  it("a chat the bot can no longer post in ends with all its topics, and onChatGone is called once", async () => {
    const gone: { chatId: number; reason: string }[] = [];
    const topics: string[] = [];
    const h = start({
      onChatGone: async (chatId, reason) => void gone.push({ chatId, reason }),
      onTopicGone: async (sub) => void topics.push(sub.key),
    });
    await subscribeTopics(h, [{ chatId: FORUM }, { chatId: FORUM, thread: 17 }, { chatId: FORUM, thread: 18 }]);
    await subscribeAll(h, [7]);
    tg.chatNotFound(FORUM);
    await arrive(h, "bbc", [item("bbc", 1)]);
    h.delivery.start();
    await until(() => gone.length > 0, 10_000, "onChatGone");
    await settled(h, 20_000);
    expect(gone).toEqual([{ chatId: FORUM, reason: "Bad Request: chat not found" }]);
    expect(topics).toEqual([]);
    expect(await h.stores.subscribers.topicsOf(FORUM)).toEqual([]);
    for (const key of [String(FORUM), `${FORUM}:17`, `${FORUM}:18`]) {
      expect(await h.stores.chats.get(key)).toBeNull();
      expect(await h.stores.chats.due(key)).toBeNull();
    }
    expect((await h.delivery.ledger.today()).blocked).toBe(1);
    // Others are not touched.
    expect(tg.messagesTo(7)).toHaveLength(1);
    expect(await h.stores.subscribers.has(7)).toBe(true);
  });
});

describe("each chat's language", () => {
  it("a Russian subscriber's card is composed in Russian, an English one's in English", async () => {
    const translator = createTranslator();
    const seen: { t: Translate | undefined; locale: string | undefined }[] = [];
    const base = createFormatter();
    const h = start({
      translator,
      format: {
        ...base,
        news: (e, fmt: FormatOptions) => {
          seen.push({ t: fmt.t, locale: fmt.locale });
          return base.news(e, fmt);
        },
      },
    });
    await subscribeAll(h, [7, 8], (chatId) => (chatId === 7 ? { ...defaultPrefs(), locale: "ru" } : undefined));
    await arrive(h, "bbc", [item("bbc", 1)]);
    h.delivery.start();
    await settled(h);
    const ru = tg.messagesTo(7)[0]!.visibleText;
    const en = tg.messagesTo(8)[0]!.visibleText;
    expect(ru).toContain(translator.forLocale("ru")("card-read-more").replace(/\s*→$/, ""));
    expect(ru).toContain("Читать дальше");
    expect(ru).not.toContain("Read more");
    expect(en).toContain("Read more");
    expect(en).not.toContain("Читать");
    // The formatter was given each chat's texts and Intl tag.
    expect(seen.map((g) => g.locale).sort()).toEqual(["en-GB", "ru-RU"]);
    const ruSeen = seen.find((g) => g.locale === "ru-RU")!;
    expect(ruSeen.t).toBe(translator.forLocale("ru"));
    expect(seen.find((g) => g.locale === "en-GB")!.t).toBe(translator.forLocale("en"));
  });
});

describe("broadcasts to forums", () => {
  const reportOf = () => tg.messagesTo(ADMIN).find((m) => m.visibleText.startsWith("📢 Broadcast finished"));

  it("reach a forum with two topic subscriptions once, in its lowest-numbered topic, in that topic's language", async () => {
    const h = start({ rate: 100 });
    await subscribeTopics(h, [
      { chatId: FORUM, thread: 18 },
      { chatId: FORUM, thread: 17, prefs: { ...defaultPrefs(), locale: "ru" } },
    ]);
    await subscribeAll(h, [5]);
    h.delivery.start();
    const b = await confirm(h, "Polls close at 20:00");
    await h.delivery.broadcasts.start(b);
    await until(reportOf, 15_000, "the report");
    const toForum = forumSends();
    expect(toForum).toHaveLength(1);
    expect(toForum[0]![0]).toBe(17);
    expect(toForum[0]![1]).toContain("Polls close at 20:00");
    expect(toForum[0]![1]).toContain(createTranslator().forLocale("ru")("bc-announcement"));
    expect(tg.messagesTo(5)).toHaveLength(1);
    // Two chats, not three subscriptions.
    expect(reportOf()!.visibleText).toBe(
      `${english()("bc-report-finished", { sent: 2, total: 2 })}\n${english()("bc-report-counts", { failed: 0, blocked: 0 })}`,
    );
  });

  it("goes to the chat's own subscription when it has one, and to its next topic when the chosen one is gone", async () => {
    const told: string[] = [];
    const h = start({ rate: 100, onTopicGone: async (sub) => void told.push(sub.key) });
    const OTHER = -1009876543210;
    await subscribeTopics(h, [
      { chatId: FORUM, thread: 17 },
      { chatId: FORUM },
      { chatId: OTHER, thread: 3 },
      { chatId: OTHER, thread: 4 },
    ]);
    forum(OTHER, [3, 4]);
    tg.deleteTopic(OTHER, 3);
    h.delivery.start();
    const b = await confirm(h, "Storm warning");
    await h.delivery.broadcasts.start(b);
    await until(reportOf, 15_000, "the report");
    expect(forumSends()).toEqual([[undefined, expect.stringContaining("Storm warning")]]);
    const toOther = tg.calls("sendMessage").filter((c) => Number(c.chat_id) === OTHER);
    expect(toOther.map((c) => c.message_thread_id)).toEqual([3, 4]);
    expect(tg.messagesTo(OTHER, 4).filter((m) => m.visibleText.includes("Storm warning"))).toHaveLength(1);
    expect(told).toEqual([`${OTHER}:3`]);
    expect(reportOf()!.visibleText).toContain(english()("bc-report-finished", { sent: 2, total: 2 }));
  });

  it("reports progress in the admin's language", async () => {
    const h = start({ rate: 100 });
    await h.stores.subscribers.remember({ chatId: ADMIN, kind: "private" }, { ...defaultPrefs(), locale: "ru" });
    await subscribeAll(h, [5, 6]);
    h.delivery.start();
    const b = await confirm(h, "Hello");
    await h.delivery.broadcasts.start(b);
    const ru = createTranslator().forLocale("ru");
    const expected = `${ru("bc-report-finished", { sent: 2, total: 2 })}\n${ru("bc-report-counts", { failed: 0, blocked: 0 })}`;
    const report = await until(() => tg.messagesTo(ADMIN).find((m) => m.visibleText === expected), 15_000, "the Russian report");
    expect(report?.visibleText).toContain("Рассылка завершена");
  });
});
