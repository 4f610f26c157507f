import type { Context } from "grammy";
import { type SubKey, subKey } from "../store/sub-key.js";

/**
 * The forum topic an update came from: its message_thread_id when the
 * message (or the message a button is under) is in a topic of a forum.
 * A reply thread in an ordinary group also has a message_thread_id but is
 * not a topic: is_topic_message tells them apart.
 */
export function topicOf(ctx: Context): number | undefined {
  const msg = ctx.msg ?? ctx.callbackQuery?.message;
  if (!msg || !("is_topic_message" in msg) || msg.is_topic_message !== true) return undefined;
  return msg.message_thread_id;
}

/** The subscription this update speaks for: the chat, or the forum topic it was sent in. */
export function targetOf(ctx: Context): SubKey | undefined {
  const chat = ctx.chat;
  if (!chat) return undefined;
  return subKey(chat.id, topicOf(ctx));
}
