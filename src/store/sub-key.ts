/**
 * What a subscription is keyed by: a chat, or one topic of a forum
 * supergroup. `"-1001234"` is the chat (in a forum: its General topic),
 * `"-1001234:17"` its topic 17 (message_thread_id), each with its own
 * preferences, timeline cursor and delivery. A plain chat's key is its id
 * as a string, as it was before topics existed, so older records keep working.
 */
export type SubKey = string;

/** A chat id (its own subscription) or a subscription key. */
export type ChatRef = number | SubKey;

export interface Target {
  chatId: number;
  /** a forum topic's message_thread_id */
  thread?: number;
}

export function subKey(chatId: number, thread?: number): SubKey {
  return thread === undefined ? String(chatId) : `${chatId}:${thread}`;
}

export function keyOf(ref: ChatRef): SubKey {
  return typeof ref === "number" ? String(ref) : ref;
}

const KEY = /^(-?\d{1,20})(?::(\d{1,12}))?$/;

/** null for anything that is not a key (a forged or corrupt value) */
export function parseSubKey(ref: ChatRef): Target | null {
  if (typeof ref === "number") return Number.isSafeInteger(ref) ? { chatId: ref } : null;
  const m = KEY.exec(ref);
  if (!m) return null;
  const chatId = Number(m[1]);
  if (!Number.isSafeInteger(chatId)) return null;
  return m[2] === undefined ? { chatId } : { chatId, thread: Number(m[2]) };
}

/** The chat a key belongs to (NaN for garbage, which no chat has). */
export function chatOf(ref: ChatRef): number {
  return parseSubKey(ref)?.chatId ?? Number.NaN;
}
