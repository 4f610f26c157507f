import type { Redis } from "ioredis";
import { withLease } from "../infra/redis-lock.js";
import { sleep } from "../infra/sleep.js";
import type { Logger } from "../log.js";
import { type Item, itemTime } from "../news/item.js";
import { chooseRoot } from "../news/related/index.js";
import type { StoryStore } from "../store/story-store.js";
import type { DeliveryLog, ItemStore, SubscriberStore } from "../store/types.js";
import type { DeliveryJob, MergeJob, Outbox } from "./outbox.js";

export interface NewsFanoutDeps {
  redis: Redis;
  /** the Redis key of the fan-out lease (one fan-out at a time across processes) */
  leaseKey: string;
  items: ItemStore;
  subscribers: SubscriberStore;
  delivered: DeliveryLog;
  outbox: Pick<Outbox, "add">;
  relatedFor: (item: Item) => Promise<Item[]>;
  /** brings the related index up to date before a round (items another process stored) */
  prepare?: () => Promise<unknown>;
  /** same-story merging; absent = every item is a message of its own */
  merge?: MergeDeps;
  logger: Logger;
  /** more new stories than this for one chat → digests */
  digestThreshold: number;
}

export interface MergeDeps {
  /** a later report is merged into the first one at most this long after it was seen (ms) */
  windowMs: number;
  /** reports of the same story seen before `item`, within the window, oldest first */
  earlier(item: Item): Item[] | Promise<Item[]>;
  /**
   * whether `item` is like enough to `root`, a story's first report, to join
   * it through a later report of the story (resemblesRoot); absent = never
   */
  resembles?(item: Item, root: Item): boolean;
  stories: StoryStore;
}

export interface FanoutReport {
  items: number;
  chats: number;
  jobs: number;
  digests: number;
  /** later reports of a story that become an edit of the chat's earlier message */
  merges: number;
}

/** A digest carries at most this many stories, so one message stays short and a failure resends little. */
export const DIGEST_BATCH = 8;
/** Pending items taken per round. */
const PAGE = 500;
const LEASE_MS = 60_000;

export interface ChatWork {
  chatId: number;
  /** oldest first */
  items: { key: string; related: string[]; also?: string[] }[];
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
    // First seen first (ties by key, as the related index orders them): a
    // story's first report becomes its message, later ones join it.
    const queue = (await items.pending(PAGE)).sort((a, b) => a.seenAt - b.seenAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (queue.length === 0) return false;
    if (deps.prepare) {
      await deps
        .prepare()
        .catch((err) => logger.warn({ err: (err as Error).message }, "delivery: related index not refreshed, using what this process has"));
    }
    const subs = await subscribers.all();
    const since = new Map(subs.map((s) => [s.chatId, s.since]));
    const related = new Map<string, string[]>();
    for (const item of queue)
      related.set(
        item.key,
        (await deps.relatedFor(item)).map((r) => r.key),
      );
    const roots = deps.merge ? await chooseRoots(deps.merge, queue, related) : new Map<string, Item>();

    const lacking = new Map<number, ChatWork>();
    const merges: MergeJob[] = [];
    for (const item of queue) {
      const eligible = subs.filter((s) => s.since <= item.seenAt).map((s) => s.chatId);
      const root = roots.get(item.key);
      for (const chatId of await delivered.undelivered(item.key, eligible)) {
        let w = lacking.get(chatId);
        // A chat that subscribed after the first report never got it: this one is news to it.
        if (root && since.get(chatId)! <= root.seenAt) {
          const first = w?.items.find((e) => e.key === root.key);
          if (first) (first.also ??= []).push(item.key);
          else merges.push({ kind: "merge", chatId, key: item.key, into: root.key, related: related.get(item.key) ?? [] });
          continue;
        }
        if (!w) lacking.set(chatId, (w = { chatId, items: [] }));
        w.items.push({ key: item.key, related: related.get(item.key) ?? [] });
      }
    }
    // Each chat reads its stories oldest first, by their own dates.
    const byKey = new Map(queue.map((i) => [i.key, i]));
    const order = (key: string) => itemTime(byKey.get(key)!);
    for (const w of lacking.values()) w.items.sort((a, b) => order(a.key) - order(b.key) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const jobs = planJobs([...lacking.values()], deps.digestThreshold);
    // Merges after the messages they edit: the queue is first in, first out.
    await deps.outbox.add([...jobs, ...merges]);
    await items.removePending(queue.map((i) => i.key));
    report.items += queue.length;
    report.chats += lacking.size;
    report.jobs += jobs.length + merges.length;
    report.digests += jobs.filter((j) => j.kind === "news" && j.digest).length;
    report.merges += merges.length;
    return queue.length === PAGE;
  }

  /**
   * For each queued item that is a later report of a story already fanned
   * out (or earlier in this round), the story's first report — its root —
   * and records the decision in Redis before any job exists, so a re-run
   * after a crash decides the same.
   */
  async function chooseRoots(merge: MergeDeps, queue: Item[], related: Map<string, string[]>): Promise<Map<string, Item>> {
    const earlier = new Map<string, Item[]>();
    for (const item of queue) {
      earlier.set(
        item.key,
        (await merge.earlier(item)).filter((e) => item.seenAt - e.seenAt <= merge.windowMs),
      );
    }
    const candidates = new Set([...earlier.values()].flat().map((i) => i.key));
    const records = await merge.stories.records([...new Set([...candidates, ...queue.map((i) => i.key)])]);
    // Roots decided before: a re-run's own, and those earlier reports joined
    // (perhaps no longer in the index).
    const decided = new Set([...records.values()].flatMap((r) => (r.into ? [r.into] : [])));
    const known = new Map((await deps.items.getItems([...decided])).flatMap((i) => (i ? [[i.key, i] as const] : [])));

    const roots = new Map<string, Item>();
    const inRound = new Set<string>();
    // Only a report that went out as a message of its own (before, or in this round) takes others in.
    const isRoot = (e: Item) =>
      inRound.has(e.key) ? !roots.has(e.key) : records.get(e.key)?.related !== undefined && !records.get(e.key)?.into;
    const joined = (e: Item) => {
      if (inRound.has(e.key)) return roots.get(e.key);
      const into = records.get(e.key)?.into;
      return into ? known.get(into) : undefined;
    };
    for (const item of queue) {
      const rec = records.get(item.key);
      const resembles = merge.resembles;
      const via = resembles && {
        rootOf: (e: Item) => {
          const root = joined(e);
          return root && item.seenAt - root.seenAt <= merge.windowMs ? root : undefined;
        },
        likeRoot: (root: Item) => resembles(item, root),
      };
      const root = rec?.into ? known.get(rec.into) : rec ? undefined : chooseRoot(earlier.get(item.key)!, isRoot, via);
      if (root) roots.set(item.key, root);
      inRound.add(item.key);
    }
    await merge.stories.saveRoots(queue.filter((i) => !roots.has(i.key)).map((i) => ({ key: i.key, related: related.get(i.key) ?? [] })));
    await merge.stories.saveMerges(
      queue.flatMap((i) => (roots.has(i.key) ? [{ key: i.key, into: roots.get(i.key)!.key, seenAt: i.seenAt }] : [])),
    );
    return roots;
  }

  async function pass(): Promise<FanoutReport> {
    const report: FanoutReport = { items: 0, chats: 0, jobs: 0, digests: 0, merges: 0 };
    // Another process fanning out right now will also take what is pending:
    // wait for it rather than skip, so nothing waits for the next poll.
    let done = false;
    for (let tries = 0; !done && tries <= 60; tries++) {
      if (tries > 0) await sleep(500);
      done =
        (await withLease(deps.redis, deps.leaseKey, LEASE_MS, async (signal) => {
          // A lost lease (another process took over after a long Redis stall) ends the pass between rounds.
          while (!signal.aborted && (await round(report)));
          return true;
        })) !== null;
    }
    if (!done) {
      logger.warn("delivery: fan-out lease busy for 30 s, leaving pending items for the next pass");
      return report;
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
