import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The real bot as a child process (`npm start`'s command), configured only
 * through its environment, with its JSON log lines collected for waiting on.
 */
export interface BotProcess {
  logs: Array<Record<string, unknown>>;
  stderr: () => string;
  waitForLog(pred: (line: Record<string, unknown>) => boolean, timeoutMs?: number, from?: number): Promise<Record<string, unknown>>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  child: ChildProcess;
  /** the process has not exited */
  running(): boolean;
  /** log lines at level error or worse (pino: ≥ 50), optionally from index `from` on */
  errors(from?: number): Array<Record<string, unknown>>;
}

/** A source in the SOURCES_FILE a test bot reads. */
export interface TestSource {
  id: string;
  name: string;
  url: string;
  lang?: string;
}

export interface TestBotEnvOptions {
  token: string;
  apiRoot: string;
  redisUrl: string;
  /** REDIS_PREFIX: each test file its own */
  prefix: string;
  sources: TestSource[];
  adminIds?: number[];
  /** anything else (overrides the defaults) */
  extra?: Record<string, string>;
}

/**
 * The environment of a bot under test: its sources in a temp SOURCES_FILE,
 * a poll every second, debug logs, a temp DATA_DIR.
 */
export function testBotEnv(opts: TestBotEnvOptions): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), "newsbot-e2e-"));
  const sourcesFile = join(dir, "sources.json");
  writeFileSync(sourcesFile, JSON.stringify({ sources: opts.sources }));
  return {
    BOT_TOKEN: opts.token,
    TELEGRAM_API_ROOT: opts.apiRoot,
    REDIS_URL: opts.redisUrl,
    REDIS_PREFIX: opts.prefix,
    ADMIN_IDS: (opts.adminIds ?? []).join(","),
    SOURCES_FILE: sourcesFile,
    POLL_CRON: "* * * * * *",
    DATA_DIR: join(dir, "data"),
    LOG_LEVEL: "debug",
    ...opts.extra,
  };
}

/** `args`: node arguments that run the bot (default: tsx as a loader on src/main.ts; bench:memory also runs dist/). */
export function startBotProcess(env: Record<string, string>, args?: string[]): BotProcess {
  const root = process.cwd();
  // tsx as a loader inside one node process (not its CLI, which forks a
  // second one): a SIGKILL then really kills the bot, leaving no orphan.
  const child = spawn(process.execPath, args ?? ["--import", "tsx", join(root, "src/main.ts")], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Array<Record<string, unknown>> = [];
  let buf = "";
  let err = "";
  child.stdout!.on("data", (d) => {
    buf += String(d);
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ msg: line, unparsed: true });
      }
    }
  });
  child.stderr!.on("data", (d) => (err += String(d)));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));

  return {
    logs,
    child,
    stderr: () => err,
    running: () => child.exitCode === null && child.signalCode === null,
    errors: (from = 0) => logs.slice(from).filter((l) => typeof l.level === "number" && l.level >= 50),
    async waitForLog(pred, timeoutMs = 15_000, from = 0) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = logs.slice(from).find(pred);
        if (hit) return hit;
        if (child.exitCode !== null) throw new Error(`bot exited (${child.exitCode}): ${err.slice(-2000)}`);
        if (Date.now() > deadline) {
          throw new Error(
            `no matching log line in ${timeoutMs} ms; last lines:\n${logs
              .slice(-8)
              .map((l) => JSON.stringify(l))
              .join("\n")}\n${err.slice(-1000)}`,
          );
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * SIGKILL for real: the bot and anything it started (none today, but a
 * future child must not outlive a crash test). Returns the pids killed.
 */
export async function killHard(p: BotProcess): Promise<number[]> {
  const tree = (pid: number): number[] => {
    let kids: number[] = [];
    try {
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        kids = kids.concat(readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(/\s+/).filter(Boolean).map(Number));
      }
    } catch {
      // gone already
    }
    return kids.flatMap((k) => [...tree(k), k]);
  };
  const pids = [...tree(p.child.pid!), p.child.pid!];
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
  await p.stop("SIGKILL");
  return pids;
}
