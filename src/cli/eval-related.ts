/**
 * eval-related FILE.jsonl [--json] [--ignore-time] [--floor N] [--window-hours N]
 *
 * Scores the related-stories ranking on a labelled set: every item is ranked
 * against all the others exactly as the bot would, and the links shown are
 * checked against the items' `story_id`. See src/news/related/eval.ts for
 * what each number means.
 */
import { isEntryPoint, readTextFile } from "./cli-util.js";
import { parseArgs } from "node:util";
import { evaluate, formatEval } from "../news/related/eval.js";
import { labelledDocSchema, parseJsonl, type LabelledDoc } from "../news/related/jsonl.js";

const USAGE = `usage: eval-related FILE.jsonl [--json] [--ignore-time] [--floor N] [--window-hours N]
  FILE.jsonl      one {id, title, story_id, description?, source?, url?, published?} per line
  --json          print the numbers as one JSON object
  --ignore-time   drop all dates first: text-only numbers
  --floor N       similarity floor (default: the bot's)
  --window-hours  time-distance scale in hours (default: the bot's)`;

function fail(msg: string, code = 1): number {
  process.stderr.write(`eval-related: ${msg}\n`);
  return code;
}

export async function main(argv: string[]): Promise<number> {
  let values: { json?: boolean; "ignore-time"?: boolean; floor?: string; "window-hours"?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv.filter((a) => a !== "--"),
      allowPositionals: true,
      options: {
        json: { type: "boolean" },
        "ignore-time": { type: "boolean" },
        floor: { type: "string" },
        "window-hours": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) return fail(USAGE, 2);
  const floor = values.floor === undefined ? undefined : Number(values.floor);
  if (floor !== undefined && !(floor >= 0 && floor <= 1)) return fail(`--floor must be a number within [0, 1], got "${values.floor}"`, 2);
  const hours = values["window-hours"] === undefined ? undefined : Number(values["window-hours"]);
  if (hours !== undefined && !(hours > 0)) return fail(`--window-hours must be a positive number, got "${values["window-hours"]}"`, 2);

  const file = positionals[0]!;
  const read = await readTextFile(file);
  if (!read.ok) return fail(read.error);
  const text = read.text;
  const parsed = parseJsonl<LabelledDoc>(text, labelledDocSchema);
  if (!parsed.ok) return fail(parsed.error);

  const result = evaluate(parsed.rows, {
    floor,
    windowMs: hours === undefined ? undefined : hours * 3600_000,
    ignoreTime: values["ignore-time"] ?? false,
  });
  process.stdout.write(values.json ? JSON.stringify(result) + "\n" : formatEval(result) + "\n");
  return 0;
}


if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`eval-related: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
