import type { Item } from "../news/item.js";
import type { ChatPrefs } from "../prefs/types.js";
import type { ChatRef, SubKey } from "./sub-key.js";

export interface HttpCacheState {
  etag?: string;
  lastModified?: string;
}

export interface Subscriber {
  /** what the subscription is keyed by: the chat id, or "chatId:thread" for a forum topic (src/store/sub-key.ts) */
  key: SubKey;
  chatId: number;
  /** a forum topic's message_thread_id: posts go into that topic */
  thread?: number;
  /** "private" | "group" | "supergroup" | "channel" */
  kind: string;
  since: number;
  /** what the chat gets and when; defaults when it never chose (loaded from older records too) */
  prefs: ChatPrefs;
}

/** What a poll stored for one source. */
export interface IngestResult {
  /** items never seen before (oldest first); empty on a source's first poll */
  fresh: Item[];
  /** items stored silently: the source's first poll, or a poll ingested as backlog (guid change) */
  backlog: number;
}

export interface IngestOptions {
  backlog?: boolean;
  refresh?: string[];
}

/** Items the bot knows: seen markers, recent items, the pending-delivery list. */
export interface ItemStore {
  getHttpCache(sourceId: string): Promise<HttpCacheState>;
  setHttpCache(sourceId: string, state: HttpCacheState): Promise<void>;
  /**
   * Records a poll's items. New ones are stored as recent; on a source's
   * first poll they are backlog, otherwise they also get the next numbers on
   * the timeline (atomically with being marked seen, so a crash cannot lose them).
   * `backlog: true` stores and marks them seen without putting any there.
   * `refresh`: keys still in the feed that knownKeys found seen (their
   * items not passed again): their seen time is renewed so they do not age
   * out, in the same atomic step; a key no longer seen is left out, not
   * marked seen without its item.
   */
  ingest(sourceId: string, items: Item[], opts?: IngestOptions): Promise<IngestResult>;
  /**
   * Which of these keys the source has already seen, and whether it was
   * polled before — what the poller decides from which entries to normalize
   * (and pass to ingest: the others go in `refresh`) and its guid-change guard.
   */
  knownKeys(sourceId: string, keys: string[]): Promise<{ polled: boolean; known: string[] }>;
  /** newest first */
  latest(limit: number): Promise<Item[]>;
  /** recent items inside the window, newest first, up to limit */
  recent(sinceMs: number, limit: number): Promise<Item[]>;
  getItems(keys: string[]): Promise<(Item | null)[]>;
  /**
   * Items stored after `cursor` (an id from the ingest log, or "0" / "" for
   * its start), oldest first, at most `limit` log entries' worth — fewer when
   * an item's body has expired — and the cursor to continue from (the one
   * given when nothing is new). The log is trimmed: a cursor older than its
   * start continues from what is left.
   */
  ingestedSince(cursor: string, limit: number): Promise<{ cursor: string; items: Item[] }>;
  /** The ingest log's newest id ("0-0" when empty): take it before a full load, then catch up from it. */
  ingestCursor(): Promise<string>;
  /** timeline entries numbered after `afterSeq`, oldest first, at most `limit` */
  timelineSince(afterSeq: number, limit: number): Promise<TimelineEntry[]>;
  /** the newest `limit` entries numbered after `afterSeq` up to `uptoSeq`, oldest first, and how many there are in all */
  timelineBetween(afterSeq: number, uptoSeq: number, limit: number): Promise<{ entries: TimelineEntry[]; total: number }>;
  /** the timeline numbers of these items (null: not on the timeline, or trimmed) */
  timelineSeqs(keys: string[]): Promise<(number | null)[]>;
  /** stories an older version left queued for delivery (its `pending` zset) go on the timeline, once; how many */
  adoptLegacyPending(): Promise<number>;
  /** the number of the newest story on the timeline (0 when none yet) */
  timelineHead(): Promise<number>;
  /**
   * Drops what the store remembers of a source's feed (seen keys, HTTP cache,
   * "polled before"): were the id reused for another feed, its first poll
   * counts as a backlog, not as news. Stored items stay until they expire.
   */
  forget(sourceId: string): Promise<void>;
}

/** Who a subscription is: the chat, and a forum topic in it. */
export type SubscriberRef = Pick<Subscriber, "chatId" | "thread" | "kind">;

/** Every method taking a ChatRef takes a chat id (the chat's own subscription) or a SubKey ("chatId:thread"). */
export interface SubscriberStore {
  /** true when newly added, or subscribed again after a /stop (its preferences kept); `prefs` defaults */
  add(sub: Omit<Subscriber, "prefs" | "key"> & { prefs?: ChatPrefs }): Promise<boolean>;
  /** /stop: no more news, but the chat's preferences are kept for a later /start; true when it was subscribed */
  stop(ref: ChatRef): Promise<boolean>;
  /** the chat is gone (blocked the bot, deleted): its record is removed whole; true when there was one */
  remove(ref: ChatRef): Promise<boolean>;
  /** subscribed (not stopped) */
  has(ref: ChatRef): Promise<boolean>;
  /** the record of a subscribed chat; null when not subscribed or stopped */
  get(ref: ChatRef): Promise<Subscriber | null>;
  /** the chat's preferences, stopped or not (its language, before and after /stop); null when it has no record */
  prefsOf(ref: ChatRef): Promise<ChatPrefs | null>;
  /** stores preferences for a chat that may not be subscribed (a /language before /start): kept, not subscribed */
  remember(sub: SubscriberRef, prefs: ChatPrefs): Promise<void>;
  /** the chat's subscriptions, its own and its forum topics' (not stopped) */
  topicsOf(chatId: number): Promise<Subscriber[]>;
  /** stores the chat's preferences; false (nothing written) when it is not subscribed */
  setPrefs(ref: ChatRef, prefs: ChatPrefs): Promise<boolean>;
  /** subscribed chats (not stopped) */
  all(): Promise<Subscriber[]>;
  count(): Promise<number>;
  /**
   * a group became a supergroup: keep the subscription, with the new id —
   * the whole record is copied (every field, those added later too), only
   * its id and kind change
   */
  migrate(fromChatId: number, toChatId: number): Promise<void>;
}

/** A story on the timeline: its number in arrival order. */
export interface TimelineEntry {
  seq: number;
  key: string;
}
