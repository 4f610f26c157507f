import { oneLine } from "../text/one-line.js";

/**
 * Why reading a feed failed, as facts a log line, a source-health record and an
 * admin message can all be built from.
 */
export type FeedErrorKind = "timeout" | "http" | "too-large" | "redirects" | "network" | "not-a-feed" | "parse" | "refused";

/** Reasons are shown to admins verbatim: keep them on one short line. */
const MAX_REASON = 300;

/** A reason as admins see it: one line of at most 300 characters, its lines kept apart by " | ". */
export function reasonLine(text: string): string {
  return oneLine(text, { breaks: " | ", max: MAX_REASON });
}

export class FeedError extends Error {
  override readonly name = "FeedError";
  readonly sourceId: string;
  readonly kind: FeedErrorKind;
  /** The message without the `source x:` prefix. */
  readonly reason: string;
  /** The HTTP status, for kind "http". */
  readonly status: number | undefined;
  /** How long the server asked us to wait (Retry-After on a 429 or 503), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(
    sourceId: string,
    kind: FeedErrorKind,
    reason: string,
    opts: { status?: number; cause?: unknown; retryAfterMs?: number } = {},
  ) {
    const clean = reasonLine(reason);
    super(`source ${sourceId}: ${clean}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.sourceId = sourceId;
    this.kind = kind;
    this.reason = clean;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** 10485760 → "10 MB", 1536 → "1.5 KB", 900 → "900 bytes". */
export function formatBytes(n: number): string {
  const trim = (x: number) => String(Math.round(x * 10) / 10);
  if (n >= 1024 * 1024) return `${trim(n / (1024 * 1024))} MB`;
  if (n >= 1024) return `${trim(n / 1024)} KB`;
  return `${n} bytes`;
}

/** 20000 → "20 s", 300 → "0.3 s". */
export function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
