import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FeedError, feedErrorText } from "../../src/feeds/errors.js";
import { USER_AGENT } from "../../src/feeds/fetch.js";
import { type ReadFeedOptions, readFeed } from "../../src/feeds/read-feed.js";
import { english } from "../../src/i18n/translator.js";
import { WINDOWS_1251_FEED_TITLE, WINDOWS_1251_TITLES, windows1251Feed } from "../fixtures/feeds/windows-1251.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";

const FIXTURES = join(import.meta.dirname, "../fixtures/feeds");
const fixture = (name: string) => readFileSync(join(FIXTURES, name), "utf8");
const opts: ReadFeedOptions = { timeoutMs: 5_000, maxBytes: 1024 * 1024 };

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
});
afterAll(() => server.close());

async function ok(path: string, o: Partial<ReadFeedOptions> = {}) {
  const r = await readFeed({ id: "t", url: server.urlFor(path) }, { ...opts, ...o });
  if (r.status !== "ok") throw new Error(`expected ok, got ${r.status}`);
  return r;
}

async function failure(path: string, o: Partial<ReadFeedOptions> = {}, url = server.urlFor(path)): Promise<FeedError> {
  const err = await readFeed({ id: "src-1", url }, { ...opts, ...o }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FeedError);
  const fe = err as FeedError;
  expect(fe.sourceId).toBe("src-1");
  expect(fe.message).toMatch(/^source src-1: \S/);
  expect(fe.message).not.toMatch(/[\r\n]/);
  // What an English-speaking admin reads is what the log says.
  expect(feedErrorText(english(), fe.kind, fe.params)).toBe(fe.reason);
  return fe;
}

describe("readFeed: formats and encodings", () => {
  it.each([
    ["rss2.xml", "application/rss+xml", "Parliament passes the budget", 3],
    ["rss1.rdf", "application/rdf+xml", "First RDF item", 2],
    ["atom.xml", "application/atom+xml", "Rates <em>held</em> at 4%", 3],
    ["feed.json", "application/feed+json", "First JSON item", 2],
  ])("reads %s", async (name, contentType, firstTitle, count) => {
    server.set(`/formats/${name}`, { body: fixture(name), contentType });
    const r = await ok(`/formats/${name}`);
    expect(r.feed.entries).toHaveLength(count);
    expect(r.feed.entries[0]?.title).toBe(firstTitle);
    expect(r.finalUrl).toBe(server.urlFor(`/formats/${name}`));
  });

  it("decodes windows-1251 declared only in the prolog", async () => {
    server.set("/cp1251", { body: windows1251Feed(), contentType: "application/rss+xml" });
    const r = await ok("/cp1251");
    expect(r.feed.title).toBe(WINDOWS_1251_FEED_TITLE);
    expect(r.feed.entries.map((e) => e.title)).toEqual(WINDOWS_1251_TITLES);
  });

  it.each(["gzip", "deflate", "br"] as const)("decompresses a %s body", async (encoding) => {
    server.set(`/enc/${encoding}`, { body: fixture("rss2.xml"), encoding });
    const r = await ok(`/enc/${encoding}`);
    expect(r.feed.entries).toHaveLength(3);
    expect(server.requests(`/enc/${encoding}`)[0]?.headers["accept-encoding"]).toMatch(/gzip.*deflate.*br/);
  });

  it("gunzips a stored .gz file served without Content-Encoding", async () => {
    server.set("/stored-gz", { body: gzipSync(fixture("rss2.xml")), contentType: "application/xml" });
    expect((await ok("/stored-gz")).feed.entries).toHaveLength(3);
  });

  it("repairs a bare & and keeps duplicate guids as separate entries", async () => {
    server.set("/amp", { body: fixture("bare-ampersand.xml") });
    server.set("/dupes", { body: fixture("duplicate-guids.xml") });
    expect((await ok("/amp")).feed.entries[0]?.link).toBe("https://fish.example.com/story?id=7&ref=rss");
    expect((await ok("/dupes")).feed.entries.map((e) => e.title)).toEqual(["Morning edition", "Evening edition"]);
  });

  it("identifies itself and asks for feeds", async () => {
    server.set("/headers", { body: fixture("rss2.xml") });
    await ok("/headers");
    const h = server.requests("/headers")[0]!.headers;
    expect(h["user-agent"]).toBe(USER_AGENT);
    expect(h["user-agent"]).toMatch(/^newsbot\/0\.1 \(\+https:\/\/github\.com\/newsbot; Telegram news bot\)$/);
    expect(h.accept).toContain("application/rss+xml");
    expect(h.accept).toContain("application/atom+xml");
  });
});

describe("readFeed: conditional GET", () => {
  it("returns the validators, sends them back, and gets not-modified without parsing", async () => {
    const etag = '"v1"';
    const lastModified = "Fri, 27 Nov 2026 10:00:00 GMT";
    server.set("/cond", { body: fixture("rss2.xml"), etag, lastModified });

    const first = await ok("/cond");
    expect(first.cache).toEqual({ etag, lastModified });

    const second = await readFeed({ id: "t", url: server.urlFor("/cond") }, { ...opts, cache: first.cache });
    expect(second).toEqual({ status: "not-modified" });
    const sent = server.requests("/cond")[1]!.headers;
    expect(sent["if-none-match"]).toBe(etag);
    expect(sent["if-modified-since"]).toBe(lastModified);
  });

  it("works with Last-Modified alone, and fetches again once the feed changed", async () => {
    let version = 1;
    server.set("/cond-lm", () => ({
      body: version === 1 ? fixture("rss2.xml") : fixture("atom.xml"),
      lastModified: version === 1 ? "Thu, 26 Nov 2026 10:00:00 GMT" : "Fri, 27 Nov 2026 10:00:00 GMT",
    }));
    const first = await ok("/cond-lm");
    expect(first.cache).toEqual({ lastModified: "Thu, 26 Nov 2026 10:00:00 GMT" });
    expect(await readFeed({ id: "t", url: server.urlFor("/cond-lm") }, { ...opts, cache: first.cache })).toEqual({
      status: "not-modified",
    });
    version = 2;
    const third = await ok("/cond-lm", { cache: first.cache });
    expect(third.feed.title).toBe("Atom Example");
    expect(third.cache.lastModified).toBe("Fri, 27 Nov 2026 10:00:00 GMT");
  });

  it("sends no validators on a first poll", async () => {
    server.set("/cond-none", { body: fixture("rss2.xml") });
    await ok("/cond-none");
    const h = server.requests("/cond-none")[0]!.headers;
    expect(h["if-none-match"]).toBeUndefined();
    expect(h["if-modified-since"]).toBeUndefined();
  });
});

describe("readFeed: redirects", () => {
  it("follows five redirects, relative ones included, and reports the final URL", async () => {
    server.set("/r/final", { body: fixture("rss2.xml") });
    server.redirect("/r/1", "/r/2", 301);
    server.redirect("/r/2", "3", 302); // relative to /r/
    server.redirect("/r/3", server.urlFor("/r/4"), 307);
    server.redirect("/r/4", "../r/5", 308);
    server.redirect("/r/5", "/r/final?from=5", 303);
    const r = await ok("/r/1");
    expect(r.finalUrl).toBe(server.urlFor("/r/final?from=5"));
    expect(r.feed.entries).toHaveLength(3);
  });

  it("refuses a sixth redirect", async () => {
    server.set("/r6/final", { body: fixture("rss2.xml") });
    for (let i = 1; i <= 6; i++) server.redirect(`/r6/${i}`, i === 6 ? "/r6/final" : `/r6/${i + 1}`);
    const err = await failure("/r6/1");
    expect(err).toMatchObject({ kind: "redirects", message: "source src-1: too many redirects" });
    expect(server.hits("/r6/final")).toBe(0);
  });

  it("refuses a redirect loop", async () => {
    server.redirect("/loop/a", "/loop/b");
    server.redirect("/loop/b", "/loop/a");
    const err = await failure("/loop/a");
    expect(err.kind).toBe("redirects");
    expect(err.reason).toBe(`redirect loop at ${server.urlFor("/loop/a")}`);
  });

  it("refuses a redirect to something other than http(s)", async () => {
    server.redirect("/r-ftp", "ftp://files.example.com/feed.xml");
    expect((await failure("/r-ftp")).kind).toBe("redirects");
  });
});

describe("readFeed: size cap", () => {
  const big = `<rss version="2.0"><channel><title>Big</title>${"<item><title>padding</title></item>".repeat(200)}</channel></rss>`;

  it("refuses a body over the cap", async () => {
    server.set("/big", { body: big });
    const err = await failure("/big", { maxBytes: 2048 });
    expect(err).toMatchObject({ kind: "too-large", message: "source src-1: body over 2 KB" });
  });

  it("refuses a gzip bomb by its decompressed size", async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20)); // 20 MB of spaces, ~20 KB on the wire
    expect(bomb.length).toBeLessThan(64 * 1024);
    server.set("/bomb", { body: bomb, headers: { "Content-Encoding": "gzip" }, contentType: "application/rss+xml" });
    const err = await failure("/bomb", { maxBytes: 1024 * 1024 });
    expect(err.kind).toBe("too-large");
    expect(err.reason).toBe("body over 1 MB once decompressed");
  });

  it("stops reading a body that never ends", async () => {
    server.set("/endless", { body: "<rss version='2.0'><channel>", endless: true });
    const started = Date.now();
    const err = await failure("/endless", { maxBytes: 256 * 1024 });
    expect(err.kind).toBe("too-large");
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

describe("readFeed: timeouts", () => {
  it("gives up on a server that does not answer in time", async () => {
    server.set("/slow", { body: fixture("rss2.xml"), delayMs: 5_000 });
    const started = Date.now();
    const err = await failure("/slow", { timeoutMs: 300 });
    expect(err).toMatchObject({ kind: "timeout", message: "source src-1: timed out after 0.3 s" });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("counts a trickling body against the same deadline", async () => {
    // answers at once, then a few bytes every 50 ms, forever
    server.set("/trickle", { body: fixture("rss2.xml"), trickleMs: 50, chunkBytes: 8, endless: true });
    const started = Date.now();
    const err = await failure("/trickle", { timeoutMs: 300 });
    expect(err.kind).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(server.hits("/trickle")).toBe(1);
  });

  it("counts redirects against the same deadline", async () => {
    server.set("/slow-chain/end", { body: fixture("rss2.xml"), delayMs: 200 });
    server.set("/slow-chain/start", { status: 302, headers: { Location: "/slow-chain/end" }, delayMs: 200 });
    const err = await failure("/slow-chain/start", { timeoutMs: 300 });
    expect(err.kind).toBe("timeout");
  });

  it("stops when the caller aborts", async () => {
    server.set("/abort", { body: fixture("rss2.xml"), delayMs: 5_000 });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 100);
    const err = await failure("/abort", { signal: ctl.signal });
    expect(err).toMatchObject({ kind: "network", reason: "request aborted" });
  });
});

describe("readFeed: refusals and HTTP errors", () => {
  it.each([404, 410, 500, 503])("reports HTTP %i with the status", async (status) => {
    server.set(`/status/${status}`, { status, body: "<html><body>error page</body></html>", contentType: "text/html" });
    const err = await failure(`/status/${status}`);
    expect(err).toMatchObject({ kind: "http", status, message: `source src-1: HTTP ${status}` });
  });

  it("refuses an HTML page", async () => {
    server.set("/page", { body: fixture("not-a-feed.html"), contentType: "text/html; charset=utf-8" });
    expect(await failure("/page")).toMatchObject({ kind: "not-a-feed", message: "source src-1: not a feed (HTML page)" });
  });

  it("refuses an image and an empty body", async () => {
    server.set("/img", { body: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), contentType: "image/png" });
    server.set("/empty", { body: "" });
    expect((await failure("/img")).message).toBe("source src-1: not a feed (image/png)");
    expect((await failure("/empty")).message).toBe("source src-1: empty response");
  });

  it("refuses billion laughs", async () => {
    server.set("/lol", { body: fixture("billion-laughs.xml") });
    expect(await failure("/lol")).toMatchObject({ kind: "refused", reason: "refused: document declares entities" });
  });

  it("reports a refused connection and an unusable URL as network errors", async () => {
    const gone = await startFeedServer();
    const url = gone.urlFor("/feed");
    await gone.close();
    const refused = await failure("", {}, url);
    expect(refused.kind).toBe("network");
    expect(refused.reason).toMatch(/^connection refused \(127\.0\.0\.1:\d+\)$/);
    expect((await failure("", {}, "file:///etc/passwd")).reason).toBe("not an http(s) URL: file:///etc/passwd");
  });

  it("reports a connection cut in the middle of the body", async () => {
    server.handle("/cut", (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/rss+xml", "Content-Length": "10000" });
      res.write("<rss version='2.0'><channel>");
      setTimeout(() => res.destroy(), 20);
    });
    expect((await failure("/cut")).kind).toBe("network");
  });
});
