import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, inject, it } from "vitest";

const root = process.cwd();
// tsx as a loader in the bot's own process (a kill leaves no orphan), found from the project, not the temp cwd.
const TSX_LOADER = pathToFileURL(join(root, "node_modules/tsx/dist/loader.mjs")).href;

/** Runs `npm start`'s command in an empty dir (no .env) with only the given env. */
function start(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "newsbot-start-"));
  const r = spawnSync(process.execPath, [join(root, "node_modules/tsx/dist/cli.mjs"), join(root, "src/main.ts")], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { dir, code: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe("startup with bad configuration", () => {
  it("exits 1 with one line pointing to @BotFather when BOT_TOKEN is missing", () => {
    const r = start({});
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/BOT_TOKEN: missing: get a token from @BotFather/);
  });

  it("exits 1 with one line per sources problem and no stack trace", () => {
    const dir = mkdtempSync(join(tmpdir(), "newsbot-src-"));
    const file = join(dir, "sources.json");
    writeFileSync(
      file,
      JSON.stringify({
        sources: [
          { id: "ok", name: "Ok", url: "https://x.example/rss" },
          { id: "ok", name: "Dup", url: "not a url" },
        ],
      }),
    );
    const r = start({ BOT_TOKEN: "123456:ABCdefGhIJKlmnoPQRstuVWXyz_0123456", SOURCES_FILE: file });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(r.stderr).toContain("sources[1].url: Invalid URL");
    expect(r.stderr).toContain('sources[1].id: duplicate id "ok"');
    expect(r.stderr).not.toMatch(/\bat \S+:\d+/);
  });

  it("says so when the sources file does not exist", () => {
    const r = start({ BOT_TOKEN: "123456:ABCdefGhIJKlmnoPQRstuVWXyz_0123456", SOURCES_FILE: "./missing.json" });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe("newsbot: SOURCES_FILE ./missing.json: file not found");
  });
});

describe("startup when Redis or the Bot API is not there", () => {
  const TOKEN = "123456:ABCdefGhIJKlmnoPQRstuVWXyz_0123456";

  it("a REDIS_URL that never answers is a configuration error after REDIS_CONNECT_TIMEOUT_MS: one line, exit 1", () => {
    const r = start({
      BOT_TOKEN: TOKEN,
      SOURCES_FILE: join(root, "sources.json"),
      REDIS_URL: "unix:///nonexistent/redis.sock",
      REDIS_CONNECT_TIMEOUT_MS: "1000",
      LOG_LEVEL: "silent",
    });
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^newsbot: redis: no answer from unix:\/\/\/nonexistent\/redis\.sock within 1 s/);
    expect(r.stderr).not.toMatch(/\bat \S+:\d+/);
  });

  it("a TELEGRAM_API_ROOT that answers but is not a Bot API is a configuration error", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html><body>Welcome to nginx!</body></html>");
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    const port = (server.address() as AddressInfo).port;
    try {
      const r = await startAsync({
        BOT_TOKEN: TOKEN,
        SOURCES_FILE: join(root, "sources.json"),
        TELEGRAM_API_ROOT: `http://127.0.0.1:${port}`,
        REDIS_URL: inject("redisUrl"),
        LOG_LEVEL: "silent",
      });
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/TELEGRAM_API_ROOT http:\/\/127\.0\.0\.1:\d+ answers, but not as a Bot API \(HTTP 200, text\/html/);
    } finally {
      server.close();
    }
  });

  it("an unreachable Bot API is said within seconds, with what it waits for", async () => {
    const child = spawn(process.execPath, ["--import", TSX_LOADER, join(root, "src/main.ts")], {
      cwd: mkdtempSync(join(tmpdir(), "newsbot-start-")),
      env: {
        PATH: process.env.PATH ?? "",
        BOT_TOKEN: TOKEN,
        SOURCES_FILE: join(root, "sources.json"),
        TELEGRAM_API_ROOT: "http://127.0.0.1:9",
        REDIS_URL: inject("redisUrl"),
        REDIS_PREFIX: "startup-unreachable:",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += String(d)));
    const started = Date.now();
    try {
      while (!out.includes("cannot reach the Bot API") && Date.now() - started < 15_000) await new Promise((r) => setTimeout(r, 50));
      const line = out.split("\n").find((l) => l.includes("cannot reach the Bot API"));
      expect(line, out).toBeDefined();
      const parsed = JSON.parse(line ?? "{}");
      expect(parsed.apiRoot).toBe("http://127.0.0.1:9");
      expect(parsed.level).toBe(40);
      // A configuration summary and the Redis in use came before it.
      expect(out).toMatch(/"redis: connected"/);
    } finally {
      child.kill("SIGKILL");
    }
  });
});

/** Like start(), without blocking this process (a server in this test must answer). */
function startAsync(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), "newsbot-start-"));
  const child = spawn(process.execPath, ["--import", TSX_LOADER, join(root, "src/main.ts")], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += String(d)));
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  return new Promise((ok) =>
    child.once("exit", (code) => {
      clearTimeout(timer);
      ok({ code, stderr });
    }),
  );
}
