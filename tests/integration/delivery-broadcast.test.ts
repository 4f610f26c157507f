import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createBot } from "../../src/bot/create-bot.js";
import { paceReplies } from "../../src/delivery/index.js";
import { silentLogger } from "../../src/log.js";
import type { Broadcast } from "../../src/store/broadcast-store.js";
import { textUpdate } from "../support/api-recorder.js";
import { FAKE_BOT, type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { drained, type Harness, type HarnessOptions, harness, sleep, TOKEN, until } from "./delivery-harness.js";

/**
 * Broadcasts as tracked batches against the fake Bot API: progress the admin
 * watches, /cancel, resuming, several processes, paid mode, and replies that
 * stay fast while thousands of messages queue.
 */
const ADMIN = 42;
let tg: FakeTelegram;
const open: Harness[] = [];

async function setup(fake: Parameters<typeof startFakeTelegram>[0] = {}) {
  tg = await startFakeTelegram(fake);
}
function start(o: HarnessOptions = {}): Harness {
  const h = harness(tg, o);
  open.push(h);
  return h;
}

afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
  await tg?.close();
});

async function subscribe(h: Harness, from: number, count: number) {
  const m = h.redis.multi();
  for (let i = 0; i < count; i++) {
    const chatId = from + i;
    m.hset(`${h.prefix}subscribers`, String(chatId), JSON.stringify({ chatId, kind: "private", since: 0 }));
  }
  await m.exec();
}

/** What the /broadcast command does up to Send: a record, a preview message, the status CAS. */
async function confirm(h: Harness, text: string): Promise<Broadcast> {
  const id = randomBytes(6).toString("hex");
  await h.stores.broadcasts.create({ id, adminId: ADMIN, adminChatId: ADMIN, text, createdAt: Date.now() });
  const preview = await h.botApi.sendMessage(ADMIN, `📢 Broadcast preview: ${text}`);
  await h.stores.broadcasts.setPreviewMessage(id, preview.message_id);
  return (await h.stores.broadcasts.transition(id, "pending", "sending"))!;
}

const got = (text: string) => tg.allMessages().filter((m) => m.chatId !== ADMIN && m.visibleText.includes(text));
const report = () => tg.messagesTo(ADMIN).find((m) => m.visibleText.startsWith("📢 Broadcast finished"));
function everyoneOnce(text: string, from: number, count: number) {
  const per = new Map<number, number>();
  for (const m of got(text)) per.set(m.chatId, (per.get(m.chatId) ?? 0) + 1);
  const missing = Array.from({ length: count }, (_, i) => from + i).filter((id) => !per.has(id));
  const twice = [...per].filter(([, c]) => c > 1).map(([id]) => id);
  return { missing, twice };
}

describe("broadcast delivery", () => {
  it("shows progress while sending, then a report; never an edit Telegram refuses", async () => {
    await setup();
    const h = start({ rate: 20, progressIntervalMs: 250 });
    await subscribe(h, 1000, 40);
    h.delivery.start();
    const b = await confirm(h, "Polls close at 20:00");
    await h.delivery.broadcasts.start(b);
    const preview = tg.messagesTo(ADMIN)[0]!;
    await until(
      () => preview.visibleText.includes("Sending the broadcast:") && !preview.visibleText.includes(" 0 / 40"),
      5000,
      "a progress edit",
    );
    expect(preview.visibleText).toMatch(/\d+ \/ 40 sent/);
    expect(preview.visibleText).toMatch(/left — \/cancel stops it\./);
    await until(report, 15_000, "the report");
    expect(report()!.visibleText).toBe(
      "📢 Broadcast finished: sent to 40 of 40 subscribers.\nFailed: 0. Blocked the bot (unsubscribed): 0.",
    );
    // It ended on the final count, and went once the report was there: one final message.
    expect(preview.visibleText).toContain("Broadcast sent: 40 / 40 delivered");
    // The delete follows the report's send: wait for it rather than race it.
    await until(() => preview.deleted === true, 5000, "the progress message removed");
    expect(
      tg
        .messagesTo(ADMIN)
        .filter((m) => !m.deleted)
        .map((m) => m.visibleText),
    ).toEqual([report()!.visibleText]);
    expect(preview.edits).toBeGreaterThanOrEqual(3);
    expect(everyoneOnce("Polls close at 20:00", 1000, 40)).toEqual({ missing: [], twice: [] });
    expect(tg.stats.errors400).toBe(0);
    expect(tg.stats.errors429).toBe(0);
  });

  it("counts blocked and failed chats, and the report adds up", async () => {
    await setup({ globalPerSecond: 300 });
    // One attempt only: the one 502 below makes a dead letter.
    const h = start({ rate: 200, attempts: 1 });
    await subscribe(h, 2000, 10);
    await h.stores.subscribers.add({ chatId: -5, kind: "group", since: 0 });
    tg.blockUser(2003);
    tg.deactivate(2004);
    // The group became a supergroup: it gets the broadcast under its new id.
    tg.migrateChat(-5, -1005);
    const b = await confirm(h, "Storm warning");
    tg.failNext("sendMessage", 1, { error_code: 502, description: "Bad Gateway" });
    h.delivery.start();
    await h.delivery.broadcasts.start(b);
    await until(report, 15_000, "the report");
    expect(report()!.visibleText).toBe(
      "📢 Broadcast finished: sent to 8 of 11 subscribers.\nFailed: 1. Blocked the bot (unsubscribed): 2.",
    );
    expect(tg.messagesTo(-1005).filter((m) => m.visibleText.includes("Storm warning"))).toHaveLength(1);
    expect(await h.stores.subscribers.has(-1005)).toBe(true);
    expect(await h.stores.subscribers.count()).toBe(9);
    const stats = await h.delivery.stats();
    expect(stats.deadLetters.total).toBe(1);
    expect(stats.today).toMatchObject({ sent: 8, failed: 1, blocked: 2 });
    const { twice } = everyoneOnce("Storm warning", 2000, 10);
    expect(twice).toEqual([]);
  });

  it("/cancel stops it: nobody else gets it, and the admin sees where it stopped", async () => {
    await setup();
    const h = start({ rate: 20 });
    await subscribe(h, 3000, 200);
    h.delivery.start();
    await h.delivery.broadcasts.start(await confirm(h, "Not after all"));
    await until(() => got("Not after all").length >= 10, 5000, "some deliveries");
    const [stopped] = await h.delivery.broadcasts.cancel();
    // Only requests already on the wire may still land.
    await sleep(300);
    const after = got("Not after all").length;
    await sleep(1000);
    expect(got("Not after all").length).toBe(after);
    expect(after).toBeLessThan(100);
    expect(stopped!.total).toBe(200);
    const preview = tg.messagesTo(ADMIN)[0]!;
    expect(preview.visibleText).toMatch(/^✖️ Broadcast stopped by \/cancel: it reached \d+ of 200 subscribers/);
    await drained(h.delivery);
    expect(report()).toBeUndefined();
    expect(everyoneOnce("Not after all", 3000, 200).twice).toEqual([]);
  });

  it("a restarted process resumes where the last one stopped; nobody gets it twice", async () => {
    await setup({ globalPerSecond: 60 });
    const first = start({ rate: 50 });
    await subscribe(first, 4000, 80);
    first.delivery.start();
    await first.delivery.broadcasts.start(await confirm(first, "Resume me"));
    await until(() => got("Resume me").length >= 25, 5000, "some deliveries");
    await first.close();
    open.splice(open.indexOf(first), 1);
    const sentBefore = got("Resume me").length;
    expect(sentBefore).toBeLessThan(80);

    const second = start({ prefix: first.prefix, rate: 50 });
    // As if a crash had cut a fan-out short and it ran again: jobs for every
    // chat, those already served too (their jobs were done and removed).
    const b = (await second.stores.broadcasts.active())[0]!;
    await second.delivery.outbox.add(Array.from({ length: 80 }, (_, i) => ({ kind: "broadcast" as const, id: b.id, chatId: 4000 + i })));
    second.delivery.start();
    await until(report, 15_000, "the report");
    expect(report()!.visibleText).toContain("sent to 80 of 80 subscribers");
    expect(everyoneOnce("Resume me", 4000, 80)).toEqual({ missing: [], twice: [] });
  });

  it("a fan-out cut short by a crash is completed by the next process", async () => {
    await setup({ globalPerSecond: 300 });
    const h = start({ rate: 200 });
    await subscribe(h, 5000, 30);
    // Send was pressed and the process died before queueing anything.
    await confirm(h, "Half queued");
    h.delivery.start();
    await until(report, 10_000, "the report");
    expect(everyoneOnce("Half queued", 5000, 30)).toEqual({ missing: [], twice: [] });
  });

  it("two processes share the queue and the 30/s limit", async () => {
    await setup();
    const a = start({ rate: 30 });
    const b = start({ prefix: a.prefix, rate: 30 });
    await subscribe(a, 6000, 60);
    a.delivery.start();
    b.delivery.start();
    const t0 = Date.now();
    await a.delivery.broadcasts.start(await confirm(a, "Both of us"));
    await until(report, 15_000, "the report");
    // 60 messages at 30/s take about 2 s whoever sends them.
    expect(Date.now() - t0).toBeGreaterThan(1850);
    expect(everyoneOnce("Both of us", 6000, 60)).toEqual({ missing: [], twice: [] });
    expect(tg.stats.errors429).toBe(0);
    expect(tg.messagesTo(ADMIN).filter((m) => m.visibleText.startsWith("📢 Broadcast finished"))).toHaveLength(1);
  });

  it("paid mode sends with allow_paid_broadcast, far above 30/s", async () => {
    await setup({ globalPerSecond: 400 });
    const h = start({ rate: 30, paid: true, paidRate: 300 });
    await subscribe(h, 7000, 300);
    h.delivery.start();
    await h.delivery.broadcasts.start(await confirm(h, "Paid"));
    const t0 = Date.now();
    await until(report, 15_000, "the report");
    expect(Date.now() - t0).toBeLessThan(3000);
    const calls = tg.calls("sendMessage").filter((c) => Number(c.chat_id) !== ADMIN && String(c.text).includes("Paid"));
    expect(calls.length).toBeGreaterThanOrEqual(300);
    expect(calls.every((c) => c.allow_paid_broadcast === true)).toBe(true);
    expect(everyoneOnce("Paid", 7000, 300)).toEqual({ missing: [], twice: [] });
    expect(tg.stats.errors429).toBe(0);
  });

  it("replies stay fast while a broadcast fills the queue, and /stats shows the queue", async () => {
    await setup();
    const h = start({ rate: 30 });
    await subscribe(h, 8000, 300);
    h.botApi.config.use(paceReplies(h.delivery.limiter, silentLogger));
    h.delivery.start();
    await h.delivery.broadcasts.start(await confirm(h, "Long one"));
    await until(() => got("Long one").length >= 30, 5000, "the broadcast under way");

    const bot = createBot({
      token: TOKEN,
      apiRoot: tg.apiRoot,
      botInfo: FAKE_BOT,
      config: { adminIds: [ADMIN], timezone: "UTC" },
      stores: h.stores,
      news: { latest: async () => [], sources: () => [] },
      broadcasts: h.delivery.broadcasts,
      deliveryStats: () => h.delivery.stats(),
      logger: silentLogger,
      clock: Date.now,
    });
    bot.api.config.use(paceReplies(h.delivery.limiter, silentLogger));
    const t0 = Date.now();
    await bot.handleUpdate(textUpdate({ id: 77 }, "/latest"));
    expect(Date.now() - t0).toBeLessThan(500);
    expect(tg.messagesTo(77)).toHaveLength(1);

    await bot.handleUpdate(textUpdate({ id: ADMIN }, "/stats"));
    const stats = tg.messagesTo(ADMIN).at(-1)!.visibleText;
    expect(stats).toMatch(/^📊 Bot stats\nSubscribers: 300\nSources: 0\nQueue: \d+ waiting/);
    const waiting = Number(/Queue: ([\d,]+) waiting/.exec(stats)![1]!.replace(/,/g, ""));
    expect(waiting).toBeGreaterThan(100);
    expect(stats).toMatch(/Broadcast [0-9a-f]{12}: \d+ \/ 300 sent/);

    await bot.handleUpdate(textUpdate({ id: ADMIN }, "/cancel"));
    expect(tg.messagesTo(ADMIN).at(-1)!.visibleText).toMatch(/^✖️ Broadcast stopped: it reached \d+ of 300 subscribers/);
    await bot.handleUpdate(textUpdate({ id: ADMIN }, "/cancel"));
    expect(tg.messagesTo(ADMIN).at(-1)!.visibleText).toBe("Nothing to cancel: no broadcast is being sent.");
    await bot.handleUpdate(textUpdate({ id: 77 }, "/stats"));
    expect(tg.messagesTo(77).at(-1)!.visibleText).toBe("Sorry, only the bot's admins can do that.");
    expect(tg.stats.errors429).toBe(0);
  });
});
