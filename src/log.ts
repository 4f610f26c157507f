import { pino, type Logger } from "pino";

export type { Logger };

/**
 * The bot token is a password: it appears in Bot API URLs and so in HTTP
 * error messages. Every log line passes through this scrubber.
 */
export function scrubSecrets(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join("[token]");
  // Any other token-shaped string in a Bot API URL is hidden too.
  return out.replace(/\/bot\d+:[A-Za-z0-9_-]{20,}/g, "/bot[token]");
}

export function createLogger(opts: { level: string; secrets?: string[]; destination?: pino.DestinationStream }): Logger {
  const secrets = (opts.secrets ?? []).filter(Boolean);
  return pino(
    {
      level: opts.level,
      base: undefined,
      redact: { paths: ["botToken", "config.botToken", "token", "*.token"], censor: "[token]" },
      hooks: {
        streamWrite: (line) => scrubSecrets(line, secrets),
      },
    },
    opts.destination,
  );
}

/** A logger that writes nothing, for tests and CLIs. */
export const silentLogger: Logger = pino({ level: "silent" });
