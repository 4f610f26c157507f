import type { Redis } from "ioredis";
import { defaultPrefs, loadPrefs, storePrefs } from "../prefs/preferences.js";
import type { ChatPrefs } from "../prefs/types.js";
import type { Keys } from "./keys.js";
import { throwIfFailed } from "./redis.js";
import { keyOf, subKey } from "./sub-key.js";
import type { Subscriber, SubscriberStore } from "./types.js";

/**
 * One hash field per chat: `{chatId, kind, since, p?, stopped?}` as JSON.
 * `p` holds only the preferences that differ from the defaults
 * (src/prefs/preferences.ts, versioned), so most records are ~60 bytes and a
 * record written before preferences existed loads with the defaults. /stop
 * keeps the record with `stopped` (the chat's choices survive a /stop and
 * /start); a chat that blocked the bot or is gone is removed whole.
 */
interface StoredRecord {
  chatId: number;
  /** a forum topic's message_thread_id (the field is then "chatId:thread") */
  th?: number;
  kind: string;
  since: number;
  p?: unknown;
  stopped?: boolean;
  [field: string]: unknown;
}

/** One shared object for every chat on the defaults: records are read-only to callers (settings copy before changing). */
const DEFAULTS = frozen(defaultPrefs());

/** Shared between chats, so never changed in place: a mutation is a TypeError in strict mode, not a silent change to other chats. */
function frozen(p: ChatPrefs): ChatPrefs {
  for (const v of [p.sources, p.langs, p.keywords.include, p.keywords.exclude, p.keywords.phrases, p.keywords, p.mode, p.quiet]) {
    if (v && typeof v === "object") Object.freeze(v);
  }
  return Object.freeze(p);
}

/** Parsed records by their raw JSON: 100,000 chats are read at every planning round, and most records do not change between rounds. */
const PARSE_CACHE_MAX = 250_000;

export function createSubscriberStore(redis: Redis, k: Keys): SubscriberStore {
  const key = k.subscribers();
  const cache = new Map<string, (Subscriber & { stopped: boolean }) | null>();
  // Preferences by their stored JSON: chats that chose alike share one parsed (read-only) object.
  const prefsCache = new Map<string, ChatPrefs>();
  const prefsOf = (p: unknown): ChatPrefs => {
    const key = JSON.stringify(p);
    let hit = prefsCache.get(key);
    if (!hit) {
      hit = frozen(loadPrefs(p));
      if (prefsCache.size >= PARSE_CACHE_MAX) prefsCache.clear();
      prefsCache.set(key, hit);
    }
    return hit;
  };

  const read = (raw: string): StoredRecord | null => {
    try {
      const v = JSON.parse(raw) as unknown;
      if (!v || typeof v !== "object" || Array.isArray(v)) return null;
      const r = v as StoredRecord;
      return typeof r.chatId === "number" ? r : null;
    } catch {
      return null;
    }
  };
  const parse = (raw: string): (Subscriber & { stopped: boolean }) | null => {
    const hit = cache.get(raw);
    if (hit !== undefined) return hit;
    const r = read(raw);
    const sub = r
      ? {
          key: subKey(r.chatId, typeof r.th === "number" ? r.th : undefined),
          chatId: r.chatId,
          ...(typeof r.th === "number" ? { thread: r.th } : {}),
          kind: typeof r.kind === "string" ? r.kind : "private",
          since: typeof r.since === "number" ? r.since : 0,
          prefs: r.p === undefined ? DEFAULTS : prefsOf(r.p),
          stopped: r.stopped === true,
        }
      : null;
    if (cache.size >= PARSE_CACHE_MAX) cache.clear();
    cache.set(raw, sub);
    return sub;
  };
  const active = (raw: string | null): Subscriber | null => {
    const s = raw === null ? null : parse(raw);
    if (!s || s.stopped) return null;
    const { stopped: _, ...sub } = s;
    return sub;
  };
  const write = (r: StoredRecord) => JSON.stringify(r);

  return {
    async add(sub) {
      const field = subKey(sub.chatId, sub.thread);
      // HSETNX keeps the original "since" when /start arrives twice.
      const rec: StoredRecord = { chatId: sub.chatId, kind: sub.kind, since: sub.since };
      if (sub.thread !== undefined) rec.th = sub.thread;
      const stored = sub.prefs ? storePrefs(sub.prefs) : undefined;
      if (stored) rec.p = stored;
      if ((await redis.hsetnx(key, field, write(rec))) === 1) return true;
      // Stopped before: subscribed again, with the choices it had.
      const raw = await redis.hget(key, field);
      const old = raw === null ? null : read(raw);
      if (!old?.stopped) return false;
      const { stopped: _, ...rest } = old;
      await redis.hset(key, field, write({ ...rest, since: sub.since }));
      return true;
    },
    async stop(ref) {
      const field = keyOf(ref);
      const raw = await redis.hget(key, field);
      const old = raw === null ? null : read(raw);
      if (!old || old.stopped === true) return false;
      await redis.hset(key, field, write({ ...old, stopped: true }));
      return true;
    },
    async remove(ref) {
      return (await redis.hdel(key, keyOf(ref))) === 1;
    },
    async has(ref) {
      return active(await redis.hget(key, keyOf(ref))) !== null;
    },
    async get(ref) {
      return active(await redis.hget(key, keyOf(ref)));
    },
    async prefsOf(ref) {
      const raw = await redis.hget(key, keyOf(ref));
      return raw === null ? null : (parse(raw)?.prefs ?? null);
    },
    async remember(sub, prefs) {
      // A chat that never subscribed (a /language before /start): a stopped record that only carries its choices.
      const field = subKey(sub.chatId, sub.thread);
      const raw = await redis.hget(key, field);
      const old = raw === null ? null : read(raw);
      const base: StoredRecord = old ?? {
        chatId: sub.chatId,
        ...(sub.thread === undefined ? {} : { th: sub.thread }),
        kind: sub.kind,
        since: 0,
        stopped: true,
      };
      const { p: _, ...rest } = base;
      const stored = storePrefs(prefs);
      await redis.hset(key, field, write(stored ? { ...rest, p: stored } : rest));
    },
    async topicsOf(chatId) {
      // The chat's own field and its topics' ("chatId:thread"); HSCAN with a pattern, not HVALS of everybody.
      const out: Subscriber[] = [];
      let cursor = "0";
      do {
        const [next, entries] = await redis.hscan(key, cursor, "MATCH", `${chatId}*`, "COUNT", 1000);
        cursor = next;
        for (let i = 0; i + 1 < entries.length; i += 2) {
          const field = entries[i] as string;
          if (field !== String(chatId) && !field.startsWith(`${chatId}:`)) continue;
          const s = active(entries[i + 1] as string);
          if (s) out.push(s);
        }
      } while (cursor !== "0");
      return out;
    },
    async all() {
      const out: Subscriber[] = [];
      for (const raw of await redis.hvals(key)) {
        const s = active(raw);
        if (s) out.push(s);
      }
      return out;
    },
    async count() {
      let n = 0;
      for (const raw of await redis.hvals(key)) if (active(raw)) n++;
      return n;
    },
    async setPrefs(ref, prefs: ChatPrefs) {
      const field = keyOf(ref);
      const raw = await redis.hget(key, field);
      const old = raw === null ? null : read(raw);
      if (!old || old.stopped === true) return false;
      const { p: _, ...rest } = old;
      const stored = storePrefs(prefs);
      await redis.hset(key, field, write(stored ? { ...rest, p: stored } : rest));
      return true;
    },
    async migrate(from, to) {
      const raw = await redis.hget(key, String(from));
      if (raw === null) {
        // Moved already (another job of the same chat got there first), or never here: keep what `to` has.
        await redis.hsetnx(key, String(to), JSON.stringify({ chatId: to, kind: "supergroup", since: Date.now() }));
        return;
      }
      // Copied whole, not rebuilt: fields this code does not know of (added later) survive.
      // Parsed in JS, never in Lua: cjson would round large chat ids.
      let old: Record<string, unknown> = {};
      try {
        const v = JSON.parse(raw) as unknown;
        if (v && typeof v === "object" && !Array.isArray(v)) old = v as Record<string, unknown>;
      } catch {
        // an unreadable record: moved as a fresh one
      }
      const moved = { since: Date.now(), ...old, chatId: to, kind: "supergroup" };
      await redis.multi().hdel(key, String(from)).hset(key, String(to), JSON.stringify(moved)).exec().then(throwIfFailed);
    },
  };
}
