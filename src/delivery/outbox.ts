import { createHash } from "node:crypto";
import { type JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";

/**
 * The durable outbox: one BullMQ job per (chat, message). Job ids are derived
 * from what the job sends, so adding the same work twice (a re-run fan-out
 * after a crash, a second process) adds it once while the job exists; once a
 * job is done and removed, the "delivered" markers (kept much longer) make a
 * re-added copy a no-op.
 */
export const OUTBOX_QUEUE = "outbox";

export interface NewsJob {
  kind: "news";
  chatId: number;
  /** decided at fan-out: more stories than DIGEST_THRESHOLD for this chat come as one digest */
  digest: boolean;
  /**
   * Oldest first, with the related stories chosen at fan-out, and the later
   * reports of the same story merged into it in the same round (delivered
   * with it, so they are marked delivered with it).
   */
  items: { key: string; related: string[]; also?: string[] }[];
  /** parts of a long digest Telegram already accepted, so a retry sends only the rest */
  sentParts?: number;
}

export interface BroadcastJob {
  kind: "broadcast";
  id: string;
  chatId: number;
}

/**
 * A later report of a story the chat already got (or is about to get): the
 * message that carried `into` is edited to list it. Falls back to sending
 * `key` as news of its own when that message cannot be edited.
 */
export interface MergeJob {
  kind: "merge";
  chatId: number;
  key: string;
  into: string;
  /** for the fallback: the related stories chosen at fan-out */
  related: string[];
}

export type DeliveryJob = NewsJob | BroadcastJob | MergeJob;

/** BullMQ forbids ":" in custom ids. */
export function jobId(job: DeliveryJob): string {
  if (job.kind === "broadcast") return `b.${job.id}.${job.chatId}`;
  if (job.kind === "merge") return `m.${job.chatId}.${createHash("sha1").update(job.key).digest("hex").slice(0, 20)}`;
  const keys = job.items.map((i) => i.key).join("\n");
  return `n.${job.chatId}.${createHash("sha1").update(keys).digest("hex").slice(0, 20)}`;
}

export interface OutboxOptions {
  /** attempts for 5xx / network failures before a message becomes a dead letter */
  attempts: number;
  /** first retry delay; doubles with every attempt */
  backoffMs: number;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxOptions = { attempts: 5, backoffMs: 2000 };

const ADD_CHUNK = 500;
const WEEK_S = 7 * 24 * 3600;

export function createOutbox(
  redis: Redis,
  bullPrefix: string,
  opts: OutboxOptions = DEFAULT_OUTBOX_OPTIONS,
  /** the queue's `error` events (a Redis outage): one log line per interval, see error-log.ts */
  onError: (err: Error) => void = () => undefined,
) {
  const queue = new Queue<DeliveryJob>(OUTBOX_QUEUE, {
    connection: redis,
    prefix: bullPrefix,
    // Events are not consumed (progress is read from the delivered sets): keep the stream short.
    streams: { events: { maxLen: 1000 } },
    defaultJobOptions: {
      attempts: opts.attempts,
      backoff: { type: "exponential", delay: opts.backoffMs },
      removeOnComplete: true,
      removeOnFail: { count: 1000, age: WEEK_S },
    },
  });
  queue.on("error", onError);

  return {
    queue,
    /** adds jobs (idempotently, by job id) in chunks */
    async add(jobs: DeliveryJob[]): Promise<void> {
      for (let i = 0; i < jobs.length; i += ADD_CHUNK) {
        await queue.addBulk(
          jobs.slice(i, i + ADD_CHUNK).map((data) => {
            const o: JobsOptions = { jobId: jobId(data) };
            // News goes first: jobs without a priority run before prioritized ones,
            // so a story is not stuck behind a 10,000-chat broadcast.
            if (data.kind === "broadcast") o.priority = 1;
            return { name: data.kind, data, opts: o };
          }),
        );
      }
    },
    async counts() {
      const c = await queue.getJobCounts("waiting", "prioritized", "delayed", "active", "failed");
      return {
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
        delayed: c.delayed ?? 0,
        active: c.active ?? 0,
        failed: c.failed ?? 0,
      };
    },
    close: () => queue.close(),
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
