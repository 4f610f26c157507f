import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { composeAddSourceReply } from "../../commands/addsource.js";
import { composeOpmlImport } from "../../commands/opml.js";
import { composeStats } from "../../commands/stats.js";
import type { DeliveryStats } from "../../src/delivery/index.js";
import {
  BLOCKED_ADDRESS_KEYS,
  EMBEDDED_ADDRESS_KEYS,
  FEED_ERROR_KEYS,
  type FeedErrorParams,
  feedErrorText,
  storedErrorText,
} from "../../src/feeds/errors.js";
import { INTL_LOCALE, type Locale } from "../../src/i18n/locales.js";
import { createTranslator, english, type Translate } from "../../src/i18n/translator.js";
import { escapeHtml, TELEGRAM_TEXT_LIMIT, visibleText } from "../../src/news/html.js";
import type { Item } from "../../src/news/item.js";
import { composeSourceDisabled } from "../../src/poll/poller.js";
import type { SourcePreview } from "../../src/sources/inspect.js";
import { composeSourcePreview, composeSourcesHealth } from "../../src/sources/messages.js";
import type { RegisteredSource } from "../../src/sources/registry.js";
import { healthFromHash, type SourceHealth } from "../../src/store/source-health.js";
import { checkTelegramHtml } from "../support/telegram-html.js";

/**
 * The texts of source management, feed errors and the admin messages in
 * Russian and Azerbaijani: no English word of en/sources.ftl or en/admin.ftl
 * reaches a ru or az reader, every message is HTML Telegram accepts and fits
 * in one message, and no key or argument is missing in any language.
 */

const LOCALES_DIR = join(import.meta.dirname, "../../locales");
const missing: string[] = [];
const translator = createTranslator({ directory: LOCALES_DIR, onMissing: (locale, key) => missing.push(`${locale}:${key}`) });
const OTHERS: Locale[] = ["ru", "az"];

/**
 * Words English texts are made of, from the English files: what is left of
 * each message once placeables, tags, entities, commands and names that are
 * the same in every language are taken out.
 */
const SAME_IN_EVERY_LANGUAGE = new Set([
  "http",
  "https",
  "opml",
  "xml",
  "json",
  "html",
  "tls",
  "nat",
  "ipv",
  "dns",
  "telegram",
  "bot",
  "server",
  "content",
  "encoding",
  "location",
  "xmlurl",
  "outline",
  // the option's name, typed as it is
  "fulltext",
]);

function englishWords(): Set<string> {
  const words = new Set<string>();
  for (const file of ["sources.ftl", "admin.ftl"]) {
    const text = readFileSync(join(LOCALES_DIR, "en", file), "utf8");
    for (const raw of text.split("\n")) {
      if (/^\s*#/.test(raw)) continue;
      // A message's first line (after "key =") or a continuation line; variant keys ([one]) go with the placeables.
      let line = raw.replace(/^[a-z][a-z0-9-]*\s*=/, "").replace(/^\s*\*?\[[a-z]+\]/, "");
      for (let i = 0; i < 3; i++) line = line.replace(/\{[^{}]*\}/g, " ");
      line = line
        .replace(/<[^>]*>/g, " ")
        .replace(/&\w+;/g, " ")
        .replace(/\/\w+(?: import)?/g, " ")
        .replace(/JSON Feed/g, " ");
      for (const w of line.match(/[A-Za-z]{3,}/g) ?? []) {
        const lower = w.toLowerCase();
        if (!SAME_IN_EVERY_LANGUAGE.has(lower)) words.add(lower);
      }
    }
  }
  return words;
}

const ENGLISH = englishWords();

/** The English words in a text a ru or az reader gets (its visible text, command names and URLs aside). */
function englishIn(text: string): string[] {
  const visible = visibleText(text)
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/\/\w+(?: import)?/g, " ")
    .replace(/JSON Feed/g, " ")
    // The /addsource option as it is typed: fulltext=auto|always|never.
    .replace(/\bfulltext=[a-z|]+/g, " ")
    // An environment variable's name: SOURCES_FILE.
    .replace(/\b[A-Z]+(?:_[A-Z]+)+\b/g, " ");
  return [...new Set((visible.match(/[A-Za-z]{3,}/g) ?? []).map((w) => w.toLowerCase()).filter((w) => ENGLISH.has(w)))];
}

/** A message as Telegram HTML: accepted, at most 4096 characters, no Fluent placeholder left. */
function expectSendable(html: string, what: string) {
  const check = checkTelegramHtml(html);
  expect(check, what).toMatchObject({ ok: true });
  if (check.ok) expect(check.visibleLength, what).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
  expect(html, what).not.toMatch(/\{\s*\$|\{[a-z-]+\}/);
}

function expectLocal(html: string, locale: Locale, what: string) {
  expectSendable(html, `${locale} ${what}`);
  expect(englishIn(html), `${locale} ${what}: ${visibleText(html)}`).toEqual([]);
}

const now = Date.parse("2026-11-28T12:00:00Z");
const fmt = (locale: Locale) => ({ timezone: "Asia/Baku", now, locale: INTL_LOCALE[locale] });

/** Values for every parameter an error text may take, none of them English words. */
const SAMPLE: FeedErrorParams = {
  status: "503",
  seconds: 1.5,
  limitBytes: 10 * 1024 * 1024,
  url: "https://xeber.example/rss",
  host: "xeber.example",
  code: "ERR_TLS_42",
  coding: "br",
  error: "ECONNRESET",
  type: "image/png",
  root: "svg",
  paths: "/feed, /rss, /rss.xml",
  issue: "zod: 42",
  line: "5",
  column: "8",
  address: "127.0.0.1",
  what: "loopback",
  max: 5,
};

/** Every (kind, detail) the renderer knows, and every address class and embedded form. */
function everyError(): Array<{ kind: string; params: FeedErrorParams; label: string }> {
  const out: Array<{ kind: string; params: FeedErrorParams; label: string }> = [];
  for (const [kind, details] of Object.entries(FEED_ERROR_KEYS)) {
    for (const detail of Object.keys(details)) {
      out.push({ kind, params: detail === "_" ? SAMPLE : { ...SAMPLE, detail }, label: `${kind}/${detail}` });
    }
  }
  for (const what of Object.keys(BLOCKED_ADDRESS_KEYS)) {
    out.push({ kind: "refused", params: { detail: "address", address: "10.1.2.3", what, range: "10.0.0.0/8" }, label: `address ${what}` });
    out.push({
      kind: "refused",
      params: { detail: "resolves", host: "xeber.example", address: "10.1.2.3", what, range: "10.0.0.0/8" },
      label: `resolves ${what}`,
    });
  }
  for (const form of Object.keys(EMBEDDED_ADDRESS_KEYS)) {
    out.push({
      kind: "refused",
      params: { detail: "address", address: "::ffff:7f00:1", what: "loopback", form, v4: "127.0.0.1" },
      label: `embedded ${form}`,
    });
  }
  out.push({ kind: "refused", params: { detail: "address", address: "8.8.8.8", why: "xyz" }, label: "a policy's own words" });
  out.push({ kind: "zzz", params: {}, label: "an unknown kind" });
  return out;
}

const src = (id: string, name: string, extra: Partial<RegisteredSource> = {}): RegisteredSource => ({
  id,
  name,
  url: `https://${id}.example/rss`,
  enabled: true,
  origin: "file",
  ...extra,
});
const health = (id: string, h: Record<string, string | number>): SourceHealth =>
  healthFromHash(id, Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)])), now);

/** One source in each state /sources shows. */
function healthView(t: Translate, locale: Locale): string[] {
  const day = Math.floor(now / 86400_000);
  const sources = [
    src("apa", "APA", { origin: "chat" }),
    src("trend", "Trend"),
    src("oxu", "Oxu.az"),
    src("report", "Report.az"),
    src("pause", "Pause", { enabled: false }),
    src("yeni", "Yeni"),
    src("qafqaz", "Qafqaz"),
  ];
  const h = new Map<string, SourceHealth>([
    [
      "apa",
      health("apa", {
        since: now - 3 * 86400_000,
        lastAttemptAt: now - 120_000,
        lastSuccessAt: now - 120_000,
        lastNewItemAt: now - 3 * 3600_000,
        [`d:${day}`]: 30,
      }),
    ],
    [
      "trend",
      health("trend", {
        since: now - 86400_000,
        lastAttemptAt: now - 60_000,
        lastSuccessAt: now - 2 * 86400_000,
        failures: 3,
        lastErrorAt: now - 60_000,
        lastErrorKind: "network",
        lastErrorParams: JSON.stringify({ detail: "dns", host: "trend.example" }),
      }),
    ],
    [
      "oxu",
      health("oxu", {
        since: now,
        lastAttemptAt: now,
        failures: 20,
        disabledAt: now - 7200_000,
        disabled: JSON.stringify({ kind: "failures", failures: 20, lastError: { kind: "timeout", params: { seconds: 20 } } }),
      }),
    ],
    [
      "report",
      health("report", {
        since: now,
        lastAttemptAt: now,
        failures: 1,
        lastErrorAt: now,
        lastErrorKind: "http",
        lastErrorParams: '{"status":"500"}',
      }),
    ],
  ]);
  return composeSourcesHealth(t, sources, h, fmt(locale));
}

const item = (n: number, published: string | null): Item => ({
  key: `k${n}`,
  sourceId: "apa",
  sourceName: "APA",
  title: `Xəbər ${n} — «Bakı» & <b>`,
  link: `https://apa.example/${n}`,
  summary: "",
  published,
  seenAt: now,
});

function preview(via: SourcePreview["via"], samples: Item[], itemCount: number): SourcePreview {
  return { source: { id: "apa", name: "APA — Xəbər", url: "https://apa.example/rss?a=1&b=2", enabled: true }, samples, itemCount, via };
}

const DELIVERY: DeliveryStats = {
  queue: { waiting: 8000, delayed: 2, active: 16, failed: 4 },
  chats: { waiting: 2500, scheduled: 400, active: 16 },
  today: { sent: 12_345, merged: 40, failed: 1, blocked: 7 },
  deadLetters: {
    total: 3,
    latest: [
      { at: now - 3600_000, chatId: 55, what: "news apa:1", reason: "502" },
      { at: now - 2 * 86400_000, chatId: -1001234, what: "digest of 5 for chat -1001234", reason: "403" },
      { at: now - 60_000, chatId: 77, what: "broadcast 0123456789ab", reason: "400" },
    ],
  },
  broadcasts: [{ id: "0123456789ab", sent: 1200, failed: 3, blocked: 12, skipped: 0, total: 10_000 }],
};

describe.each(OTHERS)("source texts in %s", (locale) => {
  const t = translator.forLocale(locale);

  it("the admin view of /sources", () => {
    const messages = healthView(t, locale);
    expect(messages).toHaveLength(1);
    for (const m of messages) expectLocal(m, locale, "/sources");
    const text = visibleText(messages[0]!);
    // The date of a success two days ago is written in the locale.
    expect(text).toContain(locale === "ru" ? "нояб." : "noy");
    expectLocal(composeSourcesHealth(t, [], new Map(), fmt(locale))[0]!, locale, "/sources, no sources");
  });

  it("a long /sources list is split into messages Telegram accepts", () => {
    const sources = Array.from({ length: 150 }, (_, i) => src(`menbe-${i}`, `Mənbə <${i}> & «${"x".repeat(60)}»`));
    const h = new Map(
      sources.map((s) => [
        s.id,
        health(s.id, {
          since: now,
          lastAttemptAt: now,
          failures: 2,
          lastErrorAt: now,
          lastErrorKind: "parse",
          lastErrorParams: JSON.stringify({ detail: "xml", error: "x".repeat(400), line: "1", column: "2" }),
        }),
      ]),
    );
    const messages = composeSourcesHealth(t, sources, h, fmt(locale));
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expectLocal(m, locale, "/sources, long");
  });

  it("the /addsource preview and replies", () => {
    const samples = [item(1, "2026-11-28T11:00:00Z"), item(2, null), item(3, "2026-11-20T08:00:00Z")];
    for (const via of ["direct", "link", "common-path"] as const) {
      for (const [shown, count] of [
        [samples, 25],
        [samples.slice(0, 1), 1],
        [samples.slice(0, 2), 2],
        [[], 0],
      ] as const) {
        expectLocal(composeSourcePreview(t, preview(via, [...shown], count), fmt(locale)), locale, `preview ${via} ${count}`);
      }
    }
    const source = { ...src("apa", "APA"), name: "APA & Co" };
    const replies = [
      composeAddSourceReply(t, "xyz", { status: "invalid" }, fmt(locale)),
      composeAddSourceReply(t, "apa.example", { status: "known", source }, fmt(locale)),
      composeAddSourceReply(t, "apa.example", { status: "known", source, feedUrl: "https://apa.example/rss" }, fmt(locale)),
      // /addsource <a known source's url> fulltext=…
      ...(["auto", "always", "never"] as const).flatMap((mode) =>
        [{ status: "changed", was: mode === "auto" ? "never" : "auto" } as const, { status: "unchanged" } as const].map((fulltext) =>
          composeAddSourceReply(t, "apa.example", { status: "known", source: { ...source, fulltext: mode }, fulltext }, fmt(locale)),
        ),
      ),
      composeAddSourceReply(t, "apa.example", { status: "known", source, fulltext: { status: "file" } }, fmt(locale)),
      composeAddSourceReply(
        t,
        "apa.example",
        { status: "failed", url: "https://apa.example/", error: { kind: "http", params: { status: "404" } } },
        fmt(locale),
      ),
    ];
    for (const r of replies) {
      const html = (r.other as { parse_mode?: string }).parse_mode === "HTML" ? r.text : escapeHtml(r.text);
      expectLocal(html, locale, "/addsource reply");
    }
    const p = composeAddSourceReply(
      t,
      "apa.example",
      { status: "preview", preview: preview("link", samples, 3), token: "0123456789ab" },
      fmt(locale),
    );
    const buttons = (p.other as { reply_markup: { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> } }).reply_markup
      .inline_keyboard[0]!;
    for (const b of buttons) {
      expect(englishIn(b.text)).toEqual([]);
      expect(b.text.length).toBeLessThanOrEqual(20);
      expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    }
  });

  it("every feed error kind", () => {
    for (const e of everyError()) {
      const text = feedErrorText(t, e.kind, e.params);
      expect(text.length, e.label).toBeGreaterThan(0);
      expect(text, e.label).not.toBe(feedErrorText(english(), e.kind, e.params));
      expectLocal(escapeHtml(text), locale, `error ${e.label}`);
    }
    // A record from before errors had params keeps its English line: it cannot be translated, so it is shown as stored.
    expect(storedErrorText(t, { kind: "http", params: {}, message: "HTTP 503" })).toBe("HTTP 503");
  });

  it("the OPML import report", () => {
    const added = [src("apa", "APA"), src("oxu", "Oxu")];
    const reports = [
      composeOpmlImport(t, "menbeler.opml", { status: "too-big", maxBytes: 1024 * 1024 }),
      composeOpmlImport(t, undefined, { status: "download-failed", error: { kind: "http", params: { status: "404" } } }),
      composeOpmlImport(t, "a.opml", { status: "unreadable", problem: "not-opml" }),
      composeOpmlImport(t, "a.opml", { status: "unreadable", problem: "entities" }),
      composeOpmlImport(t, "a.opml", { status: "empty" }),
      composeOpmlImport(t, "a.opml", {
        status: "imported",
        added,
        duplicates: 3,
        full: 1,
        truncated: 7,
        read: 500,
        skipped: [
          { label: "Gopher", problem: "invalid", field: "url", message: "Invalid URL (http or https only)" },
          { label: "Xyz", problem: "invalid", field: "lang", message: "must be a language tag" },
          {
            label: "Meta",
            problem: "refused",
            error: { kind: "refused", params: { detail: "address", address: "169.254.169.254", what: "metadata" } },
          },
          ...Array.from({ length: 20 }, (_, i) => ({ label: `Q${i}`, problem: "invalid" as const, field: "id", message: "bad" })),
        ],
      }),
    ];
    for (const r of reports) expectLocal(escapeHtml(r), locale, "OPML report");
    expectLocal(escapeHtml(t("src-opml-caption", { count: 3 })), locale, "OPML caption");
  });

  it("/stats", () => {
    const text = composeStats({ subscribers: 10_000, sources: 8, delivery: DELIVERY }, { ...fmt(locale), t });
    expectLocal(escapeHtml(text), locale, "/stats");
    // Numbers are grouped the way the locale groups them.
    expect(text).toContain(locale === "ru" ? "10\u00a0000" : "10.000");
  });

  it("the alert when a source is disabled", () => {
    const source = { id: "apa", name: "APA <b> & Co", url: "https://apa.example/rss?a=1&b=2" };
    for (const failures of [1, 2, 5, 21, 1000]) {
      for (const e of everyError().slice(0, 12)) {
        expectLocal(
          composeSourceDisabled(t, source, failures, { kind: e.kind as "http", params: e.params }),
          locale,
          `alert ${failures} ${e.label}`,
        );
      }
    }
  });

  it("Russian plurals take their three forms", () => {
    if (locale !== "ru") return;
    expect(t("src-health-failures", { count: 1 })).toBe("1 ошибка подряд");
    expect(t("src-health-failures", { count: 3 })).toBe("3 ошибки подряд");
    expect(t("src-health-failures", { count: 5 })).toBe("5 ошибок подряд");
    expect(t("src-opml-caption", { count: 21 })).toMatch(/^21 источник в формате/);
  });
});

describe("every language", () => {
  it("has every key the English texts have, and renders them all without a missing argument", () => {
    for (const e of everyError()) {
      for (const l of ["en", ...OTHERS] as Locale[]) {
        expect(feedErrorText(translator.forLocale(l), e.kind, e.params), `${l} ${e.label}`).not.toMatch(/\{\s*\$|\{[a-z-]+\}/);
      }
    }
    for (const l of ["en", ...OTHERS] as Locale[]) {
      const t = translator.forLocale(l);
      for (const m of healthView(t, l)) expectSendable(m, `${l} /sources`);
      expectSendable(escapeHtml(composeStats({ subscribers: 1, sources: 1, delivery: DELIVERY }, { ...fmt(l), t })), `${l} /stats`);
    }
    expect(missing).toEqual([]);
  });
});
