/**
 * `npm run preview -- <feed-url>`: prints what the bot would make of a feed,
 * one JSON object per item on stdout. On failure: one line on stderr, exit 1.
 */
import { oneLine } from "../feeds/errors.js";
import { previewFeed } from "../feeds/preview.js";

const USAGE = "usage: npm run preview -- <feed-url>";

async function main(args: string[]): Promise<number> {
  const [url, ...rest] = args.filter((a) => a !== "--");
  if (!url || rest.length > 0 || url === "-h" || url === "--help") {
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  try {
    const lines = await previewFeed(url);
    if (lines.length > 0) process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`preview: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
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
