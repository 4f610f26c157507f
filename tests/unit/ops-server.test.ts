import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import type { DeliveryStats } from "../../src/delivery/index.js";
import { silentLogger } from "../../src/log.js";
import { createOpsServer, type OpsServer, telegramReadiness } from "../../src/ops/http-server.js";
import { createMetrics, type MetricsDeps } from "../../src/ops/metrics.js";
import { defaultPrefs } from "../../src/prefs/preferences.js";

const stats: DeliveryStats = {
  queue: { waiting: 3, delayed: 1, active: 2, failed: 0 },
  chats: { waiting: 5, scheduled: 7, active: 1 },
  today: { sent: 120, merged: 4, failed: 2, blocked: 1 },
  deadLetters: { total: 9, latest: [] },
  broadcasts: [],
};
const sub = (chatId: number, kind: string, locale: "en" | "ru" | "az") => ({
  key: String(chatId),
  chatId,
  kind,
  since: 0,
  prefs: { ...defaultPrefs(), locale },
});

function deps(over: Partial<MetricsDeps> = {}): MetricsDeps {
  return {
    deliveryStats: async () => stats,
    subscribers: async () => [sub(1, "private", "ru"), sub(2, "private", "ru"), sub(-3, "channel", "az"), sub(4, "private", "en")],
    sourceHealth: async () =>
      [
        { sourceId: "a", consecutiveFailures: 0, disabled: null },
        { sourceId: "b", consecutiveFailures: 2, disabled: null },
        { sourceId: "c", consecutiveFailures: 5, disabled: { at: 1 } },
        { sourceId: "removed", consecutiveFailures: 3, disabled: null },
      ] as never,
    sourceIds: () => ["a", "b", "c", "never-polled"],
    redisRoundTrip: async () => 0.0004,
    telegram: { reachable: () => true, lastOkAt: () => 1_700_000_000_000 },
    waitingSince: async () => null,
    logger: silentLogger,
    ...over,
  };
}

const value = (text: string, series: string) => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe("metrics", () => {
  it("reports delivery, subscribers by type and language, sources by state, Redis and Telegram", async () => {
    const text = await createMetrics(deps()).metrics();
    expect(value(text, 'newsbot_outbox_jobs{state="waiting"}')).toBe(3);
    expect(value(text, 'newsbot_chat_deliveries{state="scheduled"}')).toBe(7);
    expect(value(text, 'newsbot_messages_today{outcome="blocked"}')).toBe(1);
    expect(value(text, "newsbot_dead_letters")).toBe(9);
    expect(value(text, 'newsbot_subscribers{chat_type="private",language="ru"}')).toBe(2);
    expect(value(text, 'newsbot_subscribers{chat_type="channel",language="az"}')).toBe(1);
    // A source never polled counts as ok; a removed source's record is not counted.
    expect(value(text, 'newsbot_sources{state="ok"}')).toBe(2);
    expect(value(text, 'newsbot_sources{state="failing"}')).toBe(1);
    expect(value(text, 'newsbot_sources{state="disabled"}')).toBe(1);
    expect(value(text, "newsbot_redis_roundtrip_seconds")).toBe(0.0004);
    expect(value(text, "newsbot_redis_up")).toBe(1);
    expect(value(text, "newsbot_telegram_reachable")).toBe(1);
    expect(value(text, "newsbot_telegram_last_ok_seconds")).toBe(1_700_000_000);
    expect(text).toContain("newsbot_nodejs_heap_size_total_bytes");
    expect(text).toContain("newsbot_process_cpu_seconds_total");
  });

  it("a part that cannot be read is left out and counted; the rest is still reported", async () => {
    const down = async () => {
      throw new Error("Connection is closed.");
    };
    let now = 0;
    const metrics = createMetrics(deps({ deliveryStats: down, redisRoundTrip: down, clock: () => now }));
    const text = await metrics.metrics();
    expect(text).not.toContain('newsbot_outbox_jobs{state="waiting"}');
    expect(value(text, "newsbot_redis_up")).toBe(0);
    expect(value(text, 'newsbot_subscribers{chat_type="private",language="en"}')).toBe(1);
    // Counted: the next scrape shows how many parts failed before it (one PING for both Redis gauges).
    now += 5000;
    const next = await metrics.metrics();
    expect(value(next, 'newsbot_scrape_errors_total{part="outbox_jobs"}')).toBe(1);
    expect(value(next, 'newsbot_scrape_errors_total{part="redis"}')).toBe(1);
  });

  it("the oldest waiting delivery per queue: its age at the scrape, 0 when none waits; a queue that cannot be read is left out and counted", async () => {
    let now = 1_800_000_000_000;
    const asked: Array<[string, number]> = [];
    let outboxDown = false;
    const metrics = createMetrics(
      deps({
        clock: () => now,
        waitingSince: async (queue, at) => {
          asked.push([queue, at]);
          if (queue === "chats") return at - 42_500;
          if (outboxDown) throw new Error("Connection is closed.");
          return null;
        },
      }),
    );
    let text = await metrics.metrics();
    expect(value(text, 'newsbot_oldest_waiting_seconds{queue="chats"}')).toBe(42.5);
    expect(value(text, 'newsbot_oldest_waiting_seconds{queue="outbox"}')).toBe(0);
    // Asked what is due by the scrape's time.
    expect(asked).toEqual([
      ["chats", now],
      ["outbox", now],
    ]);
    outboxDown = true;
    now += 5000;
    text = await metrics.metrics();
    expect(value(text, 'newsbot_oldest_waiting_seconds{queue="chats"}')).toBe(42.5);
    expect(text).not.toContain('newsbot_oldest_waiting_seconds{queue="outbox"}');
    now += 5000;
    text = await metrics.metrics();
    expect(value(text, 'newsbot_scrape_errors_total{part="oldest_waiting_outbox"}')).toBe(1);
  });

  it("counts subscribers at most once per cache period (100,000 records are read each time)", async () => {
    let reads = 0;
    let now = 0;
    const m = createMetrics(
      deps({
        subscribers: async () => {
          reads++;
          return [sub(1, "private", "en")];
        },
        clock: () => now,
      }),
    );
    await m.metrics();
    now += 10_000;
    await m.metrics();
    expect(reads).toBe(1);
    now += 30_000;
    await m.metrics();
    expect(reads).toBe(2);
  });
});

describe("the ops server", () => {
  let server: OpsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(readiness: Parameters<typeof createOpsServer>[0]["readiness"]) {
    server = createOpsServer({ metrics: new Registry(), readiness, logger: silentLogger, checkTimeoutMs: 200 });
    const port = await server.listen(0, "127.0.0.1");
    return (path: string) => fetch(`http://127.0.0.1:${port}${path}`).then(async (r) => ({ status: r.status, body: await r.text() }));
  }

  it("/readyz says what is not ready, one reason per line; a check that hangs counts as failed", async () => {
    const get = await start({ redis: () => new Promise(() => undefined), telegram: () => "telegram: the Bot API is unreachable" });
    const r = await get("/readyz");
    expect(r.status).toBe(503);
    expect(r.body.trim().split("\n")).toEqual(["redis: no answer within 200 ms", "telegram: the Bot API is unreachable"]);
    expect((await get("/healthz")).status).toBe(200);
  });

  it("/readyz is 200 when every check passes; a failing Redis check is a reason, not a crash", async () => {
    let redisUp = true;
    const get = await start({
      redis: async () => {
        if (!redisUp) throw new Error("ECONNREFUSED");
        return true;
      },
      telegram: () => true,
    });
    expect(await get("/readyz")).toEqual({ status: 200, body: "ready\n" });
    redisUp = false;
    const r = await get("/readyz");
    expect(r.status).toBe(503);
    expect(r.body).toContain("redis: Error: ECONNREFUSED");
  });
});

describe("telegramReadiness", () => {
  it("ready only while the Bot API answered recently", () => {
    let now = 100_000;
    const health = { up: true, last: null as number | null };
    const check = telegramReadiness({ reachable: () => health.up, lastOkAt: () => health.last }, 60_000, () => now);
    expect(check()).toBe("telegram: no Bot API call has succeeded yet");
    health.last = now;
    expect(check()).toBe(true);
    now += 61_000;
    expect(check()).toBe("telegram: no Bot API answer for 61 s");
    health.up = false;
    expect(check()).toBe("telegram: the Bot API is unreachable");
  });
});
