import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A private redis-server on a unix socket in a temp dir: tests never touch a
 * Redis they did not start (not even the one on 6379).
 */
export interface PrivateRedis {
  url: string;
  socket: string;
  stop(): Promise<void>;
  /** Simulates an outage: kills the server; start() brings it back on the same socket. */
  process: ChildProcess;
}

function waitForSocket(path: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const c = createConnection(path);
      c.once("connect", () => {
        c.end();
        resolve();
      });
      c.once("error", () => {
        c.destroy();
        if (Date.now() > deadline) reject(new Error(`redis-server did not open ${path} in ${timeoutMs} ms`));
        else setTimeout(attempt, 20);
      });
    };
    attempt();
  });
}

export async function startPrivateRedis(opts: { dir?: string; appendonly?: boolean } = {}): Promise<PrivateRedis> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), "newsbot-redis-"));
  const socket = join(dir, "redis.sock");
  const child = spawn(
    "redis-server",
    [
      "--port",
      "0",
      "--unixsocket",
      socket,
      "--unixsocketperm",
      "700",
      "--save",
      "",
      "--appendonly",
      opts.appendonly ? "yes" : "no",
      "--dir",
      dir,
      "--loglevel",
      "warning",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += String(d)));
  const spawnError = new Promise<never>((_, reject) =>
    child.once("error", (e) => reject(new Error(`cannot start redis-server (${e.message}); install it: apt-get install -y redis-server`))),
  );
  await Promise.race([waitForSocket(socket, 10_000), spawnError]).catch((e) => {
    child.kill("SIGKILL");
    throw new Error(`${(e as Error).message}${stderr ? `: ${stderr.trim()}` : ""}`);
  });
  return {
    url: `unix://${socket}`,
    socket,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
