import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname } from "node:path";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";

/**
 * A local HTTP server standing in for news sites: tests never touch the
 * internet. Each path answers with a canned response (set), a file (file), a
 * redirect (redirect) or any handler (handle); every request is recorded.
 */

export interface FeedResponse {
  status?: number;
  body?: string | Uint8Array;
  /** default: application/rss+xml; charset=utf-8 for string bodies */
  contentType?: string;
  headers?: Record<string, string>;
  /** wait before sending the status line */
  delayMs?: number;
  /** compress the body and say so in Content-Encoding */
  encoding?: "gzip" | "deflate" | "br";
  /** sent as ETag; a request with a matching If-None-Match gets 304 */
  etag?: string;
  /** sent as Last-Modified; a request with If-Modified-Since at or after it gets 304 (when no ETag matched) */
  lastModified?: string;
  /** send the body in chunkBytes pieces, one every trickleMs */
  trickleMs?: number;
  chunkBytes?: number;
  /** after the body, keep sending filler until the client goes away */
  endless?: boolean;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface FeedServer {
  /** http://127.0.0.1:port, no trailing slash */
  url: string;
  urlFor(path: string): string;
  /** a fixed response, or one computed per request (n counts from 1) — e.g. content that changes between polls */
  set(path: string, response: FeedResponse | ((req: IncomingMessage, n: number) => FeedResponse)): void;
  /** serves a file's bytes as they are; the content type is guessed from the extension unless given */
  file(path: string, filePath: string, extra?: Omit<FeedResponse, "body">): void;
  redirect(path: string, location: string, status?: 301 | 302 | 303 | 307 | 308): void;
  /** a raw handler for anything else */
  handle(path: string, handler: Handler): void;
  /** same as handle */
  route(path: string, handler: Handler): void;
  /** requests received, optionally only those for one path */
  requests(path?: string): RecordedRequest[];
  hits(path: string): number;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".xml": "application/xml",
  ".rss": "application/rss+xml",
  ".atom": "application/atom+xml",
  ".rdf": "application/rdf+xml",
  ".json": "application/feed+json",
  ".html": "text/html",
  ".htm": "text/html",
  ".png": "image/png",
};

export async function startFeedServer(): Promise<FeedServer> {
  const handlers = new Map<string, Handler>();
  const log: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    log.push({ method: req.method ?? "GET", path, headers: req.headers });
    // exact match first, so /feed?x=1 and /feed can differ when a test wants it
    const handler = handlers.get(req.url ?? "/") ?? handlers.get(path);
    if (!handler) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end(`no route for ${path}`);
      return;
    }
    try {
      handler(req, res);
    } catch (err) {
      res.writeHead(500, { "Content-Type": "text/plain" }).end(String(err));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  const api: FeedServer = {
    url,
    urlFor: (path) => `${url}${path.startsWith("/") ? path : `/${path}`}`,
    set(path, response) {
      let n = 0;
      handlers.set(path, (req, res) => {
        n += 1;
        respond(req, res, typeof response === "function" ? response(req, n) : response);
      });
    },
    file(path, filePath, extra = {}) {
      const body = readFileSync(filePath);
      const contentType = extra.contentType ?? TYPES[extname(filePath).toLowerCase()] ?? "application/octet-stream";
      api.set(path, { ...extra, body, contentType });
    },
    redirect(path, location, status = 302) {
      handlers.set(path, (_req, res) => res.writeHead(status, { Location: location }).end());
    },
    handle: (path, handler) => void handlers.set(path, handler),
    route: (path, handler) => void handlers.set(path, handler),
    requests: (path) => (path === undefined ? [...log] : log.filter((r) => r.path === path)),
    hits: (path) => log.filter((r) => r.path === path).length,
    close() {
      // endless and trickling responses hold their sockets open: cut them
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}

function respond(req: IncomingMessage, res: ServerResponse, r: FeedResponse): void {
  const send = () => {
    if (res.destroyed) return;
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    if (r.etag) headers.ETag = r.etag;
    if (r.lastModified) headers["Last-Modified"] = r.lastModified;
    if (notModified(req, r)) {
      res.writeHead(304, headers).end();
      return;
    }
    let body: Uint8Array = typeof r.body === "string" ? Buffer.from(r.body, "utf8") : (r.body ?? new Uint8Array());
    headers["Content-Type"] ??= r.contentType ?? "application/rss+xml; charset=utf-8";
    if (r.encoding) {
      body = compress(body, r.encoding);
      headers["Content-Encoding"] = r.encoding;
    }
    const streaming = r.trickleMs !== undefined || r.endless;
    if (!streaming) headers["Content-Length"] = String(body.length);
    res.writeHead(r.status ?? 200, headers);
    if (!streaming) {
      res.end(body);
      return;
    }
    stream(res, body, r);
  };
  if (r.delayMs) {
    const t = setTimeout(send, r.delayMs);
    res.on("close", () => clearTimeout(t));
  } else send();
}

function notModified(req: IncomingMessage, r: FeedResponse): boolean {
  const inm = req.headers["if-none-match"];
  if (r.etag && inm) return inm.split(",").some((t) => t.trim() === r.etag || t.trim() === "*");
  const ims = req.headers["if-modified-since"];
  if (r.lastModified && ims) {
    const since = Date.parse(ims);
    const last = Date.parse(r.lastModified);
    return Number.isFinite(since) && Number.isFinite(last) && last <= since;
  }
  return false;
}

function compress(body: Uint8Array, encoding: "gzip" | "deflate" | "br"): Uint8Array {
  if (encoding === "gzip") return gzipSync(body);
  if (encoding === "deflate") return deflateSync(body);
  return brotliCompressSync(body);
}

/** Trickles the body, then (if endless) filler forever; stops when the client disconnects. */
function stream(res: ServerResponse, body: Uint8Array, r: FeedResponse): void {
  const size = r.chunkBytes ?? (r.trickleMs !== undefined ? 16 : 64 * 1024);
  const interval = r.trickleMs ?? 0;
  const filler = Buffer.alloc(size, 0x20);
  let offset = 0;
  let timer: NodeJS.Timeout | undefined;
  res.on("close", () => clearTimeout(timer));
  const next = () => {
    if (res.destroyed) return;
    let chunk: Uint8Array;
    if (offset < body.length) {
      chunk = body.subarray(offset, offset + size);
      offset += chunk.length;
    } else if (r.endless) chunk = filler;
    else {
      res.end();
      return;
    }
    const flushed = res.write(chunk);
    // respect backpressure, or an endless body fills memory faster than the client reads
    if (flushed) timer = setTimeout(next, interval);
    else res.once("drain", () => (timer = setTimeout(next, interval)));
  };
  next();
}
