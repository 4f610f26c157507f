import type { Api } from "grammy";
import type { User } from "grammy/types";
import { LOCALE_NAMES, type Locale, pickLocale } from "../i18n/locales.js";
import type { Translator } from "../i18n/translator.js";
import type { Logger } from "../log.js";
import { escapeHtml, truncateText } from "../news/html.js";
import { defaultPrefs } from "../prefs/preferences.js";
import type { Stores } from "../store/index.js";
import { type SubKey, subKey } from "../store/sub-key.js";
import { subscribeChat } from "../timeline/subscriptions.js";

/**
 * Where the bot is: channels it is made an administrator of (and stops
 * posting in when it loses the right), groups it leaves, forum topics that
 * close. Each change stops or starts that chat's news and tells the right
 * person once, in their language. Called from my_chat_member updates and
 * from delivery when Telegram refuses a chat or topic.
 */
export interface Membership {
  /** the bot may post in the channel (made an administrator with can_post_messages); `by` made it so */
  channelOn(channel: { id: number; title?: string }, by: User): Promise<void>;
  /** the bot was removed from the channel or lost the right to post */
  channelOff(channel: { id: number; title?: string }, why: "removed" | "no-right", by?: User): Promise<void>;
  /** the bot left or was removed from a group: every subscription in it (its topics too) stops */
  groupOff(chatId: number): Promise<void>;
  /** a forum topic was closed or deleted: that topic's news stops; the group is told once */
  topicGone(sub: { key: SubKey; chatId: number; thread: number }): Promise<void>;
}

export interface MembershipDeps {
  stores: Pick<Stores, "subscribers" | "chats" | "places" | "items">;
  api: Pick<Api, "sendMessage">;
  translator: Translator;
  logger: Pick<Logger, "info" | "warn">;
  timezone: string;
  clock?: () => number;
}

const TITLE_MAX = 100;

export function createMembership(deps: MembershipDeps): Membership {
  const clock = deps.clock ?? Date.now;
  const { subscribers, places } = deps.stores;

  /** A user's language: what their private chat with the bot chose, else Telegram's. */
  const localeOfUser = async (user: Pick<User, "id" | "language_code">): Promise<Locale> =>
    (await subscribers.prefsOf(user.id))?.locale ?? pickLocale(user.language_code);

  const tell = async (chatId: number, locale: Locale, key: string, args: Record<string, string> = {}, thread?: number) => {
    const text = deps.translator.t(locale, key, args);
    try {
      await deps.api.sendMessage(chatId, text, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
        ...(thread === undefined ? {} : { message_thread_id: thread }),
      });
    } catch (err) {
      // A user who never started the bot cannot be written to (403): the channel still works.
      deps.logger.warn({ chatId, key, err: err instanceof Error ? err.message : String(err) }, "membership: a notice was not delivered");
    }
  };
  const titleOf = (t: string | undefined, id: number) => escapeHtml(truncateText((t ?? "").trim() || String(id), TITLE_MAX));

  return {
    async channelOn(channel, by) {
      const key = subKey(channel.id);
      const before = await places.channel(channel.id);
      const userLocale = await localeOfUser(by);
      const title = channel.title ?? before?.title ?? String(channel.id);
      await places.saveChannel({ id: channel.id, title, addedBy: by.id, locale: userLocale, at: clock() });
      await places.forget(key, "channel-off");
      // The channel's posts start in the language of the admin who added it (a channel added back keeps its own); /channels changes it.
      const added = await subscribeChat(
        deps.stores,
        { chatId: channel.id, kind: "channel", prefs: { ...defaultPrefs(), locale: userLocale } },
        { timezone: deps.timezone, now: clock() },
      );
      if (!added) return;
      const locale = (await subscribers.prefsOf(key))?.locale ?? userLocale;
      deps.logger.info({ channel: channel.id, by: by.id }, "membership: posting in a channel");
      await tell(by.id, userLocale, before ? "channel-added-again" : "channel-added", {
        title: titleOf(title, channel.id),
        language: LOCALE_NAMES[locale],
      });
    },

    async channelOff(channel, why, by) {
      const channelId = channel.id;
      const key = subKey(channelId);
      let record = await places.channel(channelId);
      if (!record && by && why === "no-right") {
        record = { id: channelId, title: channel.title ?? String(channelId), addedBy: by.id, locale: await localeOfUser(by), at: clock() };
        await places.saveChannel(record);
      }
      const wasOn = await subscribers.stop(key);
      await deps.stores.chats.remove(key);
      if (why === "removed") await places.removeChannel(channelId);
      if (!record) return;
      if (!wasOn) deps.logger.info({ channel: channelId }, "membership: a channel without news");
      if (!(await places.once(key, "channel-off"))) return;
      deps.logger.info({ channel: channelId, why }, "membership: no longer posting in a channel");
      const locale = (await subscribers.prefsOf(record.addedBy))?.locale ?? pickLocale(record.locale);
      await tell(record.addedBy, locale, why === "removed" ? "channel-removed" : "channel-no-post-right", {
        title: titleOf(record.title, channelId),
      });
    },

    async groupOff(chatId) {
      for (const sub of await subscribers.topicsOf(chatId)) {
        await subscribers.stop(sub.key);
        await deps.stores.chats.remove(sub.key);
      }
      deps.logger.info({ chatId }, "membership: left a group; its news is stopped");
    },

    async topicGone(sub) {
      await subscribers.stop(sub.key);
      await deps.stores.chats.remove(sub.key);
      if (!(await places.once(sub.key, "topic-gone"))) return;
      const prefs = await subscribers.prefsOf(sub.key);
      // Told in the group's General topic, where its admins read; a group that is gone too answers 403, which is logged.
      await tell(sub.chatId, prefs?.locale ?? "en", "topic-gone");
    },
  };
}
