import type { Api } from "grammy";
import type { PlaceStore } from "../store/place-store.js";
import { chatOf, type SubKey } from "../store/sub-key.js";
import type { BotContext } from "./context.js";
import { targetOf } from "./target.js";

/** true, false, or "unknown" when Telegram could not be asked */
export type Permission = boolean | "unknown";

/**
 * Who may change a subscription, and which one an update speaks for.
 * Settings menus are usually in the chat they change; a channel's are in
 * its admin's private chat (opened from /channels), bound by message id.
 */
export interface Access {
  /** the subscription an update acts on: the one its menu message is bound to, else the chat (or forum topic) it came from */
  targetFor(ctx: BotContext): Promise<SubKey | undefined>;
  /**
   * may the sender change `target`: anyone in their own private chat; in a
   * group, its creator and administrators (and an anonymous admin, who posts
   * as the group); a channel's posts (only its admins can post); a channel or
   * group managed from a private chat, when the sender is its admin there
   */
  mayChange(ctx: BotContext, target: SubKey): Promise<Permission>;
  /** is `userId` an admin (creator or administrator) of `chatId`, asked of Telegram and kept a minute */
  isChatAdmin(api: Pick<Api, "getChatMember">, chatId: number, userId: number): Promise<Permission>;
  /** this menu message (in chatId) edits `target` */
  bindMenu(chatId: number, messageId: number, target: SubKey): Promise<void>;
}

/** getChatMember answers are kept this long: a demoted admin loses the right within a minute, and a busy group costs one call a minute per admin */
export const ADMIN_CACHE_MS = 60_000;
const ADMIN_CACHE_MAX = 10_000;

type AccessPlaces = Pick<PlaceStore, "bindMenu" | "menuTarget"> & Partial<Pick<PlaceStore, "noteAdmin">>;

export function createAccess(deps: { places: AccessPlaces; clock?: () => number }): Access {
  const clock = deps.clock ?? Date.now;
  const cache = new Map<string, { admin: boolean; until: number }>();

  /** the answer, and whether Telegram was asked for it just now (not kept from earlier) */
  async function ask(api: Pick<Api, "getChatMember">, chatId: number, userId: number): Promise<{ may: Permission; fresh: boolean }> {
    const id = `${chatId}:${userId}`;
    const hit = cache.get(id);
    if (hit && hit.until > clock()) return { may: hit.admin, fresh: false };
    try {
      const member = await api.getChatMember(chatId, userId);
      const admin = member.status === "creator" || member.status === "administrator";
      if (cache.size >= ADMIN_CACHE_MAX) cache.clear();
      cache.set(id, { admin, until: clock() + ADMIN_CACHE_MS });
      return { may: admin, fresh: true };
    } catch {
      return { may: "unknown", fresh: false };
    }
  }

  const isChatAdmin = async (api: Pick<Api, "getChatMember">, chatId: number, userId: number) => (await ask(api, chatId, userId)).may;

  return {
    isChatAdmin,
    async targetFor(ctx) {
      const msg = ctx.callbackQuery?.message;
      if (msg && ctx.chat) {
        const bound = await deps.places.menuTarget(ctx.chat.id, msg.message_id);
        if (bound !== null) return bound;
      }
      return targetOf(ctx);
    },
    async mayChange(ctx, target) {
      const chat = ctx.chat;
      if (!chat) return false;
      const targetChat = chatOf(target);
      if (targetChat !== chat.id) {
        // Managed from elsewhere (a channel from its admin's private chat): only its admins.
        if (chat.type !== "private" || !ctx.from) return false;
        return isChatAdmin(ctx.api, targetChat, ctx.from.id);
      }
      if (chat.type === "private" || chat.type === "channel") return true;
      if (ctx.msg?.sender_chat?.id === chat.id) return true;
      if (!ctx.from) return false;
      const { may, fresh } = await ask(ctx.api, chat.id, ctx.from.id);
      // Remembered so the settings Mini App (opened in the admin's private chat) can offer this group too.
      if (may === true && fresh && deps.places.noteAdmin) {
        await deps.places.noteAdmin(ctx.from.id, { id: chat.id, title: chat.title }).catch(() => undefined);
      }
      return may;
    },
    bindMenu: (chatId, messageId, target) => deps.places.bindMenu(chatId, messageId, target),
  };
}

const shared = new WeakMap<object, Access>();

/** The Access commands use: the one given in deps, else one per store set (so its getChatMember cache is shared). */
export function accessFor(deps: { access?: Access; stores: { places: AccessPlaces } }): Access {
  if (deps.access) return deps.access;
  let a = shared.get(deps.stores.places);
  if (!a) {
    a = createAccess({ places: deps.stores.places });
    shared.set(deps.stores.places, a);
  }
  return a;
}
