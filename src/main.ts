import { existsSync } from "node:fs";
import { StartupError, startApp } from "./app.js";
import { loadSources, parseConfig } from "./config.js";
import { createLogger } from "./log.js";

/**
 * The only file that starts anything: reads the configuration, starts the
 * app and handles signals. A user's mistake ends with one line per problem
 * and exit code 1, never a stack trace.
 */
function fail(lines: string[]): never {
  for (const line of lines) process.stderr.write(`newsbot: ${line}\n`);
  process.exit(1);
}

async function main() {
  if (existsSync(".env")) {
    try {
      process.loadEnvFile(".env");
    } catch (err) {
      fail([`.env: ${(err as Error).message}`]);
    }
  }
  const parsed = parseConfig(process.env);
  if (!parsed.ok) fail(parsed.errors);
  const config = parsed.config;
  const sources = await loadSources(config.sourcesFile);
  if (!sources.ok) fail(sources.errors);

  const logger = createLogger({ level: config.logLevel, format: config.logFormat, secrets: [config.botToken] });
  let app: Awaited<ReturnType<typeof startApp>>;
  try {
    app = await startApp(config, sources.sources, logger);
  } catch (err) {
    if (err instanceof StartupError) fail([err.message]);
    throw err;
  }

  const shutdown = (signal: string) => {
    logger.info({ signal }, "signal received");
    // A stuck shutdown must not hang the container's stop.
    setTimeout(() => process.exit(1), 15_000).unref();
    void app.stop().then(() => process.exit(0));
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.on("unhandledRejection", (err) => logger.error({ err: String(err) }, "unhandled rejection (the bot keeps running)"));
}

main().catch((err) => {
  process.stderr.write(`newsbot: failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
