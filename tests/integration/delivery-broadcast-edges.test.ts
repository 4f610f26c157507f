import { randomBytes } from "node:crypto";
import { type Api, GrammyError } from "grammy";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBroadcastDelivery } from "../../src/delivery/broadcast-delivery.js";
import { throttledErrors } from "../../src/delivery/error-log.js";
import { createLedger } from "../../src/delivery/ledger.js";
import { defaultTranslator } from "../../src/i18n/translator.js";
import { type Logger, silentLogger } from "../../src/log.js";
import type { Broadcast } from "../../src/store/broadcast-store.js";
import { createStores } from "../../src/store/index.js";
import { keys } from "../../src/store/keys.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { type PrivateRedis, startPrivateRedis } from "../support/redis.js";
import { testRedis } from "../support/redis-client.js";
import { type Harness, harness, until } from "./delivery-harness.js";

/**
 * The edges of broadcast tracking: edits Telegram would refuse, a fan-out
 * raced by a slow Telegram, and a Redis that comes back empty mid-way.
 */
const ADMIN = 42;
const { redis } = testRedis();
afterAll(() => redis.quit());

interface Call {
  method: string;
  args: unknown[];
}

/** The few Bot API methods broadcast tracking uses, recorded; `edit` decides what an edit does. */
function stubApi(edit: (text: string) => Promise<unknown> = async () => true) {
  const calls: Call[] = [];
  const api = {
    editMessageText: async (...args: unknown[]) => {
      calls.push({ method: "editMessageText", args });
      return edit(String(args[2]));
    },
    sendMessage: async (...args: unknown[]) => {
      calls.push({ method: "sendMessage", args });
      return { message_id: 900 + calls.length };
    },
    deleteMessage: async (...args: unknown[]) => {
      calls.push({ method: "deleteMessage", args });
      return true;
    },
  };
  return { api: api as unknown as Api, calls };
}

function setup(api: Api, prefix = `bce${randomBytes(4).toString("hex")}:`) {
  const k = keys(prefix);
  const stores = createStores(redis, prefix);
  const ledger = createLedger(redis, k, { timezone: "UTC" });
  const added: number[][] = [];
  const delivery = createBroadcastDelivery({
    redis,
    keys: k,
    broadcasts: stores.broadcasts,
    subscribers: stores.subscribers,
    outbox: { add: async (jobs) => void added.push(jobs.map((j) => j.chatId)) },
    ledger,
    api,
    translator: defaultTranslator(),
    logger: silentLogger,
    expectedRate: 30,
    progressIntervalMs: 60_000,
  });
  return { prefix, k, stores, ledger, delivery, added };
}

async function sending(s: ReturnType<typeof setup>, subscribers: number): Promise<Broadcast> {
  for (let i = 0; i < subscribers; i++) await s.stores.subscribers.add({ chatId: 100 + i, kind: "private", since: 0 });
  const id = randomBytes(6).toString("hex");
  await s.stores.broadcasts.create({ id, adminId: ADMIN, adminChatId: ADMIN, text: "Hello", createdAt: Date.now() });
  await s.stores.broadcasts.setPreviewMessage(id, 7);
  return (await s.stores.broadcasts.transition(id, "pending", "sending"))!;
}

const notModified = () =>
  new GrammyError(
    "Call to 'editMessageText' failed!",
    {
      ok: false,
      error_code: 400,
      description: "Bad Request: message is not modified: specified new message content and reply markup are exactly the same",
    },
    "editMessageText",
    {},
  );

describe("broadcast progress edits", () => {
  it("does not send an edit whose text is the one shown, and takes 400 'message is not modified' as done", async () => {
    let refuse = true;
    const { api, calls } = stubApi(async () => {
      if (refuse) throw notModified();
      return true;
    });
    const s = setup(api);
    const b = await sending(s, 5);
    // The first edit (0 / 5) comes back "not modified" (another process showed it): recorded as shown all the same.
    await s.delivery.start(b);
    expect(calls.filter((c) => c.method === "editMessageText")).toHaveLength(1);
    const shown = String(calls[0]!.args[2]);
    expect((await s.stores.broadcasts.run(b.id)).progressText).toBe(shown);
    refuse = false;
    await s.ledger.broadcastSent(b.id, 100);
    // Two rounds with the same counts (rounds a few seconds apart, the ETA text unchanged): one edit.
    await s.delivery.tick();
    await s.delivery.tick();
    const edits = calls.filter((c) => c.method === "editMessageText").map((c) => String(c.args[2]));
    expect(edits).toHaveLength(2);
    expect(edits[1]).toMatch(/1 \/ 5 sent/);
  });
});

describe("broadcast fan-out", () => {
  it("fans out once when Telegram is slow and a monitor round of another process runs meanwhile", async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const first = stubApi(() => slow.then(() => true));
    const a = setup(first.api);
    const b = setup(stubApi().api, a.prefix);
    const bc = await sending(a, 4);
    const starting = a.delivery.start(bc);
    // While the first progress edit hangs, the other process's round finds a broadcast not fanned out.
    await until(() => first.calls.length > 0, 2000, "the first edit");
    await b.delivery.tick();
    await b.delivery.idle();
    release();
    await starting;
    await a.delivery.idle();
    expect([...a.added, ...b.added]).toEqual([[100, 101, 102, 103]]);
    expect((await a.stores.broadcasts.run(bc.id)).total).toBe(4);
  });
});

describe("a finished broadcast", () => {
  it("ends with one message: the progress message edited to its end, the report sent, then the progress message deleted", async () => {
    const { api, calls } = stubApi();
    const s = setup(api);
    const b = await sending(s, 2);
    await s.delivery.start(b);
    await s.ledger.broadcastSent(b.id, 100);
    await s.ledger.broadcastOutcome(b.id, "blocked", 101);
    await s.delivery.tick();
    const sent = calls.filter((c) => c.method === "sendMessage");
    expect(sent.map((c) => c.args[1])).toEqual([
      "📢 Broadcast finished: sent to 1 of 2 subscribers.\nFailed: 0. Blocked the bot (unsubscribed): 1.",
    ]);
    expect(calls.filter((c) => c.method === "deleteMessage").map((c) => c.args)).toEqual([[ADMIN, 7]]);
    // The final edit first (what stays should the rest fail), then the report, then the deletion.
    const tail = calls.slice(-3).map((c) => (c.method === "editMessageText" ? `edit ${String(c.args[2]).split("\n")[0]}` : c.method));
    expect(tail).toEqual(["edit 📢 Broadcast sent: 1 / 2 delivered", "sendMessage", "deleteMessage"]);
  });
});

describe("BullMQ error lines", () => {
  it("logs one line per part per window, with the count of those suppressed", () => {
    const lines: Record<string, unknown>[] = [];
    const logger = { warn: (o: Record<string, unknown>, msg: string) => lines.push({ ...o, msg }) } as unknown as Logger;
    let now = 0;
    const t = throttledErrors(logger, 30_000, () => now);
    const queue = t.listener("outbox queue");
    const worker = t.listener("outbox worker");
    for (let i = 0; i < 5; i++) queue(new Error("connect ECONNREFUSED\n    at stack line"));
    worker(new Error("Connection is closed."));
    now = 31_000;
    queue(new Error("connect ECONNREFUSED"));
    expect(lines).toEqual([
      { part: "outbox queue", err: "connect ECONNREFUSED", msg: "delivery: outbox queue error" },
      { part: "outbox worker", err: "Connection is closed.", msg: "delivery: outbox worker error" },
      { part: "outbox queue", err: "connect ECONNREFUSED", suppressed: 4, msg: "delivery: outbox queue error" },
    ]);
  });
});

describe("Redis loses its data during a broadcast", () => {
  let own: PrivateRedis;
  let tg: FakeTelegram;
  const open: Harness[] = [];
  beforeAll(async () => {
    // A Redis of this test's own: FLUSHALL on the shared one would wipe other tests' data.
    own = await startPrivateRedis();
  });
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
    await tg?.close();
  });
  afterAll(async () => {
    await own?.stop();
  });

  it("the admin gets one report of where it stopped, however many processes notice", async () => {
    tg = await startFakeTelegram({});
    const a = harness(tg, { redisUrl: own.url, rate: 10, progressIntervalMs: 200 });
    open.push(a);
    const b = harness(tg, { redisUrl: own.url, prefix: a.prefix, rate: 10, progressIntervalMs: 200 });
    open.push(b);
    const m = a.redis.multi();
    for (let i = 0; i < 60; i++) {
      m.hset(`${a.prefix}subscribers`, String(8000 + i), JSON.stringify({ chatId: 8000 + i, kind: "private", since: 0 }));
    }
    await m.exec();
    const id = randomBytes(6).toString("hex");
    await a.stores.broadcasts.create({ id, adminId: ADMIN, adminChatId: ADMIN, text: "Flushed away", createdAt: Date.now() });
    const preview = await a.botApi.sendMessage(ADMIN, "📢 Broadcast preview: Flushed away");
    await a.stores.broadcasts.setPreviewMessage(id, preview.message_id);
    a.delivery.start();
    b.delivery.start();
    await a.delivery.broadcasts.start((await a.stores.broadcasts.transition(id, "pending", "sending"))!);
    const got = () => tg.allMessages().filter((x) => x.chatId !== ADMIN && x.visibleText.includes("Flushed away")).length;
    await until(() => got() >= 8, 10_000, "some deliveries");
    // Both processes have seen it in a progress round.
    await a.delivery.broadcasts.tick();
    await b.delivery.broadcasts.tick();
    await a.redis.flushall();
    // The lead's data-loss handler calls this in every process; the monitors notice on their own too.
    await Promise.all([a, b].map((h) => h.delivery.broadcasts.closeInterrupted("redis-data-lost")));
    // (The progress message, edited to the same words and then deleted, is not one.)
    const reports = () => tg.messagesTo(ADMIN).filter((x) => !x.deleted && x.visibleText.startsWith("⚠️ Broadcast interrupted"));
    await until(() => reports().length > 0, 5000, "the report");
    await new Promise((r) => setTimeout(r, 800));
    expect(reports()).toHaveLength(1);
    expect(tg.calls("sendMessage").filter((c) => String(c.text).startsWith("⚠️ Broadcast interrupted"))).toHaveLength(1);
    expect(reports()[0]!.visibleText).toMatch(
      /^⚠️ Broadcast interrupted: Redis lost its data after it reached \d+ of 60 subscribers; the rest will not get it\.$/,
    );
    const reached = Number(/reached (\d+) of/.exec(reports()[0]!.visibleText)![1]);
    expect(reached).toBeGreaterThanOrEqual(8);
    expect(reached).toBeLessThanOrEqual(got());
    // The progress message is gone: the report is the one message about it.
    expect(tg.messagesTo(ADMIN).filter((x) => !x.deleted)).toHaveLength(1);
    // Nobody else gets it: its jobs went with the data.
    const after = got();
    await new Promise((r) => setTimeout(r, 1000));
    expect(got()).toBeLessThanOrEqual(after + 2);
    expect(got()).toBeLessThan(60);
  });
});
