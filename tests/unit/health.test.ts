import { describe, expect, it } from "vitest";
import { feedTtlMs, maxAgeMs, retryAfterMs } from "../../src/feeds/hints.js";
import { hostOf } from "../../src/news/url.js";
import { looksLikeGuidChange, type PollFacts } from "../../src/poll/flood-guard.js";
import {
  BACKOFF_CAP_MS,
  backoffDelayMs,
  MIN_INTERVAL_CAP_MS,
  nextAfterFailure,
  nextAfterSuccess,
  skipReason,
} from "../../src/poll/schedule.js";
import { healthFromHash } from "../../src/store/source-health.js";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe("backoff schedule", () => {
  it("doubles from 5 minutes per consecutive failure and stops at 6 hours", () => {
    const minutes = [1, 2, 3, 4, 5, 6, 7, 8, 20].map((f) => backoffDelayMs(f) / MIN);
    expect(minutes).toEqual([5, 10, 20, 40, 80, 160, 320, 360, 360]);
    expect(backoffDelayMs(0)).toBe(0);
    expect(backoffDelayMs(10_000)).toBe(BACKOFF_CAP_MS);
  });

  it("counts backoff from the run's start, so the steps line up with cron ticks", () => {
    const next = nextAfterFailure({ failures: 2, runStartedAt: 1_000_000, attemptAt: 1_004_000 });
    expect(next).toEqual({ at: 1_000_000 + 10 * MIN, reason: "backoff" });
  });

  it("waits for Retry-After when it asks for longer than the backoff, counted from the response", () => {
    expect(nextAfterFailure({ failures: 1, runStartedAt: 0, attemptAt: 2_000, retryAfterMs: 30 * MIN })).toEqual({
      at: 2_000 + 30 * MIN,
      reason: "retry-after",
    });
    // a short Retry-After does not cut the backoff short
    expect(nextAfterFailure({ failures: 3, runStartedAt: 0, attemptAt: 0, retryAfterMs: 60_000 })).toEqual({
      at: 20 * MIN,
      reason: "backoff",
    });
  });

  it("caps Retry-After at 6 hours", () => {
    const next = nextAfterFailure({ failures: 1, runStartedAt: 0, attemptAt: 0, retryAfterMs: 30 * DAY });
    expect(next).toEqual({ at: 6 * HOUR, reason: "retry-after" });
  });
});

describe("minimum interval from max-age and <ttl>", () => {
  it("takes the longer of the two", () => {
    expect(nextAfterSuccess({ runStartedAt: 0, maxAgeMs: 10 * MIN, feedTtlMs: 15 * MIN })).toEqual({
      at: 15 * MIN,
      reason: "min-interval",
    });
    expect(nextAfterSuccess({ runStartedAt: 100, maxAgeMs: 20 * MIN, feedTtlMs: null })).toEqual({
      at: 100 + 20 * MIN,
      reason: "min-interval",
    });
  });

  it("never waits more than an hour, whatever the server says", () => {
    expect(nextAfterSuccess({ runStartedAt: 0, maxAgeMs: 365 * DAY })).toEqual({ at: MIN_INTERVAL_CAP_MS, reason: "min-interval" });
    expect(nextAfterSuccess({ runStartedAt: 0, feedTtlMs: 1440 * MIN })?.at).toBe(HOUR);
  });

  it("sets no wait when neither asks for one", () => {
    expect(nextAfterSuccess({ runStartedAt: 0 })).toBeNull();
    expect(nextAfterSuccess({ runStartedAt: 0, maxAgeMs: null, feedTtlMs: null })).toBeNull();
  });
});

describe("skipReason", () => {
  const h = (nextAttemptAt: number | null, reason: "backoff" | "retry-after" | "min-interval" | null = "backoff", disabled = false) => ({
    nextAttemptAt,
    nextAttemptReason: reason,
    disabled: disabled ? { at: 0, kind: "failures" as const, failures: 20, lastError: null } : null,
  });

  it("is due with no wait, or once the wait is over", () => {
    expect(skipReason(h(null), 1000)).toBeNull();
    expect(skipReason(h(1000), 1000)).toBeNull();
    expect(skipReason(h(500), 1000)).toBeNull();
  });

  it("is due a few seconds early, so a 5-minute wait costs one 5-minute tick", () => {
    expect(skipReason(h(5 * MIN + 50), 5 * MIN)).toBeNull();
  });

  it("says why a source waits, and that a disabled one is disabled", () => {
    expect(skipReason(h(10 * MIN, "retry-after"), 0)).toBe("retry-after");
    expect(skipReason(h(10 * MIN, "min-interval"), 0)).toBe("min-interval");
    expect(skipReason(h(10 * MIN, null), 0)).toBe("backoff");
    expect(skipReason(h(null, null, true), 0)).toBe("disabled");
  });
});

describe("HTTP and feed hints", () => {
  it("reads max-age from Cache-Control", () => {
    expect(maxAgeMs("public, max-age=600")).toBe(600_000);
    expect(maxAgeMs('max-age="60", must-revalidate')).toBe(60_000);
    expect(maxAgeMs(["public", "max-age=120"])).toBe(120_000);
  });

  it("ignores max-age when the response may not be reused, or when it is zero or nonsense", () => {
    expect(maxAgeMs("no-cache, max-age=600")).toBeNull();
    expect(maxAgeMs("max-age=600, no-store")).toBeNull();
    expect(maxAgeMs("max-age=0")).toBeNull();
    expect(maxAgeMs("max-age=-5")).toBeNull();
    expect(maxAgeMs("max-age=soon")).toBeNull();
    expect(maxAgeMs("s-maxage=600")).toBeNull();
    expect(maxAgeMs(undefined)).toBeNull();
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-11-27T10:00:00Z");
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs("Fri, 27 Nov 2026 10:30:00 GMT", now)).toBe(30 * MIN);
    expect(retryAfterMs("Fri, 27 Nov 2026 09:00:00 GMT", now)).toBeNull();
    expect(retryAfterMs("0", now)).toBeNull();
    expect(retryAfterMs("later", now)).toBeNull();
    expect(retryAfterMs(undefined, now)).toBeNull();
  });

  it("reads the channel's <ttl> in minutes, not one inside an item", () => {
    expect(
      feedTtlMs(
        `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><ttl>15</ttl><item><title>a</title></item></channel></rss>`,
      ),
    ).toBe(15 * MIN);
    expect(feedTtlMs(`<rss><channel><title>T</title><item><ttl>30</ttl></item></channel></rss>`)).toBeNull();
    expect(feedTtlMs(`<rss><channel><ttl>0</ttl></channel></rss>`)).toBeNull();
    expect(feedTtlMs(`<rss><channel><ttl>soon</ttl></channel></rss>`)).toBeNull();
    expect(feedTtlMs(`<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title></feed>`)).toBeNull();
  });

  it("groups sources by host name, case-insensitively and whatever the port", () => {
    expect(hostOf("https://Feeds.BBCI.co.uk/news/rss.xml")).toBe("feeds.bbci.co.uk");
    expect(hostOf("http://127.0.0.1:8080/a")).toBe(hostOf("http://127.0.0.1:9090/b"));
  });
});

describe("guid-change guard", () => {
  const last = Date.parse("2026-11-27T10:00:00Z");
  const old = (n: number) => Array.from({ length: n }, (_, i) => last - (i + 1) * DAY);
  const facts = (over: Partial<PollFacts>): PollFacts => ({
    polledBefore: true,
    total: 20,
    unseenPublished: old(20),
    lastSuccessAt: last,
    ...over,
  });

  it("flags a feed whose every item is new and old (a redesign)", () => {
    expect(looksLikeGuidChange(facts({}))).toBe(true);
  });

  it("flags it when the items carry no dates at all", () => {
    expect(looksLikeGuidChange(facts({ unseenPublished: Array(20).fill(null) }))).toBe(true);
  });

  it("leaves a source's first poll to the first-poll rule", () => {
    expect(looksLikeGuidChange(facts({ polledBefore: false }))).toBe(false);
  });

  it("still flags it when a pinned item or two kept its key (≥ 80% new)", () => {
    expect(looksLikeGuidChange(facts({ unseenPublished: old(16) }))).toBe(true);
    expect(looksLikeGuidChange(facts({ unseenPublished: old(15) }))).toBe(false);
  });

  it("does not flag fewer than 10 new items", () => {
    expect(looksLikeGuidChange(facts({ total: 9, unseenPublished: old(9) }))).toBe(false);
    expect(looksLikeGuidChange(facts({ total: 10, unseenPublished: old(10) }))).toBe(true);
  });

  it("does not flag a fast feed that turned over with stories published since the last poll", () => {
    const fresh = Array.from({ length: 20 }, (_, i) => last + (i + 1) * MIN);
    expect(looksLikeGuidChange(facts({ unseenPublished: fresh }))).toBe(false);
  });

  it("goes by the count alone when most items are undated, or nothing was ever fetched", () => {
    const mostlyUndated = [...Array.from({ length: 8 }, (_, i) => last + (i + 1) * MIN), ...Array(12).fill(null)];
    expect(looksLikeGuidChange(facts({ unseenPublished: mostlyUndated }))).toBe(true);
    const fresh = Array.from({ length: 20 }, (_, i) => last + (i + 1) * MIN);
    expect(looksLikeGuidChange(facts({ unseenPublished: fresh, lastSuccessAt: null }))).toBe(true);
  });
});

describe("healthFromHash", () => {
  const now = Date.parse("2026-11-27T12:00:00Z");
  const today = Math.floor(now / DAY);

  it("gives an empty record for a source never polled", () => {
    expect(healthFromHash("s", {}, now)).toEqual({
      sourceId: "s",
      since: null,
      lastAttemptAt: null,
      lastSuccessAt: null,
      lastError: null,
      consecutiveFailures: 0,
      itemsLast7Days: 0,
      itemsPerDay: 0,
      lastNewItemAt: null,
      nextAttemptAt: null,
      nextAttemptReason: null,
      feedTtlMs: null,
      disabled: null,
      leadsLast7Days: { fetched: 0, failed: 0 },
    });
  });

  it("counts items over the last 7 days only, per day observed", () => {
    const hash = {
      since: String(now - 30 * DAY),
      [`d:${today}`]: "10",
      [`d:${today - 6}`]: "4",
      [`d:${today - 7}`]: "100", // eight days ago: outside the window
    };
    const h = healthFromHash("s", hash, now);
    expect(h.itemsLast7Days).toBe(14);
    expect(h.itemsPerDay).toBe(2);
  });

  it("does not inflate the rate of a source watched for less than a day", () => {
    const h = healthFromHash("s", { since: String(now - 2 * HOUR), [`d:${today}`]: "6" }, now);
    expect(h.itemsPerDay).toBe(6);
    const three = healthFromHash("s", { since: String(now - 3 * DAY), [`d:${today}`]: "7", [`d:${today - 1}`]: "3" }, now);
    expect(three.itemsPerDay).toBe(3.3);
  });

  it("reads the last error, the wait and the disabled state of a record written before errors had params", () => {
    const h = healthFromHash(
      "s",
      {
        since: "1",
        failures: "3",
        lastErrorAt: "5",
        lastErrorKind: "http",
        lastError: "HTTP 503",
        lastErrorStatus: "503",
        nextAttemptAt: "99",
        nextAttemptReason: "retry-after",
        disabledAt: "7",
        disabledReason: "20 failed polls in a row",
      },
      now,
    );
    expect(h.consecutiveFailures).toBe(3);
    // Written before errors had params: the English line is kept, to be shown as it is.
    expect(h.lastError).toEqual({ at: 5, kind: "http", params: {}, message: "HTTP 503" });
    expect(h.nextAttemptAt).toBe(99);
    expect(h.nextAttemptReason).toBe("retry-after");
    expect(h.disabled).toEqual({ at: 7, kind: "failures", failures: 3, lastError: null, message: "20 failed polls in a row" });
  });

  it("reads the last error and the disabled state as kind and params", () => {
    const h = healthFromHash(
      "s",
      {
        since: "1",
        failures: "20",
        lastErrorAt: "5",
        lastErrorKind: "timeout",
        lastErrorParams: JSON.stringify({ seconds: 20 }),
        disabledAt: "7",
        disabled: JSON.stringify({ kind: "failures", failures: 20, lastError: { kind: "timeout", params: { seconds: 20 } } }),
      },
      now,
    );
    expect(h.lastError).toEqual({ at: 5, kind: "timeout", params: { seconds: 20 } });
    expect(h.disabled).toEqual({ at: 7, kind: "failures", failures: 20, lastError: { kind: "timeout", params: { seconds: 20 } } });
    // A damaged record is read as far as it goes.
    const bad = healthFromHash(
      "s",
      { since: "1", lastErrorAt: "5", lastErrorKind: "http", lastErrorParams: "{oops", disabledAt: "7" },
      now,
    );
    expect(bad.lastError).toEqual({ at: 5, kind: "http", params: {} });
    expect(bad.disabled).toMatchObject({ at: 7, kind: "failures", lastError: null });
  });
});
