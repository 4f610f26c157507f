import type { Source } from "../config.js";
import { FeedError, type FeedErrorInfo, feedErrorText, reasonLine } from "../feeds/errors.js";
import { type FetchResult, fetchFeed } from "../feeds/fetch.js";
import { type HttpCache, parseFetched, type ReadFeedOptions } from "../feeds/read-feed.js";
import type { Translate } from "../i18n/translator.js";
import { createSemaphore } from "../infra/semaphore.js";
import type { LeadFetcher } from "../leads/fetch-lead.js";
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
  /** new items that got their article's lead as summary (src/leads/) */
  leads: number;
  /** new items that wanted a lead and got none */
  leadsFailed: number;
  /** entries past what a feed is read for (the newest 300: src/feeds/entry-cap.ts), not parsed */
  entriesOverCap: number;
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
  /**
   * Leads for new items without a usable summary (src/leads/): asked after
   * normalize and before ingest, so an item is stored, indexed and sent with
   * its lead. Never for a source's first poll or a guid change (backlog).
   */
  leads?: Pick<LeadFetcher, "addLeads">;
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
  /** sources waiting for their leads, then stored: the run ends when they are */
  pending: Promise<void>[];
}

/** A feed read and its new entries normalized, not stored yet. */
interface ReadFeed {
  items: Item[];
  /** keys still in the feed that were seen before */
  known: string[];
  total: number;
  dropped: number;
  guidChange: boolean;
  /** the items are news (not a first poll, not a guid change): leads may be asked for them */
  news: boolean;
  cache: HttpCache;
  maxAgeMs: number | undefined;
  ttlMs: number | undefined;
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

  /**
   * Fetches and stores one source. When its new items wait for leads, the
   * wait and the storing are handed back as `rest`, to run after the
   * source's slot is freed: a host's other feeds are not held up behind
   * article pages, and the run waits for them only at its end.
   */
  async function pollSource(source: Source, h: SourceHealth, run: Run, attemptAt: number): Promise<{ rest?: Promise<void> }> {
    const { report } = run;
    const cache = await deps.items.getHttpCache(source.id);
    const guard = deps.guardFor?.(source);
    const fetched = await fetchFeed(source.id, source.url, { ...deps.fetch, cache, ...(guard ? { guard } : {}) });
    if (fetched.status === "not-modified") {
      // A 304 has no body, so the feed's <ttl> is the one remembered from its last 200.
      const next = nextAfterSuccess({ runStartedAt: run.startedAt, maxAgeMs: fetched.maxAgeMs, feedTtlMs: h.feedTtlMs });
      await deps.health.recordSuccess(source.id, { at: attemptAt, newItems: 0, next });
      report.notModified++;
      return {};
    }
    return processing.run(async () => {
      const read = await readFeed(source, h, fetched, report);
      const leads = deps.leads;
      if (!leads || !read.news || read.items.length === 0) {
        await storeFeed(source, run, attemptAt, read);
        return {};
      }
      // The parsed feed is gone by now: what waits for the leads is the new items only.
      return { rest: leads.addLeads(source, read.items).then((r) => storeFeed(source, run, attemptAt, { ...read, items: r.items }, r)) };
    });
  }

  async function readFeed(
    source: Source,
    h: SourceHealth,
    fetched: Extract<FetchResult, { status: "ok" }>,
    report: PollReport,
  ): Promise<ReadFeed> {
    const res = await parseFetched(source.id, fetched);
    if (res.entriesOverCap) {
      report.entriesOverCap += res.entriesOverCap;
      deps.logger.debug(
        { source: source.id, read: res.feed.entries.length, overCap: res.entriesOverCap },
        "poll: feed lists more entries than are read; the newest kept",
      );
    }
    const feedSource = { id: source.id, name: source.name, url: res.finalUrl, lang: source.lang };
    const { entries, dropped } = identifyFeed(res.feed, feedSource);
    // One round trip tells both which entries to normalize and what the guid-change guard needs.
    const keys = [...new Set(entries.map((e) => e.key))];
    const seen = await deps.items.knownKeys(source.id, keys);
    // Cleaning text is what a poll costs: an entry already seen is not cleaned again.
    const items = normalizeIdentified(unseenEntries(entries, seen.known), feedSource, clock());
    const guidChange = looksLikeGuidChange({
      polledBefore: seen.polled,
      total: keys.length,
      unseenPublished: items.map(publishedTime),
      lastSuccessAt: h.lastSuccessAt,
    });
    return {
      items,
      known: seen.known,
      total: keys.length,
      dropped,
      guidChange,
      news: seen.polled && !guidChange,
      cache: res.cache,
      maxAgeMs: res.maxAgeMs,
      ttlMs: res.ttlMs,
    };
  }

  async function storeFeed(
    source: Source,
    run: Run,
    attemptAt: number,
    read: ReadFeed,
    leads: { fetched: number; failed: number } = { fetched: 0, failed: 0 },
  ) {
    const { report } = run;
    const { items, guidChange, total, dropped } = read;
    const stored = await deps.items.ingest(source.id, items, { backlog: guidChange, refresh: read.known });
    // Validators are saved only after the items are: a crash in between refetches.
    await deps.items.setHttpCache(source.id, read.cache);
    const next = nextAfterSuccess({ runStartedAt: run.startedAt, maxAgeMs: read.maxAgeMs, feedTtlMs: read.ttlMs });
    await deps.health.recordSuccess(source.id, {
      at: attemptAt,
      newItems: stored.fresh.length,
      next,
      feedTtlMs: read.ttlMs ?? null,
      ...(leads.fetched || leads.failed ? { leads: { fetched: leads.fetched, failed: leads.failed } } : {}),
    });
    // Only the entries normalized now: the others are in Redis already, and the index catches up from there.
    deps.onStored?.(items);
    report.ok++;
    report.dropped += dropped;
    report.backlog += stored.backlog;
    report.newItems += stored.fresh.length;
    report.leads += leads.fetched;
    report.leadsFailed += leads.failed;
    run.seen += read.known.length;
    run.fresh.push(...stored.fresh);
    if (guidChange && stored.backlog > 0) {
      report.guidChanges++;
      deps.logger.warn(
        { source: source.id, items: stored.backlog, total },
        `poll: source ${source.id}: ${stored.backlog} of ${total} items are new at once and not recent (guids changed?) — stored without sending`,
      );
    }
    if (dropped) deps.logger.debug({ source: source.id, dropped }, "poll: items without a usable link dropped");
    if (leads.fetched || leads.failed)
      deps.logger.debug({ source: source.id, leads: leads.fetched, failed: leads.failed }, "poll: leads from article pages");
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
      entriesOverCap: 0,
      guidChanges: 0,
      dropped: 0,
      leads: 0,
      leadsFailed: 0,
      ms: 0,
      errors: [],
    };
    const run: Run = { startedAt, report, fresh: [], seen: 0, pending: [] };
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
            const { rest } = await pollSource(source, h, run, attemptAt);
            if (rest) run.pending.push(rest.catch((err: unknown) => recordFailure(source, h, run, attemptAt, err)));
          } catch (err) {
            await recordFailure(source, h, run, attemptAt, err);
          }
        },
      );
      // Sources still waiting for their leads, each at most the lead deadline: the run ends at most that long after its last feed.
      await Promise.all(run.pending);
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
