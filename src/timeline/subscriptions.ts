import { nextDigestAt, zoneOf } from "../prefs/schedule.js";
import type { ChatPrefs } from "../prefs/types.js";
import type { ItemStore, Stores } from "../store/index.js";

type Deps = Pick<Stores, "subscribers" | "chats">;

/**
 * /start: subscribes the chat (again, with the preferences it had before a
 * /stop) and puts it on the timeline from now on — it gets what comes next,
 * never a backlog: not even stories that arrived just before and are not
 * planned yet (`items` gives the timeline's head). A digest chat is due at
 * its next digest.
 */
export async function subscribeChat(
  stores: Deps & { items?: Pick<ItemStore, "timelineHead"> },
  chat: { chatId: number; kind: string },
  o: { timezone: string; now: number },
): Promise<boolean> {
  const added = await stores.subscribers.add({ chatId: chat.chatId, kind: chat.kind, since: o.now });
  if (!added) return false;
  const [planned, arrived] = await Promise.all([stores.chats.planned(), stores.items?.timelineHead() ?? 0]);
  await stores.chats.start(chat.chatId, Math.max(planned, arrived));
  const sub = await stores.subscribers.get(chat.chatId);
  if (sub) await schedule(stores, chat.chatId, sub.prefs, o);
  return true;
}

async function schedule(stores: Deps, chatId: number, prefs: ChatPrefs, o: { timezone: string; now: number }) {
  const at = nextDigestAt(prefs.mode, zoneOf(prefs, o.timezone), o.now);
  if (at !== null) await stores.chats.dueAt(chatId, at);
}

const filtersOf = (p: ChatPrefs) => JSON.stringify([p.sources, p.langs, p.keywords]);

/**
 * What the timeline does when a chat's preferences change: messages
 * composed under the old filters are no longer edited; a chat that moved to
 * digests is due at its next one; one that moved back to "as it comes" is
 * due now (with what waited for its digest). Widening sources or languages
 * does not reach back: the chat's cursor stays where it is, so it gets at
 * most what arrived since its last message.
 */
export function onPrefsChanged(stores: Deps, o: { timezone: string; clock?: () => number }) {
  const clock = o.clock ?? Date.now;
  return async (chatId: number, before: ChatPrefs, after: ChatPrefs): Promise<void> => {
    if (filtersOf(before) !== filtersOf(after)) await stores.chats.forgetSent(chatId);
    const timing = (p: ChatPrefs) => JSON.stringify([p.mode, p.timezone]);
    if (timing(before) === timing(after)) return;
    if (after.mode.kind === "now") await stores.chats.dueAt(chatId, clock());
    else await schedule(stores, chatId, after, { timezone: o.timezone, now: clock() });
  };
}
