import type { Redis } from "ioredis";
import { createLeadStore, type LeadStore } from "../leads/lead-store.js";
import { type BroadcastStore, createBroadcastStore } from "./broadcast-store.js";
import { type ChatStateStore, createChatStateStore } from "./chat-state-store.js";
import { createItemStore } from "./item-store.js";
import { BOUNDS, keys } from "./keys.js";
import { createPlaceStore, type PlaceStore } from "./place-store.js";
import { createSourceHealthStore, type SourceHealthStore } from "./source-health.js";
import { createSubscriberStore } from "./subscriber-store.js";
import type { ItemStore, SubscriberStore } from "./types.js";

export interface UpdateLog {
  /** true the first time an update id is seen: redelivered updates are skipped */
  firstTime(updateId: number): Promise<boolean>;
}

export interface Stores {
  items: ItemStore;
  subscribers: SubscriberStore;
  /** where each chat stands on the timeline and when it is due */
  chats: ChatStateStore;
  broadcasts: BroadcastStore;
  updates: UpdateLog;
  /** per-source health: read by /sources for admins, written by the poller */
  health: SourceHealthStore;
  /** channels the bot posts in, settings menus bound to another chat, once-only notices */
  places: PlaceStore;
  /** article leads by canonical URL, written and read by the poller's lead fetcher */
  leads: LeadStore;
}

export function createStores(redis: Redis, prefix: string, clock: () => number = Date.now): Stores {
  const k = keys(prefix);
  return {
    items: createItemStore(redis, k, clock),
    subscribers: createSubscriberStore(redis, k),
    chats: createChatStateStore(redis, k),
    broadcasts: createBroadcastStore(redis, k),
    health: createSourceHealthStore(redis, k, clock),
    places: createPlaceStore(redis, k),
    leads: createLeadStore(redis, k),
    updates: {
      async firstTime(updateId) {
        return (await redis.set(k.update(updateId), "1", "EX", BOUNDS.updateTtlS, "NX")) === "OK";
      },
    },
  };
}

export type { LeadRecord, LeadStore } from "../leads/lead-store.js";
export type { BroadcastStore } from "./broadcast-store.js";
export type { ChatState, ChatStateStore, SentMessage } from "./chat-state-store.js";
export type { ChannelRecord, PlaceStore } from "./place-store.js";
export type { SourceHealth, SourceHealthStore } from "./source-health.js";
export type * from "./types.js";
