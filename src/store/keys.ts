/**
 * Every Redis key the bot uses, built in one place, each under REDIS_PREFIX and
 * each with its bound written beside it.
 */
export const BOUNDS = {
  /** seen keys per source: kept 30 days, at most 20,000 per source */
  seenTtlMs: 30 * 24 * 3600_000,
  seenCap: 20_000,
  /** recent items: 7 days, at most 20,000 (the related index reaches back 72 h / 20,000 items) */
  recentTtlMs: 7 * 24 * 3600_000,
  recentCap: 20_000,
  /**
   * the ingest log every process's related index catches up from: about the
   * newest 20,000 entries (XADD MAXLEN ~, so up to one stream node — 100
   * entries — more), each only an item key
   */
  ingestedCap: 20_000,
  /** the timeline (stories in arrival order, what chats' cursors point into): the newest 20,000 */
  timelineCap: 20_000,
  /** a chat's delivery claim, renewed while it is worked on; a dead process's claim is taken over after this */
  chatClaimMs: 30_000,
  /** message ids a chat's state keeps for same-story edits: its last few messages */
  chatMessagesKept: 8,
  /** a pending broadcast expires after 15 minutes */
  broadcastTtlS: 15 * 60,
  /** a broadcast being sent or done is kept a week for its report */
  broadcastKeepS: 7 * 24 * 3600,
  /** Telegram redelivers unconfirmed updates within seconds; a day is ample */
  updateTtlS: 24 * 3600,
  /** sources added from the chat: at most this many */
  addedSourcesCap: 500,
  /** an /addsource preview waits this long for Add / Cancel */
  sourceProposalTtlS: 15 * 60,
  /** per-day new-item counts in a source's health record: the last 7 days are kept */
  healthDays: 7,
  /** daily delivery counters (/stats): kept 8 days */
  statsTtlS: 8 * 24 * 3600,
  /** dead letters (messages given up on) shown to admins: the newest 1,000 */
  deadLettersCap: 1000,
  /** a rate-limit cell outlives its last reservation by this much, then expires */
  rateIdleMs: 60_000,
  /** story records (related, merges) live as long as the items they describe */
  storyTtlS: 7 * 24 * 3600,
  /** an article's lead, as long as the items that could carry it */
  leadTtlS: 7 * 24 * 3600,
  /** an article page that gave no lead is not asked again for an hour */
  leadFailureTtlS: 3600,
} as const;

export function keys(prefix: string) {
  return {
    /** ZSET member=item key score=last seen ms (refreshed while the item stays in its feed) — bounded by seenTtlMs and seenCap */
    seen: (sourceId: string) => `${prefix}seen:${sourceId}`,
    /** SET of source ids polled at least once (backlog detection) — one entry per source */
    polledSources: () => `${prefix}sources:polled`,
    /** HASH etag / lastModified per source — one per source */
    httpCache: (sourceId: string) => `${prefix}http:${sourceId}`,
    /** STRING JSON Item — TTL recentTtlMs */
    item: (key: string) => `${prefix}item:${key}`,
    /** ZSET member=item key score=itemTime — trimmed to recentCap / recentTtlMs */
    recent: () => `${prefix}recent`,
    /** STREAM field k=item key, one entry per newly stored item (backlog too), oldest first — XADD MAXLEN ~ ingestedCap */
    ingested: () => `${prefix}ingested`,
    /** HASH channel id → JSON {id,title,addedBy,at}: channels the bot may post in — one per channel */
    channels: () => `${prefix}channels`,
    /** STRING subscription key a settings menu message edits (a channel's menu is in its admin's private chat) — EX 30 days */
    menu: (chatId: number, messageId: number) => `${prefix}menu:${chatId}:${messageId}`,
    /** STRING "1": a notice given once (a topic gone, the bot removed from a channel) — EX 30 days */
    notice: (about: string, what: string) => `${prefix}notice:${about}:${what}`,
    /** STRING "1": something done at most once per a few seconds (a group's /latest) — PX that long */
    throttle: (about: string, what: string) => `${prefix}throttle:${about}:${what}`,
    /** HASH chat id → title: groups and channels where the user was seen to be an admin (the Mini App lists them, asking Telegram again) — EX 90 days */
    admins: (userId: number) => `${prefix}admins:${userId}`,
    /** HASH chat id → JSON subscriber record — one per chat, removed on /stop or 403 */
    subscribers: () => `${prefix}subscribers`,
    /** ZSET member=item key score=its number in arrival order (written by ingest, atomically with "seen") — the newest timelineCap */
    timeline: () => `${prefix}timeline`,
    /** ZSET an older version queued new stories in; moved onto the timeline and deleted at start (ItemStore.adoptLegacyPending) */
    legacyPending: () => `${prefix}pending`,
    /** STRING counter: the last number given to a story on the timeline */
    timelineSeq: () => `${prefix}timeline:seq`,
    /** STRING the timeline number up to which stories were planned (related chosen, chats marked due) — one value */
    timelinePlanned: () => `${prefix}timeline:planned`,
    /** HASH chat id → packed state: cursor (last story number delivered or passed over) and its last chatMessagesKept message ids — one field per chat */
    chatState: () => `${prefix}chats`,
    /** ZSET member=chat id score=ms when its next delivery is due (news waiting, or its next digest) — at most one per chat */
    chatsDue: () => `${prefix}chats:due`,
    /** ZSET member=chat id score=ms its claim lapses: chats being delivered to now — at most one per chat */
    chatsActive: () => `${prefix}chats:active`,
    /** STRING JSON pending broadcast — TTL broadcastTtlS */
    broadcast: (id: string) => `${prefix}broadcast:${id}`,
    /** SET of chat ids a broadcast reached — TTL broadcastKeepS */
    broadcastDelivered: (id: string) => `${prefix}broadcast:${id}:delivered`,
    /** SET of broadcast ids being sent (resumed after a restart) — ids removed when done */
    activeBroadcasts: () => `${prefix}broadcasts:active`,
    /** STRING marker of a processed Telegram update — TTL updateTtlS */
    update: (updateId: number) => `${prefix}update:${updateId}`,
    /** STRING written once at start, no TTL: a Redis that comes back without it lost our data (src/infra/redis-connection.ts) */
    instanceMarker: () => `${prefix}instance`,
    /** STRING lock, short TTL */
    lock: (name: string) => `${prefix}lock:${name}`,
    /** HASH source id → JSON of a source added from the chat — at most addedSourcesCap fields */
    addedSources: () => `${prefix}sources:added`,
    /** HASH source id → "0"/"1": SOURCES_FILE sources switched off/on from the chat — one field per file source, stale ids pruned */
    sourceOverrides: () => `${prefix}sources:overrides`,
    /** STRING JSON of a source waiting for Add / Cancel — TTL sourceProposalTtlS */
    sourceProposal: (token: string) => `${prefix}sources:proposal:${token}`,
    /** HASH health of one source (times, last error, failures, backoff, disabled, per-day counts) — one per source, day fields kept healthDays */
    sourceHealth: (sourceId: string) => `${prefix}health:${sourceId}`,
    /** SET of source ids with a health record — one entry per source, removed with the record */
    sourceHealthIndex: () => `${prefix}sources:health`,
    /** BullMQ's own prefix: `<prefix>bull:outbox:*` — completed jobs removed at once, failed ones kept 7 days / 1,000, events stream ~1,000 */
    bullPrefix: () => `${prefix}bull`,
    /** STRING GCRA theoretical arrival time (µs) of one flood limit (global, paid, chat:<id>) — PX: expires rateIdleMs after its last reservation */
    rate: (name: string) => `${prefix}rate:${name}`,
    /** SET of chat ids a broadcast failed for / that blocked the bot / that unsubscribed before their turn / new ids of groups that migrated — TTL broadcastKeepS */
    broadcastOutcome: (id: string, outcome: "failed" | "blocked" | "skipped" | "migrated") => `${prefix}broadcast:${id}:${outcome}`,
    /** HASH sent / failed / blocked counters of one day (YYYY-MM-DD in TIMEZONE) — TTL statsTtlS */
    deliveryStats: (day: string) => `${prefix}stats:${day}`,
    /** LIST JSON of messages given up on, newest first — trimmed to deadLettersCap */
    deadLetters: () => `${prefix}deadletters`,
    /** HASH of a story as planned: `related` (JSON keys chosen for it) or `into` (the earlier report it was merged into) — TTL storyTtlS */
    story: (itemKey: string) => `${prefix}story:${itemKey}`,
    /** ZSET member=item key score=seen ms: later reports merged into this story — TTL storyTtlS */
    storyAlso: (itemKey: string) => `${prefix}story:${itemKey}:also`,
    /** STRING JSON {lead} or {failed}: an article page's lead, by a hash of its canonical URL (src/leads/lead-store.ts) — TTL leadTtlS, a failure leadFailureTtlS */
    lead: (urlHash: string) => `${prefix}lead:${urlHash}`,
  };
}

export type Keys = ReturnType<typeof keys>;
