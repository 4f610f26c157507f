/**
 * Times as a subscriber reads them: wall-clock in the bot's time zone.
 *
 * Absolute times rather than "2 h ago": a message stays in the chat history,
 * where a relative time would be wrong by the next morning.
 */

export interface TimeOptions {
  /** IANA zone, e.g. "Europe/London" (validated by config). */
  timezone: string;
  /** "Today" is decided against this instant (ms since epoch), so output is deterministic. */
  now: number;
  /** BCP 47 locale for month names and ordering; "en-GB" by default. */
  locale?: string;
}

const DEFAULT_LOCALE = "en-GB";

// Building an Intl.DateTimeFormat is far slower than using one; a digest formats dozens of times.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(kind: "time" | "day" | "dayYear" | "key", locale: string, timeZone: string): Intl.DateTimeFormat {
  const id = `${kind}|${locale}|${timeZone}`;
  let f = formatters.get(id);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === "time"
        ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" }
        : kind === "day"
          ? { day: "numeric", month: "short" }
          : kind === "dayYear"
            ? { day: "numeric", month: "short", year: "numeric" }
            : { year: "numeric", month: "2-digit", day: "2-digit" };
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(id, f);
  }
  return f;
}

/** The calendar day of `ms` in `timezone`, as "YYYY-MM-DD". */
export function dayKey(ms: number, timezone: string): string {
  // A fixed locale (Latin digits): the key is compared, never shown.
  // From parts, not format(): the joined shape of a locale's date can change between ICU versions.
  const parts = formatter("key", "en-CA", timezone).formatToParts(ms);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

export function sameDay(a: number, b: number, timezone: string): boolean {
  return dayKey(a, timezone) === dayKey(b, timezone);
}

/** "27 Nov", or "27 Nov 2025" when not in the year of `opts.now`. */
export function formatDay(ms: number, opts: TimeOptions): string {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const sameYear = dayKey(ms, opts.timezone).slice(0, 4) === dayKey(opts.now, opts.timezone).slice(0, 4);
  return formatter(sameYear ? "day" : "dayYear", locale, opts.timezone).format(ms);
}

/**
 * "14:05 UTC" today; "27 Nov, 14:05 UTC" on another day this year;
 * "27 Nov 2025, 14:05 UTC" in another year. The zone name is what Intl calls
 * it in the locale ("UTC", "GMT", "CET", "GMT+4"). In ru-RU: "27 нояб., 14:05 GMT+3",
 * "27 нояб. 2025 г., 14:05 UTC"; in az-Latn-AZ: "27 noy, 15:05 GMT+4", "27 noy 2025, …"
 * — the same shape Intl gives for day, month and time together.
 */
export function formatTime(ms: number, opts: TimeOptions): string {
  const locale = opts.locale ?? DEFAULT_LOCALE;
  const time = formatter("time", locale, opts.timezone).format(ms);
  if (sameDay(ms, opts.now, opts.timezone)) return time;
  return `${formatDay(ms, opts)}, ${time}`;
}
