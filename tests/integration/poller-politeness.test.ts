import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Source } from "../../src/config.js";
import { silentLogger } from "../../src/log.js";
import { runPolite } from "../../src/poll/host-scheduler.js";
import { createPoller, DEFAULT_POLITENESS } from "../../src/poll/poller.js";
import { createStores } from "../../src/store/index.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { testRedis } from "../support/redis-client.js";
import { rss } from "../support/rss.js";

/**
 * Per-host politeness, seen from the server's side: how many requests one
 * host has open at once, and how far apart they start. 127.0.0.1 and
 * localhost are the same server but two host names, which is all the
 * poller goes by.
 */

const { redis } = testRedis();
let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(async () => {
  await server.close();
  await redis.quit();
});

interface Seen {
  host: string;
  path: string;
  start: number;
  end: number;
}

/** Answers each request after `delayMs`, recording per host how many were open at once. */
function countingHandler(delayMs: number) {
  const open = new Map<string, number>();
  const peak = new Map<string, number>();
  const seen: Seen[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const host = (req.headers.host ?? "").replace(/:\d+$/, "");
    const rec: Seen = { host, path: req.url ?? "", start: Date.now(), end: 0 };
    seen.push(rec);
    open.set(host, (open.get(host) ?? 0) + 1);
    peak.set(host, Math.max(peak.get(host) ?? 0, open.get(host)!));
    setTimeout(() => {
      open.set(host, open.get(host)! - 1);
      rec.end = Date.now();
      res.writeHead(200, { "Content-Type": "application/rss+xml" }).end(rss(rec.path, []));
    }, delayMs);
  };
  return { handler, peak, seen };
}

function poller(sources: Source[], spacingMs: number, jitterMs: number) {
  const stores = createStores(redis, `polite${randomUUID().slice(0, 8)}:`);
  return createPoller({
    sources: () => sources,
    items: stores.items,
    health: stores.health,
    logger: silentLogger,
    fetch: { timeoutMs: 5_000, maxBytes: 1024 * 1024 },
    concurrency: 16,
    maxFailures: 20,
    politeness: { perHost: 2, spacingMs, jitterMs },
  });
}

describe("per-host politeness", () => {
  it("keeps at most 2 requests open per host, spaces the rest, and never makes another host wait", async () => {
    const { handler, peak, seen } = countingHandler(150);
    const sources: Source[] = [];
    for (let i = 1; i <= 6; i++) {
      server.handle(`/polite/ip/${i}`, handler);
      sources.push({ id: `ip-${i}`, name: `IP ${i}`, url: server.urlFor(`/polite/ip/${i}`), enabled: true });
    }
    for (let i = 1; i <= 2; i++) {
      server.handle(`/polite/name/${i}`, handler);
      sources.push({
        id: `name-${i}`,
        name: `Name ${i}`,
        url: server.urlFor(`/polite/name/${i}`).replace("127.0.0.1", "localhost"),
        enabled: true,
      });
    }

    const started = Date.now();
    const report = await poller(sources, 100, 50).poll();
    expect(report).toMatchObject({ ok: 8, failed: 0 });

    expect(peak.get("127.0.0.1")).toBe(2);
    expect(peak.get("localhost")).toBe(2);
    const ip = seen.filter((s) => s.host === "127.0.0.1").sort((a, b) => a.start - b.start);
    expect(ip).toHaveLength(6);
    // after the first two, each request starts at least the spacing after the one before
    for (let i = 2; i < ip.length; i++) expect(ip[i]!.start - ip[i - 1]!.start).toBeGreaterThanOrEqual(95);
    // six requests two at a time, 150 ms each: at least three rounds
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    // localhost went straight away, beside the first 127.0.0.1 pair, not behind its queue
    for (const s of seen.filter((x) => x.host === "localhost")) {
      expect(s.start - ip[0]!.start).toBeLessThan(50);
      expect(s.start).toBeLessThan(ip[2]!.start);
    }
  });

  it("adds a random jitter to the spacing", async () => {
    const starts: number[] = [];
    const jitters = [0.9, 0.1, 0.5];
    let n = 0;
    await runPolite(
      [1, 2, 3, 4, 5],
      () => "one-host",
      { concurrency: 5, perHost: 2, spacingMs: 50, jitterMs: 100, random: () => jitters[n++ % jitters.length]! },
      async () => {
        starts.push(Date.now());
        await new Promise((r) => setTimeout(r, 5));
      },
    );
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // the first two go together; then 50 ms + 90, 10, 50 ms of jitter
    expect(gaps[0]).toBeLessThan(20);
    expect(gaps[1]).toBeGreaterThanOrEqual(135);
    expect(gaps[2]).toBeGreaterThanOrEqual(55);
    expect(gaps[2]).toBeLessThan(135);
    expect(gaps[3]).toBeGreaterThanOrEqual(95);
  });

  it("starts nothing new once stopped, and ships with 2 per host and about a second between requests", async () => {
    const ran: number[] = [];
    let stop = false;
    await runPolite(
      [1, 2, 3, 4],
      () => "h",
      { concurrency: 1, perHost: 2, spacingMs: 0, jitterMs: 0, stopped: () => stop },
      async (i) => {
        ran.push(i);
        if (i === 2) stop = true;
      },
    );
    expect(ran).toEqual([1, 2]);
    expect(DEFAULT_POLITENESS).toEqual({ perHost: 2, spacingMs: 1000, jitterMs: 500 });
  });
});
