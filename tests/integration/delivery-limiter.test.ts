import { afterAll, describe, expect, it } from "vitest";
import { createLimiter, type LimiterOptions } from "../../src/delivery/limiter.js";
import { testRedis } from "../support/redis-client.js";

/**
 * The flood limits as Redis GCRA cells. Reservations return how long to
 * wait; the send times they imply must respect every limit, whichever
 * process (limiter instance) made them.
 */
const { redis } = testRedis();
afterAll(() => redis.quit());

let n = 0;
function limiter(opts: Partial<LimiterOptions> = {}, prefix = `lim${++n}:`) {
  return createLimiter(redis, (name) => `${prefix}rate:${name}`, { globalPerSecond: 30, idleMs: 60_000, ...opts });
}

/** Send times (ms from the first call) implied by reserving in order. */
async function schedule(reserve: (chatId: number) => Promise<number>, chats: number[]): Promise<number[]> {
  const t0 = Date.now();
  const out: number[] = [];
  for (const c of chats) out.push(Date.now() - t0 + (await reserve(c)));
  return out;
}

function maxInWindow(times: number[], windowMs: number): number {
  const s = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < s.length; i++) {
    while (s[i]! - s[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("flood limiter (Redis GCRA)", () => {
  it("lets a short burst of 3 through to one chat, then one per second", async () => {
    const l = limiter({ globalPerSecond: 1000 });
    const times = await schedule((c) => l.reserve(c), [1, 1, 1, 1, 1, 1]);
    expect(times.slice(0, 3).every((t) => t < 100)).toBe(true);
    expect(times[3]).toBeGreaterThanOrEqual(950);
    expect(times[5]! - times[4]!).toBeGreaterThanOrEqual(990);
  });

  it("never lets more than the global rate through in any second, and uses the budget", async () => {
    const l = limiter({ globalPerSecond: 25 });
    const times = await schedule(
      (c) => l.reserve(c),
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(25);
    // The margin is headroom for requests that arrive late: even a window 25 ms
    // longer than a second never holds more than the limit.
    expect(maxInWindow(times, 1025)).toBeLessThanOrEqual(25);
    // 200 messages at 25/s with the 3 % safety margin: about 8.2 s, no slower.
    expect(times.at(-1)!).toBeGreaterThan(7900);
    expect(times.at(-1)!).toBeLessThan(8400);
  });

  it("keeps groups to 20 a minute", async () => {
    const l = limiter({ globalPerSecond: 1000 });
    const times = await schedule(
      (c) => l.reserve(c),
      Array.from({ length: 40 }, () => -100),
    );
    expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(20);
  });

  it("is one budget for every process sharing the Redis", async () => {
    const prefix = `shared${++n}:`;
    const a = limiter({ globalPerSecond: 30 }, prefix);
    const b = limiter({ globalPerSecond: 30 }, prefix);
    const times = await schedule(
      (c) => (c % 2 ? a : b).reserve(c),
      Array.from({ length: 90 }, (_, i) => i + 1),
    );
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(30);
  });

  it("pauses everyone after a 429", async () => {
    const l = limiter();
    await l.pauseAll(5000);
    expect(await l.reserve(9)).toBeGreaterThanOrEqual(4900);
  });

  it("at normal rates a queue worker takes only a slot that is due, and is told when to come back", async () => {
    const l = limiter({ globalPerSecond: 10 });
    expect(await l.tryAcquire(1)).toEqual({ ok: true, waitMs: 0 });
    const second = await l.tryAcquire(2);
    expect(second).toMatchObject({ ok: false, scope: "global" });
    expect(second.waitMs).toBeGreaterThan(80);
    expect(second.waitMs).toBeLessThanOrEqual(104);
    // A chat that used its burst is the binding limit, with the chat's wait.
    const c = limiter({ globalPerSecond: 1000 });
    for (let i = 0; i < 3; i++) expect((await c.tryAcquire(7)).ok).toBe(true);
    const fourth = await c.tryAcquire(7);
    expect(fourth).toMatchObject({ ok: false, scope: "chat" });
    expect(fourth.waitMs).toBeGreaterThan(700);
  });

  it("at high rates workers reserve a little ahead, never far", async () => {
    const l = limiter({ globalPerSecond: 500, lookaheadMs: 50 });
    const waits: number[] = [];
    let refused = 0;
    for (let i = 0; i < 60; i++) {
      const r = await l.tryAcquire(100 + i);
      if (r.ok) waits.push(r.waitMs);
      else refused++;
    }
    // About 50 ms worth of slots (≈ 24 at 2.06 ms) are handed out ahead, then workers are sent away.
    expect(Math.max(...waits)).toBeLessThanOrEqual(52);
    expect(waits.length).toBeGreaterThan(15);
    expect(refused).toBeGreaterThan(0);
  });

  it("a worker that takes a due slot a little late keeps the schedule (no throughput lost to timers)", async () => {
    const l = limiter({ globalPerSecond: 20, margin: 1 });
    // Claim a slot, then claim the next one 1 ms late, ten times: the slots stay 50 ms apart.
    const t0 = Date.now();
    let claimed = 0;
    while (claimed < 10) {
      const r = await l.tryAcquire(500 + claimed);
      if (r.ok) claimed++;
      else await new Promise((res) => setTimeout(res, r.waitMs + 1));
    }
    // 10 sends on a 50 ms schedule: the last is due at 450 ms; timer lateness does not add up.
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it("an interactive reply waits about one slot behind a busy queue, not behind the whole queue", async () => {
    const l = limiter({ globalPerSecond: 30 });
    // A busy queue: workers keep the global cell as far ahead as they may.
    for (let i = 0; i < 20; i++) await l.tryAcquire(1000 + i);
    const wait = await l.reserve(5);
    expect(wait).toBeLessThan(60);
  });

  it("paid broadcasts run at the paid rate while ordinary sends keep theirs", async () => {
    const l = limiter({ globalPerSecond: 30, paidPerSecond: 1000 });
    const paid: number[] = [];
    const t0 = Date.now();
    for (let i = 0; i < 100; i++) {
      const r = await l.tryAcquire(i + 1, { paid: true });
      expect(r.ok).toBe(true);
      paid.push(Date.now() - t0 + r.waitMs);
    }
    // 100 paid messages fit in about 100 ms, far beyond 30/s.
    expect(paid.at(-1)!).toBeLessThan(400);
    expect(maxInWindow(paid, 1000)).toBeLessThanOrEqual(1000);
  });
});
