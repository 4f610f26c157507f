import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { BotCommand } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, startBotProcess, testBotEnv } from "../support/bot-process.js";
import { type FakeTelegram, type FakeUser, inlineButtons, type RecordedMessage, startFakeTelegram } from "../support/fake-telegram.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { testRedis } from "../support/redis-client.js";
import { type RssItem, rss } from "../support/rss.js";
import { waitUntil } from "../support/wait.js";

/**
 * Issue 13 from a reader's side: the real bot process, a fake Bot API and a
 * feed server. A reader whose Telegram speaks Russian or Azerbaijani gets
 * every text in that language — the welcome, /help, the news cards — and no
 * English; /language changes it; at start the bot has set its command menus
 * and descriptions in each language.
 *
 * What counts as "the bot's words" in a message: everything but the story
 * content (headlines, summaries, source names — these stay as the feed wrote
 * them), URLs, /commands and numbers. Those words must be Cyrillic for ru
 * (Latin only where locales/ru itself writes Latin: "Telegram", "ADMIN_IDS"…),
 * Azerbaijani for az (its letters ə ğ ı ş, and no word that only English
 * uses), English for en.
 */
const TOKEN = "123456:I18N-e2e-token_abcdefghijklmnop";
const ADMINS = [42, 43];
const RU: FakeUser = { id: 21, first_name: "Ольга", language_code: "ru" };
const AZ: FakeUser = { id: 22, first_name: "Aysel", language_code: "az" };
const EN: FakeUser = { id: 23, first_name: "Emma", language_code: "en-US" };
const SWITCHER: FakeUser = { id: 24, first_name: "Sam", language_code: "en-US" };
const LOCALES = ["en", "ru", "az"] as const;
type Locale = (typeof LOCALES)[number];

const min = (m: number) => new Date(Date.now() - m * 60_000);
const world: RssItem[] = [
  {
    guid: "w1",
    title: "Parliament passes the annual budget",
    link: "https://world.example/budget",
    description: "Lawmakers approved spending after a long debate.",
    pubDate: min(50),
  },
  {
    guid: "w2",
    title: "Central bank holds interest rates steady",
    link: "https://world.example/rates",
    description: "The bank kept its key rate at 4.5 percent.",
    pubDate: min(30),
  },
];
const caucasus: RssItem[] = [
  {
    guid: "c1",
    title: "Tbilisi hosts regional trade forum",
    link: "https://caucasus.example/forum",
    description: "Delegations from Armenia and Azerbaijan attended.",
    pubDate: min(45),
  },
];
const FEED_NAMES = ["World Wire", "Caucasus Daily"];
/** stories added during the test, one per step, unrelated to each other (no "related" section to confuse) */
const LATER: Record<string, RssItem> = {
  glacier: {
    guid: "w10",
    title: "Glacier retreat accelerates in the Alps",
    link: "https://world.example/glacier",
    description: "Researchers measured record ice loss this summer.",
    pubDate: min(1),
  },
  violin: {
    guid: "w11",
    title: "Violin made in 1742 sold at auction",
    link: "https://world.example/violin",
    description: "The instrument fetched a record price in Vienna.",
    pubDate: min(0),
  },
};
const ALL_CONTENT = (): string[] =>
  [...world, ...caucasus, ...Object.values(LATER)].flatMap((i) => [i.title, i.description ?? ""]).concat(FEED_NAMES);

// ─── the language of a text ──────────────────────────────────────────────────

const WORD = /\p{L}+/gu;
const CYRILLIC = /[\u0400-\u04FF]/;
/** letters Azerbaijani writes and English never does */
const AZ_LETTERS = /[əƏğĞıİşŞ]/;

/** Words a locale folder's .ftl files use (lower case), or null when there are none yet. */
function localeWords(locale: Locale): Set<string> | null {
  const dir = join(process.cwd(), "locales", locale);
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith(".ftl"));
  if (files.length === 0) return null;
  const words = new Set<string>();
  for (const f of files) {
    for (const line of readFileSync(join(dir, f), "utf8").split("\n")) {
      if (line.trimStart().startsWith("#")) continue;
      const value = line
        .replace(/^[a-z][a-z0-9-]*\s*=/i, " ")
        .replace(/\$[a-z0-9_-]+/gi, " ")
        .replace(/\*?\[[a-z]+\]/gi, " ")
        // Telegram HTML tags; "<url>" in "/addsource <url>" is a word the reader sees.
        .replace(/<\/?(b|strong|i|em|u|ins|s|strike|del|a|code|pre|blockquote|tg-spoiler|span)\b[^>]*>/gi, " ")
        .replace(/&[a-z]+;/gi, " ");
      for (const w of value.match(WORD) ?? []) words.add(w.toLowerCase());
    }
  }
  return words;
}

/** A single-line Fluent message of a locale, or undefined (no such file or key, or a multi-line one). */
function ftlMessage(locale: Locale, key: string): string | undefined {
  const dir = join(process.cwd(), "locales", locale);
  if (!existsSync(dir)) return undefined;
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".ftl"))) {
    const m = new RegExp(`^${key}\\s*=\\s*(.+)$`, "m").exec(readFileSync(join(dir, f), "utf8"));
    if (m && !m[1]!.includes("{")) return m[1]!.trim();
  }
  return undefined;
}

/** English words a reader must not see in another language, when locales/en is not there to say */
const ENGLISH_FALLBACK = [
  "the",
  "you",
  "your",
  "are",
  "subscribed",
  "welcome",
  "news",
  "stories",
  "story",
  "read",
  "more",
  "also",
  "reported",
  "related",
  "send",
  "newest",
  "unsubscribe",
  "everything",
  "what",
  "this",
  "bot",
  "can",
  "sources",
  "settings",
  "language",
  "published",
  "summary",
  "coverage",
];

const words = {
  en: localeWords("en"),
  ru: localeWords("ru"),
  az: localeWords("az"),
};
/** words only English uses: in locales/en and not in locales/az (Azerbaijani is written in Latin letters too) */
const englishOnly = new Set(
  [...(words.en ?? ENGLISH_FALLBACK)].filter((w) => w.length >= 3 && !(words.az?.has(w) ?? false) && !AZ_LETTERS.test(w)),
);

const LANGUAGE_NAMES = ["English", "Русский", "Azərbaycanca", "Azərbaycan dili"];

/** The bot's own words in a text: story content, URLs, /commands, @names and numbers taken out. */
function botWords(text: string, content: readonly string[] = ALL_CONTENT()): string[] {
  let t = text;
  for (const c of [...content].filter(Boolean).sort((a, b) => b.length - a.length)) t = t.split(c).join(" ");
  // Each language is named in its own words everywhere ("/language — …: English, Русский, Azərbaycanca").
  for (const name of LANGUAGE_NAMES) t = t.split(name).join(" ");
  t = t
    .replace(/https?:\/\/\S+/g, " ")
    // Time zones stay as they are: Asia/Baku, UTC, GMT+4.
    .replace(/\b[A-Z][a-z]+\/[A-Za-z_]+(\/[A-Za-z_]+)?\b/g, " ")
    .replace(/\b(UTC|GMT)([+-]\d{1,2}(:\d\d)?)?\b/g, " ")
    .replace(/\/[A-Za-z_]+(@\w+)?/g, " ")
    .replace(/@\w+/g, " ");
  return t.match(WORD) ?? [];
}

/** What is wrong with `text` for a reader of `locale` (empty: nothing). */
function languageProblems(text: string, locale: Locale, content?: readonly string[]): string[] {
  const ws = botWords(text, content);
  const problems: string[] = [];
  if (locale === "ru") {
    const allowed = words.ru ?? new Set<string>();
    const latin = ws.filter((w) => /[A-Za-z]/.test(w) && !allowed.has(w.toLowerCase()));
    if (latin.length > 0) problems.push(`Latin words a Russian reader should not see: ${JSON.stringify([...new Set(latin)])}`);
    if (!ws.some((w) => CYRILLIC.test(w))) problems.push("no Russian (Cyrillic) words at all");
  } else if (locale === "az") {
    const english = ws.filter((w) => englishOnly.has(w.toLowerCase()));
    if (english.length > 0) problems.push(`English words an Azerbaijani reader should not see: ${JSON.stringify([...new Set(english)])}`);
    if (!ws.some((w) => AZ_LETTERS.test(w))) problems.push("no Azerbaijani words (none with ə, ğ, ı or ş)");
    if (ws.some((w) => CYRILLIC.test(w))) problems.push("Cyrillic words in an Azerbaijani (Latin script) text");
  } else {
    if (ws.some((w) => CYRILLIC.test(w) || AZ_LETTERS.test(w))) problems.push("Russian or Azerbaijani words in an English text");
    if (ws.filter((w) => englishOnly.has(w.toLowerCase())).length < 2) problems.push("hardly any English words");
  }
  return problems;
}

function expectLanguage(text: string, locale: Locale, what: string, content?: readonly string[]): void {
  const problems = languageProblems(text, locale, content);
  expect(problems, `${what} for a ${locale} reader:\n${text}\n→ ${problems.join("; ")}`).toEqual([]);
}

/** A message's words and its buttons' labels, as the reader sees them. */
const seen = (m: RecordedMessage) => [m.visibleText, ...inlineButtons(m).map((b) => b.text)].join("\n");

// ─── the bot ─────────────────────────────────────────────────────────────────

const { redis, url: redisUrl } = testRedis();
const prefix = `i18n${randomUUID().slice(0, 6)}:`;
let tg: FakeTelegram;
let feeds: FeedServer;
let bot: BotProcess;

beforeAll(async () => {
  tg = await startFakeTelegram();
  feeds = await startFeedServer();
  feeds.set("/world.xml", () => ({ body: rss("World Wire", world) }));
  feeds.set("/caucasus.xml", () => ({ body: rss("Caucasus Daily", caucasus) }));
  bot = startBotProcess(
    testBotEnv({
      token: TOKEN,
      apiRoot: tg.apiRoot,
      redisUrl,
      prefix,
      adminIds: ADMINS,
      sources: [
        { id: "world-wire", name: "World Wire", url: feeds.urlFor("/world.xml"), lang: "en" },
        { id: "caucasus-daily", name: "Caucasus Daily", url: feeds.urlFor("/caucasus.xml"), lang: "en" },
      ],
    }),
  );
  await bot.waitForLog((l) => l.msg === "bot: started", 30_000);
  // The first poll takes what the feeds hold as backlog: nothing of it is sent.
  await bot.waitForLog((l) => l.msg === "poll: run finished" && l.backlog === 3, 30_000);
}, 60_000);

afterAll(async () => {
  // E2E_TRANSCRIPT=1: every message each reader got, as they read it.
  if (process.env.E2E_TRANSCRIPT && tg) {
    for (const m of tg.allMessages()) process.stdout.write(`--- to ${m.chatId}:\n${seen(m)}\n`);
  }
  await bot?.stop("SIGKILL");
  await tg?.close();
  await feeds?.close();
  await redis.quit();
});

const transcript = (chatId: number) =>
  tg
    .messagesTo(chatId)
    .map((m) => `  #${m.messageId}: ${JSON.stringify(m.visibleText.slice(0, 200))}`)
    .join("\n") || "  (nothing)";

/** The next message the bot sends this user after `before` messages. */
async function nextMessage(user: FakeUser, before: number, timeoutMs = 15_000): Promise<RecordedMessage> {
  return waitUntil(
    () => tg.messagesTo(user.id)[before],
    () => `a message to ${user.first_name} (${user.id}); so far:\n${transcript(user.id)}`,
    timeoutMs,
  );
}

/** Sends a command and returns the bot's reply. */
async function ask(user: FakeUser, text: string): Promise<RecordedMessage> {
  const before = tg.messagesTo(user.id).length;
  tg.sendText(user, text);
  return nextMessage(user, before);
}

/** The card of a story in a reader's chat. */
function cardOf(user: FakeUser, story: RssItem, timeoutMs = 20_000): Promise<RecordedMessage> {
  return waitUntil(
    () => tg.messagesTo(user.id).find((m) => m.visibleText.includes(story.title)),
    () => `the card "${story.title}" in ${user.first_name}'s chat; so far:\n${transcript(user.id)}`,
    timeoutMs,
  );
}

function expectCard(card: RecordedMessage, story: RssItem, locale: Locale): void {
  expect(card.links.map((l) => l.href)).toContain(story.link);
  expectLanguage(seen(card), locale, `the card "${story.title}"`);
  if (locale !== "en") {
    expect(card.visibleText).not.toMatch(/Read more|Also reported|Related/);
    const readMore = ftlMessage(locale, "card-read-more");
    if (readMore) expect(card.links.map((l) => l.text)).toContain(readMore);
  }
}

// ─── Telegram's view, before anyone writes ───────────────────────────────────

const DEFAULT_SCOPE = { type: "default" };

/** The command menu Telegram shows a user of `lang` in `scope`'s chat, resolved the way Telegram does. */
function menuSeen(userId: number | undefined, lang: string): BotCommand[] {
  const scopes = [...(userId === undefined ? [] : [{ type: "chat", chat_id: userId }]), { type: "all_private_chats" }, DEFAULT_SCOPE];
  for (const scope of scopes) {
    for (const l of [lang, undefined]) {
      const menu = tg.myCommands(scope, l);
      if (menu.length > 0) return menu;
    }
  }
  return [];
}

const menuText = (menu: BotCommand[]) => menu.map((c) => c.description).join("\n");
const COMMAND_NAMES = (menu: BotCommand[]) => menu.map((c) => c.command);

describe("i18n end to end: the language check itself", () => {
  it("tells English UI words from Russian and Azerbaijani ones, story content aside", () => {
    const english = "👋 Welcome to the news! You are subscribed.\nRead more →\nAlso reported by World Wire";
    expect(languageProblems(english, "en")).toEqual([]);
    expect(languageProblems(english, "ru").join()).toMatch(/Latin words.*Welcome/);
    expect(languageProblems(english, "az").join()).toMatch(/English words.*Welcome/);
    expect(languageProblems("Glacier retreat accelerates in the Alps\nWorld Wire · 16:26 UTC\n\nЧитать дальше →", "ru")).toEqual([]);
    expect(languageProblems("Glacier retreat accelerates in the Alps\nWorld Wire · 16:26 UTC\n\nƏtraflı →", "az")).toEqual([]);
    expect(languageProblems("Glacier retreat accelerates in the Alps\nWorld Wire · 16:26 UTC\n\nRead more →", "az")).not.toEqual([]);
    expect(languageProblems("Xəbərlər", "ru")).not.toEqual([]);
  });
});

describe("i18n end to end: what Telegram shows before anyone writes", () => {
  it("sets the command menu in English, Russian and Azerbaijani", { timeout: 30_000 }, async () => {
    for (const lang of ["ru", "az"]) {
      await tg.waitForCall("setMyCommands", (b) => b.language_code === lang, 15_000);
    }
    for (const lang of LOCALES) {
      const menu = menuSeen(undefined, lang);
      expect(COMMAND_NAMES(menu), `the ${lang} menu`).toEqual(expect.arrayContaining(["start", "latest", "settings", "language", "help"]));
      expect(COMMAND_NAMES(menu), `admin commands in the public ${lang} menu`).not.toContain("broadcast");
      expectLanguage(menuText(menu), lang, "the public command menu");
    }
    // The ru and az menus are their own, not the English default seen through.
    expect(tg.myCommands(DEFAULT_SCOPE, "ru").length).toBeGreaterThan(0);
    expect(tg.myCommands(DEFAULT_SCOPE, "az").length).toBeGreaterThan(0);
    // Any other language gets English.
    expectLanguage(menuText(menuSeen(undefined, "de")), "en", "the menu for a German-speaking user");
  });

  it("gives each admin in ADMIN_IDS the admin commands, in the admin's language", async () => {
    for (const admin of ADMINS) {
      const calls = tg.calls("setMyCommands").filter((b) => {
        const scope = (typeof b.scope === "string" ? JSON.parse(b.scope) : b.scope) as { type?: string; chat_id?: unknown } | undefined;
        return scope?.type === "chat" && Number(scope.chat_id) === admin;
      });
      expect(calls.length, `setMyCommands for admin ${admin}'s chat`).toBeGreaterThan(0);
      for (const lang of LOCALES) {
        const menu = menuSeen(admin, lang);
        expect(COMMAND_NAMES(menu), `admin ${admin}'s ${lang} menu`).toEqual(expect.arrayContaining(["start", "broadcast", "stats"]));
        expectLanguage(menuText(menu), lang, `admin ${admin}'s command menu`);
      }
    }
  });

  it("sets the bot's description and short description per language", async () => {
    for (const lang of ["ru", "az"]) {
      await tg.waitForCall("setMyDescription", (b) => b.language_code === lang, 15_000);
      await tg.waitForCall("setMyShortDescription", (b) => b.language_code === lang, 15_000);
    }
    // What a user sees: their language's text, else the one for every language.
    const shown = (get: (l?: string) => string | undefined, lang: string) => get(lang) ?? get(undefined) ?? "";
    for (const [what, get] of [
      ["description", (l?: string) => tg.myDescription(l)],
      ["short description", (l?: string) => tg.myShortDescription(l)],
    ] as const) {
      for (const lang of LOCALES) {
        const text = shown(get, lang);
        expect(text, `the ${lang} ${what}`).not.toBe("");
        expectLanguage(text, lang, `the bot's ${what}`);
      }
      expectLanguage(shown(get, "de"), "en", `the ${what} for any other language`);
    }
    expect(tg.myShortDescription("ru")!.length).toBeLessThanOrEqual(120);
    expect(tg.myDescription("az")!.length).toBeLessThanOrEqual(512);
  });
});

describe("i18n end to end: readers in their own language", () => {
  for (const [user, locale] of [
    [RU, "ru"],
    [AZ, "az"],
    [EN, "en"],
  ] as const) {
    it(`greets a ${user.language_code} reader in ${locale}, and /help too`, { timeout: 40_000 }, async () => {
      const welcome = await ask(user, "/start");
      expectLanguage(seen(welcome), locale, "the /start welcome");
      // The welcome shows the top headlines as the feeds wrote them.
      expect(welcome.visibleText).toMatch(/Tbilisi hosts regional trade forum|Central bank holds interest rates steady/);
      const help = await ask(user, "/help");
      expectLanguage(seen(help), locale, "/help");
      expect(help.visibleText).toContain("/start");
    });
  }

  it("sends a new story as a card in each reader's language", { timeout: 40_000 }, async () => {
    world.unshift(LATER.glacier!);
    for (const [user, locale] of [
      [RU, "ru"],
      [AZ, "az"],
      [EN, "en"],
    ] as const) {
      const card = await cardOf(user, LATER.glacier!);
      expectCard(card, LATER.glacier!, locale);
    }
  });

  it("switches an English reader to Russian with /language and its buttons", { timeout: 50_000 }, async () => {
    const welcome = await ask(SWITCHER, "/start");
    expectLanguage(seen(welcome), "en", "the /start welcome");

    const menu = await ask(SWITCHER, "/language");
    const buttons = inlineButtons(menu).flatMap((b) => ("callback_data" in b ? [b] : []));
    expect(buttons.length, `/language's buttons: ${JSON.stringify(inlineButtons(menu))}`).toBeGreaterThanOrEqual(3);
    // Each language is named in its own words, so a reader finds theirs whatever the bot speaks now.
    const russian = buttons.find((b) => b.text.includes("Русский"));
    expect(russian, `a "Русский" button among ${JSON.stringify(buttons.map((b) => b.text))}`).toBeDefined();
    expect(buttons.some((b) => b.text.includes("Azərbaycan"))).toBe(true);
    expect(buttons.some((b) => b.text.includes("English"))).toBe(true);

    const before = tg.messagesTo(SWITCHER.id).length;
    tg.pressButton(SWITCHER, menu, russian!.callback_data);
    await tg.waitForCall("answerCallbackQuery");
    // The answer — the menu edited, or a new message — is in Russian already.
    const answer = await waitUntil(
      () => (menu.edits > 0 && CYRILLIC.test(menu.visibleText) ? menu : undefined) ?? tg.messagesTo(SWITCHER.id)[before],
      () => `the answer to pressing "${russian!.text}"; so far:\n${transcript(SWITCHER.id)}`,
    );
    expectLanguage(seen(answer), "ru", "the answer to choosing Russian");

    const help = await ask(SWITCHER, "/help");
    expectLanguage(seen(help), "ru", "/help after choosing Russian");

    world.unshift(LATER.violin!);
    const card = await cardOf(SWITCHER, LATER.violin!);
    expectCard(card, LATER.violin!, "ru");
    // The others keep their own languages.
    expectCard(await cardOf(EN, LATER.violin!), LATER.violin!, "en");
    expectCard(await cardOf(AZ, LATER.violin!), LATER.violin!, "az");
  });

  it("never had a message refused, and kept running", () => {
    expect(bot.running()).toBe(true);
    expect(tg.stats.errors400, "Telegram refused messages (400)").toBe(0);
    expect(bot.errors().map((l) => l.msg)).toEqual([]);
    // Private chats only: nobody's admin rights needed asking.
    expect(tg.memberLookups()).toBe(0);
  });
});
