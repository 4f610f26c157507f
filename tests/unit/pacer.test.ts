import { describe, expect, it } from "vitest";
import { Pacer } from "../../src/delivery/pacer.js";

/** Simulates senders that wait exactly as long as the pacer says; returns send times. */
function schedule(p: Pacer, clock: { t: number }, chats: number[]): number[] {
  return chats.map((c) => {
    const wait = p.reserve(c);
    return clock.t + wait;
  });
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

describe("pacer", () => {
  it("lets a short burst of 3 through to one chat, then one per second", () => {
    const clock = { t: 0 };
    const p = new Pacer({ globalPerSecond: 25, perChatPerSecond: 1, perChatBurst: 3 }, () => clock.t);
    const times = schedule(p, clock, [1, 1, 1, 1, 1, 1]);
    expect(times.slice(0, 3).every((t) => t < 200)).toBe(true);
    expect(times[3]).toBeGreaterThanOrEqual(1000);
    expect(times[5]! - times[4]!).toBeGreaterThanOrEqual(1000);
  });

  it("never exceeds the global rate across many chats", () => {
    const clock = { t: 0 };
    const p = new Pacer({ globalPerSecond: 25 }, () => clock.t);
    const times = schedule(p, clock, Array.from({ length: 200 }, (_, i) => i + 1));
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(25);
    expect(times.at(-1)!).toBeLessThan(8100); // and uses the budget: 200 messages ≈ 8 s
  });

  it("keeps groups to 20 a minute", () => {
    const clock = { t: 0 };
    const p = new Pacer({ globalPerSecond: 30, groupPerMinute: 20, perChatBurst: 3 }, () => clock.t);
    const times = schedule(p, clock, Array.from({ length: 40 }, () => -100));
    expect(maxInWindow(times, 60_000)).toBeLessThanOrEqual(20);
  });

  it("pauses everyone after a 429", () => {
    const clock = { t: 0 };
    const p = new Pacer({ globalPerSecond: 30 }, () => clock.t);
    p.pauseAll(5000);
    expect(p.reserve(9)).toBeGreaterThanOrEqual(5000);
  });
});
