import { Composer, type Context, GrammyError } from "grammy";
import type { CommandDeps, BotContext } from "../src/bot/context.js";
import { clip } from "../src/bot/text.js";
import { parseClock } from "../src/prefs/schedule.js";
import type { Settings, SettingsResult } from "../src/prefs/settings.js";
import {
  describeMode,
  describeQuiet,
  describeZone,
  isChange,
  parseCallback,
  renderScreen,
  resolveLang,
  resolveRule,
  resolveSource,
  resolveZone,
  type Screen,
  type SettingsAction,
  screenAfter,
  type ViewInput,
} from "../src/prefs/settings-view.js";
import type { ChatPrefs, QuietHours } from "../src/prefs/types.js";

export type SettingsDeps = Pick<CommandDeps, "logger">;

export const NOT_SUBSCRIBED = "Send /start first to subscribe, then /settings.";
export const ONLY_GROUP_ADMINS = "Only this group's admins can change its settings.";
export const MENU_OUT_OF_DATE = "This menu is out of date — send /settings again.";
const CHECK_FAILED = "Could not check who may change this group's settings — please try again.";
const FAILED = "Something went wrong — please try again.";
export const SETTINGS_USAGE =
  "Usage: /settings opens the menu; or /settings zone Area/City, /settings time HH:MM (a daily digest), " +
  "/settings quiet HH:MM-HH:MM, /settings quiet off.";

const HTML = { parse_mode: "HTML", link_preview_options: { is_disabled: true } } as const;

/**
 * Whether the sender may change this chat's settings: anyone in a private
 * chat, a channel's posters (only its admins can post), a group's creator and
 * administrators (an anonymous admin posts as the group itself). "unknown"
 * when Telegram could not be asked.
 */
export async function canChangeSettings(ctx: Context): Promise<boolean | "unknown"> {
  const chat = ctx.chat;
  if (!chat) return false;
  if (chat.type === "private" || chat.type === "channel") return true;
  if (ctx.message?.sender_chat?.id === chat.id) return true;
  if (!ctx.from) return false;
  try {
    const member = await ctx.getChatMember(ctx.from.id);
    return member.status === "creator" || member.status === "administrator";
  } catch {
    return "unknown";
  }
}

/** Replies with the refusal and returns false when the sender may not change settings here. */
export async function mayChangeOrReply(ctx: Context): Promise<boolean> {
  const may = await canChangeSettings(ctx);
  if (may === true) return true;
  await ctx.reply(may === false ? ONLY_GROUP_ADMINS : CHECK_FAILED);
  return false;
}

/** The settings screens of a chat. */
export function viewOf(settings: Settings, prefs: ChatPrefs): ViewInput {
  return { prefs, sources: settings.sources(), defaultTimezone: settings.defaultTimezone };
}

function screenOptions(screen: Screen) {
  return { ...HTML, reply_markup: screen.reply_markup };
}

/** What pressing a button did. */
type Outcome =
  | { kind: "done"; prefs: ChatPrefs; changed: boolean }
  | { kind: "not-subscribed" }
  | { kind: "stale" }
  | { kind: "refused"; message: string };

function outcomeOf(r: SettingsResult): Outcome {
  if (r.ok) return { kind: "done", prefs: r.prefs, changed: r.changed };
  switch (r.reason) {
    case "not-subscribed":
      return { kind: "not-subscribed" };
    case "unknown":
      return { kind: "stale" };
    case "invalid":
    case "limit":
      return { kind: "refused", message: r.message };
  }
}

async function current(settings: Settings, chatId: number): Promise<Outcome> {
  const prefs = await settings.get(chatId);
  return prefs ? { kind: "done", prefs, changed: false } : { kind: "not-subscribed" };
}

/** Carries out a parsed button press; the ids in it are looked up among what is offered now. */
async function apply(settings: Settings, chatId: number, a: SettingsAction): Promise<Outcome> {
  switch (a.kind) {
    case "show":
      return current(settings, chatId);
    case "source": {
      const id = resolveSource(a.token, settings.sources());
      return id === null ? { kind: "stale" } : outcomeOf(await settings.setSource(chatId, id, a.on));
    }
    case "all-sources":
      return outcomeOf(await settings.setAllSources(chatId));
    case "lang": {
      const lang = resolveLang(a.token, settings.sources());
      return lang === null ? { kind: "stale" } : outcomeOf(await settings.setLang(chatId, lang, a.on));
    }
    case "all-langs":
      return outcomeOf(await settings.setAllLangs(chatId));
    case "mode":
      return outcomeOf(await settings.setMode(chatId, a.mode));
    case "zone": {
      if (a.token === null) return outcomeOf(await settings.setTimezone(chatId, null));
      const zone = resolveZone(a.token);
      return zone === null ? { kind: "stale" } : outcomeOf(await settings.setTimezone(chatId, zone));
    }
    case "quiet":
      return outcomeOf(await settings.setQuiet(chatId, a.quiet));
    case "previews":
      return outcomeOf(await settings.setPreviews(chatId, a.on));
    case "remove-rule": {
      const prefs = await settings.get(chatId);
      if (!prefs) return { kind: "not-subscribed" };
      const word = resolveRule(a.token, prefs.keywords, a.rule);
      // Gone already (the same button pressed twice): nothing to do, the screen shows what is left.
      if (word === null) return { kind: "done", prefs, changed: false };
      return outcomeOf(await settings.removeRule(chatId, a.rule, word));
    }
    case "clear-rules":
      return outcomeOf(await settings.clearRules(chatId));
  }
}

/** "HH:MM-HH:MM" (a dash, an en dash or "to", spaces allowed) → quiet hours; null when it is not. */
export function parseQuiet(s: string): QuietHours | null {
  const m = /^(\d{1,2}[:.]\d{2})\s*(?:-|–|—|to)\s*(\d{1,2}[:.]\d{2})$/i.exec(s.trim());
  if (!m) return null;
  const from = parseClock(m[1]!.replace(".", ":"));
  const to = parseClock(m[2]!.replace(".", ":"));
  return from && to ? { from, to } : null;
}

/**
 * /settings — the chat's preferences as a menu of inline buttons, one
 * message edited in place; and the typed forms for what buttons cannot offer
 * (/settings zone|time|quiet …). In groups only the chat's admins may change
 * anything; anyone may look.
 */
export function settingsCommand(deps: SettingsDeps, settings: Settings) {
  const c = new Composer<BotContext>();

  c.command("settings", async (ctx) => {
    const chatId = ctx.chat.id;
    const [verb = "", ...rest] = ctx.match.trim().split(/\s+/);
    const arg = rest.join(" ");
    const prefs = await settings.get(chatId);
    if (!prefs) {
      await ctx.reply(NOT_SUBSCRIBED);
      return;
    }
    if (verb === "") {
      const screen = renderScreen(viewOf(settings, prefs), { screen: "main" });
      await ctx.reply(screen.text, screenOptions(screen));
      return;
    }
    const what = verb.toLowerCase();
    if (!["zone", "time", "quiet"].includes(what) || !arg) {
      await ctx.reply(SETTINGS_USAGE);
      return;
    }
    if (!(await mayChangeOrReply(ctx))) return;
    const line = await typed(settings, chatId, what, arg);
    await ctx.reply(line);
  });

  c.callbackQuery(/^set:/, async (ctx) => {
    let answered = false;
    const answer = async (o?: { text: string; show_alert?: boolean }) => {
      if (answered) return;
      answered = true;
      await ctx
        .answerCallbackQuery(o)
        .catch((err: unknown) => deps.logger.warn({ err: errorText(err) }, "settings: answering a button failed"));
    };
    try {
      const action = parseCallback(ctx.callbackQuery.data);
      const chatId = ctx.chat?.id;
      if (!action || chatId === undefined) return await answer({ text: MENU_OUT_OF_DATE });
      if (isChange(action)) {
        const may = await canChangeSettings(ctx);
        if (may !== true) return await answer({ text: may === false ? ONLY_GROUP_ADMINS : CHECK_FAILED, show_alert: true });
      }
      const r = await apply(settings, chatId, action);
      switch (r.kind) {
        case "not-subscribed":
          return await answer({ text: NOT_SUBSCRIBED, show_alert: true });
        case "stale":
          return await answer({ text: MENU_OUT_OF_DATE });
        case "refused":
          return await answer({ text: clip(r.message, 190), show_alert: true });
        case "done": {
          const screen = renderScreen(viewOf(settings, r.prefs), screenAfter(action));
          await Promise.all([answer(), edit(ctx, screen, deps)]);
        }
      }
    } catch (err) {
      deps.logger.warn({ err: errorText(err) }, "settings: a button press failed");
      await answer({ text: FAILED });
    }
  });

  return c;
}

async function edit(ctx: Context, screen: Screen, deps: SettingsDeps): Promise<void> {
  try {
    await ctx.editMessageText(screen.text, screenOptions(screen));
  } catch (err) {
    // The same screen again (a repeated press): Telegram says so, and nothing is wrong.
    if (err instanceof GrammyError && /message is not modified/i.test(err.description)) return;
    deps.logger.warn({ err: errorText(err) }, "settings: editing the menu failed");
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A typed /settings zone|time|quiet: one confirmation or one error line. */
async function typed(settings: Settings, chatId: number, what: string, arg: string): Promise<string> {
  const shown = clip(arg, 64);
  const failed = (r: Exclude<SettingsResult, { ok: true }>) =>
    r.reason === "not-subscribed" ? NOT_SUBSCRIBED : r.reason === "unknown" ? MENU_OUT_OF_DATE : r.message;
  if (what === "zone") {
    const zone = /^(default|off|reset)$/i.test(arg) ? null : arg;
    const r = await settings.setTimezone(chatId, zone);
    if (!r.ok) return r.reason === "invalid" ? `“${shown}” is not a time zone. Example: /settings zone Asia/Baku` : failed(r);
    const z = describeZone(r.prefs, settings.defaultTimezone);
    return r.changed ? `Time zone set to ${z}: digest times and quiet hours follow it.` : `The time zone is ${z} already.`;
  }
  if (what === "time") {
    const at = parseClock(arg);
    if (!at) return `“${shown}” is not a time: use HH:MM, for example /settings time 07:30.`;
    const r = await settings.setMode(chatId, { kind: "daily", at });
    if (!r.ok) return failed(r);
    const z = describeZone(r.prefs, settings.defaultTimezone);
    return `${r.changed ? "Now" : "Already"}: ${describeMode(r.prefs.mode)} (${z}).`;
  }
  const off = /^(off|none|no)$/i.test(arg);
  const quiet = off ? null : parseQuiet(arg);
  if (!off && !quiet)
    return `“${shown}” is not quiet hours: use HH:MM-HH:MM, for example /settings quiet 23:00-07:00, or /settings quiet off.`;
  const r = await settings.setQuiet(chatId, quiet);
  if (!r.ok) return failed(r);
  if (!r.prefs.quiet) return r.changed ? "Quiet hours off: every message arrives with sound." : "Quiet hours are off already.";
  return `Quiet hours: ${describeQuiet(r.prefs.quiet)}, in ${describeZone(r.prefs, settings.defaultTimezone)}.`;
}
