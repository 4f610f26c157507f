import type { Api, Composer } from "grammy";
import type { BotCommand } from "grammy/types";
import type { BotContext, CommandDeps, CommandInfo } from "../src/bot/context.js";
import { GROUP_LATEST_EVERY_MS, throttledInGroups } from "../src/bot/group-throttle.js";
import { DEFAULT_LOCALE, LOCALES } from "../src/i18n/locales.js";
import { defaultTranslator, english, type Translate, type Translator } from "../src/i18n/translator.js";
import type { Logger } from "../src/log.js";
import type { Settings } from "../src/prefs/settings.js";
import type { SourceAdmin } from "../src/sources/admin.js";
import { addSourceCommand } from "./addsource.js";
import { broadcastCommand } from "./broadcast.js";
import { cancelCommand } from "./cancel.js";
import { channelsCommand } from "./channels.js";
import { enableSourceCommand } from "./enablesource.js";
import { fallbackComposer } from "./fallback.js";
import { filterCommand } from "./filter.js";
import { helpCommand } from "./help.js";
import { languageCommand } from "./language.js";
import { latestCommand } from "./latest.js";
import { opmlCommand } from "./opml.js";
import { rmSourceCommand } from "./rmsource.js";
import { settingsCommand } from "./settings.js";
import { sourcesCommand } from "./sources.js";
import { startCommand } from "./start.js";
import { statsCommand } from "./stats.js";
import { stopCommand } from "./stop.js";
import { whoamiCommand } from "./whoami.js";

/**
 * The bot's commands, in one list: /help, the command menus and createBot
 * all read it. A new command is one entry here (its handlers guard admin-only
 * parts themselves with adminOnly, which tests check for every admin entry).
 */
export interface CommandEntry extends CommandInfo {
  /** false when what it needs was not given (the source commands without a SourceAdmin); default true */
  available?: (deps: CommandDeps) => boolean;
  /** its handlers; `commands` is the list of available commands, for /help */
  composer: (deps: CommandDeps, commands: readonly CommandInfo[]) => Composer<BotContext>;
}

/** What a command may need beyond the basics: it is available only when given, and its composer is handed it. */
type Optional = "sourceAdmin" | "settings";

function needing<K extends Optional>(
  key: K,
  make: (deps: CommandDeps, dep: NonNullable<CommandDeps[K]>) => Composer<BotContext>,
): Pick<CommandEntry, "available" | "composer"> {
  return {
    available: (deps) => deps[key] !== undefined,
    composer: (deps) => {
      const dep = deps[key];
      if (dep === undefined) throw new Error(`this command needs ${key}`);
      return make(deps, dep as NonNullable<CommandDeps[K]>);
    },
  };
}

/** A source command: needs a SourceAdmin. */
const withSources = (make: (deps: CommandDeps, admin: SourceAdmin) => Composer<BotContext>) => needing("sourceAdmin", make);
/** A preferences command: needs Settings. */
const withSettings = (make: (deps: CommandDeps, settings: Settings) => Composer<BotContext>) => needing("settings", make);

export const COMMANDS: readonly CommandEntry[] = [
  { name: "start", key: "cmd-start", admin: false, composer: startCommand },
  {
    name: "latest",
    key: "cmd-latest",
    admin: false,
    composer: (deps) => throttledInGroups("latest", GROUP_LATEST_EVERY_MS, deps, latestCommand(deps)),
  },
  { name: "sources", key: "cmd-sources", admin: false, composer: sourcesCommand },
  { name: "settings", key: "cmd-settings", admin: false, ...withSettings(settingsCommand) },
  { name: "filter", key: "cmd-filter", admin: false, ...withSettings(filterCommand) },
  { name: "language", key: "cmd-language", admin: false, composer: languageCommand },
  { name: "channels", key: "cmd-channels", admin: false, ...withSettings(channelsCommand) },
  { name: "stop", key: "cmd-stop", admin: false, composer: stopCommand },
  { name: "whoami", key: "cmd-whoami", admin: false, composer: whoamiCommand },
  { name: "help", key: "cmd-help", admin: false, composer: helpCommand },
  { name: "broadcast", key: "cmd-broadcast", admin: true, composer: broadcastCommand },
  { name: "cancel", key: "cmd-cancel", admin: true, composer: cancelCommand },
  { name: "stats", key: "cmd-stats", admin: true, composer: statsCommand },
  { name: "addsource", key: "cmd-addsource", admin: true, ...withSources(addSourceCommand) },
  { name: "rmsource", key: "cmd-rmsource", admin: true, ...withSources(rmSourceCommand) },
  { name: "enablesource", key: "cmd-enablesource", admin: true, ...withSources(enableSourceCommand) },
  { name: "opml", key: "cmd-opml", admin: true, ...withSources(opmlCommand) },
];

/** The commands these deps make available, in list order. */
export function availableCommands(deps: CommandDeps): CommandEntry[] {
  return COMMANDS.filter((c) => c.available?.(deps) ?? true);
}

/** Installs every available command, then what answers the rest (unknown commands, plain text, old buttons). */
export function installCommands(into: Composer<BotContext>, deps: CommandDeps): void {
  const commands = availableCommands(deps);
  const info: CommandInfo[] = commands.map(({ name, key, admin }) => ({ name, key, admin }));
  for (const c of commands) into.use(c.composer(deps, info));
  into.use(fallbackComposer(deps));
}

/** A command menu for setMyCommands in one language: the public commands, and the admin ones too when `admin`. */
export function commandMenu(admin: boolean, t: Translate = english(), commands: readonly CommandInfo[] = COMMANDS): BotCommand[] {
  return commands.filter((c) => admin || !c.admin).map((c) => ({ command: c.name, description: t(c.key) }));
}

type ProfileApi = Pick<Api, "setMyCommands" | "setMyDescription" | "setMyShortDescription">;

/**
 * Sets what Telegram shows before anyone types: in each language (English
 * as the default for every other language_code, Russian and Azerbaijani for
 * theirs) the public command menu, the bot's description (the empty chat
 * before /start) and short description (its profile); and public + admin
 * commands in each admin's private chat, in each language. A failure is
 * logged and the rest go on (an admin who never started the bot makes
 * Telegram answer 400 "chat not found"); this never throws.
 */
export async function registerCommandMenus(
  api: ProfileApi,
  adminIds: readonly number[],
  logger: Pick<Logger, "warn">,
  translator: Translator = defaultTranslator(),
  commands: readonly CommandInfo[] = COMMANDS,
): Promise<void> {
  const attempt = async (what: Record<string, unknown>, call: () => Promise<unknown>) => {
    try {
      await call();
    } catch (err) {
      logger.warn({ ...what, err: err instanceof Error ? err.message : String(err) }, "telegram: setting the bot's menu or profile failed");
    }
  };
  for (const locale of LOCALES) {
    const t = translator.forLocale(locale);
    // English is also the default, for every language_code without its own.
    const languages = locale === DEFAULT_LOCALE ? [undefined, locale] : [locale];
    for (const language_code of languages) {
      const lang = language_code === undefined ? {} : { language_code };
      await attempt({ scope: "default", locale }, () =>
        api.setMyCommands(commandMenu(false, t, commands), { scope: { type: "default" }, ...lang }),
      );
      await attempt({ method: "setMyDescription", locale }, () => api.setMyDescription(t("bot-description"), lang));
      await attempt({ method: "setMyShortDescription", locale }, () => api.setMyShortDescription(t("bot-short-description"), lang));
    }
    const adminMenu = commandMenu(true, t, commands);
    for (const id of new Set(adminIds)) {
      for (const language_code of languages) {
        const lang = language_code === undefined ? {} : { language_code };
        await attempt({ scope: "chat", adminId: id, locale }, () =>
          api.setMyCommands(adminMenu, { scope: { type: "chat", chat_id: id }, ...lang }),
        );
      }
    }
  }
}
