import type { Api, Composer, Context } from "grammy";
import type { BotCommand } from "grammy/types";
import type { CommandDeps, CommandInfo, BotContext } from "../src/bot/context.js";
import type { Logger } from "../src/log.js";
import type { Settings } from "../src/prefs/settings.js";
import type { SourceAdmin } from "../src/sources/admin.js";
import { addSourceCommand } from "./addsource.js";
import { broadcastCommand } from "./broadcast.js";
import { cancelCommand } from "./cancel.js";
import { enableSourceCommand } from "./enablesource.js";
import { fallbackComposer } from "./fallback.js";
import { filterCommand } from "./filter.js";
import { helpCommand } from "./help.js";
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
  { name: "start", description: "Subscribe to news updates", admin: false, composer: startCommand },
  { name: "latest", description: "The newest stories: /latest [n], n up to 10", admin: false, composer: latestCommand },
  { name: "sources", description: "Where the news comes from", admin: false, composer: sourcesCommand },
  {
    name: "settings",
    description: "Your sources, languages, keywords, digest times, quiet hours",
    admin: false,
    ...withSettings(settingsCommand),
  },
  { name: "filter", description: 'Keyword filters: /filter +word -word "phrase"', admin: false, ...withSettings(filterCommand) },
  { name: "stop", description: "Unsubscribe", admin: false, composer: stopCommand },
  { name: "whoami", description: "Your Telegram user id and this chat's id (for ADMIN_IDS)", admin: false, composer: whoamiCommand },
  { name: "help", description: "What this bot can do", admin: false, composer: helpCommand },
  {
    name: "broadcast",
    description: "Send a message to every subscriber: /broadcast <text>, or reply to a message",
    admin: true,
    composer: broadcastCommand,
  },
  { name: "cancel", description: "Stop the broadcast being sent", admin: true, composer: cancelCommand },
  { name: "stats", description: "Subscribers, sources, delivery queue, today's sends, dead letters", admin: true, composer: statsCommand },
  {
    name: "addsource",
    description: "Add a news source: /addsource <url> (a feed or a site's page)",
    admin: true,
    ...withSources(addSourceCommand),
  },
  {
    name: "rmsource",
    description: "Remove a source: /rmsource <id> (sources from the file are switched off)",
    admin: true,
    ...withSources(rmSourceCommand),
  },
  {
    name: "enablesource",
    description: "Turn a source back on: /enablesource <id>",
    admin: true,
    ...withSources(enableSourceCommand),
  },
  {
    name: "opml",
    description: "The sources as an OPML file; send one with the caption /opml import to add its feeds",
    admin: true,
    ...withSources(opmlCommand),
  },
];

/** The commands these deps make available, in list order. */
export function availableCommands(deps: CommandDeps): CommandEntry[] {
  return COMMANDS.filter((c) => c.available?.(deps) ?? true);
}

/** Installs every available command, then what answers the rest (unknown commands, plain text, old buttons). */
export function installCommands(into: Composer<BotContext>, deps: CommandDeps): void {
  const commands = availableCommands(deps);
  const info: CommandInfo[] = commands.map(({ name, description, admin }) => ({ name, description, admin }));
  for (const c of commands) into.use(c.composer(deps, info));
  into.use(fallbackComposer(deps));
}

/** A command menu for setMyCommands: the public commands, and the admin ones too when `admin`. */
export function commandMenu(admin: boolean, commands: readonly CommandInfo[] = COMMANDS): BotCommand[] {
  return commands.filter((c) => admin || !c.admin).map((c) => ({ command: c.name, description: c.description }));
}

/**
 * Sets the menus Telegram shows beside the text field: the public commands
 * for everyone, and public + admin ones in each admin's private chat. A
 * failure is logged and the rest go on (an admin who never started the bot
 * makes Telegram answer 400 "chat not found"); this never throws.
 */
export async function registerCommandMenus(
  api: Pick<Api, "setMyCommands">,
  adminIds: readonly number[],
  logger: Pick<Logger, "warn">,
): Promise<void> {
  const set = async (commands: BotCommand[], scope: Parameters<Api["setMyCommands"]>[1], what: Record<string, unknown>) => {
    try {
      await api.setMyCommands(commands, scope);
    } catch (err) {
      logger.warn({ ...what, err: err instanceof Error ? err.message : String(err) }, "telegram: setMyCommands failed");
    }
  };
  await set(commandMenu(false), { scope: { type: "default" } }, { scope: "default" });
  const adminMenu = commandMenu(true);
  for (const id of new Set(adminIds)) await set(adminMenu, { scope: { type: "chat", chat_id: id } }, { scope: "chat", adminId: id });
}
