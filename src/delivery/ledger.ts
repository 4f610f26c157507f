import type { Redis } from "ioredis";
import { luaScript } from "../infra/lua.js";
import { dayKey } from "../news/format-time.js";
import { BOUNDS, type Keys } from "../store/keys.js";

/**
 * What delivery has done, for admins: per-day counters, the dead letters
 * (messages given up on), and each broadcast's outcomes (the sets
 * `broadcast:<id>:delivered|failed|…`; the broadcast record itself, with its
 * run fields, belongs to the broadcast store). Broadcast outcomes
 * are sets of chat ids, so a job that runs twice (a retry, a crash) is
 * counted once.
 */
export interface DeadLetter {
  at: number;
  chatId: number;
  /** "news <keys>" or "broadcast <id>" */
  what: string;
  reason: string;
}

/** "merged": a later report of a story added to the message a chat already had */
export type DayCounter = "sent" | "merged" | "failed" | "blocked";

export interface BroadcastCounts {
  sent: number;
  failed: number;
  blocked: number;
  /** unsubscribed before their turn came */
  skipped: number;
}

// Runs once per broadcast message: one script instead of four commands.
// ARGV[3] the job's chat; ARGV[4], if any, the id its group migrated to:
// marked too (so it is not served again) and kept apart (so it is not counted twice).
const BROADCAST_SENT = luaScript(`
for i = 3, #ARGV do redis.call('SADD', KEYS[1], ARGV[i]) end
redis.call('EXPIRE', KEYS[1], ARGV[1])
if ARGV[4] then
  redis.call('SADD', KEYS[3], ARGV[4])
  redis.call('EXPIRE', KEYS[3], ARGV[1])
end
redis.call('HINCRBY', KEYS[2], 'sent', 1)
redis.call('EXPIRE', KEYS[2], ARGV[2])
return 1
`);

export function createLedger(redis: Redis, k: Keys, opts: { timezone: string; clock?: () => number }) {
  const clock = opts.clock ?? Date.now;
  // Formatting a date per message is measurable at 1,000 msg/s: the day is worked out once a minute.
  let day = { key: "", until: 0 };
  const today = () => {
    const now = clock();
    if (now >= day.until) day = { key: dayKey(now, opts.timezone), until: now - (now % 60_000) + 60_000 };
    return day.key;
  };
  const OUTCOMES = ["failed", "blocked", "skipped"] as const;

  return {
    async count(field: DayCounter, n = 1): Promise<void> {
      const key = k.deliveryStats(today());
      await redis.multi().hincrby(key, field, n).expire(key, BOUNDS.statsTtlS).exec();
    },
    async today(): Promise<Record<DayCounter, number>> {
      const h = await redis.hgetall(k.deliveryStats(today()));
      return { sent: Number(h.sent ?? 0), merged: Number(h.merged ?? 0), failed: Number(h.failed ?? 0), blocked: Number(h.blocked ?? 0) };
    },
    async deadLetter(entry: DeadLetter): Promise<void> {
      await redis
        .multi()
        .lpush(k.deadLetters(), JSON.stringify(entry))
        .ltrim(k.deadLetters(), 0, BOUNDS.deadLettersCap - 1)
        .exec();
    },
    async deadLetters(latest: number): Promise<{ total: number; latest: DeadLetter[] }> {
      const [total, raw] = await Promise.all([redis.llen(k.deadLetters()), redis.lrange(k.deadLetters(), 0, latest - 1)]);
      const entries = raw.flatMap((r) => {
        try {
          return [JSON.parse(r) as DeadLetter];
        } catch {
          return [];
        }
      });
      return { total, latest: entries };
    },

    /** the broadcast reached a chat (under `migratedTo` if its group was upgraded meanwhile): one message sent — one command */
    async broadcastSent(id: string, chatId: number, migratedTo?: number): Promise<void> {
      const ids = migratedTo === undefined ? [chatId] : [chatId, migratedTo];
      await BROADCAST_SENT(
        redis,
        [k.broadcastDelivered(id), k.deliveryStats(today()), k.broadcastOutcome(id, "migrated")],
        [BOUNDS.broadcastKeepS, BOUNDS.statsTtlS, ...ids.map(String)],
      );
    },
    async broadcastOutcome(id: string, outcome: (typeof OUTCOMES)[number], chatId: number): Promise<void> {
      const key = k.broadcastOutcome(id, outcome);
      await redis.multi().sadd(key, String(chatId)).expire(key, BOUNDS.broadcastKeepS).exec();
    },
    async broadcastCounts(id: string): Promise<BroadcastCounts> {
      const [sent, migrated, failed, blocked, skipped] = await Promise.all([
        redis.scard(k.broadcastDelivered(id)),
        redis.scard(k.broadcastOutcome(id, "migrated")),
        ...OUTCOMES.map((o) => redis.scard(k.broadcastOutcome(id, o))),
      ]);
      // A migrated group is in the delivered set under both ids: one chat.
      return { sent: sent! - migrated!, failed: failed!, blocked: blocked!, skipped: skipped! };
    },
    /** every chat id with an outcome so far (a migrated group under both ids), and how many are such second ids */
    async broadcastReached(id: string): Promise<{ ids: Set<string>; migrated: number }> {
      const [migrated, ...sets] = await Promise.all([
        redis.scard(k.broadcastOutcome(id, "migrated")),
        redis.smembers(k.broadcastDelivered(id)),
        ...OUTCOMES.map((o) => redis.smembers(k.broadcastOutcome(id, o))),
      ]);
      return { ids: new Set((sets as string[][]).flat()), migrated: migrated as number };
    },
    /** whether the broadcast already reached this chat (a copy of its job ran) */
    async broadcastServed(id: string, chatId: number): Promise<boolean> {
      return (await redis.sismember(k.broadcastDelivered(id), String(chatId))) === 1;
    },
  };
}

export type Ledger = ReturnType<typeof createLedger>;
