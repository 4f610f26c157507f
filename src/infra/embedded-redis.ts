import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { resolve } from "node:path";

/** true when something answers a Redis PING at host:port within the timeout */
export function redisAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const sock = createConnection({ host, port });
    const finish = (ok: boolean) => {
      sock.destroy();
      done(ok);
    };
    sock.setTimeout(timeoutMs, () => finish(false));
    sock.once("error", () => finish(false));
    sock.once("connect", () => sock.write("PING\r\n"));
    sock.once("data", (d) => finish(String(d).startsWith("+PONG") || String(d).startsWith("-NOAUTH")));
  });
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => res(port));
    });
  });
}

export class RedisNotInstalledError extends Error {}

export interface EmbeddedRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a redis-server child for a first run with nothing configured: data
 * in `dataDir` with the append-only file on, so subscribers and seen items
 * survive a restart. Bound to 127.0.0.1 on a free port.
 */
export async function startEmbeddedRedis(dataDir: string): Promise<EmbeddedRedis> {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    ["--bind", "127.0.0.1", "--port", String(port), "--dir", dir, "--appendonly", "yes", "--save", "", "--protected-mode", "yes"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += String(d)));
  await new Promise<void>((ok, fail) => {
    child.once("error", (e: NodeJS.ErrnoException) => fail(e.code === "ENOENT" ? new RedisNotInstalledError("redis-server not found") : e));
    child.once("exit", (code) => fail(new Error(`redis-server exited with code ${code}: ${stderr.trim().split("\n").at(-1) ?? ""}`)));
    const deadline = Date.now() + 10_000;
    const probe = async () => {
      if (await redisAnswers("127.0.0.1", port)) return ok();
      if (Date.now() > deadline) return fail(new Error("redis-server did not answer within 10 s"));
      setTimeout(probe, 50);
    };
    void probe();
  });
  child.removeAllListeners("exit");
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    },
  };
}
