/** The public commands, as registered with setMyCommands and listed by /help. */
export const PUBLIC_COMMANDS = [
  { command: "start", description: "Subscribe to news updates" },
  { command: "latest", description: "The newest stories: /latest [n], n up to 10" },
  { command: "sources", description: "Where the news comes from" },
  { command: "stop", description: "Unsubscribe" },
  { command: "help", description: "What this bot can do" },
] as const;

export const ADMIN_COMMANDS = [
  { command: "broadcast", description: "Send a message to every subscriber: /broadcast <text>, or reply to a message" },
  { command: "cancel", description: "Stop the broadcast being sent" },
  { command: "stats", description: "Subscribers, sources, delivery queue, today's sends, dead letters" },
  { command: "addsource", description: "Add a news source: /addsource <url> (a feed or a site's page)" },
  { command: "rmsource", description: "Remove a source: /rmsource <id> (sources from the file are switched off)" },
  { command: "enablesource", description: "Turn a source back on: /enablesource <id>" },
  { command: "opml", description: "The sources as an OPML file; send one with the caption /opml import to add its feeds" },
] as const;

export function commandHelp(admin: boolean): string {
  const lines = PUBLIC_COMMANDS.map((c) => `/${c.command} — ${c.description}`);
  if (admin) lines.push("", "Admin:", ...ADMIN_COMMANDS.map((c) => `/${c.command} — ${c.description}`));
  return lines.join("\n");
}
