import type { Source } from "../config.js";
import { FeedError, type FeedErrorInfo, feedErrorText, reasonLine } from "../feeds/errors.js";
import { type FetchResult, fetchFeed } from "../feeds/fetch.js";
import { parseFetched, type ReadFeedOptions } from "../feeds/read-feed.js";
import type { Translate } from "../i18n/translator.js";
import { createSemaphore } from "../infra/semaphore.js";
import type { Logger } from "../log.js";
import { escapeHtml } from "../news/html.js";
import type { Item } from "../news/item.js";
import { type IdentifiedEntry, identifyFeed, normalizeIdentified } from "../news/normalize.js";
import { hostOf } from "../news/url.js";
import type { PollMeter } from "../ops/meters.js";
import type { SourceHealth, SourceHealthStore } from "../store/source-health.js";
import type { ItemStore } from "../store/types.js";
import { looksLikeGuidChange } from "./flood-guard.js";
import { runPolite } from "./host-scheduler.js";
import { nextAfterFailure, nextAfterSuccess, skipReason } from "./schedule.js";

export interface PollReport {
  /** enabled sources */
  sources: number;
  ok: number;
  notModified: number;
  failed: number;
  /** not attempted: still waiting (backoff, Retry-After, min interval) */
  waiting: number;
  /** not attempted: disabled after too many failures */
  disabled: number;
  newItems: number;
  backlog: number;
  /** sources whose whole feed changed identity at once (stored as backlog) */
  guidChanges: number;
  dropped: number;
  ms: number;
  errors: string[];
}

export interface Politeness {
  /** requests in flight to one host */
  perHost: number;
  /** between requests to one host, after the first perHost */
  spacingMs: number;
  /** random extra spacing in [0, jitterMs) */
  jitterMs: number;
}

/** ≤ 2 in flight per host, then one request a second or so: what a polite crawler does. */
export const DEFAULT_POLITENESS: Politeness = { perHost: 2, spacingMs: 1000, jitterMs: 500 };

/** A slow source holds back the news already found by the others for at most this long. */
export const NEWS_FLUSH_MS = 10_000;

export interface PollerDeps {
  sources: () => Source[] | Promise<Source[]>;
  items: ItemStore;
  health: SourceHealthStore;
  logger: Logger;
  fetch: { timeoutMs: number; maxBytes: number };
  /** e.g. an SSRF guard for sources added from the chat */
  guardFor?: (source: Source) => ReadFeedOptions["guard"];
  concurrency: number;
  /** consecutive failures after which a source is disabled (SOURCE_MAX_FAILURES) */
  maxFailures: number;
  /**
   * Tells the admins, e.g. that a source was disabled. The message is given
   * as a function, so each admin reads it in their own language: called with
   * that language's texts and its Intl locale tag, it returns Telegram HTML
   * (send it with parse_mode "HTML"). Failures to send are logged, never thrown.
   */
  notifyAdmins?: (message: AdminMessage) => Promise<unknown>;
  politeness?: Politeness;
  newsFlushMs?: number;
  /** every item stored by this poll (new and backlog), e.g. for the related index */
  onStored?: (items: Item[]) => void;
  /** new items to deliver: once per poll, or earlier in batches when sources are slow */
  onNews?: (fresh: Item[]) => Promise<unknown>;
  clock?: () => number;
  random?: () => number;
  /** told of each whole run: how long it took, the entries it found new and already seen */
  meter?: PollMeter;
}

/** A message to the admins in the language `t` speaks (`locale`: the Intl tag for dates and numbers): Telegram HTML. */
export type AdminMessage = (t: Translate, locale: string) => string;

/**
 * The alert a source disabled after failures gets: which source, how many
 * polls failed, the last error, and how to turn it back on (Telegram HTML).
 */
export function composeSourceDisabled(
  t: Translate,
  source: Pick<Source, "id" | "name" | "url">,
  failures: number,
  lastError: FeedErrorInfo,
): string {
  return t("adm-source-disabled", {
    name: escapeHtml(source.name),
    id: escapeHtml(source.id),
    failures,
    error: escapeHtml(feedErrorText(t, lastError.kind, lastError.params)),
    url: escapeHtml(source.url),
  });
}

/** The entries whose keys are not among the known ones, each key once: the store keeps the first of a key anyway. */
function unseenEntries(entries: IdentifiedEntry[], known: string[]): IdentifiedEntry[] {
  const taken = new Set(known);
  const unseen: IdentifiedEntry[] = [];
  for (const e of entries) {
    if (taken.has(e.key)) continue;
    taken.add(e.key);
    unseen.push(e);
  }
  return unseen;
}

/** An item's published time for the guid-change guard: null when the feed gave none we could read. */
function publishedTime(item: Item): number | null {
  const t = item.published === null ? NaN : Date.parse(item.published);
  return Number.isFinite(t) ? t : null;
}

interface Run {
  startedAt: number;
  report: PollReport;
  /** fresh items not yet handed to onNews */
  fresh: Item[];
  /** entries the feeds listed that were seen before */
  seen: number;
}

/**
 * Fetched feeds parsed, cleaned and stored at once; the rest wait as bytes.
 * Parsing is single-threaded work, so more at once does not go faster: it
 * only keeps more parsed feeds alive across their Redis round trips. With
 * all 64 fetches free to go on to parse, a 1,000-feed first poll peaked at
 * 240 MB RSS in 10.7 s; with 2 here, 150–169 MB in 8.1–8.6 s (npm run bench:poll).
 */
const PROCESSING_SLOTS = 2;

/**
 * One poll over the sources that are due, at most `concurrency` at once and
 * politely per host. A failing or slow source is logged with its id and
 * never breaks or holds up another. Each attempt updates the source's health
 * (and with it the backoff), and a source failing `maxFailures` times in a
 * row is disabled with a message to the admins. Runs never overlap: a tick
 * that arrives while one runs gets that run's result.
 */
export function createPoller(deps: PollerDeps) {
  const clock = deps.clock ?? Date.now;
  const politeness = deps.politeness ?? DEFAULT_POLITENESS;
  let running: Promise<PollReport> | null = null;
  let stopped = false;
  const processing = createSemaphore(PROCESSING_SLOTS);

  async function pollSource(source: Source, h: SourceHealth, run: Run, attemptAt: number) {
    const { report } = run;
    const cache = await deps.items.getHttpCache(source.id);
    const guard = deps.guardFor?.(source);
    const fetched = await fetchFeed(source.id, source.url, { ...deps.fetch, cache, ...(guard ? { guard } : {}) });
    if (fetched.status === "not-modified") {
      // A 304 has no body, so the feed's <ttl> is the one remembered from its last 200.
      const next = nextAfterSuccess({ runStartedAt: run.startedAt, maxAgeMs: fetched.maxAgeMs, feedTtlMs: h.feedTtlMs });
      await deps.health.recordSuccess(source.id, { at: attemptAt, newItems: 0, next });
      report.notModified++;
      return;
    }
    await processing.run(() => storeFeed(source, h, run, attemptAt, fetched));
  }

  async function storeFeed(source: Source, h: SourceHealth, run: Run, attemptAt: number, fetched: Extract<FetchResult, { status: "ok" }>) {
    const { report } = run;
    const res = await parseFetched(source.id, fetched);
    const feedSource = { id: source.id, name: source.name, url: res.finalUrl, lang: source.lang };
    const { entries, dropped } = identifyFeed(res.feed, feedSource);
    // One round trip tells both which entries to normalize and what the guid-change guard needs.
    const keys = [...new Set(entries.map((e) => e.key))];
    const seen = await deps.items.knownKeys(source.id, keys);
    // Cleaning text is what a poll costs: an entry already seen is not cleaned again.
    const items = normalizeIdentified(unseenEntries(entries, seen.known), feedSource, clock());
    const total = keys.length;
    const guidChange = looksLikeGuidChange({
      polledBefore: seen.polled,
      total,
      unseenPublished: items.map(publishedTime),
      lastSuccessAt: h.lastSuccessAt,
    });
    const stored = await deps.items.ingest(source.id, items, { backlog: guidChange, refresh: seen.known });
    // Validators are saved only after the items are: a crash in between refetches.
    await deps.items.setHttpCache(source.id, res.cache);
    const next = nextAfterSuccess({ runStartedAt: run.startedAt, maxAgeMs: res.maxAgeMs, feedTtlMs: res.ttlMs });
    await deps.health.recordSuccess(source.id, { at: attemptAt, newItems: stored.fresh.length, next, feedTtlMs: res.ttlMs ?? null });
    // Only the entries normalized now: the others are in Redis already, and the index catches up from there.
    deps.onStored?.(items);
    report.ok++;
    report.dropped += dropped;
    report.backlog += stored.backlog;
    report.newItems += stored.fresh.length;
    run.seen += seen.known.length;
    run.fresh.push(...stored.fresh);
    if (guidChange && stored.backlog > 0) {
      report.guidChanges++;
      deps.logger.warn(
        { source: source.id, items: stored.backlog, total },
        `poll: source ${source.id}: ${stored.backlog} of ${total} items are new at once and not recent (guids changed?) — stored without sending`,
      );
    }
    if (dropped) deps.logger.debug({ source: source.id, dropped }, "poll: items without a usable link dropped");
  }

  async function recordFailure(source: Source, h: SourceHealth, run: Run, attemptAt: number, err: unknown) {
    const fe = err instanceof FeedError ? err : undefined;
    const message = fe ? fe.message : `source ${source.id}: ${(err as Error).message}`;
    const reason = fe ? fe.reason : (err as Error).message;
    const info: FeedErrorInfo = fe
      ? fe.info
      : { kind: "internal", params: { detail: "error", error: reasonLine(String((err as Error)?.message ?? err)) } };
    run.report.failed++;
    run.report.errors.push(message);
    const failures = h.consecutiveFailures + 1;
    const next = nextAfterFailure({ failures, runStartedAt: run.startedAt, attemptAt, retryAfterMs: fe?.retryAfterMs });
    deps.logger.warn(
      { source: source.id, kind: fe?.kind ?? "internal", failures, nextAttemptAt: new Date(next.at).toISOString() },
      message,
    );
    try {
      const count = await deps.health.recordFailure(source.id, { at: attemptAt, kind: info.kind, params: info.params, next });
      if (count >= deps.maxFailures) await disable(source, count, reason, info, attemptAt);
    } catch (e) {
      deps.logger.error({ source: source.id, err: (e as Error).message }, "poll: could not record the source's health");
    }
  }

  async function disable(source: Source, failures: number, reason: string, lastError: FeedErrorInfo, at: number) {
    if (!(await deps.health.disable(source.id, { failures, lastError }, at))) return;
    const polls = failures === 1 ? "1 poll" : `${failures} polls`;
    deps.logger.error({ source: source.id, failures, reason }, `poll: source ${source.id} disabled after ${polls} in a row failed`);
    await deps
      .notifyAdmins?.((t) => composeSourceDisabled(t, source, failures, lastError))
      .catch((e: unknown) =>
        deps.logger.warn({ source: source.id, err: (e as Error).message }, "poll: admins not told about the disabled source"),
      );
  }

  async function flush(run: Run) {
    if (run.fresh.length === 0 || !deps.onNews) return;
    const batch = run.fresh;
    run.fresh = [];
    await deps.onNews(batch);
  }

  async function pollOnce(): Promise<PollReport> {
    const startedAt = clock();
    const sources = (await deps.sources()).filter((s) => s.enabled);
    const report: PollReport = {
      sources: sources.length,
      ok: 0,
      notModified: 0,
      failed: 0,
      waiting: 0,
      disabled: 0,
      newItems: 0,
      backlog: 0,
      guidChanges: 0,
      dropped: 0,
      ms: 0,
      errors: [],
    };
    const run: Run = { startedAt, report, fresh: [], seen: 0 };
    const health = await deps.health.healthOf(sources.map((s) => s.id));
    const due = sources.filter((s) => {
      const skip = skipReason(health.get(s.id)!, startedAt);
      if (skip === "disabled") report.disabled++;
      else if (skip) report.waiting++;
      return skip === null;
    });

    // News already found goes out even if one source is still timing out.
    const flushTimer = setTimeout(() => {
      flush(run).catch((err: unknown) => deps.logger.error({ err: (err as Error).message }, "poll: handing over news failed"));
    }, deps.newsFlushMs ?? NEWS_FLUSH_MS);
    try {
      await runPolite(
        due,
        (s) => hostOf(s.url),
        { concurrency: deps.concurrency, ...politeness, random: deps.random, clock, stopped: () => stopped },
        async (source) => {
          const h = health.get(source.id)!;
          const attemptAt = clock();
          try {
            await pollSource(source, h, run, attemptAt);
          } catch (err) {
            await recordFailure(source, h, run, attemptAt, err);
          }
        },
      );
    } finally {
      clearTimeout(flushTimer);
    }
    report.ms = clock() - startedAt;
    const { errors: _errors, ...summary } = report;
    deps.logger.info(summary, "poll: run finished");
    deps.meter?.poll({ seconds: report.ms / 1000, fresh: report.newItems, seen: run.seen, backlog: report.backlog });
    await flush(run);
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
    /** no new fetches start after this; those in flight finish */
    stop() {
      stopped = true;
    },
  };
}

export type Poller = ReturnType<typeof createPoller>;
