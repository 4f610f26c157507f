import type { InlineKeyboardMarkup, LinkPreviewOptions } from "grammy/types";
import type { Translate, Translator } from "../i18n/translator.js";
import type { Logger } from "../log.js";
import type { FormatOptions } from "../news/compose.js";
import { zoneOf } from "../prefs/schedule.js";
import type { ChatPrefs } from "../prefs/types.js";
import type { ChatStateStore } from "../store/chat-state-store.js";
import type { SubKey } from "../store/sub-key.js";
import type { SubscriberStore } from "../store/types.js";
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
  /** the chat is gone for good (blocked, deactivated, kicked, not found, no right to post): unsubscribe all of it */
  | { kind: "gone"; reason: string }
  /** the forum topic the message was for is closed or deleted: unsubscribe that topic only */
  | { kind: "topic-gone"; reason: string }
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

const GONE =
  /blocked|deactivated|kicked|not a member|can't initiate|chat not found|have no rights to send|not enough rights to send|user not found|need administrator rights|chat_write_forbidden/i;
/** A forum topic that was deleted or closed: Telegram's 400 for a message_thread_id it will not post in. */
const TOPIC_GONE = /message thread not found|TOPIC_CLOSED|TOPIC_DELETED/i;

/** Turns a refusal from the Bot API into what delivery should do next. */
export function classifyRefusal(a: Extract<ApiAnswer, { ok: false }>): Exclude<SendOutcome, { kind: "sent" | "uneditable" }> {
  const code = a.error_code;
  const desc = a.description;
  if (code === 429) {
    return { kind: "flood", retryAfterMs: Math.max(1, a.parameters?.retry_after ?? 1) * 1000, reason: desc };
  }
  const to = a.parameters?.migrate_to_chat_id;
  if (to !== undefined) return { kind: "migrated", to };
  if (code === 400 && TOPIC_GONE.test(desc)) return { kind: "topic-gone", reason: desc };
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
  /** a forum topic's message_thread_id: the message goes into that topic */
  thread?: number;
}

/** One sendMessage, no retries and no pacing (the queue and the limiter do those). */
export async function sendOnce(api: SendApi, chatId: number, msg: Outgoing, opts: SendOptions = {}): Promise<SendOutcome> {
  const { text, ...rest } = msg;
  const other: Record<string, unknown> = { ...rest };
  if (opts.paid) other.allow_paid_broadcast = true;
  if (opts.silent) other.disable_notification = true;
  if (opts.thread !== undefined) other.message_thread_id = opts.thread;
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
export const NOT_MODIFIED = /message is not modified/i;
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

/** What a message to a subscription is composed with: its time zone and its language (texts, and dates through Intl). */
export function formatFor(
  translator: Translator,
  prefs: Pick<ChatPrefs, "locale" | "timezone">,
  timezone: string,
  now: number,
): FormatOptions & { t: Translate } {
  return { timezone: zoneOf(prefs, timezone), now, locale: translator.intlLocale(prefs.locale), t: translator.forLocale(prefs.locale) };
}

/** A forum topic subscription, as onTopicGone is told of it. */
export interface TopicRef {
  key: SubKey;
  chatId: number;
  thread: number;
}

/**
 * What delivery does when Telegram says a subscription cannot be posted to
 * any more. Both remove what they must every time (idempotent) and tell the
 * callbacks once (the first to claim it, across processes); both resolve
 * whether this call was that first one.
 */
export interface GoneHandlers {
  /** the bot cannot post in the chat (blocked, kicked, not found, no rights): all its subscriptions end, topics too */
  chat(chatId: number, reason: string): Promise<boolean>;
  /** a subscription's forum topic (or a forum's General topic: no thread) is closed or deleted: that subscription alone ends */
  topic(sub: { key: SubKey; chatId: number; thread?: number }, reason: string): Promise<boolean>;
}

export interface GoneDeps {
  subscribers: Pick<SubscriberStore, "remove" | "topicsOf">;
  chats: Pick<ChatStateStore, "remove">;
  /** true for the first caller of `name` for a while (a Redis SET NX): a callback runs once however many deliveries met the refusal */
  first(name: string): Promise<boolean>;
  onChatGone?: (chatId: number, reason: string) => Promise<void>;
  onTopicGone?: (sub: TopicRef, reason: string) => Promise<void>;
  logger: Logger;
}

export function createGoneHandlers(d: GoneDeps): GoneHandlers {
  const tell = async (what: () => Promise<void> | undefined, log: Record<string, unknown>) => {
    try {
      await what();
    } catch (err) {
      d.logger.warn({ ...log, err: (err as Error).message }, "delivery: telling of a gone subscription failed");
    }
  };
  return {
    async chat(chatId, reason) {
      const keys = new Set([String(chatId), ...(await d.subscribers.topicsOf(chatId)).map((s) => s.key)]);
      for (const key of keys) {
        await d.subscribers.remove(key);
        await d.chats.remove(key);
      }
      const first = await d.first(`gone:${chatId}`);
      if (!first) return false;
      d.logger.info({ chatId, subscriptions: keys.size, reason }, "delivery: chat is gone, unsubscribed");
      if (d.onChatGone) await tell(() => d.onChatGone?.(chatId, reason), { chatId });
      return true;
    },
    async topic(sub, reason) {
      await d.subscribers.remove(sub.key);
      await d.chats.remove(sub.key);
      const first = await d.first(`gone:${sub.key}`);
      if (!first) return false;
      d.logger.info({ sub: sub.key, reason }, "delivery: forum topic is closed or gone, its subscription ended");
      const { thread } = sub;
      if (thread !== undefined && d.onTopicGone) {
        await tell(() => d.onTopicGone?.({ key: sub.key, chatId: sub.chatId, thread }, reason), { sub: sub.key });
      }
      return true;
    },
  };
}
