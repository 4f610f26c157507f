import type { Redis } from "ioredis";
import { type BroadcastStore, createBroadcastStore } from "./broadcast-store.js";
import { createDeliveryLog } from "./delivery-log.js";
import { createItemStore } from "./item-store.js";
import { BOUNDS, keys } from "./keys.js";
import { createSourceHealthStore, type SourceHealthStore } from "./source-health.js";
import { createSubscriberStore } from "./subscriber-store.js";
import type { DeliveryLog, ItemStore, SubscriberStore } from "./types.js";

export interface UpdateLog {
  /** true the first time an update id is seen: redelivered updates are skipped */
  firstTime(updateId: number): Promise<boolean>;
}

export interface Stores {
  items: ItemStore;
  subscribers: SubscriberStore;
  delivered: DeliveryLog;
  broadcasts: BroadcastStore;
  updates: UpdateLog;
  /** per-source health: read by /sources for admins, written by the poller */
  health: SourceHealthStore;
}

export function createStores(redis: Redis, prefix: string, clock: () => number = Date.now): Stores {
  const k = keys(prefix);
  return {
    items: createItemStore(redis, k, clock),
    subscribers: createSubscriberStore(redis, k),
    delivered: createDeliveryLog(redis, k),
    broadcasts: createBroadcastStore(redis, k),
    health: createSourceHealthStore(redis, k, clock),
    updates: {
      async firstTime(updateId) {
        return (await redis.set(k.update(updateId), "1", "EX", BOUNDS.updateTtlS, "NX")) === "OK";
      },
    },
  };
}

export type { BroadcastStore } from "./broadcast-store.js";
export type { SourceHealth, SourceHealthStore } from "./source-health.js";
export type * from "./types.js";
