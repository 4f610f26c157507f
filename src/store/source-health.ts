import type { Redis } from "ioredis";
import type { FeedErrorParams } from "../feeds/errors.js";
import { luaScript } from "../infra/lua.js";
import { BOUNDS, type Keys } from "./keys.js";

/**
 * How each source has been doing, kept in Redis so it survives restarts and
 * is the same for every process: the poller writes it after every attempt,
 * admins read it (`/sources`), and the poller reads it back to decide whether
 * a source is due (backoff, Retry-After, min interval) or disabled.
 *
 * "Disabled" here is the automatic kind — too many consecutive failures — and
 * is separate from a source's configured `enabled` flag: `enableSource` lifts
 * it without touching the source list.
 */

/** Why a source is not attempted before `nextAttemptAt`. */
export type WaitReason = "backoff" | "retry-after" | "min-interval";

/** A failure as kind and params (feedErrorText puts it into words); no sentence is stored. */
export interface StoredError {
  /** a FeedErrorKind ("timeout", "http", …) or "internal" */
  kind: string;
  /** e.g. {status: "503"}, {seconds: 20}, {detail: "dns", host: "example.com"} */
  params: FeedErrorParams;
  /**
   * Only in a record written before errors had params: the English line it
   * stored then ("HTTP 503"), shown as it is (storedErrorText).
   */
  message?: string;
}

export interface SourceError extends StoredError {
  at: number;
}

/** Set when a source was disabled automatically: after `failures` failed polls in a row, the last one `lastError`. */
export interface DisabledRecord {
  at: number;
  kind: "failures";
  failures: number;
  lastError: StoredError | null;
  /** only in a record written before: its English reason, shown as it is */
  message?: string;
}

export interface SourceHealth {
  sourceId: string;
  /** first attempt this record knows of (ms since epoch) */
  since: number | null;
  lastAttemptAt: number | null;
  /** last 200 or 304 */
  lastSuccessAt: number | null;
  /** the most recent failure, kept after the source recovers */
  lastError: SourceError | null;
  /** failures since the last success; 0 when healthy */
  consecutiveFailures: number;
  /** new (delivered) items found in the last 7 days, today included */
  itemsLast7Days: number;
  /** itemsLast7Days over the days observed (1 to 7), one decimal */
  itemsPerDay: number;
  /** when a poll last found an item to deliver */
  lastNewItemAt: number | null;
  /** not attempted before this time; null = due at the next tick */
  nextAttemptAt: number | null;
  nextAttemptReason: WaitReason | null;
  /** the feed's own <ttl>, remembered for polls that get 304 */
  feedTtlMs: number | null;
  /** set after too many consecutive failures; cleared by enableSource */
  disabled: DisabledRecord | null;
  /** new items that got their article's lead / wanted one and got none, in the last 7 days (src/leads/) */
  leadsLast7Days: { fetched: number; failed: number };
}

export interface SuccessRecord {
  at: number;
  /** items queued for delivery by this poll */
  newItems: number;
  next: { at: number; reason: WaitReason } | null;
  /** the feed's <ttl> in ms; null = the feed has none; undefined = unknown (304): keep the stored one */
  feedTtlMs?: number | null;
  /** leads from article pages this poll: items that got one, items that wanted one and got none */
  leads?: { fetched: number; failed: number };
}

export interface FailureRecord {
  at: number;
  kind: string;
  params: FeedErrorParams;
  next: { at: number; reason: WaitReason } | null;
}

export interface SourceHealthStore {
  /** a source never attempted gets an empty record (all null, 0 failures) */
  getHealth(sourceId: string): Promise<SourceHealth>;
  /** every source with a record, by id */
  allHealth(): Promise<SourceHealth[]>;
  /** the records of these sources, in one round trip */
  healthOf(sourceIds: string[]): Promise<Map<string, SourceHealth>>;
  recordSuccess(sourceId: string, record: SuccessRecord): Promise<void>;
  /** returns the consecutive failures, this one included */
  recordFailure(sourceId: string, record: FailureRecord): Promise<number>;
  /** true only for the call that disabled it, so admins hear about it once */
  disable(sourceId: string, record: Omit<DisabledRecord, "at" | "kind" | "message">, at: number): Promise<boolean>;
  /**
   * Lifts an automatic disable, resets the failure count and any backoff so
   * the next tick attempts the source. True when it was disabled.
   */
  enableSource(sourceId: string): Promise<boolean>;
  /** drops the record, e.g. when a source is removed */
  forget(sourceId: string): Promise<void>;
}

const DAY_MS = 24 * 3600_000;
const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

const SUCCESS = luaScript(`
local h, index = KEYS[1], KEYS[2]
local id, at, n, today, keep = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
redis.call('SADD', index, id)
redis.call('HSETNX', h, 'since', at)
redis.call('HSET', h, 'lastAttemptAt', at, 'lastSuccessAt', at, 'failures', 0)
if n > 0 then
  redis.call('HINCRBY', h, 'd:' .. today, n)
  redis.call('HSET', h, 'lastNewItemAt', at)
end
if ARGV[6] == '' then redis.call('HDEL', h, 'nextAttemptAt', 'nextAttemptReason')
else redis.call('HSET', h, 'nextAttemptAt', ARGV[6], 'nextAttemptReason', ARGV[7]) end
if ARGV[8] == 'clear' then redis.call('HDEL', h, 'feedTtlMs')
elseif ARGV[8] ~= 'keep' then redis.call('HSET', h, 'feedTtlMs', ARGV[8]) end
local leads, leadsFailed = tonumber(ARGV[9]), tonumber(ARGV[10])
if leads > 0 then redis.call('HINCRBY', h, 'lf:' .. today, leads) end
if leadsFailed > 0 then redis.call('HINCRBY', h, 'lx:' .. today, leadsFailed) end
local oldest = today - keep + 1
for _, f in ipairs(redis.call('HKEYS', h)) do
  local day = string.match(f, '^l?[dfx]:(%d+)$')
  if day and tonumber(day) < oldest then redis.call('HDEL', h, f) end
end
`);

const FAILURE = luaScript(`
local h, index = KEYS[1], KEYS[2]
local id, at = ARGV[1], ARGV[2]
redis.call('SADD', index, id)
redis.call('HSETNX', h, 'since', at)
redis.call('HSET', h, 'lastAttemptAt', at, 'lastErrorAt', at, 'lastErrorKind', ARGV[3], 'lastErrorParams', ARGV[4])
redis.call('HDEL', h, 'lastError', 'lastErrorStatus')
if ARGV[5] == '' then redis.call('HDEL', h, 'nextAttemptAt', 'nextAttemptReason')
else redis.call('HSET', h, 'nextAttemptAt', ARGV[5], 'nextAttemptReason', ARGV[6]) end
return redis.call('HINCRBY', h, 'failures', 1)
`);

const DISABLE = luaScript(`
if redis.call('HSETNX', KEYS[1], 'disabledAt', ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], 'disabled', ARGV[2])
  redis.call('HDEL', KEYS[1], 'disabledReason')
  redis.call('SADD', KEYS[2], ARGV[3])
  return 1
end
return 0
`);

const ENABLE = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local was = redis.call('HEXISTS', KEYS[1], 'disabledAt')
redis.call('HDEL', KEYS[1], 'disabledAt', 'disabled', 'disabledReason', 'nextAttemptAt', 'nextAttemptReason')
redis.call('HSET', KEYS[1], 'failures', 0)
return was
`);

export function createSourceHealthStore(redis: Redis, k: Keys, clock: () => number = Date.now): SourceHealthStore {
  const index = k.sourceHealthIndex();

  async function healthOf(ids: string[]): Promise<Map<string, SourceHealth>> {
    const out = new Map<string, SourceHealth>();
    if (ids.length === 0) return out;
    const pipe = redis.pipeline();
    for (const id of ids) pipe.hgetall(k.sourceHealth(id));
    const rows = (await pipe.exec()) ?? [];
    const now = clock();
    ids.forEach((id, i) => {
      const [err, hash] = rows[i] ?? [null, {}];
      if (err) throw err;
      out.set(id, healthFromHash(id, (hash ?? {}) as Record<string, string>, now));
    });
    return out;
  }

  return {
    async getHealth(sourceId) {
      return healthFromHash(sourceId, await redis.hgetall(k.sourceHealth(sourceId)), clock());
    },

    async allHealth() {
      const ids = (await redis.smembers(index)).sort();
      return [...(await healthOf(ids)).values()].filter((h) => h.since !== null);
    },

    healthOf,

    async recordSuccess(sourceId, r) {
      const ttl = r.feedTtlMs === undefined ? "keep" : r.feedTtlMs === null ? "clear" : String(Math.round(r.feedTtlMs));
      await SUCCESS(
        redis,
        [k.sourceHealth(sourceId), index],
        [
          sourceId,
          r.at,
          r.newItems,
          dayOf(r.at),
          BOUNDS.healthDays,
          r.next ? Math.round(r.next.at) : "",
          r.next?.reason ?? "",
          ttl,
          r.leads?.fetched ?? 0,
          r.leads?.failed ?? 0,
        ],
      );
    },

    async recordFailure(sourceId, r) {
      const n = await FAILURE(
        redis,
        [k.sourceHealth(sourceId), index],
        [sourceId, r.at, r.kind, JSON.stringify(r.params), r.next ? Math.round(r.next.at) : "", r.next?.reason ?? ""],
      );
      return Number(n);
    },

    async disable(sourceId, record, at) {
      const info = JSON.stringify({ kind: "failures", failures: record.failures, lastError: record.lastError });
      return (await DISABLE(redis, [k.sourceHealth(sourceId), index], [at, info, sourceId])) === 1;
    },

    async enableSource(sourceId) {
      return (await ENABLE(redis, [k.sourceHealth(sourceId)], [])) === 1;
    },

    async forget(sourceId) {
      await redis.multi().del(k.sourceHealth(sourceId)).srem(index, sourceId).exec();
    },
  };
}

/** Redis hash → SourceHealth; pure, so the arithmetic can be tested without Redis. */
export function healthFromHash(sourceId: string, h: Record<string, string>, now: number): SourceHealth {
  const num = (f: string): number | null => {
    const v = h[f];
    if (v === undefined || v === "") return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : null;
  };
  const since = num("since");
  const today = dayOf(now);
  let itemsLast7Days = 0;
  const leadsLast7Days = { fetched: 0, failed: 0 };
  for (const [field, value] of Object.entries(h)) {
    const m = /^(d|lf|lx):(\d+)$/.exec(field);
    if (!m) continue;
    const day = Number(m[2]);
    if (day <= today - BOUNDS.healthDays || day > today) continue;
    const n = Number(value) || 0;
    if (m[1] === "d") itemsLast7Days += n;
    else if (m[1] === "lf") leadsLast7Days.fetched += n;
    else leadsLast7Days.failed += n;
  }
  // A source watched for two hours has had one day, not a twelfth of one:
  // dividing by less than a day would inflate a young source's rate.
  const observedDays = since === null ? 1 : Math.min(BOUNDS.healthDays, Math.max(1, (now - since) / DAY_MS));
  const errorAt = num("lastErrorAt");
  const disabledAt = num("disabledAt");
  const failures = num("failures") ?? 0;
  const reason = h.nextAttemptReason;
  return {
    sourceId,
    since,
    lastAttemptAt: num("lastAttemptAt"),
    lastSuccessAt: num("lastSuccessAt"),
    lastError: errorAt === null ? null : { at: errorAt, ...storedError(h.lastErrorKind, h.lastErrorParams, h.lastError) },
    consecutiveFailures: failures,
    itemsLast7Days,
    itemsPerDay: Math.round((itemsLast7Days / observedDays) * 10) / 10,
    lastNewItemAt: num("lastNewItemAt"),
    nextAttemptAt: num("nextAttemptAt"),
    nextAttemptReason: reason === "backoff" || reason === "retry-after" || reason === "min-interval" ? reason : null,
    feedTtlMs: num("feedTtlMs"),
    disabled: disabledAt === null ? null : disabledRecord(disabledAt, h.disabled, h.disabledReason, failures),
    leadsLast7Days,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function paramsOf(v: unknown): FeedErrorParams {
  if (!isRecord(v)) return {};
  const out: FeedErrorParams = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === "string" || typeof x === "number") out[k] = x;
  return out;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Params from JSON; a record from before params keeps its English line as `message`. */
function storedError(kind: string | undefined, paramsJson: string | undefined, legacyMessage: string | undefined): StoredError {
  const e: StoredError = { kind: kind || "internal", params: paramsOf(parseJson(paramsJson)) };
  if (paramsJson === undefined && legacyMessage !== undefined) e.message = legacyMessage;
  return e;
}

function disabledRecord(at: number, json: string | undefined, legacyReason: string | undefined, failures: number): DisabledRecord {
  const v = parseJson(json);
  if (isRecord(v)) {
    const last = isRecord(v.lastError) ? v.lastError : null;
    return {
      at,
      kind: "failures",
      failures: typeof v.failures === "number" ? v.failures : failures,
      lastError: last ? { kind: typeof last.kind === "string" ? last.kind : "internal", params: paramsOf(last.params) } : null,
    };
  }
  // Written before: only an English sentence.
  const record: DisabledRecord = { at, kind: "failures", failures, lastError: null };
  if (legacyReason !== undefined) record.message = legacyReason;
  return record;
}
