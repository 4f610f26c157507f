import type { Logger } from "../log.js";
import type { BotContext } from "./context.js";

/** The settings Mini App's page, from PUBLIC_URL (no trailing slash). */
export function webAppUrl(publicUrl: string): string {
  return `${publicUrl}/app/`;
}

/** The Mini App's address for a button in this chat: only private chats, where Telegram allows web_app buttons. */
export function webAppIn(ctx: Pick<BotContext, "chat">, publicUrl: string | undefined): string | undefined {
  return publicUrl && ctx.chat?.type === "private" ? webAppUrl(publicUrl) : undefined;
}

/**
 * Makes the private chat's menu button open the settings Mini App, labelled
 * in the reader's language. Asked at /start and /settings: one cheap,
 * idempotent call, so a changed language or address is picked up without
 * remembering what was set. A failure is logged; the reply stands.
 */
export async function offerMenuButton(
  ctx: Pick<BotContext, "chat" | "api" | "t">,
  publicUrl: string | undefined,
  logger: Pick<Logger, "warn">,
): Promise<void> {
  const url = webAppIn(ctx, publicUrl);
  if (!url || !ctx.chat) return;
  await ctx.api
    .setChatMenuButton({ chat_id: ctx.chat.id, menu_button: { type: "web_app", text: ctx.t("webapp-menu-button"), web_app: { url } } })
    .catch((err: unknown) =>
      logger.warn({ chat: ctx.chat?.id, err: err instanceof Error ? err.message : String(err) }, "menu button: not set"),
    );
}
