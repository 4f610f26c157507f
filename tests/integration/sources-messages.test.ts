import { describe, expect, it } from "vitest";
import { english } from "../../src/i18n/translator.js";
import { TELEGRAM_TEXT_LIMIT, visibleLength, visibleText } from "../../src/news/html.js";
import { composeSourceHealthLine, composeSourcePreview, composeSourcesHealth } from "../../src/sources/messages.js";
import type { RegisteredSource } from "../../src/sources/registry.js";
import { healthFromHash, type SourceHealth } from "../../src/store/source-health.js";
import { checkTelegramHtml } from "../support/telegram-html.js";

/** The texts of the source commands (pure), checked against Telegram's HTML rules. */

const t = english();
const now = Date.parse("2026-11-28T12:00:00Z");
const fmt = { timezone: "UTC", now };
const src = (id: string, extra: Partial<RegisteredSource> = {}): RegisteredSource => ({
  id,
  name: id.toUpperCase(),
  url: `https://${id}.example/rss`,
  enabled: true,
  origin: "file",
  ...extra,
});
const health = (id: string, h: Record<string, string | number>): SourceHealth =>
  healthFromHash(id, Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)])), now);

describe("admin /sources", () => {
  it("says for each source what an admin needs to act on", () => {
    const ok = composeSourceHealthLine(
      t,
      src("ok"),
      health("ok", {
        since: now - 3 * 86400_000,
        lastAttemptAt: now - 120_000,
        lastSuccessAt: now - 120_000,
        failures: 0,
        lastNewItemAt: now - 3 * 3600_000,
        [`d:${Math.floor(now / 86400_000)}`]: 30,
      }),
      fmt,
    );
    expect(visibleText(ok)).toBe("✅ OK ok\n    ok 2 min ago · 10/day · last new story 3 h ago");
    const failing = composeSourceHealthLine(
      t,
      src("bad", { origin: "chat" }),
      health("bad", {
        since: now - 86400_000,
        lastAttemptAt: now - 60_000,
        lastSuccessAt: now - 2 * 86400_000,
        failures: 3,
        lastErrorAt: now - 60_000,
        lastErrorKind: "timeout",
        lastErrorParams: JSON.stringify({ seconds: 20 }),
      }),
      fmt,
    );
    expect(visibleText(failing)).toBe(
      "⚠️ BAD bad · added in chat\n    3 failures in a row · last error: timed out after 20 s · last success 26 Nov, 12:00 UTC · 0/day",
    );
    const disabled = composeSourceHealthLine(
      t,
      src("off"),
      health("off", {
        since: now,
        lastAttemptAt: now,
        failures: 20,
        disabledAt: now - 7200_000,
        disabled: JSON.stringify({ kind: "failures", failures: 20, lastError: { kind: "http", params: { status: "503" } } }),
      }),
      fmt,
    );
    expect(visibleText(disabled)).toBe("⛔ OFF off\n    disabled 2 h ago: 20 failures in a row, last error: HTTP 503 — /enablesource off");
    expect(visibleText(composeSourceHealthLine(t, src("paused", { enabled: false }), undefined, fmt))).toBe(
      "⏸ PAUSED paused\n    switched off — /enablesource paused",
    );
    expect(visibleText(composeSourceHealthLine(t, src("new"), undefined, fmt))).toBe("🆕 NEW new\n    not polled yet");
  });

  it("shows a record written before errors had params as it was stored", () => {
    const old = composeSourceHealthLine(
      t,
      src("old"),
      health("old", {
        since: now - 86400_000,
        lastAttemptAt: now - 60_000,
        lastSuccessAt: now - 3600_000,
        failures: 1,
        lastErrorAt: now - 60_000,
        lastErrorKind: "http",
        lastError: "HTTP 503",
        lastErrorStatus: 503,
      }),
      fmt,
    );
    expect(visibleText(old)).toBe("⚠️ OLD old\n    1 failure in a row · last error: HTTP 503 · last success 1 h ago · 0/day");
    const disabled = composeSourceHealthLine(
      t,
      src("off"),
      health("off", { since: now, lastAttemptAt: now, failures: 20, disabledAt: now - 7200_000, disabledReason: "20 failures in a row" }),
      fmt,
    );
    expect(visibleText(disabled)).toBe("⛔ OFF off\n    disabled 2 h ago: 20 failures in a row — /enablesource off");
  });

  it("splits a long list into messages Telegram accepts, every source in one of them", () => {
    const sources = Array.from({ length: 120 }, (_, i) => src(`source-${i}`, { name: `Source <${i}> & "friends" ${"x".repeat(60)}` }));
    const h = new Map(
      sources.map((s) => [
        s.id,
        health(s.id, { since: now, lastAttemptAt: now, failures: 2, lastErrorAt: now, lastError: `HTTP 500 <html>${"e".repeat(200)}` }),
      ]),
    );
    const messages = composeSourcesHealth(t, sources, h, fmt);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) {
      expect(visibleLength(m)).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      expect(checkTelegramHtml(m)).toMatchObject({ ok: true });
    }
    const all = messages.map(visibleText).join("\n");
    for (const s of sources) expect(all).toContain(` ${s.id}\n`);
    expect(visibleText(messages[0]!)).toMatch(/^📡 Sources \(120: 120 on, 120 failing\)/);
    expect(visibleText(messages.at(-1)!)).toMatch(/\/addsource <url> · \/rmsource <id> · \/enablesource <id> · \/opml$/);
  });

  it("has a line for an empty list", () => {
    expect(composeSourcesHealth(t, [], new Map(), fmt)).toEqual([t("src-health-empty")]);
    expect(visibleText(t("src-health-empty"))).toBe("No news sources yet. Add one with /addsource <url>.");
  });
});

describe("/addsource preview", () => {
  it("escapes what the feed says and links only http(s) stories", () => {
    const text = composeSourcePreview(
      t,
      {
        source: { id: "evil", name: "<script>alert(1)</script> & Co", url: "https://evil.example/rss?a=1&b=<2>", enabled: true },
        samples: [
          {
            key: "k1",
            sourceId: "evil",
            sourceName: "x",
            title: 'A <b>bold</b> & "quoted" title',
            link: 'https://evil.example/a?x="1"',
            summary: "",
            published: "2026-11-28T11:00:00Z",
            seenAt: now,
          },
          {
            key: "k2",
            sourceId: "evil",
            sourceName: "x",
            title: "No date",
            link: "https://evil.example/b",
            summary: "",
            published: null,
            seenAt: now,
          },
        ],
        itemCount: 2,
        via: "common-path",
      },
      fmt,
    );
    expect(checkTelegramHtml(text)).toMatchObject({ ok: true });
    expect(visibleText(text)).toBe(
      [
        "📰 <script>alert(1)</script> & Co",
        "https://evil.example/rss?a=1&b=<2>",
        "found at a usual feed address of the site · 2 stories in the feed now · id evil",
        "",
        "Latest 2 stories:",
        '• A <b>bold</b> & "quoted" title — 11:00 UTC',
        "• No date",
        "",
        "Add it to the sources? (This preview expires in 15 minutes.)",
      ].join("\n"),
    );
  });
});
