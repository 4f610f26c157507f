import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { RawApi, Transformer } from "grammy";
import { describe, expect, it } from "vitest";
import { createBareBot, retryExceptPolling } from "../../src/bot/create-bot.js";
import { botInfo, errors } from "../support/api-recorder.js";

type Prev = Parameters<Transformer<RawApi>>[0];

/** A Bot API that answers 429 (retry after 0 s) `failures` times, then ok; counts calls per method. */
function flakyApi(failures: number) {
  const calls: string[] = [];
  let left = failures;
  const prev = (async (method: string) => {
    calls.push(method);
    if (left-- > 0) return errors.flood(0);
    return { ok: true, result: method === "getUpdates" ? [] : { message_id: 1, date: 0, chat: { id: 1, type: "private" }, text: "hi" } };
  }) as unknown as Prev;
  return { prev, calls };
}

describe("auto-retry on the bot's API", () => {
  it("does not retry getUpdates on a 429: the polling loop keeps its own pace", async () => {
    const { prev, calls } = flakyApi(1);
    const res = await retryExceptPolling()(prev, "getUpdates", { timeout: 0 } as never, undefined);
    expect(res.ok).toBe(false);
    expect(calls).toEqual(["getUpdates"]);
  });

  it("retries sendMessage on a 429, a bounded number of times", async () => {
    const { prev, calls } = flakyApi(2);
    const res = await retryExceptPolling()(prev, "sendMessage", { chat_id: 1, text: "hi" } as never, undefined);
    expect(res.ok).toBe(true);
    expect(calls).toEqual(["sendMessage", "sendMessage", "sendMessage"]);

    const always = flakyApi(100);
    const gaveUp = await retryExceptPolling()(always.prev, "sendMessage", { chat_id: 1, text: "hi" } as never, undefined);
    expect(gaveUp.ok).toBe(false);
    expect(always.calls).toHaveLength(4); // the call and 3 retries
  });

  it("a network error on a reply surfaces at once instead of being retried", async () => {
    const { HttpError } = await import("grammy");
    let n = 0;
    const prev = (async () => {
      n++;
      throw new HttpError("Network request for 'sendMessage' failed!", new Error("ECONNRESET"));
    }) as unknown as Prev;
    await expect(retryExceptPolling()(prev, "sendMessage", { chat_id: 1, text: "hi" } as never, undefined)).rejects.toBeInstanceOf(
      HttpError,
    );
    expect(n).toBe(1);
  });

  it("is what the bot's own API uses", async () => {
    // A Bot API that answers each method's first call with 429 (retry after 0 s).
    const seen: string[] = [];
    const server = createServer((req, res) => {
      const method = req.url!.split("/").at(-1)!;
      const first = !seen.includes(method);
      seen.push(method);
      res.setHeader("content-type", "application/json");
      const result = method === "getUpdates" ? [] : { message_id: 1, date: 0, chat: { id: 1, type: "private" }, text: "hi" };
      res.end(JSON.stringify(first ? errors.flood(0) : { ok: true, result }));
    });
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    try {
      const { port } = server.address() as AddressInfo;
      const bot = createBareBot({ token: "1:test-token-aaaaaaaaaaaaaaaaaaaa", apiRoot: `http://127.0.0.1:${port}`, botInfo });
      await bot.api.sendMessage(1, "hi");
      expect(seen).toEqual(["sendMessage", "sendMessage"]);
      await expect(bot.api.getUpdates({ timeout: 0 })).rejects.toThrow(/Too Many Requests/);
      expect(seen).toEqual(["sendMessage", "sendMessage", "getUpdates"]);
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });
});
