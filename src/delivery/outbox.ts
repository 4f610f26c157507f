import { type JobsOptions, Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Target } from "../store/sub-key.js";

/**
 * The durable outbox of broadcasts: one BullMQ job per (broadcast, chat) —
 * per chat, not per forum topic: a forum with several topic subscriptions
 * gets the announcement once, in the topic the fan-out chose.
 * Job ids are derived from what the job sends, so adding the same work twice
 * (a re-run fan-out after a crash, a second process) adds it once while the
 * job exists; once a job is done and removed, the broadcast's "delivered" set
 * (kept a week) makes a re-added copy a no-op. News does not come through
 * here: a job per chat per poll cost ~1 KB of Redis each and queued without
 * end under the flood limits; each chat's timeline has one pending delivery
 * at most instead (src/timeline/).
 */
export const OUTBOX_QUEUE = "outbox";

export interface BroadcastJob {
  kind: "broadcast";
  id: string;
  chatId: number;
  /** the forum topic (message_thread_id) it goes into; none: the chat's own subscription */
  thread?: number;
  /** times it waited for Telegram to be reachable (its backoff) */
  waits?: number;
}

export type DeliveryJob = BroadcastJob;

/** BullMQ forbids ":" in custom ids. One per chat: the topic is not part of it. */
export function jobId(job: DeliveryJob): string {
  return `b.${job.id}.${job.chatId}`;
}

/**
 * Where a broadcast goes: one target per chat, in the order first met — the
 * chat's own subscription when it has one, else its lowest-numbered topic.
 */
export function broadcastTargets(subs: Iterable<Pick<Target, "chatId" | "thread">>): Target[] {
  const best = new Map<number, Target>();
  for (const s of subs) {
    const had = best.get(s.chatId);
    if (had && (had.thread === undefined || (s.thread !== undefined && had.thread <= s.thread))) continue;
    best.set(s.chatId, s.thread === undefined ? { chatId: s.chatId } : { chatId: s.chatId, thread: s.thread });
  }
  return [...best.values()];
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
    /**
     * When the job next in line was added (ms), the earliest of the waiting
     * list's and the prioritized set's; null when none waits. Jobs put back
     * for later keep the time they were first added.
     */
    async oldestWaitingAt(): Promise<number | null> {
      const next = await queue.getJobs(["wait", "prioritized"], 0, 0, true);
      const times = next.map((j) => j.timestamp).filter((t) => Number.isFinite(t));
      return times.length ? Math.min(...times) : null;
    },
    close: () => queue.close(),
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
