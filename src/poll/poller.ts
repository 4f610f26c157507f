import type { Source } from "../config.js";
import { FeedError } from "../feeds/errors.js";
import { readFeed } from "../feeds/read-feed.js";
import type { Logger } from "../log.js";
import type { Item } from "../news/item.js";
import { normalizeFeed } from "../news/normalize.js";
import type { ItemStore } from "../store/types.js";
import { runPool } from "../delivery/run-pool.js";

export interface PollReport {
  sources: number;
  ok: number;
  notModified: number;
  failed: number;
  newItems: number;
  backlog: number;
  dropped: number;
  ms: number;
  errors: string[];
}

export interface PollerDeps {
  sources: () => Source[];
  items: ItemStore;
  logger: Logger;
  fetch: { timeoutMs: number; maxBytes: number };
  concurrency: number;
  /** every item stored by this poll (new and backlog), e.g. for the related index */
  onStored?: (items: Item[]) => void;
  /** new items to deliver, called once per poll after all sources */
  onNews?: (fresh: Item[]) => Promise<unknown>;
  clock?: () => number;
}

/**
 * One poll over all sources, at most `concurrency` at once. A failing source
 * is logged with its id and never delays or breaks another. Runs never
 * overlap: a tick that arrives while one runs gets that run's result.
 */
export function createPoller(deps: PollerDeps) {
  const clock = deps.clock ?? Date.now;
  let running: Promise<PollReport> | null = null;

  async function pollSource(source: Source, report: PollReport, fresh: Item[]) {
    const cache = await deps.items.getHttpCache(source.id);
    const res = await readFeed(source, { ...deps.fetch, cache });
    if (res.status === "not-modified") {
      report.notModified++;
      return;
    }
    const { items, dropped } = normalizeFeed(res.feed, { id: source.id, name: source.name, url: res.finalUrl, lang: source.lang }, clock());
    const stored = await deps.items.ingest(source.id, items);
    // Validators are saved only after the items are: a crash in between refetches.
    await deps.items.setHttpCache(source.id, res.cache);
    deps.onStored?.(items);
    report.ok++;
    report.dropped += dropped;
    report.backlog += stored.backlog;
    report.newItems += stored.fresh.length;
    fresh.push(...stored.fresh);
    if (dropped) deps.logger.debug({ source: source.id, dropped }, "poll: items without a usable link dropped");
  }

  async function pollOnce(): Promise<PollReport> {
    const started = clock();
    const sources = deps.sources().filter((s) => s.enabled);
    const report: PollReport = { sources: sources.length, ok: 0, notModified: 0, failed: 0, newItems: 0, backlog: 0, dropped: 0, ms: 0, errors: [] };
    const fresh: Item[] = [];
    await runPool(sources, deps.concurrency, async (source) => {
      try {
        await pollSource(source, report, fresh);
      } catch (err) {
        report.failed++;
        const message = err instanceof FeedError ? err.message : `source ${source.id}: ${(err as Error).message}`;
        report.errors.push(message);
        deps.logger.warn({ source: source.id, kind: err instanceof FeedError ? err.kind : "internal" }, message);
      }
    });
    report.ms = clock() - started;
    const { errors: _errors, ...summary } = report;
    deps.logger.info(summary, "poll: run finished");
    if (fresh.length && deps.onNews) await deps.onNews(fresh);
    return report;
  }

  return {
    poll(): Promise<PollReport> {
      running ??= pollOnce().finally(() => {
        running = null;
      });
      return running;
    },
    idle: () => running ?? Promise.resolve(null),
  };
}

export type Poller = ReturnType<typeof createPoller>;
