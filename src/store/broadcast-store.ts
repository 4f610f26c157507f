import type { Redis } from "ioredis";
import { BOUNDS, type Keys } from "./keys.js";

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

/**
 * Compare-and-set on the status, so a Send button pressed twice (or an update
 * redelivered after a crash) starts the broadcast once.
 */
// The status lives in its own hash field: decoding the JSON in Lua (cjson)
// would round large chat ids.
const TRANSITION = `
if redis.call('HGET', KEYS[1], 'status') ~= ARGV[1] then return nil end
redis.call('HSET', KEYS[1], 'status', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
if ARGV[2] == 'sending' then redis.call('SADD', KEYS[2], ARGV[4]) else redis.call('SREM', KEYS[2], ARGV[4]) end
return redis.call('HGET', KEYS[1], 'data')
`;

export interface BroadcastStore {
  create(b: Omit<Broadcast, "status">): Promise<Broadcast>;
  get(id: string): Promise<Broadcast | null>;
  setPreviewMessage(id: string, messageId: number): Promise<void>;
  /** null when the broadcast is missing, expired or not in `from` */
  transition(id: string, from: BroadcastStatus, to: BroadcastStatus): Promise<Broadcast | null>;
  /** broadcasts confirmed but not finished: resumed after a restart */
  active(): Promise<Broadcast[]>;
}

export function createBroadcastStore(redis: Redis, k: Keys): BroadcastStore {
  const get = async (id: string): Promise<Broadcast | null> => {
    const [data, status] = await redis.hmget(k.broadcast(id), "data", "status");
    if (!data || !status) return null;
    return { ...(JSON.parse(data) as Omit<Broadcast, "status">), status: status as BroadcastStatus };
  };
  return {
    async create(b) {
      await redis
        .multi()
        .hset(k.broadcast(b.id), { data: JSON.stringify(b), status: "pending" })
        .expire(k.broadcast(b.id), BOUNDS.broadcastTtlS)
        .exec();
      return { ...b, status: "pending" };
    },
    get,
    async setPreviewMessage(id, messageId) {
      const b = await get(id);
      if (!b) return;
      const { status: _status, ...data } = b;
      await redis.hset(k.broadcast(id), "data", JSON.stringify({ ...data, previewMessageId: messageId }));
    },
    async transition(id, from, to) {
      const ttl = to === "pending" ? BOUNDS.broadcastTtlS : BOUNDS.broadcastKeepS;
      const data = (await redis.eval(TRANSITION, 2, k.broadcast(id), k.activeBroadcasts(), from, to, ttl, id)) as
        | string
        | null;
      return data ? { ...(JSON.parse(data) as Omit<Broadcast, "status">), status: to } : null;
    },
    async active() {
      const ids = await redis.smembers(k.activeBroadcasts());
      const all = await Promise.all(ids.map(get));
      return all.filter((b): b is Broadcast => b !== null && b.status === "sending");
    },
  };
}
