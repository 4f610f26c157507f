import { Composer, type MiddlewareFn } from "grammy";
import type { Logger } from "../log.js";
import type { PlaceStore } from "../store/place-store.js";
import type { BotContext } from "./context.js";

/** A group's members share one /latest a minute: 30 members asking at once get one list, not 30. */
export const GROUP_LATEST_EVERY_MS = 60_000;

/**
 * `handler` for `command`, answered in a group (or supergroup) at most once
 * per `everyMs` — counted in Redis, so across processes; a request inside
 * that time gets no reply (a "please wait" would be the flood it prevents).
 * Private chats are never held back.
 */
export function throttledInGroups(
  command: string,
  everyMs: number,
  deps: { stores: { places: Pick<PlaceStore, "throttle"> }; logger: Pick<Logger, "debug"> },
  handler: Composer<BotContext>,
): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const hold: MiddlewareFn<BotContext> = async (ctx, next) => {
    const chat = ctx.chat;
    if (!chat || (chat.type !== "group" && chat.type !== "supergroup") || !ctx.hasCommand(command)) return next();
    if (await deps.stores.places.throttle(String(chat.id), command, everyMs)) return next();
    deps.logger.debug({ chat: chat.id, command }, "group: a repeated command held back");
  };
  c.use(hold, handler);
  return c;
}
