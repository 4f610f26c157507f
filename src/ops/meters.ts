import { Counter, Histogram, type Metric, type Registry } from "prom-client";

/**
 * What this process did, counted as it happens (prom-client counters and
 * histograms, per process: Prometheus sums them across processes). The code
 * that does the work is told of it through the small interfaces below, each
 * an optional dependency: tests and benches pass none, and no Redis call is
 * ever made for them — an increment in memory per message.
 */

/**
 * news: one story's card; digest: one digest message; edit: a card or digest
 * already sent, edited to add a later report (same-story merge); broadcast:
 * an admin's broadcast, one per chat (the outbox); reply: everything the bot
 * sends through its grammY client — replies to commands and buttons, the
 * broadcast's progress message and report, admin alerts, notices.
 */
export const MESSAGE_KINDS = ["news", "digest", "edit", "broadcast", "reply"] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/**
 * What Telegram answered: sent (taken; for news and broadcasts also a send
 * that got no answer twice and is counted as sent, as the ledger does),
 * failed (refused for this message, or given up on after retries), blocked
 * (the chat or forum topic refuses for good: blocked, kicked, deactivated,
 * not found, no right to post, topic closed), rate_limited (a 429; the
 * message is tried again later and then counted once more with its outcome —
 * for replies, only a 429 grammY's auto-retry gave up on: see meterReplies).
 * A send that got no answer or a 5xx and is tried again is counted when it
 * is settled, not per attempt.
 */
export const MESSAGE_OUTCOMES = ["sent", "failed", "blocked", "rate_limited"] as const;
export type MessageOutcome = (typeof MESSAGE_OUTCOMES)[number];

export interface DeliveryMeter {
  message(kind: MessageKind, outcome: MessageOutcome): void;
}

export interface FanoutMeter {
  /** one planning pass that planned new stories: how long it took */
  fanout(seconds: number): void;
}

/** One whole poll run. */
export interface PollRun {
  seconds: number;
  /** new items stored to be delivered */
  fresh: number;
  /** entries the feeds still list that were seen before */
  seen: number;
  /** new items stored without being sent (a source's first poll, or a feed whose ids all changed at once) */
  backlog: number;
}

export interface PollMeter {
  poll(run: PollRun): void;
}

export interface Meter extends DeliveryMeter, FanoutMeter, PollMeter {}

export interface Meters extends Meter {
  /** the per-process metrics, for the /metrics registry (createMetrics registers them) */
  readonly metrics: readonly Metric[];
  registerOn(register: Registry): void;
}

/**
 * A planning pass for a handful of chats takes a few milliseconds; 50 stories
 * for 100,000 subscribers about 0.7 s (npm run bench:timeline); the planner's
 * lease is 10 s (renewed), so 10 s is the top: from 1 ms to 10 s, about 2.5×
 * a step.
 */
const FANOUT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/**
 * A poll of a few answering feeds takes 0.1–1 s; one slow source holds a run
 * until its FETCH_TIMEOUT_MS (20 s by default), hence 20 and 30 to tell those
 * runs apart; 1,000 feeds take ~10 s (npm run bench:poll). 120 and 300 catch
 * runs long enough to skip the next tick of a 1- or 5-minute POLL_CRON.
 */
const POLL_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];
/**
 * New items per run: most runs of a 5-minute schedule find none or a few
 * (le="0" counts the empty runs); a source added or a long pause brings
 * hundreds at once.
 */
const ITEM_BUCKETS = [0, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000];

export function createMeters(): Meters {
  const messages = new Counter({
    name: "newsbot_messages_total",
    help:
      "Messages this process sent to Telegram, by kind (news card, digest, edit of a merged story, broadcast, reply) and " +
      "outcome (sent, failed, blocked: the chat refuses for good, rate_limited: each 429 answer, counted when it came)",
    labelNames: ["kind", "outcome"],
    registers: [],
  });
  // Every series from the start, so rate() and alerts see a 0 rather than nothing.
  for (const kind of MESSAGE_KINDS) for (const outcome of MESSAGE_OUTCOMES) messages.inc({ kind, outcome }, 0);
  const fanouts = new Histogram({
    name: "newsbot_fanout_duration_seconds",
    help: "Planning passes of this process that planned new stories (related stories, same-story merges, which chats are due): how long each took",
    buckets: FANOUT_BUCKETS,
    registers: [],
  });
  const polls = new Histogram({
    name: "newsbot_poll_duration_seconds",
    help: "Poll runs of this process over all sources due: how long each took",
    buckets: POLL_BUCKETS,
    registers: [],
  });
  const pollItems = new Histogram({
    name: "newsbot_poll_items",
    help: "Poll runs of this process by the number of new items each found (to be delivered)",
    buckets: ITEM_BUCKETS,
    registers: [],
  });
  const items = new Counter({
    name: "newsbot_poll_items_total",
    help: "Feed entries this process's polls read: new (stored, to be delivered), seen (known already), backlog (stored, not sent: a source's first poll, or a feed whose ids all changed)",
    labelNames: ["outcome"],
    registers: [],
  });
  for (const outcome of ["new", "seen", "backlog"]) items.inc({ outcome }, 0);

  const metrics: Metric[] = [messages, fanouts, polls, pollItems, items];
  return {
    metrics,
    registerOn(register) {
      for (const m of metrics) register.registerMetric(m);
    },
    message(kind, outcome) {
      messages.inc({ kind, outcome });
    },
    fanout(seconds) {
      fanouts.observe(seconds);
    },
    poll(run) {
      polls.observe(run.seconds);
      pollItems.observe(run.fresh);
      if (run.fresh) items.inc({ outcome: "new" }, run.fresh);
      if (run.seen) items.inc({ outcome: "seen" }, run.seen);
      if (run.backlog) items.inc({ outcome: "backlog" }, run.backlog);
    },
  };
}
