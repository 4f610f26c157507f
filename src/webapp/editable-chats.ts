import type { Api } from "grammy";
import type { Permission } from "../bot/access.js";
import type { Translate } from "../i18n/translator.js";
import type { PlaceStore } from "../store/place-store.js";
import { keyOf, type SubKey } from "../store/sub-key.js";
import type { SubscriberStore } from "../store/types.js";

/** A subscription the Mini App's user may edit. */
export interface EditableChat {
  key: SubKey;
  title: string;
  type: "private" | "group" | "supergroup" | "channel";
  subscribed: boolean;
}

export interface EditableChatsDeps {
  subscribers: Pick<SubscriberStore, "has" | "topicsOf">;
  places: Pick<PlaceStore, "channels" | "adminChats" | "dropAdmin">;
  isChatAdmin(api: Pick<Api, "getChatMember">, chatId: number, userId: number): Promise<Permission>;
  api: Pick<Api, "getChatMember">;
}

/** getChatMember calls one listing may make (each kept a minute by Access): a reader admins a handful of chats */
export const ADMIN_CHECKS_MAX = 60;

/**
 * The chats a user may edit from the Mini App: always their own private
 * chat first; then the groups (each subscribed forum topic on its own) and
 * channels where Telegram says they are an admin now — the groups where they
 * were seen acting as one, and the bot's channels. A chat Telegram says they
 * no longer administer is forgotten; one Telegram could not be asked about is
 * left out this time. Authorisation is membership of this list.
 */
export async function editableChats(deps: EditableChatsDeps, userId: number, t: Translate): Promise<EditableChat[]> {
  const out: EditableChat[] = [
    { key: keyOf(userId), title: t("webapp-private-title"), type: "private", subscribed: await deps.subscribers.has(userId) },
  ];
  const [noted, channels] = await Promise.all([deps.places.adminChats(userId), deps.places.channels()]);
  const channelIds = new Set(channels.map((c) => c.id));
  const candidates = new Map<number, string>();
  // The channels this user added come first: the likeliest to be theirs when there are many.
  for (const c of [...channels].sort((a, b) => Number(b.addedBy === userId) - Number(a.addedBy === userId))) candidates.set(c.id, c.title);
  for (const c of noted) if (!candidates.has(c.id)) candidates.set(c.id, c.title);

  let checks = 0;
  for (const [chatId, title] of candidates) {
    if (checks++ >= ADMIN_CHECKS_MAX) break;
    const may = await deps.isChatAdmin(deps.api, chatId, userId);
    if (may !== true) {
      if (may === false) await deps.places.dropAdmin(userId, chatId).catch(() => undefined);
      continue;
    }
    if (channelIds.has(chatId)) {
      out.push({ key: keyOf(chatId), title, type: "channel", subscribed: await deps.subscribers.has(chatId) });
      continue;
    }
    const subs = await deps.subscribers.topicsOf(chatId);
    if (subs.length === 0) {
      out.push({ key: keyOf(chatId), title, type: "supergroup", subscribed: false });
      continue;
    }
    for (const s of subs.sort((a, b) => (a.thread ?? 0) - (b.thread ?? 0))) {
      out.push({
        key: s.key,
        title: s.thread === undefined ? title : t("webapp-topic-title", { chat: title, topic: String(s.thread) }),
        type: s.kind === "group" ? "group" : "supergroup",
        subscribed: true,
      });
    }
  }
  return out;
}
