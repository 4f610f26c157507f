/**
 * npm run bench:poll — one poll cycle over many sources, measured.
 *
 * A child process serves N feeds (default 1,000) of ~50 KB each (50 items
 * with realistic titles and summaries), every answer after 100 ms, each
 * feed on its own loopback address (127.0.0.2, 127.0.0.3, …: Linux routes
 * all of 127/8 to lo, and `*.localhost` names do not resolve here) so the
 * poller's per-host politeness treats them as the distinct sites they
 * stand for. The server runs in its own process so that the CPU figures
 * are the poller's alone. Redis is a private redis-server on a unix socket.
 *
 * Cycles, each a full `poller.poll()`:
 *   1. first poll: every feed 200, every item new (stored as backlog)
 *   2. every feed answers 304 (ETag)
 *   3. every feed changed: 200, one new item each among 49 known
 *
 * Options: --sources=N --latency=MS --items=N; POLL_CONCURRENCY as for the bot.
 */

import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { parseConfig, type Source } from "../src/config.js";
import { silentLogger } from "../src/log.js";
import { createPoller, type PollReport } from "../src/poll/poller.js";
import { createStores } from "../src/store/index.js";
import { createRedis } from "../src/store/redis.js";
import { startPrivateRedis } from "../tests/support/redis.js";

interface Options {
  sources: number;
  latencyMs: number;
  items: number;
}

function options(argv: string[]): Options {
  // strict: false — the forked server child also gets --serve.
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: { sources: { type: "string" }, latency: { type: "string" }, items: { type: "string" } },
  });
  const get = (name: "sources" | "latency" | "items", def: number) => {
    const v = values[name];
    const n = typeof v === "string" ? Number(v) : def;
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
    return n;
  };
  return { sources: get("sources", 1000), latencyMs: get("latency", 100), items: get("items", 50) };
}

/** Feed i lives on 127.0.x.y, skipping .0 and .255 host parts. */
function addressOf(i: number): string {
  const j = i + 1; // 127.0.0.1 stays free for everything else
  const n = Math.floor(j / 254) * 256 + (j % 254) + 1;
  return `127.0.${Math.floor(n / 256)}.${n % 256}`;
}

/* ------------------------------------------------------------ the server */

const SUBJECTS = [
  "Parliament",
  "The central bank",
  "A regional court",
  "The energy ministry",
  "The city council",
  "The opposition leader",
  "Health officials",
  "Farmers' unions",
  "The port authority",
  "Teachers",
  "The football federation",
  "Rescue teams",
  "The foreign minister",
  "Railway workers",
  "Local election officials",
  "A consortium of banks",
  "Climate scientists",
];
const VERBS = ["approves", "rejects", "delays", "announces", "investigates", "signs", "defends", "questions", "unveils", "suspends"];
const OBJECTS = [
  "the annual budget",
  "a trade deal with its neighbours",
  "plans for a high-speed rail link",
  "new rules on rent increases",
  "an inquiry into hospital waiting times",
  "a ban on single-use plastics",
  "the merger of two national carriers",
  "emergency funding for flooded villages",
  "a reform of the pension system",
  "a deal to reopen the border crossing",
  "tighter controls on short-term lets",
  "a new route for the gas pipeline",
];
const CONTEXTS = [
  "after a night of debate",
  "amid protests in the capital",
  "despite warnings from economists",
  "as talks drag on",
  "weeks before the vote",
  "after a surprise ruling",
  "in a move criticised by rivals",
  "following months of pressure",
];
const SENTENCES = [
  "The decision came after weeks of negotiations between the governing coalition and smaller parties.",
  "Officials said the measures would take effect at the start of next month and be reviewed within a year.",
  "Critics argued that the plan did little to address the underlying problems and would burden households.",
  "Supporters welcomed the move as overdue and said it would bring stability to a sector shaken by recent events.",
  "Independent analysts estimated the cost at several hundred million over the coming five years.",
  "Residents interviewed in the town centre were divided, with some saying they had heard nothing about it.",
  "A spokesperson declined to comment on the details but promised a full statement later in the day.",
  "The announcement follows a similar decision by neighbouring countries earlier this year.",
  "Opposition members walked out of the chamber before the final vote, calling the process rushed.",
  "Markets reacted calmly, with the currency little changed against the euro by the afternoon.",
];

/** mulberry32: the same feeds on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function item(feed: number, k: number, t0: number): string {
  const r = prng(feed * 100_003 + k);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const title = `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(CONTEXTS)}`;
  const paragraphs = Array.from({ length: 2 }, () => `<p>${Array.from({ length: 3 }, () => pick(SENTENCES)).join(" ")}</p>`).join("");
  const link = `https://site${feed}.example/news/${2026}/${k}-${title
    .toLowerCase()
    .replace(/[^a-z]+/g, "-")
    .slice(0, 60)}`;
  return `<item>
  <title>${esc(title)}</title>
  <link>${link}</link>
  <guid isPermaLink="false">site${feed}-story-${k}</guid>
  <pubDate>${new Date(t0 + k * 60_000).toUTCString()}</pubDate>
  <category>${esc(pick(["Politics", "Economy", "World", "Society", "Environment"]))}</category>
  <description>${esc(paragraphs)}</description>
</item>`;
}

function feedXml(feed: number, version: number, items: number, t0: number): string {
  const parts: string[] = [];
  for (let k = version + items - 1; k >= version; k--) parts.push(item(feed, k, t0));
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Site ${feed} News</title><link>https://site${feed}.example/</link>
<description>News from site ${feed}</description><language>en</language>
${parts.join("\n")}
</channel></rss>`;
}

function serve(opts: Options) {
  let version = 0;
  const t0 = Date.now() - 2 * 3600_000;
  // Generated up front, so the server's own CPU never shows up as feed latency.
  let bodies: Buffer[] = [];
  const generate = () => {
    bodies = Array.from({ length: opts.sources }, (_, i) => Buffer.from(feedXml(i, version, opts.items, t0)));
  };
  generate();
  let requests = 0;
  let notModified = 0;
  const server = http.createServer((req, res) => {
    requests++;
    const m = /^\/feed\/(\d+)\.xml$/.exec(req.url ?? "");
    const i = m ? Number(m[1]) : -1;
    setTimeout(() => {
      if (i < 0 || i >= opts.sources) return void res.writeHead(404).end();
      const etag = `"f${i}-v${version}"`;
      if (req.headers["if-none-match"] === etag) {
        notModified++;
        return void res.writeHead(304, { ETag: etag }).end();
      }
      const body = bodies[i]!;
      res.writeHead(200, { "Content-Type": "application/rss+xml; charset=utf-8", "Content-Length": body.length, ETag: etag }).end(body);
    }, opts.latencyMs);
  });
  server.keepAliveTimeout = 1000;
  const listeners: net.Server[] = [];
  let port = 0;
  const listenAll = async () => {
    for (let i = 0; i < opts.sources; i++) {
      const l = net.createServer((socket) => server.emit("connection", socket));
      await new Promise<void>((ok, fail) => {
        l.once("error", fail);
        l.listen(port, addressOf(i), () => ok());
      });
      port ||= (l.address() as net.AddressInfo).port;
      listeners.push(l);
    }
  };
  void listenAll().then(() => {
    const average = Math.round(bodies.reduce((n, b) => n + b.length, 0) / Math.max(1, bodies.length));
    process.send!({ ready: true, port, feedBytes: average });
  });
  process.on("message", (msg: { cmd: string }) => {
    if (msg.cmd === "bump") {
      version++;
      generate();
      process.send!({ bumped: version });
    } else if (msg.cmd === "stats") {
      process.send!({ requests, notModified });
    }
  });
}

/* ------------------------------------------------------------ the bench */

function ask<T>(child: ChildProcess, msg: object | null, key: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: Record<string, unknown>) => {
      if (key in m) {
        child.off("message", on);
        resolve(m as T);
      }
    };
    child.on("message", on);
    if (msg) child.send(msg);
  });
}

/** CPU seconds a process has used so far (Linux: utime + stime from /proc/PID/stat). */
function procCpuS(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function vmHwmMb(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

interface CycleResult {
  name: string;
  wallS: number;
  cpuS: number;
  /** CPU used meanwhile by redis-server and by the feed server, for context */
  redisCpuS: number | null;
  serverCpuS: number | null;
  peakRssMb: number;
  /** live heap once the cycle's garbage is collected (needs --expose-gc, as npm run bench:poll gives): shows nothing is kept */
  heapAfterGcMb: number | null;
  report: Omit<PollReport, "errors"> & { firstErrors: string[] };
}

async function bench(opts: Options) {
  const token = "1:bench-token-not-a-real-one-0000";
  const parsed = parseConfig({ BOT_TOKEN: token, POLL_CONCURRENCY: process.env.POLL_CONCURRENCY });
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  const config = parsed.config;

  const redisServer = await startPrivateRedis();
  const redis = createRedis(redisServer.url);
  const child = fork(import.meta.filename, ["--serve", ...process.argv.slice(2)], { stdio: "inherit" });
  try {
    const ready = await ask<{ port: number; feedBytes: number }>(child, null, "ready");
    const sources: Source[] = Array.from({ length: opts.sources }, (_, i) => ({
      id: `bench-${i}`,
      name: `Bench ${i}`,
      url: `http://${addressOf(i)}:${ready.port}/feed/${i}.xml`,
      enabled: true,
    }));
    const stores = createStores(redis, "bench:");
    const poller = createPoller({
      sources: () => sources,
      items: stores.items,
      health: stores.health,
      logger: silentLogger,
      fetch: { timeoutMs: config.fetchTimeoutMs, maxBytes: config.fetchMaxBytes },
      concurrency: config.pollConcurrency,
      maxFailures: config.sourceMaxFailures,
    });

    const cycle = async (name: string): Promise<CycleResult> => {
      global.gc?.();
      let peak = process.memoryUsage.rss();
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
      const cpu0 = process.cpuUsage();
      const redis0 = procCpuS(redisServer.process.pid);
      const server0 = procCpuS(child.pid);
      const t0 = performance.now();
      const r = await poller.poll();
      const wallS = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage.rss());
      global.gc?.();
      const heapAfterGcMb = global.gc ? Math.round(process.memoryUsage().heapUsed / 1024 / 1024) : null;
      const { errors, ...report } = r;
      const redis1 = procCpuS(redisServer.process.pid);
      const server1 = procCpuS(child.pid);
      return {
        name,
        wallS: round(wallS, 2),
        cpuS: round((cpu.user + cpu.system) / 1e6, 2),
        redisCpuS: redis0 === null || redis1 === null ? null : round(redis1 - redis0, 2),
        serverCpuS: server0 === null || server1 === null ? null : round(server1 - server0, 2),
        peakRssMb: Math.round(peak / 1024 / 1024),
        heapAfterGcMb,
        report: { ...report, firstErrors: errors.slice(0, 3) },
      };
    };

    const results: CycleResult[] = [];
    results.push(await cycle("full (first poll, all 200, all new)"));
    results.push(await cycle("all 304"));
    await ask(child, { cmd: "bump" }, "bumped");
    results.push(await cycle("all changed (200, 1 new item each)"));
    const served = await ask<{ requests: number; notModified: number }>(child, { cmd: "stats" }, "requests");

    const hwm = vmHwmMb();
    const [full, cached, changed] = results as [CycleResult, CycleResult, CycleResult];
    const peakRss = Math.max(...results.map((r) => r.peakRssMb), hwm ?? 0);
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "?"}, node ${process.version}, ${os.platform()} ${os.release()}`;
    console.log(
      `poll bench: ${opts.sources} sources × ${Math.round(ready.feedBytes / 1024)} KB (${opts.items} items), ${opts.latencyMs} ms latency, POLL_CONCURRENCY=${config.pollConcurrency}`,
    );
    console.log(`machine: ${machine}`);
    for (const r of results) {
      const rep = r.report;
      console.log(
        `  ${r.name.padEnd(38)} wall ${r.wallS.toFixed(2).padStart(6)} s   cpu ${r.cpuS.toFixed(2).padStart(6)} s   peak rss ${String(r.peakRssMb).padStart(4)} MB` +
          `   ok ${rep.ok} 304 ${rep.notModified} failed ${rep.failed} new ${rep.newItems} backlog ${rep.backlog}` +
          `   (heap after gc ${r.heapAfterGcMb ?? "?"} MB; redis-server cpu ${r.redisCpuS ?? "?"} s, feed server cpu ${r.serverCpuS ?? "?"} s)`,
      );
      if (rep.firstErrors.length) console.log(`    errors: ${rep.firstErrors.join(" | ")}`);
    }
    console.log(
      `  process peak rss (VmHWM): ${hwm ?? "n/a"} MB; server answered ${served.requests} requests (${served.notModified} × 304)`,
    );
    const verdict = (ok: boolean) => (ok ? "meets" : "MISSES");
    console.log(`targets: cycle ≤ 10 s: ${verdict(full.wallS <= 10 && changed.wallS <= 10)} (${full.wallS} s / ${changed.wallS} s)`);
    console.log(
      `         all-304 ≤ 3 s and ≤ 1 CPU-s: ${verdict(cached.wallS <= 3 && cached.cpuS <= 1)} (${cached.wallS} s, ${cached.cpuS} CPU-s)`,
    );
    console.log(`         peak RSS ≤ 200 MB: ${verdict(peakRss <= 200)} (${peakRss} MB)`);
    console.log(
      JSON.stringify({
        bench: "poll",
        ...opts,
        concurrency: config.pollConcurrency,
        feedBytes: ready.feedBytes,
        machine,
        results,
        vmHwmMb: hwm,
      }),
    );
  } finally {
    child.kill();
    await redis.quit().catch(() => redis.disconnect());
    await redisServer.stop();
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const opts = options(process.argv.slice(2));
if (process.argv.includes("--serve")) serve(opts);
else
  bench(opts).catch((err: unknown) => {
    console.error(`bench:poll failed: ${(err as Error).message}`);
    process.exitCode = 1;
  });
