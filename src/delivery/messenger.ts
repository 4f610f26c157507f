import type { InlineKeyboardMarkup, LinkPreviewOptions } from "grammy/types";
import { type ApiAnswer, NetworkError, type SendApi } from "./send-api.js";

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
  /**
   * 5xx or network trouble: worth another attempt later. `network`: no
   * answer at all (not a 5xx); `maybeSent` when Telegram may have taken it
   * (no answer to a request that went out), `timedOut` when that was a wait
   * for the answer that ran out (not a connection dropped)
   */
  | { kind: "transient"; reason: string; network?: boolean; maybeSent?: boolean; timedOut?: boolean }
  /** Telegram refused this message itself (e.g. can't parse entities): retrying won't help */
  | { kind: "rejected"; reason: string }
  /** an edit found no message to change (deleted by the user, too old): send a new one instead */
  | { kind: "uneditable"; reason: string };

const GONE = /blocked|deactivated|kicked|not a member|can't initiate|chat not found|have no rights to send|user not found/i;

/** Turns a refusal from the Bot API into what delivery should do next. */
export function classifyRefusal(a: Extract<ApiAnswer, { ok: false }>): Exclude<SendOutcome, { kind: "sent" | "uneditable" }> {
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
  /** no sound (quiet hours): disable_notification */
  silent?: boolean;
  /** how long to wait for the answer */
  timeoutMs?: number;
}

/** One sendMessage, no retries and no pacing (the queue and the limiter do those). */
export async function sendOnce(api: SendApi, chatId: number, msg: Outgoing, opts: SendOptions = {}): Promise<SendOutcome> {
  const { text, ...rest } = msg;
  const other: Record<string, unknown> = { ...rest };
  if (opts.paid) other.allow_paid_broadcast = true;
  if (opts.silent) other.disable_notification = true;
  let answer: ApiAnswer;
  try {
    answer = await api.sendMessage(chatId, text, other, { timeoutMs: opts.timeoutMs });
  } catch (err) {
    if (err instanceof NetworkError) {
      return { kind: "transient", reason: err.message, network: true, maybeSent: err.maybeSent, timedOut: err.timedOut };
    }
    throw err;
  }
  return answer.ok ? { kind: "sent", messageId: answer.result.message_id } : classifyRefusal(answer);
}

/** The message already says exactly this: an edit that was done before (a retried job). */
const NOT_MODIFIED = /message is not modified/i;
/** The message to edit is not there any more, or may no longer be edited. */
const UNEDITABLE = /message to edit not found|message can't be edited|message_id_invalid/i;

/**
 * One editMessageText of a message the bot sent, no retries. "Not modified"
 * counts as done: the text is already what we want.
 */
export async function editOnce(
  api: SendApi,
  chatId: number,
  messageId: number,
  msg: Outgoing,
  opts: Pick<SendOptions, "timeoutMs"> = {},
): Promise<SendOutcome> {
  const { text, ...other } = msg;
  let answer: ApiAnswer;
  try {
    answer = await api.editMessageText(chatId, messageId, text, other, { timeoutMs: opts.timeoutMs });
  } catch (err) {
    if (err instanceof NetworkError) return { kind: "transient", reason: err.message, network: true };
    throw err;
  }
  if (answer.ok) return { kind: "sent", messageId };
  if (answer.error_code === 400 && NOT_MODIFIED.test(answer.description)) return { kind: "sent", messageId };
  if (answer.error_code === 400 && UNEDITABLE.test(answer.description)) return { kind: "uneditable", reason: answer.description };
  return classifyRefusal(answer);
}
