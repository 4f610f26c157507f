import type { InlineKeyboardMarkup, LinkPreviewOptions } from "grammy/types";
import { NetworkError, type ApiAnswer, type SendApi } from "./send-api.js";

export interface Outgoing {
  text: string;
  parse_mode?: "HTML";
  link_preview_options?: LinkPreviewOptions;
  reply_markup?: InlineKeyboardMarkup;
}

export type SendOutcome =
  /** accepted by Telegram */
  | { kind: "sent"; messageId: number }
  /** the chat is gone for good (blocked, deactivated, kicked, not found): unsubscribe it */
  | { kind: "gone"; reason: string }
  /** the group became a supergroup: send again to the new id */
  | { kind: "migrated"; to: number }
  /** flood limit: nobody should send for `retryAfterMs` */
  | { kind: "flood"; retryAfterMs: number; reason: string }
  /** 5xx or network trouble: worth another attempt later */
  | { kind: "transient"; reason: string }
  /** Telegram refused this message itself (e.g. can't parse entities): retrying won't help */
  | { kind: "rejected"; reason: string };

const GONE = /blocked|deactivated|kicked|not a member|can't initiate|chat not found|have no rights to send|user not found/i;

/** Turns a refusal from the Bot API into what delivery should do next. */
export function classifyRefusal(a: Extract<ApiAnswer, { ok: false }>): Exclude<SendOutcome, { kind: "sent" }> {
  const code = a.error_code;
  const desc = a.description;
  if (code === 429) {
    return { kind: "flood", retryAfterMs: Math.max(1, a.parameters?.retry_after ?? 1) * 1000, reason: desc };
  }
  const to = a.parameters?.migrate_to_chat_id;
  if (to !== undefined) return { kind: "migrated", to };
  if (code === 403 || (code === 400 && GONE.test(desc))) return { kind: "gone", reason: desc };
  if (code >= 500) return { kind: "transient", reason: desc };
  return { kind: "rejected", reason: desc };
}

export interface SendOptions {
  /** broadcasts in paid mode (Telegram Stars): up to 1000 msg/s */
  paid?: boolean;
}

/** One sendMessage, no retries and no pacing (the queue and the limiter do those). */
export async function sendOnce(api: SendApi, chatId: number, msg: Outgoing, opts: SendOptions = {}): Promise<SendOutcome> {
  const { text, ...other } = msg;
  let answer: ApiAnswer;
  try {
    answer = await api.sendMessage(chatId, text, opts.paid ? { ...other, allow_paid_broadcast: true } : other);
  } catch (err) {
    if (err instanceof NetworkError) return { kind: "transient", reason: err.message };
    throw err;
  }
  return answer.ok ? { kind: "sent", messageId: answer.result.message_id } : classifyRefusal(answer);
}
