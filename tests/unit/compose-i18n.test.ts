import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Bot } from "grammy";
import { describe, expect, it } from "vitest";
import { BROADCAST_MAX, broadcastCommand, composeBroadcastPreview } from "../../commands/broadcast.js";
import { cancelCommand } from "../../commands/cancel.js";
import { LATEST_DEFAULT, latestCommand } from "../../commands/latest.js";
import type { BotContext } from "../../src/bot/context.js";
import {
  cancelledText,
  etaText,
  finishedProgressText,
  interruptedText,
  progressText,
  reportText,
} from "../../src/delivery/broadcast-progress.js";
import { createFormatter } from "../../src/delivery/formatter.js";
import { INTL_LOCALE, type Locale } from "../../src/i18n/locales.js";
import { createTranslator, localesDir, type Translate } from "../../src/i18n/translator.js";
import {
  broadcastTextLimit,
  composeBroadcast,
  composeDigestParts,
  composeHeadlines,
  composeLatest,
  composeNews,
  composeSources,
  composeTimelineDigest,
  type FormatOptions,
  type OutgoingMessage,
  type StoryEntry,
} from "../../src/news/compose.js";
import { visibleLength } from "../../src/news/html.js";
import type { Item } from "../../src/news/item.js";
import type { Broadcast } from "../../src/store/broadcast-store.js";
import { ApiRecorder, botInfo, callbackUpdate, textUpdate } from "../support/api-recorder.js";
import { checkTelegramHtml } from "../support/telegram-html.js";

const LIMIT = 4096;
const NOW = Date.UTC(2026, 10, 28, 15, 0); // 28 Nov 2026, 15:00 UTC
const AREA_FILES = ["cards.ftl", "broadcast.ftl"];

const missing: string[] = [];
const translator = createTranslator({ onMissing: (locale, key) => missing.push(`${locale}: ${key}`) });

/** The keys a .ftl file defines (messages, not terms or comments). */
function keysOf(locale: string, file: string): string[] {
  const text = readFileSync(join(localesDir(), locale, file), "utf8");
  return [...text.matchAll(/^([a-z][a-z0-9-]*)\s*=/gm)].map((m) => m[1]!);
}

const ARGS_MANY = {
  count: 5,
  part: 1,
  parts: 2,
  sent: 5,
  total: 5,
  failed: 5,
  blocked: 5,
  length: 5,
  max: 5,
  default: 5,
  minutes: 5,
  hours: 5,
};
const ARGS_ONE = Object.fromEntries(Object.keys(ARGS_MANY).map((k) => [k, 1]));
/** Words that are the same in every language: product names. */
const NOT_ENGLISH_ONLY = new Set(["redis"]);

/**
 * Every English word the en texts of this area show (both plural forms),
 * without command names (/latest all), which stay as they are in every language.
 */
const ENGLISH_WORDS: string[] = (() => {
  const en = translator.forLocale("en");
  const words = new Set<string>();
  for (const file of AREA_FILES) {
    for (const key of keysOf("en", file)) {
      for (const args of [ARGS_MANY, ARGS_ONE]) {
        const text = en(key, { ...args, outlets: "", stories: "", name: "", eta: "" })
          .replace(/<[^>]*>/g, " ")
          .replace(/\/[a-z_]+( all)?/g, " ");
        for (const w of text.match(/[A-Za-z]{3,}/g) ?? []) if (!NOT_ENGLISH_ONLY.has(w.toLowerCase())) words.add(w.toLowerCase());
      }
    }
  }
  return [...words];
})();

function englishWordsIn(visible: string): string[] {
  const text = visible.replace(/\/[a-z_]+( all)?/g, " ");
  return ENGLISH_WORDS.filter((w) => new RegExp(`(?<!\\p{L})${w}(?!\\p{L})`, "iu").test(text));
}

/** What the user sees, after checking the message is one Telegram accepts and within the limit. */
function seen(msg: OutgoingMessage): string {
  expect(msg.parse_mode).toBe("HTML");
  const r = checkTelegramHtml(msg.text);
  if (!r.ok) throw new Error(`${r.description}: ${msg.text.slice(0, 200)}`);
  expect(r.visibleLength).toBeLessThanOrEqual(LIMIT);
  expect(visibleLength(msg.text)).toBe(r.visibleLength);
  return r.visibleText;
}

/** A plain-text message (no parse_mode): within the limit. */
function plain(text: string): string {
  expect(text.length).toBeGreaterThan(0);
  expect(text.length).toBeLessThanOrEqual(LIMIT);
  return text;
}

interface Case {
  locale: Exclude<Locale, "en">;
  timezone: string;
  /** a word of the language every message of this area shows somewhere */
  words: { readMore: string; related: string; also: string; latest: string; broadcast: string };
  /** month abbreviations Intl gives in this language */
  nov: string;
  oct: string;
  /** the /latest header for 2 and 5 stories, and for one */
  latest2: string;
  latest5: string;
  latest1: string;
  /** the digest header for 30 and for 21 / 22 / 1 stories */
  header30: string;
  header21: string;
  header22: string;
  header1: string;
  sources: [string, string, string];
  title: (n: number) => string;
}

const CASES: Case[] = [
  {
    locale: "ru",
    timezone: "Europe/Moscow",
    words: {
      readMore: "Читать дальше",
      related: "Похожие материалы",
      also: "Также сообщают",
      latest: "Последние",
      broadcast: "Рассылка",
    },
    nov: "нояб.",
    oct: "окт.",
    latest2: "🗞 Последние 2 материала, сначала свежие",
    latest5: "🗞 Последние 5 материалов, сначала свежие",
    latest1: "🗞 Последний материал",
    header30: "📰 30 новых материалов, сначала свежие",
    header21: "📰 21 новый материал, сначала свежие",
    header22: "📰 22 новых материала, сначала свежие",
    header1: "📰 1 новый материал",
    sources: ["РИА Новости", "Интерфакс", "Коммерсантъ"],
    title: (n) => `Новость номер ${n}: правительство объявило о новых мерах`,
  },
  {
    locale: "az",
    timezone: "Asia/Baku",
    words: { readMore: "Ətraflı", related: "Oxşar xəbərlər", also: "həmçinin", latest: "Son", broadcast: "Yayım" },
    nov: "noy",
    oct: "okt",
    latest2: "🗞 Son 2 xəbər, əvvəlcə ən yeniləri",
    latest5: "🗞 Son 5 xəbər, əvvəlcə ən yeniləri",
    latest1: "🗞 Ən son xəbər",
    header30: "📰 30 yeni xəbər, əvvəlcə ən yeniləri",
    header21: "📰 21 yeni xəbər, əvvəlcə ən yeniləri",
    header22: "📰 22 yeni xəbər, əvvəlcə ən yeniləri",
    header1: "📰 1 yeni xəbər",
    sources: ["APA", "Trend", "Report.az"],
    title: (n) => `Xəbər nömrəsi ${n}: hökumət yeni tədbirlər elan edib`,
  },
];

for (const c of CASES) {
  describe(`what a ${c.locale} reader sees`, () => {
    const t: Translate = translator.forLocale(c.locale);
    const fmt: FormatOptions = { timezone: c.timezone, now: NOW, locale: INTL_LOCALE[c.locale], t };
    let seq = 0;
    const item = (over: Partial<Item> = {}): Item => {
      seq++;
      return {
        key: `${c.locale}:${seq}`,
        sourceId: "s0",
        sourceName: c.sources[0],
        title: c.title(seq),
        link: `https://example.com/${c.locale}/${seq}`,
        summary: `${c.title(seq)}. ${c.title(seq + 1000)}.`,
        published: "2026-11-27T11:05:00Z",
        seenAt: NOW,
        ...over,
      };
    };
    const noEnglish = (visible: string) => expect(englishWordsIn(visible), visible).toEqual([]);

    it("a card with other reports and related stories", () => {
      const also = Array.from({ length: 8 }, (_, i) =>
        item({ sourceId: `a${i}`, sourceName: `${c.sources[1]} ${i}`, published: "2026-10-02T10:00:00Z" }),
      );
      const related = [item({ sourceId: "r", sourceName: c.sources[2], published: "2025-03-01T10:00:00Z" })];
      const visible = seen(composeNews({ item: item(), related, also }, fmt));
      const lines = visible.split("\n");
      // Yesterday in the chat's zone and language: "27 нояб., 14:05 GMT+3" / "27 noy, 15:05 GMT+4".
      expect(lines[1]).toMatch(new RegExp(`^${c.sources[0]} · 27 ${c.nov.replace(".", "\\.")}, 1[45]:05 GMT\\+[34]$`));
      expect(visible).toContain(c.words.readMore);
      expect(visible).toContain(c.words.related);
      expect(visible).toContain(c.words.also);
      expect(visible).toContain(`, 2 ${c.oct} — `);
      expect(visible).toContain(t("card-also-more", { count: 2 }));
      expect(visible).toContain("2025");
      noEnglish(visible);
    });

    it("a card for a story without a title", () => {
      const visible = seen(composeNews({ item: item({ title: "  " }), related: [] }, fmt));
      expect(visible.split("\n")[0]).toBe(t("card-untitled"));
      noEnglish(visible);
    });

    it("a digest of 30 stories: header with the right plural form, the rest counted", () => {
      const entries: StoryEntry[] = Array.from({ length: 30 }, () => ({
        item: item(),
        related: [item({ sourceId: "r", sourceName: c.sources[1], published: "2026-11-25T08:00:00Z" })],
        also: [item({ sourceId: "a", sourceName: c.sources[2] })],
      }));
      // The timeline's one message: headlines only past 8, "…and N more" for those not shown.
      const msg = composeTimelineDigest(entries, 12, fmt)!;
      const visible = seen(msg);
      const blocks = visible.split("\n\n");
      expect(blocks[0]).toBe(t("digest-header", { count: 42 }));
      const shown = blocks.length - 2;
      expect(blocks.at(-1)).toBe(t("digest-more", { count: 42 - shown }));
      noEnglish(visible);

      // The parts of a delivery digest, each under "📰 30 … (i/n)".
      const parts = composeDigestParts(entries, fmt);
      expect(parts.length).toBeGreaterThan(1);
      for (const [i, p] of parts.entries()) {
        const v = seen(p.message);
        expect(v.split("\n")[0]).toBe(`${c.header30} (${i + 1}/${parts.length})`);
        expect(v).toContain(t("digest-also", { outlets: c.sources[2] }));
        noEnglish(v);
      }
      const head = (n: number) => seen(composeDigestParts(entries.slice(0, n), fmt)[0]!.message).split("\n")[0];
      expect(head(1)).toBe(c.header1);
      const many = (n: number) => seen(composeTimelineDigest(entries.slice(0, 1), n - 1, fmt)!).split("\n")[0];
      expect(many(21)).toBe(c.header21);
      expect(many(22)).toBe(c.header22);
      expect(many(30)).toBe(c.header30);
    });

    it("a list line naming more outlets than it shows", () => {
      const also = Array.from({ length: 8 }, (_, i) => item({ sourceId: `o${i}`, sourceName: `O${i + 1}` }));
      const [msg] = composeLatest([{ item: item(), also, related: [] }], fmt);
      const last = seen(msg!).split("\n").at(-1)!;
      expect(last).toBe(t("digest-also-more", { outlets: "O1, O2, O3, O4, O5, O6", count: 2 }));
      noEnglish(last);
    });

    it("the /latest list, and /latest with nothing yet", () => {
      const entries: StoryEntry[] = [
        { item: item({ published: "2026-11-28T14:05:00Z" }), related: [item({ sourceId: "r", sourceName: c.sources[1] })] },
        { item: item(), related: [] },
      ];
      const [msg, ...rest] = composeLatest(entries, fmt);
      expect(rest).toEqual([]);
      const visible = seen(msg!);
      const lines = visible.split("\n");
      expect(lines[0]).toBe(c.latest2);
      expect(lines[2]).toBe(`1. ${entries[0]!.item.title}`);
      expect(visible).toContain(` · 27 ${c.nov}, `);
      noEnglish(visible);
      const empty = seen(composeLatest([], fmt)[0]!);
      expect(empty).toBe(t("latest-empty"));
      noEnglish(empty);
      // A long list in parts: "(1/2)" after the translated header.
      const long = composeLatest(
        Array.from({ length: 10 }, () => ({ item: item({ title: "Т ".repeat(700), summary: "" }), related: [] })),
        fmt,
      );
      expect(long.length).toBeGreaterThan(1);
      expect(seen(long[0]!).split("\n")[0]).toBe(`${t("latest-header", { count: 10 })} (1/${long.length})`);
      expect(seen(composeLatest(entries.slice(0, 1), fmt)[0]!).split("\n")[0]).toBe(c.latest1);
      const five = Array.from({ length: 5 }, () => ({ item: item(), related: [] }));
      expect(seen(composeLatest(five, fmt)[0]!).split("\n")[0]).toBe(c.latest5);
    });

    it("headlines in the greeting and the /sources list", () => {
      const html = composeHeadlines([item({ title: "" })], { t });
      expect(checkTelegramHtml(html).ok).toBe(true);
      expect(html).toContain(t("card-untitled"));
      const sources = Array.from({ length: 200 }, (_, i) => ({
        id: `s-${i}`,
        name: `${c.sources[i % 3]} <${i}>`,
        url: `https://feeds.test/${i}.xml`,
        description: c.title(i).repeat(3),
        enabled: true,
      }));
      const visible = seen(composeSources(sources, { t }));
      expect(visible.split("\n")[0]).toBe(t("sources-list-header", { count: 200 }).replace(/<\/?b>/g, ""));
      expect(visible.split("\n").at(-1)).toMatch(new RegExp(`^${t("sources-list-more", { count: 9 }).replace("9", "\\d+")}$`));
      noEnglish(visible);
      const none = seen(composeSources([], { t }));
      expect(none).toBe(t("sources-list-empty"));
      noEnglish(none);
    });

    it("a broadcast, with and without the sender's name, as delivery formats it", () => {
      const text = `${c.title(1)} <b>22:00</b> & https://e.test/s?a=1&b=2`;
      const plainMsg = seen(composeBroadcast(text, { t }));
      expect(plainMsg).toBe(`${t("bc-announcement").replace(/<\/?b>/g, "")}\n\n${text}`);
      noEnglish(plainMsg);
      const from = seen(composeBroadcast("Hi", { from: "Анна <admin>", t }));
      expect(from.split("\n")[0]).toContain("Анна <admin>");
      noEnglish(from.replace("Hi", ""));
      const exact = composeBroadcast("ə".repeat(broadcastTextLimit({ t })), { t });
      expect(seen(exact)).toHaveLength(LIMIT);
      const b: Broadcast = { id: "0123456789ab", adminId: 1, adminChatId: 1, text, createdAt: NOW, status: "sending" };
      // Delivery passes the chat's FormatOptions.
      const broadcast = createFormatter().broadcast as (b: Broadcast, fmt: FormatOptions) => OutgoingMessage;
      expect(broadcast(b, fmt)).toEqual(composeBroadcast(text, { t }));
    });

    it("the broadcast preview, progress, report, stop and interruption texts", () => {
      const preview = composeBroadcastPreview("x".repeat(BROADCAST_MAX), 21, t);
      const pv = seen({ text: preview, parse_mode: "HTML", link_preview_options: {} });
      noEnglish(pv.replace(/x+/, ""));
      expect(pv).toContain("21");
      const counts = { sent: 1200, failed: 3, blocked: 12, skipped: 4, total: 10_000 };
      const p = { ...counts, elapsedMs: 45_000, expectedRate: 30 };
      const texts = [
        progressText(p, t),
        finishedProgressText(counts, t),
        reportText(counts, t),
        cancelledText(counts, t),
        interruptedText(counts, "redis-data-lost", t),
        etaText({ ...p, sent: 9900 - 19 }, t),
        etaText({ ...p, sent: 9981 }, t),
        etaText({ ...p, sent: 0, failed: 0, blocked: 0, skipped: 0, elapsedMs: 0, expectedRate: 0.5 }, t),
      ];
      for (const s of texts) noEnglish(plain(s));
      // Counts grouped the language's way: "10 000" / "10.000".
      expect(texts[0]).toContain(c.locale === "ru" ? "1\u00a0200 / 10\u00a0000" : "1.200 / 10.000");
      expect(texts[0]).toContain("/cancel");
      expect(texts[2]).toContain(c.words.broadcast);
      expect(texts[7]).toBe(t("bc-eta-hours", { hours: 5.6 }));
      expect(texts[7]).toContain("5,6");
    });

    it("the /latest, /broadcast and /cancel replies, button texts and button answers", async () => {
      const rec = new ApiRecorder();
      const bot = new Bot<BotContext>("1:test-token-aaaaaaaaaaaaaaaaaaaa", { botInfo });
      rec.install(bot.api);
      bot.use((ctx, next) => {
        ctx.locale = c.locale;
        ctx.t = t;
        ctx.useLocale = () => undefined;
        return next();
      });
      const latest = Array.from({ length: 3 }, (_, i) => ({ item: item({ published: `2026-11-2${i + 5}T09:00:00Z` }), related: [] }));
      const deps = {
        config: { adminIds: [42], timezone: c.timezone },
        news: { latest: async (n: number) => latest.slice(0, n), sources: () => [] },
        clock: () => NOW,
        stores: {
          broadcasts: {
            create: async () => undefined,
            setPreviewMessage: async () => undefined,
            transition: async () => null,
            get: async () => null,
          },
          subscribers: {
            count: async () => 21,
            all: async () => Array.from({ length: 21 }, (_, i) => ({ key: String(i + 1), chatId: i + 1, kind: "private", since: 0 })),
          },
        } as never,
        broadcasts: { start: async () => undefined, cancel: async () => [{ id: "0123456789ab", sent: 1200, total: 1201 }] } as never,
        logger: { error: () => undefined } as never,
      };
      bot.use(latestCommand(deps), broadcastCommand(deps), cancelCommand(deps));
      const run = async (text: string) => {
        rec.calls.length = 0;
        await bot.handleUpdate(textUpdate({ id: 42 }, text));
        return rec.sent();
      };

      const [usage] = await run("/latest many");
      expect(usage!.text).toBe(t("latest-usage", { max: 10, default: LATEST_DEFAULT }));
      noEnglish(plain(usage!.text).replace(/\/latest all/g, ""));
      const list = await run("/latest 3");
      const visible = seen(list[0] as never);
      expect(visible).toContain(c.words.latest);
      expect(visible).toContain(`25 ${c.nov}`);
      noEnglish(visible);

      const [bcUsage] = await run("/broadcast");
      expect(bcUsage!.text).toBe(t("bc-usage"));
      noEnglish(seen(bcUsage as never));
      const [tooLong] = await run(`/broadcast ${"ы".repeat(BROADCAST_MAX + 1)}`);
      expect(tooLong!.text).toBe(t("bc-too-long", { length: BROADCAST_MAX + 1, max: BROADCAST_MAX }));
      noEnglish(plain(tooLong!.text));

      const [preview] = await run(`/broadcast ${c.title(1)}`);
      expect(preview!.text).toBe(composeBroadcastPreview(c.title(1), 21, t));
      noEnglish(seen(preview as never));
      const buttons = preview!.reply_markup.inline_keyboard.flat() as { text: string; callback_data: string }[];
      expect(buttons.map((x) => x.text)).toEqual([t("bc-button-send"), t("bc-button-cancel")]);
      for (const x of buttons) {
        noEnglish(x.text);
        expect(x.callback_data).toMatch(/^bc:(send|cancel):[0-9a-f]{12}$/);
      }

      const [stopped] = await run("/cancel");
      expect(stopped!.text).toBe(t("bc-cancel-stopped", { sent: 1200, total: 1201 }));
      noEnglish(plain(stopped!.text));

      rec.calls.length = 0;
      await bot.handleUpdate(callbackUpdate({ id: 42 }, "bc:send:0123456789ab", { chatId: 42, messageId: 5 }));
      const answer = rec.calls.find((x) => x.method === "answerCallbackQuery")!;
      expect(answer.payload.text).toBe(t("bc-expired"));

      // Texts that have to stay short on buttons and in button answers.
      for (const key of ["bc-button-send", "bc-button-cancel"]) expect(t(key).length).toBeLessThanOrEqual(24);
      for (const key of ["bc-expired", "bc-was-cancelled", "bc-on-its-way", "bc-cancelled-answer", "bc-sending-answer"]) {
        expect(t(key).length).toBeLessThanOrEqual(200);
        noEnglish(t(key));
      }
      noEnglish(t("bc-cancelled-preview"));
      noEnglish(t("bc-cancel-nothing"));
    });
  });
}

/**
 * One /latest answer and one digest in each language: newest first as the
 * heading says, times running down, the other outlets' reports (marked with
 * their language when it is not the story's) apart from related stories,
 * and no event twice.
 */
for (const locale of ["en", "ru", "az"] as const) {
  describe(`${locale}: /latest and a digest as the reader sees them`, () => {
    const t: Translate = translator.forLocale(locale);
    const fmt: FormatOptions = { timezone: "UTC", now: NOW, locale: INTL_LOCALE[locale], t };
    const at = (mm: number) => new Date(Date.UTC(2026, 10, 28, 14, mm)).toISOString();
    let seq = 0;
    const item = (over: Partial<Item> & { lang?: string }): Item => ({
      key: `x:${++seq}`,
      sourceId: "wire",
      sourceName: "World Wire",
      title: `Story ${seq}`,
      link: `https://wire.test/${seq}`,
      summary: "",
      published: at(0),
      seenAt: NOW,
      ...over,
    });
    const quake = item({ title: "Earthquake of magnitude 6.1 strikes near Baku", published: at(1), lang: "en" });
    const own = item({ title: "Baku quake: death toll rises to 3", published: at(30), lang: "en" });
    const apa = item({
      sourceId: "apa",
      sourceName: "APA",
      title: "Bakıda 6,1 bal gücündə zəlzələ",
      link: "https://apa.test/1",
      lang: "az",
    });
    const tass = item({ sourceId: "tass", sourceName: "TASS", title: "Землетрясение в Баку", link: "https://tass.test/1", lang: "ru" });
    const after = item({
      sourceId: "ap",
      sourceName: "AP",
      title: "Aftershocks expected for a week",
      link: "https://ap.test/a",
      lang: "en",
    });
    const budget = item({ title: "Parliament passes the 2027 budget", published: at(2), lang: "en" });
    const entries: StoryEntry[] = [
      { item: quake, also: [own, apa, tass], related: [after, { ...apa, key: "apa-copy" }, budget] },
      { item: budget, related: [after] },
    ];
    const alsoLine = t("digest-also", { outlets: "APA (az), TASS (ru)" });
    const relatedLine = t("digest-related", { stories: "Aftershocks expected for a week — AP" });

    it("/latest", () => {
      const [msg, ...rest] = composeLatest(entries, fmt);
      expect(rest).toEqual([]);
      const visible = seen(msg!);
      expect(visible).toBe(
        [
          t("latest-header", { count: 2 }),
          "",
          `1. ${budget.title}`,
          "World Wire · 14:02 UTC",
          relatedLine,
          "",
          `2. ${quake.title}`,
          "World Wire · 14:01 UTC",
          alsoLine,
        ].join("\n"),
      );
      if (locale !== "en")
        expect(englishWordsIn(visible.replace(/^\d\. .*$|^.*World Wire.*$|Aftershocks expected for a week/gm, ""))).toEqual([]);
    });

    it("a digest", () => {
      const msg = composeTimelineDigest([...entries].reverse(), 0, fmt)!;
      const blocks = seen(msg).split("\n\n");
      expect(blocks).toEqual([
        t("digest-header", { count: 2 }),
        [budget.title, "World Wire · 14:02 UTC", relatedLine].join("\n"),
        [quake.title, "World Wire · 14:01 UTC", alsoLine].join("\n"),
      ]);
      expect(blocks[0]).not.toBe(t("digest-header", { count: 1 }));
    });
  });
}

describe("the texts of this area", () => {
  it("exist in every language, and every key is used by the code", () => {
    const code = [
      "src/news/compose.ts",
      "src/delivery/broadcast-progress.ts",
      "commands/latest.ts",
      "commands/broadcast.ts",
      "commands/cancel.ts",
    ]
      .map((f) => readFileSync(join(localesDir(), "..", f), "utf8"))
      .join("\n");
    for (const file of AREA_FILES) {
      const en = keysOf("en", file);
      expect(en.length).toBeGreaterThan(0);
      expect(keysOf("ru", file).sort()).toEqual([...en].sort());
      expect(keysOf("az", file).sort()).toEqual([...en].sort());
      for (const key of en) {
        expect(key).toMatch(/^(card|digest|latest|sources-list|bc)-/);
        expect(code.includes(`"${key}"`), `${key} is not used as a literal`).toBe(true);
      }
    }
  });

  it("the English words the checks look for are there", () => {
    for (const w of ["read", "related", "stories", "latest", "broadcast", "subscribers", "more"]) expect(ENGLISH_WORDS).toContain(w);
    expect(missing).toEqual([]);
  });
});
