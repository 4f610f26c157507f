/**
 * Paces outgoing messages under Telegram's flood limits with a GCRA
 * (generic cell rate algorithm): each limit keeps a "theoretical arrival
 * time", a send is allowed once every limit agrees, and the slot is reserved
 * up front so concurrent senders never overshoot.
 *
 *  - overall: `globalPerSecond`, no burst
 *  - private chats: `perChatPerSecond` with a burst of `perChatBurst`
 *  - groups (negative ids): `groupPerMinute`, no burst (20/min is a hard cap)
 */
export interface PacerOptions {
  globalPerSecond: number;
  perChatPerSecond?: number;
  perChatBurst?: number;
  groupPerMinute?: number;
}

interface Cell {
  tat: number;
}

export class Pacer {
  private readonly globalInterval: number;
  private readonly chatInterval: number;
  private readonly groupInterval: number;
  private readonly burst: number;
  private readonly global: Cell = { tat: 0 };
  private readonly chats = new Map<number, Cell>();

  constructor(opts: PacerOptions, private readonly clock: () => number = Date.now) {
    this.globalInterval = 1000 / opts.globalPerSecond;
    this.chatInterval = 1000 / (opts.perChatPerSecond ?? 1);
    this.groupInterval = 60_000 / (opts.groupPerMinute ?? 20);
    this.burst = Math.max(1, opts.perChatBurst ?? 3);
  }

  /** Reserves the next slot for `chatId` and returns how long to wait for it (ms). */
  reserve(chatId: number): number {
    const now = this.clock();
    const interval = chatId < 0 ? this.groupInterval : this.chatInterval;
    const burst = chatId < 0 ? 1 : this.burst;
    let chat = this.chats.get(chatId);
    if (!chat) {
      chat = { tat: 0 };
      this.chats.set(chatId, chat);
    }
    const chatAllowed = Math.max(now, chat.tat - (burst - 1) * interval);
    const globalAllowed = Math.max(now, this.global.tat);
    const at = Math.max(chatAllowed, globalAllowed);
    chat.tat = Math.max(chat.tat, at) + interval;
    this.global.tat = Math.max(this.global.tat, at) + this.globalInterval;
    this.forgetIdleChats(now);
    return at - now;
  }

  /** After a 429: nobody sends before `retryAfterMs` has passed. */
  pauseAll(retryAfterMs: number): void {
    this.global.tat = Math.max(this.global.tat, this.clock() + retryAfterMs);
  }

  /** After a 429 for one chat: that chat waits `retryAfterMs`. */
  pauseChat(chatId: number, retryAfterMs: number): void {
    const interval = chatId < 0 ? this.groupInterval : this.chatInterval;
    const burst = chatId < 0 ? 1 : this.burst;
    const cell = this.chats.get(chatId) ?? { tat: 0 };
    // tat - (burst-1)*interval is when the next send may go
    cell.tat = Math.max(cell.tat, this.clock() + retryAfterMs + (burst - 1) * interval);
    this.chats.set(chatId, cell);
  }

  private forgetIdleChats(now: number): void {
    if (this.chats.size < 10_000) return;
    for (const [id, cell] of this.chats) if (cell.tat < now) this.chats.delete(id);
  }
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
