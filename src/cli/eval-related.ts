/**
 * eval-related FILE.jsonl [--json] [--ignore-time] [--singletons N [--seed S]] [--floor N] [--window-hours N] [--merge-window-hours N]
 *
 * Scores the related-stories ranking on a labelled set: every item is ranked
 * against all the others exactly as the bot would, and the links shown are
 * checked against the items' `story_id`. Then same-story merging, simulated
 * as delivery does it with the items arriving in date order. An item's
 * `lang` is taken as its source's declared language (guessed from the text
 * when absent), so items in different languages meet by their signatures.
 * See src/news/related/eval.ts for what each number means.
 */

import { DEFAULT_MERGE_WINDOW_MS, evaluate, evaluateMerges, formatEval, formatMerges, withSingletons } from "../news/related/eval.js";
import { type LabelledDoc, labelledDocSchema, parseJsonl } from "../news/related/jsonl.js";
import { isEntryPoint, parseCliArgs, readTextFile } from "./cli-util.js";

const USAGE = `usage: eval-related FILE.jsonl [--json] [--ignore-time] [--singletons N [--seed S]] [--floor N] [--window-hours N] [--merge-window-hours N]
  FILE.jsonl            one {id, title, story_id, description?, source?, url?, published?, lang?} per line
  --json                print the numbers as one JSON object (merge figures under "merge")
  --ignore-time         drop all dates first: text-only numbers; merging takes the items in file order, no window
  --singletons N        first cut N stories down to one item each (chosen by --seed, default 1): items with no partner
  --floor N             similarity floor (default: the bot's)
  --window-hours        time-distance scale in hours (default: the bot's)
  --merge-window-hours  a report joins its story's first report seen at most this long before (default: ${DEFAULT_MERGE_WINDOW_MS / 3600_000})`;

function fail(msg: string, code = 1): number {
  process.stderr.write(`eval-related: ${msg}\n`);
  return code;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseCliArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: "boolean" },
      "ignore-time": { type: "boolean" },
      floor: { type: "string" },
      singletons: { type: "string" },
      seed: { type: "string" },
      "window-hours": { type: "string" },
      "merge-window-hours": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (!args.ok) return fail(`${args.error} (--help for usage)`, 2);
  const { values, positionals } = args.parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) return fail(USAGE, 2);
  const floor = values.floor === undefined ? undefined : Number(values.floor);
  if (floor !== undefined && !(floor >= 0 && floor <= 1)) return fail(`--floor must be a number within [0, 1], got "${values.floor}"`, 2);
  const hours = values["window-hours"] === undefined ? undefined : Number(values["window-hours"]);
  if (hours !== undefined && !(hours > 0)) return fail(`--window-hours must be a positive number, got "${values["window-hours"]}"`, 2);
  const mergeHours = values["merge-window-hours"] === undefined ? undefined : Number(values["merge-window-hours"]);
  if (mergeHours !== undefined && !(mergeHours > 0))
    return fail(`--merge-window-hours must be a positive number, got "${values["merge-window-hours"]}"`, 2);

  const singletons = values.singletons === undefined ? 0 : Number(values.singletons);
  if (!(Number.isInteger(singletons) && singletons >= 0))
    return fail(`--singletons must be a whole number ≥ 0, got "${values.singletons}"`, 2);
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isInteger(seed)) return fail(`--seed must be a whole number, got "${values.seed}"`, 2);

  const file = positionals[0]!;
  const read = await readTextFile(file);
  if (!read.ok) return fail(read.error);
  const text = read.text;
  const parsed = parseJsonl<LabelledDoc>(text, labelledDocSchema);
  if (!parsed.ok) return fail(parsed.error);
  let rows = parsed.rows;
  if (singletons > 0) {
    try {
      rows = withSingletons(rows, singletons, seed);
    } catch (err) {
      return fail(`--singletons ${singletons}: ${(err as Error).message}`, 2);
    }
  }

  const opts = {
    floor,
    windowMs: hours === undefined ? undefined : hours * 3600_000,
    ignoreTime: values["ignore-time"] ?? false,
  };
  const result = evaluate(rows, opts);
  const merge = evaluateMerges(rows, { ...opts, mergeWindowMs: mergeHours === undefined ? undefined : mergeHours * 3600_000 });
  process.stdout.write(values.json ? `${JSON.stringify({ ...result, merge })}\n` : `${formatEval(result)}\n${formatMerges(merge)}\n`);
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
