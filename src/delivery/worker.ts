import { createHash } from "node:crypto";
import { DelayedError, type Job, RateLimitError, UnrecoverableError, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { tryLease } from "../infra/redis-lock.js";
import { sleep } from "../infra/sleep.js";
import type { Logger } from "../log.js";
import type { DigestHeader, StoryEntry } from "../news/compose.js";
import type { Item } from "../news/item.js";
import type { Broadcast, BroadcastStore } from "../store/broadcast-store.js";
import type { Keys } from "../store/keys.js";
import type { SentIn, StoredDigestHeader, StoryStore } from "../store/story-store.js";
import type { DeliveryLog, ItemStore, SubscriberStore } from "../store/types.js";
import type { Ledger } from "./ledger.js";
import type { Limiter } from "./limiter.js";
import { editOnce, type Outgoing, type SendOutcome, sendOnce } from "./messenger.js";
import { type BroadcastJob, type DeliveryJob, type MergeJob, type NewsJob, OUTBOX_QUEUE, type Outbox } from "./outbox.js";
import type { SendApi } from "./send-api.js";

export interface DeliveryFormatter {
  news(entry: StoryEntry): Outgoing;
  /** the digest's messages, each with the stories it carries and its header (to re-render it when a story grows) */
  digest(entries: StoryEntry[]): DigestPart[];
  /** one digest message again, with the same header; null when it no longer fits in one */
  digestPart(entries: StoryEntry[], header: DigestHeader): Outgoing | null;
  broadcast(b: Broadcast): Outgoing;
}

export interface DigestPart {
  message: Outgoing;
  keys: string[];
  header: DigestHeader;
}

export interface DeliveryWorkerDeps {
  redis: Redis;
  /** BullMQ's connection (see index.ts) */
  bullRedis: Redis;
  keys: Keys;
  bullPrefix: string;
  outbox: Outbox;
  /** sendMessage without retries: the queue retries, the limiter paces */
  api: SendApi;
  limiter: Limiter;
  items: ItemStore;
  subscribers: SubscriberStore;
  delivered: DeliveryLog;
  broadcasts: BroadcastStore;
  /** same-story merging: absent when it is off */
  stories?: StoryStore;
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
  /** the worker's `error` events (a Redis outage), throttled by the caller (error-log.ts) */
  onError?: (err: Error) => void;
}

/** Waits longer than this go back to the queue (delayed) instead of holding a worker slot. */
const MAX_INLINE_WAIT_MS = 1000;
/** How long one chat is held while a message to it is sent and recorded. */
const CHAT_LEASE_MS = 30_000;
/** A send may start this late after its slot and still count as on time (ms). */
const SLOT_GRACE_MS = 5;
/** A cancelled or finished broadcast is noticed within this long. */
const BROADCAST_CACHE_MS = 1000;
/**
 * A merge waits at most this long for the message it joins to go out (it is
 * queued ahead of it, so normally it has); after that the report goes as a
 * message of its own rather than wait behind a stuck one.
 */
const MERGE_WAIT_MS = 10 * 60_000;

/** The renderer's digest header as the story store keeps it, and back: mapped here, at the edge. */
const storedHeader = (h: DigestHeader): StoredDigestHeader => ({ count: h.count, part: h.part, parts: h.parts });
const renderHeader = (h: StoredDigestHeader): DigestHeader => ({ count: h.count, part: h.part, parts: h.parts });

/** What a processed job did, for logs and tests. */
export type JobResult = "sent" | "merged" | "already" | "unsubscribed" | "cancelled" | "expired";

/**
 * Sends one outbox job: checks it was not delivered already (news jobs first
 * take the chat, so two of them never race), waits for a slot under the flood
 * limits, sends, and records the chat as delivered only after Telegram
 * accepted. Failures map onto the queue: 429 → the whole queue pauses and the
 * job goes back without using an attempt; blocked / not found →
 * unrecoverable, subscriber removed; upgraded group → resend to the new id;
 * 5xx / network → retried with exponential backoff, then a dead letter.
 */
export function createDeliveryWorker(deps: DeliveryWorkerDeps) {
  const { redis, keys: k, limiter, ledger, logger } = deps;
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

  /**
   * Takes a send slot for the chat, sleeping briefly or putting the job back
   * for longer waits. Resolves with the local time by which the send must
   * start: a slot used later than that would go out bunched with the next
   * one (the limiter counted it at its own time), so it is given up instead.
   */
  async function slot(chatId: number, paid: boolean, job: Job, token: string | undefined): Promise<number> {
    for (;;) {
      const r = await limiter.tryAcquire(chatId, { paid });
      if (r.ok) {
        const due = performance.now() + r.waitMs;
        await sleep(r.waitMs);
        return due + SLOT_GRACE_MS;
      }
      if (r.waitMs > MAX_INLINE_WAIT_MS) await later(job, token, r.waitMs);
      // A little jitter, so workers told the same wait do not all come back at once.
      await sleep(r.waitMs + Math.random() * 5);
    }
  }

  function isLastAttempt(job: Job): boolean {
    return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  }

  /**
   * Sends `messages` in order from part `from`; `onSent` records progress of
   * multi-part messages. Returns the chat id that finally took them (a
   * migrated group has a new one).
   */
  async function deliver(
    job: Job<DeliveryJob>,
    token: string | undefined,
    chatIdIn: number,
    messages: Outgoing[],
    what: string,
    opts: {
      paid: boolean;
      from?: number;
      onGone: (reason: string) => Promise<void>;
      onGaveUp: (reason: string) => Promise<void>;
      /** asked once the slot is ours, right before sending to `target` (the chat, or where it migrated): a result = do not send after all */
      stillWanted?: (target: number) => Promise<JobResult | null>;
      /** Telegram took part `part` as message `messageId` in `chatId` */
      onSent?: (part: number, messageId: number, chatId: number) => Promise<void>;
      /** instead of sendMessage (an edit) */
      op?: (chatId: number, msg: Outgoing) => Promise<SendOutcome>;
    },
  ): Promise<number | JobResult | "uneditable"> {
    let chatId = chatIdIn;
    let migrations = 0;
    for (let part = opts.from ?? 0; part < messages.length; ) {
      const deadline = await slot(chatId, opts.paid, job, token);
      const skip = await opts.stillWanted?.(chatId);
      if (skip) return skip;
      if (performance.now() > deadline) {
        logger.debug(
          { chatId, lateMs: Math.round(performance.now() - deadline + SLOT_GRACE_MS) },
          "delivery: slot missed (busy event loop), taking a new one",
        );
        continue;
      }
      const out = opts.op ? await opts.op(chatId, messages[part]!) : await sendOnce(deps.api, chatId, messages[part]!, { paid: opts.paid });
      switch (out.kind) {
        case "sent":
          await opts.onSent?.(part, out.messageId, chatId);
          part++;
          continue;
        case "migrated":
          if (migrations++ >= 2) {
            await opts.onGaveUp("group migrated more than twice");
            throw new UnrecoverableError(`chat ${chatIdIn}: group migrated more than twice`);
          }
          logger.info({ from: chatId, to: out.to }, "telegram: group upgraded to supergroup, resending to the new id");
          await deps.subscribers.migrate(chatId, out.to);
          chatId = out.to;
          continue;
        case "flood":
          logger.warn({ chatId, retryAfterMs: out.retryAfterMs }, "telegram: flood limit (429), pausing the queue");
          await limiter.pauseAll(out.retryAfterMs);
          await deps.outbox.queue.rateLimit(out.retryAfterMs);
          throw Worker.RateLimitError();
        case "gone":
          await deps.subscribers.remove(chatId);
          await ledger.count("blocked");
          await opts.onGone(out.reason);
          logger.info({ chatId, reason: out.reason }, "delivery: chat is gone, unsubscribed");
          throw new UnrecoverableError(`chat ${chatId} is gone: ${out.reason}`);
        case "rejected":
          logger.warn({ chatId, what, reason: out.reason }, "delivery: Telegram refused the message");
          await giveUp(chatId, what, out.reason);
          await opts.onGaveUp(out.reason);
          throw new UnrecoverableError(`chat ${chatId}: ${out.reason}`);
        case "uneditable":
          return "uneditable";
        case "transient":
          // Retried with backoff by the queue; the last attempt's failure is recorded in process().
          logger.debug({ chatId, what, reason: out.reason, attempt: job.attemptsMade + 1 }, "delivery: transient failure");
          throw new Error(`chat ${chatId}: ${out.reason}`);
      }
    }
    return chatId;
  }

  async function giveUp(chatId: number, what: string, reason: string) {
    await ledger.deadLetter({ at: Date.now(), chatId, what, reason });
    await ledger.count("failed");
  }

  /**
   * The stories of a job as the chat will see them: each with its related
   * stories and, when merging is on, the later reports merged into it so far.
   */
  async function entriesFor(list: { key: string; related: string[] }[]): Promise<StoryEntry[]> {
    const also = deps.stories ? await deps.stories.also(list.map((i) => i.key)) : new Map<string, string[]>();
    const wanted = new Set(list.flatMap((i) => [i.key, ...i.related, ...(also.get(i.key) ?? [])]));
    const all = await deps.items.getItems([...wanted]);
    const byKey = new Map(all.filter((i): i is Item => i !== null).map((i) => [i.key, i]));
    const pick = (keys: string[]) => keys.map((r) => byKey.get(r)).filter((r): r is Item => r !== undefined);
    return list.flatMap((i) => {
      const item = byKey.get(i.key);
      if (!item) return [];
      const merged = pick(also.get(i.key) ?? []);
      return [merged.length ? { item, related: pick(i.related), also: merged } : { item, related: pick(i.related) }];
    });
  }

  function partId(p: DigestPart): string {
    return createHash("sha1")
      .update(JSON.stringify([p.keys, p.header]))
      .digest("hex")
      .slice(0, 16);
  }

  async function processNews(job: Job<DeliveryJob>, data: NewsJob, token: string | undefined): Promise<JobResult> {
    const { chatId } = data;
    if (!(await deps.subscribers.has(chatId))) return "unsubscribed";
    const missing = new Set(
      await deps.delivered.notDeliveredTo(
        chatId,
        data.items.map((i) => i.key),
      ),
    );
    const todo = data.items.filter((i) => missing.has(i.key));
    if (todo.length === 0) return "already";

    const entries = await entriesFor(todo);
    // An item whose body expired can never be sent: nothing left to do.
    if (entries.length === 0) return "expired";
    const parts = data.digest
      ? deps.format.digest(entries)
      : entries.map((e) => ({ message: deps.format.news(e), keys: [e.item.key], header: null }));
    const messages = parts.map((p) => p.message);
    // Reports merged into a story in this round go out with it.
    const alsoOf = new Map(todo.map((i) => [i.key, i.also ?? []]));
    const carried = (keys: string[]) => keys.flatMap((key) => [key, ...(alsoOf.get(key) ?? [])]);
    const sentKeys = carried(entries.map((e) => e.item.key));
    const what = `news ${entries.map((e) => e.item.key).join(" ")}`;

    // Separate stories are recorded one by one as Telegram takes them, so a
    // retry skips them. A digest too long for one message goes in parts that
    // are recorded together at the end: the job remembers how many parts went.
    const from = data.digest ? (data.sentParts ?? 0) : 0;
    const to = await deliver(job, token, chatId, messages, what, {
      paid: false,
      from,
      onSent: async (part, messageId, target) => {
        const p = parts[part]!;
        if (data.digest) {
          if (part + 1 < parts.length) await job.updateData({ ...data, sentParts: part + 1 });
        } else {
          await deps.delivered.markDelivered(carried(p.keys), target);
        }
        // Only what a later merge edits: without it a later report comes as a message of its own,
        // so a failure here must not fail a send that happened.
        const stored = p.header ? { id: partId(p as DigestPart), record: { keys: p.keys, header: storedHeader(p.header) } } : undefined;
        await deps.stories
          ?.saveSent(target, [stored ? { keys: p.keys, messageId, part: stored } : { keys: p.keys, messageId }])
          .catch((err) => logger.warn({ chatId: target, err: (err as Error).message }, "delivery: message not recorded for merging"));
      },
      onGone: async () => undefined,
      onGaveUp: async () => undefined,
    });
    if (typeof to !== "number") return to === "uneditable" ? "expired" : to;
    await deps.delivered.markDelivered(sentKeys, to);
    if (to !== chatId) await deps.delivered.markDelivered(sentKeys, chatId);
    await ledger.count("sent", messages.length - from);
    return "sent";
  }

  /** The message `sent` as it should read now, with every report merged so far; null when it cannot be rebuilt. */
  async function rerender(stories: StoryStore, sent: SentIn, root: string): Promise<Outgoing | null> {
    if (!sent.partId) {
      const rec = (await stories.records([root])).get(root);
      const [entry] = await entriesFor([{ key: root, related: rec?.related ?? [] }]);
      return entry ? deps.format.news(entry) : null;
    }
    const part = await stories.digestPart(sent.partId);
    if (!part) return null;
    const recs = await stories.records(part.keys);
    const entries = await entriesFor(part.keys.map((key) => ({ key, related: recs.get(key)?.related ?? [] })));
    return entries.length === part.keys.length ? deps.format.digestPart(entries, renderHeader(part.header)) : null;
  }

  /**
   * A later report of a story the chat got: edits that message so its
   * "Also reported by" list includes the report. Sends the report as news of
   * its own when there is no message to edit (deleted, expired, never sent).
   */
  async function processMerge(job: Job<DeliveryJob>, data: MergeJob, token: string | undefined): Promise<JobResult> {
    const { chatId } = data;
    const alone = () => processNews(job, { kind: "news", chatId, digest: false, items: [{ key: data.key, related: data.related }] }, token);
    if (!(await deps.subscribers.has(chatId))) return "unsubscribed";
    if ((await deps.delivered.undelivered(data.key, [chatId])).length === 0) return "already";
    const stories = deps.stories;
    const sent = stories ? await stories.sentIn(data.into, chatId) : null;
    if (!stories || !sent) {
      const rootDue = (await deps.delivered.undelivered(data.into, [chatId])).length === 1;
      if (stories && rootDue && Date.now() - job.timestamp < MERGE_WAIT_MS) return later(job, token, 2000 + Math.random() * 1000);
      return alone();
    }
    const msg = await rerender(stories, sent, data.into);
    if (!msg) return alone();
    const to = await deliver(job, token, chatId, [msg], `merge ${data.key} into ${data.into}`, {
      paid: false,
      op: (target, m) => editOnce(deps.api, target, sent.messageId, m),
      onGone: async () => undefined,
      onGaveUp: async () => undefined,
    });
    if (to === "uneditable") return alone();
    if (typeof to !== "number") return to;
    await deps.delivered.markDelivered([data.key], chatId);
    await ledger.count("merged");
    return "merged";
  }

  async function processBroadcast(job: Job<DeliveryJob>, data: BroadcastJob, token: string | undefined): Promise<JobResult> {
    const { id, chatId } = data;
    const { b, msg } = await broadcastFor(id);
    if (b?.status !== "sending" || !msg) return "cancelled";
    const to = await deliver(job, token, chatId, [msg], `broadcast ${id}`, {
      paid: deps.paidBroadcast,
      onGone: () => ledger.broadcastOutcome(id, "blocked", chatId),
      onGaveUp: () => ledger.broadcastOutcome(id, "failed", chatId),
      // Checked once the slot is ours (one round trip; a broadcast job is
      // almost always wanted): a /cancel during the wait stops this message
      // too, and a copy of this job run meanwhile (a stalled job taken over) wins.
      // Each record is asked of its owner, the three at once (one round trip).
      stillWanted: async (target) => {
        const [status, served, subscribed] = await Promise.all([
          deps.broadcasts.status(id),
          ledger.broadcastServed(id, chatId),
          deps.subscribers.has(target),
        ]);
        if (status !== "sending") return "cancelled";
        if (served) return "already";
        if (!subscribed) {
          await ledger.broadcastOutcome(id, "skipped", chatId);
          return "unsubscribed";
        }
        return null;
      },
    });
    if (typeof to !== "number") return to === "uneditable" ? "cancelled" : to;
    await ledger.broadcastSent(id, chatId, to === chatId ? undefined : to);
    return "sent";
  }

  async function process(job: Job<DeliveryJob>, token?: string): Promise<JobResult> {
    const data = job.data;
    // News jobs for one chat can overlap (two fan-outs grouped the same story
    // differently): one at a time per chat, so the delivered check and the
    // send never interleave. A broadcast job is the only one for its chat.
    const lease = data.kind !== "broadcast" ? await tryLease(redis, k.lock(`chat:${data.chatId}`), CHAT_LEASE_MS) : null;
    if (data.kind !== "broadcast" && !lease) return later(job, token, 500 + Math.random() * 500);
    try {
      if (data.kind === "broadcast") return await processBroadcast(job, data, token);
      return data.kind === "merge" ? await processMerge(job, data, token) : await processNews(job, data, token);
    } catch (err) {
      const handled = err instanceof DelayedError || err instanceof RateLimitError || err instanceof UnrecoverableError;
      if (!handled && isLastAttempt(job)) {
        // Out of attempts (5xx, network, or our own trouble): an admin sees it in /stats.
        const what =
          data.kind === "broadcast"
            ? `broadcast ${data.id}`
            : data.kind === "merge"
              ? `news ${data.key}`
              : `news ${data.items.map((i) => i.key).join(" ")}`;
        const reason = (err as Error).message;
        logger.warn(
          { chatId: data.chatId, what, reason, attempts: job.attemptsMade + 1 },
          "delivery: giving up after retries (dead letter)",
        );
        await giveUp(data.chatId, what, reason);
        if (data.kind === "broadcast") await ledger.broadcastOutcome(data.id, "failed", data.chatId);
      }
      throw err;
    } finally {
      await lease?.release().catch(() => undefined);
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
