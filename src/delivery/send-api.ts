import http from "node:http";
import https from "node:https";
import { type Api, GrammyError, HttpError } from "grammy";
import type { ResponseParameters } from "grammy/types";

/**
 * The one Bot API call the outbox makes, as Telegram answers it. Outbox
 * sends do not go through grammY's client: at hundreds of messages a second
 * its per-request machinery (node-fetch, abort wiring, payload building) was
 * the largest cost of a send on this machine (measured: ~0.65 ms of CPU per
 * request against ~0.15 ms for a plain keep-alive http.request). Replies and
 * everything else still use grammY.
 */
export type ApiAnswer =
  | { ok: true; result: { message_id: number } }
  | { ok: false; error_code: number; description: string; parameters?: ResponseParameters };

export interface CallOptions {
  /** how long to wait for Telegram's answer (default the client's, 30 s) */
  timeoutMs?: number;
}

export interface SendApi {
  /** resolves with Telegram's answer; rejects only when there was none (network, timeout) */
  sendMessage(chatId: number, text: string, other: Record<string, unknown>, opts?: CallOptions): Promise<ApiAnswer>;
  /** the same for editMessageText (a merged story grows the message already sent) */
  editMessageText(chatId: number, messageId: number, text: string, other: Record<string, unknown>, opts?: CallOptions): Promise<ApiAnswer>;
}

/**
 * No answer from Telegram. `maybeSent`: the request had gone out whole (a
 * timeout, a connection dropped after it) — Telegram may have acted on it;
 * false when it never left (refused, DNS, reset while connecting), so sending
 * again cannot make a copy. `timedOut`: the connection stayed up and no
 * answer came in time (Telegram slow: it most likely acts on it), as opposed
 * to a connection dropped or refused (Telegram unreachable).
 */
export class NetworkError extends Error {
  override name = "NetworkError";
  constructor(
    message: string,
    readonly maybeSent = false,
    readonly timedOut = false,
  ) {
    super(message);
  }
}

/** Telegram's Bot API over keep-alive HTTP(S), JSON in and out. */
export function createSendApi(opts: { token: string; apiRoot: string; timeoutMs?: number }): SendApi {
  const root = new URL(opts.apiRoot);
  const mod = root.protocol === "https:" ? https : http;
  const agent = new mod.Agent({ keepAlive: true, maxSockets: 256 });
  const base = root.pathname.replace(/\/+$/, "");
  const timeoutMs = opts.timeoutMs ?? 30_000;

  function call(method: string, payload: Record<string, unknown>, callOpts: CallOptions = {}): Promise<ApiAnswer> {
    const body = JSON.stringify(payload);
    const wait = callOpts.timeoutMs ?? timeoutMs;
    let written = false;
    return new Promise<ApiAnswer>((resolve, reject) => {
      const req = mod.request(
        {
          host: root.hostname,
          port: root.port || undefined,
          path: `${base}/bot${opts.token}/${method}`,
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", (err) => reject(new NetworkError(`reading the answer: ${err.message}`, true)));
          res.on("end", () => {
            try {
              const json = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ApiAnswer;
              if (typeof json?.ok !== "boolean") throw new Error("no ok field");
              resolve(json);
            } catch {
              // A proxy's error page, a truncated body: no answer from Telegram.
              reject(new NetworkError(`HTTP ${res.statusCode}: not a Bot API answer`, (res.statusCode ?? 0) < 500));
            }
          });
        },
      );
      // The token is in the path: messages never include it.
      req.on("finish", () => (written = true));
      req.setTimeout(wait, () => req.destroy(new NetworkError(`no answer in ${wait} ms`, written, true)));
      req.on("error", (err) =>
        reject(
          err instanceof NetworkError
            ? err
            : new NetworkError(`request failed: ${(err as NodeJS.ErrnoException).code ?? err.message}`, written),
        ),
      );
      req.end(body);
    });
  }

  return {
    sendMessage: (chatId, text, other, o) => call("sendMessage", { chat_id: chatId, text, ...other }, o),
    editMessageText: (chatId, messageId, text, other, o) =>
      call("editMessageText", { chat_id: chatId, message_id: messageId, text, ...other }, o),
  };
}

/** The same, through a grammY Api (tests that record calls with an API transformer). */
export function sendApiFromGrammy(api: Api): SendApi {
  async function answer(call: () => Promise<{ message_id: number } | true>): Promise<ApiAnswer> {
    try {
      const m = await call();
      return { ok: true, result: { message_id: m === true ? 0 : m.message_id } };
    } catch (err) {
      if (err instanceof GrammyError) {
        return { ok: false, error_code: err.error_code, description: err.description, parameters: err.parameters };
      }
      // grammY does not say which: taken as a request that went out and got no answer.
      if (err instanceof HttpError) throw new NetworkError(err.message, true, true);
      throw err;
    }
  }
  return {
    sendMessage: (chatId, text, other) => answer(() => api.sendMessage(chatId, text, other)),
    editMessageText: (chatId, messageId, text, other) => answer(() => api.editMessageText(chatId, messageId, text, other)),
  };
}
