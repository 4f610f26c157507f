/**
 * A chat's preferences as stored: only what differs from the defaults, in
 * short fields, with a version — so 60 % of subscribers (the defaults) store
 * nothing, a typical narrowed chat ~100 bytes, and records written before
 * preferences existed load as the defaults.
 *
 *   { v: 1, s?: ["apa","bbc"], l?: ["ru","az"], k?: { i?: [..], e?: [..], p?: [..] },
 *     m?: "e3" | "d08:00", z?: "Asia/Baku", q?: "23:00-07:00", pv?: 0 }
 *
 * Loading never throws: each field is read on its own (zod), and one that
 * cannot be read falls back to its default while the others are kept; a
 * record of a later version loads whatever fields it can.
 */
import { z } from "zod";
import { foldWord } from "../news/related/fold.js";
import { isValidTimeZone, parseClock } from "./schedule.js";
import { type ChatPrefs, type DeliveryMode, DIGEST_HOURS, type KeywordRules } from "./types.js";

export const PREFS_VERSION = 1;

export const PREF_LIMITS = {
  /** include + exclude + phrases together */
  maxRules: 25,
  /** characters per rule */
  maxRuleLength: 60,
  maxPhraseWords: 6,
  maxSources: 300,
  maxLangs: 20,
} as const;

export function defaultPrefs(): ChatPrefs {
  return {
    sources: "all",
    langs: "all",
    keywords: { include: [], exclude: [], phrases: [] },
    mode: { kind: "now" },
    timezone: null,
    quiet: null,
    // As cards always had: the article's preview under the card.
    previews: true,
  };
}

export const DEFAULT_PREFS: Readonly<ChatPrefs> = Object.freeze(defaultPrefs());

export interface StoredPrefs {
  v: number;
  s?: string[];
  l?: string[];
  k?: { i?: string[]; e?: string[]; p?: string[] };
  m?: string;
  z?: string;
  q?: string;
  /** 0: link previews off (on is the default) */
  pv?: 0;
}

const modeCode = (m: DeliveryMode): string | undefined => (m.kind === "now" ? undefined : m.kind === "every" ? `e${m.hours}` : `d${m.at}`);

function modeFrom(code: string): DeliveryMode | null {
  if (code.startsWith("e")) {
    const h = Number(code.slice(1));
    return (DIGEST_HOURS as readonly number[]).includes(h) ? { kind: "every", hours: h as (typeof DIGEST_HOURS)[number] } : null;
  }
  if (code.startsWith("d")) {
    const at = parseClock(code.slice(1));
    return at ? { kind: "daily", at } : null;
  }
  return null;
}

export function storePrefs(p: ChatPrefs): StoredPrefs | undefined {
  const out: StoredPrefs = { v: PREFS_VERSION };
  if (p.sources !== "all") out.s = [...p.sources];
  if (p.langs !== "all") out.l = [...p.langs];
  const k: NonNullable<StoredPrefs["k"]> = {};
  if (p.keywords.include.length) k.i = [...p.keywords.include];
  if (p.keywords.exclude.length) k.e = [...p.keywords.exclude];
  if (p.keywords.phrases.length) k.p = [...p.keywords.phrases];
  if (k.i || k.e || k.p) out.k = k;
  const m = modeCode(p.mode);
  if (m) out.m = m;
  if (p.timezone) out.z = p.timezone;
  if (p.quiet) out.q = `${p.quiet.from}-${p.quiet.to}`;
  if (!p.previews) out.pv = 0;
  return Object.keys(out).length === 1 ? undefined : out;
}

// Built once: 100,000 records are read at every planning round (building them per call cost ~60 µs a record).
const ids = z.array(z.string().min(1).max(64)).max(1000);
const words = z.array(z.string()).max(200);
const rulesShape = z.object({ i: z.unknown(), e: z.unknown(), p: z.unknown() }).partial();
const short = z.string().max(16);
const zoneName = z.string().max(64);

const unique = (xs: string[]) => [...new Set(xs)];
const ruleKey = (s: string) => foldWord(s.trim());

function cleanRules(r: { i?: unknown; e?: unknown; p?: unknown }): KeywordRules {
  const out: KeywordRules = { include: [], exclude: [], phrases: [] };
  const seen = new Set<string>();
  let n = 0;
  const take = (raw: unknown, into: string[]) => {
    const list = words.safeParse(raw);
    if (!list.success) return;
    for (const w of list.data) {
      const t = w.trim().replace(/\s+/g, " ");
      if (!t || t.length > PREF_LIMITS.maxRuleLength || n >= PREF_LIMITS.maxRules) continue;
      const k = ruleKey(t);
      if (seen.has(k)) continue;
      seen.add(k);
      into.push(t);
      n++;
    }
  };
  take(r.e, out.exclude);
  take(r.i, out.include);
  take(r.p, out.phrases);
  return out;
}

/** Never throws; see the module comment. */
export function loadPrefs(raw: unknown): ChatPrefs {
  const p = defaultPrefs();
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return p;
  const r = raw as Record<string, unknown>;
  const s = ids.safeParse(r.s);
  if (s.success) p.sources = unique(s.data).slice(0, PREF_LIMITS.maxSources);
  const l = ids.safeParse(r.l);
  if (l.success && l.data.length) p.langs = unique(l.data.map((x) => x.toLowerCase())).slice(0, PREF_LIMITS.maxLangs);
  const k = rulesShape.safeParse(r.k);
  if (k.success) p.keywords = cleanRules(k.data);
  const m = short.safeParse(r.m);
  if (m.success) p.mode = modeFrom(m.data) ?? p.mode;
  const zone = zoneName.safeParse(r.z);
  if (zone.success && isValidTimeZone(zone.data)) p.timezone = zone.data;
  const q = short.safeParse(r.q);
  if (q.success) {
    const [from, to] = q.data.split("-").map((x) => parseClock(x));
    if (from && to && from !== to) p.quiet = { from, to };
  }
  if (r.pv === 0 || r.pv === false) p.previews = false;
  return p;
}

export function samePrefs(a: ChatPrefs, b: ChatPrefs): boolean {
  return JSON.stringify(storePrefs(a) ?? null) === JSON.stringify(storePrefs(b) ?? null);
}
