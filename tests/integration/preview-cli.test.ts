import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FeedError } from "../../src/feeds/errors.js";
import { previewFeed } from "../../src/feeds/preview.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";

const ROOT = join(import.meta.dirname, "../..");
const fixture = (name: string) => readFileSync(join(ROOT, "tests/fixtures/feeds", name), "utf8");
const NOW = Date.parse("2026-11-28T12:00:00Z");

let server: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
  server.set("/news.xml", { body: fixture("rss2.xml") });
  server.set("/atom.xml", { body: fixture("atom.xml"), contentType: "application/atom+xml" });
  server.set("/gone.xml", { status: 404, body: "not here", contentType: "text/plain" });
});
afterAll(() => server.close());

/** Runs the CLI the way `npm run preview` does (tsx), without blocking this process's feed server. */
function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      join(ROOT, "node_modules/.bin/tsx"),
      ["src/cli/preview.ts", ...args],
      { cwd: ROOT, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe("previewFeed", () => {
  it("prints one JSON object per item with exactly key, title, link, summary, published", async () => {
    const lines = await previewFeed(server.urlFor("/news.xml"), { now: NOW });
    expect(lines).toHaveLength(3);
    const items = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const item of items) expect(Object.keys(item)).toEqual(["key", "title", "link", "summary", "published"]);
    expect(items[0]).toMatchObject({
      title: "Parliament passes the budget",
      link: "https://news.example.com/2026/11/budget",
      summary: "The vote was 312 to 290.",
      published: "2026-11-27T09:30:00.000Z",
    });
    expect(items[0]?.key).toMatch(/^preview:/);
    // a relative link comes out absolute, against the URL the feed was fetched from
    expect(items[2]).toMatchObject({ link: server.urlFor("/2026/11/relative"), published: null });
    expect(new Set(items.map((i) => i.key)).size).toBe(3);
  });

  it("shows HTML titles as plain text and unreadable dates as null", async () => {
    const items = (await previewFeed(server.urlFor("/atom.xml"), { now: NOW })).map((l) => JSON.parse(l));
    expect(items[0]).toMatchObject({ title: "Rates held at 4%", link: "https://atom.example.net/2026/rates" });
    expect(items[2]).toMatchObject({ title: "A date nobody can read", published: null });
  });

  it("fails with a FeedError for the preview source", async () => {
    const err = await previewFeed(server.urlFor("/gone.xml")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedError);
    expect((err as FeedError).message).toBe("source preview: HTTP 404");
  });
});

describe("npm run preview", () => {
  it("prints JSON lines and exits 0", async () => {
    const r = await runCli(["--", server.urlFor("/news.xml")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[1]!)).toMatchObject({ title: "Storm closes the coast road", published: "2026-11-27T07:15:00.000Z" });
  });

  it("exits 1 with one line on stderr when the feed fails, and with a usage line without a URL", async () => {
    const [failed, usage] = await Promise.all([runCli([server.urlFor("/gone.xml")]), runCli([])]);
    expect(failed).toEqual({ code: 1, stdout: "", stderr: "preview: source preview: HTTP 404\n" });
    expect(usage).toEqual({ code: 1, stdout: "", stderr: "usage: npm run preview -- <feed-url>\n" });
  });

  it("exits 1 with one line on stderr for an unknown option", async () => {
    const r = await runCli(["--nope", server.urlFor("/news.xml")]);
    expect(r).toEqual({ code: 1, stdout: "", stderr: "preview: unknown option --nope; usage: npm run preview -- <feed-url>\n" });
  });
});
