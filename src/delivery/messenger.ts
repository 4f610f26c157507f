import { GrammyError, HttpError, type Api } from "grammy";
import type { InlineKeyboardMarkup, LinkPreviewOptions } from "grammy/types";
import type { Logger } from "../log.js";
import { sleep, type Pacer } from "./pacer.js";

export interface Outgoing {
  text: string;
  parse_mode?: "HTML";
  link_preview_options?: LinkPreviewOptions;
  reply_markup?: InlineKeyboardMarkup;
}

export type SendOutcome =
  /** accepted by Telegram; chatId is the id it went to: a different one means the group was upgraded and the caller should move its records */
  | { kind: "sent"; chatId: number; messageId: number }
  /** the chat is gone for good (blocked, deactivated, kicked, not found): unsubscribe it */
  | { kind: "gone"; reason: string }
  /** Telegram refused this message itself (e.g. can't parse entities): retrying won't help */
  | { kind: "rejected"; reason: string }
  /** a transient failure that outlived the retries (5xx, network), or shutdown: try again later */
  | { kind: "failed"; reason: string }
  | { kind: "stopped" };

export interface MessengerOptions {
  api: Api;
  pacer: Pacer;
  logger: Logger;
  /** attempts for transient errors (5xx, network) */
  maxAttempts?: number;
  /** base for exponential backoff (ms) */
  backoffMs?: number;
  /** 429s get this many extra waits before the message is left for later */
  max429?: number;
}

export interface Messenger {
  send(chatId: number, msg: Outgoing): Promise<SendOutcome>;
  /** no new sends start; sleeping ones give up */
  stop(): void;
  readonly stopped: boolean;
}

const GONE_403 = /blocked|deactivated|kicked|not a member|can't initiate|chat not found|have no rights to send/i;

/**
 * Sends one message under the pacer's flood limits and turns every Telegram
 * answer into one of a few outcomes the delivery code can act on.
 */
export function createMessenger(opts: MessengerOptions): Messenger {
  const { api, pacer, logger } = opts;
  const maxAttempts = opts.maxAttempts ?? 4;
  const backoffMs = opts.backoffMs ?? 1000;
  const max429 = opts.max429 ?? 5;
  const abort = new AbortController();

  async function send(chatIdIn: number, msg: Outgoing): Promise<SendOutcome> {
    let chatId = chatIdIn;
    let transient = 0;
    let floods = 0;
    let migrations = 0;
    for (;;) {
      if (abort.signal.aborted) return { kind: "stopped" };
      await sleep(pacer.reserve(chatId), abort.signal);
      if (abort.signal.aborted) return { kind: "stopped" };
      try {
        const { text, ...other } = msg;
        const m = await api.sendMessage(chatId, text, other);
        return { kind: "sent", chatId, messageId: m.message_id };
      } catch (err) {
        if (err instanceof GrammyError) {
          const code = err.error_code;
          const desc = err.description;
          if (code === 429) {
            const ms = Math.max(1, err.parameters.retry_after ?? 1) * 1000;
            logger.warn({ chatId, retryAfterMs: ms }, "telegram: flood limit (429), pausing sends");
            pacer.pauseAll(ms);
            if (++floods > max429) return { kind: "failed", reason: desc };
            continue;
          }
          const to = err.parameters.migrate_to_chat_id;
          if (to !== undefined && migrations++ < 2) {
            logger.info({ from: chatId, to }, "telegram: group upgraded to supergroup, resending to the new id");
            chatId = to;
            continue;
          }
          if (code === 403 || (code === 400 && GONE_403.test(desc))) return { kind: "gone", reason: desc };
          if (code >= 500) {
            if (++transient >= maxAttempts) return { kind: "failed", reason: desc };
            await sleep(backoffMs * 2 ** (transient - 1), abort.signal);
            continue;
          }
          return { kind: "rejected", reason: desc };
        }
        if (err instanceof HttpError) {
          if (++transient >= maxAttempts) return { kind: "failed", reason: err.message };
          await sleep(backoffMs * 2 ** (transient - 1), abort.signal);
          continue;
        }
        throw err;
      }
    }
  }

  return {
    send,
    stop: () => abort.abort(),
    get stopped() {
      return abort.signal.aborted;
    },
  };
}
