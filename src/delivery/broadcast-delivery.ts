import type { Api } from "grammy";
import type { Redis } from "ioredis";
import type { Translate, Translator } from "../i18n/translator.js";
import { tryLease, withLease } from "../infra/redis-lock.js";
import type { Logger } from "../log.js";
import type { Broadcast, BroadcastStore } from "../store/broadcast-store.js";
import type { Keys } from "../store/keys.js";
import type { SubscriberStore } from "../store/types.js";
import {
  cancelledText,
  doneCount,
  finishedProgressText,
  type InterruptReason,
  interruptedText,
  progressText,
  reportText,
} from "./broadcast-progress.js";
import type { BroadcastCounts, Ledger } from "./ledger.js";
import { broadcastTargets, type Outbox } from "./outbox.js";

export interface BroadcastDeliveryDeps {
  redis: Redis;
  keys: Keys;
  broadcasts: BroadcastStore;
  subscribers: SubscriberStore;
  outbox: Pick<Outbox, "add">;
  ledger: Ledger;
  /** for the admin's progress message and report (replies, not outbox jobs) */
  api: Api;
  /** the progress message and the report are in the admin chat's language (English when it has none stored) */
  translator: Translator;
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
 * A confirmed broadcast as a tracked batch: one outbox job per subscribed
 * chat (a forum with several topic subscriptions is one chat: it gets the
 * announcement once),
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

  /**
   * What this process knows of each broadcast it has seen sending, kept in
   * memory: when Redis loses its data (restarted empty) the record is gone,
   * and this is all that is left to tell the admin where it stopped.
   */
  const known = new Map<string, { b: Broadcast; sent: number; total: number }>();
  const remember = (b: Broadcast, s?: { sent: number; total: number }) => {
    const prev = known.get(b.id);
    // Counts only grow: a read that raced a data loss (zeros) does not undo what was known.
    known.set(b.id, { b, sent: Math.max(s?.sent ?? 0, prev?.sent ?? 0), total: s?.total || prev?.total || 0 });
  };

  /** The admin chat's texts: its stored language, English when it has none. */
  async function textsFor(b: Broadcast): Promise<Translate> {
    const prefs = await subscribers.prefsOf(b.adminChatId).catch(() => null);
    return deps.translator.forLocale(prefs?.locale ?? "en");
  }

  async function edit(b: Broadcast, text: string): Promise<void> {
    if (b.previewMessageId === undefined) return;
    const run = await broadcasts.run(b.id);
    // Telegram refuses an edit that changes nothing.
    if (run.progressText === text) return;
    try {
      await deps.api.editMessageText(b.adminChatId, b.previewMessageId, text);
    } catch (err) {
      // Another process (or a retried round) showed this text already: as good as done.
      if (!notModified(err)) {
        logger.warn({ broadcast: b.id, err: (err as Error).message }, "broadcast: progress message not updated");
        return;
      }
    }
    await broadcasts.setRun(b.id, { progressText: text });
  }

  /**
   * The end of a broadcast, as one message: the progress message is first
   * edited to its final state (`last`: what stays should anything after
   * fail — a crash, or a message too old to delete), then the report
   * arrives as a new message (the admin is notified) and the progress
   * message goes, so the chat does not end with two messages saying the same.
   */
  async function conclude(b: Broadcast, report: string, last: string): Promise<void> {
    await edit(b, last);
    try {
      await deps.api.sendMessage(b.adminChatId, report);
    } catch (err) {
      // Without the report the progress message, at its final state, is what the admin has.
      logger.warn({ broadcast: b.id, err: (err as Error).message }, "broadcast: report not sent");
      return;
    }
    if (b.previewMessageId === undefined) return;
    await deps.api
      .deleteMessage(b.adminChatId, b.previewMessageId)
      .catch((err) => logger.debug({ broadcast: b.id, err: (err as Error).message }, "broadcast: progress message not deleted"));
  }

  async function summary(id: string): Promise<BroadcastSummary> {
    const [counts, run] = await Promise.all([ledger.broadcastCounts(id), broadcasts.run(id)]);
    return { id, total: run.total, ...counts };
  }

  async function fanOut(b: Broadcast): Promise<void> {
    // Another process may be queueing this broadcast right now (its lease is renewed while it works).
    await withLease(deps.redis, k.lock(`broadcast:${b.id}:fanout`), FANOUT_LEASE_MS, async () => {
      // Checked under the lease: a fan-out that finished meanwhile (start() and a
      // monitor round racing while Telegram was slow) is not run a second time.
      if ((await broadcasts.run(b.id)).fannedOut) return;
      await queueAll(b);
    });
  }

  async function queueAll(b: Broadcast): Promise<void> {
    const reached = await ledger.broadcastReached(b.id);
    // Once per chat: its own subscription, else its lowest-numbered topic.
    const targets = broadcastTargets(await subscribers.all()).filter((to) => !reached.ids.has(String(to.chatId)));
    const total = new Set([...reached.ids, ...targets.map((to) => String(to.chatId))]).size - reached.migrated;
    // The total is known before the jobs are in, so the first progress shows it.
    if (!(await broadcasts.setRun(b.id, { total }))) return;
    remember(b, { sent: known.get(b.id)?.sent ?? 0, total });
    await deps.outbox.add(
      targets.map((to) => ({
        kind: "broadcast" as const,
        id: b.id,
        chatId: to.chatId,
        ...(to.thread === undefined ? {} : { thread: to.thread }),
      })),
    );
    await broadcasts.setRun(b.id, { fannedOut: true });
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
    const run = await broadcasts.run(b.id);
    if (!run.fannedOut) return;
    const counts = await ledger.broadcastCounts(b.id);
    const s = { ...counts, total: run.total };
    remember(b, s);
    const t = await textsFor(b);
    if (doneCount(counts) < run.total) {
      const text = progressText({ ...s, elapsedMs: clock() - run.startedAt, expectedRate: deps.expectedRate }, t);
      // A /cancel meanwhile has the last word on the message.
      if ((await broadcasts.status(b.id)) === "sending") await edit(b, text);
      return;
    }
    const done = await broadcasts.transition(b.id, "sending", "done");
    if (!done) return;
    known.delete(b.id);
    logger.info({ broadcast: b.id, ...s }, "broadcast: finished");
    await conclude(done, reportText(s, t), finishedProgressText(s, t));
  }

  /**
   * Broadcasts this process saw sending whose record is gone from Redis:
   * Redis lost its data (restarted without persistence), and with it the
   * queue. Each gets one report to its admin (whichever process claims it
   * first in the new, empty Redis), with the last counts known here.
   */
  async function closeInterrupted(reason: InterruptReason): Promise<void> {
    for (const [id, last] of [...known]) {
      const status = await broadcasts.status(id);
      if (status === "sending") continue;
      known.delete(id);
      if (status !== null) continue;
      const first = (await deps.redis.set(k.lock(`broadcast:${id}:interrupted`), "1", "EX", 24 * 3600, "NX")) === "OK";
      if (!first) continue;
      logger.warn({ broadcast: id, reason, sent: last.sent, total: last.total }, "broadcast: interrupted, its record is gone");
      const text = interruptedText(last, reason, await textsFor(last.b));
      await conclude(last.b, text, text);
    }
  }

  async function tick(): Promise<void> {
    const active = await broadcasts.active();
    for (const b of active) {
      if (!known.has(b.id)) remember(b);
      // One process per round edits and finishes; the lease is left to expire.
      const lease = await tryLease(deps.redis, k.lock(`broadcast:${b.id}:progress`), Math.max(200, interval - 200));
      if (!lease) {
        // The others keep their counts fresh for a report should Redis lose its data.
        await summary(b.id).then(
          (s) => remember(b, s),
          () => undefined,
        );
        continue;
      }
      if (!(await broadcasts.run(b.id)).fannedOut && !fanning.has(b.id)) {
        // Its fan-out was cut short (a crash): queue the rest.
        void fanOutOnce(b).catch((err) => logger.error({ broadcast: b.id, err: (err as Error).message }, "broadcast: fan-out failed"));
        continue;
      }
      await track(b).catch((err) => logger.error({ broadcast: b.id, err: (err as Error).message }, "broadcast: progress failed"));
    }
    const ids = new Set(active.map((b) => b.id));
    if ([...known.keys()].some((id) => !ids.has(id))) await closeInterrupted("redis-data-lost");
  }

  return {
    /** queues a broadcast just moved to "sending"; progress and the report follow from the monitor */
    async start(b: Broadcast): Promise<void> {
      await broadcasts.markStarted(b.id, clock());
      // Chats, not subscriptions: a forum's topics are one.
      const n = broadcastTargets(await subscribers.all()).length;
      remember(b, { sent: 0, total: n });
      const t = await textsFor(b);
      await edit(
        b,
        progressText({ sent: 0, failed: 0, blocked: 0, skipped: 0, total: n, elapsedMs: 0, expectedRate: deps.expectedRate }, t),
      );
      await fanOutOnce(b);
    },
    /** stops every broadcast being sent; what is queued for them is skipped */
    async cancel(): Promise<BroadcastSummary[]> {
      const out: BroadcastSummary[] = [];
      for (const b of await broadcasts.active()) {
        const stopped = await broadcasts.transition(b.id, "sending", "cancelled");
        if (!stopped) continue;
        known.delete(b.id);
        // A progress round under way here would edit after us.
        await ticking;
        const s = await summary(b.id);
        logger.info(s, "broadcast: cancelled");
        await edit(stopped, cancelledText(s, await textsFor(stopped)));
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
    /**
     * Reports, once, every broadcast this process saw sending whose record is
     * gone (Redis came back empty): call after Redis lost its data. The
     * monitor's rounds notice it on their own too, within one interval.
     */
    closeInterrupted,
    /** one progress round now (tests) */
    tick,
    idle: () => Promise.allSettled([...fanning.values()]).then(() => undefined),
  };
}

/** Telegram's 400 for an edit to the text the message already has. */
function notModified(err: unknown): boolean {
  const e = err as { description?: unknown; message?: unknown };
  return /message is not modified/i.test(String(e?.description ?? e?.message ?? ""));
}

export type BroadcastDelivery = ReturnType<typeof createBroadcastDelivery>;
