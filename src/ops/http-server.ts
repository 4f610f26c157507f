import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { Logger } from "../log.js";
import type { WebAppHandler } from "../webapp/api.js";
import type { WebhookHandler } from "./webhook.js";

/** What /readyz asks: each check answers true, or the reason it is not ready. */
export interface Readiness {
  redis: () => Promise<true | string>;
  telegram: () => true | string;
}

export interface OpsServerDeps {
  metrics: Registry;
  readiness: Readiness;
  logger: Pick<Logger, "info" | "warn">;
  /** a check that takes longer than this counts as failed (default 2 s) */
  checkTimeoutMs?: number;
  /** webhook mode: Telegram's POSTs to this path go to the bot */
  webhook?: { path: string; handle: WebhookHandler };
  /** PUBLIC_URL set: the settings Mini App under /app/ */
  webapp?: WebAppHandler;
}

export interface OpsServer {
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T | string> =>
  Promise.race([p, new Promise<string>((resolve) => setTimeout(() => resolve(`${what}: no answer within ${ms} ms`), ms).unref())]);

/**
 * The operator's HTTP server (HTTP_PORT): `/healthz` — the process is up
 * and its event loop answers (200); `/readyz` — Redis answers a PING and the
 * Bot API answered this process recently (200, else 503 with the reasons,
 * one per line); `/metrics` — Prometheus text format; in webhook mode,
 * POSTs to the webhook's path go to the bot; with PUBLIC_URL, the settings
 * Mini App under /app/. Anything else 404; only GET and HEAD.
 */
export function createOpsServer(deps: OpsServerDeps): OpsServer {
  const timeout = deps.checkTimeoutMs ?? 2000;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const send = (status: number, body: string, type = "text/plain; charset=utf-8") => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (deps.webhook && path === deps.webhook.path) {
      if (req.method === "POST") return deps.webhook.handle(req, res);
      return send(405, "method not allowed\n");
    }
    if (deps.webapp?.(req, res, path ?? "/")) return;
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed\n");
    void (async () => {
      if (path === "/healthz") return send(200, "ok\n");
      if (path === "/readyz") {
        const redis = await withTimeout(
          deps.readiness.redis().catch((e: unknown) => `redis: ${String(e)}`),
          timeout,
          "redis",
        );
        const telegram = deps.readiness.telegram();
        const problems = [redis, telegram].filter((r): r is string => r !== true);
        return problems.length ? send(503, `${problems.join("\n")}\n`) : send(200, "ready\n");
      }
      if (path === "/metrics") return send(200, await deps.metrics.metrics(), deps.metrics.contentType);
      send(404, "not found\n");
    })().catch((err: unknown) => {
      deps.logger.warn({ path, err: err instanceof Error ? err.message : String(err) }, "ops: a request failed");
      if (!res.headersSent) send(500, "internal error\n");
    });
  });
  return {
    listen: (port, host = "0.0.0.0") =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const actual = (server.address() as AddressInfo).port;
          deps.logger.info({ port: actual }, "ops: /healthz, /readyz and /metrics are served");
          resolve(actual);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** The Bot API counts as reachable when it answered this process within `withinMs` and is not known to be down. */
export function telegramReadiness(
  health: { reachable(): boolean; lastOkAt(): number | null },
  withinMs: number,
  clock: () => number = Date.now,
): () => true | string {
  return () => {
    const last = health.lastOkAt();
    if (!health.reachable()) return "telegram: the Bot API is unreachable";
    if (last === null) return "telegram: no Bot API call has succeeded yet";
    if (clock() - last > withinMs) return `telegram: no Bot API answer for ${Math.round((clock() - last) / 1000)} s`;
    return true;
  };
}
