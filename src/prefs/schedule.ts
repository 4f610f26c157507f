/**
 * Pure: a chat's digest times and quiet hours in its own time zone, with
 * Intl only (no date library). Times are ms since the epoch; a local time is
 * "HH:MM" in an IANA zone.
 *
 * Daylight saving: a local time that does not exist on a day (the hour the
 * clocks skip) means the first instant after the gap (02:30 in Berlin on the
 * last Sunday of March → 03:00 local); one that happens twice (the hour the
 * clocks repeat) means its first occurrence only, so no slot is served twice.
 */
import type { ChatPrefs, DeliveryMode, QuietHours } from "./types.js";

/** A short list to pick from; any IANA zone can be typed. */
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

/** "7:30", "07:30", "7.30", "0730" → "07:30"; anything else → null. */
export function parseClock(s: string): string | null {
  const m = /^\s*(\d{1,2})[:.h]?(\d{2})\s*$/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, "0")}:${String(min).padStart(2, "0")}`;
}

const zoneCache = new Map<string, Intl.DateTimeFormat | null>();

function formatter(zone: string): Intl.DateTimeFormat | null {
  let f = zoneCache.get(zone);
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
    if (zoneCache.size > 1000) zoneCache.clear();
    zoneCache.set(zone, f);
  }
  return f;
}

export function isValidTimeZone(zone: string): boolean {
  return typeof zone === "string" && zone.length > 0 && zone.length <= 64 && formatter(zone) !== null;
}

/** The chat's zone, or the bot's. */
export function zoneOf(prefs: Pick<ChatPrefs, "timezone">, fallback: string): string {
  return prefs.timezone && isValidTimeZone(prefs.timezone) ? prefs.timezone : fallback;
}

interface Local {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
}

function local(ms: number, zone: string): Local {
  const f = formatter(zone) ?? formatter("UTC")!;
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(ms)) if (part.type !== "literal") p[part.type] = Number(part.value);
  return { y: p.year!, mo: p.month!, d: p.day!, h: p.hour! % 24, mi: p.minute! };
}

/** Local wall-clock minutes as one number (ordering within a few days). */
const key = (l: Local) => Date.UTC(l.y, l.mo - 1, l.d, l.h, l.mi);
/** The zone's offset at an instant (ms, local − UTC), to the minute. */
const offsetAt = (ms: number, zone: string) => key(local(ms, zone)) - Math.floor(ms / 60_000) * 60_000;

/** The first instant at which the zone's clock reads `l` (or, in a gap, the first instant after it). */
export function localInstant(l: Local, zone: string): number {
  const naive = key(l);
  const offsets = new Set([offsetAt(naive - 14 * 3600_000, zone), offsetAt(naive, zone), offsetAt(naive + 14 * 3600_000, zone)]);
  const exact = [...offsets].map((o) => naive - o).filter((t) => key(local(t, zone)) === naive);
  if (exact.length) return Math.min(...exact);
  // A gap: the clock jumps over `l`; the first instant whose local time is past it.
  let lo = naive - Math.max(...offsets);
  let hi = naive - Math.min(...offsets);
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
    if (key(local(mid, zone)) >= naive) hi = mid;
    else lo = mid;
  }
  return hi;
}

function clockOf(s: string): { h: number; mi: number } {
  const c = parseClock(s) ?? "00:00";
  return { h: Number(c.slice(0, 2)), mi: Number(c.slice(3)) };
}

/** The local day `k` days after the local day of `ms`. */
function dayAfter(ms: number, zone: string, k: number): { y: number; mo: number; d: number } {
  const l = local(ms, zone);
  const u = new Date(Date.UTC(l.y, l.mo - 1, l.d + k));
  return { y: u.getUTCFullYear(), mo: u.getUTCMonth() + 1, d: u.getUTCDate() };
}

/** The first of the daily local times `clocks` strictly after `afterMs`. */
function nextLocal(clocks: readonly { h: number; mi: number }[], zone: string, afterMs: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let k = -1; k <= 2 && best === Number.POSITIVE_INFINITY; k++) {
    const day = dayAfter(afterMs, zone, k);
    for (const c of clocks) {
      const t = localInstant({ ...day, h: c.h, mi: c.mi }, zone);
      if (t > afterMs && t < best) best = t;
    }
  }
  return best;
}

/**
 * When the chat's next digest is due: the first slot strictly after
 * `afterMs` — every N hours at local multiples of N from midnight, or daily
 * at a local time. Null for "as it comes".
 */
export function nextDigestAt(mode: DeliveryMode, zone: string, afterMs: number): number | null {
  if (mode.kind === "now") return null;
  if (mode.kind === "daily") return nextLocal([clockOf(mode.at)], zone, afterMs);
  const clocks: { h: number; mi: number }[] = [];
  for (let h = 0; h < 24; h += mode.hours) clocks.push({ h, mi: 0 });
  return nextLocal(clocks, zone, afterMs);
}

const minutesOf = (s: string) => {
  const c = clockOf(s);
  return c.h * 60 + c.mi;
};

/** Whether `nowMs` is inside the quiet hours (from inclusive, to exclusive, across midnight too); from = to is none. */
export function inQuietHours(quiet: QuietHours | null, zone: string, nowMs: number): boolean {
  if (!quiet) return false;
  const f = minutesOf(quiet.from);
  const t = minutesOf(quiet.to);
  if (f === t) return false;
  const l = local(nowMs, zone);
  const m = l.h * 60 + l.mi;
  return f < t ? m >= f && m < t : m >= f || m < t;
}

/** The next instant the quiet hours end. */
export function quietEndsAt(quiet: QuietHours, zone: string, nowMs: number): number {
  return nextLocal([clockOf(quiet.to)], zone, nowMs);
}
