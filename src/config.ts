import { readFile } from "node:fs/promises";
import { validate as validateCron } from "node-cron";
import { z } from "zod";

/**
 * One schema for every environment variable. Nothing else in the code reads
 * process.env: the parsed object is passed down from main.ts.
 */
const intFrom = (def: number, min: number, max: number) => z.coerce.number().int().min(min).max(max).default(def);

// true/1/yes/on/y/enabled and false/0/no/off/n/disabled, any case.
const boolFrom = (def: boolean) => z.stringbool({ error: "must be true or false" }).default(def);

const envSchema = z.object({
  BOT_TOKEN: z
    .string({ error: "missing: get a token from @BotFather (https://t.me/BotFather) and set BOT_TOKEN" })
    .trim()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "does not look like a bot token (expected 123456:ABC-…) — get one from @BotFather"),
  TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).default("https://api.telegram.org"),
  REDIS_URL: z
    .string()
    .trim()
    .regex(/^(rediss?|unix):\/\//, "must start with redis://, rediss:// or unix://")
    .optional(),
  REDIS_PREFIX: z.string().min(1).max(64).default("newsbot:"),
  ADMIN_IDS: z
    .string()
    .default("")
    .transform((s, ctx) => {
      const ids: number[] = [];
      for (const part of s
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean)) {
        if (!/^-?\d{1,20}$/.test(part)) {
          ctx.addIssue({ code: "custom", message: `"${part}" is not a numeric Telegram user id` });
          continue;
        }
        ids.push(Number(part));
      }
      return ids;
    }),
  SOURCES_FILE: z.string().min(1).default("./sources.json"),
  POLL_CRON: z
    .string()
    .trim()
    .default("*/5 * * * *")
    .refine((v) => validateCron(v), "not a valid cron expression (e.g. */5 * * * *)"),
  // A start-up that cannot reach Redis is a configuration error after this long; once running, outages are ridden out.
  REDIS_CONNECT_TIMEOUT_MS: intFrom(30_000, 1000, 600_000),
  // auto: pretty lines when stdout is a terminal, JSON otherwise (log shippers, docker logs).
  LOG_FORMAT: z.enum(["auto", "pretty", "json"]).default("auto"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TIMEZONE: z
    .string()
    .default("UTC")
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat("en", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "not a known IANA time zone (e.g. Europe/London)"),
  FETCH_TIMEOUT_MS: intFrom(20_000, 100, 300_000),
  // The operator's HTTP server (/healthz, /readyz, /metrics); unset = none.
  HTTP_PORT: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce
      .number({ error: "must be a port number from 1 to 65535" })
      .int({ error: "must be a port number from 1 to 65535" })
      .min(1, "must be a port number from 1 to 65535")
      .max(65_535, "must be a port number from 1 to 65535")
      .optional(),
  ),
  HTTP_HOST: z.string().trim().min(1).default("0.0.0.0"),
  // How updates come in: long polling (one leader process) or Telegram's webhook (every process, behind a load balancer).
  BOT_MODE: z.enum(["polling", "webhook"], { error: "must be polling or webhook" }).default("polling"),
  WEBHOOK_URL: z.url({ protocol: /^https?$/, error: "must be the public https URL Telegram posts updates to" }).optional(),
  WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, "must be 1–256 characters of A-Z, a-z, 0-9, _ and -")
    .optional(),
  // The settings Mini App's public address (https, as Telegram requires for web_app buttons); unset = no Mini App.
  PUBLIC_URL: z
    .url({ protocol: /^https$/, error: "must be the bot's public https URL (e.g. https://news.example.org)" })
    .refine((u) => !/[?#]/.test(u), "must not have a query or fragment")
    .optional(),
  FETCH_MAX_BYTES: intFrom(10 * 1024 * 1024, 1024, 512 * 1024 * 1024),
  // 64: a poll is mostly waiting on slow servers — 1,000 feeds answering in 100 ms need
  // ≥ 34 in flight to finish an all-304 poll in 3 s — and any one site still sees ≤ 2 (src/poll).
  POLL_CONCURRENCY: intFrom(64, 1, 256),
  SOURCE_MAX_FAILURES: intFrom(20, 1, 10_000),
  DELIVERY_RATE: intFrom(30, 1, 1000),
  PAID_BROADCAST: boolFrom(false),
  PAID_BROADCAST_RATE: intFrom(1000, 1, 1000),
  DIGEST_THRESHOLD: intFrom(3, 1, 50),
  // Bots may edit their messages for 48 h; re-reports of one story come within hours.
  SAME_STORY_MERGE_HOURS: intFrom(6, 0, 48),
  DATA_DIR: z.string().min(1).default("./data"),
  POLL_ON_START: boolFrom(true),
  ALLOW_PRIVATE_SOURCES: boolFrom(false),
});

export interface Config {
  botToken: string;
  telegramApiRoot: string;
  /** undefined = not configured: main.ts may start an embedded redis-server */
  redisUrl: string | undefined;
  redisPrefix: string;
  redisConnectTimeoutMs: number;
  adminIds: number[];
  sourcesFile: string;
  pollCron: string;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  logFormat: z.infer<typeof envSchema>["LOG_FORMAT"];
  timezone: string;
  fetchTimeoutMs: number;
  /** the operator's HTTP server (/healthz, /readyz, /metrics); undefined = not started */
  httpPort: number | undefined;
  httpHost: string;
  botMode: "polling" | "webhook";
  /** set in webhook mode: where Telegram posts updates, and the secret it sends with them */
  webhook: { url: string; secret: string } | undefined;
  /** where the settings Mini App is reached from outside (no trailing slash): its page is `${publicUrl}/app/`; undefined = none */
  publicUrl: string | undefined;
  fetchMaxBytes: number;
  pollConcurrency: number;
  /** consecutive failed polls after which a source is disabled until an admin turns it back on */
  sourceMaxFailures: number;
  deliveryRate: number;
  /** broadcasts go out with allow_paid_broadcast (Telegram Stars) at up to paidBroadcastRate msg/s */
  paidBroadcast: boolean;
  paidBroadcastRate: number;
  digestThreshold: number;
  /** a later report of a story a chat got within this many hours is merged into that message (0 = off) */
  sameStoryMergeHours: number;
  dataDir: string;
  pollOnStart: boolean;
  /** let chat-added sources reach loopback/private/link-local addresses (tests, intranets) */
  allowPrivateSources: boolean;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** Empty strings count as unset, as they do in most .env files. */
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v.trim() !== "") out[k] = v;
  return out;
}

export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const r = envSchema.safeParse(withoutEmpty(env));
  if (!r.success) {
    return { ok: false, errors: r.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`) };
  }
  const e = r.data;
  if (e.BOT_MODE === "webhook") {
    const missing: string[] = [];
    if (!e.WEBHOOK_URL) missing.push("WEBHOOK_URL: required when BOT_MODE=webhook (the public https URL Telegram posts updates to)");
    if (!e.WEBHOOK_SECRET) missing.push("WEBHOOK_SECRET: required when BOT_MODE=webhook (1–256 of A-Z, a-z, 0-9, _ and -)");
    if (e.HTTP_PORT === undefined) missing.push("HTTP_PORT: required when BOT_MODE=webhook (the port the webhook is served on)");
    if (missing.length) return { ok: false, errors: missing };
  }
  if (e.PUBLIC_URL && e.HTTP_PORT === undefined) {
    return { ok: false, errors: ["HTTP_PORT: required when PUBLIC_URL is set (the settings Mini App is served by the HTTP server)"] };
  }
  return {
    ok: true,
    config: {
      botToken: e.BOT_TOKEN,
      telegramApiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ""),
      redisUrl: e.REDIS_URL,
      redisPrefix: e.REDIS_PREFIX,
      redisConnectTimeoutMs: e.REDIS_CONNECT_TIMEOUT_MS,
      adminIds: e.ADMIN_IDS,
      sourcesFile: e.SOURCES_FILE,
      pollCron: e.POLL_CRON,
      logLevel: e.LOG_LEVEL,
      logFormat: e.LOG_FORMAT,
      timezone: e.TIMEZONE,
      fetchTimeoutMs: e.FETCH_TIMEOUT_MS,
      httpPort: e.HTTP_PORT,
      httpHost: e.HTTP_HOST,
      botMode: e.BOT_MODE,
      webhook: e.BOT_MODE === "webhook" && e.WEBHOOK_URL && e.WEBHOOK_SECRET ? { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET } : undefined,
      publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ""),
      fetchMaxBytes: e.FETCH_MAX_BYTES,
      pollConcurrency: e.POLL_CONCURRENCY,
      sourceMaxFailures: e.SOURCE_MAX_FAILURES,
      deliveryRate: e.DELIVERY_RATE,
      paidBroadcast: e.PAID_BROADCAST,
      paidBroadcastRate: e.PAID_BROADCAST_RATE,
      digestThreshold: e.DIGEST_THRESHOLD,
      sameStoryMergeHours: e.SAME_STORY_MERGE_HOURS,
      dataDir: e.DATA_DIR,
      pollOnStart: e.POLL_ON_START,
      allowPrivateSources: e.ALLOW_PRIVATE_SOURCES,
    },
  };
}

/** When a source's new items get the lead of their article page (src/leads/). */
export const FULLTEXT_MODES = ["auto", "always", "never"] as const;
export type Fulltext = (typeof FULLTEXT_MODES)[number];

export const sourceSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be a lowercase slug like bbc-world")
    .max(64),
  name: z.string().trim().min(1, "must not be empty").max(100),
  url: z.url({ protocol: /^https?$/, error: "Invalid URL (http or https only)" }),
  lang: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "must be a language tag like en, ru, az")
    .optional(),
  description: z.string().max(300).optional(),
  enabled: z.boolean().default(true),
  /**
   * Leads from the article page: "auto" (absent = auto) when the feed gives no
   * usable summary, "always" also when it does (a longer lead replaces a
   * shorter summary), "never".
   */
  fulltext: z.enum(FULLTEXT_MODES, { error: `must be "auto", "always" or "never"` }).optional(),
});

const sourcesFileSchema = z
  .strictObject({ sources: z.array(sourceSchema).min(1, "needs at least one source") })
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.sources.forEach((s, i) => {
      const first = seen.get(s.id);
      if (first !== undefined) {
        ctx.addIssue({ code: "custom", path: ["sources", i, "id"], message: `duplicate id "${s.id}" (also sources[${first}])` });
      } else seen.set(s.id, i);
    });
  });

export type Source = z.infer<typeof sourceSchema>;

/** A source's fulltext mode, "auto" when it names none. */
export const fulltextOf = (source: Pick<Source, "fulltext">): Fulltext => source.fulltext ?? "auto";

function issuePath(path: PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

export type SourcesResult = { ok: true; sources: Source[] } | { ok: false; errors: string[] };

/** Validates an already-read SOURCES_FILE body; `label` names the file in messages. */
export function parseSources(text: string, label: string): SourcesResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [`SOURCES_FILE ${label}: not valid JSON (${(err as Error).message})`] };
  }
  const r = sourcesFileSchema.safeParse(json);
  if (!r.success) {
    return {
      ok: false,
      errors: r.error.issues.map((i) => `SOURCES_FILE ${label}: ${issuePath(i.path) || "file"}: ${i.message}`),
    };
  }
  return { ok: true, sources: r.data.sources };
}

export async function loadSources(path: string): Promise<SourcesResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "file not found" : code === "EACCES" ? "permission denied" : (err as Error).message;
    return { ok: false, errors: [`SOURCES_FILE ${path}: ${why}`] };
  }
  return parseSources(text, path);
}
