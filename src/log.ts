import { type Logger, pino } from "pino";
import pinoPretty from "pino-pretty";

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

export type LogFormat = "auto" | "pretty" | "json";

/** auto: readable lines for a person at a terminal, JSON for everything else (log shippers, files, tests). */
export function prettyLogs(format: LogFormat, isTty: boolean | undefined): boolean {
  return format === "pretty" || (format === "auto" && isTty === true);
}

export function createLogger(opts: {
  level: string;
  secrets?: string[];
  format?: LogFormat;
  destination?: pino.DestinationStream;
}): Logger {
  const secrets = (opts.secrets ?? []).filter(Boolean);
  const pretty = !opts.destination && prettyLogs(opts.format ?? "json", process.stdout.isTTY);
  return pino(
    {
      level: opts.level,
      base: undefined,
      redact: { paths: ["botToken", "config.botToken", "token", "*.token"], censor: "[token]" },
      hooks: {
        streamWrite: (line) => scrubSecrets(line, secrets),
      },
    },
    // sync: a line logged just before process.exit (a configuration error) is not lost.
    pretty
      ? pinoPretty({ colorize: process.stdout.isTTY === true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname", sync: true })
      : opts.destination,
  );
}

/** A logger that writes nothing, for tests and CLIs. */
export const silentLogger: Logger = pino({ level: "silent" });
