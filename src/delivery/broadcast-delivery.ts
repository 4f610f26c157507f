import type { Api } from "grammy";
import type { Redis } from "ioredis";
import { tryLease } from "../infra/redis-lock.js";
import type { Logger } from "../log.js";
import type { Broadcast, BroadcastStore } from "../store/broadcast-store.js";
import type { Keys } from "../store/keys.js";
import type { SubscriberStore } from "../store/types.js";
import { cancelledText, doneCount, finishedProgressText, progressText, reportText } from "./broadcast-progress.js";
import type { BroadcastCounts, Ledger } from "./ledger.js";
import type { Outbox } from "./outbox.js";

export interface BroadcastDeliveryDeps {
  redis: Redis;
  keys: Keys;
  broadcasts: BroadcastStore;
  subscribers: SubscriberStore;
  outbox: Pick<Outbox, "add">;
  ledger: Ledger;
  /** for the admin's progress message and report (replies, not outbox jobs) */
  api: Api;
  logger: Logger;
  /** messages per second, for the first ETA */
  expectedRate: number;
  /** how often the progress message is edited (ms) */
  progressIntervalMs?: number;
  clock?: () => number;
}

const FANOUT_LEASE_MS = 30_000;

export interface BroadcastSummary extends BroadcastCounts {
  id: string;
  total: number;
}

/**
 * A confirmed broadcast as a tracked batch: one outbox job per subscriber,
 * a progress message the admin watches (sent / total, failed, blocked, ETA),
 * /cancel, and a report at the end. Everything it knows lives in Redis, so
 * any process (or a restarted one) can carry on: a broadcast whose jobs were
 * not all added is fanned out again (job ids and delivered markers make that
 * harmless), and whichever process holds the progress lease that round edits
 * the message and notices the end.
 */
export function createBroadcastDelivery(deps: BroadcastDeliveryDeps) {
  const { broadcasts, subscribers, ledger, logger, keys: k } = deps;
  const clock = deps.clock ?? Date.now;
  const interval = deps.progressIntervalMs ?? 3000;
  const fanning = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;

  async function edit(b: Broadcast, text: string): Promise<void> {
    if (b.previewMessageId === undefined) return;
    const run = await ledger.broadcastRun(b.id);
    // Telegram refuses an edit that changes nothing.
    if (run.progressText === text) return;
    try {
      await deps.api.editMessageText(b.adminChatId, b.previewMessageId, text);
      await ledger.setBroadcastRun(b.id, { progressText: text });
    } catch (err) {
      logger.warn({ broadcast: b.id, err: (err as Error).message }, "broadcast: progress message not updated");
    }
  }

  async function summary(id: string): Promise<BroadcastSummary> {
    const [counts, run] = await Promise.all([ledger.broadcastCounts(id), ledger.broadcastRun(id)]);
    return { id, total: run.total, ...counts };
  }

  async function fanOut(b: Broadcast): Promise<void> {
    // Another process may be queueing this broadcast right now (its lease is renewed while it works).
    const lease = await tryLease(deps.redis, k.lock(`broadcast:${b.id}:fanout`), FANOUT_LEASE_MS);
    if (!lease) return;
    const renew = setInterval(() => void lease.renew(FANOUT_LEASE_MS).catch(() => undefined), FANOUT_LEASE_MS / 3);
    try {
      await queueAll(b);
    } finally {
      clearInterval(renew);
      await lease.release().catch(() => undefined);
    }
  }

  async function queueAll(b: Broadcast): Promise<void> {
    const reached = await ledger.broadcastReached(b.id);
    const targets = (await subscribers.all()).map((s) => s.chatId).filter((id) => !reached.ids.has(String(id)));
    const total = new Set([...reached.ids, ...targets.map(String)]).size - reached.migrated;
    // The total is known before the jobs are in, so the first progress shows it.
    await ledger.setBroadcastRun(b.id, { total });
    await deps.outbox.add(targets.map((chatId) => ({ kind: "broadcast" as const, id: b.id, chatId })));
    await ledger.setBroadcastRun(b.id, { fannedOut: true });
    logger.info({ broadcast: b.id, total, queued: targets.length }, "broadcast: queued");
  }

  function fanOutOnce(b: Broadcast): Promise<void> {
    let p = fanning.get(b.id);
    if (!p) {
      p = fanOut(b).finally(() => fanning.delete(b.id));
      fanning.set(b.id, p);
    }
    return p;
  }

  /** One round for one broadcast: update the progress, or finish it. */
  async function track(b: Broadcast): Promise<void> {
    const run = await ledger.broadcastRun(b.id);
    if (!run.fannedOut) return;
    const counts = await ledger.broadcastCounts(b.id);
    const s = { ...counts, total: run.total };
    if (doneCount(counts) < run.total) {
      const text = progressText({ ...s, elapsedMs: clock() - run.startedAt, expectedRate: deps.expectedRate });
      // A /cancel meanwhile has the last word on the message.
      if ((await broadcasts.get(b.id))?.status === "sending") await edit(b, text);
      return;
    }
    const done = await broadcasts.transition(b.id, "sending", "done");
    if (!done) return;
    logger.info({ broadcast: b.id, ...s }, "broadcast: finished");
    await edit(done, finishedProgressText(s));
    await deps.api
      .sendMessage(done.adminChatId, reportText(s))
      .catch((err) => logger.warn({ err: (err as Error).message }, "broadcast: report not sent"));
  }

  async function tick(): Promise<void> {
    for (const b of await broadcasts.active()) {
      // One process per round edits and finishes; the lease is left to expire.
      const lease = await tryLease(deps.redis, k.lock(`broadcast:${b.id}:progress`), Math.max(200, interval - 200));
      if (!lease) continue;
      if (!(await ledger.broadcastRun(b.id)).fannedOut && !fanning.has(b.id)) {
        // Its fan-out was cut short (a crash): queue the rest.
        void fanOutOnce(b).catch((err) => logger.error({ broadcast: b.id, err: (err as Error).message }, "broadcast: fan-out failed"));
        continue;
      }
      await track(b).catch((err) => logger.error({ broadcast: b.id, err: (err as Error).message }, "broadcast: progress failed"));
    }
  }

  return {
    /** queues a broadcast just moved to "sending"; progress and the report follow from the monitor */
    async start(b: Broadcast): Promise<void> {
      await ledger.markBroadcastStarted(b.id);
      const n = await subscribers.count();
      await edit(b, progressText({ sent: 0, failed: 0, blocked: 0, skipped: 0, total: n, elapsedMs: 0, expectedRate: deps.expectedRate }));
      await fanOutOnce(b);
    },
    /** stops every broadcast being sent; what is queued for them is skipped */
    async cancel(): Promise<BroadcastSummary[]> {
      const out: BroadcastSummary[] = [];
      for (const b of await broadcasts.active()) {
        const stopped = await broadcasts.transition(b.id, "sending", "cancelled");
        if (!stopped) continue;
        // A progress round under way here would edit after us.
        await ticking;
        const s = await summary(b.id);
        logger.info(s, "broadcast: cancelled");
        await edit(stopped, cancelledText(s));
        out.push(s);
      }
      return out;
    },
    /** broadcasts being sent, with their progress */
    async running(): Promise<BroadcastSummary[]> {
      return Promise.all((await broadcasts.active()).map((b) => summary(b.id)));
    },
    /** starts the progress rounds (every process runs them; one per round acts) */
    startMonitor(): void {
      timer ??= setInterval(() => {
        if (ticking) return;
        ticking = tick()
          .catch((err) => logger.error({ err: (err as Error).message }, "broadcast: monitor failed"))
          .finally(() => (ticking = null));
      }, interval);
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await Promise.allSettled([ticking, ...fanning.values()]);
    },
    /** one progress round now (tests) */
    tick,
    idle: () => Promise.allSettled([...fanning.values()]).then(() => undefined),
  };
}

export type BroadcastDelivery = ReturnType<typeof createBroadcastDelivery>;
