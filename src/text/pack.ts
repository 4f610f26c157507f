/**
 * Blocks of Telegram HTML → as few messages as fit under Telegram's length
 * limit, in order, never splitting a block. Pure. Every list the bot sends
 * in parts (digests, /latest, the admin's /sources) is packed here.
 *
 * Lengths are counted as Telegram counts them (visibleLength: the text
 * after tags and entities), and each message is checked against the limit.
 */
import { TELEGRAM_TEXT_LIMIT, visibleLength } from "../news/html.js";

export interface PackLayout {
  /**
   * Heads every message; `(part, parts)`, 1-based, for a "(2/3)" suffix.
   * The form for (n, n), n the number of blocks, is taken as the widest and
   * reserved in every message, so every block gets the same room whichever
   * message it lands in.
   */
  header?: (part: number, parts: number) => string;
  /** Heads the first message only, above the header when both are given. */
  title?: string;
  /** Ends the last message only; its room is reserved in every message (which one is last is known only at the end). */
  footer?: string;
  /** Between title, header, blocks and footer; default "\n\n" (a blank line). */
  separator?: string;
  /** In visible characters; default TELEGRAM_TEXT_LIMIT (4096). */
  limit?: number;
}

/** A block as HTML, or rendered for the room it gets (a block that can be cut to fit). */
export type Block = string | ((room: number) => string);

export interface PackedMessage {
  text: string;
  /** Indices into the blocks given, of the blocks in this message, in order. */
  indices: number[];
}

function parts(layout: PackLayout) {
  const sep = layout.separator ?? "\n\n";
  const sepLen = visibleLength(sep);
  const limit = layout.limit ?? TELEGRAM_TEXT_LIMIT;
  const with_ = (s: string | undefined) => (s ? visibleLength(s) + sepLen : 0);
  return { sep, sepLen, limit, with_ };
}

/**
 * The room for blocks in a message without the title (every message but
 * the first): what a Block renderer is given. `count` is the number of
 * blocks in the whole list, for the widest header.
 */
export function packRoom(layout: PackLayout, count: number): number {
  const { limit, with_ } = parts(layout);
  return limit - with_(layout.header?.(count, count)) - with_(layout.footer);
}

/** One message of the layout: the title on part 1, the header, the blocks, the footer on the last part. */
export function joinMessage(layout: PackLayout, part: number, total: number, blocks: readonly string[]): string {
  const { sep } = parts(layout);
  const pieces = [
    part === 1 ? layout.title : undefined,
    layout.header?.(part, total),
    ...blocks,
    part === total ? layout.footer : undefined,
  ];
  return pieces.filter((p): p is string => !!p).join(sep);
}

/**
 * Packs `blocks` greedily into messages of at most `layout.limit` visible
 * characters. No messages for no blocks. Throws when one block alone does
 * not fit in a message: HTML cannot be split safely here, so a caller
 * whose blocks may be long renders them for the room it is given (a Block
 * function) and cuts them itself.
 */
export function packMessages(blocks: readonly Block[], layout: PackLayout = {}): PackedMessage[] {
  if (blocks.length === 0) return [];
  const { sepLen, limit, with_ } = parts(layout);
  const room = packRoom(layout, blocks.length);
  const firstRoom = room - with_(layout.title);
  const html = blocks.map((b) => (typeof b === "string" ? b : b(room)));
  const lengths = html.map(visibleLength);

  const groups: number[][] = [];
  let current: number[] = [];
  let used = 0;
  lengths.forEach((len, i) => {
    if (len > room) throw new Error(`pack: block ${i} is ${len} characters, more than the ${room} a message has room for`);
    const cap = groups.length === 0 ? firstRoom : room;
    const sep = current.length > 0 ? sepLen : 0;
    // A first block too long to share the first message with the title: the title goes alone.
    if (used + sep + len > cap && (current.length > 0 || groups.length === 0)) {
      groups.push(current);
      current = [];
      used = 0;
    }
    used += (current.length > 0 ? sepLen : 0) + len;
    current.push(i);
  });
  groups.push(current);

  return groups.map((indices, g) => {
    const text = joinMessage(
      layout,
      g + 1,
      groups.length,
      indices.map((j) => html[j]!),
    );
    // Holds by construction (the widest header is reserved); a bug, not bad input.
    const length = visibleLength(text);
    if (length > limit) throw new Error(`pack: message ${g + 1} is ${length} characters, over the limit of ${limit}`);
    return { text, indices };
  });
}
