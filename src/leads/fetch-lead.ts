/**
 * Leads for new items whose feed gives no usable summary: the article page
 * is fetched through the feeds' own fetch (fetchFeed: SSRF guard, one
 * deadline for the whole exchange, size cap after decompression), politely
 * per host (host-gate.ts), its main text read in a worker under a hard time
 * limit (extractor.ts), and its first one or two sentences (lead-text.ts)
 * become the item's summary. Leads are cached by canonical URL
 * (lead-store.ts), failures too, briefly.
 *
 * The poll stays bounded: at most LEADS_PER_SOURCE pages per source per
 * poll (the others go without), LEAD_CONCURRENCY fetches in flight in all,
 * and a source's items wait at most LEAD_DEADLINE_MS for their leads. By
 * then a fetch still running is aborted and a page still waiting for the
 * worker dropped; a page the worker is reading is left to finish (its lead is
 * cached for the next feed that links it) while the items go on without it.
 */
import { type Fulltext, fulltextOf, type Source } from "../config.js";
import { FeedError } from "../feeds/errors.js";
import { fetchFeed } from "../feeds/fetch.js";
import { refuseBytes } from "../feeds/sniff.js";
import type { Guard } from "../feeds/ssrf.js";
import { createSemaphore } from "../infra/semaphore.js";
import type { Logger } from "../log.js";
import type { Item } from "../news/item.js";
import { hostOf } from "../news/url.js";
import { decodeHtml } from "./extract.js";
import { EXTRACT_TIME_LIMIT_MS, type Extractor } from "./extractor.js";
import { createHostGate, type HostGate } from "./host-gate.js";
import type { LeadRecord, LeadStore } from "./lead-store.js";
import { pickLead, wantsLead, withLead } from "./lead-text.js";

/** An article server slower than this has no lead for us (feeds get FETCH_TIMEOUT_MS, 20 s by default). */
export const LEAD_FETCH_TIMEOUT_MS = 5_000;
/**
 * Real article pages are 250 KB–1.6 MB (Readability's test pages: BBC 260 KB,
 * NYT 300 KB, Guardian 1.1 MB, Yahoo 1.6 MB); a bigger one is refused unread.
 */
export const LEAD_MAX_BYTES = 2 * 1024 * 1024;
/** Pages asked per source per poll: a feed that turned over 30 items at once gets leads for its newest 4. */
export const LEADS_PER_SOURCE = 4;
/** Article fetches in flight at once, all sources together. */
export const LEAD_CONCURRENCY = 8;
/** …and to one host: the politeness the feeds get (DEFAULT_POLITENESS.perHost). */
export const LEAD_PER_HOST = 2;
/**
 * The longest a source's new items wait for their leads: a fetch that uses
 * its whole timeout, then an extraction that uses its whole time limit, and
 * a second for waiting on the host and the worker.
 */
export const LEAD_DEADLINE_MS = LEAD_FETCH_TIMEOUT_MS + EXTRACT_TIME_LIMIT_MS + 1_000;

/** What one source's leads came to, for source health and the poll's report. */
export interface LeadCounts {
  /** items that got a lead (fetched now, or cached) */
  fetched: number;
  /** items whose page gave none: fetch or extraction failed, no text, too late, or a failure cached */
  failed: number;
  /** items that wanted one and were not tried: over the per-source budget, or their host backed off */
  skipped: number;
}

export interface LeadFetcher {
  /**
   * New items of one source → the same items, those that wanted a lead and
   * got one carrying it as their summary. Resolves within LEAD_DEADLINE_MS;
   * never throws.
   */
  addLeads(source: Source, items: Item[]): Promise<{ items: Item[] } & LeadCounts>;
  close(): Promise<void>;
}

export interface LeadFetcherDeps {
  store: LeadStore;
  extractor: Extractor;
  logger: Logger;
  /** the SSRF guard for one article of one source (undefined: none) */
  guardFor: (source: Source, articleUrl: string) => Guard | undefined;
  timeoutMs?: number;
  maxBytes?: number;
  perSource?: number;
  concurrency?: number;
  perHost?: number;
  deadlineMs?: number;
  clock?: () => number;
  gate?: HostGate;
}

/**
 * The guard an article gets: links in a feed are the feed's publisher's to
 * choose, so an article on another host than the feed is fetched as a
 * chat-added source is, public addresses only — unless private addresses
 * are allowed (ALLOW_PRIVATE_SOURCES). On the feed's own host it gets the
 * source's own guard: a file source's intranet feed may link its own pages.
 */
export function articleGuard(opts: {
  allowPrivate: boolean;
  sourceGuard: Guard | undefined;
  feedUrl: string;
  articleUrl: string;
}): Guard | undefined {
  if (opts.allowPrivate) return undefined;
  return hostOf(opts.feedUrl) === hostOf(opts.articleUrl) ? opts.sourceGuard : "public-only";
}

type Attempt = { lead: string } | { failed: string } | { skipped: "backoff" };
type Page = Extract<Awaited<ReturnType<typeof fetchFeed>>, { status: "ok" }>;

/** Media types an article can come as; a missing one is taken on trust (refuseBytes still looks at the bytes). */
const HTML_TYPE = /^(?:text\/html|application\/xhtml\+xml)?$/i;

/** A failure the host is to blame for (not the page): it is backed off. */
function hostFault(err: FeedError): boolean {
  if (err.kind === "timeout" || err.kind === "network") return err.params.detail !== "aborted";
  return err.kind === "http" && (err.status === 403 || err.status === 429 || (err.status ?? 0) >= 500);
}

export function createLeadFetcher(deps: LeadFetcherDeps): LeadFetcher {
  const clock = deps.clock ?? Date.now;
  const timeoutMs = deps.timeoutMs ?? LEAD_FETCH_TIMEOUT_MS;
  const maxBytes = deps.maxBytes ?? LEAD_MAX_BYTES;
  const perSource = deps.perSource ?? LEADS_PER_SOURCE;
  const deadlineMs = deps.deadlineMs ?? LEAD_DEADLINE_MS;
  const gate = deps.gate ?? createHostGate({ perHost: deps.perHost ?? LEAD_PER_HOST, clock });
  const slots = createSemaphore(deps.concurrency ?? LEAD_CONCURRENCY);
  /** attempts still running, deadline or not: close() waits for them */
  const running = new Set<Promise<unknown>>();
  /** aborted by close(): every fetch still running stops */
  const life = new AbortController();

  /** The page's bytes, or why there are none; the host's backoff follows what it answered. */
  async function download(source: Source, url: string, signal: AbortSignal): Promise<Exclude<Attempt, { lead: string }> | { page: Page }> {
    const host = hostOf(url);
    const entered = await gate.enter(host, signal);
    if (entered === "backoff") return { skipped: "backoff" };
    if (entered === "aborted") return { failed: "late" };
    try {
      const guard = deps.guardFor(source, url);
      const res = await slots.run(() => fetchFeed(source.id, url, { timeoutMs, maxBytes, signal, ...(guard ? { guard } : {}) }));
      gate.succeeded(host);
      if (res.status !== "ok") return { failed: "http" }; // a 304 to a request without validators
      return { page: res };
    } catch (err) {
      if (signal.aborted) return { failed: "late" };
      if (!(err instanceof FeedError)) throw err;
      if (hostFault(err)) gate.failed(host, err.retryAfterMs);
      else gate.succeeded(host);
      return { failed: err.kind };
    } finally {
      entered();
    }
  }

  async function attempt(source: Source, item: Item, signal: AbortSignal): Promise<Attempt> {
    const got = await download(source, item.link, signal);
    if (!("page" in got)) return got;
    const { body, contentType } = got.page;
    const media = (contentType ?? "").split(";")[0]!.trim();
    if (!HTML_TYPE.test(media) || refuseBytes(body, contentType)) return { failed: "not-html" };
    // Still waiting for the worker at the deadline: dropped, and not held against the page.
    const read = await deps.extractor.extract(decodeHtml(body, contentType), signal);
    if (!read.ok) return { failed: read.reason === "aborted" || read.reason === "closed" ? "late" : `extract-${read.reason}` };
    const lead = pickLead(read.page, { title: item.title, lang: source.lang });
    deps.logger.debug({ source: source.id, url: item.link, ms: Math.round(read.ms), lead: lead.length }, "leads: article read");
    return lead ? { lead } : { failed: "no-text" };
  }

  /** One item's lead, cached when it settles — after the deadline too: the page is then known for the next feed that links it. */
  function leadOf(source: Source, item: Item, signal: AbortSignal): Promise<Attempt> {
    const p = attempt(source, item, signal)
      .catch((err: unknown): Attempt => {
        deps.logger.warn({ source: source.id, url: item.link, err: (err as Error).message }, "leads: unexpected failure");
        return { failed: "internal" };
      })
      .then(async (a) => {
        const at = clock();
        const record: LeadRecord | null =
          "lead" in a ? { lead: a.lead, at } : "failed" in a && a.failed !== "late" ? { failed: a.failed, at } : null;
        if (record) await deps.store.put(item.link, record).catch(() => undefined);
        if ("failed" in a) deps.logger.debug({ source: source.id, url: item.link, why: a.failed }, "leads: no lead");
        return a;
      });
    running.add(p);
    void p.finally(() => running.delete(p));
    return p;
  }

  return {
    async addLeads(source, items) {
      const mode: Fulltext = fulltextOf(source);
      const wanted = life.signal.aborted ? [] : items.filter((i) => wantsLead(mode, i));
      const counts: LeadCounts = { fetched: 0, failed: 0, skipped: 0 };
      if (wanted.length === 0) return { items, ...counts };
      const chosen = wanted.slice(0, perSource);
      counts.skipped = wanted.length - chosen.length;

      const leads = new Map<string, string>();
      const cached = await deps.store.get(chosen.map((i) => i.link)).catch(() => new Map<string, LeadRecord>());
      const controller = new AbortController();
      const attempts: Promise<void>[] = [];
      for (const item of chosen) {
        const hit = cached.get(item.link);
        if (hit && "lead" in hit) leads.set(item.key, hit.lead);
        if (hit) {
          counts["lead" in hit ? "fetched" : "failed"]++;
          continue;
        }
        attempts.push(
          leadOf(source, item, AbortSignal.any([controller.signal, life.signal])).then((a) => {
            if (controller.signal.aborted) return;
            if ("lead" in a) {
              leads.set(item.key, a.lead);
              counts.fetched++;
            } else if ("skipped" in a) counts.skipped++;
            else counts.failed++;
          }),
        );
      }
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, deadlineMs);
      });
      await Promise.race([Promise.all(attempts), late]);
      clearTimeout(timer);
      // What did not make it by now counts as failed: the reader got no lead.
      counts.failed += wanted.length - (counts.fetched + counts.failed + counts.skipped);
      controller.abort();
      const out = items.map((i) => {
        const lead = leads.get(i.key);
        return lead ? { ...i, summary: withLead(mode, i, lead) } : i;
      });
      return { items: out, ...counts };
    },

    async close() {
      life.abort();
      await deps.extractor.close();
      await Promise.allSettled([...running]);
    },
  };
}
