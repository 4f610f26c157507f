/**
 * Every Redis key the bot uses, built in one place, each under REDIS_PREFIX and
 * each with its bound written beside it.
 */
export const BOUNDS = {
  /** seen keys per source: kept 30 days, at most 20,000 per source */
  seenTtlMs: 30 * 24 * 3600_000,
  seenCap: 20_000,
  /** recent items: 7 days, at most 5,000 */
  recentTtlMs: 7 * 24 * 3600_000,
  recentCap: 5_000,
  /** per-item delivered markers live as long as the item */
  deliveredTtlS: 8 * 24 * 3600,
  /** a pending broadcast expires after 15 minutes */
  broadcastTtlS: 15 * 60,
  /** a broadcast being sent or done is kept a week for its report */
  broadcastKeepS: 7 * 24 * 3600,
  /** Telegram redelivers unconfirmed updates within seconds; a day is ample */
  updateTtlS: 24 * 3600,
} as const;

export function keys(prefix: string) {
  return {
    /** ZSET member=item key score=first seen ms — bounded by seenTtlMs and seenCap */
    seen: (sourceId: string) => `${prefix}seen:${sourceId}`,
    /** SET of source ids polled at least once (backlog detection) — one entry per source */
    polledSources: () => `${prefix}sources:polled`,
    /** HASH etag / lastModified per source — one per source */
    httpCache: (sourceId: string) => `${prefix}http:${sourceId}`,
    /** STRING JSON Item — TTL recentTtlMs */
    item: (key: string) => `${prefix}item:${key}`,
    /** ZSET member=item key score=itemTime — trimmed to recentCap / recentTtlMs */
    recent: () => `${prefix}recent`,
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
    /** STRING lock, short TTL */
    lock: (name: string) => `${prefix}lock:${name}`,
  };
}

export type Keys = ReturnType<typeof keys>;
