import { DelayedError, type Job, RateLimitError, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Translator } from "../i18n/translator.js";
import type { Logger } from "../log.js";
import type { FormatOptions } from "../news/compose.js";
import type { DeliveryMeter, MessageOutcome } from "../ops/meters.js";
import { inQuietHours, zoneOf } from "../prefs/schedule.js";
import type { Broadcast, BroadcastStore } from "../store/broadcast-store.js";
import { subKey } from "../store/sub-key.js";
import type { Subscriber, SubscriberStore } from "../store/types.js";
import type { Ledger } from "./ledger.js";
import type { Limiter } from "./limiter.js";
import { formatFor, type GoneHandlers, type Outgoing, sendOnce } from "./messenger.js";
import { type BroadcastJob, broadcastTargets, type DeliveryJob, OUTBOX_QUEUE, type Outbox } from "./outbox.js";
import type { SendApi } from "./send-api.js";
import { SLOT_GRACE_MS, takeSlot } from "./slot.js";

export interface DeliveryFormatter {
  /** the announcement as one chat gets it: in its language (`opts.t`, `opts.locale`) */
  broadcast(b: Broadcast, opts: FormatOptions): Outgoing;
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
  ledger: Ledger;
  format: DeliveryFormatter;
  /** each chat's language: what the announcement is composed in */
  translator: Translator;
  /** the bot's TIMEZONE, for quiet hours of chats without a zone (a broadcast in them arrives without a sound) */
  timezone: string;
  /** the chat, or a forum topic, cannot be posted to any more: its subscriptions end */
  gone: GoneHandlers;
  logger: Logger;
  /** jobs worked on at once by this process */
  concurrency: number;
  /** broadcasts go out with allow_paid_broadcast */
  paidBroadcast: boolean;
  /** a job whose process died is taken over after about this long (ms) */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** a group became a supergroup: its timeline state moves too */
  onMigrated?: (from: number, to: number) => Promise<void>;
  /** the one retry of a send that got no answer waits this long (ms) */
  longTimeoutMs?: number;
  /** the worker's `error` events (a Redis outage), throttled by the caller (error-log.ts) */
  onError?: (err: Error) => void;
  /** told of each broadcast message's outcome (kind "broadcast") */
  meter?: DeliveryMeter;
}

/** A cancelled or finished broadcast is noticed within this long. */
const BROADCAST_CACHE_MS = 1000;
/** A broadcast meeting closed topics or unsubscribed ones tries the chat's other subscriptions at most this often. */
const MAX_RETARGETS = 3;
/** What a processed job did, for logs and tests. */
export type JobResult = "sent" | "already" | "unsubscribed" | "cancelled";

/**
 * Sends one broadcast job — one per chat, into the subscription the fan-out
 * chose: the chat's own, or one of its forum topics (news goes through the
 * chats' timelines, src/timeline/): checks it was not delivered already, waits for a slot
 * under the flood limits, sends, and records the chat as reached only after
 * Telegram accepted. Failures map onto the queue: 429 → the whole queue
 * pauses and the job goes back without using an attempt; blocked / not found
 * → unrecoverable, the chat's subscriptions removed; a closed or deleted
 * topic → that subscription removed, the chat's next one gets it; upgraded
 * group → resend to the new id;
 * Telegram unreachable → the job waits (delayed, no attempt used) however
 * long it takes; 5xx → retried with exponential backoff, then a dead letter.
 */
export function createDeliveryWorker(deps: DeliveryWorkerDeps) {
  const { limiter, ledger, logger } = deps;
  const counted = (outcome: MessageOutcome) => deps.meter?.message("broadcast", outcome);
  /** A broadcast and its message in each language asked for so far. */
  interface Cached {
    at: number;
    b: Broadcast | null;
    msgs: Map<string, Outgoing>;
  }
  const broadcastCache = new Map<string, Cached>();

  async function broadcastFor(id: string): Promise<Cached> {
    const hit = broadcastCache.get(id);
    if (hit && Date.now() - hit.at < BROADCAST_CACHE_MS) return hit;
    const b = await deps.broadcasts.get(id);
    const entry: Cached = { at: Date.now(), b, msgs: new Map() };
    broadcastCache.set(id, entry);
    if (broadcastCache.size > 100) broadcastCache.delete(broadcastCache.keys().next().value!);
    return entry;
  }

  /** The message in the subscription's language (composed once per language per broadcast). */
  function messageFor(entry: Cached, b: Broadcast, sub: Subscriber): Outgoing {
    let msg = entry.msgs.get(sub.prefs.locale);
    if (!msg) {
      msg = deps.format.broadcast(b, formatFor(deps.translator, sub.prefs, deps.timezone, Date.now()));
      entry.msgs.set(sub.prefs.locale, msg);
    }
    return msg;
  }

  /** The chat's next subscription to carry the broadcast, when the one chosen is gone; null when none is left. */
  async function retarget(chatId: number, tries: { n: number }): Promise<{ thread?: number } | null> {
    if (tries.n++ >= MAX_RETARGETS) return null;
    const [next] = broadcastTargets(await deps.subscribers.topicsOf(chatId));
    return next ? { thread: next.thread } : null;
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
   * Sends the broadcast message to the chat (or where its group migrated),
   * into the job's topic — or the chat's next subscription when that one is
   * gone. Returns the chat id that took it, or why it was not sent.
   */
  async function deliver(
    job: Job<DeliveryJob>,
    token: string | undefined,
    data: BroadcastJob,
    entry: Cached,
    b: Broadcast,
  ): Promise<number | JobResult> {
    const { id, chatIdIn } = { id: data.id, chatIdIn: data.chatId };
    let chatId = chatIdIn;
    let thread = data.thread;
    let migrations = 0;
    const retargets = { n: 0 };
    let ambiguous = false;
    /** a slot taken and not used yet (the subscription it was for had stopped): the chat's next one uses it */
    let held: number | null = null;
    for (;;) {
      // Per chat, whatever the topic: Telegram counts a group's messages together.
      const deadline: number = held ?? (await slot(chatId, deps.paidBroadcast, job, token));
      held = null;
      // Checked once the slot is ours (one round trip; a broadcast job is
      // almost always wanted): a /cancel during the wait stops this message
      // too, and a copy of this job run meanwhile (a stalled job taken over) wins.
      // Each record is asked of its owner, all at once.
      const key = subKey(chatId, thread);
      const [status, served, sub] = await Promise.all([
        deps.broadcasts.status(id),
        ledger.broadcastServed(id, chatIdIn),
        deps.subscribers.get(key),
      ]);
      if (status !== "sending") return "cancelled";
      if (served) return "already";
      if (!sub) {
        // That topic (or the chat's own subscription) stopped meanwhile: the chat's next one, if any, gets it.
        const next = await retarget(chatId, retargets);
        if (next) {
          thread = next.thread;
          held = deadline;
          continue;
        }
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
      const msg = messageFor(entry, b, sub);
      // Inside its quiet hours the chat still gets it, without a sound.
      const silent = inQuietHours(sub.prefs.quiet, zoneOf(sub.prefs, deps.timezone), Date.now());
      const out = await sendOnce(deps.api, chatId, msg, {
        paid: deps.paidBroadcast,
        silent,
        thread,
        timeoutMs: ambiguous ? deps.longTimeoutMs : undefined,
      });
      switch (out.kind) {
        case "sent":
          counted("sent");
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
          // A group has no topics: its own subscription moved.
          thread = undefined;
          continue;
        case "flood":
          counted("rate_limited");
          logger.warn({ chatId, retryAfterMs: out.retryAfterMs }, "telegram: flood limit (429), pausing the queue");
          await limiter.pauseAll(out.retryAfterMs);
          await deps.outbox.queue.rateLimit(out.retryAfterMs);
          throw Worker.RateLimitError();
        case "gone":
          // Every subscription of the chat ends (its topics too), and their timeline state.
          counted("blocked");
          if (await deps.gone.chat(chatId, out.reason)) await ledger.count("blocked");
          await ledger.broadcastOutcome(id, "blocked", chatIdIn);
          throw new UnrecoverableError(`chat ${chatId} is gone: ${out.reason}`);
        case "topic-gone": {
          counted("blocked");
          await deps.gone.topic({ key, chatId, thread }, out.reason);
          // The chat's own subscription or another topic may still take it.
          const next = await retarget(chatId, retargets);
          if (next) {
            thread = next.thread;
            ambiguous = false;
            continue;
          }
          await ledger.broadcastOutcome(id, "blocked", chatIdIn);
          throw new UnrecoverableError(`chat ${chatId}: ${out.reason}`);
        }
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
              counted("sent");
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

  /** a dead letter: refused for good, migrated too often, or out of attempts */
  async function giveUp(chatId: number, what: string, reason: string) {
    counted("failed");
    await ledger.deadLetter({ at: Date.now(), chatId, what, reason });
    await ledger.count("failed");
  }

  async function process(job: Job<DeliveryJob>, token?: string): Promise<JobResult> {
    const data = job.data;
    const { id, chatId } = data;
    try {
      const entry = await broadcastFor(id);
      const { b } = entry;
      if (b?.status !== "sending") return "cancelled";
      const to = await deliver(job, token, data, entry, b);
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
