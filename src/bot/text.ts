import { truncateText } from "../news/html.js";

export { TELEGRAM_TEXT_LIMIT } from "../news/html.js";

/** How much of a user's input a reply echoes back. */
export const ECHO_MAX = 200;

/**
 * What a user sent, cut to `max` characters with "…" (never inside an emoji),
 * so a reply that quotes it always fits in one Telegram message.
 */
export function clip(text: string, max = ECHO_MAX): string {
  return truncateText(text, max);
}
