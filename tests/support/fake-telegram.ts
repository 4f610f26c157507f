import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type {
  BotCommand,
  Chat,
  ForceReply,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  LinkPreviewOptions,
  Message,
  MessageEntity,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
  ResponseParameters,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";
import { checkTelegramHtml, type HtmlLink, keptLinkUrl } from "./telegram-html.js";

/**
 * A fake Telegram Bot API server for end-to-end tests. The real bot talks to
 * it over HTTP exactly as to api.telegram.org (`apiRoot` replaces
 * https://api.telegram.org), and it answers the way Telegram does — including
 * the refusals a bot meets in production: bad HTML, too-long texts, flood
 * limits (429 with retry_after), blocked users (403), migrated groups.
 *
 * Tests drive it from the user's side (`sendText`, `pressButton`) and read
 * what users would see (`messagesTo`, `waitFor`). Nothing listens until
 * `startFakeTelegram()` is called.
 *
 * A sendMessage is checked in Telegram's order as far as it matters here:
 * chat faults (403, migration) first, then the content (400), then the flood
 * limits (429); only accepted messages use up flood allowance, and only
 * sendMessage is flood-limited (edits are not). Recorded messages are live:
 * an edit or delete changes the record, so `waitFor` sees the current state.
 * Parse mode HTML and explicit `entities` are supported; Markdown is refused
 * with a clear 400 rather than half-emulated.
 *
 * Chats other than private ones: groups, supergroups (forums with topics:
 * `sendText(user, text, forum, { topic })`), channels (`channelPost`). The
 * bot's place in them changes through `botMembership` (a my_chat_member
 * update) and the fake then answers as Telegram does: 403 once the bot left
 * or was kicked, 400 in a channel where it may not post, 400 "message thread
 * not found" in a deleted topic. getChatMember answers from `setMemberStatus`.
 */

// ─── Public types ────────────────────────────────────────────────────────────

export interface FakeTelegramOptions {
  /** all messages, any chat, per sliding second (default 30; false = unlimited) */
  globalPerSecond?: number | false;
  /** private chat token bucket capacity (default 5; false = unlimited) */
  perChatBurst?: number | false;
  /** private chat token bucket refill per second (default 1; false = unlimited) */
  perChatPerSecond?: number | false;
  /** messages per sliding minute to one group (negative chat id) (default 20; false = unlimited) */
  groupPerMinute?: number | false;
  /** clock for flood limits and timestamps (default Date.now) */
  now?: () => number;
  /**
   * as Telegram: a user who never wrote to the bot in private cannot be
   * written to there — 403 "Forbidden: bot can't initiate conversation with
   * a user" when the bot has seen them (in a group, adding it to a chat),
   * 400 "Bad Request: chat not found" when it never has (sendMessage, and
   * setMyCommands for that chat's scope); default false — any private chat
   * may be written to
   */
  requireStartedPrivateChats?: boolean;
}

export type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

/** A message the bot sent, in its current state (edits applied, deletion flagged). */
export interface RecordedMessage {
  chatId: number;
  messageId: number;
  /** the text as the bot sent it (HTML source when parseMode is "HTML") */
  text: string;
  parseMode: string | undefined;
  /** what the user reads: tags removed, entities decoded */
  visibleText: string;
  /** text links (HTML <a> or text_link entities); href "" = Telegram would drop it */
  links: HtmlLink[];
  /** formatting as Telegram reports it back */
  entities: MessageEntity[];
  replyMarkup: ReplyMarkup | undefined;
  linkPreview: LinkPreviewOptions | undefined;
  /** sent with disable_notification (the user's phone did not ring) */
  disableNotification: boolean;
  /** message id this one replies to */
  replyTo: number | undefined;
  /** the forum topic (message_thread_id) it was sent to; undefined = none (the General topic of a forum) */
  threadId: number | undefined;
  /** when it was sent (ms) */
  at: number;
  editedAt: number | undefined;
  edits: number;
  deleted: boolean;
}

/** A user as tests describe them; the rest of the Telegram User is filled in. */
export interface FakeUser {
  id: number;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export type FakeChatType = "private" | "group" | "supergroup" | "channel";

/**
 * A chat for injected updates; type defaults from the id (negative = group,
 * ≤ -10^12 = supergroup). A channel must be said to be one; a supergroup
 * with `is_forum` has topics. The first mention registers the chat: later
 * updates and the bot's messages carry the same chat object.
 */
export interface FakeChat {
  id: number;
  type?: FakeChatType;
  title?: string;
  username?: string;
  /** a supergroup with topics */
  is_forum?: boolean;
}

/** A chat member's status, as getChatMember answers it. */
export type MemberStatus = "creator" | "administrator" | "member" | "restricted" | "left" | "kicked";

/**
 * An administrator's rights (Telegram's ChatMemberAdministrator fields);
 * unset ones default to what a group admin usually has (and a channel
 * admin can_post_messages), so `{ can_post_messages: false }` is a channel
 * admin who may not post.
 */
export interface AdminRights {
  can_manage_chat?: boolean;
  can_delete_messages?: boolean;
  can_restrict_members?: boolean;
  can_promote_members?: boolean;
  can_change_info?: boolean;
  can_invite_users?: boolean;
  can_post_messages?: boolean;
  can_edit_messages?: boolean;
  can_pin_messages?: boolean;
  can_manage_topics?: boolean;
  is_anonymous?: boolean;
}

/** Where a user's message is written, beyond its chat. */
export interface MessageOptions {
  /** a forum topic's message_thread_id (the message gets is_topic_message: true) */
  topic?: number;
}

/** A setMyCommands call as Telegram stored it. */
export interface CommandMenu {
  /** as sent ({ type: "default" } when none) */
  scope: Record<string, unknown>;
  /** undefined: for every language without its own menu */
  languageCode: string | undefined;
  commands: BotCommand[];
}

/** What `failNext` makes a method answer instead of its normal result. */
export type InjectedFailure =
  | { error_code: number; description: string; parameters?: ResponseParameters }
  /** the connection is dropped without any HTTP response */
  | "network";

export interface FakeTelegramStats {
  /** sendMessage calls accepted */
  sent: number;
  /** editMessageText / editMessageReplyMarkup calls accepted */
  edits: number;
  errors400: number;
  errors403: number;
  errors429: number;
  /** any other non-2xx answer (404, 409, injected 5xx…) */
  errorsOther: number;
  /** requests per method, whatever their outcome */
  byMethod: Record<string, number>;
}

export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
  token: string;
  at: number;
}

export interface FakeTelegram {
  /** use as grammY's `client.apiRoot` / TELEGRAM_API_ROOT */
  apiRoot: string;
  /** every bot token seen in a request path */
  tokens(): string[];
  close(): Promise<void>;
  /** setWebhook calls, in order: url, secret_token, allowed_updates as sent */
  webhookCalls(): Array<Record<string, unknown>>;

  // fault injection
  /** sends to this chat answer 403 "Forbidden: bot was blocked by the user" */
  blockUser(chatId: number): void;
  /** sends to this chat answer 403 "Forbidden: user is deactivated" */
  deactivate(chatId: number): void;
  /** sends to this chat answer 400 "Bad Request: chat not found" */
  chatNotFound(chatId: number): void;
  /** sends to oldId answer 400 with parameters.migrate_to_chat_id = newId */
  migrateChat(oldId: number, newId: number): void;
  /** removes any fault set on the chat (the user unblocked the bot, …) */
  clearFault(chatId: number): void;
  /** the next n calls of `method` ("*" = any method) answer `failure` */
  failNext(method: string, n: number, failure: InjectedFailure): void;
  /** an outage: while on, every connection is reset (long polls in flight too), as when Telegram cannot be reached */
  setUnreachable(on: boolean): void;
  /**
   * Telegram slow to answer: the next `count` calls of `method` ("*" = any;
   * every call while set when `count` is omitted) are handled at once — a
   * message is recorded on arrival, as Telegram acts on it — but answered
   * only `ms` later (not at all if the client gave up meanwhile).
   * `delayAnswers(method, 0)` ends a delay set without a count.
   */
  delayAnswers(method: string, ms: number, count?: number): void;

  /**
   * sends to this forum topic answer 400 "Bad Request: message thread not
   * found", and the bot's messages in it are gone (deleted with the topic)
   */
  deleteTopic(chatId: number, threadId: number): void;
  /** sends to this forum topic answer 400 "Bad Request: TOPIC_CLOSED" (a bot that may not manage topics), until reopenTopic */
  closeTopic(chatId: number, threadId: number): void;
  reopenTopic(chatId: number, threadId: number): void;

  // chat members
  /** what getChatMember answers for this user in this chat (default: "member" once they wrote there, else "left"); a FakeUser also names them */
  setMemberStatus(chatId: number, user: number | FakeUser, status: MemberStatus, rights?: AdminRights): void;
  /** getChatMember calls made, optionally only those for one chat (and user) */
  memberLookups(chatId?: number, userId?: number): number;
  /** the bot's own status in a chat (changed by botMembership); "member" where it was never set, "left" in a channel */
  botStatus(chatId: number): MemberStatus;

  // simulated users; each returns the update_id
  /** a message from a user: in their private chat, or in `chat` (in a forum topic with options.topic) */
  sendText(from: FakeUser, text: string, chat?: FakeChat, options?: MessageOptions): number;
  /** a channel_post: text posted in a channel (by one of its admins; no `from`, sender_chat is the channel) */
  channelPost(chat: FakeChat, text: string, options?: { authorSignature?: string }): number;
  /**
   * `by` changed the bot's membership of `chat` (added it, made it an
   * administrator, demoted it, removed it): a my_chat_member update from
   * the bot's old status to the new one, and from now on the fake answers
   * as Telegram would for that status (sends to a chat the bot left or was
   * kicked from answer 403; a channel needs administrator with can_post_messages).
   */
  botMembership(chat: FakeChat, by: FakeUser, status: MemberStatus, rights?: AdminRights): number;
  replyTo(from: FakeUser, message: RecordedMessage, text: string): number;
  pressButton(from: FakeUser, message: RecordedMessage, callbackData: string): number;
  /** the callback_query id of the update `pressButton` returned */
  callbackQueryId(updateId: number): string;
  /** resolves once getUpdates has confirmed (offset past) the update — default: the last injected */
  waitForConfirmed(updateId?: number, timeoutMs?: number): Promise<void>;
  /** injected updates not yet confirmed */
  pendingUpdates(): Update[];

  // what the bot did
  /** the bot's messages in a chat; with `threadId`, only those in that forum topic */
  messagesTo(chatId: number, threadId?: number): RecordedMessage[];
  allMessages(): RecordedMessage[];
  waitFor(predicate: (m: RecordedMessage) => boolean, timeoutMs?: number): Promise<RecordedMessage>;
  /** request bodies of every call to `method`, accepted or not */
  calls(method: string): Record<string, unknown>[];
  allCalls(): RecordedCall[];
  waitForCall(method: string, predicate?: (body: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** commands stored by setMyCommands for a scope / language */
  myCommands(scope?: unknown, languageCode?: string): BotCommand[];
  /** every command menu stored now (setMyCommands, less deleteMyCommands), in the order first set */
  commandMenus(): CommandMenu[];
  /** the menu button set by setChatMenuButton for a private chat (undefined: the default for all), as sent */
  menuButton(chatId?: number): Record<string, unknown> | undefined;
  /** the description set by setMyDescription for a language (undefined: the one for all languages) */
  myDescription(languageCode?: string): string | undefined;
  /** the same for setMyShortDescription */
  myShortDescription(languageCode?: string): string | undefined;
  /** the same for setMyName */
  myName(languageCode?: string): string | undefined;
  readonly stats: FakeTelegramStats;
}

/** The buttons of a message's inline keyboard, row by row flattened. */
export function inlineButtons(message: RecordedMessage): InlineKeyboardButton[] {
  const markup = message.replyMarkup;
  if (!markup || !("inline_keyboard" in markup)) return [];
  return markup.inline_keyboard.flat();
}

export const FAKE_BOT: UserFromGetMe = {
  id: 1000,
  is_bot: true,
  first_name: "NewsBot",
  username: "news_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
} as UserFromGetMe;

export const MAX_MESSAGE_LENGTH = 4096;

// ─── Errors ──────────────────────────────────────────────────────────────────

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
  }
}

const bad = (description: string) => new ApiError(400, `Bad Request: ${description}`);

const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

type ChatFault = { kind: "blocked" } | { kind: "deactivated" } | { kind: "not-found" } | { kind: "migrated"; to: number };

function faultError(fault: ChatFault): ApiError {
  switch (fault.kind) {
    case "blocked":
      return new ApiError(403, "Forbidden: bot was blocked by the user");
    case "deactivated":
      return new ApiError(403, "Forbidden: user is deactivated");
    case "not-found":
      return bad("chat not found");
    case "migrated":
      return new ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat", {
        migrate_to_chat_id: fault.to,
      });
  }
}

// ─── Flood control ───────────────────────────────────────────────────────────

interface Limits {
  globalPerSecond: number | false;
  perChatBurst: number | false;
  perChatPerSecond: number | false;
  groupPerMinute: number | false;
}

/**
 * Telegram's documented limits: ~30 messages a second overall, about one a
 * second per private chat (short bursts tolerated), 20 a minute per group.
 * Only accepted messages count; a refused request uses no allowance.
 */
class FloodControl {
  private readonly globalTimes: number[] = [];
  private readonly buckets = new Map<number, { tokens: number; at: number }>();
  private readonly groupTimes = new Map<number, number[]>();

  constructor(private readonly limits: Limits) {}

  /** Takes one message's allowance, or returns the seconds to wait (≥ 1). */
  admit(chatId: number, now: number): number | null {
    const waits: number[] = [];
    const { globalPerSecond, perChatBurst, perChatPerSecond, groupPerMinute } = this.limits;

    if (globalPerSecond !== false) {
      dropOlder(this.globalTimes, now - 1000);
      if (this.globalTimes.length >= globalPerSecond) waits.push(this.globalTimes[0]! + 1000 - now);
    }
    let bucket: { tokens: number; at: number } | undefined;
    if (chatId > 0 && perChatBurst !== false && perChatPerSecond !== false) {
      const prev = this.buckets.get(chatId) ?? { tokens: perChatBurst, at: now };
      bucket = { tokens: Math.min(perChatBurst, prev.tokens + ((now - prev.at) / 1000) * perChatPerSecond), at: now };
      if (bucket.tokens < 1) waits.push(((1 - bucket.tokens) / perChatPerSecond) * 1000);
    }
    let groupTimes: number[] | undefined;
    if (chatId < 0 && groupPerMinute !== false) {
      groupTimes = this.groupTimes.get(chatId) ?? [];
      dropOlder(groupTimes, now - 60_000);
      if (groupTimes.length >= groupPerMinute) waits.push(groupTimes[0]! + 60_000 - now);
    }

    if (waits.length > 0) return Math.max(1, Math.ceil(Math.max(...waits) / 1000));

    if (globalPerSecond !== false) this.globalTimes.push(now);
    if (bucket) this.buckets.set(chatId, { tokens: bucket.tokens - 1, at: now });
    if (groupTimes) {
      groupTimes.push(now);
      this.groupTimes.set(chatId, groupTimes);
    }
    return null;
  }
}

function dropOlder(times: number[], cutoff: number): void {
  while (times.length > 0 && times[0]! <= cutoff) times.shift();
}

// ─── Request parameters ──────────────────────────────────────────────────────

type Body = Record<string, unknown>;

/** Form-encoded and query-string requests carry JSON-serialized objects as strings. */
function jsonField(value: unknown, what: string): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    throw bad(`can't parse ${what} JSON object`);
  }
}

function intField(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === "string" && /^-?\d+$/.test(value.trim())) return Number(value);
  return undefined;
}

function chatIdOf(body: Body): number {
  const raw = body.chat_id;
  if (raw === undefined || raw === null || raw === "") throw bad("chat_id is empty");
  const id = intField(raw);
  // "@channelname" chats are unknown to the fake.
  if (id === undefined) throw bad("chat not found");
  return id;
}

function messageIdOf(body: Body): number {
  const id = intField(body.message_id);
  if (id === undefined) throw bad("message identifier is not specified");
  return id;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

interface Content {
  text: string;
  parseMode: string | undefined;
  visibleText: string;
  links: HtmlLink[];
  entities: MessageEntity[];
}

const ENTITY_TYPES = new Set([
  "mention",
  "hashtag",
  "cashtag",
  "bot_command",
  "url",
  "email",
  "phone_number",
  "bold",
  "italic",
  "underline",
  "strikethrough",
  "spoiler",
  "blockquote",
  "expandable_blockquote",
  "code",
  "pre",
  "text_link",
  "text_mention",
  "custom_emoji",
]);

/** Validates text + parse_mode / entities the way sendMessage and editMessageText do. */
function parseContent(body: Body): Content {
  const raw = body.text;
  const text = typeof raw === "string" ? raw : typeof raw === "number" ? String(raw) : "";
  if (text.trim() === "") throw bad("message text is empty");
  // A summary cut in the middle of an emoji leaves half a surrogate pair.
  if (LONE_SURROGATE.test(text)) throw bad("strings must be encoded in UTF-8");

  const parseMode = typeof body.parse_mode === "string" && body.parse_mode !== "" ? body.parse_mode : undefined;
  let content: Content;
  if (body.entities !== undefined) {
    // Telegram ignores parse_mode when explicit entities are given.
    const entities = validateEntities(text, jsonField(body.entities, "entities"));
    content = { text, parseMode, visibleText: text, entities: entities.kept, links: entities.links };
  } else if (parseMode === undefined) {
    content = { text, parseMode, visibleText: text, links: [], entities: [] };
  } else if (parseMode.toLowerCase() === "html") {
    const checked = checkTelegramHtml(text);
    if (!checked.ok) throw new ApiError(400, checked.description);
    content = {
      text,
      parseMode,
      visibleText: checked.visibleText,
      links: checked.links,
      entities: checked.entities as MessageEntity[],
    };
  } else if (/^markdown(v2)?$/i.test(parseMode)) {
    throw bad(`parse_mode "${parseMode}" is not supported by the fake Bot API (use HTML or entities)`);
  } else {
    throw bad("unsupported parse_mode");
  }

  if (content.visibleText.trim() === "") throw bad("message text is empty");
  if (content.visibleText.length > MAX_MESSAGE_LENGTH) throw bad("message is too long");
  return content;
}

function validateEntities(text: string, value: unknown): { kept: MessageEntity[]; links: HtmlLink[] } {
  if (!Array.isArray(value)) throw bad("can't parse entities: entities must be an Array");
  const kept: MessageEntity[] = [];
  const links: HtmlLink[] = [];
  value.forEach((e: unknown, index) => {
    const entity = (e ?? {}) as Record<string, unknown>;
    const type = entity.type;
    if (typeof type !== "string" || !ENTITY_TYPES.has(type)) {
      throw bad(`can't parse entities: entity #${index} has unsupported type ${JSON.stringify(type)}`);
    }
    const offset = entity.offset;
    const length = entity.length;
    if (!Number.isInteger(offset) || !Number.isInteger(length) || (offset as number) < 0 || (length as number) < 1) {
      throw bad(`can't parse entities: entity #${index} (${type}) needs an integer offset ≥ 0 and length ≥ 1`);
    }
    const end = (offset as number) + (length as number);
    if (end > text.length) {
      throw bad(
        `can't parse entities: entity #${index} (${type}) ends at UTF-16 offset ${end}, after the end of the text (length ${text.length})`,
      );
    }
    if (type === "text_link") {
      const url = keptLinkUrl(typeof entity.url === "string" ? entity.url : "");
      links.push({ href: url, text: text.slice(offset as number, end) });
      // Telegram drops a text link whose URL it cannot use.
      if (!url) return;
    }
    kept.push(entity as unknown as MessageEntity);
  });
  return { kept, links };
}

const BUTTON_ACTIONS = [
  "url",
  "callback_data",
  "web_app",
  "login_url",
  "switch_inline_query",
  "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat",
  "copy_text",
  "callback_game",
  "pay",
];

function parseReplyMarkup(value: unknown): ReplyMarkup | undefined {
  if (value === undefined || value === null) return undefined;
  const markup = jsonField(value, "reply keyboard markup");
  if (typeof markup !== "object" || markup === null) throw bad("can't parse reply keyboard markup JSON object");
  if (!("inline_keyboard" in markup)) return markup as ReplyMarkup;
  const rows = (markup as { inline_keyboard: unknown }).inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
    throw bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
  }
  for (const button of (rows as unknown[][]).flat()) {
    const b = (button ?? {}) as Record<string, unknown>;
    if (typeof b.text !== "string" || b.text === "") {
      throw bad('can\'t parse inline keyboard button: Field "text" must be a non-empty String');
    }
    if (!BUTTON_ACTIONS.some((k) => k in b)) {
      throw bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
    }
    if ("callback_data" in b) {
      const data = b.callback_data;
      const bytes = typeof data === "string" ? Buffer.byteLength(data, "utf8") : 0;
      if (bytes < 1 || bytes > 64) throw bad("BUTTON_DATA_INVALID");
    }
    if ("url" in b && (typeof b.url !== "string" || !keptLinkUrl(b.url))) throw bad("BUTTON_URL_INVALID");
    if ("web_app" in b && !isWebAppInfo(b.web_app)) throw bad("BUTTON_URL_INVALID");
  }
  return markup as InlineKeyboardMarkup;
}

/** A web_app's url: https only, as Telegram requires. */
function isWebAppInfo(v: unknown): boolean {
  const url = (v as { url?: unknown } | null)?.url;
  return typeof url === "string" && /^https:\/\/[^\s/]+/.test(url);
}

/** Telegram refuses web_app buttons outside private chats. */
function checkWebAppButtons(chat: Chat, markup: ReplyMarkup | undefined): void {
  if (chat.type === "private" || !markup || !("inline_keyboard" in markup)) return;
  if (markup.inline_keyboard.flat().some((b) => "web_app" in b)) throw bad("BUTTON_TYPE_INVALID");
}

function parseLinkPreview(body: Body): LinkPreviewOptions | undefined {
  if (body.link_preview_options !== undefined) {
    return jsonField(body.link_preview_options, "link preview options") as LinkPreviewOptions;
  }
  if (body.disable_web_page_preview === true || body.disable_web_page_preview === "true") return { is_disabled: true };
  return undefined;
}

function validateCommands(value: unknown): BotCommand[] {
  const commands = jsonField(value, "commands");
  if (!Array.isArray(commands)) throw bad("can't parse commands JSON object");
  if (commands.length > 100) throw bad("too many commands specified");
  return commands.map((c: unknown) => {
    const cmd = (c ?? {}) as Record<string, unknown>;
    if (typeof cmd.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(cmd.command)) throw bad("BOT_COMMAND_INVALID");
    if (typeof cmd.description !== "string" || cmd.description.trim() === "" || cmd.description.length > 256) {
      throw bad("BOT_COMMAND_DESCRIPTION_INVALID");
    }
    return { command: cmd.command, description: cmd.description };
  });
}

function scopeOf(scope: unknown): Record<string, unknown> {
  const s = scope === undefined || scope === null ? { type: "default" } : jsonField(scope, "scope");
  if (typeof s !== "object" || s === null || Array.isArray(s)) throw bad("can't parse BotCommandScope JSON object");
  return s as Record<string, unknown>;
}

/** A scope and language as one map key: the scope's fields in a fixed order, chat ids as numbers. */
function commandsKey(scope: unknown, languageCode: unknown): string {
  const s = scopeOf(scope);
  const sorted = Object.fromEntries(
    Object.keys(s)
      .sort()
      .map((k) => [k, k === "chat_id" || k === "user_id" ? (intField(s[k]) ?? s[k]) : s[k]]),
  );
  return `${JSON.stringify(sorted)}|${languageOf(languageCode) ?? ""}`;
}

/** A language_code parameter: undefined for none ("" too), else a two-letter ISO 639-1 code. */
function languageOf(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || !/^[a-z]{2}$/.test(value)) throw bad("invalid language code specified");
  return value;
}

/** setMyDescription / setMyShortDescription / setMyName: a text up to `max` characters, "" (or none) removes it. */
function profileText(value: unknown, max: number, what: string): string {
  const text = typeof value === "string" ? value : value === undefined || value === null ? "" : String(value);
  if (text.length > max) throw bad(`${what} is too long`);
  return text;
}

const UPDATE_TYPES_OFF_BY_DEFAULT = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

function updateType(update: Update): string {
  return Object.keys(update).find((k) => k !== "update_id") ?? "";
}

const BOT_COMMAND = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?/;

// ─── The server ──────────────────────────────────────────────────────────────

interface Membership {
  status: MemberStatus;
  rights?: AdminRights;
}

type TopicState = "open" | "closed" | "deleted";

interface ChatState {
  chat: Chat;
  nextMessageId: number;
  /** messages the bot sent, by id */
  messages: Map<number, RecordedMessage>;
  /** ids of messages injected as sent by users */
  userMessages: Set<number>;
  /** the bot's membership as set by botMembership; undefined: never set */
  bot: Membership | undefined;
  /** what getChatMember answers, by user id */
  members: Map<number, Membership>;
  /** users who wrote here (a private chat: the user started the bot) */
  writers: Set<number>;
  /** forum topics by message_thread_id */
  topics: Map<number, TopicState>;
}

interface Poller {
  wake(): void;
  /** answered 409 because a newer getUpdates took over */
  conflict: boolean;
}

type Handler = (body: Body, res: ServerResponse) => unknown;

class FakeTelegramServer {
  private readonly now: () => number;
  private readonly flood: FloodControl;
  private readonly chats = new Map<number, ChatState>();
  private readonly sentOrder: RecordedMessage[] = [];
  private readonly faults = new Map<number, ChatFault>();
  private readonly failures: Array<{ method: string; failure: InjectedFailure }> = [];
  private readonly delays: Array<{ method: string; ms: number; left: number | null }> = [];
  private readonly callLog: RecordedCall[] = [];
  private readonly tokenSet = new Set<string>();
  private readonly commands = new Map<string, CommandMenu>();
  private readonly webhooks: Array<Record<string, unknown>> = [];
  /** setMyDescription / setMyShortDescription / setMyName texts, by kind and language ("" = all languages) */
  private readonly profile = { description: new Map<string, string>(), short: new Map<string, string>(), name: new Map<string, string>() };
  /** users seen in updates, for getChatMember's user objects */
  private readonly users = new Map<number, FakeUser>();
  private readonly requireStarted: boolean;
  private readonly callbackQueries = new Map<string, { answered: boolean }>();
  private readonly callbackIdByUpdate = new Map<number, string>();
  private queue: Update[] = [];
  private nextUpdateId = 1;
  /** every update_id below this was confirmed by a getUpdates offset */
  private confirmedBelow = 1;
  private allowedUpdates: string[] = [];
  private poller: Poller | undefined;
  private nextCallbackId = 1;
  private closing = false;
  readonly stats: FakeTelegramStats = {
    sent: 0,
    edits: 0,
    errors400: 0,
    errors403: 0,
    errors429: 0,
    errorsOther: 0,
    byMethod: {},
  };
  private readonly handlers: Record<string, Handler>;
  /** setChatMenuButton, by chat id (0: the default for every private chat) */
  private readonly menuButtons = new Map<number, Record<string, unknown>>();
  private readonly handlerByLowerName = new Map<string, string>();
  private unreachable = false;
  private readonly sockets = new Set<Socket>();
  readonly server = createServer((req, res) => {
    if (this.unreachable) {
      req.socket.destroy();
      return;
    }
    this.handle(req, res).catch((err: unknown) => {
      this.stats.errorsOther++;
      this.respond(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
    });
  });

  constructor(opts: FakeTelegramOptions) {
    this.server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
    this.now = opts.now ?? Date.now;
    this.requireStarted = opts.requireStartedPrivateChats ?? false;
    this.flood = new FloodControl({
      globalPerSecond: opts.globalPerSecond ?? 30,
      perChatBurst: opts.perChatBurst ?? 5,
      perChatPerSecond: opts.perChatPerSecond ?? 1,
      groupPerMinute: opts.groupPerMinute ?? 20,
    });
    this.handlers = {
      getMe: () => FAKE_BOT,
      getUpdates: (body, res) => this.getUpdates(body, res),
      setWebhook: (body) => {
        this.webhooks.push({ ...body });
        return true;
      },
      deleteWebhook: (body) => {
        if (body.drop_pending_updates === true || body.drop_pending_updates === "true") this.confirmAll();
        return true;
      },
      setMyCommands: (body) => {
        const key = commandsKey(body.scope, body.language_code);
        const scope = scopeOf(body.scope);
        const scopeChat = intField(scope.chat_id);
        if (scope.type === "chat" && scopeChat !== undefined && scopeChat > 0) this.checkStarted(scopeChat);
        const commands = validateCommands(body.commands);
        // Setting an empty list is how deleteMyCommands used to be spelled.
        if (commands.length === 0) this.commands.delete(key);
        else this.commands.set(key, { scope: scopeOf(body.scope), languageCode: languageOf(body.language_code), commands });
        return true;
      },
      setChatMenuButton: (body) => {
        const chatId = intField(body.chat_id);
        const button = body.menu_button === undefined ? { type: "default" } : jsonField(body.menu_button, "menu button");
        const b = (button ?? {}) as Record<string, unknown>;
        if (!["default", "commands", "web_app"].includes(String(b.type))) throw bad("can't parse menu button JSON object");
        if (b.type === "web_app" && (typeof b.text !== "string" || b.text === "" || !isWebAppInfo(b.web_app)))
          throw bad("BUTTON_URL_INVALID");
        if (chatId !== undefined) this.checkStarted(chatId);
        this.menuButtons.set(chatId ?? 0, b);
        return true;
      },
      getChatMenuButton: (body) => this.menuButtons.get(intField(body.chat_id) ?? 0) ?? this.menuButtons.get(0) ?? { type: "commands" },
      getMyCommands: (body) => this.commands.get(commandsKey(body.scope, body.language_code))?.commands ?? [],
      deleteMyCommands: (body) => {
        this.commands.delete(commandsKey(body.scope, body.language_code));
        return true;
      },
      sendMessage: (body) => this.sendMessage(body),
      editMessageText: (body) => this.editMessage(body, true),
      editMessageReplyMarkup: (body) => this.editMessage(body, false),
      answerCallbackQuery: (body) => this.answerCallbackQuery(body),
      deleteMessage: (body) => this.deleteMessage(body),
      sendChatAction: (body) => {
        this.checkThread(this.checkChat(chatIdOf(body)), body);
        if (typeof body.action !== "string" || body.action === "") throw bad("wrong parameter action in request");
        return true;
      },
      setMyDescription: (body) => this.setProfile("description", body.language_code, profileText(body.description, 512, "description")),
      getMyDescription: (body) => ({ description: this.profileFor("description", body.language_code) }),
      setMyShortDescription: (body) =>
        this.setProfile("short", body.language_code, profileText(body.short_description, 120, "short description")),
      getMyShortDescription: (body) => ({ short_description: this.profileFor("short", body.language_code) }),
      setMyName: (body) => this.setProfile("name", body.language_code, profileText(body.name, 64, "name")),
      getMyName: (body) => ({ name: this.profileFor("name", body.language_code) ?? FAKE_BOT.first_name }),
      getChat: (body) => {
        const state = this.checkMembership(chatIdOf(body));
        return { ...state.chat, accent_color_id: 0, max_reaction_count: 11 };
      },
      getChatMember: (body) => this.getChatMember(body),
      getChatAdministrators: (body) => this.getChatAdministrators(body),
      getChatMemberCount: (body) => {
        const state = this.checkMembership(chatIdOf(body));
        return Math.max(1, [...state.members.values()].filter((m) => isMemberStatus(m.status)).length + 1);
      },
      leaveChat: (body) => {
        const state = this.checkMembership(chatIdOf(body));
        if (state.chat.type === "private") throw bad("chat member status can't be changed in private chats");
        this.changeBotMembership(state, FAKE_BOT, { status: "left" });
        return true;
      },
      close: () => true,
      logOut: () => true,
    };
    // Telegram matches method names case-insensitively.
    for (const name of Object.keys(this.handlers)) this.handlerByLowerName.set(name.toLowerCase(), name);
  }

  // ── HTTP ──

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) {
      this.fail(res, new ApiError(404, "Not Found"));
      return;
    }
    const token = decodeURIComponent(match[1]!);
    this.tokenSet.add(token);
    const method = this.handlerByLowerName.get(match[2]!.toLowerCase()) ?? match[2]!;
    this.stats.byMethod[method] = (this.stats.byMethod[method] ?? 0) + 1;

    let body: Body;
    try {
      body = await readBody(req, url);
    } catch (err) {
      this.fail(res, err instanceof ApiError ? err : bad(String(err)));
      return;
    }
    this.callLog.push({ method, body, token, at: this.now() });

    const handler = this.handlerByLowerName.has(method.toLowerCase()) ? this.handlers[method] : undefined;
    if (!handler) {
      this.fail(res, new ApiError(404, "Not Found: method not found"));
      return;
    }
    const injected = this.takeFailure(method);
    if (injected === "network") {
      res.socket?.destroy();
      return;
    }
    if (injected) {
      this.fail(res, new ApiError(injected.error_code, injected.description, injected.parameters));
      return;
    }
    const delay = this.takeDelay(method);
    let answer: () => void;
    try {
      const result = await handler(body, res);
      answer = () => this.respond(res, 200, { ok: true, result });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      answer = () => this.fail(res, err);
    }
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    answer();
  }

  /** The answer delay for this call of `method` (0 = none), using up one of a counted delay. */
  private takeDelay(method: string): number {
    const index = this.delays.findIndex((d) => d.method === "*" || d.method.toLowerCase() === method.toLowerCase());
    if (index < 0) return 0;
    const d = this.delays[index]!;
    if (d.left !== null && --d.left <= 0) this.delays.splice(index, 1);
    return d.ms;
  }

  private fail(res: ServerResponse, err: ApiError): void {
    if (err.code === 400) this.stats.errors400++;
    else if (err.code === 403) this.stats.errors403++;
    else if (err.code === 429) this.stats.errors429++;
    else this.stats.errorsOther++;
    this.respond(res, err.code, {
      ok: false,
      error_code: err.code,
      description: err.description,
      ...(err.parameters ? { parameters: err.parameters } : {}),
    });
  }

  private respond(res: ServerResponse, status: number, payload: unknown): void {
    if (res.destroyed || res.headersSent) return;
    const json = JSON.stringify(payload);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
    res.end(json);
  }

  private takeFailure(method: string): InjectedFailure | undefined {
    const index = this.failures.findIndex((f) => f.method === "*" || f.method.toLowerCase() === method.toLowerCase());
    if (index < 0) return undefined;
    return this.failures.splice(index, 1)[0]!.failure;
  }

  // ── chats and messages ──

  private chatState(chatId: number): ChatState {
    let state = this.chats.get(chatId);
    if (!state) {
      state = {
        chat: defaultChat(chatId),
        nextMessageId: 1,
        messages: new Map(),
        userMessages: new Set(),
        bot: undefined,
        members: new Map(),
        writers: new Set(),
        topics: new Map(),
      };
      this.chats.set(chatId, state);
    }
    return state;
  }

  /** With requireStartedPrivateChats: a user's private chat exists for the bot once they wrote in it. */
  private checkStarted(userId: number): void {
    if (!this.requireStarted || this.chats.get(userId)?.writers.has(userId)) return;
    if (this.users.has(userId)) throw new ApiError(403, "Forbidden: bot can't initiate conversation with a user");
    throw bad("chat not found");
  }

  /** A chat the bot may write to: faults (403, migration), then the bot's membership and rights. */
  private checkChat(chatId: number): ChatState {
    const state = this.checkMembership(chatId);
    const type = state.chat.type;
    if (type === "private") {
      this.checkStarted(chatId);
      return state;
    }
    const bot = this.botMembershipOf(state);
    if (type === "channel" && !(bot.status === "creator" || (bot.status === "administrator" && bot.rights?.can_post_messages !== false))) {
      throw bad("need administrator rights in the channel chat");
    }
    if (bot.status === "restricted") throw bad("not enough rights to send text messages to the chat");
    return state;
  }

  /** A chat the bot is in: faults, then 403 when it left or was removed. */
  private checkMembership(chatId: number): ChatState {
    const fault = this.faults.get(chatId);
    if (fault) throw faultError(fault);
    const state = this.chatState(chatId);
    if (state.chat.type === "private") return state;
    const { status } = this.botMembershipOf(state);
    if (status === "kicked") throw new ApiError(403, `Forbidden: bot was kicked from the ${state.chat.type} chat`);
    if (status === "left") throw new ApiError(403, `Forbidden: bot is not a member of the ${state.chat.type} chat`);
    return state;
  }

  /** The bot's membership: as set, else a member of a group (tests that never say so) and not in a channel (one must add it). */
  private botMembershipOf(state: ChatState): Membership {
    return state.bot ?? { status: state.chat.type === "channel" ? "left" : "member" };
  }

  /** A message_thread_id a send names: 400 for a topic deleted, closed, or (in a forum) never created. */
  private checkThread(state: ChatState, body: Body): number | undefined {
    const thread = intField(body.message_thread_id);
    if (thread === undefined) return undefined;
    const topic = state.topics.get(thread);
    if (topic === "deleted" || (topic === undefined && isForum(state.chat))) throw bad("message thread not found");
    if (topic === "closed") throw bad("TOPIC_CLOSED");
    return thread;
  }

  private setProfile(kind: keyof FakeTelegramServer["profile"], languageCode: unknown, text: string): true {
    const lang = languageOf(languageCode) ?? "";
    if (text === "") this.profile[kind].delete(lang);
    else this.profile[kind].set(lang, text);
    return true;
  }

  /** What a user with this language sees: their language's text, else the one for all languages. */
  private profileFor(kind: keyof FakeTelegramServer["profile"], languageCode: unknown): string | undefined {
    const lang = languageOf(languageCode) ?? "";
    return this.profile[kind].get(lang) ?? this.profile[kind].get("") ?? (kind === "name" ? undefined : "");
  }

  private memberUser(userId: number): User {
    if (userId === FAKE_BOT.id) return FAKE_BOT;
    return this.userJson(this.users.get(userId) ?? { id: userId });
  }

  private memberJson(user: User, m: Membership, chatType: string): Record<string, unknown> {
    const r = m.rights ?? {};
    switch (m.status) {
      case "creator":
        return { status: "creator", user, is_anonymous: r.is_anonymous ?? false };
      case "administrator":
        return {
          status: "administrator",
          user,
          can_be_edited: false,
          is_anonymous: r.is_anonymous ?? false,
          can_manage_chat: r.can_manage_chat ?? true,
          can_delete_messages: r.can_delete_messages ?? true,
          can_manage_video_chats: true,
          can_restrict_members: r.can_restrict_members ?? chatType !== "channel",
          can_promote_members: r.can_promote_members ?? false,
          can_change_info: r.can_change_info ?? true,
          can_invite_users: r.can_invite_users ?? true,
          can_post_stories: false,
          can_edit_stories: false,
          can_delete_stories: false,
          ...(chatType === "channel"
            ? { can_post_messages: r.can_post_messages ?? true, can_edit_messages: r.can_edit_messages ?? true }
            : { can_pin_messages: r.can_pin_messages ?? true }),
          ...(chatType === "supergroup" ? { can_manage_topics: r.can_manage_topics ?? true } : {}),
        };
      case "restricted":
        return {
          status: "restricted",
          user,
          is_member: true,
          can_send_messages: false,
          can_send_audios: false,
          can_send_documents: false,
          can_send_photos: false,
          can_send_videos: false,
          can_send_video_notes: false,
          can_send_voice_notes: false,
          can_send_polls: false,
          can_send_other_messages: false,
          can_add_web_page_previews: false,
          can_change_info: false,
          can_invite_users: false,
          can_pin_messages: false,
          can_manage_topics: false,
          until_date: 0,
        };
      case "kicked":
        return { status: "kicked", user, until_date: 0 };
      default:
        return { status: m.status, user };
    }
  }

  private getChatMember(body: Body): Record<string, unknown> {
    const state = this.checkMembership(chatIdOf(body));
    const userId = intField(body.user_id);
    if (userId === undefined) throw bad("invalid user_id specified");
    const user = this.memberUser(userId);
    if (userId === FAKE_BOT.id)
      return this.memberJson(user, state.chat.type === "private" ? { status: "member" } : this.botMembershipOf(state), state.chat.type);
    if (state.chat.type === "private") {
      if (userId !== state.chat.id) throw bad("user not found");
      return this.memberJson(user, { status: "member" }, "private");
    }
    const set = state.members.get(userId);
    const m = set ?? { status: state.writers.has(userId) ? "member" : "left" };
    return this.memberJson(user, m, state.chat.type);
  }

  private getChatAdministrators(body: Body): Record<string, unknown>[] {
    const state = this.checkMembership(chatIdOf(body));
    if (state.chat.type === "private") throw bad("there are no administrators in the private chat");
    const admins = [...state.members.entries()]
      .filter(([, m]) => m.status === "creator" || m.status === "administrator")
      .map(([id, m]) => this.memberJson(this.memberUser(id), m, state.chat.type));
    const bot = this.botMembershipOf(state);
    if (bot.status === "administrator") admins.push(this.memberJson(FAKE_BOT, bot, state.chat.type));
    return admins;
  }

  /** The bot's status changes (by a user, or by itself leaving): Telegram tells it with a my_chat_member update. */
  private changeBotMembership(state: ChatState, by: User, next: Membership): number {
    const before = state.bot ?? { status: "left" as const };
    state.bot = next;
    return this.enqueue(
      (update_id) =>
        ({
          update_id,
          my_chat_member: {
            chat: state.chat,
            from: by,
            date: Math.floor(this.now() / 1000),
            old_chat_member: this.memberJson(FAKE_BOT, before, state.chat.type),
            new_chat_member: this.memberJson(FAKE_BOT, next, state.chat.type),
          },
        }) as unknown as Update,
    );
  }

  private sendMessage(body: Body): Message {
    const chatId = chatIdOf(body);
    const state = this.checkChat(chatId);
    const threadId = this.checkThread(state, body);
    const content = parseContent(body);
    const replyMarkup = parseReplyMarkup(body.reply_markup);
    checkWebAppButtons(state.chat, replyMarkup);
    const linkPreview = parseLinkPreview(body);
    const replyTo = this.replyTarget(body, state);

    const retryAfter = this.flood.admit(chatId, this.now());
    if (retryAfter !== null) {
      throw new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
    }

    const message: RecordedMessage = {
      chatId,
      messageId: state.nextMessageId++,
      ...content,
      replyMarkup,
      linkPreview,
      disableNotification: body.disable_notification === true || body.disable_notification === "true",
      replyTo,
      threadId,
      at: this.now(),
      editedAt: undefined,
      edits: 0,
      deleted: false,
    };
    state.messages.set(message.messageId, message);
    this.sentOrder.push(message);
    this.stats.sent++;
    return this.messageJson(message);
  }

  private replyTarget(body: Body, state: ChatState): number | undefined {
    const params = jsonField(body.reply_parameters, "reply parameters") as Record<string, unknown> | undefined;
    const id = intField(params?.message_id ?? body.reply_to_message_id);
    if (id === undefined) return undefined;
    const exists = state.userMessages.has(id) || (state.messages.has(id) && !state.messages.get(id)!.deleted);
    if (exists) return id;
    const allow = params?.allow_sending_without_reply ?? body.allow_sending_without_reply;
    if (allow === true || allow === "true") return undefined;
    throw bad("message to be replied not found");
  }

  private findEditable(body: Body): RecordedMessage {
    if (body.inline_message_id !== undefined) throw bad("inline messages are not supported by the fake Bot API");
    const state = this.checkChat(chatIdOf(body));
    const messageId = messageIdOf(body);
    if (state.userMessages.has(messageId)) throw bad("message can't be edited");
    const message = state.messages.get(messageId);
    if (!message || message.deleted) throw bad("message to edit not found");
    return message;
  }

  /**
   * editMessageText (withText) or editMessageReplyMarkup. Like Telegram, an
   * edit without reply_markup removes the inline keyboard.
   */
  private editMessage(body: Body, withText: boolean): Message {
    const message = this.findEditable(body);
    const content = withText ? parseContent(body) : undefined;
    const replyMarkup = parseReplyMarkup(body.reply_markup);
    const sameContent =
      !content || (content.visibleText === message.visibleText && JSON.stringify(content.entities) === JSON.stringify(message.entities));
    if (sameContent && JSON.stringify(replyMarkup) === JSON.stringify(message.replyMarkup)) throw bad(NOT_MODIFIED);

    if (content) {
      Object.assign(message, content);
      const linkPreview = parseLinkPreview(body);
      if (linkPreview) message.linkPreview = linkPreview;
    }
    message.replyMarkup = replyMarkup;
    message.editedAt = this.now();
    message.edits++;
    this.stats.edits++;
    return this.messageJson(message);
  }

  private deleteMessage(body: Body): true {
    const state = this.checkChat(chatIdOf(body));
    const messageId = messageIdOf(body);
    if (state.userMessages.delete(messageId)) return true;
    const message = state.messages.get(messageId);
    if (!message || message.deleted) throw bad("message to delete not found");
    message.deleted = true;
    return true;
  }

  private answerCallbackQuery(body: Body): true {
    const id = typeof body.callback_query_id === "string" ? body.callback_query_id : String(body.callback_query_id ?? "");
    const query = this.callbackQueries.get(id);
    if (!query || query.answered) throw bad("query is too old and response timeout expired or query ID is invalid");
    if (typeof body.text === "string" && body.text.length > 200) throw bad("MESSAGE_TOO_LONG");
    query.answered = true;
    return true;
  }

  private messageJson(m: RecordedMessage): Message {
    const chat = this.chatState(m.chatId).chat;
    const json: Record<string, unknown> = {
      message_id: m.messageId,
      // A channel's posts are signed by the channel, not the bot.
      ...(chat.type === "channel" ? { sender_chat: chat } : { from: FAKE_BOT }),
      chat,
      date: Math.floor(m.at / 1000),
      text: m.visibleText,
    };
    if (m.threadId !== undefined) {
      json.message_thread_id = m.threadId;
      if (isForum(chat)) json.is_topic_message = true;
    }
    if (m.editedAt !== undefined) json.edit_date = Math.floor(m.editedAt / 1000);
    if (m.entities.length > 0) json.entities = m.entities;
    // Telegram echoes only inline keyboards; reply keyboards live on the client.
    if (m.replyMarkup && "inline_keyboard" in m.replyMarkup) json.reply_markup = m.replyMarkup;
    if (m.linkPreview) json.link_preview_options = m.linkPreview;
    return json as unknown as Message;
  }

  // ── updates ──

  private async getUpdates(body: Body, res: ServerResponse): Promise<Update[]> {
    const offset = intField(body.offset);
    const limit = Math.min(100, Math.max(1, intField(body.limit) ?? 100));
    const timeoutS = Math.max(0, intField(body.timeout) ?? 0);
    if (body.allowed_updates !== undefined) {
      const allowed = jsonField(body.allowed_updates, "allowed updates");
      if (Array.isArray(allowed)) this.allowedUpdates = allowed.map(String);
    }
    if (offset !== undefined && offset > 0) this.confirmBelow(offset);
    // A negative offset keeps only the last -offset updates and forgets the rest.
    if (offset !== undefined && offset < 0 && this.queue.length > -offset) {
      this.confirmBelow(this.queue.at(offset)!.update_id);
    }

    // Telegram lets one getUpdates run at a time: the older one is terminated.
    if (this.poller) {
      this.poller.conflict = true;
      this.poller.wake();
    }

    const deadline = Date.now() + timeoutS * 1000;
    for (;;) {
      const ready = this.deliverable().slice(0, limit);
      if (ready.length > 0 || Date.now() >= deadline || this.closing || res.destroyed) return ready;
      const poller: Poller = { wake: () => {}, conflict: false };
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          res.off("close", done);
          resolve();
        };
        const timer = setTimeout(done, deadline - Date.now());
        // The client gave up (grammY aborts the poll on bot.stop()).
        res.once("close", done);
        poller.wake = done;
        this.poller = poller;
      });
      if (this.poller === poller) this.poller = undefined;
      if (poller.conflict) {
        throw new ApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
      }
    }
  }

  private deliverable(): Update[] {
    const allowed = this.allowedUpdates;
    return this.queue.filter((u) => {
      const type = updateType(u);
      return allowed.length === 0 ? !UPDATE_TYPES_OFF_BY_DEFAULT.has(type) : allowed.includes(type);
    });
  }

  private confirmBelow(updateId: number): void {
    this.queue = this.queue.filter((u) => u.update_id >= updateId);
    this.confirmedBelow = Math.max(this.confirmedBelow, updateId);
  }

  private confirmAll(): void {
    this.confirmBelow(this.nextUpdateId);
  }

  private enqueue(build: (updateId: number) => Update): number {
    const updateId = this.nextUpdateId++;
    this.queue.push(build(updateId));
    this.poller?.wake();
    return updateId;
  }

  private userJson(from: FakeUser): User {
    return {
      id: from.id,
      is_bot: false,
      first_name: from.first_name ?? `User${from.id}`,
      ...(from.last_name ? { last_name: from.last_name } : {}),
      ...(from.username ? { username: from.username } : {}),
      ...(from.language_code ? { language_code: from.language_code } : {}),
    };
  }

  /**
   * Registers a group, supergroup or channel (what is not said is kept from
   * before), so updates and the bot's messages carry the same chat object.
   */
  private registerChat(chat: FakeChat): ChatState {
    const state = this.chatState(chat.id);
    const before = state.chat as Chat & { title?: string; username?: string; is_forum?: boolean };
    const type = chat.type ?? before.type;
    if (type === "private") throw new Error(`fake Telegram: chat ${chat.id} is a private chat`);
    if (chat.is_forum && type !== "supergroup")
      throw new Error(`fake Telegram: only a supergroup can be a forum (chat ${chat.id} is a ${type})`);
    const username = chat.username ?? before.username;
    const forum = chat.is_forum ?? before.is_forum;
    state.chat = {
      id: chat.id,
      type,
      title: chat.title ?? before.title ?? (type === "channel" ? "Test channel" : "Test group"),
      ...(username ? { username } : {}),
      ...(forum ? { is_forum: true } : {}),
    } as Chat;
    return state;
  }

  /** Registers the chat a user writes in, so the bot's replies carry the same chat object. */
  private userChat(from: FakeUser, chat: FakeChat | undefined): ChatState {
    this.users.set(from.id, from);
    if (!chat || chat.type === "private" || (chat.type === undefined && chat.id > 0)) {
      const state = this.chatState(chat?.id ?? from.id);
      state.chat = {
        id: state.chat.id,
        type: "private",
        first_name: from.first_name ?? `User${from.id}`,
        ...(from.username ? { username: from.username } : {}),
      } as Chat;
      state.writers.add(from.id);
      return state;
    }
    const state = this.registerChat(chat);
    if (state.chat.type === "channel") throw new Error(`fake Telegram: users do not write in channel ${chat.id}; use channelPost`);
    this.assertBotIn(state);
    state.writers.add(from.id);
    return state;
  }

  /** Telegram would not deliver it: a test that injects there has a mistake in it. */
  private assertBotIn(state: ChatState): void {
    const { status } = this.botMembershipOf(state);
    if (status === "left" || status === "kicked") {
      throw new Error(`fake Telegram: the bot is not in chat ${state.chat.id} (${status}); Telegram would not deliver this update`);
    }
  }

  private injectText(
    from: FakeUser,
    text: string,
    chat: FakeChat | undefined,
    replyTo?: RecordedMessage,
    options: MessageOptions = {},
  ): number {
    const state = this.userChat(from, chat);
    const topic = options.topic;
    if (topic !== undefined) this.openTopic(state, topic);
    const messageId = state.nextMessageId++;
    state.userMessages.add(messageId);
    const command = BOT_COMMAND.exec(text);
    const user = this.userJson(from);
    const date = Math.floor(this.now() / 1000);
    const message: Record<string, unknown> = { message_id: messageId, from: user, chat: state.chat, date, text };
    if (topic !== undefined) {
      message.message_thread_id = topic;
      message.is_topic_message = true;
    }
    if (command) message.entities = [{ type: "bot_command", offset: 0, length: command[0].length }];
    if (replyTo) message.reply_to_message = this.messageJson(replyTo);
    else if (topic !== undefined) {
      // As Telegram does: a message in a topic that replies to nothing "replies" to the topic's creation.
      message.reply_to_message = {
        message_id: topic,
        from: user,
        chat: state.chat,
        date,
        message_thread_id: topic,
        is_topic_message: true,
        forum_topic_created: { name: `Topic ${topic}`, icon_color: 7322096 },
      };
    }
    return this.enqueue((update_id) => ({ update_id, message: message as unknown as Update["message"] }) as Update);
  }

  /** A topic users write in exists (created by its first message, whose id is the thread id). */
  private openTopic(state: ChatState, topic: number): void {
    if (!isForum(state.chat)) throw new Error(`fake Telegram: chat ${state.chat.id} is not a forum (register it with is_forum: true)`);
    if (!Number.isInteger(topic) || topic < 2)
      throw new Error(`fake Telegram: topic ids are message ids ≥ 2 (1 is the General topic), not ${topic}`);
    const now = state.topics.get(topic);
    if (now === "deleted") throw new Error(`fake Telegram: topic ${topic} of chat ${state.chat.id} was deleted`);
    if (now === undefined) {
      state.topics.set(topic, "open");
      state.userMessages.add(topic);
      state.nextMessageId = Math.max(state.nextMessageId, topic + 1);
    }
  }

  private topicOf(chatId: number, threadId: number): ChatState {
    const state = this.chatState(chatId);
    if (!isForum(state.chat)) throw new Error(`fake Telegram: chat ${chatId} is not a forum`);
    if (!state.topics.has(threadId)) this.openTopic(state, threadId);
    return state;
  }

  // ── the FakeTelegram interface ──

  /** The object tests hold: the server's controls and records. */
  facade(apiRoot: string): FakeTelegram {
    return {
      apiRoot,
      tokens: () => [...this.tokenSet],
      close: () => this.close(),
      webhookCalls: () => this.webhooks.map((w) => ({ ...w })),

      blockUser: (chatId) => void this.faults.set(chatId, { kind: "blocked" }),
      deactivate: (chatId) => void this.faults.set(chatId, { kind: "deactivated" }),
      chatNotFound: (chatId) => void this.faults.set(chatId, { kind: "not-found" }),
      migrateChat: (oldId, newId) => {
        this.faults.set(oldId, { kind: "migrated", to: newId });
        const state = this.chatState(newId);
        state.chat = {
          id: newId,
          type: "supergroup",
          title: (this.chats.get(oldId)?.chat as { title?: string })?.title ?? "Test group",
        } as Chat;
      },
      clearFault: (chatId) => void this.faults.delete(chatId),
      deleteTopic: (chatId, threadId) => {
        const state = this.topicOf(chatId, threadId);
        state.topics.set(threadId, "deleted");
        for (const m of state.messages.values()) if (m.threadId === threadId) m.deleted = true;
      },
      closeTopic: (chatId, threadId) => {
        const state = this.topicOf(chatId, threadId);
        if (state.topics.get(threadId) === "deleted") throw new Error(`fake Telegram: topic ${threadId} of chat ${chatId} was deleted`);
        state.topics.set(threadId, "closed");
      },
      reopenTopic: (chatId, threadId) => {
        const state = this.topicOf(chatId, threadId);
        if (state.topics.get(threadId) === "deleted") throw new Error(`fake Telegram: topic ${threadId} of chat ${chatId} was deleted`);
        state.topics.set(threadId, "open");
      },

      setMemberStatus: (chatId, user, status, rights) => {
        const state = this.chatState(chatId);
        if (state.chat.type === "private") throw new Error(`fake Telegram: chat ${chatId} is a private chat`);
        if (typeof user !== "number") this.users.set(user.id, user);
        state.members.set(typeof user === "number" ? user : user.id, { status, ...(rights ? { rights } : {}) });
      },
      memberLookups: (chatId, userId) =>
        this.callLog.filter(
          (c) =>
            c.method === "getChatMember" &&
            (chatId === undefined || intField(c.body.chat_id) === chatId) &&
            (userId === undefined || intField(c.body.user_id) === userId),
        ).length,
      botStatus: (chatId) => {
        const state = this.chatState(chatId);
        return state.chat.type === "private" ? "member" : this.botMembershipOf(state).status;
      },
      failNext: (method, n, failure) => {
        for (let k = 0; k < n; k++) this.failures.push({ method, failure });
      },
      setUnreachable: (on) => {
        this.unreachable = on;
        if (on) for (const socket of this.sockets) socket.destroy();
      },
      delayAnswers: (method, ms, count) => {
        const same = (d: { method: string }) => d.method.toLowerCase() === method.toLowerCase();
        if (count === undefined)
          for (let i = this.delays.length - 1; i >= 0; i--)
            if (same(this.delays[i]!) && this.delays[i]!.left === null) this.delays.splice(i, 1);
        if (ms > 0 && (count === undefined || count > 0)) this.delays.push({ method, ms, left: count ?? null });
      },

      sendText: (from, text, chat, options) => this.injectText(from, text, chat, undefined, options),
      replyTo: (from, message, text) => {
        const chat = this.chatState(message.chatId).chat;
        return this.injectText(
          from,
          text,
          { id: message.chatId, type: chat.type as FakeChatType },
          message,
          isForum(chat) && message.threadId !== undefined ? { topic: message.threadId } : {},
        );
      },
      channelPost: (chat, text, options = {}) => {
        const state = this.registerChat({ ...chat, type: chat.type ?? "channel" });
        if (state.chat.type !== "channel") throw new Error(`fake Telegram: chat ${chat.id} is a ${state.chat.type}, not a channel`);
        this.assertBotIn(state);
        const messageId = state.nextMessageId++;
        state.userMessages.add(messageId);
        const command = BOT_COMMAND.exec(text);
        const post: Record<string, unknown> = {
          message_id: messageId,
          sender_chat: state.chat,
          chat: state.chat,
          date: Math.floor(this.now() / 1000),
          text,
          ...(options.authorSignature ? { author_signature: options.authorSignature } : {}),
        };
        if (command) post.entities = [{ type: "bot_command", offset: 0, length: command[0].length }];
        return this.enqueue((update_id) => ({ update_id, channel_post: post }) as unknown as Update);
      },
      botMembership: (chat, by, status, rights) => {
        if (chat.type === "private" || (chat.type === undefined && chat.id > 0)) {
          throw new Error("fake Telegram: the bot's membership of a private chat does not change (use blockUser)");
        }
        const state = this.registerChat(chat);
        this.users.set(by.id, by);
        if (state.chat.type === "channel" && (status === "member" || status === "restricted")) {
          throw new Error(`fake Telegram: a bot in a channel is an administrator or nothing (not ${status})`);
        }
        return this.changeBotMembership(state, this.userJson(by), { status, ...(rights ? { rights } : {}) });
      },
      pressButton: (from, message, callbackData) => {
        const available = inlineButtons(message).flatMap((b) => ("callback_data" in b ? [b.callback_data] : []));
        if (message.deleted) throw new Error(`pressButton: message ${message.messageId} in chat ${message.chatId} was deleted`);
        if (!available.includes(callbackData)) {
          throw new Error(
            `pressButton: message ${message.messageId} in chat ${message.chatId} has no button with callback_data ${JSON.stringify(callbackData)} (it has ${JSON.stringify(available)})`,
          );
        }
        this.users.set(from.id, from);
        const id = String(4_000_000_000_000 + this.nextCallbackId++);
        this.callbackQueries.set(id, { answered: false });
        const updateId = this.enqueue(
          (update_id) =>
            ({
              update_id,
              callback_query: {
                id,
                from: this.userJson(from),
                message: this.messageJson(message),
                chat_instance: String(-message.chatId * 7 + 1),
                data: callbackData,
              },
            }) as unknown as Update,
        );
        this.callbackIdByUpdate.set(updateId, id);
        return updateId;
      },
      callbackQueryId: (updateId) => {
        const id = this.callbackIdByUpdate.get(updateId);
        if (id === undefined) throw new Error(`update ${updateId} is not a button press`);
        return id;
      },
      waitForConfirmed: (updateId, timeoutMs = 5000) => {
        const target = updateId ?? this.nextUpdateId - 1;
        return poll(
          () => (this.confirmedBelow > target ? true : undefined),
          timeoutMs,
          () => `update ${target} was not confirmed by getUpdates (confirmed below ${this.confirmedBelow})`,
        ).then(() => undefined);
      },
      pendingUpdates: () => [...this.queue],

      messagesTo: (chatId, threadId) =>
        this.sentOrder.filter((m) => m.chatId === chatId && (threadId === undefined || m.threadId === threadId)),
      allMessages: () => [...this.sentOrder],
      waitFor: (predicate, timeoutMs = 5000) =>
        poll(
          () => this.sentOrder.find(predicate),
          timeoutMs,
          () => `no sent message matched; ${this.sentOrder.length} recorded:\n${summarize(this.sentOrder)}`,
        ),
      calls: (method) => this.callLog.filter((c) => c.method.toLowerCase() === method.toLowerCase()).map((c) => c.body),
      allCalls: () => [...this.callLog],
      waitForCall: (method, predicate = () => true, timeoutMs = 5000) =>
        poll(
          () => this.callLog.find((c) => c.method.toLowerCase() === method.toLowerCase() && predicate(c.body))?.body,
          timeoutMs,
          () => `no ${method} call matched; calls so far: ${this.callLog.map((c) => c.method).join(", ") || "none"}`,
        ),
      myCommands: (scope, languageCode) => this.commands.get(commandsKey(scope, languageCode))?.commands ?? [],
      commandMenus: () => [...this.commands.values()],
      myDescription: (languageCode) => this.profile.description.get(languageCode ?? ""),
      menuButton: (chatId) => this.menuButtons.get(chatId ?? 0),
      myShortDescription: (languageCode) => this.profile.short.get(languageCode ?? ""),
      myName: (languageCode) => this.profile.name.get(languageCode ?? ""),
      // a live object: it keeps counting after it is read
      stats: this.stats,
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    this.poller?.wake();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

function isForum(chat: Chat): boolean {
  return (chat as { is_forum?: boolean }).is_forum === true;
}

function isMemberStatus(status: MemberStatus): boolean {
  return status === "creator" || status === "administrator" || status === "member" || status === "restricted";
}

function defaultChat(chatId: number): Chat {
  if (chatId > 0) return { id: chatId, type: "private", first_name: `User${chatId}` } as Chat;
  // Supergroup and channel ids are -100…: below -10^12.
  if (chatId <= -1_000_000_000_000) return { id: chatId, type: "supergroup", title: "Test supergroup" } as Chat;
  return { id: chatId, type: "group", title: "Test group" } as Chat;
}

async function readBody(req: IncomingMessage, url: URL): Promise<Body> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  const body: Body = Object.fromEntries(url.searchParams);
  if (type.startsWith("multipart/")) {
    throw bad("multipart/form-data (file uploads) is not supported by the fake Bot API");
  }
  if (raw.trim() === "") return body;
  if (type.startsWith("application/x-www-form-urlencoded")) {
    return { ...body, ...Object.fromEntries(new URLSearchParams(raw)) };
  }
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    return { ...body, ...(parsed as Body) };
  } catch {
    throw bad("can't parse JSON request body");
  }
}

/** Polls `probe` every 20 ms until it returns a value, or rejects after timeoutMs. */
function poll<T>(probe: () => T | undefined, timeoutMs: number, why: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = () => {
      const found = probe();
      if (found !== undefined) resolve(found);
      else if (Date.now() >= deadline) reject(new Error(`fake Telegram: timed out after ${timeoutMs} ms: ${why()}`));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

function summarize(messages: RecordedMessage[]): string {
  return messages
    .slice(-10)
    .map((m) => `  chat ${m.chatId} #${m.messageId}${m.deleted ? " (deleted)" : ""}: ${JSON.stringify(m.visibleText.slice(0, 80))}`)
    .join("\n");
}

/** Starts the fake Bot API on 127.0.0.1 with a free port. */
export async function startFakeTelegram(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const fake = new FakeTelegramServer(opts);
  await new Promise<void>((resolve, reject) => {
    fake.server.once("error", reject);
    fake.server.listen(0, "127.0.0.1", () => {
      fake.server.off("error", reject);
      resolve();
    });
  });
  const { port } = fake.server.address() as AddressInfo;
  return fake.facade(`http://127.0.0.1:${port}`);
}
