import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { DeliveryStats } from "../delivery/index.js";
import type { Logger } from "../log.js";
import type { SourceHealth } from "../store/source-health.js";
import type { Subscriber } from "../store/types.js";
import type { Meters } from "./meters.js";

/**
 * What an operator scrapes at /metrics (prom-client). Everything read from
 * Redis is read at scrape time, so every process reports the same shared
 * figures (Prometheus sums per process only what each did itself — Node's
 * defaults and the `meters`, src/ops/meters.ts); a part that cannot be read
 * (Redis away) is left out of that scrape and counted in
 * newsbot_scrape_errors_total, never failing the whole page.
 */
export interface MetricsDeps {
  deliveryStats: () => Promise<DeliveryStats>;
  /** since when (ms) the longest-waiting delivery of a queue has waited, due by `now`; null when none waits */
  waitingSince: (queue: "chats" | "outbox", now: number) => Promise<number | null>;
  /** this process's counters and histograms (messages by kind, fan-out, polls), registered on the same page */
  meters?: Meters;
  subscribers: () => Promise<Subscriber[]>;
  sourceHealth: () => Promise<SourceHealth[]>;
  /** enabled sources' ids: health records of removed sources are not counted */
  sourceIds: () => readonly string[];
  /** one PING's round trip, in seconds */
  redisRoundTrip: () => Promise<number>;
  telegram: { reachable(): boolean; lastOkAt(): number | null };
  logger: Pick<Logger, "warn">;
  /** subscribers by type and language are counted at most this often: 100,000 records are read each time (default 30 s) */
  subscriberCacheMs?: number;
  clock?: () => number;
}

export function createMetrics(deps: MetricsDeps): Registry {
  const register = new Registry();
  // Node's own (newsbot_process_cpu_seconds_total, newsbot_nodejs_heap_size_total_bytes, …): per process.
  collectDefaultMetrics({ register, prefix: "newsbot_" });
  deps.meters?.registerOn(register);
  const clock = deps.clock ?? Date.now;
  const errors = new Counter({
    name: "newsbot_scrape_errors_total",
    help: "Parts of /metrics that could not be read (Redis away), since the process started; a scrape shows the failures of the scrapes before it",
    labelNames: ["part"],
    // prom-client reads every metric of a scrape at once, so this one shows the failures of earlier scrapes;
    // a part that fails now is absent from this scrape (its labelled series) or says so (newsbot_redis_up).
    registers: [register],
  });
  const failed = (part: string, err: unknown) => {
    errors.inc({ part });
    deps.logger.warn({ part, err: err instanceof Error ? err.message : String(err) }, "metrics: a part could not be read");
  };

  // One delivery snapshot per scrape, shared by the gauges that read it.
  let snapshot: { at: number; stats: Promise<DeliveryStats> } | null = null;
  const stats = () => {
    if (!snapshot || clock() - snapshot.at > 1000) snapshot = { at: clock(), stats: deps.deliveryStats() };
    return snapshot.stats;
  };
  const fromStats = (part: string, read: (s: DeliveryStats, g: Gauge) => void) =>
    async function (this: Gauge) {
      this.reset();
      try {
        read(await stats(), this);
      } catch (err) {
        failed(part, err);
      }
    };

  /** a gauge with one series per field of a part of the delivery snapshot */
  const byField = (name: string, help: string, label: string, part: "queue" | "chats" | "today") =>
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [register],
      collect: fromStats(name.replace("newsbot_", ""), (s, g) => {
        for (const [field, n] of Object.entries(s[part])) g.set({ [label]: field }, n);
      }),
    });
  byField("newsbot_outbox_jobs", "Broadcast messages in the BullMQ outbox, by state", "state", "queue");
  byField(
    "newsbot_chat_deliveries",
    "Chats with news due now (waiting), due later (scheduled: digests, waits) and being delivered to (active)",
    "state",
    "chats",
  );
  byField(
    "newsbot_messages_today",
    "Messages today (the bot's TIMEZONE day), all processes: sent, merged (edits), failed, blocked",
    "outcome",
    "today",
  );
  new Gauge({
    name: "newsbot_dead_letters",
    help: "Messages given up on and kept for /stats (the newest 1,000)",
    registers: [register],
    collect: fromStats("dead-letters", (s, g) => g.set(s.deadLetters.total)),
  });

  new Gauge({
    name: "newsbot_oldest_waiting_seconds",
    help: "How long the longest-waiting delivery has waited, all processes: chats (the chat due earliest, since it became due), outbox (the broadcast job next in line, since it was added); 0 when none waits",
    labelNames: ["queue"],
    registers: [register],
    async collect() {
      this.reset();
      const now = clock();
      await Promise.all(
        (["chats", "outbox"] as const).map(async (queue) => {
          try {
            const since = await deps.waitingSince(queue, now);
            this.set({ queue }, since === null ? 0 : Math.max(0, now - since) / 1000);
          } catch (err) {
            failed(`oldest_waiting_${queue}`, err);
          }
        }),
      );
    },
  });

  let subs: { at: number; counts: Map<string, number> } | null = null;
  new Gauge({
    name: "newsbot_subscribers",
    help: "Subscriptions (chats and forum topics, not stopped) by chat type and the bot's language there",
    labelNames: ["chat_type", "language"],
    registers: [register],
    async collect() {
      try {
        if (!subs || clock() - subs.at > (deps.subscriberCacheMs ?? 30_000)) {
          const counts = new Map<string, number>();
          for (const s of await deps.subscribers()) {
            const id = `${s.kind}\u0000${s.prefs.locale}`;
            counts.set(id, (counts.get(id) ?? 0) + 1);
          }
          subs = { at: clock(), counts };
        }
        this.reset();
        for (const [id, n] of subs.counts) {
          const [chat_type = "", language = ""] = id.split("\u0000");
          this.set({ chat_type, language }, n);
        }
      } catch (err) {
        failed("subscribers", err);
      }
    },
  });

  new Gauge({
    name: "newsbot_sources",
    help: "Enabled sources by state: ok, failing (its last poll failed), disabled (after too many failures)",
    labelNames: ["state"],
    registers: [register],
    async collect() {
      try {
        const enabled = new Set(deps.sourceIds());
        const counts = { ok: 0, failing: 0, disabled: 0 };
        const known = new Set<string>();
        for (const h of await deps.sourceHealth()) {
          if (!enabled.has(h.sourceId)) continue;
          known.add(h.sourceId);
          if (h.disabled) counts.disabled++;
          else if (h.consecutiveFailures > 0) counts.failing++;
          else counts.ok++;
        }
        // A source not polled yet has no record: it is not failing.
        counts.ok += [...enabled].filter((id) => !known.has(id)).length;
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      } catch (err) {
        failed("sources", err);
      }
    },
  });

  // One PING per scrape, shared by the two gauges below.
  let ping: { at: number; rtt: Promise<number | null> } | null = null;
  const roundTrip = () => {
    if (!ping || clock() - ping.at > 1000) {
      ping = {
        at: clock(),
        rtt: deps.redisRoundTrip().catch((err: unknown) => {
          failed("redis", err);
          return null;
        }),
      };
    }
    return ping.rtt;
  };
  new Gauge({
    name: "newsbot_redis_up",
    help: "1 when Redis answered a PING at this scrape, else 0",
    registers: [register],
    async collect() {
      this.set((await roundTrip()) === null ? 0 : 1);
    },
  });
  new Gauge({
    name: "newsbot_redis_roundtrip_seconds",
    help: "One PING to Redis, measured at the scrape (the last answered one while newsbot_redis_up is 0)",
    registers: [register],
    async collect() {
      const rtt = await roundTrip();
      if (rtt !== null) this.set(rtt);
    },
  });
  new Gauge({
    name: "newsbot_telegram_reachable",
    help: "1 while the Bot API answers this process, 0 while it is unreachable",
    registers: [register],
    collect() {
      this.set(deps.telegram.reachable() ? 1 : 0);
    },
  });
  new Gauge({
    name: "newsbot_telegram_last_ok_seconds",
    help: "Unix time of the last Bot API call that this process got an answer to",
    registers: [register],
    collect() {
      const at = deps.telegram.lastOkAt();
      if (at === null) this.reset();
      else this.set(at / 1000);
    },
  });
  return register;
}
