import { Composer } from "grammy";
import type { CommandDeps } from "../src/bot/context.js";
import { composeLatest } from "../src/news/compose.js";

export const LATEST_DEFAULT = 5;
export const LATEST_MAX = 10;
const USAGE = `Usage: /latest [n] — the n newest stories, n from 1 to ${LATEST_MAX} (default ${LATEST_DEFAULT}). Example: /latest 3`;

export type LatestDeps = Pick<CommandDeps, "news" | "config" | "clock">;

/** Reads the optional count; null when it is not a positive whole number. */
export function parseLatestArg(arg: string): number | null {
  const s = arg.trim();
  if (s === "") return LATEST_DEFAULT;
  if (!/^\d{1,6}$/.test(s)) return null;
  const n = Number(s);
  return n >= 1 ? Math.min(n, LATEST_MAX) : null;
}

/** /latest [n] — the newest stories, for anyone, subscribed or not. */
export function latestCommand(deps: LatestDeps) {
  const c = new Composer();
  c.command("latest", async (ctx) => {
    const n = parseLatestArg(ctx.match);
    if (n === null) {
      await ctx.reply(USAGE);
      return;
    }
    const stories = await deps.news.latest(n);
    for (const msg of composeLatest(stories, { timezone: deps.config.timezone, now: deps.clock() })) {
      const { text, ...other } = msg;
      await ctx.reply(text, other);
    }
  });
  return c;
}
