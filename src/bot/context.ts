import type { Context } from "grammy";
import type { Config, Source } from "../config.js";
import type { BroadcastDelivery } from "../delivery/broadcast-delivery.js";
import type { DeliveryStats } from "../delivery/index.js";
import type { Logger } from "../log.js";
import type { NewsService } from "../news/service.js";
import type { Stores } from "../store/index.js";

/** What every command module gets: the stores and services, never Redis or HTTP. */
export interface CommandDeps {
  config: Pick<Config, "adminIds" | "timezone">;
  stores: Stores;
  news: Pick<NewsService, "latest" | "sources">;
  broadcasts: Pick<BroadcastDelivery, "start" | "cancel">;
  /** queue depth, today's counts, dead letters, running broadcasts — for /stats */
  deliveryStats?: () => Promise<DeliveryStats>;
  logger: Logger;
  clock: () => number;
}

export type BotContext = Context;

export function isAdmin(deps: Pick<CommandDeps, "config">, ctx: Context): boolean {
  return ctx.from !== undefined && deps.config.adminIds.includes(ctx.from.id);
}

export type { Source };
