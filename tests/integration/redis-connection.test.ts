import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { connectRedis, type RedisConnection, redactRedisUrl } from "../../src/infra/redis-connection.js";
import { StartupError } from "../../src/infra/startup-error.js";
import { createLogger } from "../../src/log.js";
import { type PrivateRedis, startPrivateRedis } from "../support/redis.js";

function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: "debug", destination: { write: (l: string) => void lines.push(JSON.parse(l)) } });
  return { logger, lines, msgs: () => lines.map((l) => String(l.msg)) };
}

async function until(cond: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("connecting to Redis", () => {
  let server: PrivateRedis | undefined;
  let conn: RedisConnection | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await conn?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    conn = server = dir = undefined;
  });

  it("hides the password of a Redis URL", () => {
    expect(redactRedisUrl("redis://user:s3cret@db.example:6379/2")).toBe("redis://user:***@db.example:6379/2");
    expect(redactRedisUrl("redis://:s3cret@db.example")).toBe("redis://:***@db.example");
    expect(redactRedisUrl("redis://127.0.0.1:6379")).toBe("redis://127.0.0.1:6379");
  });

  it("gives up at start after the timeout with a StartupError naming the address and the cause", async () => {
    const { logger } = recordingLogger();
    const err = await connectRedis("unix:///nonexistent/dir/redis.sock", { logger, timeoutMs: 800, markerKey: "t:instance" }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(StartupError);
    expect(err.message).toMatch(/^redis: no answer from unix:\/\/\/nonexistent\/dir\/redis\.sock within 1 s \(.*ENOENT/);
  });

  it("says once that the connection is lost, once that it is back, and notices a Redis that came back empty", async () => {
    dir = mkdtempSync(join(tmpdir(), "newsbot-conn-"));
    server = await startPrivateRedis({ dir });
    const { logger, lines, msgs } = recordingLogger();
    let lost = 0;
    conn = await connectRedis(server.url, { logger, timeoutMs: 5000, markerKey: "t:instance", onDataLost: () => void lost++ });
    expect(await conn.redis.exists("t:instance")).toBe(1);

    await server.stop(); // no persistence: it comes back empty
    await until(() => msgs().some((m) => m.startsWith("redis: connection lost")));
    await new Promise((r) => setTimeout(r, 1500)); // several failed reconnects
    server = await startPrivateRedis({ dir });
    await until(() => lost === 1);

    const m = msgs();
    expect(m.filter((x) => x.startsWith("redis: connection lost"))).toHaveLength(1);
    expect(m.filter((x) => x === "redis: reconnected")).toHaveLength(1);
    const empty = lines.filter((l) => String(l.msg).startsWith("redis: came back EMPTY"));
    expect(empty).toHaveLength(1);
    expect(empty[0]?.level).toBe(50);
    // The marker is written again, so the next blip is not taken for another loss.
    expect(await conn.redis.exists("t:instance")).toBe(1);
  });

  it("a Redis that kept its data is not reported as empty", async () => {
    dir = mkdtempSync(join(tmpdir(), "newsbot-conn-"));
    server = await startPrivateRedis({ dir, appendonly: true });
    const { logger, msgs } = recordingLogger();
    let lost = 0;
    conn = await connectRedis(server.url, { logger, timeoutMs: 5000, markerKey: "t:instance", onDataLost: () => void lost++ });
    await server.stop();
    server = await startPrivateRedis({ dir, appendonly: true });
    await until(() => msgs().includes("redis: reconnected"));
    await new Promise((r) => setTimeout(r, 200));
    expect(lost).toBe(0);
    expect(msgs().some((x) => x.startsWith("redis: came back EMPTY"))).toBe(false);
  });
});
