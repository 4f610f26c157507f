import { Composer, GrammyError } from "grammy";
import { type Access, accessFor, type Permission } from "../src/bot/access.js";
import type { BotContext, CommandDeps } from "../src/bot/context.js";
import { targetOf } from "../src/bot/target.js";
import { clip } from "../src/bot/text.js";
import { offerMenuButton, webAppIn } from "../src/bot/web-app-button.js";
import { INTL_LOCALE, LOCALE_NAMES } from "../src/i18n/locales.js";
import type { Translate } from "../src/i18n/translator.js";
import { settingsProblemText } from "../src/prefs/problem-text.js";
import { parseClock } from "../src/prefs/schedule.js";
import type { Settings, SettingsProblem, SettingsResult } from "../src/prefs/settings.js";
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
import { chatOf, keyOf, parseSubKey, type SubKey } from "../src/store/sub-key.js";

export { settingsProblemText };

export type SettingsDeps = Pick<CommandDeps, "logger" | "stores" | "access"> & { config?: CommandDeps["config"] };

const HTML = { parse_mode: "HTML", link_preview_options: { is_disabled: true } } as const;

/** Whether `target` is the subscription the update itself speaks for (the chat, or the forum topic it came from). */
function isOwn(ctx: BotContext, target: SubKey): boolean {
  return targetOf(ctx) === keyOf(target);
}

/** The refusal for a sender who may not change `target` (false), or when Telegram could not be asked ("unknown"). */
function refusal(ctx: BotContext, target: SubKey, may: Exclude<Permission, true>): string {
  if (may === "unknown") return ctx.t("set-check-failed");
  return chatOf(target) === ctx.chat?.id ? ctx.t("set-only-admins") : ctx.t("set-only-admins-other");
}

/** Replies with the refusal (in ctx.t) and returns false when the sender may not change `target`. */
export async function mayChangeOrReply(ctx: BotContext, target: SubKey, access: Access): Promise<boolean> {
  const may = await access.mayChange(ctx, target);
  if (may === true) return true;
  await ctx.reply(refusal(ctx, target, may));
  return false;
}

/** Which chat the menu is about, for its title: another chat's name, or "this topic". */
export interface MenuPlace {
  title?: string;
  topic?: boolean;
  /** the settings Mini App's address, offered as a button (in private chats) */
  webApp?: string;
}

/** The settings screens of a subscription, in the reader's language. */
export function viewOf(settings: Settings, prefs: ChatPrefs, ctx: Pick<BotContext, "t" | "locale">, place: MenuPlace = {}): ViewInput {
  return {
    prefs,
    sources: settings.sources(),
    defaultTimezone: settings.defaultTimezone,
    t: ctx.t,
    locale: INTL_LOCALE[ctx.locale],
    ...(place.title === undefined ? {} : { title: place.title }),
    ...(place.topic ? { topic: true } : {}),
    ...(place.webApp ? { webApp: place.webApp } : {}),
  };
}

function screenOptions(screen: Screen) {
  return { ...HTML, reply_markup: screen.reply_markup };
}

// ---------------------------------------------------------------- problems, worded

// ---------------------------------------------------------------- button presses

/** What pressing a button did. */
type Outcome =
  | { kind: "done"; prefs: ChatPrefs; changed: boolean }
  | { kind: "not-subscribed" }
  | { kind: "stale" }
  | { kind: "refused"; problem: SettingsProblem };

function outcomeOf(r: SettingsResult): Outcome {
  if (r.ok) return { kind: "done", prefs: r.prefs, changed: r.changed };
  switch (r.reason) {
    case "not-subscribed":
      return { kind: "not-subscribed" };
    case "unknown":
      return { kind: "stale" };
    case "invalid":
    case "limit":
      return { kind: "refused", problem: r.problem };
  }
}

async function current(settings: Settings, target: SubKey): Promise<Outcome> {
  const prefs = await settings.get(target);
  return prefs ? { kind: "done", prefs, changed: false } : { kind: "not-subscribed" };
}

/** Carries out a parsed button press; the ids in it are looked up among what is offered now. */
async function apply(settings: Settings, target: SubKey, a: SettingsAction): Promise<Outcome> {
  switch (a.kind) {
    case "show":
      return current(settings, target);
    case "source": {
      const id = resolveSource(a.token, settings.sources());
      return id === null ? { kind: "stale" } : outcomeOf(await settings.setSource(target, id, a.on));
    }
    case "all-sources":
      return outcomeOf(await settings.setAllSources(target));
    case "lang": {
      const lang = resolveLang(a.token, settings.sources());
      return lang === null ? { kind: "stale" } : outcomeOf(await settings.setLang(target, lang, a.on));
    }
    case "all-langs":
      return outcomeOf(await settings.setAllLangs(target));
    case "mode":
      return outcomeOf(await settings.setMode(target, a.mode));
    case "zone": {
      if (a.token === null) return outcomeOf(await settings.setTimezone(target, null));
      const zone = resolveZone(a.token);
      return zone === null ? { kind: "stale" } : outcomeOf(await settings.setTimezone(target, zone));
    }
    case "quiet":
      return outcomeOf(await settings.setQuiet(target, a.quiet));
    case "previews":
      return outcomeOf(await settings.setPreviews(target, a.on));
    case "locale":
      return outcomeOf(await settings.setLocale(target, a.locale));
    case "remove-rule": {
      const prefs = await settings.get(target);
      if (!prefs) return { kind: "not-subscribed" };
      const word = resolveRule(a.token, prefs.keywords, a.rule);
      // Gone already (the same button pressed twice): nothing to do, the screen shows what is left.
      if (word === null) return { kind: "done", prefs, changed: false };
      return outcomeOf(await settings.removeRule(target, a.rule, word));
    }
    case "clear-rules":
      return outcomeOf(await settings.clearRules(target));
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

/** The chat's own menu: "this chat", or "this topic" in a forum topic. */
function ownPlace(target: SubKey): MenuPlace {
  return parseSubKey(target)?.thread === undefined ? {} : { topic: true };
}

/** Where a menu for `target` shown in ctx.chat is: a topic of this chat, or another chat (named). */
async function placeOf(ctx: BotContext, target: SubKey, deps: SettingsDeps): Promise<MenuPlace> {
  const webApp = webAppIn(ctx, deps.config?.publicUrl);
  const app = webApp ? { webApp } : {};
  if (isOwn(ctx, target)) return { ...ownPlace(target), ...app };
  const chatId = chatOf(target);
  const channel = await deps.stores.places.channel(chatId).catch(() => null);
  return { title: channel?.title ?? String(chatId), ...app };
}

/**
 * Sends the main settings screen of `target` as a new message in ctx.chat;
 * when `target` is not this chat's own subscription (a channel's settings in
 * its admin's private chat, opened from /channels), the message is bound to
 * it, so its buttons change `target`. `title` names that chat in the screen.
 */
export async function sendSettingsMenu(
  ctx: BotContext,
  settings: Settings,
  target: SubKey,
  access: Access,
  title?: string,
  publicUrl?: string,
): Promise<void> {
  const chat = ctx.chat;
  if (!chat) return;
  const own = isOwn(ctx, target);
  const prefs = await settings.get(target);
  if (!prefs) {
    await ctx.reply(own ? ctx.t("set-not-subscribed") : ctx.t("set-not-subscribed-other"));
    return;
  }
  const webApp = webAppIn(ctx, publicUrl);
  const place: MenuPlace = { ...(own ? ownPlace(target) : { title: title ?? String(chatOf(target)) }), ...(webApp ? { webApp } : {}) };
  const screen = renderScreen(viewOf(settings, prefs, ctx, place), { screen: "main" });
  const msg = await ctx.reply(screen.text, screenOptions(screen));
  if (!own) await access.bindMenu(chat.id, msg.message_id, target);
}

/**
 * /settings — the preferences of this chat (or of the forum topic it is sent
 * in) as a menu of inline buttons, one message edited in place; and the typed
 * forms for what buttons cannot offer (/settings zone|time|quiet …). In
 * groups only the chat's admins may change anything; anyone may look. A menu
 * bound to another chat (sendSettingsMenu) changes that chat.
 */
export function settingsCommand(deps: SettingsDeps, settings: Settings) {
  const c = new Composer<BotContext>();
  const access = accessFor(deps);

  c.command("settings", async (ctx) => {
    const target = await access.targetFor(ctx);
    if (target === undefined) return;
    const [verb = "", ...rest] = ctx.match.trim().split(/\s+/);
    const arg = rest.join(" ");
    const prefs = await settings.get(target);
    if (!prefs) {
      await ctx.reply(ctx.t("set-not-subscribed"));
      return;
    }
    if (verb === "") {
      const screen = renderScreen(viewOf(settings, prefs, ctx, await placeOf(ctx, target, deps)), { screen: "main" });
      await ctx.reply(screen.text, screenOptions(screen));
      await offerMenuButton(ctx, deps.config?.publicUrl, deps.logger);
      return;
    }
    const what = verb.toLowerCase();
    if (!["zone", "time", "quiet"].includes(what) || !arg) {
      await ctx.reply(ctx.t("set-usage"));
      return;
    }
    if (!(await mayChangeOrReply(ctx, target, access))) return;
    const line = await typed(ctx.t, settings, target, what, arg);
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
      if (!action || !ctx.chat) return await answer({ text: ctx.t("set-menu-stale") });
      const target = await access.targetFor(ctx);
      if (target === undefined) return await answer({ text: ctx.t("set-menu-stale") });
      if (isChange(action)) {
        const may = await access.mayChange(ctx, target);
        if (may !== true) return await answer({ text: refusal(ctx, target, may), show_alert: true });
      }
      const r = await apply(settings, target, action);
      switch (r.kind) {
        case "not-subscribed":
          return await answer({ text: ctx.t(isOwn(ctx, target) ? "set-not-subscribed" : "set-not-subscribed-other"), show_alert: true });
        case "stale":
          return await answer({ text: ctx.t("set-menu-stale") });
        case "refused":
          return await answer({ text: clip(settingsProblemText(ctx.t, r.problem), 190), show_alert: true });
        case "done": {
          let note: { text: string } | undefined;
          if (action.kind === "locale") {
            // This chat's own language: the menu (and the note) speak it from now on. Another chat's menu
            // keeps the reader's language; only that chat's posts change.
            if (isOwn(ctx, target)) ctx.useLocale(r.prefs.locale);
            if (r.changed) note = { text: ctx.t("set-language-set", { name: LOCALE_NAMES[r.prefs.locale] }) };
          }
          const screen = renderScreen(viewOf(settings, r.prefs, ctx, await placeOf(ctx, target, deps)), screenAfter(action));
          await Promise.all([answer(note), edit(ctx, screen, deps)]);
        }
      }
    } catch (err) {
      deps.logger.warn({ err: errorText(err) }, "settings: a button press failed");
      await answer({ text: ctx.t("set-failed") });
    }
  });

  return c;
}

async function edit(ctx: BotContext, screen: Screen, deps: SettingsDeps): Promise<void> {
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

/** A typed /settings zone|time|quiet: one confirmation or one error line, in the reader's language. */
async function typed(t: Translate, settings: Settings, target: SubKey, what: string, arg: string): Promise<string> {
  const shown = clip(arg, 64);
  const failed = (r: Exclude<SettingsResult, { ok: true }>) =>
    r.reason === "not-subscribed"
      ? t("set-not-subscribed")
      : r.reason === "unknown"
        ? t("set-menu-stale")
        : settingsProblemText(t, r.problem);
  if (what === "zone") {
    const zone = /^(default|off|reset)$/i.test(arg) ? null : arg;
    const r = await settings.setTimezone(target, zone);
    if (!r.ok) return r.reason === "invalid" ? t("set-zone-invalid", { zone: shown }) : failed(r);
    const z = describeZone(r.prefs, settings.defaultTimezone, t);
    return r.changed ? t("set-zone-set", { zone: z }) : t("set-zone-already", { zone: z });
  }
  if (what === "time") {
    const at = parseClock(arg);
    if (!at) return t("set-time-invalid", { text: shown });
    const r = await settings.setMode(target, { kind: "daily", at });
    if (!r.ok) return failed(r);
    const args = { mode: describeMode(r.prefs.mode, t), zone: describeZone(r.prefs, settings.defaultTimezone, t) };
    return r.changed ? t("set-time-set", args) : t("set-time-already", args);
  }
  const off = /^(off|none|no)$/i.test(arg);
  const quiet = off ? null : parseQuiet(arg);
  if (!off && !quiet) return t("set-quiet-invalid", { text: shown });
  const r = await settings.setQuiet(target, quiet);
  if (!r.ok) return failed(r);
  if (!r.prefs.quiet) return r.changed ? t("set-quiet-off-done") : t("set-quiet-already-off");
  return t("set-quiet-set", { quiet: describeQuiet(r.prefs.quiet, t), zone: describeZone(r.prefs, settings.defaultTimezone, t) });
}
