import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { FeedError, type FeedErrorParams, formatBytes, formatSeconds, reasonLine, secondsOf } from "./errors.js";
import { maxAgeMs, retryAfterMs } from "./hints.js";
import { type Guard, guardedLookup, refuseAddressLiteral, SsrfRefusal } from "./ssrf.js";

/**
 * One feed download: our own redirects (so the count, loops and the final URL
 * are ours to see), one deadline for the whole exchange, and a size cap on the
 * bytes we would actually have to hold — the decompressed ones.
 */

export const USER_AGENT = "newsbot/0.1 (+https://github.com/newsbot; Telegram news bot)";
const ACCEPT =
  "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/feed+json;q=0.9, " +
  "application/xml;q=0.8, text/xml;q=0.8, application/json;q=0.5, */*;q=0.1";
export const MAX_REDIRECTS = 5;

export interface HttpCache {
  etag?: string;
  lastModified?: string;
}

export interface FetchOptions {
  timeoutMs: number;
  maxBytes: number;
  cache?: HttpCache;
  signal?: AbortSignal;
  /** "public-only": refuse non-public addresses on every hop, checked on the resolved address (see ssrf.ts) */
  guard?: Guard;
}

/** maxAgeMs: the response's Cache-Control max-age, when it gave one (the poller's minimum interval). */
export type FetchResult =
  | { status: "not-modified"; maxAgeMs?: number }
  | { status: "ok"; body: Uint8Array; contentType: string | undefined; finalUrl: string; cache: HttpCache; maxAgeMs?: number };

export async function fetchFeed(sourceId: string, url: string, opts: FetchOptions): Promise<FetchResult> {
  const fail: Fail = (kind, reason, params, extra) => new FeedError(sourceId, kind, reason, params, extra);

  // One controller for the whole chain: the deadline is total, not per hop,
  // so a slow redirect chain or a trickling body cannot stretch it.
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(fail("timeout", `timed out after ${formatSeconds(opts.timeoutMs)}`, { seconds: secondsOf(opts.timeoutMs) })),
    opts.timeoutMs,
  );
  const onOuterAbort = () => controller.abort(fail("network", "request aborted", { detail: "aborted" }));
  if (opts.signal?.aborted) onOuterAbort();
  else opts.signal?.addEventListener("abort", onOuterAbort, { once: true });

  try {
    let current = httpUrl(url);
    if (!current) throw fail("network", `not an http(s) URL: ${url}`, { detail: "not-http", url });
    const visited = new Set<string>();
    for (let hop = 0; ; hop++) {
      visited.add(current.href);
      const res = await send(current, requestHeaders(opts.cache), controller.signal, fail, opts.guard);
      const status = res.statusCode ?? 0;

      if ([301, 302, 303, 307, 308].includes(status)) {
        res.destroy();
        const location = res.headers.location;
        if (!location)
          throw fail("http", `HTTP ${status} without a Location header`, { detail: "no-location", status: String(status) }, { status });
        const next = httpUrl(location, current);
        if (!next) throw fail("redirects", `redirect to an unsupported URL (${location})`, { detail: "unsupported", url: location });
        if (visited.has(next.href)) throw fail("redirects", `redirect loop at ${next.href}`, { detail: "loop", url: next.href });
        if (hop + 1 > MAX_REDIRECTS) throw fail("redirects", "too many redirects", { detail: "too-many", max: MAX_REDIRECTS });
        current = next;
        continue;
      }
      const fresh = maxAgeMs(res.headers["cache-control"]);
      if (status === 304) {
        res.destroy();
        return fresh ? { status: "not-modified", maxAgeMs: fresh } : { status: "not-modified" };
      }
      if (status < 200 || status > 299) {
        res.destroy();
        // Only "slow down" (429) and "unavailable" (503) make Retry-After a request to us.
        const wait = status === 429 || status === 503 ? retryAfterMs(res.headers["retry-after"], Date.now()) : null;
        throw fail("http", `HTTP ${status}`, { status: String(status) }, { status, ...(wait ? { retryAfterMs: wait } : {}) });
      }

      const raw = await readRaw(res, opts.maxBytes, controller.signal, fail);
      const body = await decompress(raw, res.headers["content-encoding"], opts.maxBytes, fail);
      const cache: HttpCache = {};
      if (res.headers.etag) cache.etag = res.headers.etag;
      if (res.headers["last-modified"]) cache.lastModified = res.headers["last-modified"];
      const ok = { status: "ok", body, contentType: res.headers["content-type"], finalUrl: current.href, cache } as const;
      return fresh ? { ...ok, maxAgeMs: fresh } : ok;
    }
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", onOuterAbort);
  }
}

type Fail = (
  kind: FeedError["kind"],
  reason: string,
  params: FeedErrorParams,
  extra?: { status?: number; cause?: unknown; retryAfterMs?: number },
) => FeedError;

function httpUrl(text: string, base?: URL): URL | null {
  try {
    const u = new URL(text, base);
    return u.protocol === "http:" || u.protocol === "https:" ? u : null;
  } catch {
    return null;
  }
}

/** A stored validator with a newline in it would make node refuse the whole request. */
const SAFE_HEADER = /^[\t\x20-\x7e\x80-\xff]*$/;

function requestHeaders(cache: HttpCache | undefined): Record<string, string> {
  const h: Record<string, string> = {
    "User-Agent": USER_AGENT,
    Accept: ACCEPT,
    "Accept-Encoding": "gzip, deflate, br",
  };
  if (cache?.etag && SAFE_HEADER.test(cache.etag)) h["If-None-Match"] = cache.etag;
  if (cache?.lastModified && SAFE_HEADER.test(cache.lastModified)) h["If-Modified-Since"] = cache.lastModified;
  return h;
}

function send(url: URL, headers: Record<string, string>, signal: AbortSignal, fail: Fail, guard?: Guard): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const mod = url.protocol === "https:" ? https : http;
    // agent: false — one connection per poll; nothing lingers between polls or after a test.
    const literal = guard ? refuseAddressLiteral(url, guard) : null;
    if (literal) return reject(fail("refused", literal.message, literal.params));
    const lookup = guard ? { lookup: guardedLookup(guard) } : {};
    const req = mod.request(url, { method: "GET", headers, agent: false, signal, ...lookup }, resolve);
    req.on("error", (err) =>
      reject(
        signal.aborted
          ? signal.reason
          : err instanceof SsrfRefusal
            ? fail("refused", err.message, err.params)
            : networkError(err, url, fail),
      ),
    );
    req.end();
  });
}

function readRaw(res: IncomingMessage, maxBytes: number, signal: AbortSignal, fail: Fail): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(res.headers["content-length"]);
    if (!res.headers["content-encoding"] && Number.isFinite(declared) && declared > maxBytes) {
      res.destroy();
      return reject(fail("too-large", `body over ${formatBytes(maxBytes)}`, { limitBytes: maxBytes }));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const settle = (err?: FeedError) => {
      if (done) return;
      done = true;
      if (err) reject(err);
      else resolve(Buffer.concat(chunks, size));
    };
    res.on("data", (chunk: Buffer) => {
      size += chunk.length;
      // Compressed bytes are never more than the text they expand to, so the
      // cap applies here too; decompress() enforces it on the real size.
      if (size > maxBytes) {
        res.destroy();
        settle(fail("too-large", `body over ${formatBytes(maxBytes)}`, { limitBytes: maxBytes }));
      } else chunks.push(chunk);
    });
    res.on("end", () => settle());
    res.on("error", (err) => settle(signal.aborted ? signal.reason : networkError(err, undefined, fail)));
    res.on("close", () => {
      if (signal.aborted) settle(signal.reason);
      else if (!res.complete) settle(fail("network", "connection closed before the body was complete", { detail: "closed" }));
    });
  });
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

function isGzip(b: Uint8Array): boolean {
  return b.length > 2 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08;
}

async function decompress(raw: Buffer, header: string | undefined, maxBytes: number, fail: Fail): Promise<Buffer> {
  const codings = (header ?? "")
    .split(",")
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== "identity");
  // maxOutputLength makes zlib stop at the cap instead of inflating a bomb.
  const limit = { maxOutputLength: maxBytes };
  let body = raw;
  let coding = "";
  try {
    for (coding of codings.reverse()) {
      if (coding === "gzip" || coding === "x-gzip") body = await gunzip(body, limit);
      else if (coding === "br") body = await brotli(body, limit);
      else if (coding === "deflate") {
        // "deflate" should be zlib-wrapped, but many servers send raw deflate.
        const zlibHeader = body.length > 1 && (body[0]! & 0x0f) === 8 && ((body[0]! << 8) | body[1]!) % 31 === 0;
        body = zlibHeader ? await inflate(body, limit) : await inflateRaw(body, limit);
      } else throw fail("network", `unsupported Content-Encoding "${coding}"`, { detail: "encoding", coding });
    }
    // Some servers hand out a stored .gz file without saying so.
    if (isGzip(body)) {
      coding = "gzip";
      body = await gunzip(body, limit);
    }
  } catch (err) {
    if (err instanceof FeedError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError) {
      throw fail("too-large", `body over ${formatBytes(maxBytes)} once decompressed`, { detail: "decompressed", limitBytes: maxBytes });
    }
    throw fail(
      "network",
      `could not decompress the ${coding} body (${e.message})`,
      { detail: "decompress", coding, error: e.message },
      { cause: err },
    );
  }
  return body;
}

function networkError(err: Error, url: URL | undefined, fail: Fail): FeedError {
  const code = (err as NodeJS.ErrnoException).code ?? "";
  const where = url ? ` (${url.host})` : "";
  // The host goes last in every language (feedErrorText adds it); a name is not found by its port.
  const host: FeedErrorParams = url ? { host: url.host } : {};
  let reason: string;
  let params: FeedErrorParams;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    reason = `host not found${url ? ` (${url.hostname})` : ""}`;
    params = url ? { detail: "dns", host: url.hostname } : { detail: "dns" };
  } else if (code === "ECONNREFUSED") [reason, params] = [`connection refused${where}`, { detail: "refused", ...host }];
  else if (code === "ECONNRESET") [reason, params] = [`connection reset by the server${where}`, { detail: "reset", ...host }];
  else if (code === "ETIMEDOUT") [reason, params] = [`connection timed out${where}`, { detail: "timeout", ...host }];
  else if (code === "EHOSTUNREACH" || code === "ENETUNREACH")
    [reason, params] = [`host unreachable${where}`, { detail: "unreachable", ...host }];
  else if (code.startsWith("HPE_")) [reason, params] = [`invalid HTTP response${where}`, { detail: "bad-http", ...host }];
  else if (/CERT|SSL|TLS/.test(code)) [reason, params] = [`TLS error ${code}${where}`, { detail: "tls", code, ...host }];
  else [reason, params] = [`${reasonLine(err.message)}${where}`, { detail: "other", error: err.message, ...host }];
  return fail("network", reason, params, { cause: err });
}
