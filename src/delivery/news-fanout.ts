import type { Redis } from "ioredis";
import { tryLease } from "../infra/redis-lock.js";
import { sleep } from "../infra/sleep.js";
import type { Logger } from "../log.js";
import type { Item } from "../news/item.js";
import type { DeliveryLog, ItemStore, SubscriberStore } from "../store/types.js";
import type { DeliveryJob, Outbox } from "./outbox.js";

export interface NewsFanoutDeps {
  redis: Redis;
  /** the Redis key of the fan-out lease (one fan-out at a time across processes) */
  leaseKey: string;
  items: ItemStore;
  subscribers: SubscriberStore;
  delivered: DeliveryLog;
  outbox: Pick<Outbox, "add">;
  relatedFor: (item: Item) => Promise<Item[]>;
  logger: Logger;
  /** more new stories than this for one chat → digests */
  digestThreshold: number;
}

export interface FanoutReport {
  items: number;
  chats: number;
  jobs: number;
  digests: number;
}

/** A digest carries at most this many stories, so one message stays short and a failure resends little. */
export const DIGEST_BATCH = 8;
/** Pending items taken per round. */
const PAGE = 500;
const LEASE_MS = 60_000;

export interface ChatWork {
  chatId: number;
  /** oldest first */
  items: { key: string; related: string[] }[];
}

/**
 * Pure: how one chat's new stories become jobs. Up to `threshold` stories go
 * as separate messages in one job (so they arrive in order); more come as
 * digests of at most DIGEST_BATCH stories each.
 */
export function planJobs(work: ChatWork[], threshold: number): DeliveryJob[] {
  const jobs: DeliveryJob[] = [];
  for (const { chatId, items } of work) {
    if (items.length > threshold) {
      for (let i = 0; i < items.length; i += DIGEST_BATCH) {
        jobs.push({ kind: "news", chatId, digest: true, items: items.slice(i, i + DIGEST_BATCH) });
      }
    } else if (items.length > 0) {
      jobs.push({ kind: "news", chatId, digest: false, items });
    }
  }
  return jobs;
}

/**
 * Moves items from the `pending` queue into the outbox: for every subscriber
 * that lacks an item (no delivered marker), a job. Items leave `pending` only
 * after their jobs were added, so a crash in between re-runs the fan-out,
 * which adds nothing twice (job ids) and sends nothing twice (markers). The
 * related stories are chosen here, by the process that has the freshest
 * index, and travel in the job.
 */
export function createNewsFanout(deps: NewsFanoutDeps) {
  const { items, subscribers, delivered, logger } = deps;
  let running: Promise<FanoutReport> | null = null;
  let again = false;

  async function round(report: FanoutReport): Promise<boolean> {
    const queue = await items.pending(PAGE);
    if (queue.length === 0) return false;
    const subs = await subscribers.all();
    const related = new Map<string, string[]>();
    for (const item of queue) related.set(item.key, (await deps.relatedFor(item)).map((r) => r.key));

    const lacking = new Map<number, ChatWork>();
    for (const item of queue) {
      const eligible = subs.filter((s) => s.since <= item.seenAt).map((s) => s.chatId);
      for (const chatId of await delivered.undelivered(item.key, eligible)) {
        let w = lacking.get(chatId);
        if (!w) lacking.set(chatId, (w = { chatId, items: [] }));
        w.items.push({ key: item.key, related: related.get(item.key) ?? [] });
      }
    }
    const jobs = planJobs([...lacking.values()], deps.digestThreshold);
    await deps.outbox.add(jobs);
    await items.removePending(queue.map((i) => i.key));
    report.items += queue.length;
    report.chats += lacking.size;
    report.jobs += jobs.length;
    report.digests += jobs.filter((j) => j.kind === "news" && j.digest).length;
    return queue.length === PAGE;
  }

  async function pass(): Promise<FanoutReport> {
    const report: FanoutReport = { items: 0, chats: 0, jobs: 0, digests: 0 };
    // Another process fanning out right now will also take what is pending:
    // wait for it rather than skip, so nothing waits for the next poll.
    let lease = await tryLease(deps.redis, deps.leaseKey, LEASE_MS);
    for (let tries = 0; !lease && tries < 60; tries++) {
      await sleep(500);
      lease = await tryLease(deps.redis, deps.leaseKey, LEASE_MS);
    }
    if (!lease) {
      logger.warn("delivery: fan-out lease busy for 30 s, leaving pending items for the next pass");
      return report;
    }
    const renew = setInterval(() => void lease.renew(LEASE_MS).catch(() => undefined), LEASE_MS / 3);
    try {
      while (await round(report));
    } finally {
      clearInterval(renew);
      await lease.release().catch(() => undefined);
    }
    if (report.items) logger.info(report, "delivery: fan-out finished");
    return report;
  }

  /**
   * Runs a fan-out pass; a call while one runs schedules exactly one more
   * pass after it, so items queued meanwhile are not left waiting.
   */
  function run(): Promise<FanoutReport> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        let report: FanoutReport;
        do {
          again = false;
          report = await pass();
        } while (again);
        return report;
      } finally {
        running = null;
      }
    })();
    return running;
  }

  return { run, idle: () => running ?? Promise.resolve(null) };
}

export type NewsFanout = ReturnType<typeof createNewsFanout>;
