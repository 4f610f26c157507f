import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Item } from "../../src/news/item.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { drained, type Harness, harness, sleep, until } from "./delivery-harness.js";

/**
 * News delivery through the outbox, against the fake Bot API: what
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

async function subscribe(...ids: number[]) {
  for (const chatId of ids) await h.stores.subscribers.add({ chatId, kind: chatId < 0 ? "group" : "private", since: t - 3600_000 });
}

/** first poll is backlog; the second brings `items` as news, and they are fanned out */
async function arrive(source: string, items: Item[]) {
  await h.stores.items.ingest(source, []);
  await h.stores.items.ingest(source, items);
  await h.delivery.fanout.run();
}

const texts = (chatId: number) => tg.messagesTo(chatId).map((m) => m.visibleText);

describe("news delivery", () => {
  it("sends each new item to every subscriber once, oldest first, with link and related", async () => {
    h = start({ related: () => [item("apa", 99, 30)] });
    await h.stores.items.ingest("apa", [item("apa", 99, 30)]);
    await subscribe(1, 2);
    await arrive("bbc", [item("bbc", 1), item("bbc", 2)]);
    await h.delivery.fanout.run();
    h.delivery.start();
    await drained(h.delivery);
    for (const chat of [1, 2]) {
      const msgs = tg.messagesTo(chat);
      expect(msgs).toHaveLength(2);
      expect(msgs[0]!.visibleText).toContain("Story 2 from bbc");
      expect(msgs[1]!.visibleText).toContain("Story 1 from bbc");
      expect(msgs[0]!.links.map((l) => l.href)).toContain("https://bbc.example/2");
      expect(msgs[0]!.links.map((l) => l.href)).toContain("https://apa.example/99");
      expect(msgs[0]!.visibleText).toContain("What happened in story 2.");
      expect(msgs[0]!.parseMode).toBe("HTML");
    }
    expect(await h.stores.items.pending(10)).toEqual([]);
  });

  it("sends one digest instead of a flood", async () => {
    h = start({ threshold: 3 });
    await subscribe(1);
    await arrive(
      "bbc",
      [1, 2, 3, 4, 5].map((n) => item("bbc", n)),
    );
    h.delivery.start();
    await drained(h.delivery);
    expect(texts(1)).toHaveLength(1);
    expect(texts(1)[0]).toContain("5 new stories");
    for (const n of [1, 2, 3, 4, 5]) expect(texts(1)[0]).toContain(`Story ${n} from bbc`);
  });

  it("waits out a 429 and still delivers everything exactly once", async () => {
    h = start();
    await subscribe(1, 2);
    tg.failNext("sendMessage", 1, { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    await arrive("bbc", [item("bbc", 1)]);
    const started = Date.now();
    h.delivery.start();
    await until(() => texts(1).length + texts(2).length === 2, 10_000, "both chats to get the story");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await drained(h.delivery);
    await sleep(300);
    expect(texts(1)).toHaveLength(1);
    expect(texts(2)).toHaveLength(1);
    expect(tg.stats.errors429).toBe(1);
  });

  it("drops a subscriber who blocked the bot or whose chat is gone", async () => {
    h = start();
    await subscribe(1, 2, 3);
    tg.blockUser(2);
    tg.chatNotFound(3);
    await arrive("bbc", [item("bbc", 1)]);
    h.delivery.start();
    await drained(h.delivery);
    expect(texts(1)).toHaveLength(1);
    expect((await h.stores.subscribers.all()).map((s) => s.chatId)).toEqual([1]);
    expect((await h.delivery.ledger.today()).blocked).toBe(2);
    // Blocked chats are not dead letters: nothing went wrong that an admin should look at.
    expect((await h.delivery.ledger.deadLetters(10)).total).toBe(0);
  });

  it("follows a group that was upgraded to a supergroup", async () => {
    h = start();
    await subscribe(-5);
    tg.migrateChat(-5, -1005);
    await arrive("bbc", [item("bbc", 1)]);
    h.delivery.start();
    await drained(h.delivery);
    expect(texts(-1005)).toHaveLength(1);
    expect((await h.stores.subscribers.all()).map((s) => s.chatId)).toEqual([-1005]);
    // Marked for both ids, so neither gets it again.
    expect(await h.stores.delivered.undelivered("bbc:1", [-5, -1005])).toEqual([]);
  });

  it("retries when Telegram fails (5xx, dropped connections) and delivers once", async () => {
    h = start({ backoffMs: 20 });
    await subscribe(1, 2);
    tg.failNext("sendMessage", 2, { error_code: 502, description: "Bad Gateway" });
    tg.failNext("sendMessage", 2, "network");
    await arrive("bbc", [item("bbc", 1)]);
    h.delivery.start();
    await drained(h.delivery);
    expect(texts(1)).toHaveLength(1);
    expect(texts(2)).toHaveLength(1);
    expect(tg.stats.errorsOther).toBeGreaterThanOrEqual(2);
  });

  it("gives up after the last attempt and shows it as a dead letter", async () => {
    h = start({ attempts: 3, backoffMs: 10 });
    await subscribe(1);
    tg.failNext("sendMessage", 3, { error_code: 500, description: "Internal Server Error" });
    await arrive("bbc", [item("bbc", 1)]);
    h.delivery.start();
    await until(async () => (await h.delivery.ledger.deadLetters(5)).total === 1, 10_000, "a dead letter");
    const dl = await h.delivery.ledger.deadLetters(5);
    expect(dl.latest[0]).toMatchObject({ chatId: 1, what: "news bbc:1" });
    expect(dl.latest[0]!.reason).toContain("Internal Server Error");
    expect((await h.delivery.ledger.today()).failed).toBe(1);
    expect(texts(1)).toHaveLength(0);
  });

  it("resumes after a crash without repeating what Telegram accepted", async () => {
    h = start();
    await subscribe(1, 2);
    await h.stores.items.ingest("bbc", []);
    await h.stores.items.ingest("bbc", [item("bbc", 1)]);
    // A previous process got the item to chat 1, then died before the queue knew.
    await h.stores.delivered.markDelivered(["bbc:1"], 1);
    await h.delivery.fanout.run();
    h.delivery.start();
    await drained(h.delivery);
    expect(texts(1)).toHaveLength(0);
    expect(texts(2)).toHaveLength(1);
  });

  it("re-running a fan-out (a crash before pending was cleared) sends nothing twice", async () => {
    h = start();
    await subscribe(1, 2, 3);
    await arrive("bbc", [item("bbc", 1), item("bbc", 2)]);
    h.delivery.start();
    await drained(h.delivery);
    // The same items come back into `pending`, as if the fan-out had died before removing them.
    await h.redis.zadd(`${h.prefix}pending`, t, "bbc:1", t, "bbc:2");
    await h.delivery.fanout.run();
    await drained(h.delivery);
    await sleep(200);
    for (const chat of [1, 2, 3]) expect(texts(chat)).toHaveLength(2);
  });

  it("a job that runs again after it was done (a stalled job taken over, a retry) sends nothing twice", async () => {
    h = start();
    await subscribe(1);
    await arrive("bbc", [item("bbc", 1), item("bbc", 2)]);
    h.delivery.start();
    await drained(h.delivery);
    expect(texts(1)).toHaveLength(2);
    // The same job again: its id is free (done jobs are removed), the markers are not.
    await h.delivery.outbox.add([
      {
        kind: "news",
        chatId: 1,
        digest: false,
        items: [
          { key: "bbc:2", related: [] },
          { key: "bbc:1", related: [] },
        ],
      },
    ]);
    await drained(h.delivery);
    await sleep(200);
    expect(texts(1)).toHaveLength(2);
  });

  it("does not send news older than a subscription", async () => {
    h = start();
    await h.stores.items.ingest("bbc", []);
    await h.stores.items.ingest("bbc", [item("bbc", 1)]);
    await h.stores.subscribers.add({ chatId: 9, kind: "private", since: t + 1000 });
    await h.delivery.fanout.run();
    h.delivery.start();
    await drained(h.delivery);
    expect(texts(9)).toHaveLength(0);
    expect(await h.stores.items.pending(10)).toEqual([]);
  });

  it("a shutdown leaves the rest queued in Redis, and the next start sends it", async () => {
    h = start();
    await subscribe(1);
    await arrive("bbc", [item("bbc", 1)]);
    // This "process" never starts its workers and shuts down.
    await h.delivery.close();
    open.splice(open.indexOf(h), 1);
    await h.redis.quit();
    expect(texts(1)).toHaveLength(0);
    const next = start({ prefix: h.prefix });
    next.delivery.start();
    await drained(next.delivery);
    expect(texts(1)).toHaveLength(1);
  });
});
