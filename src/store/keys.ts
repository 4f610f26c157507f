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
  /** per-item delivered markers live as long as the item */
  deliveredTtlS: 8 * 24 * 3600,
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
  /** story records outlive the merge window by this much, so an edit queued at its end still finds them */
  storyGraceS: 2 * 3600,
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
    /** HASH chat id → JSON subscriber record — one per chat, removed on /stop or 403 */
    subscribers: () => `${prefix}subscribers`,
    /** ZSET member=item key score=seen ms: items still to deliver — removed when delivered to all */
    pending: () => `${prefix}pending`,
    /** SET of chat ids an item was delivered to — TTL deliveredTtlS */
    delivered: (itemKey: string) => `${prefix}delivered:${itemKey}`,
    /** STRING JSON pending broadcast — TTL broadcastTtlS */
    broadcast: (id: string) => `${prefix}broadcast:${id}`,
    /** SET of chat ids a broadcast reached — TTL deliveredTtlS */
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
    /** HASH of a story as fanned out: `related` (JSON keys chosen for it) or `into` (the earlier report it was merged into) — TTL: merge window + storyGraceS */
    story: (itemKey: string) => `${prefix}story:${itemKey}`,
    /** ZSET member=item key score=seen ms: later reports merged into this story — TTL: merge window + storyGraceS */
    storyAlso: (itemKey: string) => `${prefix}story:${itemKey}:also`,
    /** HASH chat id → message id: the card that carried this item to the chat — one field per card sent; TTL: merge window + storyGraceS */
    sentIn: (itemKey: string) => `${prefix}sent:${itemKey}`,
    /** STRING JSON {keys, header} of one digest message, shared by every chat that got the same part — TTL: merge window + storyGraceS */
    digestPart: (partId: string) => `${prefix}digestpart:${partId}`,
    /** HASH chat id → message id of one digest part — one field per digest message sent; TTL: merge window + storyGraceS */
    digestSent: (partId: string) => `${prefix}digestpart:${partId}:sent`,
    /** SET of digest part ids that carry this item (a few: chats with the same backlog share a part) — TTL: merge window + storyGraceS */
    storyParts: (itemKey: string) => `${prefix}story:${itemKey}:parts`,
  };
}

export type Keys = ReturnType<typeof keys>;
