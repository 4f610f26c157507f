/**
 * npm run bench:poll — poll cycles, measured, each case in a fresh child
 * process so that one case's heap never shows up in another's peak.
 *
 * Every case's feeds come from a server in a process of its own (so the CPU
 * and memory figures are the poller's alone), every feed on its own loopback
 * address (127.0.0.2, 127.0.0.3, …: Linux routes all of 127/8 to lo, and
 * `*.localhost` names do not resolve here) so the poller's per-host
 * politeness treats them as the distinct sites they stand for. Redis is a
 * private redis-server on a unix socket.
 *
 * many — N feeds (default 1,000) of ~50 KB each (50 items, bench/feed-fixture.ts),
 *        every answer after 100 ms. Cycles, each a full `poller.poll()`:
 *          1. first poll: every feed 200, every item new (stored as backlog)
 *          2. every feed answers 304 (ETag)
 *          3. every feed changed: 200, one new item each among 49 known
 * big — one feed of 10,000 items (~8 MB), re-read every poll, as the app
 *        wires it: the related index fed by the poll (onStored), then the
 *        fan-out (planning, and delivery to 20 chats through a stub Bot API).
 *          1. first poll of the new source (backlog), then its fan-out
 *          2–3. the feed changed: one new item, then its fan-out
 * big-fresh — the same feed, but every item new news: the source was polled
 *        before, and all 10,000 items were published since its last success
 *        (what a feed that grew from a handful to 10,000 items looks like).
 *          1. the poll, then the first fan-out
 *
 * Each phase (a poll, a fan-out) reports wall and CPU time, its peak RSS
 * (VmHWM, reset before the phase through /proc/self/clear_refs), the largest
 * heap seen (sampled every 10 ms, so a lower bound) and the heap after GC.
 *
 * Options: --only=many,big,big-fresh --sources=N --latency=MS --items=N
 * (the many case) --big-items=N; POLL_CONCURRENCY as for the bot.
 */

import { type ChildProcess, fork } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { Api } from "grammy";
import { type Config, parseConfig, type Source } from "../src/config.js";
import { createFormatter } from "../src/delivery/formatter.js";
import { createDelivery } from "../src/delivery/index.js";
import type { SendApi } from "../src/delivery/send-api.js";
import { silentLogger } from "../src/log.js";
import { createNewsService } from "../src/news/service.js";
import { createPoller, type PollReport } from "../src/poll/poller.js";
import { createStores } from "../src/store/index.js";
import { createRedis } from "../src/store/redis.js";
import { startPrivateRedis } from "../tests/support/redis.js";
import { feedXml } from "./feed-fixture.js";

const CASES = ["many", "big", "big-fresh"] as const;
type CaseName = (typeof CASES)[number];

interface Options {
  sources: number;
  latencyMs: number;
  items: number;
  bigItems: number;
  only: CaseName[];
}

function options(argv: string[]): Options {
  // strict: false — the children get --case / --serve besides these.
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: {
      sources: { type: "string" },
      latency: { type: "string" },
      items: { type: "string" },
      "big-items": { type: "string" },
      only: { type: "string" },
    },
  });
  const get = (name: "sources" | "latency" | "items" | "big-items", def: number) => {
    const v = values[name];
    const n = typeof v === "string" ? Number(v) : def;
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
    return n;
  };
  const only = typeof values.only === "string" ? values.only.split(",").map((s) => s.trim()) : [...CASES];
  for (const c of only) if (!CASES.includes(c as CaseName)) throw new Error(`--only: no case "${c}" (${CASES.join(", ")})`);
  return {
    sources: get("sources", 1000),
    latencyMs: get("latency", 100),
    items: get("items", 50),
    bigItems: get("big-items", 10_000),
    only: only as CaseName[],
  };
}

/** Feed i lives on 127.0.x.y, skipping .0 and .255 host parts. */
function addressOf(i: number): string {
  const j = i + 1; // 127.0.0.1 stays free for everything else
  const n = Math.floor(j / 254) * 256 + (j % 254) + 1;
  return `127.0.${Math.floor(n / 256)}.${n % 256}`;
}

/* ------------------------------------------------------------ the server */

interface ServeOptions {
  feeds: number;
  items: number;
  latencyMs: number;
  stepMs: number;
  sentences: number;
}

function serveOptions(argv: string[]): ServeOptions {
  const { values } = parseArgs({ args: argv, strict: false });
  const n = (name: string) => Number(values[name]);
  return { feeds: n("feeds"), items: n("items"), latencyMs: n("latency"), stepMs: n("step"), sentences: n("sentences") };
}

function serve(opts: ServeOptions) {
  let version = 0;
  // The newest item a minute old, the oldest items × stepMs before that.
  const t0 = Date.now() - 60_000 - opts.items * opts.stepMs;
  // Generated up front, so the server's own CPU never shows up as feed latency.
  let bodies: Buffer[] = [];
  const generate = () => {
    bodies = Array.from({ length: opts.feeds }, (_, i) =>
      Buffer.from(feedXml(i, { first: version, count: opts.items, t0, stepMs: opts.stepMs, sentences: opts.sentences })),
    );
  };
  generate();
  let requests = 0;
  let notModified = 0;
  const server = http.createServer((req, res) => {
    requests++;
    const m = /^\/feed\/(\d+)\.xml$/.exec(req.url ?? "");
    const i = m ? Number(m[1]) : -1;
    setTimeout(() => {
      if (i < 0 || i >= opts.feeds) return void res.writeHead(404).end();
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
    for (let i = 0; i < opts.feeds; i++) {
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

/* ------------------------------------------------------------ measuring */

function ask<T>(child: ChildProcess, msg: object | null, key: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (m: Record<string, unknown>) => {
      if (key in m) {
        child.off("message", on);
        child.off("exit", gone);
        resolve(m as T);
      }
    };
    const gone = (code: number | null) => reject(new Error(`child exited (${code}) before answering "${key}"`));
    child.on("message", on);
    child.once("exit", gone);
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

/** Resets VmHWM to the current RSS (Linux ≥ 4.0), so it then holds the peak of what follows. */
function resetHwm(): boolean {
  try {
    writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

interface Phase {
  name: string;
  wallS: number;
  cpuS: number;
  /** CPU used meanwhile by redis-server and by the feed server, for context */
  redisCpuS: number | null;
  serverCpuS: number | null;
  /** the phase's peak RSS: VmHWM reset before it, else the largest sample */
  peakRssMb: number;
  /** the largest heapUsed sampled every 10 ms: a lower bound (a synchronous parse is never sampled midway) */
  peakHeapMb: number;
  /** live heap once the phase's garbage is collected (needs --expose-gc, as npm run bench:poll gives): shows what is kept */
  heapAfterGcMb: number | null;
  poll?: Omit<PollReport, "errors"> & { firstErrors: string[] };
  fanout?: { planned: number; cutShort: boolean; messages: number };
}

interface Meter {
  redisPid: number | undefined;
  serverPid: number | undefined;
}

async function measure<T>(meter: Meter, name: string, run: () => Promise<T>): Promise<{ phase: Phase; value: T }> {
  global.gc?.();
  const exact = resetHwm();
  let peakRss = process.memoryUsage.rss();
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const sampler = setInterval(sample, 10);
  const cpu0 = process.cpuUsage();
  const redis0 = procCpuS(meter.redisPid);
  const server0 = procCpuS(meter.serverPid);
  const t0 = performance.now();
  const value = await run();
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(sampler);
  sample();
  const hwm = exact ? vmHwmMb() : null;
  global.gc?.();
  const redis1 = procCpuS(meter.redisPid);
  const server1 = procCpuS(meter.serverPid);
  return {
    value,
    phase: {
      name,
      wallS: round(wallS, 2),
      cpuS: round((cpu.user + cpu.system) / 1e6, 2),
      redisCpuS: redis0 === null || redis1 === null ? null : round(redis1 - redis0, 2),
      serverCpuS: server0 === null || server1 === null ? null : round(server1 - server0, 2),
      peakRssMb: hwm ?? mb(peakRss),
      peakHeapMb: mb(peakHeap),
      heapAfterGcMb: global.gc ? mb(process.memoryUsage().heapUsed) : null,
    },
  };
}

function pollSummary(r: PollReport): Phase["poll"] {
  const { errors, ...report } = r;
  return { ...report, firstErrors: errors.slice(0, 3) };
}

/* ------------------------------------------------------------ the cases */

interface CaseResult {
  case: CaseName;
  description: string;
  feedBytes: number;
  /** RSS once set up, before the first poll (modules, Redis clients, the delivery's workers): the floor under every phase */
  rssBeforeMb: number;
  phases: Phase[];
  served: { requests: number; notModified: number };
}

function benchConfig(): Config {
  const parsed = parseConfig({ BOT_TOKEN: "1:bench-token-not-a-real-one-0000", POLL_CONCURRENCY: process.env.POLL_CONCURRENCY });
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed.config;
}

async function withServer<T>(serve: ServeOptions, body: (server: ChildProcess, port: number, feedBytes: number) => Promise<T>): Promise<T> {
  const args = ["--serve", `--feeds=${serve.feeds}`, `--items=${serve.items}`, `--latency=${serve.latencyMs}`];
  const child = fork(import.meta.filename, [...args, `--step=${serve.stepMs}`, `--sentences=${serve.sentences}`], { stdio: "inherit" });
  try {
    const ready = await ask<{ port: number; feedBytes: number }>(child, null, "ready");
    return await body(child, ready.port, ready.feedBytes);
  } finally {
    child.kill();
  }
}

const bench = (sources: Source[], config: Config, stores: ReturnType<typeof createStores>) =>
  createPoller({
    sources: () => sources,
    items: stores.items,
    health: stores.health,
    logger: silentLogger,
    fetch: { timeoutMs: config.fetchTimeoutMs, maxBytes: config.fetchMaxBytes },
    concurrency: config.pollConcurrency,
    maxFailures: config.sourceMaxFailures,
  });

async function manyCase(opts: Options): Promise<CaseResult> {
  const config = benchConfig();
  const redisServer = await startPrivateRedis();
  const redis = createRedis(redisServer.url);
  try {
    return await withServer(
      { feeds: opts.sources, items: opts.items, latencyMs: opts.latencyMs, stepMs: 60_000, sentences: 3 },
      async (server, port, feedBytes) => {
        const sources = sourcesOn(opts.sources, port);
        const stores = createStores(redis, "bench:");
        const poller = bench(sources, config, stores);
        const meter = { redisPid: redisServer.process.pid, serverPid: server.pid };
        global.gc?.();
        const rssBeforeMb = mb(process.memoryUsage.rss());
        const phases: Phase[] = [];
        const cycle = async (name: string) => {
          const { phase, value } = await measure(meter, name, () => poller.poll());
          phases.push({ ...phase, poll: pollSummary(value) });
        };
        await cycle("full (first poll, all 200, all new)");
        await cycle("all 304");
        await ask(server, { cmd: "bump" }, "bumped");
        await cycle("all changed (200, 1 new item each)");
        return {
          case: "many",
          description: `${opts.sources} sources × ${Math.round(feedBytes / 1024)} KB (${opts.items} items), ${opts.latencyMs} ms latency, POLL_CONCURRENCY=${config.pollConcurrency}`,
          feedBytes,
          rssBeforeMb,
          phases,
          served: await ask<{ requests: number; notModified: number }>(server, { cmd: "stats" }, "requests"),
        };
      },
    );
  } finally {
    await redis.quit().catch(() => redis.disconnect());
    await redisServer.stop();
  }
}

function sourcesOn(n: number, port: number): Source[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `bench-${i}`,
    name: `Bench ${i}`,
    url: `http://${addressOf(i)}:${port}/feed/${i}.xml`,
    enabled: true,
  }));
}

const FANOUT_CHATS = 20;

/** One 10,000-item feed, polled and fanned out as the app does it (src/app.ts): index fed on store, then planning and delivery. */
async function bigCase(opts: Options, fresh: boolean): Promise<CaseResult> {
  const config = benchConfig();
  const redisServer = await startPrivateRedis();
  const redis = createRedis(redisServer.url, { maxRetriesPerRequest: null });
  // 30 s apart: 10,000 items span 3.5 days, the newest a minute old.
  const stepMs = 30_000;
  try {
    return await withServer({ feeds: 1, items: opts.bigItems, latencyMs: 20, stepMs, sentences: 2 }, async (server, port, feedBytes) => {
      const prefix = "bench:";
      const sources = sourcesOn(1, port);
      const stores = createStores(redis, prefix);
      const news = createNewsService({ items: stores.items, sources: () => sources });
      let messages = 0;
      const api: SendApi = {
        sendMessage: async () => ({ ok: true, result: { message_id: 1000 + ++messages } }),
        editMessageText: async (_c, id) => ({ ok: true, result: { message_id: id } }),
      };
      const delivery = createDelivery({
        redis,
        prefix,
        stores,
        api,
        botApi: new Api("1:bench-token-not-a-real-one-0000", { apiRoot: "http://127.0.0.1:9" }),
        format: createFormatter(),
        relatedFor: async (item) => news.relatedFor(item),
        prepareFanout: () => news.sync(),
        merge: {
          windowMs: config.sameStoryMergeHours * 3600_000,
          earlier: (item) => news.sameStoryEarlier(item, config.sameStoryMergeHours * 3600_000),
          resembles: (item, root) => news.resembles(item, root),
        },
        langOf: () => "en",
        logger: silentLogger,
        timezone: config.timezone,
        rate: 1_000_000,
        paidBroadcast: false,
        paidRate: 1000,
        digestThreshold: config.digestThreshold,
      });
      const poller = createPoller({
        sources: () => sources,
        items: stores.items,
        health: stores.health,
        logger: silentLogger,
        fetch: { timeoutMs: config.fetchTimeoutMs, maxBytes: config.fetchMaxBytes },
        concurrency: config.pollConcurrency,
        maxFailures: config.sourceMaxFailures,
        onStored: (items) => news.add(items),
      });
      // The timeline exists and FANOUT_CHATS chats wait at its head for what comes next.
      await stores.items.ingest("bench-setup", []);
      for (let i = 0; i < FANOUT_CHATS; i++) {
        await stores.subscribers.add({ chatId: 20_000_000 + i, kind: "private", since: Date.now() });
        await stores.chats.start(20_000_000 + i, await stores.chats.planned());
      }
      if (fresh) {
        // Polled before, last successfully before the oldest item was published: every item is news.
        await stores.items.ingest(sources[0]!.id, []);
        const oldest = Date.now() - 60_000 - opts.bigItems * stepMs;
        await stores.health.recordSuccess(sources[0]!.id, { at: oldest - 3600_000, newItems: 0, next: null });
      }
      await news.load();
      delivery.start();

      const meter = { redisPid: redisServer.process.pid, serverPid: server.pid };
      global.gc?.();
      const rssBeforeMb = mb(process.memoryUsage.rss());
      const phases: Phase[] = [];
      const cycle = async (name: string) => {
        const polled = await measure(meter, `${name}: poll`, () => poller.poll());
        phases.push({ ...polled.phase, poll: pollSummary(polled.value) });
        const sent0 = messages;
        const fanned = await measure(meter, `${name}: fan-out`, () => fanOut(delivery));
        phases.push({ ...fanned.phase, fanout: { ...fanned.value, messages: messages - sent0 } });
      };
      try {
        if (fresh) {
          await cycle("every item new");
        } else {
          await cycle("first poll (backlog)");
          await ask(server, { cmd: "bump" }, "bumped");
          await cycle("re-read (1 new item)");
          await ask(server, { cmd: "bump" }, "bumped");
          await cycle("re-read (1 new item)");
        }
      } finally {
        await delivery.close();
      }
      return {
        case: fresh ? "big-fresh" : "big",
        description: fresh
          ? `1 source × ${(feedBytes / 1024 / 1024).toFixed(1)} MB (${opts.bigItems} items), every item new news; fan-out to ${FANOUT_CHATS} chats`
          : `1 source × ${(feedBytes / 1024 / 1024).toFixed(1)} MB (${opts.bigItems} items), re-read every poll; fan-out to ${FANOUT_CHATS} chats`,
        feedBytes,
        rssBeforeMb,
        phases,
        served: await ask<{ requests: number; notModified: number }>(server, { cmd: "stats" }, "requests"),
      };
    });
  } finally {
    await redis.quit().catch(() => redis.disconnect());
    await redisServer.stop();
  }
}

/** A fan-out is cut short after this long: planning 10,000 stories takes many minutes. */
const FANOUT_LIMIT_MS = 120_000;

/**
 * Planning passes until one finds nothing new (a pass can stop early, when
 * its lease lapses), then deliveries until no chat waits or is being
 * delivered to — all within FANOUT_LIMIT_MS.
 */
async function fanOut(delivery: ReturnType<typeof createDelivery>): Promise<{ planned: number; cutShort: boolean }> {
  const until = Date.now() + FANOUT_LIMIT_MS;
  let planned = 0;
  for (;;) {
    if (Date.now() > until) return { planned, cutShort: true };
    const { stories } = await delivery.planner.run();
    if (stories === 0) break;
    planned += stories;
  }
  for (;;) {
    const s = await delivery.stats();
    if (s.chats.waiting + s.chats.active === 0) return { planned, cutShort: false };
    if (Date.now() > until) return { planned, cutShort: true };
    await new Promise((r) => setTimeout(r, 50));
  }
}

/* ------------------------------------------------------------ the report */

function print(r: CaseResult) {
  console.log(`${r.case}: ${r.description}; ${r.rssBeforeMb} MB RSS before the first poll`);
  for (const p of r.phases) {
    const what = p.poll
      ? `ok ${p.poll.ok} 304 ${p.poll.notModified} failed ${p.poll.failed} new ${p.poll.newItems} backlog ${p.poll.backlog}`
      : p.fanout
        ? `planned ${p.fanout.planned}, ${p.fanout.messages} messages${p.fanout.cutShort ? ` (cut short after ${FANOUT_LIMIT_MS / 1000} s)` : ""}`
        : "";
    console.log(
      `  ${p.name.padEnd(38)} wall ${p.wallS.toFixed(2).padStart(6)} s   cpu ${p.cpuS.toFixed(2).padStart(6)} s   peak rss ${String(p.peakRssMb).padStart(4)} MB` +
        `   heap ≥ ${String(p.peakHeapMb).padStart(4)} MB   ${what}` +
        `   (heap after gc ${p.heapAfterGcMb ?? "?"} MB; redis-server cpu ${p.redisCpuS ?? "?"} s, feed server cpu ${p.serverCpuS ?? "?"} s)`,
    );
    if (p.poll?.firstErrors.length) console.log(`    errors: ${p.poll.firstErrors.join(" | ")}`);
  }
  console.log(
    `  peak rss over the phases: ${Math.max(...r.phases.map((p) => p.peakRssMb))} MB; server answered ${r.served.requests} requests (${r.served.notModified} × 304)`,
  );
}

function verdicts(results: CaseResult[]) {
  const verdict = (ok: boolean) => (ok ? "meets" : "MISSES");
  const many = results.find((r) => r.case === "many");
  if (many) {
    const [full, cached, changed] = many.phases as [Phase, Phase, Phase];
    const peak = Math.max(...many.phases.map((p) => p.peakRssMb));
    console.log(`targets (many): cycle ≤ 10 s: ${verdict(full.wallS <= 10 && changed.wallS <= 10)} (${full.wallS} s / ${changed.wallS} s)`);
    console.log(
      `                all-304 ≤ 3 s and ≤ 1 CPU-s: ${verdict(cached.wallS <= 3 && cached.cpuS <= 1)} (${cached.wallS} s, ${cached.cpuS} CPU-s)`,
    );
    console.log(`                peak RSS ≤ 200 MB: ${verdict(peak <= 200)} (${peak} MB)`);
  }
  for (const r of results.filter((x) => x.case !== "many")) {
    const peak = Math.max(...r.phases.map((p) => p.peakRssMb));
    console.log(`targets (${r.case}): peak RSS < 250 MB, polls and fan-outs: ${verdict(peak < 250)} (${peak} MB)`);
  }
}

async function runCase(name: CaseName, opts: Options): Promise<CaseResult> {
  if (name === "many") return manyCase(opts);
  return bigCase(opts, name === "big-fresh");
}

async function main(opts: Options) {
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "?"}, node ${process.version}, ${os.platform()} ${os.release()}`;
  console.log(`poll bench — machine: ${machine}`);
  const results: CaseResult[] = [];
  for (const name of opts.only) {
    const child = fork(import.meta.filename, [`--case=${name}`, ...process.argv.slice(2)], { stdio: "inherit" });
    const { result } = await ask<{ result: CaseResult }>(child, null, "result");
    await new Promise((r) => child.once("exit", r));
    print(result);
    results.push(result);
  }
  verdicts(results);
  console.log(JSON.stringify({ bench: "poll", ...opts, machine, results }));
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const argv = process.argv.slice(2);
const caseArg = /^--case=(.+)$/.exec(argv.find((a) => a.startsWith("--case=")) ?? "")?.[1];
if (argv.includes("--serve")) serve(serveOptions(argv));
else if (caseArg) {
  runCase(caseArg as CaseName, options(argv)).then(
    (result) => process.send!({ result }, () => process.exit(0)),
    (err: unknown) => {
      console.error(`bench:poll ${caseArg} failed: ${(err as Error).stack ?? err}`);
      process.exit(1);
    },
  );
} else
  main(options(argv)).catch((err: unknown) => {
    console.error(`bench:poll failed: ${(err as Error).message}`);
    process.exitCode = 1;
  });
