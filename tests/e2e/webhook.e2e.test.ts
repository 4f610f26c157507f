import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotProcess } from "../support/bot-process.js";
import type { FakeTelegram } from "../support/fake-telegram.js";
import { type ServedBot, startServedBot, until } from "../support/http-process.js";
import { testRedis } from "../support/redis-client.js";

/**
 * Webhook mode, the real process: it sets the webhook once with its secret,
 * takes Telegram's posts on HTTP_PORT, answers a command once however often
 * the update is posted, and refuses a post without the secret.
 */
const SECRET = "s3cret_Webhook-token";
const { redis, url: redisUrl } = testRedis();
let served: ServedBot;
let tg: FakeTelegram;
let bot: BotProcess;
let hook: string;

beforeAll(async () => {
  served = await startServedBot({
    redisUrl,
    prefix: `wh${randomUUID().slice(0, 6)}:`,
    extra: (port) => {
      hook = `http://127.0.0.1:${port}/telegram/hook`;
      return { BOT_MODE: "webhook", WEBHOOK_URL: hook, WEBHOOK_SECRET: SECRET };
    },
  });
  ({ tg, bot } = served);
}, 60_000);

afterAll(async () => {
  await served?.close();
  await redis.quit();
});

let updateId = 5000;
function startUpdate(userId: number, language_code: string) {
  return {
    update_id: ++updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: "private", first_name: "Web" },
      from: { id: userId, is_bot: false, first_name: "Web", language_code },
      text: "/start",
      entities: [{ type: "bot_command", offset: 0, length: 6 }],
    },
  };
}
const post = (body: unknown, secret?: string) =>
  fetch(hook, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret === undefined ? {} : { "x-telegram-bot-api-secret-token": secret }) },
    body: JSON.stringify(body),
  });

describe("webhook mode", () => {
  it("sets the webhook once, with its secret and the update kinds it handles", () => {
    const calls = tg.webhookCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ url: hook, secret_token: SECRET });
    expect(JSON.stringify(calls[0]!.allowed_updates)).toContain("my_chat_member");
  });

  it("answers a posted /start once, in the sender's language, even when Telegram posts it again", async () => {
    const update = startUpdate(61, "ru");
    expect((await post(update, SECRET)).status).toBe(200);
    const welcome = await until(() => tg.messagesTo(61)[0], "the welcome");
    expect(welcome.visibleText).toContain("Добро пожаловать");
    expect((await post(update, SECRET)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(tg.messagesTo(61)).toHaveLength(1);
  });

  it("refuses a post with a wrong or missing secret (401) and does nothing with it", async () => {
    expect((await post(startUpdate(62, "en"), "wrong")).status).toBe(401);
    expect((await post(startUpdate(62, "en"))).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(tg.messagesTo(62)).toHaveLength(0);
    // Logged once for both, not per request.
    expect(bot.logs.filter((l) => String(l.msg).startsWith("webhook: a post with a wrong"))).toHaveLength(1);
  });
});
