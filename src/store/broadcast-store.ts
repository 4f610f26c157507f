import type { Redis } from "ioredis";
import { luaScript } from "../infra/lua.js";
import { BOUNDS, type Keys } from "./keys.js";
import { throwIfFailed } from "./redis.js";

export type BroadcastStatus = "pending" | "sending" | "done" | "cancelled";

export interface Broadcast {
  id: string;
  adminId: number;
  /** where the preview and the report go */
  adminChatId: number;
  text: string;
  createdAt: number;
  status: BroadcastStatus;
  previewMessageId?: number;
}

/** How a confirmed broadcast is going: written by delivery, kept in the broadcast's own record. */
export interface BroadcastRun {
  /** chats the broadcast is meant for (known once the fan-out finished) */
  total: number;
  /** every job was added: a restart need not add them again */
  fannedOut: boolean;
  startedAt: number;
  /** the last progress text shown, so an unchanged one is not sent as an edit */
  progressText: string;
}

/**
 * The record `broadcast:<id>` is this store's alone: a hash with the
 * broadcast as JSON (`data`), its `status` in a field of its own (decoding
 * the JSON in Lua — cjson — would round large chat ids), and the run fields
 * (`total`, `fanned`, `startedAt`, `progressText`).
 *
 * Compare-and-set on the status, so a Send button pressed twice (or an update
 * redelivered after a crash) starts the broadcast once.
 */
const TRANSITION = luaScript(`
if redis.call('HGET', KEYS[1], 'status') ~= ARGV[1] then return nil end
redis.call('HSET', KEYS[1], 'status', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
if ARGV[2] == 'sending' then redis.call('SADD', KEYS[2], ARGV[4]) else redis.call('SREM', KEYS[2], ARGV[4]) end
return redis.call('HGET', KEYS[1], 'data')
`);

/** Run fields are written only while the record exists: a late write must not resurrect an expired (or lost) one. */
const SET_RUN = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local nx = ARGV[1] == '1'
for i = 2, #ARGV, 2 do
  if nx then redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1]) else redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
return 1
`);

export interface BroadcastStore {
  create(b: Omit<Broadcast, "status">): Promise<Broadcast>;
  get(id: string): Promise<Broadcast | null>;
  /** the status alone (one field read): null when the broadcast is missing or expired */
  status(id: string): Promise<BroadcastStatus | null>;
  setPreviewMessage(id: string, messageId: number): Promise<void>;
  /** null when the broadcast is missing, expired or not in `from` */
  transition(id: string, from: BroadcastStatus, to: BroadcastStatus): Promise<Broadcast | null>;
  /** broadcasts confirmed but not finished: resumed after a restart */
  active(): Promise<Broadcast[]>;
  /** how the broadcast is going (zeros and "" for what is not known yet) */
  run(id: string): Promise<BroadcastRun>;
  /** false when the record is gone (nothing written) */
  setRun(id: string, run: Partial<BroadcastRun>): Promise<boolean>;
  /** sets startedAt the first time only */
  markStarted(id: string, at: number): Promise<void>;
}

function runFields(run: Partial<BroadcastRun>): string[] {
  const f: string[] = [];
  if (run.total !== undefined) f.push("total", String(run.total));
  if (run.fannedOut !== undefined) f.push("fanned", run.fannedOut ? "1" : "0");
  if (run.progressText !== undefined) f.push("progressText", run.progressText);
  if (run.startedAt !== undefined) f.push("startedAt", String(run.startedAt));
  return f;
}

export function createBroadcastStore(redis: Redis, k: Keys): BroadcastStore {
  const decode = (data: string, status: string): Broadcast => ({
    ...(JSON.parse(data) as Omit<Broadcast, "status">),
    status: status as BroadcastStatus,
  });
  const get = async (id: string): Promise<Broadcast | null> => {
    const [data, status] = await redis.hmget(k.broadcast(id), "data", "status");
    if (!data || !status) return null;
    return decode(data, status);
  };
  return {
    async create(b) {
      throwIfFailed(
        await redis
          .multi()
          .hset(k.broadcast(b.id), { data: JSON.stringify(b), status: "pending" })
          .expire(k.broadcast(b.id), BOUNDS.broadcastTtlS)
          .exec(),
      );
      return { ...b, status: "pending" };
    },
    get,
    async status(id) {
      return ((await redis.hget(k.broadcast(id), "status")) as BroadcastStatus | null) ?? null;
    },
    async setPreviewMessage(id, messageId) {
      const b = await get(id);
      if (!b) return;
      const { status: _status, ...data } = b;
      await redis.hset(k.broadcast(id), "data", JSON.stringify({ ...data, previewMessageId: messageId }));
    },
    async transition(id, from, to) {
      const ttl = to === "pending" ? BOUNDS.broadcastTtlS : BOUNDS.broadcastKeepS;
      const data = (await TRANSITION(redis, [k.broadcast(id), k.activeBroadcasts()], [from, to, ttl, id])) as string | null;
      return data ? decode(data, to) : null;
    },
    async active() {
      const ids = await redis.smembers(k.activeBroadcasts());
      const all = await Promise.all(ids.map(get));
      return all.filter((b): b is Broadcast => b !== null && b.status === "sending");
    },
    async run(id) {
      const [total, fanned, startedAt, progressText] = await redis.hmget(k.broadcast(id), "total", "fanned", "startedAt", "progressText");
      return {
        total: Number(total ?? 0),
        fannedOut: fanned === "1",
        startedAt: Number(startedAt ?? 0),
        progressText: progressText ?? "",
      };
    },
    async setRun(id, run) {
      const fields = runFields(run);
      if (fields.length === 0) return (await redis.exists(k.broadcast(id))) === 1;
      return (await SET_RUN(redis, [k.broadcast(id)], ["0", ...fields])) === 1;
    },
    async markStarted(id, at) {
      await SET_RUN(redis, [k.broadcast(id)], ["1", ...runFields({ startedAt: at })]);
    },
  };
}
