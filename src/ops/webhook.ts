import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Bot, type Context, webhookCallback } from "grammy";
import { Counter, type Registry } from "prom-client";
import type { Logger } from "../log.js";

export type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** A wrong secret is logged at most this often: a scanner posting all day must not flood the log. */
export const WRONG_SECRET_LOG_EVERY_MS = 60_000;

/**
 * Telegram's webhook posts, for the ops server: the secret header checked
 * first (constant-time; wrong or missing → 401, logged once a minute with
 * how many since), then grammY's webhookCallback (its own secret check too),
 * which answers 200 when the update is handled. A handler still running
 * after 10 s makes it answer an error, so Telegram sends the update again
 * and the update log (one run per update id) keeps it from running twice.
 */
export function webhookHandler<C extends Context>(
  bot: Bot<C>,
  o: { secret: string; logger: Pick<Logger, "warn" | "error">; clock?: () => number; metrics?: Registry },
): WebhookHandler {
  const clock = o.clock ?? Date.now;
  // Per process: with several behind a load balancer, Prometheus sums them to what Telegram posted.
  const posts = new Counter({
    name: "newsbot_webhook_posts_total",
    help: "Telegram's webhook posts this process took: accepted (handled), refused (wrong secret), failed (not handled in time)",
    labelNames: ["outcome"],
    registers: o.metrics ? [o.metrics] : [],
  });
  const expected = Buffer.from(o.secret);
  const grammy = webhookCallback(bot, "http", { secretToken: o.secret, timeoutMilliseconds: 10_000 });
  let lastLog = Number.NEGATIVE_INFINITY;
  let refused = 0;
  return (req, res) => {
    const header = req.headers["x-telegram-bot-api-secret-token"];
    const given = Buffer.from(typeof header === "string" ? header : "");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      refused++;
      posts.inc({ outcome: "refused" });
      if (clock() - lastLog >= WRONG_SECRET_LOG_EVERY_MS) {
        o.logger.warn({ refused, from: req.socket.remoteAddress }, "webhook: a post with a wrong or missing secret refused (401)");
        lastLog = clock();
        refused = 0;
      }
      res.writeHead(401, { "content-type": "text/plain; charset=utf-8" });
      res.end("wrong secret\n");
      return;
    }
    void Promise.resolve(grammy(req, res))
      .then(() => posts.inc({ outcome: "accepted" }))
      .catch((err: unknown) => {
        posts.inc({ outcome: "failed" });
        o.logger.error(
          { err: err instanceof Error ? err.message : String(err) },
          "webhook: an update was not handled in time (Telegram sends it again)",
        );
        if (!res.headersSent) {
          res.writeHead(500);
          res.end();
        }
      });
  };
}
