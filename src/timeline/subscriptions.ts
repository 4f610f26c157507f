import { nextDigestAt, zoneOf } from "../prefs/schedule.js";
import type { ChatPrefs } from "../prefs/types.js";
import type { ItemStore, Stores } from "../store/index.js";
import { type ChatRef, subKey } from "../store/sub-key.js";

type Deps = Pick<Stores, "subscribers" | "chats">;

/**
 * /start: subscribes the chat — or, with `thread`, one topic of a forum —
 * (again, with the preferences it had before a /stop) and puts it on the
 * timeline from now on — it gets what comes next, never a backlog: not even
 * stories that arrived just before and are not planned yet (`items` gives
 * the timeline's head). A digest chat is due at its next digest. `prefs`
 * (e.g. the language Telegram reported) are used only for a new record: a
 * chat subscribing again keeps what it chose.
 */
export async function subscribeChat(
  stores: Deps & { items?: Pick<ItemStore, "timelineHead"> },
  chat: { chatId: number; thread?: number; kind: string; prefs?: ChatPrefs },
  o: { timezone: string; now: number },
): Promise<boolean> {
  const added = await stores.subscribers.add({
    chatId: chat.chatId,
    ...(chat.thread === undefined ? {} : { thread: chat.thread }),
    kind: chat.kind,
    since: o.now,
    ...(chat.prefs ? { prefs: chat.prefs } : {}),
  });
  if (!added) return false;
  const key = subKey(chat.chatId, chat.thread);
  const [planned, arrived] = await Promise.all([stores.chats.planned(), stores.items?.timelineHead() ?? 0]);
  await stores.chats.start(key, Math.max(planned, arrived));
  const sub = await stores.subscribers.get(key);
  if (sub) await schedule(stores, key, sub.prefs, o);
  return true;
}

async function schedule(stores: Deps, ref: ChatRef, prefs: ChatPrefs, o: { timezone: string; now: number }) {
  const at = nextDigestAt(prefs.mode, zoneOf(prefs, o.timezone), o.now);
  if (at !== null) await stores.chats.dueAt(ref, at);
}

const filtersOf = (p: ChatPrefs) => JSON.stringify([p.sources, p.langs, p.keywords]);

/**
 * What the timeline does when a subscription's preferences change (a chat
 * id or a topic's key): messages composed under the old filters are no
 * longer edited; a chat that moved to digests is
 * due at its next one; one that moved back to "as it comes" is due now (with
 * what waited for its digest). Widening sources or languages does not reach
 * back: the chat's cursor stays where it is, so it gets at most what arrived
 * since its last message.
 */
export function onPrefsChanged(stores: Deps, o: { timezone: string; clock?: () => number }) {
  const clock = o.clock ?? Date.now;
  return async (ref: ChatRef, before: ChatPrefs, after: ChatPrefs): Promise<void> => {
    if (filtersOf(before) !== filtersOf(after)) await stores.chats.forgetSent(ref);
    const timing = (p: ChatPrefs) => JSON.stringify([p.mode, p.timezone]);
    if (timing(before) === timing(after)) return;
    if (after.mode.kind === "now") await stores.chats.dueAt(ref, clock());
    else await schedule(stores, ref, after, { timezone: o.timezone, now: clock() });
  };
}
