import type { Logger } from "../log.js";
import type { Broadcast, BroadcastStore } from "../store/broadcast-store.js";
import type { SubscriberStore } from "../store/types.js";
import type { Messenger, Outgoing } from "./messenger.js";
import { runPool } from "./run-pool.js";

export interface BroadcastReport {
  id: string;
  total: number;
  sent: number;
  /** reached before a restart interrupted this broadcast */
  earlier: number;
  failed: number;
  blocked: number;
}

export interface BroadcastDeliveryDeps {
  broadcasts: BroadcastStore;
  subscribers: SubscriberStore;
  messenger: Messenger;
  logger: Logger;
  format: (b: Broadcast) => Outgoing;
  /** the admin's report when a broadcast is done */
  report: (b: Broadcast, r: BroadcastReport) => Promise<void>;
  concurrency?: number;
}

/**
 * Delivers a confirmed broadcast to every subscriber it has not reached yet.
 * Each chat is recorded after Telegram accepted the message, so a restart
 * resumes where it stopped without repeating anyone.
 */
export function createBroadcastDelivery(deps: BroadcastDeliveryDeps) {
  const { broadcasts, subscribers, messenger, logger } = deps;
  const inFlight = new Map<string, Promise<BroadcastReport | null>>();

  async function deliver(b: Broadcast): Promise<BroadcastReport | null> {
    const subs = await subscribers.all();
    const all = subs.map((s) => s.chatId);
    const todo = await broadcasts.undelivered(b.id, all);
    const r: BroadcastReport = { id: b.id, total: all.length, sent: 0, earlier: all.length - todo.length, failed: 0, blocked: 0 };
    const msg = deps.format(b);
    await runPool(todo, deps.concurrency ?? 64, async (chatId) => {
      const out = await messenger.send(chatId, msg);
      if (out.kind === "sent") {
        await broadcasts.markDelivered(b.id, out.chatId);
        if (out.chatId !== chatId) {
          await subscribers.migrate(chatId, out.chatId);
          await broadcasts.markDelivered(b.id, chatId);
        }
        r.sent++;
      } else if (out.kind === "gone") {
        await subscribers.remove(chatId);
        r.blocked++;
      } else if (out.kind !== "stopped") {
        r.failed++;
        logger.warn({ chatId, broadcast: b.id, reason: out.reason }, "broadcast: message not delivered");
      }
    });
    // Interrupted by shutdown: stay "sending" so the next start resumes it.
    if (messenger.stopped) return null;
    const done = await broadcasts.transition(b.id, "sending", "done");
    if (done) {
      logger.info(r, "broadcast: finished");
      await deps.report(done, r);
    }
    return r;
  }

  return {
    /** starts (or joins) delivery of a broadcast already moved to "sending" */
    start(b: Broadcast): Promise<BroadcastReport | null> {
      let p = inFlight.get(b.id);
      if (!p) {
        p = deliver(b).finally(() => inFlight.delete(b.id));
        inFlight.set(b.id, p);
      }
      return p;
    },
    /** resumes broadcasts a previous process left half done */
    async resume(): Promise<void> {
      for (const b of await broadcasts.active()) void this.start(b);
    },
    idle: () => Promise.all(inFlight.values()),
  };
}

export type BroadcastDelivery = ReturnType<typeof createBroadcastDelivery>;
