import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sign } from "@tma.js/init-data-node";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createAccess } from "../../src/bot/access.js";
import { createTranslator } from "../../src/i18n/translator.js";
import { silentLogger } from "../../src/log.js";
import { defaultPrefs } from "../../src/prefs/preferences.js";
import { createSettings } from "../../src/prefs/settings.js";
import type { ChatPrefs } from "../../src/prefs/types.js";
import { createStores, type Stores } from "../../src/store/index.js";
import { createWebApp } from "../../src/webapp/api.js";
import { testRedis } from "../support/redis-client.js";

const { redis } = testRedis();
const TOKEN = "123456:webapp-test-token_abcdefghijk";
const tr = createTranslator();

const USER = 501;
const OTHER = 502;
const CHANNEL = -100777;
const GROUP = -100888;

const sources = [
  { id: "apa", name: "APA", lang: "az" },
  { id: "bbc", name: "BBC World", lang: "en" },
  { id: "meduza", name: "Meduza", lang: "ru" },
];

/** initData as a Telegram client would pass it, signed with `token`, `ageS` seconds old. */
function initData(user: { id: number; language_code?: string }, o: { token?: string; ageS?: number } = {}): string {
  return sign(
    { user: { first_name: "Ann", ...user }, query_id: "AAH-test" } as never,
    o.token ?? TOKEN,
    new Date(Date.now() - (o.ageS ?? 5) * 1000),
  );
}

interface Harness {
  stores: Stores;
  base: string;
  sent: Array<{ chatId: number; text: string }>;
  /** getChatMember answers: `${chat}:${user}` → status */
  members: Map<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers, read field by field
  call(method: string, path: string, o?: { auth?: string | null; body?: unknown }): Promise<{ status: number; json: any }>;
}

let server: Server | undefined;
let h: Harness;

beforeEach(async () => {
  server?.close();
  const { prefix } = testRedis();
  const stores = createStores(redis, prefix);
  const sent: Harness["sent"] = [];
  const members = new Map<string, string>();
  const api = {
    getChatMember: async (chatId: number | string, userId: number) => {
      const status = members.get(`${chatId}:${userId}`) ?? "left";
      return { status, user: { id: userId, is_bot: false, first_name: "U" } } as never;
    },
    sendMessage: async (chatId: number | string, text: string) => {
      sent.push({ chatId: Number(chatId), text });
      return { message_id: sent.length } as never;
    },
  };
  const settings = createSettings({
    store: { get: async (id) => (await stores.subscribers.get(id))?.prefs ?? null, set: (id, p) => stores.subscribers.setPrefs(id, p) },
    sources: () => sources,
    defaultTimezone: "UTC",
    logger: silentLogger,
  });
  const access = createAccess({ places: stores.places });
  const handle = createWebApp({
    token: TOKEN,
    settings,
    subscribers: stores.subscribers,
    places: stores.places,
    isChatAdmin: (a, chat, user) => access.isChatAdmin(a, chat, user),
    api: api as never,
    translator: tr,
    logger: silentLogger,
  });
  server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (!handle(req, res, path)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const auth = `tma ${initData({ id: USER, language_code: "en" })}`;
  h = {
    stores,
    base,
    sent,
    members,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      const a = o.auth === undefined ? auth : o.auth;
      if (a !== null) headers.authorization = a;
      const res = await fetch(base + path, { method, headers, ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }) });
      const text = await res.text();
      return { status: res.status, json: text.startsWith("{") ? JSON.parse(text) : text };
    },
  };
  await stores.subscribers.add({ chatId: USER, kind: "private", since: 1 });
});
afterAll(async () => {
  server?.close();
  await redis.quit();
});

const prefsOf = async (ref: number | string) => (await h.stores.subscribers.get(ref))?.prefs;
const form = (p: Partial<ChatPrefs>): ChatPrefs => ({ ...defaultPrefs(), ...p });

describe("settings Mini App API: who may call it", () => {
  it("refuses a missing, forged, tampered or day-old initData with 401 and changes nothing", async () => {
    const body = { chat: String(USER), prefs: form({ previews: false }) };
    const good = initData({ id: USER });
    const cases: Array<[string, string | null]> = [
      ["missing", null],
      ["not tma", good],
      ["forged", `tma ${initData({ id: USER }, { token: "999:someone-elses-token" })}`],
      ["tampered", `tma ${good.replace(encodeURIComponent('"id":501'), encodeURIComponent('"id":502'))}`],
      ["expired", `tma ${initData({ id: USER }, { ageS: 25 * 3600 })}`],
      ["garbage", "tma hash=zz&auth_date=1"],
    ];
    for (const [what, auth] of cases) {
      for (const [method, path] of [
        ["GET", "/app/api/chats"],
        ["GET", `/app/api/settings?chat=${USER}`],
        ["POST", "/app/api/settings"],
      ] as const) {
        const r = await h.call(method, path, { auth, ...(method === "POST" ? { body } : {}) });
        expect(r.status, `${what} ${method} ${path}`).toBe(401);
        expect(r.json.error).toMatch(/open the settings from the bot/i);
      }
    }
    expect((await prefsOf(USER))?.previews).toBe(true);
    expect(h.sent).toEqual([]);
  });

  it("lists the user's private chat, channels and groups they administer now, and nobody else's", async () => {
    await h.stores.places.saveChannel({ id: CHANNEL, title: "Baku Daily", addedBy: USER, at: 1 });
    await h.stores.places.saveChannel({ id: -100999, title: "Not Mine", addedBy: OTHER, at: 1 });
    await h.stores.subscribers.add({ chatId: CHANNEL, kind: "channel", since: 1 });
    await h.stores.subscribers.add({ chatId: -100999, kind: "channel", since: 1 });
    await h.stores.subscribers.add({ chatId: GROUP, kind: "supergroup", since: 1 });
    await h.stores.subscribers.add({ chatId: GROUP, thread: 7, kind: "supergroup", since: 1 });
    await h.stores.places.noteAdmin(USER, { id: GROUP, title: "Caucasus Desk" });
    h.members.set(`${CHANNEL}:${USER}`, "administrator");
    h.members.set(`-100999:${USER}`, "member");
    h.members.set(`${GROUP}:${USER}`, "creator");

    const r = await h.call("GET", "/app/api/chats");
    expect(r.status).toBe(200);
    expect(r.json.chats).toEqual([
      { key: String(USER), title: "Your private chat", type: "private", subscribed: true },
      { key: String(CHANNEL), title: "Baku Daily", type: "channel", subscribed: true },
      { key: String(GROUP), title: "Caucasus Desk", type: "supergroup", subscribed: true },
      { key: `${GROUP}:7`, title: expect.stringContaining("Caucasus Desk"), type: "supergroup", subscribed: true },
    ]);
    expect(r.json.texts["webapp-save"]).toBeTruthy();

    // Someone else's private chat, and a channel where the user is a plain member: 403.
    expect((await h.call("GET", `/app/api/settings?chat=${OTHER}`)).status).toBe(403);
    expect((await h.call("GET", "/app/api/settings?chat=-100999")).status).toBe(403);
    const post = await h.call("POST", "/app/api/settings", { body: { chat: "-100999", prefs: form({ previews: false }) } });
    expect(post.status).toBe(403);
    expect((await prefsOf(-100999))?.previews).toBe(true);
  });
});

describe("settings Mini App API: reading and saving", () => {
  it("shows the chat's preferences and what can be chosen, in the user's language", async () => {
    await h.stores.subscribers.setPrefs(USER, form({ locale: "ru", sources: ["apa", "meduza"] }));
    const r = await h.call("GET", `/app/api/settings?chat=${USER}`);
    expect(r.status).toBe(200);
    expect(r.json.prefs.sources).toEqual(["apa", "meduza"]);
    expect(r.json.offered.sources.map((s: { id: string }) => s.id)).toEqual(["apa", "bbc", "meduza"]);
    expect(r.json.offered.langs.map((l: { code: string }) => l.code)).toEqual(["az", "en", "ru"]);
    expect(r.json.offered.defaultTimezone).toBe("UTC");
    expect(r.json.texts["webapp-save"]).toMatch(/[А-Яа-яЁё]/);
  });

  it("saves a source switched off and a keyword added, confirms it in the chat, and a repeat changes nothing", async () => {
    const prefs = form({ sources: ["apa", "meduza"], keywords: { include: ["Baku"], exclude: [], phrases: [] } });
    const r = await h.call("POST", "/app/api/settings", { body: { chat: String(USER), prefs } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ ok: true, changed: true });
    expect(r.json.message).toMatch(/saved/i);
    const stored = await prefsOf(USER);
    expect(stored?.sources).toEqual(["apa", "meduza"]);
    expect(stored?.keywords.include).toEqual(["Baku"]);
    expect(h.sent).toEqual([{ chatId: USER, text: expect.stringMatching(/changed in the app/i) }]);

    const again = await h.call("POST", "/app/api/settings", { body: { chat: String(USER), prefs } });
    expect(again.json).toMatchObject({ ok: true, changed: false });
    expect(h.sent).toHaveLength(1);
  });

  it("answers a new bot language in that language", async () => {
    const r = await h.call("POST", "/app/api/settings", { body: { chat: String(USER), prefs: form({ locale: "az" }) } });
    expect(r.status).toBe(200);
    expect((await prefsOf(USER))?.locale).toBe("az");
    expect(r.json.message).not.toMatch(/saved/i);
    expect(h.sent[0]?.text).not.toMatch(/changed in the app/i);
  });

  it("refuses a bad value with 422 naming the field, and stores nothing of the form", async () => {
    const cases: Array<[Partial<ChatPrefs>, string, RegExp]> = [
      [{ timezone: "Mars/Olympus", previews: false }, "timezone", /Mars\/Olympus/],
      [{ sources: [], previews: false }, "sources", /source/i],
      [{ sources: ["apa", "nope"], previews: false }, "sources", /reload/i],
      [{ langs: ["xx"], previews: false }, "langs", /reload/i],
      [{ quiet: { from: "23:00", to: "23:00" }, previews: false }, "quiet", /.+/],
      [{ mode: { kind: "every", hours: 5 as never }, previews: false }, "mode", /1, 3, 6, 12/],
      [{ keywords: { include: ["a".repeat(80)], exclude: [], phrases: [] }, previews: false }, "keywords", /.+/],
      [{ locale: "fr" as never, previews: false }, "locale", /reload/i],
    ];
    for (const [p, field, text] of cases) {
      const r = await h.call("POST", "/app/api/settings", { body: { chat: String(USER), prefs: form(p) } });
      expect(r.status, field).toBe(422);
      expect(r.json.field, JSON.stringify(p)).toBe(field);
      expect(r.json.error).toMatch(text);
    }
    expect(await prefsOf(USER)).toEqual(defaultPrefs());
    expect(h.sent).toEqual([]);
  });

  it("answers 400 to a malformed body and 404 to a chat that sent /stop", async () => {
    for (const body of [{}, { chat: String(USER) }, { chat: String(USER), prefs: { sources: 5 } }, "not json"]) {
      expect((await h.call("POST", "/app/api/settings", { body })).status).toBe(400);
    }
    await h.stores.subscribers.remove(USER);
    expect((await h.call("GET", `/app/api/settings?chat=${USER}`)).status).toBe(404);
    const chats = await h.call("GET", "/app/api/chats");
    expect(chats.json.chats[0]).toMatchObject({ key: String(USER), subscribed: false });
  });

  it("a group admin who was demoted can no longer save the group's settings", async () => {
    await h.stores.subscribers.add({ chatId: GROUP, kind: "supergroup", since: 1 });
    await h.stores.places.noteAdmin(USER, { id: GROUP, title: "Caucasus Desk" });
    h.members.set(`${GROUP}:${USER}`, "member");
    const r = await h.call("POST", "/app/api/settings", { body: { chat: String(GROUP), prefs: form({ previews: false }) } });
    expect(r.status).toBe(403);
    expect((await prefsOf(GROUP))?.previews).toBe(true);
    // forgotten: the next listing does not ask Telegram about it again
    expect(await h.stores.places.adminChats(USER)).toEqual([]);
  });
});

describe("settings Mini App: the page's files", () => {
  it("serves the page, its script and style with a same-origin policy, and nothing else", async () => {
    const page = await fetch(`${h.base}/app/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
    expect(await page.text()).toMatch(/app\.js/);
    expect((await fetch(`${h.base}/app/app.js`)).headers.get("content-type")).toMatch(/javascript/);
    expect((await fetch(`${h.base}/app/app.css`)).headers.get("content-type")).toMatch(/text\/css/);
    for (const p of ["/app/../package.json", "/app/%2e%2e/package.json", "/app/texts.ts", "/app/public/index.html"]) {
      expect((await fetch(h.base + p)).status, p).toBe(404);
    }
    expect((await fetch(`${h.base}/app`, { redirect: "manual" })).headers.get("location")).toBe("/app/");
  });
});
