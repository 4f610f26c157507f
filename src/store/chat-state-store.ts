import type { Redis } from "ioredis";
import { luaScript } from "../infra/lua.js";
import { BOUNDS, type Keys } from "./keys.js";
import { throwIfFailed } from "./redis.js";
import { type ChatRef, keyOf, type SubKey } from "./sub-key.js";

/**
 * Where each subscription stands on the timeline, and when it is due. A
 * subscription is a chat or one topic of a forum, by its key
 * (src/store/sub-key.ts: "chatId" or "chatId:thread"); a plain chat's key is
 * its id as a string, as the fields were before topics existed. Every method
 * takes a ChatRef: a chat id (the chat's own subscription) or a key. "Chat"
 * below means a subscription.
 *
 * - `chats` (hash, one field per subscription key): the cursor — the number of the last
 *   timeline story the chat was sent or passed over — and the last
 *   BOUNDS.chatMessagesKept messages it was sent (which stories each covered
 *   and its message id), for same-story edits. Packed in base 36:
 *   `cursor|to.msg|from-to.msg` (a card covers one story, `to`; a digest the
 *   stories after `from` up to `to`). A chat costs one field of some 10–60
 *   bytes, whatever the number of stories: nothing is kept per story per chat.
 * - `chats:due` (zset): chats with a delivery due, scored by when — news
 *   waiting, or the next digest. One entry per chat at most: stories that
 *   arrive while a chat waits join the delivery it is waiting for.
 * - `chats:active` (zset): chats a process is delivering to now, scored by
 *   when its claim lapses (renewed while it works); a lapsed claim (the
 *   process died) goes back to `due` at the next claim.
 * - `timeline:planned`: how far the planner got.
 */
export interface SentMessage {
  /** a digest: the stories after `from` up to `to` that the chat's preferences passed; a card: to - 1 */
  from: number;
  to: number;
  messageId: number;
  /** a digest covers (from, to]; a card is the one story numbered `to` */
  digest: boolean;
}

export interface ChatState {
  cursor: number;
  /** oldest first */
  sent: SentMessage[];
}

export function packState(s: ChatState): string {
  const parts = [s.cursor.toString(36)];
  for (const m of s.sent.slice(-BOUNDS.chatMessagesKept)) {
    parts.push(
      m.digest
        ? `${m.from.toString(36)}-${m.to.toString(36)}.${m.messageId.toString(36)}`
        : `${m.to.toString(36)}.${m.messageId.toString(36)}`,
    );
  }
  return parts.join("|");
}

const B36 = /^[0-9a-z]{1,12}$/;
const num = (s: string | undefined): number | null => (s !== undefined && B36.test(s) ? Number.parseInt(s, 36) : null);

/** Never throws: an unreadable entry is dropped, an unreadable cursor makes the whole state unreadable (null). */
export function unpackState(raw: string): ChatState | null {
  const [head, ...rest] = raw.split("|");
  const cursor = num(head);
  if (cursor === null) return null;
  const sent: SentMessage[] = [];
  for (const e of rest) {
    const [range, msg] = e.split(".");
    const messageId = num(msg);
    if (!range || messageId === null) continue;
    const dash = range.indexOf("-");
    if (dash < 0) {
      const to = num(range);
      if (to !== null) sent.push({ from: to - 1, to, messageId, digest: false });
    } else {
      const from = num(range.slice(0, dash));
      const to = num(range.slice(dash + 1));
      if (from !== null && to !== null && from < to) sent.push({ from, to, messageId, digest: true });
    }
  }
  return { cursor, sent };
}

/**
 * Lapsed claims back to `due` (at once), then up to ARGV[3] chats due by
 * ARGV[1] that nobody works on, moved to `active` until ARGV[1] + ARGV[2].
 * A chat marked due again while it is being delivered to stays due: it is
 * taken once the delivery in hand is over.
 */
const CLAIM = luaScript(`
local due, active = KEYS[1], KEYS[2]
local now, lease, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local lapsed = redis.call('ZRANGEBYSCORE', active, '-inf', now, 'LIMIT', 0, 100)
for _, c in ipairs(lapsed) do
  redis.call('ZREM', active, c)
  redis.call('ZADD', due, 'LT', now, c)
end
local out = {}
local cands = redis.call('ZRANGEBYSCORE', due, '-inf', now, 'WITHSCORES', 'LIMIT', 0, max * 4)
for i = 1, #cands, 2 do
  if #out >= max * 2 then break end
  local c = cands[i]
  if not redis.call('ZSCORE', active, c) then
    redis.call('ZREM', due, c)
    redis.call('ZADD', active, now + lease, c)
    out[#out + 1] = c
    out[#out + 1] = cands[i + 1]
  end
end
return out
`);

export interface ChatStateStore {
  get(ref: ChatRef): Promise<ChatState | null>;
  /** many at once (the planner), in the order given; null for chats without state */
  getMany(refs: ChatRef[]): Promise<(ChatState | null)[]>;
  /** a chat subscribed (again): it starts at `head` — it gets what comes next, never a backlog */
  start(ref: ChatRef, head: number): Promise<void>;
  /** only by the holder of the chat's claim */
  save(ref: ChatRef, state: ChatState): Promise<void>;
  /** the chat's preferences changed: its earlier messages are no longer edited (they were composed under the old ones) */
  forgetSent(ref: ChatRef): Promise<void>;
  /** the subscription is gone: its state and schedule go */
  remove(ref: ChatRef): Promise<void>;
  /** a group became a supergroup: the cursor of its own subscription moves to the new id (message ids do not carry over) */
  migrate(from: number, to: number): Promise<void>;
  /** due at `atMs` unless already due (at any time): the one pending delivery takes whatever arrives meanwhile */
  markDue(refs: ChatRef[], atMs: number): Promise<void>;
  /** due at exactly `atMs` (the next digest, or a delivery put back for later) */
  dueAt(ref: ChatRef, atMs: number): Promise<void>;
  /** not due any more (e.g. a digest chat switched off digests is marked due now instead) */
  notDue(ref: ChatRef): Promise<void>;
  /** when the chat is due; null when not */
  due(ref: ChatRef): Promise<number | null>;
  /** the same for many, in order (one round trip per 1,000) */
  dueMany(refs: ChatRef[]): Promise<(number | null)[]>;
  /** up to `max` due subscriptions nobody works on, now claimed by the caller, with when each became due */
  claim(nowMs: number, max: number): Promise<{ key: SubKey; dueAt: number }[]>;
  /** extends claims still held */
  renew(refs: ChatRef[], nowMs: number): Promise<void>;
  release(ref: ChatRef): Promise<void>;
  planned(): Promise<number>;
  setPlanned(seq: number): Promise<void>;
  counts(nowMs: number): Promise<{ due: number; waiting: number; active: number }>;
  /** when the chat due earliest among those due by `nowMs` became due; null when none is (one ZRANGEBYSCORE … LIMIT 0 1) */
  oldestDueAt(nowMs: number): Promise<number | null>;
}

export function createChatStateStore(redis: Redis, k: Keys): ChatStateStore {
  const h = k.chatState();
  const due = k.chatsDue();
  const active = k.chatsActive();
  return {
    async get(ref) {
      const raw = await redis.hget(h, keyOf(ref));
      return raw === null ? null : unpackState(raw);
    },
    async getMany(refs) {
      if (refs.length === 0) return [];
      const raw = await redis.hmget(h, ...refs.map(keyOf));
      return raw.map((r) => (r === null ? null : unpackState(r)));
    },
    async start(ref, head) {
      const old = await this.get(ref);
      const cursor = Math.max(old?.cursor ?? 0, head);
      await redis.hset(h, keyOf(ref), packState({ cursor, sent: [] }));
    },
    async save(ref, state) {
      await redis.hset(h, keyOf(ref), packState(state));
    },
    async forgetSent(ref) {
      const s = await this.get(ref);
      if (s?.sent.length) await redis.hset(h, keyOf(ref), packState({ cursor: s.cursor, sent: [] }));
    },
    async remove(ref) {
      const c = keyOf(ref);
      throwIfFailed(await redis.multi().hdel(h, c).zrem(due, c).zrem(active, c).exec());
    },
    async migrate(from, to) {
      const s = await this.get(from);
      const m = redis.multi().hdel(h, String(from)).zrem(due, String(from));
      if (s) m.hsetnx(h, String(to), packState({ cursor: s.cursor, sent: [] }));
      throwIfFailed(await m.exec());
    },
    async markDue(refs, atMs) {
      for (let i = 0; i < refs.length; i += 1000) {
        const args = refs.slice(i, i + 1000).flatMap((c) => [atMs, keyOf(c)]);
        await redis.zadd(due, "NX", ...args);
      }
    },
    async dueAt(ref, atMs) {
      await redis.zadd(due, atMs, keyOf(ref));
    },
    async notDue(ref) {
      await redis.zrem(due, keyOf(ref));
    },
    async due(ref) {
      const s = await redis.zscore(due, keyOf(ref));
      return s === null ? null : Number(s);
    },
    async dueMany(refs) {
      const out: (number | null)[] = [];
      for (let i = 0; i < refs.length; i += 1000) {
        const scores = await redis.zmscore(due, ...refs.slice(i, i + 1000).map(keyOf));
        for (const s of scores) out.push(s === null ? null : Number(s));
      }
      return out;
    },
    async claim(nowMs, max) {
      const flat = (await CLAIM(redis, [due, active], [nowMs, BOUNDS.chatClaimMs, max])) as string[];
      const out: { key: SubKey; dueAt: number }[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) out.push({ key: String(flat[i]), dueAt: Number(flat[i + 1]) });
      return out;
    },
    async renew(refs, nowMs) {
      if (refs.length === 0) return;
      await redis.zadd(active, "XX", ...refs.flatMap((c) => [nowMs + BOUNDS.chatClaimMs, keyOf(c)]));
    },
    async release(ref) {
      await redis.zrem(active, keyOf(ref));
    },
    async planned() {
      return Number((await redis.get(k.timelinePlanned())) ?? 0);
    },
    async setPlanned(seq) {
      await redis.set(k.timelinePlanned(), String(seq));
    },
    async counts(nowMs) {
      const [d, w, a] = await Promise.all([redis.zcard(due), redis.zcount(due, "-inf", nowMs), redis.zcard(active)]);
      return { due: d, waiting: w, active: a };
    },
    async oldestDueAt(nowMs) {
      const [, score] = await redis.zrangebyscore(due, "-inf", nowMs, "WITHSCORES", "LIMIT", 0, 1);
      return score === undefined ? null : Number(score);
    },
  };
}
