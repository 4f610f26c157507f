import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Item } from "../../src/news/item.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { arrive, drained, type Harness, harness, settled, sleep, subscribeAll, until } from "./delivery-harness.js";

/**
 * News delivery through the chats' timelines, against the fake Bot API: what
 * subscribers see, once each, whatever Telegram answers.
 */
const t = Date.now();

function item(source: string, n: number, minutesAgo = n): Item {
  return {
    key: `${source}:${n}`,
    sourceId: source,
    sourceName: source.toUpperCase(),
    title: `Story ${n} from ${source}`,
    link: `https://${source}.example/${n}`,
    summary: `What happened in story ${n}.`,
    published: new Date(t - minutesAgo * 60_000).toISOString(),
    seenAt: t,
  };
}

let tg: FakeTelegram;
let h: Harness;
const open: Harness[] = [];

function start(opts: Parameters<typeof harness>[1] = {}): Harness {
  const x = harness(tg, opts);
  open.push(x);
  return x;
}

beforeEach(async () => {
  tg = await startFakeTelegram();
});

afterEach(async () => {
  for (const x of open.splice(0)) await x.close();
  await tg.close();
});

const texts = (chatId: number) => tg.messagesTo(chatId).map((m) => m.visibleText);
const head = () => h.stores.items.timelineHead();

describe("news delivery", () => {
  it("sends each new story to every subscriber once, oldest first, with link and related", async () => {
    h = start({ related: (i) => (i.sourceId === "bbc" ? [item("apa", 99, 30)] : []) });
    await h.stores.items.ingest("apa", [item("apa", 99, 30)]);
    await subscribeAll(h, [1, 2]);
    await arrive(h, "bbc", [item("bbc", 1), item("bbc", 2)]);
    h.delivery.start();
    await settled(h);
    for (const chat of [1, 2]) {
      const msgs = tg.messagesTo(chat);
      expect(msgs).toHaveLength(2);
      expect(msgs[0]!.visibleText).toContain("Story 2 from bbc");
      expect(msgs[1]!.visibleText).toContain("Story 1 from bbc");
      expect(msgs[0]!.links.map((l) => l.href)).toContain("https://bbc.example/2");
      expect(msgs[0]!.links.map((l) => l.href)).toContain("https://apa.example/99");
      expect(msgs[0]!.visibleText).toContain("Related");
      expect(msgs[0]!.visibleText).toContain("What happened in story 2.");
      expect(msgs[0]!.parseMode).toBe("HTML");
    }
    // Both chats stand after the last story: nothing of it is sent again.
    for (const chat of [1, 2]) expect((await h.stores.chats.get(chat))?.cursor).toBe(await head());
    expect((await h.delivery.ledger.today()).sent).toBe(4);
  });

  it("sends one digest instead of a flood", async () => {
    h = start({ threshold: 3 });
    await subscribeAll(h, [1]);
    await arrive(
      h,
      "bbc",
      [1, 2, 3, 4, 5].map((n) => item("bbc", n)),
    );
    h.delivery.start();
    await settled(h);
    expect(texts(1)).toHaveLength(1);
    expect(texts(1)[0]).toContain("5 new stories");
    for (const n of [1, 2, 3, 4, 5]) expect(texts(1)[0]).toContain(`Story ${n} from bbc`);
    // Up to the threshold, each story is a card of its own.
    await arrive(
      h,
      "bbc",
      [6, 7, 8].map((n) => item("bbc", n, 0)),
    );
    await settled(h);
    expect(texts(1)).toHaveLength(4);
    expect(
      texts(1)
        .slice(1)
        .every((x) => !x.includes("new stories")),
    ).toBe(true);
  });

  it("waits out a 429 and still delivers everything exactly once", async () => {
    h = start();
    await subscribeAll(h, [1, 2]);
    tg.failNext("sendMessage", 1, { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    await arrive(h, "bbc", [item("bbc", 1)]);
    const started = Date.now();
    h.delivery.start();
    await until(() => texts(1).length + texts(2).length === 2, 10_000, "both chats to get the story");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await settled(h);
    await sleep(300);
    expect(texts(1)).toHaveLength(1);
    expect(texts(2)).toHaveLength(1);
    expect(tg.stats.errors429).toBe(1);
  });

  it("drops a subscriber who blocked the bot or whose chat is gone, with its timeline state", async () => {
    h = start();
    await subscribeAll(h, [1, 2, 3]);
    tg.blockUser(2);
    tg.chatNotFound(3);
    await arrive(h, "bbc", [item("bbc", 1)]);
    h.delivery.start();
    await settled(h);
    expect(texts(1)).toHaveLength(1);
    expect((await h.stores.subscribers.all()).map((s) => s.chatId)).toEqual([1]);
    expect(await h.stores.chats.get(2)).toBeNull();
    expect(await h.stores.chats.get(3)).toBeNull();
    expect(await h.stores.chats.due(2)).toBeNull();
    expect((await h.delivery.ledger.today()).blocked).toBe(2);
    // Blocked chats are not dead letters: nothing went wrong that an admin should look at.
    expect((await h.delivery.ledger.deadLetters(10)).total).toBe(0);
    // Later news goes to the one left, and is not tried on the others again.
    const calls = tg.calls("sendMessage").length;
    await arrive(h, "bbc", [item("bbc", 2, 0)]);
    await settled(h);
    expect(texts(1)).toHaveLength(2);
    expect(tg.calls("sendMessage").length).toBe(calls + 1);
  });

  it("follows a group that was upgraded to a supergroup: subscription and cursor move, the story arrives there once", async () => {
    h = start();
    await subscribeAll(h, [-5]);
    tg.migrateChat(-5, -1005);
    await arrive(h, "bbc", [item("bbc", 1)]);
    h.delivery.start();
    await settled(h);
    expect(texts(-1005)).toHaveLength(1);
    expect(texts(-1005)[0]).toContain("Story 1 from bbc");
    expect((await h.stores.subscribers.all()).map((s) => s.chatId)).toEqual([-1005]);
    expect(await h.stores.chats.get(-5)).toBeNull();
    expect((await h.stores.chats.get(-1005))?.cursor).toBe(await head());
    // The next story goes straight to the new id.
    await arrive(h, "bbc", [item("bbc", 2, 0)]);
    await settled(h);
    expect(texts(-1005)).toHaveLength(2);
    expect(tg.calls("sendMessage").filter((b) => b.chat_id === -5)).toHaveLength(1);
  });

  it("retries when Telegram fails (5xx, a dropped connection) and delivers once", async () => {
    h = start({ backoffMs: 20 });
    await subscribeAll(h, [1, 2]);
    tg.failNext("sendMessage", 2, { error_code: 502, description: "Bad Gateway" });
    tg.failNext("sendMessage", 1, "network");
    await arrive(h, "bbc", [item("bbc", 1)]);
    h.delivery.start();
    await settled(h);
    await sleep(200);
    expect(texts(1)).toHaveLength(1);
    expect(texts(2)).toHaveLength(1);
    expect(tg.stats.errorsOther).toBe(2);
    expect(tg.calls("sendMessage")).toHaveLength(5);
    expect((await h.delivery.ledger.deadLetters(5)).total).toBe(0);
  });

  it("a message Telegram refuses for good is a dead letter, and the chat's later stories still arrive", async () => {
    h = start();
    await subscribeAll(h, [1]);
    tg.failNext("sendMessage", 1, { error_code: 400, description: "Bad Request: can't parse entities: Unsupported start tag" });
    await arrive(h, "bbc", [item("bbc", 1)]);
    h.delivery.start();
    await settled(h);
    const dl = await h.delivery.ledger.deadLetters(5);
    expect(dl.total).toBe(1);
    expect(dl.latest[0]).toMatchObject({ chatId: 1, what: "news bbc:1" });
    expect(dl.latest[0]!.reason).toContain("can't parse entities");
    expect((await h.delivery.ledger.today()).failed).toBe(1);
    expect(texts(1)).toHaveLength(0);
    // The cursor moved past it: it is not tried again, and what comes next arrives.
    expect((await h.stores.chats.get(1))?.cursor).toBe(await head());
    await arrive(h, "bbc", [item("bbc", 2, 0)]);
    await settled(h);
    expect(texts(1)).toHaveLength(1);
    expect(texts(1)[0]).toContain("Story 2 from bbc");
    expect(tg.calls("sendMessage")).toHaveLength(2);
  });

  it("resumes after a crash without repeating what Telegram accepted", async () => {
    h = start();
    await subscribeAll(h, [1, 2]);
    await arrive(h, "bbc", [item("bbc", 1)]);
    // A previous process got the story to chat 1 and moved its cursor, then died before its claim was released.
    await h.stores.chats.save(1, { cursor: await head(), sent: [] });
    h.delivery.start();
    await settled(h);
    expect(texts(1)).toHaveLength(0);
    expect(texts(2)).toHaveLength(1);
  });

  it("planning the same stories again (a crash before it was recorded) sends nothing twice", async () => {
    h = start();
    await subscribeAll(h, [1, 2, 3]);
    await arrive(h, "bbc", [item("bbc", 1), item("bbc", 2)]);
    h.delivery.start();
    await settled(h);
    // As if the planner had died before recording how far it got: the same stories are planned again.
    await h.redis.set(`${h.prefix}timeline:planned`, "0");
    await h.delivery.planner.run();
    expect(await h.stores.chats.planned()).toBe(await head());
    await h.delivery.planner.run();
    await settled(h);
    await sleep(200);
    for (const chat of [1, 2, 3]) expect(texts(chat)).toHaveLength(2);
  });

  it("a delivery run again for the same chat (a claim taken over, a retry) sends nothing twice", async () => {
    h = start();
    await subscribeAll(h, [1]);
    await arrive(h, "bbc", [item("bbc", 1), item("bbc", 2)]);
    h.delivery.start();
    await settled(h);
    expect(texts(1)).toHaveLength(2);
    expect(await h.delivery.chatDelivery.deliver(1)).toEqual({ kind: "nothing" });
    expect(await h.delivery.chatDelivery.deliver(1)).toEqual({ kind: "nothing" });
    await h.stores.chats.dueAt(1, Date.now());
    await settled(h);
    await sleep(200);
    expect(texts(1)).toHaveLength(2);
  });

  it("does not send a chat the stories that arrived before it subscribed", async () => {
    h = start();
    await subscribeAll(h, [1]);
    await arrive(h, "bbc", [item("bbc", 1)]);
    // Subscribed after the stories were planned, and after some arrived that are not planned yet.
    await subscribeAll(h, [9]);
    await h.stores.items.ingest("bbc", [item("bbc", 2, 0)]);
    await subscribeAll(h, [10]);
    await h.delivery.planner.run();
    h.delivery.start();
    await settled(h);
    expect(texts(1)).toHaveLength(2);
    expect(texts(9)).toEqual([expect.stringContaining("Story 2 from bbc")]);
    expect(texts(10)).toHaveLength(0);
    // What comes next reaches it.
    await arrive(h, "bbc", [item("bbc", 3, 0)]);
    await settled(h);
    expect(texts(10)).toEqual([expect.stringContaining("Story 3 from bbc")]);
  });

  it("a shutdown leaves the chats due in Redis, and the next process sends", async () => {
    h = start();
    await subscribeAll(h, [1]);
    await arrive(h, "bbc", [item("bbc", 1)]);
    // This "process" never starts its deliveries and shuts down.
    await h.delivery.close();
    open.splice(open.indexOf(h), 1);
    await h.redis.quit();
    expect(texts(1)).toHaveLength(0);
    const next = start({ prefix: h.prefix });
    expect(await next.stores.chats.due(1)).not.toBeNull();
    next.delivery.start();
    await drained(next.delivery, 15_000, true);
    expect(texts(1)).toHaveLength(1);
    expect(texts(1)[0]).toContain("Story 1 from bbc");
  });
});
