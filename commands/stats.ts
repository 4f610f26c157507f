import { Composer } from "grammy";
import { adminOnly, type BotContext, type CommandDeps } from "../src/bot/context.js";
import type { DeliveryStats } from "../src/delivery/index.js";
import { INTL_LOCALE } from "../src/i18n/locales.js";
import { english, type Translate } from "../src/i18n/translator.js";
import { formatTime } from "../src/news/format-time.js";

export type StatsDeps = Pick<CommandDeps, "config" | "stores" | "news" | "deliveryStats" | "clock">;

/**
 * What a dead letter was ("news bbc:1", "digest of 5 for chat 42",
 * "broadcast 0123…", as the delivery code labels them) in the reader's
 * words; a label of another shape is shown as it is.
 */
function deadLetterWhat(t: Translate, what: string): string {
  const news = /^news (\S+)$/.exec(what);
  if (news) return t("adm-stats-what-news", { key: news[1]! });
  const digest = /^digest of (\d+) for chat (-?\d+)$/.exec(what);
  if (digest) return t("adm-stats-what-digest", { count: Number(digest[1]), chat: digest[2]! });
  const broadcast = /^broadcast (\S+)$/.exec(what);
  if (broadcast) return t("adm-stats-what-broadcast", { id: broadcast[1]! });
  return what;
}

/**
 * The /stats text (plain text): pure, from the figures. `t` is the reader's
 * language (English when not given) and `locale` the Intl tag its times are
 * written in.
 */
export function composeStats(
  f: { subscribers: number; sources: number; delivery?: DeliveryStats },
  opts: { timezone: string; now: number; locale?: string; t?: Translate },
): string {
  const t = opts.t ?? english();
  const lines = [t("adm-stats-title"), t("adm-stats-subscribers", { count: f.subscribers }), t("adm-stats-sources", { count: f.sources })];
  const d = f.delivery;
  if (!d) return lines.join("\n");
  lines.push(
    t("adm-stats-queue", { waiting: d.queue.waiting, delayed: d.queue.delayed, active: d.queue.active }),
    t("adm-stats-chats", { waiting: d.chats.waiting, active: d.chats.active, scheduled: d.chats.scheduled }),
    t("adm-stats-today", { sent: d.today.sent, merged: d.today.merged, failed: d.today.failed, blocked: d.today.blocked }),
    t("adm-stats-dead-letters", { count: d.deadLetters.total }),
  );
  for (const dl of d.deadLetters.latest) {
    const line = t("adm-stats-dead-letter", {
      time: formatTime(dl.at, opts),
      chat: String(dl.chatId),
      what: deadLetterWhat(t, dl.what).slice(0, 60),
      // Telegram's own words (its error description), as it gave them.
      reason: dl.reason.slice(0, 120),
    });
    lines.push(`  ${line}`);
  }
  for (const b of d.broadcasts) {
    lines.push(t("adm-stats-broadcast", { id: b.id, sent: b.sent, total: b.total, failed: b.failed, blocked: b.blocked }));
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
      { timezone: deps.config.timezone, now: deps.clock(), locale: INTL_LOCALE[ctx.locale], t: ctx.t },
    );
    await ctx.reply(text, { link_preview_options: { is_disabled: true } });
  });
  return c;
}
