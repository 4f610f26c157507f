import type { TextArgs, Translate } from "../i18n/translator.js";
import { oneLine } from "../text/one-line.js";

/**
 * Why reading a feed failed, as facts a log line, a source-health record and an
 * admin message can all be built from: a kind, and the parameters its text
 * needs. The words are put together at the edge, in the reader's language
 * (`feedErrorText`); `.message` and `.reason` are English, for logs.
 */
export type FeedErrorKind = "timeout" | "http" | "too-large" | "redirects" | "network" | "not-a-feed" | "parse" | "refused";

/**
 * What an error's text is made of. `detail` picks the variant within a kind
 * ("dns", "html", …; see FEED_ERROR_KEYS); the rest are the values the text
 * names: {status: "503"}, {seconds: 20}, {limitBytes: 10485760}, {host}.
 * Ids, statuses and line numbers are strings (Fluent would group the digits of
 * a number); amounts are numbers.
 */
export type FeedErrorParams = Record<string, string | number>;

/** A failure as stored and shown: a FeedErrorKind, or "internal" for anything else. */
export interface FeedErrorInfo {
  kind: FeedErrorKind | "internal";
  params: FeedErrorParams;
}

/** Reasons and parameters are shown to admins verbatim: keep them on one short line. */
const MAX_REASON = 300;

/** A reason as logs show it: one line of at most 300 characters, its lines kept apart by " | ". */
export function reasonLine(text: string): string {
  return oneLine(text, { breaks: " | ", max: MAX_REASON });
}

function cleanParams(params: FeedErrorParams): FeedErrorParams {
  const out: FeedErrorParams = {};
  for (const [k, v] of Object.entries(params)) out[k] = typeof v === "string" ? reasonLine(v) : v;
  return out;
}

export class FeedError extends Error {
  override readonly name = "FeedError";
  readonly sourceId: string;
  readonly kind: FeedErrorKind;
  /** The message without the `source x:` prefix (English, for logs). */
  readonly reason: string;
  /** What `feedErrorText` needs to say it in any language. */
  readonly params: FeedErrorParams;
  /** The HTTP status, for kind "http". */
  readonly status: number | undefined;
  /** How long the server asked us to wait (Retry-After on a 429 or 503), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(
    sourceId: string,
    kind: FeedErrorKind,
    reason: string,
    params: FeedErrorParams,
    opts: { status?: number; cause?: unknown; retryAfterMs?: number } = {},
  ) {
    const clean = reasonLine(reason);
    super(`source ${sourceId}: ${clean}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.sourceId = sourceId;
    this.kind = kind;
    this.reason = clean;
    this.params = cleanParams(params);
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }

  /** kind and params: what a health record or a use case's answer keeps */
  get info(): FeedErrorInfo {
    return { kind: this.kind, params: this.params };
  }
}

/** 10485760 → "10 MB", 1536 → "1.5 KB", 900 → "900 bytes" (English, for logs). */
export function formatBytes(n: number): string {
  const trim = (x: number) => String(Math.round(x * 10) / 10);
  if (n >= 1024 * 1024) return `${trim(n / (1024 * 1024))} MB`;
  if (n >= 1024) return `${trim(n / 1024)} KB`;
  return `${n} bytes`;
}

/** 10485760 → "10 MB" / "10 МБ" / "10 MB": a size in the reader's language. */
export function sizeText(t: Translate, n: number): string {
  const one = (x: number) => Math.round(x * 10) / 10;
  if (n >= 1024 * 1024) return t("feed-err-size-mb", { size: one(n / (1024 * 1024)) });
  if (n >= 1024) return t("feed-err-size-kb", { size: one(n / 1024) });
  return t("feed-err-size-bytes", { size: n });
}

/** 20000 → 20, 300 → 0.3: the seconds a timeout names. */
export function secondsOf(ms: number): number {
  return Math.round(ms / 100) / 10;
}

/** 20000 → "20 s", 300 → "0.3 s" (English, for logs). */
export function formatSeconds(ms: number): string {
  return `${secondsOf(ms)} s`;
}

/**
 * The text of every error: kind → detail → key. `_` is the kind's own text,
 * used when the detail is missing or unknown (a record written by another
 * version).
 */
export const FEED_ERROR_KEYS = {
  timeout: { _: "feed-err-timeout" },
  http: {
    _: "feed-err-http",
    "no-location": "feed-err-http-no-location",
    "unexpected-304": "feed-err-http-unexpected-304",
    "no-file-path": "feed-err-http-no-file-path",
  },
  "too-large": { _: "feed-err-too-large", decompressed: "feed-err-too-large-decompressed", file: "feed-err-too-large-file" },
  redirects: {
    _: "feed-err-redirects",
    unsupported: "feed-err-redirects-unsupported",
    loop: "feed-err-redirects-loop",
    "too-many": "feed-err-redirects-too-many",
  },
  network: {
    _: "feed-err-network",
    aborted: "feed-err-network-aborted",
    "not-http": "feed-err-network-not-http",
    dns: "feed-err-network-dns",
    refused: "feed-err-network-refused",
    reset: "feed-err-network-reset",
    timeout: "feed-err-network-timeout",
    unreachable: "feed-err-network-unreachable",
    "bad-http": "feed-err-network-bad-http",
    tls: "feed-err-network-tls",
    closed: "feed-err-network-closed",
    encoding: "feed-err-network-encoding",
    decompress: "feed-err-network-decompress",
    other: "feed-err-network-other",
  },
  "not-a-feed": {
    _: "feed-err-not-a-feed",
    empty: "feed-err-not-a-feed-empty",
    media: "feed-err-not-a-feed-media",
    binary: "feed-err-not-a-feed-binary",
    html: "feed-err-not-a-feed-html",
    "no-root": "feed-err-not-a-feed-no-root",
    "plain-text": "feed-err-not-a-feed-plain-text",
    "xml-root": "feed-err-not-a-feed-xml-root",
    "invalid-json": "feed-err-not-a-feed-invalid-json",
    json: "feed-err-not-a-feed-json",
    "none-found": "feed-err-not-a-feed-none-found",
    "none-working": "feed-err-not-a-feed-none-working",
    "bad-source": "feed-err-not-a-feed-bad-source",
  },
  parse: { _: "feed-err-parse", xml: "feed-err-parse-xml", structure: "feed-err-parse-structure", other: "feed-err-parse-other" },
  refused: {
    _: "feed-err-refused",
    entities: "feed-err-refused-entities",
    address: "feed-err-refused-address",
    resolves: "feed-err-refused-resolves",
  },
  internal: { _: "feed-err-internal", error: "feed-err-internal-error" },
} as const satisfies Record<FeedErrorKind | "internal", { _: string } & Record<string, string>>;

/**
 * What an address the SSRF guard refuses is (ssrf.ts `BlockedAddress.what`)
 * → its key. `range` is the only value these texts take.
 */
export const BLOCKED_ADDRESS_KEYS = {
  "this-network": "feed-err-addr-this-network",
  private: "feed-err-addr-private",
  cgnat: "feed-err-addr-cgnat",
  loopback: "feed-err-addr-loopback",
  metadata: "feed-err-addr-metadata",
  "link-local": "feed-err-addr-link-local",
  reserved: "feed-err-addr-reserved",
  "reserved-broadcast": "feed-err-addr-reserved-broadcast",
  documentation: "feed-err-addr-documentation",
  benchmarking: "feed-err-addr-benchmarking",
  multicast: "feed-err-addr-multicast",
  unspecified: "feed-err-addr-unspecified",
  "local-nat64": "feed-err-addr-local-nat64",
  "reserved-v6": "feed-err-addr-reserved-v6",
  discard: "feed-err-addr-discard",
  "unique-local": "feed-err-addr-unique-local",
  "site-local": "feed-err-addr-site-local",
} as const;

/** An IPv4 address inside an IPv6 one: how it is embedded → the key ({v4}, {why}). */
export const EMBEDDED_ADDRESS_KEYS = {
  mapped: "feed-err-addr-mapped",
  nat64: "feed-err-addr-nat64",
  "6to4": "feed-err-addr-6to4",
} as const;

const has = <T extends object>(o: T, k: unknown): k is keyof T => typeof k === "string" && Object.hasOwn(o, k);

/** Why an address was refused, from the params a refusal carries: {what, range?, form?, v4?} or a policy's own {why}. */
function blockedText(t: Translate, p: FeedErrorParams): string {
  let why = has(BLOCKED_ADDRESS_KEYS, p.what) ? t(BLOCKED_ADDRESS_KEYS[p.what], { range: p.range ?? "" }) : String(p.why ?? p.what ?? "");
  if (has(EMBEDDED_ADDRESS_KEYS, p.form)) why = t(EMBEDDED_ADDRESS_KEYS[p.form], { v4: String(p.v4 ?? ""), why });
  return why;
}

/**
 * An error in the reader's language, as plain text (the caller escapes it for
 * HTML). `kind` may be anything a record holds: an unknown one gets a
 * generic text naming it.
 */
export function feedErrorText(t: Translate, kind: string, params: FeedErrorParams = {}): string {
  if (!has(FEED_ERROR_KEYS, kind)) return t("feed-err-unknown", { kind });
  const keys: Record<string, string> = FEED_ERROR_KEYS[kind];
  const detail = typeof params.detail === "string" ? params.detail : "_";
  const key = keys[detail] ?? keys._!;
  const args: TextArgs = { ...params };
  if (typeof params.limitBytes === "number") args.limit = sizeText(t, params.limitBytes);
  if (kind === "refused" && (detail === "address" || detail === "resolves")) args.why = blockedText(t, params);
  let text = t(key, args);
  // The server a network error happened with: a name, the same in every language.
  if (kind === "network" && typeof params.host === "string" && params.host) text += ` (${params.host})`;
  return text;
}

/**
 * A stored error (a health record's last error): its kind and params in the
 * reader's language; a record from before errors had params has only an
 * English `message`, shown as it is.
 */
export function storedErrorText(t: Translate, e: { kind: string; params: FeedErrorParams; message?: string }): string {
  if (e.message !== undefined && Object.keys(e.params).length === 0) return e.message;
  return feedErrorText(t, e.kind, e.params);
}
