import { HttpError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { describe, expect, it } from "vitest";
import { StartupError } from "../../src/infra/startup-error.js";
import { createLogger } from "../../src/log.js";
import { trackApiHealth } from "../../src/telegram/api-health.js";
import { type ProbeResult, probeBotApi } from "../../src/telegram/api-probe.js";
import { waitForBotApi } from "../../src/telegram/wait-for-bot-api.js";

function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({ level: "debug", destination: { write: (l: string) => void lines.push(JSON.parse(l)) } });
  return { logger, lines, msgs: () => lines.map((l) => String(l.msg)) };
}

const ME = { id: 1, is_bot: true, first_name: "News", username: "news_bot" } as UserFromGetMe;
const answer =
  (status: number, body: string, type = "application/json") =>
  async () =>
    new Response(body, { status, headers: { "content-type": type } });

describe("probing the Bot API", () => {
  it("sorts answers into ok, refused token, not a Bot API, unreachable", async () => {
    expect((await probeBotApi("http://x", "t", { fetch: answer(200, JSON.stringify({ ok: true, result: ME })) })).kind).toBe("ok");
    expect(
      await probeBotApi("http://x", "t", {
        fetch: answer(401, JSON.stringify({ ok: false, error_code: 401, description: "Unauthorized" })),
      }),
    ).toEqual({
      kind: "rejected",
      detail: "401 Unauthorized",
    });
    expect((await probeBotApi("http://x", "t", { fetch: answer(200, "<html>nginx</html>", "text/html") })).kind).toBe("not-bot-api");
    expect((await probeBotApi("http://x", "t", { fetch: answer(200, JSON.stringify({ hello: "world" })) })).kind).toBe("not-bot-api");
    expect((await probeBotApi("http://x", "t", { fetch: answer(502, "<html>Bad gateway</html>", "text/html") })).kind).toBe("unreachable");
    const refused = await probeBotApi("http://x", "t", {
      fetch: async () => {
        throw Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
      },
    });
    expect(refused).toEqual({ kind: "unreachable", detail: "ECONNREFUSED" });
  });
});

describe("waiting for the Bot API at start", () => {
  it("says at once what it waits for, then at a calm interval, and once more when it answers", async () => {
    const { logger, lines } = recordingLogger();
    let t = 0;
    let calls = 0;
    const me = await waitForBotApi("http://api", "t", {
      logger,
      retryMs: 5000,
      remindEveryMs: 60_000,
      clock: () => t,
      sleep: async (ms) => void (t += ms),
      probe: async (): Promise<ProbeResult> => (++calls <= 30 ? { kind: "unreachable", detail: "ECONNREFUSED" } : { kind: "ok", me: ME }),
    });
    expect(me.username).toBe("news_bot");
    const waiting = lines.filter((l) => String(l.msg).startsWith("telegram: cannot reach the Bot API"));
    // 30 failures 5 s apart = 150 s: the first at 0 s, reminders at 60 and 120 s.
    expect(waiting.map((l) => l.waitedS)).toEqual([0, 60, 120]);
    expect(lines.at(-1)?.msg).toBe("telegram: the Bot API answers");
  });

  it("a refused token and an address that is no Bot API end the start", async () => {
    const { logger } = recordingLogger();
    await expect(
      waitForBotApi("http://api", "t", { logger, probe: async () => ({ kind: "rejected", detail: "401 Unauthorized" }) }),
    ).rejects.toThrow(StartupError);
    await expect(
      waitForBotApi("http://api", "t", { logger, probe: async () => ({ kind: "not-bot-api", detail: "HTTP 200" }) }),
    ).rejects.toThrow(/TELEGRAM_API_ROOT http:\/\/api answers, but not as a Bot API/);
  });
});

describe("watching the Bot API while running", () => {
  it("one line when Telegram becomes unreachable, one when it is back", async () => {
    const { logger, msgs } = recordingLogger();
    let t = 0;
    const health = trackApiHealth({ logger, apiRoot: "http://api", clock: () => t, remindEveryMs: 300_000 });
    let down = true;
    const prev = async () => {
      if (down) throw new HttpError("Network request for 'getUpdates' failed!", new Error("ECONNREFUSED"));
      return { ok: true as const, result: [] };
    };
    for (let i = 0; i < 20; i++) {
      t += 2000;
      await health.transformer(prev as never, "getUpdates", {} as never).catch(() => undefined);
    }
    expect(health.reachable()).toBe(false);
    down = false;
    t += 2000;
    await health.transformer(prev as never, "getUpdates", {} as never);
    expect(health.reachable()).toBe(true);
    expect(health.lastOkAt()).toBe(t);
    expect(msgs()).toEqual([
      "telegram: the Bot API is unreachable; updates and replies wait until it is back",
      "telegram: the Bot API is reachable again",
    ]);
  });

  it("an answer from Telegram refusing one request is not an outage", async () => {
    const { logger, msgs } = recordingLogger();
    const health = trackApiHealth({ logger, apiRoot: "http://api" });
    const prev = async () => ({ ok: false as const, error_code: 403, description: "Forbidden: bot was blocked by the user" });
    await health.transformer(prev as never, "sendMessage", {} as never);
    expect(health.reachable()).toBe(true);
    expect(msgs()).toEqual([]);
  });
});
