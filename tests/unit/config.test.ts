import { describe, expect, it } from "vitest";
import { parseConfig, parseSources } from "../../src/config.js";
import { prettyLogs } from "../../src/log.js";

const TOKEN = "123456:ABCdefGhIJKlmnoPQRstuVWXyz_0123456";

describe("config", () => {
  it("fills defaults from a token alone", () => {
    const r = parseConfig({ BOT_TOKEN: TOKEN });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config).toMatchObject({
      telegramApiRoot: "https://api.telegram.org",
      redisUrl: undefined,
      redisPrefix: "newsbot:",
      adminIds: [],
      sourcesFile: "./sources.json",
      pollCron: "*/5 * * * *",
      fetchTimeoutMs: 20_000,
      fetchMaxBytes: 10 * 1024 * 1024,
    });
  });

  it("parses admins, a seconds-field cron and a custom API root", () => {
    const r = parseConfig({
      BOT_TOKEN: TOKEN,
      ADMIN_IDS: " 42, 1001 ",
      POLL_CRON: "*/30 * * * * *",
      TELEGRAM_API_ROOT: "http://127.0.0.1:8081/",
      REDIS_URL: "redis://cache:6380/2",
    });
    expect(r.ok && r.config).toMatchObject({
      adminIds: [42, 1001],
      pollCron: "*/30 * * * * *",
      telegramApiRoot: "http://127.0.0.1:8081",
      redisUrl: "redis://cache:6380/2",
    });
  });

  it("says where to get a token when BOT_TOKEN is missing", () => {
    const r = parseConfig({});
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([expect.stringMatching(/^BOT_TOKEN: missing: get a token from @BotFather/)]);
  });

  it("gives one line per problem", () => {
    const r = parseConfig({ BOT_TOKEN: "nope", ADMIN_IDS: "12,abc", POLL_CRON: "every minute", REDIS_URL: "localhost:6379" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(4);
    expect(r.errors.join("\n")).toMatch(/BOT_TOKEN: does not look like a bot token/);
    expect(r.errors.join("\n")).toMatch(/ADMIN_IDS: "abc" is not a numeric Telegram user id/);
    expect(r.errors.join("\n")).toMatch(/POLL_CRON: not a valid cron expression/);
    expect(r.errors.join("\n")).toMatch(/REDIS_URL: must start with redis:\/\//);
    for (const e of r.errors) expect(e).not.toContain("\n");
  });
});

describe("sources file", () => {
  it("accepts the documented shape", () => {
    const r = parseSources(
      JSON.stringify({ sources: [{ id: "bbc-world", name: "BBC World", url: "https://feeds.bbci.co.uk/news/world/rss.xml", lang: "en" }] }),
      "sources.json",
    );
    expect(r.ok && r.sources[0]).toMatchObject({ id: "bbc-world", enabled: true, lang: "en" });
  });

  it("names the file, the entry and the field", () => {
    const r = parseSources(
      JSON.stringify({
        sources: [
          { id: "a", name: "A", url: "https://a.example/feed" },
          { id: "a", name: "A again", url: "https://a.example/other" },
          { id: "Bad Id", name: "", url: "ftp://x" },
        ],
      }),
      "sources.json",
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toContain("SOURCES_FILE sources.json: sources[2].url: Invalid URL (http or https only)");
    expect(r.errors).toContain("SOURCES_FILE sources.json: sources[2].id: must be a lowercase slug like bbc-world");
    expect(r.errors).toContain("SOURCES_FILE sources.json: sources[2].name: must not be empty");
    expect(r.errors).toContain('SOURCES_FILE sources.json: sources[1].id: duplicate id "a" (also sources[0])');
  });

  it("refuses broken JSON in one line", () => {
    const r = parseSources("{ sources: [", "s.json");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([expect.stringMatching(/^SOURCES_FILE s\.json: not valid JSON/)]);
  });

  it("ships a valid default sources.json", async () => {
    const { loadSources } = await import("../../src/config.js");
    const r = await loadSources("sources.json");
    expect(r.ok).toBe(true);
  });
});

describe("switches, start-up wait and log format", () => {
  it("reads booleans the way people write them, and refuses anything else in one line", () => {
    for (const [v, want] of [
      ["true", true],
      ["YES", true],
      ["on", true],
      ["1", true],
      ["false", false],
      ["off", false],
      ["0", false],
    ] as const) {
      const r = parseConfig({ BOT_TOKEN: TOKEN, PAID_BROADCAST: v });
      expect(r.ok && r.config.paidBroadcast).toBe(want);
    }
    const bad = parseConfig({ BOT_TOKEN: TOKEN, POLL_ON_START: "maybe" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors).toEqual(["POLL_ON_START: must be true or false"]);
  });

  it("waits 30 s for Redis at start unless told otherwise; logs are auto, pretty or json", () => {
    const r = parseConfig({ BOT_TOKEN: TOKEN });
    expect(r.ok && r.config.redisConnectTimeoutMs).toBe(30_000);
    expect(r.ok && r.config.logFormat).toBe("auto");
    const bad = parseConfig({ BOT_TOKEN: TOKEN, LOG_FORMAT: "xml" });
    expect(bad.ok).toBe(false);
    expect(prettyLogs("auto", true)).toBe(true);
    expect(prettyLogs("auto", undefined)).toBe(false);
    expect(prettyLogs("json", true)).toBe(false);
    expect(prettyLogs("pretty", false)).toBe(true);
  });

  it("HTTP_PORT: unset or empty starts no server; a port number starts one; anything else is one clear line", () => {
    const base = { BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ" };
    const unset = parseConfig(base);
    expect(unset.ok && unset.config.httpPort).toBeUndefined();
    const empty = parseConfig({ ...base, HTTP_PORT: " " });
    expect(empty.ok && empty.config.httpPort).toBeUndefined();
    const set = parseConfig({ ...base, HTTP_PORT: "9090" });
    expect(set.ok && [set.config.httpPort, set.config.httpHost]).toEqual([9090, "0.0.0.0"]);
    for (const bad of ["abc", "0", "70000", "80.5"]) {
      const r = parseConfig({ ...base, HTTP_PORT: bad });
      expect(r.ok ? [] : r.errors).toEqual(["HTTP_PORT: must be a port number from 1 to 65535"]);
    }
  });

  it("BOT_MODE=webhook needs WEBHOOK_URL, WEBHOOK_SECRET and HTTP_PORT, one line each when missing", () => {
    const base = { BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ" };
    const polling = parseConfig(base);
    expect(polling.ok && [polling.config.botMode, polling.config.webhook]).toEqual(["polling", undefined]);
    const bare = parseConfig({ ...base, BOT_MODE: "webhook" });
    expect(bare.ok ? [] : bare.errors.map((e) => e.split(":")[0])).toEqual(["WEBHOOK_URL", "WEBHOOK_SECRET", "HTTP_PORT"]);
    const bad = parseConfig({
      ...base,
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://bot.example/hook",
      WEBHOOK_SECRET: "no spaces!",
      HTTP_PORT: "8443",
    });
    expect(bad.ok ? [] : bad.errors).toEqual(["WEBHOOK_SECRET: must be 1–256 characters of A-Z, a-z, 0-9, _ and -"]);
    const good = parseConfig({
      ...base,
      BOT_MODE: "webhook",
      WEBHOOK_URL: "https://bot.example/hook",
      WEBHOOK_SECRET: "abc_DEF-123",
      HTTP_PORT: "8443",
    });
    expect(good.ok && good.config.webhook).toEqual({ url: "https://bot.example/hook", secret: "abc_DEF-123" });
    expect(parseConfig({ ...base, BOT_MODE: "hooks" }).ok).toBe(false);
  });

  it("PUBLIC_URL: an https address without query, served on HTTP_PORT; anything else is one clear line", () => {
    const base = { BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ" };
    const none = parseConfig(base);
    expect(none.ok && none.config.publicUrl).toBeUndefined();
    const good = parseConfig({ ...base, PUBLIC_URL: "https://news.example.org/bot/", HTTP_PORT: "9090" });
    expect(good.ok && good.config.publicUrl).toBe("https://news.example.org/bot");
    const noPort = parseConfig({ ...base, PUBLIC_URL: "https://news.example.org" });
    expect(noPort.ok ? [] : noPort.errors).toEqual([
      "HTTP_PORT: required when PUBLIC_URL is set (the settings Mini App is served by the HTTP server)",
    ]);
    for (const bad of ["http://news.example.org", "news.example.org", "https://news.example.org/?a=1"]) {
      const r = parseConfig({ ...base, PUBLIC_URL: bad, HTTP_PORT: "9090" });
      expect(r.ok ? [] : r.errors.map((e) => e.split(":")[0]), bad).toEqual(["PUBLIC_URL"]);
      expect(r.ok ? 0 : r.errors.length).toBe(1);
    }
  });
});
