import { Api, GrammyError, HttpError, type Bot } from "grammy";
import type { Redis } from "ioredis";
import cron, { type ScheduledTask } from "node-cron";
import { PUBLIC_COMMANDS } from "./bot/command-list.js";
import { createBot } from "./bot/create-bot.js";
import type { Config, Source } from "./config.js";
import { createBroadcastDelivery } from "./delivery/broadcast-delivery.js";
import { createMessenger } from "./delivery/messenger.js";
import { createNewsDelivery } from "./delivery/news-delivery.js";
import { Pacer, sleep } from "./delivery/pacer.js";
import { redisAnswers, startEmbeddedRedis, type EmbeddedRedis } from "./infra/embedded-redis.js";
import type { Logger } from "./log.js";
import { composeBroadcast, composeDigest, composeNews } from "./news/compose.js";
import { createNewsService } from "./news/service.js";
import { createPoller } from "./poll/poller.js";
import { createStores } from "./store/index.js";
import { createRedis } from "./store/redis.js";

export class StartupError extends Error {}

/** Picks the Redis to use: REDIS_URL, else one on 127.0.0.1:6379, else an embedded one. */
async function resolveRedis(config: Config, logger: Logger): Promise<{ url: string; embedded?: EmbeddedRedis }> {
  if (config.redisUrl) return { url: config.redisUrl };
  if (await redisAnswers("127.0.0.1", 6379)) return { url: "redis://127.0.0.1:6379" };
  try {
    const embedded = await startEmbeddedRedis(config.dataDir);
    logger.info({ url: embedded.url, dataDir: config.dataDir }, "redis: no REDIS_URL and nothing on 127.0.0.1:6379, started an embedded redis-server");
    return { url: embedded.url, embedded };
  } catch (err) {
    if ((err as Error).name === "RedisNotInstalledError" || /not found/.test((err as Error).message)) {
      throw new StartupError(
        "redis-server is not installed and REDIS_URL is not set: install it (apt-get install redis-server / brew install redis) or set REDIS_URL=redis://host:6379",
      );
    }
    throw new StartupError(`could not start an embedded redis-server: ${(err as Error).message}`);
  }
}

/** Waits for Redis, logging one clear line per failed attempt, instead of crashing in a loop. */
async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  let attempts = 0;
  const redis = createRedis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 500, 5000),
  });
  redis.on("error", (err) => {
    if (attempts++ % 10 === 0) logger.warn({ err: err.message }, `redis: not reachable at ${url.replace(/\/\/[^@]*@/, "//***@")}, retrying`);
  });
  if (redis.status !== "ready") await new Promise<void>((ok) => redis.once("ready", ok));
  logger.info("redis: connected");
  return redis;
}

/** getMe with retries on network trouble; a rejected token is a configuration error. */
async function initBot(bot: Bot, logger: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await bot.init();
      return;
    } catch (err) {
      if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
        throw new StartupError("BOT_TOKEN was rejected by Telegram (401 Unauthorized): check the token from @BotFather");
      }
      const why = err instanceof HttpError || err instanceof GrammyError ? err.message : String(err);
      logger.warn({ attempt }, `telegram: cannot reach the Bot API (${why}), retrying`);
      await sleep(Math.min(attempt * 2000, 30_000));
    }
  }
}

export interface App {
  stop(): Promise<void>;
  pollNow(): Promise<unknown>;
}

export async function startApp(config: Config, sources: Source[], logger: Logger): Promise<App> {
  const { url, embedded } = await resolveRedis(config, logger);
  const redis = await connectRedis(url, logger);
  const stores = createStores(redis, config.redisPrefix);
  const news = createNewsService({ items: stores.items, sources: () => sources });
  logger.info({ items: await news.load() }, "related: index loaded");

  const pacer = new Pacer({ globalPerSecond: config.deliveryRate, perChatPerSecond: 1, perChatBurst: 3, groupPerMinute: 20 });
  // Deliveries use their own client without auto-retry: the messenger handles
  // 429s itself so that one chat's flood wait pauses every sender.
  const deliveryApi = new Api(config.botToken, { apiRoot: config.telegramApiRoot });
  const messenger = createMessenger({
    api: deliveryApi,
    pacer,
    logger,
  });
  const fmt = () => ({ timezone: config.timezone, now: Date.now() });
  const delivery = createNewsDelivery({
    ...stores,
    messenger,
    logger,
    relatedFor: (item) => news.relatedFor(item),
    format: { news: (e) => composeNews(e, fmt()), digest: (es) => composeDigest(es, fmt()) },
    digestThreshold: config.digestThreshold,
  });
  const broadcasts = createBroadcastDelivery({
    broadcasts: stores.broadcasts,
    subscribers: stores.subscribers,
    messenger,
    logger,
    format: (b) => composeBroadcast(b.text, {}),
    report: async (b, r) => {
      const lines = [
        `📢 Broadcast finished: sent to ${r.sent + r.earlier} of ${r.total} subscriber${r.total === 1 ? "" : "s"}.`,
        `Failed: ${r.failed}. Blocked the bot (unsubscribed): ${r.blocked}.`,
      ];
      await bot.api.sendMessage(b.adminChatId, lines.join("\n")).catch((err) => logger.warn({ err: (err as Error).message }, "broadcast: report not sent"));
    },
  });

  const bot = createBot({
    token: config.botToken,
    apiRoot: config.telegramApiRoot,
    config,
    stores,
    news,
    broadcasts,
    logger,
    clock: Date.now,
  });
  await initBot(bot, logger);
  await bot.api.setMyCommands([...PUBLIC_COMMANDS]).catch((err) => logger.warn({ err: (err as Error).message }, "telegram: setMyCommands failed"));

  const poller = createPoller({
    sources: () => sources,
    items: stores.items,
    logger,
    fetch: { timeoutMs: config.fetchTimeoutMs, maxBytes: config.fetchMaxBytes },
    concurrency: config.pollConcurrency,
    onStored: (items) => news.add(items),
    // Delivery runs beside polling: a long delivery never delays the next poll.
    onNews: async () => void delivery.run().catch((err) => logger.error({ err: (err as Error).message }, "delivery: pass failed")),
  });

  const task: ScheduledTask = cron.schedule(
    config.pollCron,
    async () => {
      await poller.poll().catch((err) => logger.error({ err: (err as Error).message }, "poll: run failed"));
    },
    { name: "poll", noOverlap: true },
  );

  // Work a previous process left unfinished.
  void delivery.run().catch((err) => logger.error({ err: (err as Error).message }, "delivery: pass failed"));
  void broadcasts.resume().catch((err) => logger.error({ err: (err as Error).message }, "broadcast: resume failed"));
  if (config.pollOnStart) void poller.poll().catch((err) => logger.error({ err: (err as Error).message }, "poll: run failed"));

  const polling = bot.start({
    drop_pending_updates: false,
    allowed_updates: ["message", "callback_query", "my_chat_member"],
    onStart: (me) => logger.info({ username: me.username, sources: sources.length, cron: config.pollCron }, "bot: started"),
  });
  polling.catch((err) => logger.error({ err: (err as Error).message }, "bot: polling stopped"));

  let stopping: Promise<void> | null = null;
  return {
    pollNow: () => poller.poll(),
    stop() {
      stopping ??= (async () => {
        logger.info("shutting down");
        await task.stop();
        await bot.stop().catch(() => undefined);
        // Let in-flight sends finish for up to 10 s, then stop starting new ones.
        const idle = Promise.all([poller.idle(), delivery.idle(), broadcasts.idle()]);
        await Promise.race([idle, sleep(10_000)]);
        messenger.stop();
        await Promise.race([idle, sleep(1000)]);
        await redis.quit().catch(() => redis.disconnect());
        await embedded?.stop();
        logger.info("stopped");
      })();
      return stopping;
    },
  };
}
