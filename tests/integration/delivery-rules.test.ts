import { describe, expect, it } from "vitest";
import { composeStats } from "../../commands/stats.js";
import { etaText, progressText, reportText } from "../../src/delivery/broadcast-progress.js";
import { classifyRefusal, editOnce, sendOnce } from "../../src/delivery/messenger.js";
import { broadcastTargets, jobId } from "../../src/delivery/outbox.js";
import { type ApiAnswer, NetworkError, type SendApi } from "../../src/delivery/send-api.js";
import { english } from "../../src/i18n/translator.js";

/** The pure rules of delivery: no Redis, no Telegram. */
describe("what each Bot API refusal means", () => {
  const refusal = (error_code: number, description: string, parameters?: Record<string, number>) =>
    classifyRefusal({ ok: false, error_code, description, parameters });

  it.each([
    [403, "Forbidden: bot was blocked by the user", "gone"],
    [403, "Forbidden: user is deactivated", "gone"],
    [403, "Forbidden: bot was kicked from the group chat", "gone"],
    [400, "Bad Request: chat not found", "gone"],
    [400, "Bad Request: have no rights to send a message", "gone"],
    [400, "Bad Request: not enough rights to send text messages to the chat", "gone"],
    [400, "Bad Request: need administrator rights in the channel chat", "gone"],
    [403, "Forbidden: CHAT_WRITE_FORBIDDEN", "gone"],
    [400, "Bad Request: message thread not found", "topic-gone"],
    [400, "Bad Request: TOPIC_CLOSED", "topic-gone"],
    [400, "Bad Request: TOPIC_DELETED", "topic-gone"],
    [500, "Internal Server Error", "transient"],
    [502, "Bad Gateway", "transient"],
    [400, "Bad Request: can't parse entities: Unsupported start tag", "rejected"],
    [400, "Bad Request: message is too long", "rejected"],
  ])("%i %s → %s", (code, description, kind) => {
    expect(refusal(code, description).kind).toBe(kind);
  });

  it("429 carries retry_after in ms (at least a second)", () => {
    expect(refusal(429, "Too Many Requests: retry after 7", { retry_after: 7 })).toMatchObject({ kind: "flood", retryAfterMs: 7000 });
    expect(refusal(429, "Too Many Requests", {})).toMatchObject({ kind: "flood", retryAfterMs: 1000 });
  });

  it("an upgraded group says where it went", () => {
    expect(refusal(400, "Bad Request: group chat was upgraded to a supergroup chat", { migrate_to_chat_id: -1005 })).toEqual({
      kind: "migrated",
      to: -1005,
    });
  });
});

describe("what an edit's answer means (merging a report into a sent message)", () => {
  const answering = (answer: ApiAnswer): SendApi => ({
    sendMessage: async () => answer,
    editMessageText: async () => answer,
  });
  const edit = (answer: ApiAnswer) => editOnce(answering(answer), 1, 77, { text: "x", parse_mode: "HTML" });
  const refused = (error_code: number, description: string) => edit({ ok: false, error_code, description });

  it("done, or already done (a retried job finds the text in place)", async () => {
    expect(await edit({ ok: true, result: { message_id: 77 } })).toEqual({ kind: "sent", messageId: 77 });
    expect(
      await refused(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same"),
    ).toEqual({ kind: "sent", messageId: 77 });
  });

  it.each([
    [400, "Bad Request: message to edit not found"],
    [400, "Bad Request: message can't be edited"],
  ])("%i %s → send a new message instead", async (code, description) => {
    expect((await refused(code, description)).kind).toBe("uneditable");
  });

  it("the rest as for a send", async () => {
    expect((await refused(403, "Forbidden: bot was blocked by the user")).kind).toBe("gone");
    expect((await refused(502, "Bad Gateway")).kind).toBe("transient");
    expect((await refused(400, "Bad Request: can't parse entities")).kind).toBe("rejected");
  });
});

describe("no answer, or a 5xx: which kind of trouble", () => {
  const failing = (err: Error): SendApi => ({
    sendMessage: async () => Promise.reject(err),
    editMessageText: async () => Promise.reject(err),
  });
  const send = (err: Error) => sendOnce(failing(err), 1, { text: "x" });

  it("a 5xx is an answer: Telegram is there (a broadcast uses up an attempt)", () => {
    expect(classifyRefusal({ ok: false, error_code: 502, description: "Bad Gateway" })).toEqual({
      kind: "transient",
      reason: "Bad Gateway",
    });
  });

  it("refused or reset before the request went out: unreachable, sending again makes no copy", async () => {
    expect(await send(new NetworkError("request failed: ECONNREFUSED"))).toEqual({
      kind: "transient",
      reason: "request failed: ECONNREFUSED",
      network: true,
      maybeSent: false,
      timedOut: false,
    });
  });

  it("dropped after it went out: it may have arrived, but Telegram is not known to be slow", async () => {
    expect(await send(new NetworkError("request failed: ECONNRESET", true))).toMatchObject({
      network: true,
      maybeSent: true,
      timedOut: false,
    });
  });

  it("no answer in time: it most likely arrived (counted as sent after one more long wait)", async () => {
    expect(await send(new NetworkError("no answer in 300 ms", true, true))).toMatchObject({
      network: true,
      maybeSent: true,
      timedOut: true,
    });
  });

  it("an edit without an answer is simply tried again later", async () => {
    expect(await editOnce(failing(new NetworkError("no answer in 300 ms", true, true)), 1, 2, { text: "x" })).toEqual({
      kind: "transient",
      reason: "no answer in 300 ms",
      network: true,
    });
  });
});

describe("broadcast job ids", () => {
  it("depend on the broadcast and the chat only, and never contain ':' (BullMQ refuses it)", () => {
    expect(jobId({ kind: "broadcast", id: "0123456789ab", chatId: -100 })).toBe("b.0123456789ab.-100");
    // A job that waited for Telegram keeps its id: it is the same work.
    expect(jobId({ kind: "broadcast", id: "0123456789ab", chatId: -100, waits: 3 })).toBe("b.0123456789ab.-100");
    expect(jobId({ kind: "broadcast", id: "x", chatId: 1 })).not.toContain(":");
    // Per chat, not per topic: a forum gets a broadcast once.
    expect(jobId({ kind: "broadcast", id: "x", chatId: -100, thread: 17 })).toBe("b.x.-100");
  });

  it("go once to each chat: its own subscription, else its lowest-numbered topic", () => {
    expect(
      broadcastTargets([
        { chatId: -100, thread: 18 },
        { chatId: 5 },
        { chatId: -100, thread: 17 },
        { chatId: -200, thread: 3 },
        { chatId: -200 },
        { chatId: -200, thread: 1 },
      ]),
    ).toEqual([{ chatId: -100, thread: 17 }, { chatId: 5 }, { chatId: -200 }]);
  });
});

describe("a send into a forum topic", () => {
  it("carries message_thread_id; a chat's own subscription none", async () => {
    const bodies: Record<string, unknown>[] = [];
    const api: SendApi = {
      sendMessage: async (_chatId, _text, other) => {
        bodies.push(other);
        return { ok: true, result: { message_id: 1 } };
      },
      editMessageText: async () => ({ ok: true, result: { message_id: 1 } }),
    };
    await sendOnce(api, -100, { text: "x" }, { thread: 17 });
    await sendOnce(api, -100, { text: "x" });
    expect(bodies[0]).toMatchObject({ message_thread_id: 17 });
    expect(bodies[1]).not.toHaveProperty("message_thread_id");
  });
});

describe("what the admin reads", () => {
  const counts = { sent: 1200, failed: 3, blocked: 12, skipped: 0, total: 10_000 };

  it("progress with an ETA from the pace so far", () => {
    // 1,215 chats done in 45 s: 27/s, 8,785 left ≈ 5.4 min.
    const t = english();
    const text = progressText({ ...counts, elapsedMs: 45_000, expectedRate: 30 }, t);
    expect(text).toBe("📢 Sending the broadcast: 1,200 / 10,000 sent\n3 failed · 12 blocked the bot\nabout 5 min left — /cancel stops it.");
    expect(etaText({ ...counts, sent: 9900, elapsedMs: 300_000, expectedRate: 30 }, t)).toBe("less than a minute left");
    expect(etaText({ ...counts, sent: 9985, elapsedMs: 300_000, expectedRate: 30 }, t)).toBe("finishing…");
    // At the start there is nothing to measure: the expected rate is used.
    expect(etaText({ ...counts, sent: 0, failed: 0, blocked: 0, elapsedMs: 0, expectedRate: 30 }, t)).toBe("about 6 min left");
  });

  it("the report adds up", () => {
    expect(reportText({ ...counts, sent: 9985 }, english())).toBe(
      "📢 Broadcast finished: sent to 9,985 of 10,000 subscribers.\nFailed: 3. Blocked the bot (unsubscribed): 12.",
    );
  });

  it("/stats", () => {
    const text = composeStats(
      {
        subscribers: 10_000,
        sources: 8,
        delivery: {
          queue: { waiting: 8000, delayed: 2, active: 16, failed: 4 },
          chats: { waiting: 2500, scheduled: 400, active: 16 },
          today: { sent: 12_345, merged: 40, failed: 1, blocked: 7 },
          deadLetters: {
            total: 1,
            latest: [{ at: Date.parse("2026-11-28T14:05:00Z"), chatId: 55, what: "news bbc:1", reason: "Bad Gateway" }],
          },
          broadcasts: [{ id: "0123456789ab", ...counts }],
        },
      },
      { timezone: "UTC", now: Date.parse("2026-11-28T15:00:00Z") },
    );
    expect(text).toBe(
      [
        "📊 Bot stats",
        "Subscribers: 10,000",
        "Sources: 8",
        "Queue: 8,000 waiting · 2 delayed · 16 sending",
        "News: 2,500 chats due now · 16 being sent to · 400 scheduled (digests, retries)",
        "Today: 12,345 sent · 40 merged into earlier messages · 1 failed · 7 blocked the bot",
        "Dead letters: 1",
        "  • 14:05 UTC chat 55 — news bbc:1: Bad Gateway",
        "Broadcast 0123456789ab: 1,200 / 10,000 sent · 3 failed · 12 blocked",
      ].join("\n"),
    );
  });
});
