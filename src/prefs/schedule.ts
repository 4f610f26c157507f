/**
 * A chat's digest times and quiet hours in its own time zone. Pure, and with
 * Intl.DateTimeFormat only (no date library): times are ms since the epoch,
 * a zone is an IANA name, a local time is "HH:MM".
 *
 * Wall-clock times are handled as "naive" ms — Date.UTC of the local
 * fields — and turned into instants by localInstant(). Daylight saving:
 * - a local time the clocks skip that day (the spring-forward gap) means the
 *   first instant after the gap: 02:30 in Europe/Berlin on the last Sunday of
 *   March is 03:00 CEST;
 * - a local time that happens twice (fall back) means its first occurrence
 *   only, so a daily digest at 02:30 comes once that day, not twice;
 * - "every N hours" slots that land on the same instant (02:00 and 03:00 on
 *   the spring-forward day, every hour) are one slot: the next digest is
 *   always strictly after the last one.
 * A next-slot search walks slots in wall-clock order from the current local
 * time and stops at the first one past `afterMs` (localInstant never
 * decreases as the wall-clock time grows), so it costs about 9
 * formatToParts calls, 30–40 µs (measured on Node 20), not a day's worth.
 */
import type { ChatPrefs, DeliveryMode, QuietHours } from "./types.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A short list to pick from (any IANA zone can be typed instead). */
export const COMMON_ZONES: readonly string[] = [
  "UTC",
  "Europe/London",
  "Europe/Berlin",
  "Europe/Istanbul",
  "Europe/Moscow",
  "Asia/Baku",
  "Asia/Tbilisi",
  "Asia/Yerevan",
  "Asia/Dubai",
  "Asia/Tehran",
  "America/New_York",
  "America/Los_Angeles",
];

const CLOCK = /^(\d{1,2})(?:[:.h](\d{2}))?\s*([ap]m)?$/;
const CLOCK_DIGITS = /^(\d{1,2})(\d{2})\s*([ap]m)?$/;

/**
 * A time of day as typed → "HH:MM", or null: "7:30", "07:30", "7.30",
 * "7h30", "0730", "730" and "7" (07:00); "7pm", "7:30 am", "12am" (00:00).
 * 24:00, 7:61, 13pm and anything else → null.
 */
export function parseClock(s: string): string | null {
  if (typeof s !== "string" || s.length > 16) return null;
  const t = s.trim().toLowerCase();
  const m = CLOCK.exec(t) ?? CLOCK_DIGITS.exec(t);
  if (!m) return null;
  let h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (m[3]) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (m[3] === "pm" ? 12 : 0);
  }
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, "0")}:${String(min).padStart(2, "0")}`;
}

/** "HH:MM" (or anything parseClock reads) → minutes after midnight; null when it is not a time. */
function minutesOf(clock: string): number | null {
  const c = parseClock(clock);
  return c === null ? null : Number(c.slice(0, 2)) * 60 + Number(c.slice(3));
}

// ---------------------------------------------------------------- zones

const formatters = new Map<string, Intl.DateTimeFormat | null>();

/** A formatter of the zone's local date and time to the minute; null when Intl does not know the zone. Cached (creating one costs ~50 µs). */
function formatter(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
      });
    } catch {
      f = null;
    }
    // Bounded: zone names come from readers too.
    if (formatters.size >= 500) formatters.clear();
    formatters.set(zone, f);
  }
  return f;
}

/** Names only: Intl in newer Node also takes offsets ("+03:00"), which are not IANA zones and would differ between versions. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

/** Whether Intl knows `zone` as an IANA name ("Asia/Baku", "UTC"; case as Intl accepts it). */
export function isValidTimeZone(zone: string): boolean {
  return typeof zone === "string" && zone.length <= 64 && ZONE_NAME.test(zone) && formatter(zone) !== null;
}

/** The chat's zone, or `fallback` (the bot's TIMEZONE) when it has none or one Intl does not know. */
export function zoneOf(prefs: Pick<ChatPrefs, "timezone">, fallback: string): string {
  return prefs.timezone !== null && isValidTimeZone(prefs.timezone) ? prefs.timezone : fallback;
}

/** The zone's wall-clock time at `ms`, to the minute, as naive ms (Date.UTC of the local fields). An unknown zone counts as UTC. */
function wallAt(ms: number, zone: string): number {
  const f = formatter(zone) ?? formatter("UTC")!;
  let y = 1970;
  let mo = 1;
  let d = 1;
  let h = 0;
  let mi = 0;
  for (const p of f.formatToParts(ms)) {
    if (p.type === "year") y = Number(p.value);
    else if (p.type === "month") mo = Number(p.value);
    else if (p.type === "day") d = Number(p.value);
    else if (p.type === "hour") h = Number(p.value) % 24;
    else if (p.type === "minute") mi = Number(p.value);
  }
  return Date.UTC(y, mo - 1, d, h, mi);
}

/** The zone's offset at `ms` (local − UTC, ms, to the minute). */
const offsetAt = (ms: number, zone: string) => wallAt(ms, zone) - Math.floor(ms / MINUTE) * MINUTE;

/**
 * The first instant at which the zone's clock reads `wall` (naive ms, whole
 * minutes) — or, when the clock skips it that day, the first instant after
 * the gap. Offsets run from −12 h to +14 h, so the instant is within
 * [wall − 14 h, wall + 12 h]; the offsets at both ends and the middle are
 * every offset it can have (zones change offset months apart, not hours).
 */
function localInstant(wall: number, zone: string): number {
  const offsets = [...new Set([offsetAt(wall - 15 * HOUR, zone), offsetAt(wall, zone), offsetAt(wall + 13 * HOUR, zone)])];
  let first = Number.POSITIVE_INFINITY;
  for (const o of offsets) {
    const t = wall - o;
    if (t < first && wallAt(t, zone) === wall) first = t;
  }
  if (first !== Number.POSITIVE_INFINITY) return first;
  // A gap: before the change the clock reads less than `wall`, after it more.
  let lo = wall - Math.max(...offsets);
  let hi = wall - Math.min(...offsets);
  if (hi <= lo) return hi;
  while (hi - lo > MINUTE) {
    const mid = lo + Math.floor((hi - lo) / (2 * MINUTE)) * MINUTE;
    if (wallAt(mid, zone) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

// ---------------------------------------------------------------- digests

/** Slots walked at most before giving up (a day of hourly slots and then some); never reached with real zone data. */
const MAX_SLOTS = 60;

/**
 * When the chat's next digest is due: the first slot strictly after
 * `afterMs` — "every N hours" at local multiples of N hours from midnight
 * (00:00, 03:00, … for 3), "daily" at its local time. Null for "now" (each
 * story as it comes). DST as in the module comment. A daily time that is
 * not HH:MM counts as 00:00 (loadPrefs never lets one through).
 */
export function nextDigestAt(mode: DeliveryMode, zone: string, afterMs: number): number | null {
  if (mode.kind === "now") return null;
  const wall = wallAt(afterMs, zone);
  let day = wall - (((wall % DAY) + DAY) % DAY);
  if (mode.kind === "daily") {
    const at = (minutesOf(mode.at) ?? 0) * MINUTE;
    for (let i = 0; i < 4; i++, day += DAY) {
      const t = localInstant(day + at, zone);
      if (t > afterMs) return t;
    }
    return afterMs + DAY;
  }
  const step = Math.min(24, Math.max(1, Math.round(mode.hours))) * HOUR;
  // The slot at or before the local time now; every earlier slot is at or before `afterMs` too.
  let slot = day + Math.floor((wall - day) / step) * step;
  for (let i = 0; i < MAX_SLOTS; i++) {
    if (slot >= day + DAY) {
      // a new local day: its slots start again at 00:00
      day += DAY;
      slot = day;
    }
    const t = localInstant(slot, zone);
    if (t > afterMs) return t;
    slot += step;
  }
  return afterMs + step;
}

// ---------------------------------------------------------------- quiet hours

/**
 * Whether `nowMs` is in the quiet hours, by the zone's wall clock: `from`
 * inclusive, `to` exclusive, across midnight when `from` is later than `to`
 * (23:00–07:00); from = to, null, or times that are not HH:MM → never.
 */
export function inQuietHours(quiet: QuietHours | null, zone: string, nowMs: number): boolean {
  if (!quiet) return false;
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === null || to === null || from === to) return false;
  const wall = wallAt(nowMs, zone);
  const m = (((wall % DAY) + DAY) % DAY) / MINUTE;
  return from < to ? m >= from && m < to : m >= from || m < to;
}

/**
 * The next instant after `nowMs` at which the quiet hours end (the next
 * local `to`, DST as for digests): when a message held back now goes out.
 * Quiet hours that are never on (from = to, not HH:MM) end at `nowMs`.
 */
export function quietEndsAt(quiet: QuietHours, zone: string, nowMs: number): number {
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === null || to === null || from === to) return nowMs;
  return nextDigestAt({ kind: "daily", at: quiet.to }, zone, nowMs) ?? nowMs;
}
