import { mkdirSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTranslator } from "../../src/i18n/translator.js";
import { pageTexts } from "../../src/webapp/texts.js";
import { findChromium, launchBrowser, NO_CHROMIUM } from "../support/browser.js";

/**
 * The settings page (src/webapp/public/) in a real headless Chromium,
 * against a stub of its API (node:http, canned JSON, every request
 * recorded): it sends the launch's initData, shows a chat's preferences as
 * given, saves the whole form with exactly what was changed, shows the
 * server's words, marks a refused field, stops at a 401, follows
 * Telegram's theme and fits a 320 px screen. The real server side is in
 * webapp.e2e.test.ts; this file is about the page.
 */
const chromium = findChromium();
if (!chromium) console.warn(`webapp-page.e2e: skipped — ${NO_CHROMIUM}`);

const PUBLIC = fileURLToPath(new URL("../../src/webapp/public/", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** the same policy as the bot's server: no inline script or style may be needed */
const CSP = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

const translator = createTranslator();
const en = translator.forLocale("en");

/** initData as a Telegram client passes it: itself URL-encoded (user JSON), with & and = */
const INIT_DATA = `query_id=AAHdF6IQAAAAAN0XohDhrOrc&user=${encodeURIComponent(
  JSON.stringify({ id: 501, first_name: "Leyla", language_code: "en" }),
)}&auth_date=1735689600&signature=c2lnbmF0dXJl&hash=89d6079ad6762351f38c6dbbc41bb53048019256a9443988af7a48bcad16ba31`;

const LIGHT = { bg_color: "#ffffff", text_color: "#000000", hint_color: "#999999", button_color: "#2481cc", secondary_bg_color: "#efeff4" };
const DARK = {
  bg_color: "#17212b",
  secondary_bg_color: "#0e1621",
  section_bg_color: "#17212b",
  text_color: "#f5f5f5",
  hint_color: "#708499",
  link_color: "#6ab3f3",
  button_color: "#5288c1",
  button_text_color: "#ffffff",
  destructive_text_color: "#ec3942",
};

type Prefs = {
  sources: "all" | string[];
  langs: "all" | string[];
  keywords: { include: string[]; exclude: string[]; phrases: string[] };
  mode: { kind: "now" } | { kind: "every"; hours: number } | { kind: "daily"; at: string };
  timezone: string | null;
  quiet: { from: string; to: string } | null;
  previews: boolean;
  locale: "en" | "ru" | "az";
};

const OFFERED = {
  sources: [
    { id: "bbc", name: "BBC World", lang: "en" },
    { id: "apa", name: "APA", lang: "az" },
    { id: "meduza", name: "Meduza", lang: "ru" },
    { id: "reuters", name: "Reuters", lang: "en" },
  ],
  langs: [
    { code: "az", label: "Azerbaijani (az)" },
    { code: "en", label: "English (en)" },
    { code: "ru", label: "Russian (ru)" },
  ],
  zones: ["UTC", "Europe/London", "Europe/Moscow", "Asia/Baku"],
  digestHours: [1, 3, 6, 12],
  locales: [
    { code: "en", label: "🇬🇧 English" },
    { code: "ru", label: "🇷🇺 Русский" },
    { code: "az", label: "🇦🇿 Azərbaycanca" },
  ],
  defaultTimezone: "UTC",
};

const PREFS: Prefs = {
  sources: ["bbc", "meduza"],
  langs: "all",
  keywords: { include: ["climate"], exclude: ["football"], phrases: ["central bank"] },
  mode: { kind: "every", hours: 3 },
  timezone: "Pacific/Auckland",
  quiet: { from: "23:00", to: "07:00" },
  previews: false,
  locale: "en",
};

interface Chat {
  key: string;
  title: string;
  type: string;
  subscribed: boolean;
}

interface Recorded {
  method: string;
  url: string;
  auth: string | undefined;
  body: unknown;
}

type Answer = { status: number; body: unknown };

/** The API as the page sees it; each test sets what it needs. */
interface Stub {
  base: string;
  requests: Recorded[];
  chats: Chat[];
  prefs: Map<string, Prefs>;
  offered: typeof OFFERED;
  /** overrides: a canned answer instead of the normal one */
  onChats?: () => Answer;
  onSave?: (body: { chat: string; prefs: Prefs }) => Answer;
  close(): Promise<void>;
}

const clone = <T>(v: T): T => structuredClone(v);

function textsFor(stub: Stub) {
  const locale = stub.prefs.get(stub.chats[0]!.key)?.locale ?? "en";
  return { locale, t: translator.forLocale(locale) };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req as AsyncIterable<Buffer>) chunks.push(c);
  const raw = Buffer.concat(chunks).toString("utf8");
  return raw ? JSON.parse(raw) : undefined;
}

function api(stub: Stub, req: IncomingMessage, url: URL, body: unknown): Answer {
  const { locale, t } = textsFor(stub);
  if (url.pathname === "/app/api/chats" && req.method === "GET") {
    return stub.onChats?.() ?? { status: 200, body: { locale, texts: pageTexts(t), chats: stub.chats } };
  }
  if (url.pathname === "/app/api/settings" && req.method === "GET") {
    const chat = stub.chats.find((c) => c.key === url.searchParams.get("chat"));
    const prefs = chat && stub.prefs.get(chat.key);
    if (!chat || !prefs) return { status: 403, body: { error: t("webapp-forbidden") } };
    const { subscribed: _, ...shown } = chat;
    return {
      status: 200,
      body: { chat: shown, prefs, offered: stub.offered, limits: { maxSources: 300, maxLangs: 20, maxRules: 25 }, texts: pageTexts(t) },
    };
  }
  if (url.pathname === "/app/api/settings" && req.method === "POST") {
    const b = body as { chat: string; prefs: Prefs };
    const canned = stub.onSave?.(b);
    if (canned) return canned;
    const chat = stub.chats.find((c) => c.key === b.chat)!;
    const changed = JSON.stringify(stub.prefs.get(b.chat)) !== JSON.stringify(b.prefs);
    stub.prefs.set(b.chat, clone(b.prefs));
    const after = chat.type === "private" ? translator.forLocale(b.prefs.locale) : t;
    const message = changed ? after("webapp-saved", { chat: chat.title }) : after("webapp-unchanged");
    return { status: 200, body: { ok: true, changed, prefs: b.prefs, message } };
  }
  return { status: 404, body: { error: "not found" } };
}

async function startStub(): Promise<Stub> {
  const files: Record<string, string> = { "/app/": "index.html", "/app/app.css": "app.css", "/app/app.js": "app.js" };
  const types: Record<string, string> = { html: "text/html", css: "text/css", js: "text/javascript" };
  const stub = { requests: [], chats: [], prefs: new Map(), offered: OFFERED } as unknown as Stub;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://stub");
    const file = files[url.pathname];
    if (file) {
      const type = types[file.split(".").pop()!]!;
      res.writeHead(200, { "content-type": `${type}; charset=utf-8`, "content-security-policy": CSP, "cache-control": "no-store" });
      res.end(readFileSync(join(PUBLIC, file)));
      return;
    }
    if (!url.pathname.startsWith("/app/api/")) {
      res.writeHead(404).end();
      return;
    }
    void readBody(req).then((body) => {
      stub.requests.push({ method: req.method ?? "", url: `${url.pathname}${url.search}`, auth: req.headers.authorization, body });
      const a = api(stub, req, url, body);
      res.writeHead(a.status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  stub.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stub.close = () => new Promise((resolve) => server.close(() => resolve()));
  return stub;
}

const PRIVATE: Chat = { key: "501", title: en("webapp-private-title"), type: "private", subscribed: true };
const CHANNEL: Chat = { key: "-1001", title: "Caspian Daily", type: "channel", subscribed: true };

describe.skipIf(!chromium)("the settings page in a real browser", () => {
  let stub: Stub;
  let browser: Browser;
  const shots = mkdtempSync(join(tmpdir(), "newsbot-webapp-page-"));
  const opened: Page[] = [];
  let errors: string[] = [];

  beforeAll(async () => {
    stub = await startStub();
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stub?.close();
  });

  beforeEach(async () => {
    for (const p of opened.splice(0)) await p.close();
    errors = [];
    stub.requests = [];
    stub.chats = [PRIVATE, CHANNEL];
    stub.prefs = new Map([
      [PRIVATE.key, clone(PREFS)],
      [CHANNEL.key, { ...clone(PREFS), sources: "all" as const, keywords: { include: [], exclude: [], phrases: [] } }],
    ]);
    stub.offered = OFFERED;
    stub.onChats = undefined;
    stub.onSave = undefined;
  });

  const launchUrl = (theme: object = LIGHT, initData = INIT_DATA) =>
    `${stub.base}/app/#tgWebAppData=${encodeURIComponent(initData)}&tgWebAppVersion=8.0&tgWebAppPlatform=android&tgWebAppThemeParams=${encodeURIComponent(JSON.stringify(theme))}`;

  /** a fresh page (its own context), console errors and CSP refusals collected */
  async function open(o: { theme?: object; width?: number; height?: number; waitFor?: string } = {}): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: o.width ?? 390, height: o.height ?? 844 }, deviceScaleFactor: 1 });
    opened.push(page);
    page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    page.on("console", (m) => {
      // a 4xx answer is logged by Chromium itself; the page's own errors are not expected
      if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
    });
    await page.goto(launchUrl(o.theme));
    await page.waitForSelector(o.waitFor ?? "#sources-all");
    return page;
  }

  const texts = (page: Page, sel: string) => page.$$eval(sel, (els) => els.map((e) => (e.textContent ?? "").trim()));
  const saveRequests = () => stub.requests.filter((r) => r.method === "POST");

  async function saveAndWait(page: Page) {
    const before = saveRequests().length;
    await page.click("#save");
    await page.waitForFunction(() => !(document.querySelector("#save") as HTMLButtonElement).textContent?.endsWith("…"));
    await expect.poll(() => saveRequests().length).toBe(before + 1);
    await page.waitForFunction(() => (document.querySelector("#status")?.textContent ?? "") !== "");
    return saveRequests().at(-1)!;
  }

  it("sends the initData of the URL fragment with every call and shows the chat's preferences as given", async () => {
    const page = await open();

    expect(stub.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /app/api/chats", "GET /app/api/settings?chat=501"]);
    for (const r of stub.requests) expect(r.auth).toBe(`tma ${INIT_DATA}`);

    expect(await page.title()).toBe(en("webapp-title"));
    expect(await texts(page, "#chat option")).toEqual([en("webapp-private-title"), "Caspian Daily"]);
    expect(await texts(page, "h2")).toEqual(
      ["webapp-sources", "webapp-langs", "webapp-keywords", "webapp-delivery", "webapp-quiet", "webapp-messages"].map((k) => en(k)),
    );

    expect(await page.isChecked("#sources-all")).toBe(false);
    const source = (id: string) => `input[name=source][value="${id}"]`;
    expect(await page.isChecked(source("bbc"))).toBe(true);
    expect(await page.isChecked(source("apa"))).toBe(false);
    expect(await page.isChecked(source("meduza"))).toBe(true);
    expect(await page.isChecked(source("reuters"))).toBe(false);
    expect(await page.textContent(`label:has(${source("apa")})`)).toContain("APA");

    expect(await page.isChecked("#langs-all")).toBe(true);
    expect(await page.isVisible('input[name=lang][value="en"]')).toBe(false);

    expect(await texts(page, "#kw-include-list .chip span")).toEqual(["climate"]);
    expect(await texts(page, "#kw-exclude-list .chip span")).toEqual(["football"]);
    expect(await texts(page, "#kw-phrases-list .chip span")).toEqual(["central bank"]);
    expect(await page.getAttribute('button.remove[data-kind=include][data-word="climate"]', "aria-label")).toBe(
      en("webapp-kw-remove", { word: "climate" }),
    );

    expect(await page.inputValue("#mode")).toBe("every-3");
    expect(await page.$eval("#mode", (s: HTMLSelectElement) => s.selectedOptions[0]?.textContent)).toBe(
      en("webapp-mode-every", { hours: 3 }),
    );
    expect(await page.isVisible("#daily-at")).toBe(false);
    // a zone not among the offered ones is still shown, and kept
    expect(await page.inputValue("#timezone")).toBe("Pacific/Auckland");
    expect(await page.$eval("#timezone", (s: HTMLSelectElement) => s.options[0]?.textContent)).toBe(
      en("webapp-zone-default", { zone: "UTC" }),
    );
    expect(await page.isChecked("#quiet-on")).toBe(true);
    expect(await page.inputValue("#quiet-from")).toBe("23:00");
    expect(await page.inputValue("#quiet-to")).toBe("07:00");
    expect(await page.isChecked("#previews")).toBe(false);
    expect(await page.inputValue("#locale")).toBe("en");

    expect(await page.textContent("#save")).toBe(en("webapp-save"));
    expect(await page.isDisabled("#save")).toBe(true);
    expect(errors).toEqual([]);
  });

  it("switching a source off and adding a keyword saves the whole form with exactly those changes, and shows the server's message", async () => {
    const page = await open();
    const meduza = 'input[name=source][value="meduza"]';

    await page.uncheck(meduza);
    expect(await page.isEnabled("#save")).toBe(true);
    await page.check(meduza);
    expect(await page.isDisabled("#save")).toBe(true); // back as it was: nothing to save
    await page.uncheck(meduza);

    await page.fill("#kw-include-input", "  Baku ");
    await page.press("#kw-include-input", "Enter");
    expect(await texts(page, "#kw-include-list .chip span")).toEqual(["climate", "Baku"]);
    expect(await page.inputValue("#kw-include-input")).toBe("");

    const saved = await saveAndWait(page);
    expect(saved.auth).toBe(`tma ${INIT_DATA}`);
    expect(saved.body).toEqual({
      chat: "501",
      prefs: { ...PREFS, sources: ["bbc"], keywords: { ...PREFS.keywords, include: ["climate", "Baku"] } },
    });
    expect(await page.textContent("#status")).toBe(en("webapp-saved", { chat: en("webapp-private-title") }));
    expect(await page.$eval("#status", (e) => e.classList.contains("error"))).toBe(false);
    expect(await page.isDisabled("#save")).toBe(true);
    expect(await page.isChecked(meduza)).toBe(false);
    await page.screenshot({ path: join(shots, "saved.png"), fullPage: true });
    expect(statSync(join(shots, "saved.png")).size).toBeGreaterThan(5_000);

    // a word removed, then "All sources" again
    await page.click('button.remove[data-kind=phrases][data-word="central bank"]');
    expect(await texts(page, "#kw-phrases-list .chip span")).toEqual([]);
    await page.check("#sources-all");
    expect(await page.isVisible(meduza)).toBe(false);
    const again = await saveAndWait(page);
    expect((again.body as { prefs: Prefs }).prefs).toEqual({
      ...PREFS,
      sources: "all",
      keywords: { include: ["climate", "Baku"], exclude: ["football"], phrases: [] },
    });
    expect(errors).toEqual([]);
  });

  it("delivery, zone and quiet hours: a daily digest shows its time, quiet hours off hide theirs", async () => {
    const page = await open();
    await page.selectOption("#mode", "daily");
    expect(await page.isVisible("#daily-at")).toBe(true);
    await page.fill("#daily-at", "07:30");
    await page.selectOption("#timezone", "");
    await page.uncheck("#quiet-on");
    expect(await page.isVisible("#quiet-from")).toBe(false);
    await page.check("#previews");
    // typed, not added: Save takes it too
    await page.fill("#kw-phrases-input", "“oil price”");

    const saved = await saveAndWait(page);
    expect((saved.body as { prefs: Prefs }).prefs).toEqual({
      ...PREFS,
      keywords: { ...PREFS.keywords, phrases: ["central bank", "oil price"] },
      mode: { kind: "daily", at: "07:30" },
      timezone: null,
      quiet: null,
      previews: true,
    });
    expect(errors).toEqual([]);
  });

  it("a refused value (422 naming the field): the error is shown and the field marked, the edit kept", async () => {
    const refusal = en("set-err-rule-long", { max: 60, text: "x".repeat(70) });
    stub.onSave = () => ({ status: 422, body: { error: refusal, field: "keywords" } });
    const page = await open();
    await page.fill("#kw-exclude-input", "x".repeat(70));
    await page.click("#kw-exclude-add");
    await page.click("#save");
    await page.waitForSelector("#status.error");

    expect(await page.textContent("#status")).toBe(refusal);
    expect(await page.getAttribute('section[data-field="keywords"]', "class")).toContain("invalid");
    expect(await page.getAttribute("#kw-exclude-input", "aria-invalid")).toBe("true");
    expect(await page.getAttribute('section[data-field="sources"]', "class")).not.toContain("invalid");
    const border = await page.$eval('section[data-field="keywords"] > .card', (e) => getComputedStyle(e).boxShadow);
    expect(border).toContain("rgb(229, 57, 53)");
    expect(await texts(page, "#kw-exclude-list .chip span")).toEqual(["football", "x".repeat(70)]);
    expect(await page.isEnabled("#save")).toBe(true);
    expect(errors).toEqual([]);
  });

  it("401 when loading: only the server's words in #fatal, no form", async () => {
    stub.onChats = () => ({ status: 401, body: { error: en("webapp-unauthorized") } });
    const page = await open({ waitFor: "#fatal:not(:empty)" });
    expect(await page.textContent("#fatal")).toBe(en("webapp-unauthorized"));
    expect(await page.isVisible("#form")).toBe(false);
    expect(await page.isVisible("#save")).toBe(false);
    expect(await page.$$("h2")).toHaveLength(0);
    expect(stub.requests.map((r) => r.url)).toEqual(["/app/api/chats"]);
  });

  it("401 when saving (the launch expired): the form goes, #fatal says why", async () => {
    stub.onSave = () => ({ status: 401, body: { error: en("webapp-unauthorized") } });
    const page = await open();
    await page.check("#previews");
    await page.click("#save");
    await page.waitForSelector("#fatal:not(:empty)");
    expect(await page.textContent("#fatal")).toBe(en("webapp-unauthorized"));
    expect(await page.isVisible("#sources-all")).toBe(false);
    expect(await page.isVisible("#save")).toBe(false);
  });

  it("another chat: its own settings, and a chat that is not subscribed shows why instead of a form", async () => {
    stub.chats = [PRIVATE, CHANNEL, { key: "-1002:7", title: "Baku Tech · topic 7", type: "supergroup", subscribed: false }];
    const page = await open();
    await page.selectOption("#chat", CHANNEL.key);
    await page.waitForFunction(() => (document.querySelector("#sources-all") as HTMLInputElement | null)?.checked === true);
    expect(stub.requests.at(-1)?.url).toBe("/app/api/settings?chat=-1001");
    expect(await texts(page, ".chips .chip")).toEqual([]);

    await page.selectOption("#chat", "-1002:7");
    await page.waitForSelector("#notice:not([hidden])");
    expect(await page.textContent("#notice")).toBe(en("webapp-not-subscribed"));
    expect(await page.isVisible("#form")).toBe(false);
    expect(await page.isVisible("#save")).toBe(false);
    expect(stub.requests.filter((r) => r.url.includes("1002"))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("a new bot language for the user's own chat: the page speaks it after saving", async () => {
    const page = await open();
    await page.selectOption("#locale", "ru");
    await saveAndWait(page);
    const ru = translator.forLocale("ru");
    await page.waitForFunction((title) => document.querySelector("h2")?.textContent === title, ru("webapp-sources"));
    expect(await page.textContent("#save")).toBe(ru("webapp-save"));
    expect(await page.textContent("#status")).toBe(ru("webapp-saved", { chat: en("webapp-private-title") }));
    expect(await page.getAttribute("html", "lang")).toBe("ru");
    expect(errors).toEqual([]);
  });

  it("follows Telegram's theme colours from tgWebAppThemeParams", async () => {
    const page = await open({ theme: DARK });
    const style = await page.evaluate(() => {
      const css = (sel: string) => getComputedStyle(document.querySelector(sel)!);
      return {
        bg: css("body").backgroundColor,
        text: css("body").color,
        card: css(".card").backgroundColor,
        button: css("#save").backgroundColor,
        buttonText: css("#save").color,
        scheme: document.documentElement.style.colorScheme,
      };
    });
    expect(style).toEqual({
      bg: "rgb(14, 22, 33)",
      text: "rgb(245, 245, 245)",
      card: "rgb(23, 33, 43)",
      button: "rgb(82, 136, 193)",
      buttonText: "rgb(255, 255, 255)",
      scheme: "dark",
    });
    await page.screenshot({ path: join(shots, "dark.png"), fullPage: true });
    expect(statSync(join(shots, "dark.png")).size).toBeGreaterThan(5_000);

    const light = await open({ theme: LIGHT });
    expect(await light.$eval("body", (b) => getComputedStyle(b).backgroundColor)).toBe("rgb(239, 239, 244)");
    expect(errors).toEqual([]);
  });

  it("fits a 320 px wide screen: no horizontal scroll, long names wrap", async () => {
    const long = "Donaudampfschifffahrtsgesellschaftskapitänswitwenrente";
    stub.chats = [PRIVATE, { ...CHANNEL, title: `The Very Long Name of a Channel About ${long}` }];
    stub.offered = { ...OFFERED, sources: [...OFFERED.sources, { id: "long", name: `${long} Gazette`, lang: "en" }] };
    stub.prefs.get(PRIVATE.key)!.keywords.include.push(long);
    const page = await open({ width: 320, height: 640 });
    await page.selectOption("#mode", "daily");
    const size = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
      save: document.querySelector("#save")!.getBoundingClientRect().toJSON() as DOMRect,
      // text cut off by a rounded card (overflow: hidden) would not scroll, but would not be seen either
      cut: (() => {
        const out: string[] = [];
        const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(n);
          for (const r of range.getClientRects()) if (r.width > 0 && (r.left < 0 || r.right > 320)) out.push(n.textContent ?? "");
        }
        return out;
      })(),
    }));
    expect(size.scroll).toBeLessThanOrEqual(size.client);
    expect(size.client).toBe(320);
    expect(size.cut).toEqual([]);
    expect(size.save.left).toBeGreaterThanOrEqual(0);
    expect(size.save.right).toBeLessThanOrEqual(320);
    await page.screenshot({ path: join(shots, "narrow.png"), fullPage: true });
    expect(errors).toEqual([]);
  });

  // WRITE_SCREENSHOT=1 npx vitest run tests/e2e/webapp-page.e2e.test.ts — the README's picture.
  it.runIf(process.env.WRITE_SCREENSHOT === "1")("writes docs/webapp.png", async () => {
    stub.chats = [PRIVATE];
    stub.prefs.set(PRIVATE.key, {
      ...clone(PREFS),
      sources: ["bbc", "apa", "meduza"],
      keywords: { include: ["Baku", "climate"], exclude: ["football"], phrases: ["central bank"] },
      timezone: "Asia/Baku",
    });
    const page = await open({ theme: LIGHT });
    await page.uncheck('input[name=source][value="meduza"]');
    const file = join(ROOT, "docs", "webapp.png");
    mkdirSync(dirname(file), { recursive: true });
    await page.screenshot({ path: file });
    expect(statSync(file).size).toBeLessThan(150_000);
  });
});
