import type { Api, RawApi, Transformer } from "grammy";
import type { Update, UserFromGetMe } from "grammy/types";

/**
 * grammY's own way of testing handlers: an API transformer that records each
 * call and answers like Telegram would, so nothing leaves the process.
 */
export interface RecordedCall {
  method: string;
  payload: Record<string, any>;
}

type Answer = { ok: true; result: unknown } | { ok: false; error_code: number; description: string; parameters?: Record<string, unknown> };
type Responder = (call: RecordedCall) => Answer | undefined;

export const botInfo: UserFromGetMe = {
  id: 1000,
  is_bot: true,
  first_name: "NewsBot",
  username: "news_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
} as UserFromGetMe;

export const errors = {
  flood: (retryAfter = 1): Answer => ({
    ok: false,
    error_code: 429,
    description: `Too Many Requests: retry after ${retryAfter}`,
    parameters: { retry_after: retryAfter },
  }),
  blocked: (): Answer => ({ ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" }),
  notFound: (): Answer => ({ ok: false, error_code: 400, description: "Bad Request: chat not found" }),
  parse: (): Answer => ({
    ok: false,
    error_code: 400,
    description: 'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 0',
  }),
  migrated: (to: number): Answer => ({
    ok: false,
    error_code: 400,
    description: "Bad Request: group chat was upgraded to a supergroup chat",
    parameters: { migrate_to_chat_id: to },
  }),
  server: (): Answer => ({ ok: false, error_code: 502, description: "Bad Gateway" }),
};

export class ApiRecorder {
  calls: RecordedCall[] = [];
  private responders: Responder[] = [];
  private messageId = 100;

  /** answers the next calls that match, in order; return undefined to pass */
  respond(r: Responder): this {
    this.responders.push(r);
    return this;
  }

  /** the next `n` calls of `method` (to `chatId`, if given) get `answer` */
  failNext(method: string, n: number, answer: Answer, chatId?: number): this {
    let left = n;
    return this.respond((c) => {
      if (left > 0 && c.method === method && (chatId === undefined || c.payload.chat_id === chatId)) {
        left--;
        return answer;
      }
      return undefined;
    });
  }

  sent(chatId?: number): Array<{ chat_id: number; text: string; [k: string]: any }> {
    return this.calls
      .filter((c) => c.method === "sendMessage" && (chatId === undefined || c.payload.chat_id === chatId))
      .map((c) => c.payload as any);
  }

  transformer: Transformer<RawApi> = async (_prev, method, payload) => {
    const call = { method, payload: { ...(payload as Record<string, any>) } };
    this.calls.push(call);
    for (const r of this.responders) {
      const a = r(call);
      if (a) return a as any;
    }
    return { ok: true, result: this.defaultResult(call) } as any;
  };

  private defaultResult(call: RecordedCall): unknown {
    if (call.method === "sendMessage" || call.method === "editMessageText") {
      return {
        message_id: ++this.messageId,
        date: Math.floor(Date.now() / 1000),
        chat: { id: call.payload.chat_id, type: call.payload.chat_id < 0 ? "group" : "private" },
        text: call.payload.text,
      };
    }
    return true;
  }

  install(api: Api): this {
    api.config.use(this.transformer);
    return this;
  }
}

let updateId = 1;
export function textUpdate(
  from: { id: number; first_name?: string },
  text: string,
  opts: { chatId?: number; replyTo?: string } = {},
): Update {
  const chatId = opts.chatId ?? from.id;
  const cmd = /^\/[a-z_]+(@\w+)?/i.exec(text);
  return {
    update_id: updateId++,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat:
        chatId > 0 ? { id: chatId, type: "private", first_name: from.first_name ?? "User" } : { id: chatId, type: "group", title: "Group" },
      from: { id: from.id, is_bot: false, first_name: from.first_name ?? "User" },
      text,
      ...(cmd ? { entities: [{ type: "bot_command", offset: 0, length: cmd[0].length }] } : {}),
      ...(opts.replyTo
        ? { reply_to_message: { message_id: 1, date: 0, chat: { id: chatId, type: "private", first_name: "U" }, text: opts.replyTo } }
        : {}),
    } as any,
  };
}

export function callbackUpdate(from: { id: number }, data: string, message: { chatId: number; messageId: number; text?: string }): Update {
  return {
    update_id: updateId++,
    callback_query: {
      id: String(updateId),
      from: { id: from.id, is_bot: false, first_name: "User" },
      chat_instance: "ci",
      data,
      message: {
        message_id: message.messageId,
        date: 0,
        chat: { id: message.chatId, type: "private", first_name: "U" },
        text: message.text ?? "preview",
      } as any,
    },
  };
}
