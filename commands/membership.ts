import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context.js";
import type { Membership } from "../src/chats/membership.js";
import type { Logger } from "../src/log.js";

export interface MembershipComposerDeps {
  membership: Membership;
  logger: Pick<Logger, "warn">;
}

/**
 * my_chat_member: the bot's own status changed in a chat. In a channel,
 * administrator with the right to post → news on there and the admin who
 * did it is told; removed or no right to post → news off and that admin is
 * told once. In a group, added → one hello saying an admin can /start;
 * removed → every subscription in it stops. A private chat's block/unblock
 * is left to delivery (403 removes the subscriber).
 */
export function membershipComposer(deps: MembershipComposerDeps) {
  const c = new Composer<BotContext>();
  c.on("my_chat_member", async (ctx) => {
    const { chat, from, old_chat_member: before, new_chat_member: now } = ctx.myChatMember;
    const gone = now.status === "left" || now.status === "kicked";
    const wasOut = before.status === "left" || before.status === "kicked";
    if (chat.type === "channel") {
      if (now.status === "administrator" && now.can_post_messages === true) await deps.membership.channelOn(chat, from);
      else if (gone) await deps.membership.channelOff(chat, "removed");
      // An administrator without the right to post: remembered, so granting it later turns news on.
      else if (now.status === "administrator") await deps.membership.channelOff(chat, "no-right", from);
      return;
    }
    if (chat.type === "group" || chat.type === "supergroup") {
      if (gone) await deps.membership.groupOff(chat.id);
      // Added: one hello, in the language of whoever added the bot (the group has chosen none yet).
      else if (wasOut) {
        await ctx
          .reply(ctx.t("group-hello"))
          .catch((err: unknown) => deps.logger.warn({ chat: chat.id, err: String(err) }, "membership: hello not sent"));
      }
    }
  });
  return c;
}
