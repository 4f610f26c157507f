import { describe, expect, it } from "vitest";
import { COMMON_ZONES, inQuietHours, isValidTimeZone, nextDigestAt, parseClock, quietEndsAt, zoneOf } from "../../src/prefs/schedule.js";
import type { DeliveryMode } from "../../src/prefs/types.js";

const MIN = 60_000;
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const every = (hours: 1 | 3 | 6 | 12): DeliveryMode => ({ kind: "every", hours });
const daily = (time: string): DeliveryMode => ({ kind: "daily", at: time });

/** The next `n` digests after `from`, as UTC ISO strings. */
function series(mode: DeliveryMode, zone: string, from: string, n: number): string[] {
  const out: string[] = [];
  let t = at(from);
  for (let i = 0; i < n; i++) {
    const next = nextDigestAt(mode, zone, t);
    if (next === null) throw new Error("no next digest");
    out.push(new Date(next).toISOString().slice(0, 16));
    t = next;
  }
  return out;
}

describe("parseClock", () => {
  it.each([
    ["7:30", "07:30"],
    ["07:30", "07:30"],
    ["7.30", "07:30"],
    ["7h30", "07:30"],
    ["0730", "07:30"],
    ["730", "07:30"],
    [" 23:59 ", "23:59"],
    ["0:00", "00:00"],
    ["00:00", "00:00"],
    ["7", "07:00"],
    ["19", "19:00"],
    ["7pm", "19:00"],
    ["7:30 am", "07:30"],
    ["12am", "00:00"],
    ["12pm", "12:00"],
  ])("%s → %s", (s, want) => {
    expect(parseClock(s)).toBe(want);
  });

  it.each([
    "24:00",
    "7:61",
    "25",
    "13pm",
    "0am",
    "7:5",
    "7:300",
    "",
    "   ",
    "abc",
    "7:30:00",
    "-1:00",
    "07-30",
    "１:３０",
    "7:30x",
    "x".repeat(10_000),
  ])("%s → null", (s) => {
    expect(parseClock(s)).toBeNull();
  });
});

describe("zones", () => {
  it("knows IANA names, and only names", () => {
    for (const z of ["UTC", "Europe/Berlin", "America/New_York", "Asia/Baku", "Asia/Tehran", "Asia/Kolkata", "Etc/GMT+3"]) {
      expect(isValidTimeZone(z), z).toBe(true);
    }
    for (const z of ["", "Mars/Olympus", "Europe/Berlin ", "+03:00", "-05:00", "UTC+3", "../../etc", "x".repeat(100)]) {
      expect(isValidTimeZone(z), z).toBe(false);
    }
  });

  it("offers a short list of valid zones", () => {
    expect(COMMON_ZONES.length).toBeGreaterThan(0);
    expect(COMMON_ZONES.length).toBeLessThanOrEqual(12);
    expect(new Set(COMMON_ZONES).size).toBe(COMMON_ZONES.length);
    for (const z of COMMON_ZONES) expect(isValidTimeZone(z), z).toBe(true);
  });

  it("zoneOf: the chat's zone, else the fallback", () => {
    expect(zoneOf({ timezone: "Asia/Baku" }, "UTC")).toBe("Asia/Baku");
    expect(zoneOf({ timezone: null }, "Europe/Berlin")).toBe("Europe/Berlin");
    expect(zoneOf({ timezone: "Nowhere/Atlantis" }, "UTC")).toBe("UTC");
  });
});

describe("nextDigestAt", () => {
  it("is null for each story as it comes", () => {
    expect(nextDigestAt({ kind: "now" }, "UTC", at("2026-06-01T10:00:00Z"))).toBeNull();
  });

  it("every N hours: local multiples of N from midnight, strictly after", () => {
    expect(iso(nextDigestAt(every(3), "UTC", at("2026-06-01T10:00:00Z")))).toBe("2026-06-01T12:00:00.000Z");
    // exactly on a slot → the next one
    expect(iso(nextDigestAt(every(3), "UTC", at("2026-06-01T12:00:00Z")))).toBe("2026-06-01T15:00:00.000Z");
    expect(iso(nextDigestAt(every(3), "UTC", at("2026-06-01T11:59:59.999Z")))).toBe("2026-06-01T12:00:00.000Z");
    expect(iso(nextDigestAt(every(12), "UTC", at("2026-06-01T12:00:00.001Z")))).toBe("2026-06-02T00:00:00.000Z");
    expect(series(every(6), "UTC", "2026-06-01T01:00:00Z", 5)).toEqual([
      "2026-06-01T06:00",
      "2026-06-01T12:00",
      "2026-06-01T18:00",
      "2026-06-02T00:00",
      "2026-06-02T06:00",
    ]);
  });

  it("across midnight in Asia/Baku (UTC+4, no DST)", () => {
    // 22:30 local → 00:00 local the next day
    expect(iso(nextDigestAt(every(3), "Asia/Baku", at("2026-03-29T18:30:00Z")))).toBe("2026-03-29T20:00:00.000Z");
    expect(iso(nextDigestAt(daily("07:30"), "Asia/Baku", at("2026-03-29T18:30:00Z")))).toBe("2026-03-30T03:30:00.000Z");
    // Europe's DST night changes nothing in Baku
    expect(series(every(1), "Asia/Baku", "2026-03-28T22:30:00Z", 4)).toEqual([
      "2026-03-28T23:00",
      "2026-03-29T00:00",
      "2026-03-29T01:00",
      "2026-03-29T02:00",
    ]);
  });

  it("in half-hour zones (Asia/Tehran +03:30, Asia/Kolkata +05:30)", () => {
    expect(iso(nextDigestAt(daily("07:00"), "Asia/Tehran", at("2026-06-01T00:00:00Z")))).toBe("2026-06-01T03:30:00.000Z");
    // 00:30 local → 06:00 local
    expect(iso(nextDigestAt(every(6), "Asia/Tehran", at("2026-06-01T21:00:00Z")))).toBe("2026-06-02T02:30:00.000Z");
    expect(series(every(12), "Asia/Kolkata", "2026-01-01T00:00:00Z", 3)).toEqual([
      "2026-01-01T06:30",
      "2026-01-01T18:30",
      "2026-01-02T06:30",
    ]);
    expect(iso(nextDigestAt(daily("07:30"), "Asia/Kolkata", at("2026-01-01T02:00:00Z")))).toBe("2026-01-02T02:00:00.000Z");
  });

  describe("Europe/Berlin DST", () => {
    // 2026: CET→CEST on Sun 29 March at 01:00 UTC (02:00 → 03:00 local); back on Sun 25 October at 01:00 UTC (03:00 → 02:00).
    it("a daily time in the spring-forward gap comes at the first instant after it", () => {
      expect(iso(nextDigestAt(daily("02:30"), "Europe/Berlin", at("2026-03-28T12:00:00Z")))).toBe("2026-03-29T01:00:00.000Z"); // 03:00 CEST
      // and the next day as usual (02:30 CEST)
      expect(iso(nextDigestAt(daily("02:30"), "Europe/Berlin", at("2026-03-29T01:00:00Z")))).toBe("2026-03-30T00:30:00.000Z");
      // the day before, 02:30 CET
      expect(iso(nextDigestAt(daily("02:30"), "Europe/Berlin", at("2026-03-27T12:00:00Z")))).toBe("2026-03-28T01:30:00.000Z");
    });

    it("a daily time that happens twice comes once, at its first occurrence", () => {
      expect(iso(nextDigestAt(daily("02:30"), "Europe/Berlin", at("2026-10-24T12:00:00Z")))).toBe("2026-10-25T00:30:00.000Z"); // 02:30 CEST
      // after it, not 02:30 CET the same day but the next day's
      expect(iso(nextDigestAt(daily("02:30"), "Europe/Berlin", at("2026-10-25T00:30:00Z")))).toBe("2026-10-26T01:30:00.000Z");
      // in the repeated hour (02:10 CET), too
      expect(iso(nextDigestAt(daily("02:30"), "Europe/Berlin", at("2026-10-25T01:10:00Z")))).toBe("2026-10-26T01:30:00.000Z");
    });

    it("hourly slots on the spring-forward night: 02:00 does not exist and is the same instant as 03:00 — one digest", () => {
      expect(series(every(1), "Europe/Berlin", "2026-03-28T22:00:00Z", 5)).toEqual([
        "2026-03-28T23:00", // 00:00 CET
        "2026-03-29T00:00", // 01:00 CET
        "2026-03-29T01:00", // 03:00 CEST (02:00 skipped by the clocks)
        "2026-03-29T02:00", // 04:00 CEST
        "2026-03-29T03:00",
      ]);
    });

    it("hourly slots on the fall-back night: 02:00 once, at its first occurrence", () => {
      expect(series(every(1), "Europe/Berlin", "2026-10-24T22:00:00Z", 5)).toEqual([
        "2026-10-24T23:00", // 01:00 CEST
        "2026-10-25T00:00", // 02:00 CEST
        "2026-10-25T02:00", // 03:00 CET (02:00 CET at 01:00 UTC is the same slot again)
        "2026-10-25T03:00",
        "2026-10-25T04:00",
      ]);
    });

    it("every 3 hours keeps to local multiples of 3 across both changes", () => {
      expect(series(every(3), "Europe/Berlin", "2026-03-28T20:00:00Z", 4)).toEqual([
        "2026-03-28T23:00", // 00:00 CET
        "2026-03-29T01:00", // 03:00 CEST
        "2026-03-29T04:00", // 06:00 CEST
        "2026-03-29T07:00",
      ]);
      expect(series(every(3), "Europe/Berlin", "2026-10-24T20:00:00Z", 4)).toEqual([
        "2026-10-24T22:00", // 00:00 CEST
        "2026-10-25T02:00", // 03:00 CET: four hours later, still one slot
        "2026-10-25T05:00", // 06:00 CET
        "2026-10-25T08:00",
      ]);
    });
  });

  describe("America/New_York DST", () => {
    // 2026: EST→EDT on Sun 8 March at 07:00 UTC (02:00 → 03:00); back on Sun 1 November at 06:00 UTC (02:00 → 01:00).
    it("spring forward", () => {
      expect(iso(nextDigestAt(daily("02:30"), "America/New_York", at("2026-03-08T05:00:00Z")))).toBe("2026-03-08T07:00:00.000Z"); // 03:00 EDT
      expect(series(every(1), "America/New_York", "2026-03-08T05:00:00Z", 3)).toEqual([
        "2026-03-08T06:00", // 01:00 EST
        "2026-03-08T07:00", // 03:00 EDT
        "2026-03-08T08:00",
      ]);
    });

    it("fall back: 01:30 comes once, in EDT", () => {
      expect(iso(nextDigestAt(daily("01:30"), "America/New_York", at("2026-11-01T04:00:00Z")))).toBe("2026-11-01T05:30:00.000Z");
      expect(iso(nextDigestAt(daily("01:30"), "America/New_York", at("2026-11-01T05:30:00Z")))).toBe("2026-11-02T06:30:00.000Z");
      expect(series(every(1), "America/New_York", "2026-11-01T04:00:00Z", 3)).toEqual([
        "2026-11-01T05:00", // 01:00 EDT
        "2026-11-01T07:00", // 02:00 EST (01:00 EST is the 01:00 slot again)
        "2026-11-01T08:00",
      ]);
      expect(series(every(12), "America/New_York", "2026-10-31T12:00:00Z", 3)).toEqual([
        "2026-10-31T16:00", // 12:00 EDT
        "2026-11-01T04:00", // 00:00 EDT
        "2026-11-01T17:00", // 12:00 EST
      ]);
    });
  });

  describe("agrees with a minute-by-minute scan of the wall clock", () => {
    const formats = new Map<string, Intl.DateTimeFormat>();
    /** The zone's wall clock at `ms` as naive ms, by Intl, independently of the module. */
    function wall(ms: number, zone: string): number {
      let f = formats.get(zone);
      if (!f) {
        f = new Intl.DateTimeFormat("en-US", {
          timeZone: zone,
          hourCycle: "h23",
          year: "numeric",
          month: "numeric",
          day: "numeric",
          hour: "numeric",
          minute: "numeric",
        });
        formats.set(zone, f);
      }
      const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, Number(x.value)]));
      return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!);
    }

    /** Slot wall times (naive ms) of the local days around `w`. */
    function slotsAround(mode: DeliveryMode, w: number): number[] {
      const day = w - (w % 86_400_000);
      const out: number[] = [];
      for (let d = -2; d <= 3; d++) {
        const base = day + d * 86_400_000;
        if (mode.kind === "daily") out.push(base + (Number(mode.at.slice(0, 2)) * 60 + Number(mode.at.slice(3))) * MIN);
        else if (mode.kind === "every") for (let h = 0; h < 24; h += mode.hours) out.push(base + h * 60 * MIN);
      }
      return out;
    }

    /** A digest is due at the first minute the wall clock reaches a slot it never reached before (its running maximum). */
    function bruteNext(mode: DeliveryMode, zone: string, afterMs: number): number {
      const start = Math.floor(afterMs / MIN) * MIN;
      let max = Number.NEGATIVE_INFINITY;
      for (let t = start - 26 * 60 * MIN; t <= start; t += MIN) max = Math.max(max, wall(t, zone));
      const slots = slotsAround(mode, wall(start, zone));
      for (let t = start + MIN; t < start + 3 * 86_400_000; t += MIN) {
        const w = wall(t, zone);
        if (slots.some((s) => max < s && s <= w)) return t;
        max = Math.max(max, w);
      }
      throw new Error("no slot");
    }

    let seed = 42;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const zones: [string, string[]][] = [
      ["Europe/Berlin", ["2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z"]],
      ["America/New_York", ["2026-03-08T07:00:00Z", "2026-11-01T06:00:00Z"]],
      ["Asia/Baku", ["2026-03-29T00:00:00Z"]],
      ["Asia/Tehran", ["2026-03-21T00:00:00Z"]],
      // half-hour DST: 02:00 → 02:30 (4 Oct 2026) and 02:00 → 01:30 (5 April 2026)
      ["Australia/Lord_Howe", ["2026-10-03T15:30:00Z", "2026-04-04T15:00:00Z"]],
    ];
    const modes: DeliveryMode[] = [every(1), every(3), every(6), every(12), daily("02:30"), daily("01:45"), daily("00:00"), daily("23:59")];
    const cases: [string, DeliveryMode, number][] = [];
    for (const [zone, changes] of zones) {
      for (const change of changes) {
        for (let i = 0; i < 6; i++) {
          const mode = modes[Math.floor(rand() * modes.length)]!;
          cases.push([zone, mode, at(change) + Math.round((rand() - 0.5) * 2 * 6 * 3600_000)]);
        }
      }
    }
    // the gaps and repeats themselves
    cases.push(
      ["Australia/Lord_Howe", daily("02:15"), at("2026-10-03T12:00:00Z")],
      ["Australia/Lord_Howe", daily("01:45"), at("2026-04-04T14:00:00Z")],
      ["Australia/Lord_Howe", daily("01:45"), at("2026-04-04T14:50:00Z")],
      ["Europe/Berlin", daily("02:59"), at("2026-03-28T12:00:00Z")],
      ["Europe/Berlin", daily("02:00"), at("2026-10-25T00:00:00Z")],
      ["America/New_York", daily("02:00"), at("2026-03-08T06:59:00Z")],
      ["America/New_York", every(1), at("2026-11-01T05:59:59Z")],
    );
    it.each(cases)("%s %j after %d", (zone, mode, after) => {
      expect(iso(nextDigestAt(mode, zone, after))).toBe(iso(bruteNext(mode, zone, after)));
    });
  });
});

describe("quiet hours", () => {
  const night = { from: "23:00", to: "07:00" };

  it("across midnight, from inclusive and to exclusive (Europe/Berlin, CET)", () => {
    const z = "Europe/Berlin";
    expect(inQuietHours(night, z, at("2026-01-10T21:59:00Z"))).toBe(false); // 22:59
    expect(inQuietHours(night, z, at("2026-01-10T22:00:00Z"))).toBe(true); // 23:00
    expect(inQuietHours(night, z, at("2026-01-10T23:30:00Z"))).toBe(true); // 00:30
    expect(inQuietHours(night, z, at("2026-01-11T05:59:00Z"))).toBe(true); // 06:59
    expect(inQuietHours(night, z, at("2026-01-11T06:00:00Z"))).toBe(false); // 07:00
  });

  it("within a day", () => {
    const lunch = { from: "13:00", to: "14:00" };
    expect(inQuietHours(lunch, "UTC", at("2026-01-10T12:59:59Z"))).toBe(false);
    expect(inQuietHours(lunch, "UTC", at("2026-01-10T13:00:00Z"))).toBe(true);
    expect(inQuietHours(lunch, "UTC", at("2026-01-10T13:59:59Z"))).toBe(true);
    expect(inQuietHours(lunch, "UTC", at("2026-01-10T14:00:00Z"))).toBe(false);
  });

  it("none: null, from = to, or not times", () => {
    expect(inQuietHours(null, "UTC", at("2026-01-10T13:00:00Z"))).toBe(false);
    expect(inQuietHours({ from: "13:00", to: "13:00" }, "UTC", at("2026-01-10T13:00:00Z"))).toBe(false);
    expect(inQuietHours({ from: "soon", to: "13:00" }, "UTC", at("2026-01-10T12:00:00Z"))).toBe(false);
  });

  it("by each zone's own clock", () => {
    const t = at("2026-06-01T19:45:00Z"); // Baku 23:45, Tehran 23:15, Kolkata 01:15, New York 15:45, Berlin 21:45
    expect(inQuietHours(night, "Asia/Baku", t)).toBe(true);
    expect(inQuietHours(night, "Asia/Tehran", t)).toBe(true);
    expect(inQuietHours(night, "Asia/Kolkata", t)).toBe(true);
    expect(inQuietHours(night, "America/New_York", t)).toBe(false);
    expect(inQuietHours(night, "Europe/Berlin", t)).toBe(false);
    expect(inQuietHours(night, "Asia/Tehran", at("2026-06-01T19:29:00Z"))).toBe(false); // 22:59
    expect(inQuietHours(night, "Asia/Tehran", at("2026-06-01T19:30:00Z"))).toBe(true); // 23:00
  });

  it("on DST nights (America/New_York, Europe/Berlin)", () => {
    const early = { from: "01:30", to: "02:30" };
    // New York fall back: 01:30–02:30 EDT … 01:00–02:00 EST repeats part of it
    expect(inQuietHours(early, "America/New_York", at("2026-11-01T05:45:00Z"))).toBe(true); // 01:45 EDT
    expect(inQuietHours(early, "America/New_York", at("2026-11-01T06:15:00Z"))).toBe(false); // 01:15 EST
    expect(inQuietHours(early, "America/New_York", at("2026-11-01T06:45:00Z"))).toBe(true); // 01:45 EST
    // Berlin spring forward: 02:00–03:00 never happens
    const gap = { from: "02:00", to: "03:00" };
    expect(inQuietHours(gap, "Europe/Berlin", at("2026-03-29T00:59:00Z"))).toBe(false); // 01:59 CET
    expect(inQuietHours(gap, "Europe/Berlin", at("2026-03-29T01:00:00Z"))).toBe(false); // 03:00 CEST
  });

  it("quietEndsAt: the next local end", () => {
    expect(iso(quietEndsAt(night, "Europe/Berlin", at("2026-01-10T23:30:00Z")))).toBe("2026-01-11T06:00:00.000Z");
    expect(iso(quietEndsAt(night, "Asia/Baku", at("2026-01-10T20:00:00Z")))).toBe("2026-01-11T03:00:00.000Z");
    expect(iso(quietEndsAt(night, "Asia/Kolkata", at("2026-01-10T17:30:00Z")))).toBe("2026-01-11T01:30:00.000Z");
    // ends at 02:30 on the spring-forward night → 03:00 CEST
    expect(iso(quietEndsAt({ from: "23:00", to: "02:30" }, "Europe/Berlin", at("2026-03-28T23:00:00Z")))).toBe("2026-03-29T01:00:00.000Z");
    // never on → now
    expect(quietEndsAt({ from: "07:00", to: "07:00" }, "UTC", 1234)).toBe(1234);
  });
});
