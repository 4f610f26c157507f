import { Composer } from "grammy";
import { adminOnly, type CommandDeps, type BotContext } from "../src/bot/context.js";
import type { DeliveryStats } from "../src/delivery/index.js";
import { formatTime } from "../src/news/format-time.js";
import { formatNumber as n } from "../src/text/numbers.js";

export type StatsDeps = Pick<CommandDeps, "config" | "stores" | "news" | "deliveryStats" | "clock">;

/** The /stats text: pure, from the figures. */
export function composeStats(
  f: { subscribers: number; sources: number; delivery?: DeliveryStats },
  opts: { timezone: string; now: number },
): string {
  const lines = ["📊 Bot stats", `Subscribers: ${n(f.subscribers)}`, `Sources: ${n(f.sources)}`];
  const d = f.delivery;
  if (!d) return lines.join("\n");
  lines.push(
    `Queue: ${n(d.queue.waiting)} waiting · ${n(d.queue.delayed)} delayed · ${n(d.queue.active)} sending`,
    `News: ${n(d.chats.waiting)} chats due now · ${n(d.chats.active)} being sent to · ${n(d.chats.scheduled)} scheduled (digests, retries)`,
    `Today: ${n(d.today.sent)} sent · ${n(d.today.merged)} merged into earlier messages · ` +
      `${n(d.today.failed)} failed · ${n(d.today.blocked)} blocked the bot`,
    `Dead letters: ${n(d.deadLetters.total)}`,
  );
  for (const dl of d.deadLetters.latest) {
    lines.push(`  • ${formatTime(dl.at, opts)} chat ${dl.chatId} — ${dl.what.slice(0, 60)}: ${dl.reason.slice(0, 120)}`);
  }
  for (const b of d.broadcasts) {
    lines.push(`Broadcast ${b.id}: ${n(b.sent)} / ${n(b.total)} sent · ${n(b.failed)} failed · ${n(b.blocked)} blocked`);
  }
  return lines.join("\n");
}

/** /stats — admins only: subscribers, sources, queue depth, today's deliveries, dead letters. */
export function statsCommand(deps: StatsDeps) {
  const c = new Composer<BotContext>();
  c.command("stats", adminOnly(deps), async (ctx) => {
    const [subscribers, delivery] = await Promise.all([deps.stores.subscribers.count(), deps.deliveryStats?.()]);
    const text = composeStats(
      { subscribers, sources: deps.news.sources().length, delivery },
      { timezone: deps.config.timezone, now: deps.clock() },
    );
    await ctx.reply(text, { link_preview_options: { is_disabled: true } });
  });
  return c;
}
