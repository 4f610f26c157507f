import { sleep } from "../infra/sleep.js";
import type { Logger } from "../log.js";
import type { ChatStateStore } from "../store/chat-state-store.js";
import { BOUNDS } from "../store/keys.js";
import type { SubKey } from "../store/sub-key.js";
import type { ChatDelivery } from "./chat-delivery.js";

/**
 * This process's share of chat deliveries: claims due chats from Redis (any
 * process may take any chat; a claim is one subscription — a chat, or one
 * topic of a forum, by its key — held while its delivery runs and renewed), up to `concurrency` at a time, and hands each to the
 * chat delivery. Idle, it asks again every IDLE_MS or when woken (the planner
 * of this process marked chats due). Due order is first due, first served, so
 * under the flood limits every chat gets its turn before any gets a second.
 */
const IDLE_MS = 500;
const RENEW_MS = Math.floor(BOUNDS.chatClaimMs / 3);

export function createDeliveryRunner(deps: {
  chats: Pick<ChatStateStore, "claim" | "renew" | "release">;
  delivery: ChatDelivery;
  concurrency: number;
  logger: Logger;
  clock?: () => number;
  /** Redis errors while claiming, throttled by the caller */
  onError?: (err: Error) => void;
}) {
  const clock = deps.clock ?? Date.now;
  const held = new Set<SubKey>();
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let loop: Promise<void> | null = null;
  let wake: (() => void) | null = null;
  let renewTimer: NodeJS.Timeout | null = null;

  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wake = null;
        resolve();
      }
      wake = done;
    });

  function spawn(key: SubKey, dueAt: number) {
    held.add(key);
    const p = (async () => {
      let keep = false;
      try {
        const r = await deps.delivery.deliver(key, { waitedMs: clock() - dueAt });
        keep = r.kind === "later" && r.keepClaim === true;
        deps.logger.trace({ sub: key, result: r }, "delivery: chat done");
      } catch (err) {
        deps.logger.error({ sub: key, err: (err as Error).message }, "delivery: chat delivery crashed");
      } finally {
        held.delete(key);
        if (!keep) await deps.chats.release(key).catch(() => undefined);
      }
    })();
    inFlight.add(p);
    void p.finally(() => {
      inFlight.delete(p);
      wake?.();
    });
  }

  async function dispatch() {
    while (running) {
      const free = deps.concurrency - inFlight.size;
      if (free <= 0) {
        await Promise.race([...inFlight, nap(IDLE_MS)]);
        continue;
      }
      let ids: { key: SubKey; dueAt: number }[] = [];
      try {
        ids = await deps.chats.claim(clock(), free);
      } catch (err) {
        deps.onError?.(err as Error);
        await sleep(1000);
        continue;
      }
      for (const { key, dueAt } of ids) spawn(key, dueAt);
      if (ids.length < free) await nap(IDLE_MS);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      renewTimer = setInterval(() => {
        if (held.size) void deps.chats.renew([...held], clock()).catch((err: Error) => deps.onError?.(err));
      }, RENEW_MS);
      renewTimer.unref?.();
      loop = dispatch();
    },
    /** a chat was marked due: look now rather than at the next idle tick */
    wake() {
      wake?.();
    },
    /** finishes the deliveries in hand and stops */
    async close() {
      running = false;
      wake?.();
      await loop;
      await Promise.all([...inFlight]);
      if (renewTimer) clearInterval(renewTimer);
    },
  };
}

export type DeliveryRunner = ReturnType<typeof createDeliveryRunner>;
