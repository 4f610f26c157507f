import type { IncomingMessage, ServerResponse } from "node:http";
import type { Api } from "grammy";
import { z } from "zod";
import { LOCALE_NAMES, LOCALES, type Locale, pickLocale } from "../i18n/locales.js";
import type { Translate, Translator } from "../i18n/translator.js";
import type { Logger } from "../log.js";
import { PREF_LIMITS } from "../prefs/preferences.js";
import { filterProblemText, settingsProblemText } from "../prefs/problem-text.js";
import { COMMON_ZONES } from "../prefs/schedule.js";
import type { ReplaceResult, Settings } from "../prefs/settings.js";
import { langLabel } from "../prefs/settings-view.js";
import { type ChatPrefs, DIGEST_HOURS } from "../prefs/types.js";
import type { SubscriberStore } from "../store/types.js";
import { type EditableChat, type EditableChatsDeps, editableChats } from "./editable-chats.js";
import { checkInitData, initDataOf, type WebAppUser } from "./init-data.js";
import { publicFile } from "./public-files.js";
import { pageTexts } from "./texts.js";

export interface WebAppDeps extends EditableChatsDeps {
  token: string;
  settings: Settings;
  subscribers: EditableChatsDeps["subscribers"] & Pick<SubscriberStore, "prefsOf">;
  /** the confirmation after a save goes to the user's private chat */
  api: EditableChatsDeps["api"] & Pick<Api, "sendMessage">;
  translator: Translator;
  logger: Pick<Logger, "info" | "warn">;
  clock?: () => number;
}

/** Handles a request under /app; false when the path is not the Mini App's. */
export type WebAppHandler = (req: IncomingMessage, res: ServerResponse, path: string) => boolean;

/** a form of preferences is well under 4 KB; more is not read */
const BODY_MAX = 64 * 1024;

const list = z.union([z.literal("all"), z.array(z.string().max(64)).max(200)]);
const words = z.array(z.string().max(200)).max(100);
const clock = z.string().max(16);
const bodySchema = z.object({
  chat: z.string().max(40),
  prefs: z.object({
    sources: list,
    langs: list,
    keywords: z.object({ include: words, exclude: words, phrases: words }),
    mode: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("now") }),
      z.object({ kind: z.literal("every"), hours: z.number() }),
      z.object({ kind: z.literal("daily"), at: clock }),
    ]),
    timezone: z.string().max(64).nullable(),
    quiet: z.object({ from: clock, to: clock }).nullable(),
    previews: z.boolean(),
    locale: z.string().max(8),
  }),
});

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.error));
  }
}

/**
 * The settings Mini App (PUBLIC_URL/app/): its three static files, and a
 * JSON API over the same use cases as the chat's /settings menu. Every API
 * call must carry the launch's initData (`Authorization: tma …`), checked
 * before anything else is read; a chat is edited only when it is in the
 * user's list of editable chats (src/webapp/editable-chats.ts) at that
 * moment. A save that changed something is confirmed in the user's private
 * chat too, as the menu's buttons are.
 */
export function createWebApp(deps: WebAppDeps): WebAppHandler {
  const now = deps.clock ?? Date.now;
  const files = new Map(["index.html", "app.css", "app.js"].map((name) => [name, publicFile(name)]));

  const localeOf = async (user: WebAppUser): Promise<Locale> =>
    (await deps.subscribers.prefsOf(user.id).catch(() => null))?.locale ?? pickLocale(user.languageCode);

  function authenticate(req: IncomingMessage): WebAppUser {
    const auth = req.headers.authorization;
    const check = checkInitData(initDataOf(Array.isArray(auth) ? auth[0] : auth), deps.token, { now: now() });
    if (check.ok) return check.user;
    // The user's language is not known before the check: the refusal is in English.
    throw new HttpProblem(401, { error: deps.translator.t("en", "webapp-unauthorized"), why: check.why });
  }

  async function chatFor(user: WebAppUser, key: string, t: Translate): Promise<EditableChat> {
    const chats = await editableChats(deps, user.id, t);
    const chat = chats.find((c) => c.key === key);
    if (!chat) throw new HttpProblem(403, { error: t("webapp-forbidden") });
    if (!chat.subscribed) throw new HttpProblem(404, { error: t("webapp-not-subscribed") });
    return chat;
  }

  function offered(t: Translate, locale: Locale) {
    const intl = deps.translator.intlLocale(locale);
    return {
      sources: deps.settings.sources().map((s) => ({ id: s.id, name: s.name, ...(s.lang ? { lang: s.lang } : {}) })),
      langs: deps.settings.langs().map((code) => ({ code, label: langLabel(code, t, intl) })),
      zones: COMMON_ZONES,
      digestHours: DIGEST_HOURS,
      locales: LOCALES.map((code) => ({ code, label: LOCALE_NAMES[code] })),
      defaultTimezone: deps.settings.defaultTimezone,
    };
  }

  const limits = { maxSources: PREF_LIMITS.maxSources, maxLangs: PREF_LIMITS.maxLangs, maxRules: PREF_LIMITS.maxRules };

  async function getChats(user: WebAppUser) {
    const locale = await localeOf(user);
    const t = deps.translator.forLocale(locale);
    return { locale, texts: pageTexts(t), chats: await editableChats(deps, user.id, t) };
  }

  async function getSettings(user: WebAppUser, key: string) {
    const locale = await localeOf(user);
    const t = deps.translator.forLocale(locale);
    const chat = await chatFor(user, key, t);
    const prefs = await deps.settings.get(chat.key);
    if (!prefs) throw new HttpProblem(404, { error: t("webapp-not-subscribed") });
    return { chat, prefs, offered: offered(t, locale), limits, texts: pageTexts(t) };
  }

  async function save(user: WebAppUser, raw: unknown) {
    const locale = await localeOf(user);
    const t = deps.translator.forLocale(locale);
    const body = bodySchema.safeParse(raw);
    if (!body.success) throw new HttpProblem(400, { error: t("webapp-bad-request") });
    const chat = await chatFor(user, body.data.chat, t);
    const r = await deps.settings.replace(chat.key, body.data.prefs as ChatPrefs);
    if (!r.ok) throw refusalOf(r, t);
    // The user's own chat in a language they just chose: the answer is in it already.
    const after = chat.type === "private" ? deps.translator.forLocale(r.prefs.locale) : t;
    if (r.changed) {
      deps.logger.info({ user: user.id, chat: chat.key }, "webapp: settings saved");
      await deps.api
        .sendMessage(user.id, after("webapp-confirm", { chat: chat.title }))
        .catch((err: unknown) =>
          deps.logger.warn({ user: user.id, err: err instanceof Error ? err.message : String(err) }, "webapp: confirmation not sent"),
        );
    }
    return {
      ok: true,
      changed: r.changed,
      prefs: r.prefs,
      message: r.changed ? after("webapp-saved", { chat: chat.title }) : after("webapp-unchanged"),
    };
  }

  return (req, res, path) => {
    if (path !== "/app" && !path.startsWith("/app/")) return false;
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
      res.end(JSON.stringify(body));
    };
    if (path === "/app") {
      res.writeHead(308, { location: "/app/" });
      res.end();
      return true;
    }
    if (!path.startsWith("/app/api/")) {
      const file = files.get(path === "/app/" ? "index.html" : path.slice("/app/".length));
      if (!file || (req.method !== "GET" && req.method !== "HEAD")) {
        res.writeHead(file ? 405 : 404, { "content-type": "text/plain; charset=utf-8" });
        res.end(file ? "method not allowed\n" : "not found\n");
        return true;
      }
      res.writeHead(200, {
        "content-type": file.type,
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
        // Telegram's web clients show the page in a frame: no frame-ancestors limit.
        "content-security-policy": "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'",
      });
      res.end(req.method === "HEAD" ? undefined : file.body);
      return true;
    }
    void (async () => {
      const user = authenticate(req);
      const url = new URL(req.url ?? "/", "http://localhost");
      if (path === "/app/api/chats" && req.method === "GET") return reply(200, await getChats(user));
      if (path === "/app/api/settings" && req.method === "GET")
        return reply(200, await getSettings(user, url.searchParams.get("chat") ?? ""));
      if (path === "/app/api/settings" && req.method === "POST") return reply(200, await save(user, await readJson(req)));
      reply(404, { error: "not found" });
    })().catch((err: unknown) => {
      if (err instanceof HttpProblem) return reply(err.status, err.body);
      deps.logger.warn({ path, err: err instanceof Error ? err.message : String(err) }, "webapp: a request failed");
      if (!res.headersSent) reply(500, { error: deps.translator.t("en", "webapp-failed") });
    });
    return true;
  };
}

/** The refusal of a save, worded: 404 when the chat has stopped, else 422 naming the field. */
function refusalOf(r: Exclude<ReplaceResult, { ok: true }>, t: Translate): HttpProblem {
  switch (r.reason) {
    case "not-subscribed":
      return new HttpProblem(404, { error: t("webapp-not-subscribed") });
    case "rules":
      return new HttpProblem(422, { error: r.rejected.map((p) => filterProblemText(t, p)).join(" "), field: r.field });
    case "unknown":
      return new HttpProblem(422, { error: t("webapp-stale"), ...(r.field ? { field: r.field } : {}) });
    case "invalid":
    case "limit":
      return new HttpProblem(422, { error: settingsProblemText(t, r.problem), ...(r.field ? { field: r.field } : {}) });
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_MAX) throw new HttpProblem(413, { error: "request too large" });
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return undefined;
  }
}
