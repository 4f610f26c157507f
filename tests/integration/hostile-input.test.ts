import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Source } from "../../src/config.js";
import { FeedError } from "../../src/feeds/errors.js";
import { type ReadFeedOptions, readFeed } from "../../src/feeds/read-feed.js";
import { silentLogger } from "../../src/log.js";
import { normalizeFeed } from "../../src/news/normalize.js";
import { createPoller } from "../../src/poll/poller.js";
import { createStores } from "../../src/store/index.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { testRedis } from "../support/redis-client.js";
import { rss } from "../support/rss.js";

/**
 * Issue 6's hostile-input checklist, each case served by the local feed
 * server. tests/integration/fetch.test.ts and tests/unit/parse.test.ts cover
 * the rest of the list (redirect loop, endless body, gzip bomb with
 * Content-Encoding, HTML page, image, empty body); this file fills the gaps
 * and ends with all of them at once in one poll.
 */

const FIXTURES = join(import.meta.dirname, "../fixtures/feeds");
const opts: ReadFeedOptions = { timeoutMs: 5_000, maxBytes: 1024 * 1024 };
const NOW = Date.parse("2026-11-27T12:00:00Z");

let server: FeedServer;
/** A file an external entity would try to pull into the feed. */
let secretPath: string;
const SECRET = `secret-${randomUUID()}`;

beforeAll(async () => {
  server = await startFeedServer();
  const dir = mkdtempSync(join(tmpdir(), "newsbot-xxe-"));
  secretPath = join(dir, "secret.txt");
  writeFileSync(secretPath, SECRET);
});
afterAll(() => server.close());

async function failure(path: string, o: Partial<ReadFeedOptions> = {}): Promise<FeedError> {
  const err = await readFeed({ id: "hostile", url: server.urlFor(path) }, { ...opts, ...o }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FeedError);
  const fe = err as FeedError;
  expect(fe.message).not.toMatch(/[\r\n]/);
  return fe;
}

/** What a subscriber could get from the feed: title, link, published. */
async function stories(path: string) {
  const r = await readFeed({ id: "s", url: server.urlFor(path) }, opts);
  if (r.status !== "ok") throw new Error(`expected a feed, got ${r.status}`);
  return normalizeFeed(r.feed, { id: "s", name: "S", url: r.finalUrl }, NOW).items.map(({ title, link, published }) => ({
    title,
    link,
    published,
  }));
}

describe("entities", () => {
  it("refuses an external entity without reading the file it names", async () => {
    const doc = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://${secretPath}">]>
<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title><link>https://x.example/1</link></item></channel></rss>`;
    server.set("/hostile/xxe", { body: doc });
    const started = Date.now();
    const err = await failure("/hostile/xxe");
    expect(err).toMatchObject({ kind: "refused", reason: "refused: document declares entities" });
    expect(Date.now() - started).toBeLessThan(500);
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain(SECRET);
  });

  it("refuses a parameter-entity XXE and an entity pointing at a URL", async () => {
    server.set("/hostile/xxe-param", {
      body: `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % remote SYSTEM "${server.urlFor("/hostile/evil.dtd")}"> %remote;]><rss version="2.0"><channel><title>x</title></channel></rss>`,
    });
    expect((await failure("/hostile/xxe-param")).kind).toBe("refused");
    // the parser never went to fetch the DTD
    expect(server.hits("/hostile/evil.dtd")).toBe(0);
  });

  it("refuses billion laughs quickly, gzipped or not, without expanding it", async () => {
    const lol = readFileSync(join(FIXTURES, "billion-laughs.xml"));
    server.set("/hostile/lol", { body: lol, contentType: "application/rss+xml" });
    server.set("/hostile/lol-gz", { body: lol, contentType: "application/rss+xml", encoding: "gzip" });
    for (const path of ["/hostile/lol", "/hostile/lol-gz"]) {
      const started = Date.now();
      const err = await failure(path);
      expect(err.reason).toBe("refused: document declares entities");
      expect(Date.now() - started).toBeLessThan(500);
    }
  });
});

describe("bodies that never end", () => {
  it("gives up on a body that trickles one byte a second and closes the socket", async () => {
    let closedAt = 0;
    let bytes = 0;
    server.handle("/hostile/drip", (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/rss+xml" });
      const doc = Buffer.from(rss("drip", []));
      const timer = setInterval(() => res.write(doc.subarray(bytes, ++bytes)), 1000);
      res.write(doc.subarray(0, ++bytes));
      res.on("close", () => {
        clearInterval(timer);
        closedAt = Date.now();
      });
    });
    const started = Date.now();
    const err = await failure("/hostile/drip", { timeoutMs: 1_500 });
    expect(err).toMatchObject({ kind: "timeout", reason: "timed out after 1.5 s" });
    expect(bytes).toBeLessThanOrEqual(3);
    // the server sees the connection go away: nothing is left reading
    const deadline = Date.now() + 1_000;
    while (!closedAt && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(closedAt).toBeGreaterThan(0);
    expect(closedAt - started).toBeLessThan(2_500);
  });
});

describe("compression bombs", () => {
  const bomb = Buffer.alloc(20 * 1024 * 1024, 0x20);

  it("caps a gzip bomb served as a plain file, without Content-Encoding", async () => {
    server.set("/hostile/bomb.xml.gz", { body: gzipSync(bomb), contentType: "application/xml" });
    expect(await failure("/hostile/bomb.xml.gz")).toMatchObject({ kind: "too-large", reason: "body over 1 MB once decompressed" });
  });

  it("caps a deflate bomb", async () => {
    const packed = deflateSync(bomb);
    expect(packed.length).toBeLessThan(64 * 1024);
    server.set("/hostile/bomb-deflate", { body: packed, headers: { "Content-Encoding": "deflate" }, contentType: "application/rss+xml" });
    expect((await failure("/hostile/bomb-deflate")).kind).toBe("too-large");
  });
});

describe("answers that are not feeds", () => {
  it("refuses an HTML page that claims to be RSS, and an image that claims to be XML", async () => {
    server.set("/hostile/lying-html", {
      body: "<!DOCTYPE html><html><head><title>Home</title></head><body>Welcome</body></html>",
      contentType: "application/rss+xml",
    });
    server.set("/hostile/lying-png", {
      body: Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      contentType: "text/xml",
    });
    expect((await failure("/hostile/lying-html")).reason).toBe("not a feed (HTML page)");
    expect((await failure("/hostile/lying-png")).reason).toBe("not a feed (image/png)");
  });

  it("refuses a page that redirects to itself", async () => {
    server.redirect("/hostile/self", "/hostile/self", 301);
    expect(await failure("/hostile/self")).toMatchObject({
      kind: "redirects",
      reason: `redirect loop at ${server.urlFor("/hostile/self")}`,
    });
  });
});

describe("feeds rss-parser gets wrong", () => {
  it("keeps the good entries of an Atom feed with a garbage <updated>", async () => {
    server.set("/hostile/atom-dates", {
      contentType: "application/atom+xml",
      body: `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
        <entry><id>1</id><title>Dated</title><link href="https://a.example/1"/><updated>2026-11-27T10:00:00Z</updated></entry>
        <entry><id>2</id><title>Undated</title><link href="https://a.example/2"/><updated>sometime last week</updated></entry>
        <entry><id>3</id><title>Empty date</title><link href="https://a.example/3"/><updated></updated></entry>
      </feed>`,
    });
    expect(await stories("/hostile/atom-dates")).toEqual([
      { title: "Dated", link: "https://a.example/1", published: "2026-11-27T10:00:00.000Z" },
      { title: "Undated", link: "https://a.example/2", published: null },
      { title: "Empty date", link: "https://a.example/3", published: null },
    ]);
  });

  it("reads <rss> without a version", async () => {
    server.set("/hostile/no-version", {
      body: `<rss><channel><title>Old</title><item><title>Still news</title><link>https://o.example/1</link></item></channel></rss>`,
    });
    expect(await stories("/hostile/no-version")).toEqual([{ title: "Still news", link: "https://o.example/1", published: null }]);
  });

  it("falls back when namespace prefixes leave rss-parser with no items", async () => {
    server.set("/hostile/prefixed-rss2", {
      body: `<?xml version="1.0"?><x:rss xmlns:x="http://backend.userland.com/rss2" version="2.0"><x:channel><x:title>T</x:title>
        <x:item><x:title>Prefixed one</x:title><x:link>https://q.example/1</x:link><x:pubDate>Fri, 27 Nov 2026 09:00:00 GMT</x:pubDate></x:item>
        <x:item><x:title>Prefixed two</x:title><x:link>https://q.example/2</x:link></x:item></x:channel></x:rss>`,
    });
    server.set("/hostile/prefixed-atom", {
      contentType: "application/atom+xml",
      body: `<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:title>P</a:title><a:entry><a:id>urn:1</a:id><a:title>Atom under a prefix</a:title><a:link href="https://p.example/1"/></a:entry></a:feed>`,
    });
    expect((await stories("/hostile/prefixed-rss2")).map((s) => s.title)).toEqual(["Prefixed one", "Prefixed two"]);
    expect(await stories("/hostile/prefixed-atom")).toEqual([
      { title: "Atom under a prefix", link: "https://p.example/1", published: null },
    ]);
  });

  it("reads RSS 1.0 whose elements carry an rss: prefix", async () => {
    server.set("/hostile/rdf-prefixed", {
      contentType: "application/rdf+xml",
      body: `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rss="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <rss:channel rdf:about="https://r.example/"><rss:title>Prefixed RDF</rss:title><rss:link>https://r.example/</rss:link></rss:channel>
        <rss:item rdf:about="https://r.example/1"><rss:title>First</rss:title><rss:link>https://r.example/1</rss:link><dc:date>2026-11-26T18:00:00+01:00</dc:date></rss:item>
        <rss:item rdf:about="https://r.example/2"><rss:title>Second</rss:title><rss:link>https://r.example/2</rss:link></rss:item>
      </rdf:RDF>`,
    });
    expect((await stories("/hostile/rdf-prefixed")).map((s) => [s.title, s.link])).toEqual([
      ["First", "https://r.example/1"],
      ["Second", "https://r.example/2"],
    ]);
  });

  it("validates JSON Feed with its schema: bad fields dropped, bad items skipped, a non-feed refused", async () => {
    server.set("/hostile/json", {
      contentType: "application/feed+json",
      body: JSON.stringify({
        version: "https://jsonfeed.org/version/1.1",
        title: "J",
        items: [
          { id: 1, url: "https://j.example/1", title: "Good item", date_published: "2026-11-27T08:00:00Z" },
          "not an item",
          { id: "2", url: "https://j.example/2", title: 42, content_text: "A title of the wrong type is dropped" },
          { id: { nested: true }, url: ["https://j.example/3"], title: "No usable link" },
        ],
      }),
    });
    server.set("/hostile/json-not-feed", { contentType: "application/json", body: JSON.stringify({ version: "2", items: [] }) });
    expect(await stories("/hostile/json")).toEqual([
      { title: "Good item", link: "https://j.example/1", published: "2026-11-27T08:00:00.000Z" },
      { title: "A title of the wrong type is dropped", link: "https://j.example/2", published: null },
    ]);
    expect((await failure("/hostile/json-not-feed")).reason).toBe("not a feed (JSON that is not a JSON Feed)");
  });
});

describe("all of it in one poll", () => {
  it("records each hostile source's error and still ingests the good one", async () => {
    const { redis } = testRedis();
    try {
      server.set("/all/xxe", {
        body: `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://${secretPath}">]><rss version="2.0"><channel><title>&xxe;</title></channel></rss>`,
      });
      server.set("/all/lol", { body: readFileSync(join(FIXTURES, "billion-laughs.xml")), contentType: "application/rss+xml" });
      server.set("/all/bomb.xml.gz", { body: gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20)), contentType: "application/xml" });
      server.set("/all/html", { body: "<!DOCTYPE html><html><body>Welcome</body></html>", contentType: "application/rss+xml" });
      server.redirect("/all/self", "/all/self", 301);
      server.set("/all/json", { contentType: "application/json", body: `{"version":"2","items":[]}` });
      server.set("/all/good", { body: rss("Good", [{ guid: "g1", title: "A normal story", link: "https://good.example/1" }]) });
      const paths = ["/all/xxe", "/all/lol", "/all/bomb.xml.gz", "/all/html", "/all/self", "/all/json", "/all/good"];
      const sources: Source[] = paths.map((p, i) => ({ id: `h${i}`, name: p, url: server.urlFor(p), enabled: true }));
      const stores = createStores(redis, `hostile${randomUUID().slice(0, 8)}:`);
      const poller = createPoller({
        sources: () => sources,
        items: stores.items,
        health: stores.health,
        logger: silentLogger,
        fetch: { timeoutMs: 3_000, maxBytes: 1024 * 1024 },
        concurrency: 4,
        maxFailures: 20,
        politeness: { perHost: 4, spacingMs: 0, jitterMs: 0 },
      });
      const started = Date.now();
      const report = await poller.poll();
      expect(report).toMatchObject({ ok: 1, failed: 6, backlog: 1 });
      expect(Date.now() - started).toBeLessThan(3_000);
      const health = await stores.health.allHealth();
      expect(health.map((h) => [h.sourceId, h.lastError?.kind ?? "ok"])).toEqual([
        ["h0", "refused"],
        ["h1", "refused"],
        ["h2", "too-large"],
        ["h3", "not-a-feed"],
        ["h4", "redirects"],
        ["h5", "not-a-feed"],
        ["h6", "ok"],
      ]);
      expect((await stores.items.latest(5)).map((i) => i.title)).toEqual(["A normal story"]);
    } finally {
      await redis.quit();
    }
  });
});
