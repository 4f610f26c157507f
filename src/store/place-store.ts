import type { Redis } from "ioredis";
import type { Keys } from "./keys.js";
import type { SubKey } from "./sub-key.js";

/** A channel the bot may post in, and who made it an administrator there. */
export interface ChannelRecord {
  id: number;
  title: string;
  /** the user who added the bot (told in a private chat; may manage it from /channels) */
  addedBy: number;
  /** that user's language when they added it: their notices are in it even if they never opened a private chat */
  locale?: string;
  at: number;
}

/**
 * Where the bot is, beyond its subscribers: the channels it may post in,
 * which settings menu edits which subscription (a channel's menu lives in
 * its admin's private chat), and the notices it gives only once.
 */
export interface PlaceStore {
  saveChannel(c: ChannelRecord): Promise<void>;
  removeChannel(id: number): Promise<ChannelRecord | null>;
  channel(id: number): Promise<ChannelRecord | null>;
  channels(): Promise<ChannelRecord[]>;
  /** this menu message (in `chatId`) edits `target`'s settings */
  bindMenu(chatId: number, messageId: number, target: SubKey): Promise<void>;
  menuTarget(chatId: number, messageId: number): Promise<SubKey | null>;
  /** true the first time `what` is noted for `about` (within 30 days): a notice is given once */
  once(about: string, what: string): Promise<boolean>;
  /** `about` may be told `what` again (the bot was added back) */
  forget(about: string, what: string): Promise<void>;
  /** true at most once per `ms` for `about` + `what` (across processes): a group's /latest, say */
  throttle(about: string, what: string, ms: number): Promise<boolean>;
  /** `userId` was seen to be an admin of this group or channel (Telegram said so) */
  noteAdmin(userId: number, chat: { id: number; title: string }): Promise<void>;
  /** no longer (Telegram said not, or the chat is gone) */
  dropAdmin(userId: number, chatId: number): Promise<void>;
  /** the groups and channels noted for `userId`, by title — to be asked of Telegram again before use */
  adminChats(userId: number): Promise<Array<{ id: number; title: string }>>;
}

const MENU_TTL_S = 30 * 24 * 3600;
const NOTICE_TTL_S = 30 * 24 * 3600;
/** a reader who has not touched a group's settings for 90 days finds it again by opening them there once */
const ADMIN_TTL_S = 90 * 24 * 3600;
/** a reader admins a handful of chats; a hostile number of notes is cut, not listed */
const ADMIN_CHATS_MAX = 100;

export function createPlaceStore(redis: Redis, k: Keys): PlaceStore {
  const parse = (raw: string | null): ChannelRecord | null => {
    if (raw === null) return null;
    try {
      const v = JSON.parse(raw) as Partial<ChannelRecord>;
      return typeof v.id === "number" && typeof v.addedBy === "number"
        ? {
            id: v.id,
            title: typeof v.title === "string" ? v.title : String(v.id),
            addedBy: v.addedBy,
            ...(typeof v.locale === "string" ? { locale: v.locale } : {}),
            at: v.at ?? 0,
          }
        : null;
    } catch {
      return null;
    }
  };
  return {
    async saveChannel(c) {
      await redis.hset(k.channels(), String(c.id), JSON.stringify(c));
    },
    async removeChannel(id) {
      const raw = await redis.hget(k.channels(), String(id));
      await redis.hdel(k.channels(), String(id));
      return parse(raw);
    },
    async channel(id) {
      return parse(await redis.hget(k.channels(), String(id)));
    },
    async channels() {
      const out: ChannelRecord[] = [];
      for (const raw of await redis.hvals(k.channels())) {
        const c = parse(raw);
        if (c) out.push(c);
      }
      return out.sort((a, b) => a.title.localeCompare(b.title));
    },
    async bindMenu(chatId, messageId, target) {
      await redis.set(k.menu(chatId, messageId), target, "EX", MENU_TTL_S);
    },
    async menuTarget(chatId, messageId) {
      const v = await redis.get(k.menu(chatId, messageId));
      return v === null ? null : v;
    },
    async once(about, what) {
      return (await redis.set(k.notice(about, what), "1", "EX", NOTICE_TTL_S, "NX")) === "OK";
    },
    async forget(about, what) {
      await redis.del(k.notice(about, what));
    },
    async throttle(about, what, ms) {
      return (await redis.set(k.throttle(about, what), "1", "PX", ms, "NX")) === "OK";
    },
    async noteAdmin(userId, chat) {
      await redis.multi().hset(k.admins(userId), String(chat.id), chat.title).expire(k.admins(userId), ADMIN_TTL_S).exec();
    },
    async dropAdmin(userId, chatId) {
      await redis.hdel(k.admins(userId), String(chatId));
    },
    async adminChats(userId) {
      const all = await redis.hgetall(k.admins(userId));
      return Object.entries(all)
        .map(([id, title]) => ({ id: Number(id), title }))
        .filter((c) => Number.isSafeInteger(c.id) && c.id < 0)
        .sort((a, b) => a.title.localeCompare(b.title))
        .slice(0, ADMIN_CHATS_MAX);
    },
  };
}
