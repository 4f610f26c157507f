import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = process.cwd();

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
    writeFileSync(file, JSON.stringify({ sources: [{ id: "ok", name: "Ok", url: "https://x.example/rss" }, { id: "ok", name: "Dup", url: "not a url" }] }));
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
