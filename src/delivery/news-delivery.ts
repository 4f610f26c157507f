import type { Logger } from "../log.js";
import type { StoryEntry } from "../news/compose.js";
import type { Item } from "../news/item.js";
import type { DeliveryLog, ItemStore, Subscriber, SubscriberStore } from "../store/types.js";
import type { Messenger, Outgoing, SendOutcome } from "./messenger.js";
import { runPool } from "./run-pool.js";


export interface NewsFormatter {
  news(entry: StoryEntry): Outgoing;
  digest(entries: StoryEntry[]): Outgoing[];
}

export interface NewsDeliveryDeps {
  items: ItemStore;
  subscribers: SubscriberStore;
  delivered: DeliveryLog;
  messenger: Messenger;
  format: NewsFormatter;
  relatedFor: (item: Item) => Promise<Item[]>;
  logger: Logger;
  /** more undelivered items than this for one chat → one digest instead */
  digestThreshold: number;
  /** chats worked on at once (the pacer still decides the pace) */
  concurrency?: number;
}

export interface DeliveryReport {
  items: number;
  chats: number;
  messages: number;
  digests: number;
  removed: number;
  failed: number;
}

/** A digest carries at most this many stories per batch, so a crash resends little. */
const DIGEST_BATCH = 8;

/**
 * Sends every pending item to every subscriber that has not had it, oldest
 * first. An item is marked delivered to a chat only after Telegram accepted
 * the message, and leaves the queue only when every subscriber has it — so a
 * crash resends at most the message in flight and loses nothing.
 */
export function createNewsDelivery(deps: NewsDeliveryDeps) {
  const { items, subscribers, delivered, messenger, logger } = deps;
  let running: Promise<DeliveryReport> | null = null;
  let again = false;

  async function handleFailure(chatId: number, out: Exclude<SendOutcome, { kind: "sent" }>, report: DeliveryReport) {
    if (out.kind === "gone") {
      await subscribers.remove(chatId);
      report.removed++;
      logger.info({ chatId, reason: out.reason }, "delivery: chat is gone, unsubscribed");
    } else if (out.kind !== "stopped") {
      report.failed++;
      logger.warn({ chatId, kind: out.kind, reason: out.reason }, "delivery: message not delivered");
    }
  }

  /** false when the chat should get nothing more in this run */
  async function sendAndMark(sub: Subscriber, msg: Outgoing, keys: string[], report: DeliveryReport): Promise<boolean> {
    const out = await messenger.send(sub.chatId, msg);
    if (out.kind === "sent") {
      await delivered.markDelivered(keys, out.chatId);
      if (out.chatId !== sub.chatId) {
        await subscribers.migrate(sub.chatId, out.chatId);
        await delivered.markDelivered(keys, sub.chatId);
        sub.chatId = out.chatId;
      }
      report.messages++;
      return true;
    }
    // A message Telegram will never take is recorded as done so it does not
    // block the queue forever; the warning says which.
    if (out.kind === "rejected") await delivered.markDelivered(keys, sub.chatId);
    await handleFailure(sub.chatId, out, report);
    return out.kind === "rejected";
  }

  async function deliverToChat(sub: Subscriber, entries: StoryEntry[], report: DeliveryReport) {
    if (entries.length > deps.digestThreshold) {
      for (let i = 0; i < entries.length; i += DIGEST_BATCH) {
        const batch = entries.slice(i, i + DIGEST_BATCH);
        const keys = batch.map((e) => e.item.key);
        const msgs = deps.format.digest(batch);
        for (const [j, msg] of msgs.entries()) {
          // mark only after the batch's last message went out
          const ok = await sendAndMark(sub, msg, j === msgs.length - 1 ? keys : [], report);
          if (!ok) return;
        }
        report.digests++;
      }
      return;
    }
    for (const entry of entries) {
      if (!(await sendAndMark(sub, deps.format.news(entry), [entry.item.key], report))) return;
    }
  }

  async function runOnce(): Promise<DeliveryReport> {
    const report: DeliveryReport = { items: 0, chats: 0, messages: 0, digests: 0, removed: 0, failed: 0 };
    const queue = await items.pending(1000);
    if (queue.length === 0) return report;
    report.items = queue.length;
    const subs = await subscribers.all();
    const entries = new Map<string, StoryEntry>();
    for (const item of queue) entries.set(item.key, { item, related: await deps.relatedFor(item) });

    // Which chats still lack which item: one round trip per item.
    const lacking = new Map<number, StoryEntry[]>();
    for (const item of queue) {
      const eligible = subs.filter((s) => s.since <= item.seenAt).map((s) => s.chatId);
      for (const chatId of await delivered.undelivered(item.key, eligible)) {
        let list = lacking.get(chatId);
        if (!list) lacking.set(chatId, (list = []));
        list.push(entries.get(item.key)!);
      }
    }
    const byId = new Map(subs.map((s) => [s.chatId, s]));
    const work = [...lacking.entries()].map(([chatId, list]) => ({ sub: byId.get(chatId)!, list }));
    report.chats = work.length;
    await runPool(work, deps.concurrency ?? 64, ({ sub, list }) => deliverToChat(sub, list, report));

    if (messenger.stopped) return report;
    // An item leaves the queue when no current subscriber still lacks it.
    const now = await subscribers.all();
    const done: string[] = [];
    for (const item of queue) {
      const eligible = now.filter((s) => s.since <= item.seenAt).map((s) => s.chatId);
      if ((await delivered.undelivered(item.key, eligible)).length === 0) done.push(item.key);
    }
    await items.removePending(done);
    return report;
  }

  /**
   * Runs a delivery pass; a call while one runs schedules exactly one more
   * pass after it, so items queued meanwhile are not left waiting for the
   * next poll.
   */
  function run(): Promise<DeliveryReport> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        let report: DeliveryReport;
        do {
          again = false;
          report = await runOnce();
          if (report.items) logger.info(report, "delivery: pass finished");
        } while (again && !messenger.stopped);
        return report;
      } finally {
        running = null;
      }
    })();
    return running;
  }

  return { run, idle: () => running ?? Promise.resolve(null) };
}

export type NewsDelivery = ReturnType<typeof createNewsDelivery>;
