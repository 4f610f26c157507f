import type { UserFromGetMe } from "grammy/types";
import { sleep as realSleep } from "../infra/sleep.js";
import { StartupError } from "../infra/startup-error.js";
import type { Logger } from "../log.js";
import { type ProbeResult, probeBotApi } from "./api-probe.js";

export interface WaitOptions {
  logger: Logger;
  /** between attempts while the Bot API cannot be reached */
  retryMs?: number;
  /** between "still waiting" lines: calm, but never silent */
  remindEveryMs?: number;
  probe?: (apiRoot: string, token: string) => Promise<ProbeResult>;
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
}

/**
 * Start-up's getMe: says at once what it waits for when the Bot API cannot
 * be reached and keeps saying it every `remindEveryMs`; a refused token or
 * an address that is not a Bot API is a configuration error (StartupError).
 */
export async function waitForBotApi(apiRoot: string, token: string, opts: WaitOptions): Promise<UserFromGetMe> {
  const probe = opts.probe ?? ((root, t) => probeBotApi(root, t));
  const sleep = opts.sleep ?? realSleep;
  const clock = opts.clock ?? Date.now;
  const retryMs = opts.retryMs ?? 5000;
  const remindEveryMs = opts.remindEveryMs ?? 60_000;
  const started = clock();
  let lastSaid: number | null = null;
  for (;;) {
    const r = await probe(apiRoot, token);
    switch (r.kind) {
      case "ok":
        if (lastSaid !== null)
          opts.logger.info({ apiRoot, waitedS: Math.round((clock() - started) / 1000) }, "telegram: the Bot API answers");
        return r.me;
      case "rejected":
        throw new StartupError(`BOT_TOKEN was rejected by the Bot API at ${apiRoot} (${r.detail}): check the token from @BotFather`);
      case "not-bot-api":
        throw new StartupError(`TELEGRAM_API_ROOT ${apiRoot} answers, but not as a Bot API (${r.detail}): check the address`);
      case "unreachable": {
        const now = clock();
        if (lastSaid === null || now - lastSaid >= remindEveryMs) {
          lastSaid = now;
          opts.logger.warn(
            { apiRoot, err: r.detail, waitedS: Math.round((now - started) / 1000), retryEveryS: Math.round(retryMs / 1000) },
            "telegram: cannot reach the Bot API, waiting for it (check the network or TELEGRAM_API_ROOT)",
          );
        }
        await sleep(retryMs);
      }
    }
  }
}
