import { DelayedError, type Job, RateLimitError, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../log.js";
import type { Broadcast, BroadcastStore } from "../store/broadcast-store.js";
import type { SubscriberStore } from "../store/types.js";
import type { Ledger } from "./ledger.js";
import type { Limiter } from "./limiter.js";
import { type Outgoing, sendOnce } from "./messenger.js";
import { type BroadcastJob, type DeliveryJob, OUTBOX_QUEUE, type Outbox } from "./outbox.js";
import type { SendApi } from "./send-api.js";
import { SLOT_GRACE_MS, takeSlot } from "./slot.js";

export interface DeliveryFormatter {
  broadcast(b: Broadcast): Outgoing;
}

export interface DeliveryWorkerDeps {
  /** BullMQ's connection (see index.ts) */
  bullRedis: Redis;
  bullPrefix: string;
  outbox: Outbox;
  /** sendMessage without retries: the queue retries, the limiter paces */
  api: SendApi;
  limiter: Limiter;
  subscribers: SubscriberStore;
  broadcasts: BroadcastStore;
  /** whether the chat is inside its quiet hours now: a broadcast still arrives, without a sound */
  silentFor?: (chatId: number) => Promise<boolean>;
  ledger: Ledger;
  format: DeliveryFormatter;
  logger: Logger;
  /** jobs worked on at once by this process */
  concurrency: number;
  /** broadcasts go out with allow_paid_broadcast */
  paidBroadcast: boolean;
  /** a job whose process died is taken over after about this long (ms) */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** the chat is gone (blocked the bot): its timeline state goes too */
  onGone?: (chatId: number) => Promise<void>;
  /** a group became a supergroup: its timeline state moves too */
  onMigrated?: (from: number, to: number) => Promise<void>;
  /** the one retry of a send that got no answer waits this long (ms) */
  longTimeoutMs?: number;
  /** the worker's `error` events (a Redis outage), throttled by the caller (error-log.ts) */
  onError?: (err: Error) => void;
}

/** A cancelled or finished broadcast is noticed within this long. */
const BROADCAST_CACHE_MS = 1000;
/** What a processed job did, for logs and tests. */
export type JobResult = "sent" | "already" | "unsubscribed" | "cancelled";

/**
 * Sends one broadcast job (news goes through the chats' timelines,
 * src/timeline/): checks it was not delivered already, waits for a slot
 * under the flood limits, sends, and records the chat as reached only after
 * Telegram accepted. Failures map onto the queue: 429 → the whole queue
 * pauses and the job goes back without using an attempt; blocked / not found
 * → unrecoverable, subscriber removed; upgraded group → resend to the new id;
 * Telegram unreachable → the job waits (delayed, no attempt used) however
 * long it takes; 5xx → retried with exponential backoff, then a dead letter.
 */
export function createDeliveryWorker(deps: DeliveryWorkerDeps) {
  const { limiter, ledger, logger } = deps;
  const broadcastCache = new Map<string, { at: number; b: Broadcast | null; msg: Outgoing | null }>();

  async function broadcastFor(id: string) {
    const hit = broadcastCache.get(id);
    if (hit && Date.now() - hit.at < BROADCAST_CACHE_MS) return hit;
    const b = await deps.broadcasts.get(id);
    const entry = { at: Date.now(), b, msg: b ? deps.format.broadcast(b) : null };
    broadcastCache.set(id, entry);
    if (broadcastCache.size > 100) broadcastCache.delete(broadcastCache.keys().next().value!);
    return entry;
  }

  async function later(job: Job, token: string | undefined, ms: number): Promise<never> {
    logger.trace({ job: job.id, ms: Math.ceil(ms) }, "delivery: job put back for later");
    await job.moveToDelayed(Date.now() + Math.ceil(ms), token);
    throw new DelayedError();
  }

  /** A send slot (src/delivery/slot.ts); a long wait puts the job back for later. Resolves with the slot's deadline. */
  async function slot(chatId: number, paid: boolean, job: Job, token: string | undefined): Promise<number> {
    const s = await takeSlot(limiter, chatId, { paid });
    if (!s.ok) return later(job, token, s.waitMs);
    return s.deadline;
  }

  function isLastAttempt(job: Job): boolean {
    return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  }

  /**
   * Sends the broadcast message to the chat (or where its group migrated).
   * Returns the chat id that took it, or why it was not sent.
   */
  async function deliver(job: Job<DeliveryJob>, token: string | undefined, data: BroadcastJob, msg: Outgoing): Promise<number | JobResult> {
    const { id, chatIdIn } = { id: data.id, chatIdIn: data.chatId };
    let chatId = chatIdIn;
    let migrations = 0;
    let ambiguous = false;
    for (;;) {
      const deadline = await slot(chatId, deps.paidBroadcast, job, token);
      // Checked once the slot is ours (one round trip; a broadcast job is
      // almost always wanted): a /cancel during the wait stops this message
      // too, and a copy of this job run meanwhile (a stalled job taken over) wins.
      // Each record is asked of its owner, all at once.
      const [status, served, subscribed, silent] = await Promise.all([
        deps.broadcasts.status(id),
        ledger.broadcastServed(id, chatIdIn),
        deps.subscribers.has(chatId),
        deps.silentFor?.(chatId) ?? false,
      ]);
      if (status !== "sending") return "cancelled";
      if (served) return "already";
      if (!subscribed) {
        await ledger.broadcastOutcome(id, "skipped", chatIdIn);
        return "unsubscribed";
      }
      if (performance.now() > deadline) {
        logger.debug(
          { chatId, lateMs: Math.round(performance.now() - deadline + SLOT_GRACE_MS) },
          "delivery: slot missed (busy event loop), taking a new one",
        );
        continue;
      }
      const out = await sendOnce(deps.api, chatId, msg, {
        paid: deps.paidBroadcast,
        silent,
        timeoutMs: ambiguous ? deps.longTimeoutMs : undefined,
      });
      switch (out.kind) {
        case "sent":
          return chatId;
        case "migrated":
          if (migrations++ >= 2) {
            await giveUp(chatIdIn, `broadcast ${id}`, "group migrated more than twice");
            await ledger.broadcastOutcome(id, "failed", chatIdIn);
            throw new UnrecoverableError(`chat ${chatIdIn}: group migrated more than twice`);
          }
          logger.info({ from: chatId, to: out.to }, "telegram: group upgraded to supergroup, resending to the new id");
          await deps.subscribers.migrate(chatId, out.to);
          await deps.onMigrated?.(chatId, out.to);
          chatId = out.to;
          continue;
        case "flood":
          logger.warn({ chatId, retryAfterMs: out.retryAfterMs }, "telegram: flood limit (429), pausing the queue");
          await limiter.pauseAll(out.retryAfterMs);
          await deps.outbox.queue.rateLimit(out.retryAfterMs);
          throw Worker.RateLimitError();
        case "gone":
          await deps.subscribers.remove(chatId);
          await deps.onGone?.(chatId);
          await ledger.count("blocked");
          await ledger.broadcastOutcome(id, "blocked", chatIdIn);
          logger.info({ chatId, reason: out.reason }, "delivery: chat is gone, unsubscribed");
          throw new UnrecoverableError(`chat ${chatId} is gone: ${out.reason}`);
        case "uneditable":
        case "rejected":
          logger.warn({ chatId, what: `broadcast ${id}`, reason: out.reason }, "delivery: Telegram refused the message");
          await giveUp(chatIdIn, `broadcast ${id}`, out.reason);
          await ledger.broadcastOutcome(id, "failed", chatIdIn);
          throw new UnrecoverableError(`chat ${chatId}: ${out.reason}`);
        case "transient":
          if (out.maybeSent) {
            // No answer to a request that went out: it may have arrived. Once
            // more with a long timeout; without an answer again, counted as sent.
            if (ambiguous && out.timedOut) {
              logger.warn(
                { chatId, what: `broadcast ${id}`, reason: out.reason },
                "delivery: no answer twice, counting the message as sent",
              );
              return chatId;
            }
            // Dropped again rather than unanswered: Telegram is unreachable, not slow — the job waits.
            if (ambiguous) return later(job, token, backoffMs(job));
            ambiguous = true;
            continue;
          }
          // A 5xx answer: an attempt is used — retried with backoff, then a dead letter.
          if (!out.network) throw new Error(out.reason);
          // Telegram unreachable: the job waits, without using up an attempt, for as long as it takes.
          logger.debug({ chatId, reason: out.reason }, "delivery: Telegram unreachable, broadcast message waits");
          return later(job, token, backoffMs(job));
      }
    }
  }

  /** 2 s doubling to a minute, counted on the job, so a long outage is waited out, not given up on. */
  function backoffMs(job: Job<DeliveryJob>): number {
    const n = (job.data.kind === "broadcast" ? (job.data.waits ?? 0) : 0) + 1;
    void job.updateData({ ...job.data, waits: n } as DeliveryJob).catch(() => undefined);
    return Math.min(60_000, 2000 * 2 ** (n - 1)) * (0.8 + Math.random() * 0.4);
  }

  async function giveUp(chatId: number, what: string, reason: string) {
    await ledger.deadLetter({ at: Date.now(), chatId, what, reason });
    await ledger.count("failed");
  }

  async function process(job: Job<DeliveryJob>, token?: string): Promise<JobResult> {
    const data = job.data;
    const { id, chatId } = data;
    try {
      const { b, msg } = await broadcastFor(id);
      if (b?.status !== "sending" || !msg) return "cancelled";
      const to = await deliver(job, token, data, msg);
      if (typeof to !== "number") return to;
      await ledger.broadcastSent(id, chatId, to === chatId ? undefined : to);
      return "sent";
    } catch (err) {
      const handled = err instanceof DelayedError || err instanceof RateLimitError || err instanceof UnrecoverableError;
      if (!handled && isLastAttempt(job)) {
        // Out of attempts (5xx, or our own trouble): an admin sees it in /stats.
        const reason = (err as Error).message;
        logger.warn(
          { chatId, what: `broadcast ${id}`, reason, attempts: job.attemptsMade + 1 },
          "delivery: giving up after retries (dead letter)",
        );
        await giveUp(chatId, `broadcast ${id}`, reason);
        await ledger.broadcastOutcome(id, "failed", chatId);
      }
      throw err;
    }
  }

  let worker: Worker<DeliveryJob, JobResult> | null = null;
  return {
    process,
    start(): Worker<DeliveryJob, JobResult> {
      worker ??= new Worker<DeliveryJob, JobResult>(OUTBOX_QUEUE, process, {
        connection: deps.bullRedis,
        prefix: deps.bullPrefix,
        concurrency: deps.concurrency,
        // Our limiter does the pacing; this generous limiter only makes the
        // queue-wide pause after a 429 (queue.rateLimit) hold every worker.
        limiter: { max: 1_000_000, duration: 1000 },
        // An idle worker blocks on the queue's marker; a prioritized job put back
        // after a 429 adds none (BullMQ 6), so idle workers look again every second.
        drainDelay: 1,
        lockDuration: deps.lockDurationMs ?? 10_000,
        stalledInterval: deps.stalledIntervalMs ?? 5_000,
        maxStalledCount: 5,
      });
      worker.on("error", deps.onError ?? ((err) => logger.error({ err: err.message }, "delivery: worker error")));
      worker.on("completed", (job, result) => logger.trace({ job: job.id, result }, "delivery: job done"));
      worker.on("failed", (job, err) =>
        logger.debug({ job: job?.id, attempts: job?.attemptsMade, err: err.message }, "delivery: job failed"),
      );
      return worker;
    },
    /** finishes the jobs in hand and stops taking new ones */
    async close(): Promise<void> {
      await worker?.close();
    },
  };
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
