import { sleep } from "../infra/sleep.js";
import type { Limiter } from "./limiter.js";

/** Waits longer than this are not slept through: the caller puts its work back for later instead of holding a sender. */
export const MAX_INLINE_WAIT_MS = 1000;
/** A send may start this late after its slot and still count as on time (ms). */
export const SLOT_GRACE_MS = 5;

export type Slot =
  /** the slot is ours: the send must start by `deadline` (performance.now() time), else take a new one */
  | { ok: true; deadline: number }
  /** the chat (or everyone) must wait longer than MAX_INLINE_WAIT_MS: come back in `waitMs` */
  | { ok: false; waitMs: number };

/**
 * Takes a send slot for the chat under the shared flood limits, sleeping
 * through short waits. The deadline matters: a slot used later than it (a
 * busy event loop) would go out bunched with the next one — the limiter
 * counted it at its own time — and meet a 429, so a late sender takes a new
 * one. Broadcast workers and chat deliveries both send through here.
 */
export async function takeSlot(limiter: Limiter, chatId: number, opts: { paid?: boolean } = {}): Promise<Slot> {
  for (;;) {
    const r = await limiter.tryAcquire(chatId, { paid: opts.paid ?? false });
    if (r.ok) {
      const due = performance.now() + r.waitMs;
      await sleep(r.waitMs);
      return { ok: true, deadline: due + SLOT_GRACE_MS };
    }
    if (r.waitMs > MAX_INLINE_WAIT_MS) return { ok: false, waitMs: r.waitMs };
    // A little jitter, so senders told the same wait do not all come back at once.
    await sleep(r.waitMs + Math.random() * 5);
  }
}
