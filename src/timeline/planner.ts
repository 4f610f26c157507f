import type { Redis } from "ioredis";
import { withLease } from "../infra/redis-lock.js";
import { sleep } from "../infra/sleep.js";
import type { Logger } from "../log.js";
import type { Item } from "../news/item.js";
import type { FanoutMeter } from "../ops/meters.js";
import { type AnalyzedText, analyzeText, hasRules, KeywordIndex } from "../prefs/keywords.js";
import { passesSources, storyFacts } from "../prefs/match.js";
import { nextDigestAt, zoneOf } from "../prefs/schedule.js";
import type { StoryFacts } from "../prefs/types.js";
import type { ChatStateStore } from "../store/chat-state-store.js";
import type { StoryStore } from "../store/story-store.js";
import type { SubKey } from "../store/sub-key.js";
import type { ItemStore, Subscriber, SubscriberStore } from "../store/types.js";
import { chooseRoots, type MergeDeps } from "./roots.js";

/**
 * Planning: what happens once per poll, for every chat at once. New stories
 * on the timeline get their related stories and same-story decisions (once,
 * in the story store, shared by every chat), and the chats that will want
 * any of them — as-it-comes chats whose sources, languages and keywords pass
 * at least one — are marked due. Nothing per chat per story is written:
 * each chat's delivery reads the timeline after its own cursor when its turn
 * comes. Keyword rules of every chat are matched in one pass per story
 * (KeywordIndex). Digest chats are not touched here; they are due at their
 * digest time (one entry each in `chats:due`, set by delivery and settings).
 */
export interface PlannerDeps {
  redis: Redis;
  /** one planner at a time across processes */
  leaseKey: string;
  items: ItemStore;
  subscribers: Pick<SubscriberStore, "all">;
  chats: ChatStateStore;
  stories: StoryStore;
  relatedFor: (item: Item) => Promise<Item[]>;
  /** brings the related index up to date before a round */
  prepare?: () => Promise<unknown>;
  /** same-story merging; absent = every story is its own */
  merge?: MergeDeps;
  /** source id → lang ("und" when none) */
  langOf: (sourceId: string) => string;
  /** the bot's TIMEZONE, for chats without one */
  timezone: string;
  /** after chats were marked due (wakes this process's delivery at once) */
  onDue?: () => void;
  logger: Logger;
  clock?: () => number;
  /** told how long each pass that planned new stories took (its rounds under the lease, not the wait for it) */
  meter?: FanoutMeter;
}

export interface PlanReport {
  stories: number;
  /** chats marked due */
  chats: number;
  merges: number;
}

/** Timeline entries taken per round. */
const PAGE = 500;
/**
 * Renewed every third of this while a round runs: a planner killed mid-round
 * (SIGKILL) holds news back at most this long, not the minute a fixed lease
 * did before.
 */
const LEASE_MS = 10_000;

/** One story as planning matches it: facts and analysed text, computed once for every chat. */
export interface PlannedStory {
  facts: StoryFacts;
  text: AnalyzedText;
}

/**
 * Pure: which of `subs` want any of `stories` now — as-it-comes
 * subscriptions (chats, forum topics) whose sources, languages and keyword
 * rules pass at least one story; their keys. O(chats + stories × (text +
 * chats with rules)): all keyword rules are matched per story in one pass,
 * not once per chat.
 */
export function chatsWanting(subs: readonly Subscriber[], stories: readonly PlannedStory[]): SubKey[] {
  if (stories.length === 0) return [];
  const now = subs.filter((s) => s.prefs.mode.kind === "now");
  // Indexed by position in `now`: topics of one forum share a chat id but each has rules of its own.
  const ruled = new KeywordIndex(now.flatMap((s, i) => (hasRules(s.prefs.keywords) ? [[i, s.prefs.keywords] as const] : [])));
  const passingRules = ruled.size ? stories.map((st) => ruled.passing(st.text)) : [];
  const sourcesPresent = new Set(stories.map((s) => s.facts.sourceId));
  const out: SubKey[] = [];
  for (const [n, sub] of now.entries()) {
    const p = sub.prefs;
    if (p.sources !== "all" && !p.sources.some((id) => sourcesPresent.has(id))) continue;
    const ruledChat = hasRules(p.keywords);
    for (let i = 0; i < stories.length; i++) {
      if (!passesSources(p, stories[i]!.facts)) continue;
      if (ruledChat && !passingRules[i]!.has(n)) continue;
      out.push(sub.key);
      break;
    }
  }
  return out;
}

export function createPlanner(deps: PlannerDeps) {
  const { items, chats, logger } = deps;
  const clock = deps.clock ?? Date.now;
  let running: Promise<PlanReport> | null = null;
  let again = false;

  async function round(report: PlanReport): Promise<boolean> {
    const planned = await chats.planned();
    const entries = await items.timelineSince(planned, PAGE);
    if (entries.length === 0) return false;
    const bodies = await items.getItems(entries.map((e) => e.key));
    // First seen first (ties by key, as the related index orders them): a story's first report becomes its message.
    const queue = bodies
      .filter((i): i is Item => i !== null)
      .sort((a, b) => a.seenAt - b.seenAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (deps.prepare) {
      await deps
        .prepare()
        .catch((err) => logger.warn({ err: (err as Error).message }, "timeline: related index not refreshed, using what this process has"));
    }
    const related = new Map<string, string[]>();
    for (const item of queue) {
      related.set(
        item.key,
        (await deps.relatedFor(item)).map((r) => r.key),
      );
    }
    let merges = 0;
    if (deps.merge) {
      const roots = await chooseRoots({ items, stories: deps.stories }, deps.merge, queue, related);
      merges = roots.size;
    } else {
      await deps.stories.saveRoots(queue.map((i) => ({ key: i.key, related: related.get(i.key) ?? [] })));
    }

    const subs = await deps.subscribers.all();
    const planned_ = queue.map((item) => ({
      facts: storyFacts(item, deps.langOf(item.sourceId)),
      text: analyzeText(`${item.title}\n${item.summary}`),
    }));
    const wanting = chatsWanting(subs, planned_);
    // Chats from before timelines (or whose /start lost its state write) start just before this round.
    const states = await chats.getMany(wanting);
    for (let i = 0; i < wanting.length; i++) if (states[i] === null) await chats.start(wanting[i]!, planned);
    await chats.setPlanned(entries[entries.length - 1]!.seq);
    await chats.markDue(wanting, clock());
    await ensureDigestsScheduled(subs);
    report.stories += queue.length;
    report.chats += wanting.length;
    report.merges += merges;
    if (wanting.length) deps.onDue?.();
    return entries.length === PAGE;
  }

  /** A digest chat is always due at its next digest; one that lost its entry (an old record, a crash) gets it back. */
  async function ensureDigestsScheduled(subs: readonly Subscriber[]) {
    const digests = subs.filter((s) => s.prefs.mode.kind !== "now");
    const due = await chats.dueMany(digests.map((s) => s.key));
    for (const [i, sub] of digests.entries()) {
      if (due[i] !== null) continue;
      const at = nextDigestAt(sub.prefs.mode, zoneOf(sub.prefs, deps.timezone), clock());
      if (at !== null) await chats.dueAt(sub.key, at);
    }
  }

  async function pass(): Promise<PlanReport> {
    const report: PlanReport = { stories: 0, chats: 0, merges: 0 };
    let done = false;
    // Another process planning right now takes what is new too: wait for it rather than skip.
    for (let tries = 0; !done && tries <= 60; tries++) {
      if (tries > 0) await sleep(500);
      done =
        (await withLease(deps.redis, deps.leaseKey, LEASE_MS, async (signal) => {
          const t0 = performance.now();
          while (!signal.aborted && (await round(report)));
          if (report.stories) deps.meter?.fanout((performance.now() - t0) / 1000);
          return true;
        })) !== null;
    }
    if (!done) logger.warn("timeline: planner lease busy for 30 s, leaving new stories for the next pass");
    else if (report.stories) logger.info(report, "timeline: planned");
    return report;
  }

  /** Runs a planning pass; a call while one runs schedules exactly one more after it. */
  function run(): Promise<PlanReport> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        let report: PlanReport;
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

export type Planner = ReturnType<typeof createPlanner>;
