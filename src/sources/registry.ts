import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { type Fulltext, fulltextOf, type Source, sourceSchema } from "../config.js";
import type { Guard } from "../feeds/ssrf.js";
import { luaScript } from "../infra/lua.js";
import type { Logger } from "../log.js";
import { feedUrlKey } from "../news/url.js";
import { BOUNDS, type Keys } from "../store/keys.js";
import type { ItemStore } from "../store/types.js";
import { idCandidates } from "./slug.js";

/**
 * The news sources: SOURCES_FILE's, which the bot cannot change, and those
 * admins added from the chat, kept in Redis. Both are validated with the same
 * zod schema. A file source "removed" from the chat is switched off in Redis
 * instead (the file stays as it is); a chat source is deleted.
 *
 * The poller and the news service read `cached()`, a synchronous snapshot
 * that every change made here refreshes at once and `refresh()` (called at
 * each poll tick) brings up to date with changes other processes made.
 */

export type SourceOrigin = "file" | "chat";

export interface RegisteredSource extends Source {
  origin: SourceOrigin;
  /** chat sources: the admin who added it, and when */
  addedBy?: number;
  addedAt?: number;
}

export interface AddMeta {
  by: number;
  at: number;
}

export type ConfirmResult =
  | { status: "added"; source: RegisteredSource }
  /** pressed twice, cancelled, or expired */
  | { status: "gone" }
  | { status: "duplicate"; existing: RegisteredSource }
  | { status: "full" };

export type RemoveResult =
  | { status: "removed"; source: RegisteredSource }
  /** a SOURCES_FILE source: switched off instead */
  | { status: "disabled"; source: RegisteredSource }
  | { status: "already-disabled"; source: RegisteredSource }
  | { status: "not-found" };

export type FulltextResult =
  /** `was`: the mode it had */
  | { status: "changed"; source: RegisteredSource; was: Fulltext }
  | { status: "unchanged"; source: RegisteredSource }
  /** a SOURCES_FILE source: its mode is the file's to set */
  | { status: "file"; source: RegisteredSource }
  | { status: "not-found" };

export type EnableResult = { status: "enabled" | "already-enabled"; source: RegisteredSource } | { status: "not-found" };

export interface ImportResult {
  added: RegisteredSource[];
  /** no room left under the cap */
  full: Source[];
}

export interface SourceRegistry {
  /** the last snapshot, enabled and disabled sources alike: file sources first, then chat sources oldest first */
  cached(): RegisteredSource[];
  /** reloads the chat sources and switches from Redis */
  refresh(): Promise<RegisteredSource[]>;
  list(): Promise<RegisteredSource[]>;
  get(id: string): Promise<RegisteredSource | null>;
  /** the SSRF guard for fetching this source: chat sources are guarded unless private addresses are allowed */
  guardFor(id: string): Guard | undefined;
  /** the source with the same feed URL, if any */
  findByUrl(url: string): RegisteredSource | undefined;
  /** every id in use, file ids included */
  takenIds(): Set<string>;
  /** keeps a previewed source for Add / Cancel (15 minutes); returns the token for the buttons */
  propose(source: Source, meta: AddMeta): Promise<string>;
  /** Add pressed: stores the proposal once, however often it is pressed */
  confirm(token: string): Promise<ConfirmResult>;
  /** Cancel pressed: true when the proposal was still there */
  cancel(token: string): Promise<boolean>;
  /** adds already validated sources (OPML import), with fresh ids where theirs are taken */
  addMany(sources: readonly Source[], meta: AddMeta): Promise<ImportResult>;
  remove(id: string): Promise<RemoveResult>;
  enable(id: string): Promise<EnableResult>;
  /** a chat source's `fulltext` (auto is stored as no field, as a source added without the option) */
  setFulltext(id: string, mode: Fulltext): Promise<FulltextResult>;
}

export interface RegistryDeps {
  redis: Redis;
  keys: Keys;
  fileSources: readonly Source[];
  /** ALLOW_PRIVATE_SOURCES */
  allowPrivate: boolean;
  logger: Logger;
  /**
   * The item store, told to forget a deleted chat source's feed (seen keys,
   * HTTP cache, "polled before"): were the id reused for another feed, its
   * first poll must count as a backlog, not as news. The registry never
   * touches those keys itself.
   */
  items: Pick<ItemStore, "forget">;
  /** called after a chat source is deleted, e.g. to drop its health record */
  onRemoved?: (id: string) => Promise<unknown>;
}

/**
 * One step: the proposal (when there is one) must still exist, the id must be
 * free and the cap not reached; then the source is stored and the proposal
 * deleted, so a second press of Add finds nothing to add.
 */
const ADD = luaScript(`
local added, proposal = KEYS[1], KEYS[2]
local id, record, cap, needsProposal = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4] == '1'
if needsProposal and redis.call('EXISTS', proposal) == 0 then return 'gone' end
if redis.call('HEXISTS', added, id) == 1 then return 'taken' end
if redis.call('HLEN', added) >= cap then return 'full' end
redis.call('HSET', added, id, record)
if needsProposal then redis.call('DEL', proposal) end
return 'added'
`);

/** HSET only when the field exists (HSETXX, which Redis lacks). */
const REWRITE = luaScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`);

interface StoredRecord {
  source: Source;
  addedBy: number;
  addedAt: number;
}

interface Proposal {
  source: Source;
  by: number;
  at: number;
}

export function createSourceRegistry(deps: RegistryDeps): SourceRegistry {
  const { redis, keys: k, logger } = deps;
  const fileIds = new Set(deps.fileSources.map((s) => s.id));
  let snapshot: RegisteredSource[] = deps.fileSources.map((s) => ({ ...s, origin: "file" }));

  async function refresh(): Promise<RegisteredSource[]> {
    const [addedRaw, overrides] = await Promise.all([redis.hgetall(k.addedSources()), redis.hgetall(k.sourceOverrides())]);
    const stale = Object.keys(overrides).filter((id) => !fileIds.has(id));
    if (stale.length) await redis.hdel(k.sourceOverrides(), ...stale);

    const file: RegisteredSource[] = deps.fileSources.map((s) => {
      const o = overrides[s.id];
      return { ...s, enabled: o === undefined ? s.enabled : o === "1", origin: "file" };
    });
    const chat: RegisteredSource[] = [];
    for (const [id, json] of Object.entries(addedRaw)) {
      const rec = decodeRecord(id, json);
      if (!rec) {
        logger.warn({ source: id }, "sources: a chat-added source in Redis is not valid, skipped");
        continue;
      }
      if (fileIds.has(id)) {
        logger.warn({ source: id }, "sources: SOURCES_FILE now has a source with this chat-added source's id; the file's wins");
        continue;
      }
      chat.push({ ...rec.source, origin: "chat", addedBy: rec.addedBy, addedAt: rec.addedAt });
    }
    chat.sort((a, b) => (a.addedAt ?? 0) - (b.addedAt ?? 0) || a.id.localeCompare(b.id));
    snapshot = [...file, ...chat];
    return snapshot;
  }

  const byId = (id: string) => snapshot.find((s) => s.id === id);
  const takenIds = () => new Set(snapshot.map((s) => s.id));
  const findByUrl = (url: string) => {
    const key = feedUrlKey(url);
    return snapshot.find((s) => feedUrlKey(s.url) === key);
  };

  /** Stores under the first free id from `source.id` on: retried when another process took one meanwhile. */
  async function store(source: Source, meta: AddMeta, proposalKey?: string): Promise<"gone" | "full" | RegisteredSource> {
    const taken = takenIds();
    for (const id of idCandidates(source.id, taken, 20)) {
      const rec: StoredRecord = { source: { ...source, id }, addedBy: meta.by, addedAt: meta.at };
      const r = (await ADD(
        redis,
        [k.addedSources(), proposalKey ?? k.addedSources()],
        [id, JSON.stringify(rec), BOUNDS.addedSourcesCap, proposalKey ? "1" : "0"],
      )) as string;
      if (r === "added") return { ...rec.source, origin: "chat", addedBy: meta.by, addedAt: meta.at };
      if (r === "gone" || r === "full") return r;
    }
    throw new Error(`sources: no free id for "${source.id}"`);
  }

  return {
    cached: () => snapshot,
    refresh,
    list: refresh,
    async get(id) {
      await refresh();
      return byId(id) ?? null;
    },
    guardFor(id) {
      if (deps.allowPrivate) return undefined;
      return byId(id)?.origin === "chat" ? "public-only" : undefined;
    },
    findByUrl,
    takenIds,

    async propose(source, meta) {
      const token = randomBytes(6).toString("hex");
      const p: Proposal = { source: sourceSchema.parse(source), by: meta.by, at: meta.at };
      await redis.set(k.sourceProposal(token), JSON.stringify(p), "EX", BOUNDS.sourceProposalTtlS);
      return token;
    },

    async confirm(token) {
      const raw = await redis.get(k.sourceProposal(token));
      const p = raw ? decodeProposal(raw) : null;
      if (!p) return { status: "gone" };
      await refresh();
      const existing = findByUrl(p.source.url);
      if (existing) {
        await redis.del(k.sourceProposal(token));
        return { status: "duplicate", existing };
      }
      const r = await store(p.source, { by: p.by, at: p.at }, k.sourceProposal(token));
      if (r === "gone" || r === "full") return { status: r };
      await refresh();
      return { status: "added", source: r };
    },

    async cancel(token) {
      return (await redis.del(k.sourceProposal(token))) === 1;
    },

    async addMany(sources, meta) {
      await refresh();
      const out: ImportResult = { added: [], full: [] };
      for (const [i, s] of sources.entries()) {
        // A millisecond apart, so the list keeps the file's order (chat sources are listed by addedAt).
        const r = await store(sourceSchema.parse(s), { by: meta.by, at: meta.at + i });
        if (r === "full" || r === "gone") out.full.push(s);
        else {
          out.added.push(r);
          snapshot = [...snapshot, r];
        }
      }
      await refresh();
      return out;
    },

    async remove(id) {
      await refresh();
      const source = byId(id);
      if (!source) return { status: "not-found" };
      if (source.origin === "file") {
        if (!source.enabled) return { status: "already-disabled", source };
        await redis.hset(k.sourceOverrides(), id, "0");
        await refresh();
        return { status: "disabled", source: { ...source, enabled: false } };
      }
      // What the bot remembers of the feed goes first: a crash in between
      // leaves the source with a fresh start (its next poll a backlog), never
      // a deleted source whose memory a reused id would inherit.
      await deps.items.forget(id);
      await redis.hdel(k.addedSources(), id);
      await deps.onRemoved?.(id);
      await refresh();
      return { status: "removed", source };
    },

    async enable(id) {
      await refresh();
      const source = byId(id);
      if (!source) return { status: "not-found" };
      if (source.enabled) return { status: "already-enabled", source };
      if (source.origin === "file") await redis.hset(k.sourceOverrides(), id, "1");
      else await rewrite({ ...source, enabled: true });
      await refresh();
      return { status: "enabled", source: { ...source, enabled: true } };
    },

    async setFulltext(id, mode) {
      await refresh();
      const source = byId(id);
      if (!source) return { status: "not-found" };
      if (source.origin === "file") return { status: "file", source };
      const was = fulltextOf(source);
      if (was === mode) return { status: "unchanged", source };
      const { fulltext: _f, ...rest } = source;
      const changed: RegisteredSource = mode === "auto" ? rest : { ...rest, fulltext: mode };
      const stored = await rewrite(changed);
      await refresh();
      return stored ? { status: "changed", source: changed, was } : { status: "not-found" };
    },
  };

  /**
   * A chat source's record, stored again with a change. Only while it is
   * still there: a source another process deleted meanwhile is not brought
   * back (false).
   */
  async function rewrite(source: RegisteredSource): Promise<boolean> {
    const rec: StoredRecord = { source: stripRegistryFields(source), addedBy: source.addedBy ?? 0, addedAt: source.addedAt ?? 0 };
    return (await REWRITE(redis, [k.addedSources()], [source.id, JSON.stringify(rec)])) === 1;
  }
}

function stripRegistryFields(s: RegisteredSource): Source {
  const { origin: _o, addedBy: _b, addedAt: _a, ...source } = s;
  return source;
}

function decodeRecord(id: string, json: string): StoredRecord | null {
  try {
    const rec = JSON.parse(json) as Partial<StoredRecord>;
    const r = sourceSchema.safeParse(rec.source);
    if (!r.success || r.data.id !== id) return null;
    return { source: r.data, addedBy: Number(rec.addedBy) || 0, addedAt: Number(rec.addedAt) || 0 };
  } catch {
    return null;
  }
}

function decodeProposal(json: string): Proposal | null {
  try {
    const p = JSON.parse(json) as Partial<Proposal>;
    const r = sourceSchema.safeParse(p.source);
    return r.success ? { source: r.data, by: Number(p.by) || 0, at: Number(p.at) || 0 } : null;
  } catch {
    return null;
  }
}
