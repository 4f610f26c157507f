import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { discoverFeed } from "../../src/feeds/discover.js";
import { FeedError, feedErrorText } from "../../src/feeds/errors.js";
import { fetchFeed } from "../../src/feeds/fetch.js";
import { readFeed } from "../../src/feeds/read-feed.js";
import { type AddressPolicy, blockedAddress } from "../../src/feeds/ssrf.js";
import { english } from "../../src/i18n/translator.js";
import { previewSource } from "../../src/sources/inspect.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { rss } from "../support/rss.js";

/**
 * Discovery and the SSRF guard against real sockets: the local feed server
 * (on 127.0.0.1) stands in for news sites. A second server on 127.0.0.2 plays
 * a "public" site for the redirect tests, with a policy that treats that one
 * address as public — everything else is judged by the production rules.
 */

let feeds: FeedServer;
let relay: Server;
let relayUrl: string;
const relayRoutes = new Map<string, (path: string) => { status: number; headers: Record<string, string>; body?: string }>();
const relayHits: string[] = [];

const RELAY_IP = "127.0.0.2";
const relayIsPublic: AddressPolicy = (address) => (address === RELAY_IP ? null : blockedAddress(address));
const opts = { timeoutMs: 3000, maxBytes: 1024 * 1024 };

const story = (n: number) => ({
  guid: `s${n}`,
  title: `Story number ${n}`,
  link: `https://site.example/${n}`,
  description: `About story ${n}.`,
  pubDate: new Date(Date.UTC(2026, 10, 28, 10, n)),
});

beforeAll(async () => {
  feeds = await startFeedServer();
  relay = createServer((req, res) => {
    const path = req.url ?? "/";
    relayHits.push(path);
    const route = relayRoutes.get(path);
    if (!route) return void res.writeHead(404).end();
    const r = route(path);
    res.writeHead(r.status, r.headers).end(r.body ?? "");
  });
  await new Promise<void>((ok) => relay.listen(0, RELAY_IP, ok));
  relayUrl = `http://${RELAY_IP}:${(relay.address() as AddressInfo).port}`;

  feeds.set("/news.xml", { body: rss("Site News", [story(1), story(2), story(3), story(4)]) });
  feeds.set("/page-with-link", {
    contentType: "text/html; charset=utf-8",
    body: `<!doctype html><html><head><title>Site</title>
      <link rel="alternate" type="application/rss+xml" title="Comments" href="/comments/feed/">
      <link rel="alternate" type="application/rss+xml" title="Site News" href="news.xml">
      </head><body><h1>Welcome</h1></body></html>`,
  });
});

afterAll(async () => {
  await feeds.close();
  relay.closeAllConnections();
  await new Promise((ok) => relay.close(ok));
});

async function failure(p: Promise<unknown>): Promise<FeedError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FeedError);
  const fe = err as FeedError;
  expect(fe.reason).not.toMatch(/[\r\n]/);
  // What an English-speaking admin reads is what the log says.
  expect(feedErrorText(english(), fe.kind, fe.params)).toBe(fe.reason);
  return fe;
}

describe("discovery", () => {
  it("reads a feed URL directly", async () => {
    const r = await discoverFeed(feeds.urlFor("/news.xml"), opts);
    expect(r).toMatchObject({ via: "direct", url: feeds.urlFor("/news.xml") });
    expect(r.feed.title).toBe("Site News");
  });

  it("follows the page's <link rel=alternate>, before comment feeds", async () => {
    const before = feeds.hits("/comments/feed/");
    const r = await discoverFeed(feeds.urlFor("/page-with-link"), opts);
    expect(r).toMatchObject({ via: "link", url: feeds.urlFor("/news.xml") });
    expect(r.feed.entries).toHaveLength(4);
    expect(feeds.hits("/comments/feed/")).toBe(before);
  });

  it("tries the common feed paths when the page announces none, one request at a time", async () => {
    feeds.set("/blog/", { contentType: "text/html", body: "<html><head><title>Blog</title></head><body>no links</body></html>" });
    feeds.set("/rss.xml", { body: rss("Blog feed", [story(9)]) });
    const r = await discoverFeed(feeds.urlFor("/blog/"), opts);
    expect(r).toMatchObject({ via: "common-path", url: feeds.urlFor("/rss.xml") });
    // /feed and /rss come first and 404; nothing after the hit is requested.
    expect(feeds.hits("/feed")).toBe(1);
    expect(feeds.hits("/rss")).toBe(1);
    expect(feeds.hits("/feed.xml")).toBe(0);
  });

  it("says plainly when a page leads to no feed", async () => {
    const other = await startFeedServer();
    try {
      other.set("/", { contentType: "text/html", body: "<!doctype html><html><body>Just a page</body></html>" });
      const err = await failure(discoverFeed(other.urlFor("/"), opts));
      expect(err.kind).toBe("not-a-feed");
      expect(err.reason).toBe(
        "no feed found: the page announces none and nothing answers at /feed, /rss, /rss.xml, /feed.xml, /atom.xml, /index.xml",
      );
    } finally {
      await other.close();
    }
  });

  it.each([
    [
      "/pic.png",
      { body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), contentType: "image/png" },
      /^not a feed \(image\/png\)$/,
    ],
    ["/gone", { status: 404, body: "nope" }, /^HTTP 404$/],
    ["/slow", { delayMs: 2000, body: "x" }, /^timed out after 0\.3 s$/],
    ["/text", { body: "hello there", contentType: "text/plain" }, /^not a feed/],
  ])("one clear line for %s", async (path, response, reason) => {
    feeds.set(path, response);
    const err = await failure(discoverFeed(feeds.urlFor(path), { ...opts, timeoutMs: 300 }));
    expect(err.reason).toMatch(reason);
  });

  it("previews a source: title, id and the first 3 stories", async () => {
    const p = await previewSource(feeds.urlFor("/page-with-link"), {
      ...opts,
      now: Date.UTC(2026, 10, 28, 12),
      taken: new Set(["site-news"]),
    });
    expect(p.source).toEqual({ id: "site-news-2", name: "Site News", url: feeds.urlFor("/news.xml"), enabled: true });
    expect(p.itemCount).toBe(4);
    expect(p.samples.map((i) => i.title)).toEqual(["Story number 1", "Story number 2", "Story number 3"]);
  });
});

describe("SSRF guard on the real fetch", () => {
  it("refuses 127.0.0.1 before any request is made", async () => {
    const before = feeds.requests().length;
    const err = await failure(fetchFeed("x", feeds.urlFor("/news.xml"), { ...opts, guard: "public-only" }));
    expect(err.kind).toBe("refused");
    expect(err.reason).toBe("refused: 127.0.0.1 is a loopback address; only public addresses are allowed");
    expect(feeds.requests().length).toBe(before);
  });

  it("refuses a name that resolves to loopback, checked on the resolved address", async () => {
    const before = feeds.requests().length;
    const err = await failure(
      readFeed({ id: "x", url: `${feeds.url.replace("127.0.0.1", "localhost")}/news.xml` }, { ...opts, guard: "public-only" }),
    );
    expect(err.reason).toMatch(
      /^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address; only public addresses are allowed$/,
    );
    expect(feeds.requests().length).toBe(before);
  });

  it("refuses decimal, hex and IPv6 spellings of loopback", async () => {
    const port = new URL(feeds.url).port;
    for (const host of ["2130706433", "0x7f.1", "0177.0.0.1", "[::ffff:127.0.0.1]"]) {
      const err = await failure(fetchFeed("x", `http://${host}:${port}/news.xml`, { ...opts, guard: "public-only" }));
      expect(err.reason).toMatch(
        /^refused: \S+ is (a loopback address|the IPv4-mapped form of 127\.0\.0\.1, a loopback address); only public addresses are allowed$/,
      );
    }
  });

  it("refuses a redirect from an allowed address to 127.0.0.1", async () => {
    relayRoutes.set("/to-loopback", () => ({ status: 302, headers: { Location: feeds.urlFor("/news.xml") } }));
    // Without the guard the chain works, so the refusal below is the guard's doing.
    const open = await fetchFeed("x", `${relayUrl}/to-loopback`, opts);
    expect(open).toMatchObject({ status: "ok", finalUrl: feeds.urlFor("/news.xml") });

    const before = feeds.hits("/news.xml");
    const err = await failure(fetchFeed("x", `${relayUrl}/to-loopback`, { ...opts, guard: relayIsPublic }));
    expect(err.kind).toBe("refused");
    expect(err.reason).toBe("refused: 127.0.0.1 is a loopback address; only public addresses are allowed");
    expect(feeds.hits("/news.xml")).toBe(before);
    expect(relayHits.filter((p) => p === "/to-loopback")).toHaveLength(2);
  });

  it("refuses a redirect to a name that resolves to loopback, and to the metadata address", async () => {
    const port = new URL(feeds.url).port;
    relayRoutes.set("/to-localhost", () => ({ status: 301, headers: { Location: `http://localhost:${port}/news.xml` } }));
    relayRoutes.set("/to-metadata", () => ({ status: 307, headers: { Location: "http://169.254.169.254/latest/meta-data/" } }));
    const a = await failure(fetchFeed("x", `${relayUrl}/to-localhost`, { ...opts, guard: relayIsPublic }));
    expect(a.reason).toMatch(/^refused: localhost resolves to/);
    const b = await failure(fetchFeed("x", `${relayUrl}/to-metadata`, { ...opts, guard: relayIsPublic }));
    expect(b.reason).toBe("refused: 169.254.169.254 is the cloud metadata address; only public addresses are allowed");
  });

  it("reports the refusal when the page links to a feed on a private address", async () => {
    relayRoutes.set("/page", () => ({
      status: 200,
      headers: { "Content-Type": "text/html" },
      body: `<html><head><link rel="alternate" type="application/rss+xml" href="${feeds.urlFor("/news.xml")}"></head></html>`,
    }));
    const err = await failure(discoverFeed(`${relayUrl}/page`, { ...opts, guard: relayIsPublic }));
    expect(err.reason).toBe("refused: 127.0.0.1 is a loopback address; only public addresses are allowed");
  });
});
