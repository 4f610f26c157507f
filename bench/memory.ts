/**
 * npm run bench:memory — the bot's resident memory after start, run the two
 * ways an operator can: `npm start` (TypeScript through tsx) and
 * `npm run start:prod` (compiled JavaScript in dist/, built first by this
 * script). Each runs against the fake Bot API, a local feed server with the
 * shipped number of sources and a private Redis, polls once, and is sampled
 * 5 s after its first poll finished (peak and current RSS from /proc).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { startBotProcess } from "../tests/support/bot-process.js";
import { startFakeTelegram } from "../tests/support/fake-telegram.js";
import { startFeedServer } from "../tests/support/feed-server.js";
import { startPrivateRedis } from "../tests/support/redis.js";
import { rss } from "../tests/support/rss.js";

const TOKEN = "123456:bench-memory-token_abcdefghij";
const root = process.cwd();
execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });

const redis = await startPrivateRedis();
const tg = await startFakeTelegram();
const feeds = await startFeedServer();
const dir = mkdtempSync(join(tmpdir(), "newsbot-mem-"));
const items = Array.from({ length: 30 }, (_, i) => ({
  guid: `g${i}`,
  title: `Story number ${i} about the regional economy and its ports`,
  link: `https://news.example/${i}`,
  description: "A paragraph of summary text that says what happened, where and why it matters to readers.",
  pubDate: new Date(Date.now() - i * 60_000),
}));
const sources = Array.from({ length: 8 }, (_, i) => ({ id: `s${i}`, name: `Source ${i}`, url: feeds.urlFor(`/f${i}.xml`) }));
for (let i = 0; i < 8; i++) feeds.set(`/f${i}.xml`, () => ({ body: rss(`Source ${i}`, items) }));
writeFileSync(join(dir, "sources.json"), JSON.stringify({ sources }));

function rss_kb(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { now: kb("VmRSS"), peak: kb("VmHWM") };
}

async function measure(label: string, args: string[], prefix: string) {
  const p = startBotProcess(
    {
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: tg.apiRoot,
      REDIS_URL: redis.url,
      REDIS_PREFIX: prefix,
      SOURCES_FILE: join(dir, "sources.json"),
      ALLOW_PRIVATE_SOURCES: "true",
      LOG_LEVEL: "info",
    },
    args,
  );
  await p.waitForLog((l) => l.msg === "poll: run finished", 60_000);
  await new Promise((r) => setTimeout(r, 5000));
  const m = rss_kb(p.child.pid!);
  await p.stop("SIGTERM");
  console.log(`${label.padEnd(34)} RSS ${(m.now / 1024).toFixed(0)} MB, peak ${(m.peak / 1024).toFixed(0)} MB`);
  return m;
}

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, Node ${process.version}`);
const dev = await measure("npm start (tsx)", ["--import", "tsx", join(root, "src/main.ts")], "memdev:");
const prod = await measure("npm run start:prod (dist/)", ["--enable-source-maps", join(root, "dist/src/main.js")], "memprod:");
console.log(`difference: ${((dev.now - prod.now) / 1024).toFixed(0)} MB (${Math.round((100 * (dev.now - prod.now)) / dev.now)} %)`);
await tg.close();
await feeds.close();
await redis.stop();
process.exit(0);
