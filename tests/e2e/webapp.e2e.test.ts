import { randomUUID } from "node:crypto";
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sign } from "@tma.js/init-data-node";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStores } from "../../src/store/index.js";
import { findChromium, launchBrowser } from "../support/browser.js";
import { SERVED_BOT_TOKEN, type ServedBot, startServedBot, until } from "../support/http-process.js";
import { testRedis } from "../support/redis-client.js";

/**
 * The settings Mini App end to end: the real bot process (PUBLIC_URL,
 * HTTP_PORT) offers it from /start and /settings, serves the page, and a
 * real headless Chromium (Debian's, driven by playwright-core) opens it
 * with initData signed by the bot's token, switches a source off, adds a
 * keyword and saves; the change is in Redis and confirmed in the chat. A
 * forged initData gets 401 and the page says so.
 */
const chromium = findChromium();
if (!chromium) console.warn("webapp.e2e: skipped — no Chromium found (install Debian's chromium package, or set CHROMIUM_PATH)");

const PUBLIC_URL = "https://news.example";
const READER = { id: 4242, first_name: "Leyla", language_code: "en" };

describe.skipIf(!chromium)("settings Mini App in a real browser", () => {
  const { redis, url: redisUrl } = testRedis();
  const prefix = `webapp${randomUUID().slice(0, 6)}:`;
  const stores = createStores(redis, prefix);
  const shots = mkdtempSync(join(tmpdir(), "newsbot-webapp-"));
  let served: ServedBot;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    served = await startServedBot({
      redisUrl,
      prefix,
      more: [{ id: "caucasus-wire", name: "Caucasus Wire", path: "/caucasus.xml" }],
      extra: () => ({ PUBLIC_URL }),
    });
    base = `http://127.0.0.1:${served.port}`;
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await redis.quit();
  });

  const launchUrl = (initData: string) =>
    `${base}/app/#tgWebAppData=${encodeURIComponent(initData)}&tgWebAppVersion=8.0&tgWebAppPlatform=tdesktop&tgWebAppThemeParams=${encodeURIComponent(
      JSON.stringify({
        bg_color: "#ffffff",
        text_color: "#000000",
        button_color: "#2481cc",
        button_text_color: "#ffffff",
        secondary_bg_color: "#f1f1f4",
      }),
    )}`;
  const signed = (token = SERVED_BOT_TOKEN) => sign({ user: READER, query_id: "AAH-e2e" } as never, token, new Date());

  it("/start and /settings offer the Mini App: the chat's menu button and an Open settings button", async () => {
    const { tg } = served;
    tg.sendText(READER, "/start");
    await tg.waitFor((m) => m.chatId === READER.id && /welcome/i.test(m.text), 15_000);
    const button = await until(() => tg.menuButton(READER.id), "the chat's menu button");
    expect(button).toMatchObject({ type: "web_app", web_app: { url: `${PUBLIC_URL}/app/` } });
    expect(tg.menuButton()).toMatchObject({ type: "web_app", web_app: { url: `${PUBLIC_URL}/app/` } });

    tg.sendText(READER, "/settings");
    const menu = await tg.waitFor((m) => m.chatId === READER.id && /settings/i.test(m.text) && m.replyMarkup !== undefined, 15_000);
    const buttons = menu.replyMarkup && "inline_keyboard" in menu.replyMarkup ? menu.replyMarkup.inline_keyboard.flat() : [];
    expect(buttons).toContainEqual({ text: expect.stringMatching(/open settings/i), web_app: { url: `${PUBLIC_URL}/app/` } });
  }, 30_000);

  it("switches a source off and adds a keyword; Redis has them and the chat is told", async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(launchUrl(signed()));
      await page.waitForSelector("#sources-all");
      expect(await page.isChecked("#sources-all")).toBe(true);
      await page.uncheck("#sources-all");
      await page.uncheck('input[name=source][value="caucasus-wire"]');
      await page.fill("#kw-include-input", "Baku");
      await page.click("#kw-include-add");
      await page.screenshot({ path: join(shots, "settings-edited.png"), fullPage: true });
      await page.click("#save");
      await page.waitForFunction(() => /saved/i.test(document.querySelector("#status")?.textContent ?? ""), undefined, {
        timeout: 10_000,
      });

      const prefs = (await stores.subscribers.get(READER.id))?.prefs;
      expect(prefs?.sources).toEqual(["world-wire"]);
      expect(prefs?.keywords.include).toEqual(["Baku"]);
      await served.tg.waitFor((m) => m.chatId === READER.id && /changed in the app/i.test(m.text), 10_000);
      await page.screenshot({ path: join(shots, "settings-saved.png"), fullPage: true });
      expect(statSync(join(shots, "settings-saved.png")).size).toBeGreaterThan(1000);
    } finally {
      await page.close();
    }
  }, 60_000);

  it("a forged initData gets 401 from the API, the page says so, and nothing changes", async () => {
    const before = (await stores.subscribers.get(READER.id))?.prefs;
    const forged = signed("654321:someone-elses-token_abcdefghij");
    const r = await fetch(`${base}/app/api/settings`, {
      method: "POST",
      headers: { authorization: `tma ${forged}`, "content-type": "application/json" },
      body: JSON.stringify({ chat: String(READER.id), prefs: { ...before, sources: "all" } }),
    });
    expect(r.status).toBe(401);

    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(launchUrl(forged));
      await page.waitForSelector("#fatal:not(:empty)");
      expect(await page.textContent("#fatal")).toMatch(/bot/i);
      expect(await page.$("#save:visible")).toBeNull();
    } finally {
      await page.close();
    }
    expect((await stores.subscribers.get(READER.id))?.prefs).toEqual(before);
  }, 30_000);
});
