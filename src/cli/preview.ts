/**
 * `npm run preview -- <feed-url>`: prints what the bot would make of a feed,
 * one JSON object per item on stdout. On failure: one line on stderr, exit 1.
 */
import { reasonLine } from "../feeds/errors.js";
import { previewFeed } from "../feeds/preview.js";
import { parseCliArgs } from "./cli-util.js";

const USAGE = "usage: npm run preview -- <feed-url>";

async function main(argv: string[]): Promise<number> {
  const args = parseCliArgs({ args: argv, allowPositionals: true, options: { help: { type: "boolean", short: "h" } } });
  if (!args.ok) {
    process.stderr.write(`preview: ${args.error}; ${USAGE}\n`);
    return 1;
  }
  const { values, positionals } = args.parsed;
  const [url, ...rest] = positionals;
  if (values.help || !url || rest.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  try {
    const lines = await previewFeed(url);
    if (lines.length > 0) process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`preview: ${reasonLine(err instanceof Error ? err.message : String(err))}\n`);
    return 1;
  }
}

// `… | head` closes stdout early; that is not an error worth a stack trace.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
