import { GrammyError, HttpError, type Bot } from "grammy";
import type { Redis } from "ioredis";
import cron, { type ScheduledTask } from "node-cron";
import { PUBLIC_COMMANDS } from "./bot/command-list.js";
import { createBot } from "./bot/create-bot.js";
import type { Config, Source } from "./config.js";
import { createDelivery, paceReplies } from "./delivery/index.js";
import { createFormatter } from "./delivery/formatter.js";
import { createSendApi } from "./delivery/send-api.js";
import { redisRunCoordinator } from "./infra/cron-coordinator.js";
import { redisAnswers, startEmbeddedRedis, type EmbeddedRedis } from "./infra/embedded-redis.js";
import { startLeaderElection } from "./infra/leader.js";
import { tryLease } from "./infra/redis-lock.js";
import { sleep } from "./infra/sleep.js";
import type { Logger } from "./log.js";
import { createNewsService } from "./news/service.js";
import { createPoller } from "./poll/poller.js";
import { createSourceAdmin } from "./sources/admin.js";
import { createSourceRegistry } from "./sources/registry.js";
import { createStores } from "./store/index.js";
import { keys } from "./store/keys.js";
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
  // SOURCES_FILE's sources plus those admins added from the chat.
  const registry = createSourceRegistry({
    redis,
    keys: keys(config.redisPrefix),
    fileSources: sources,
    allowPrivate: config.allowPrivateSources,
    logger,
    onRemoved: (id) => stores.health.forget(id),
  });
  await registry.refresh();
  const news = createNewsService({ items: stores.items, sources: () => registry.cached(), logger });
  logger.info({ items: await news.load() }, "related: index loaded");

  const k = keys(config.redisPrefix);

  const bot = createBot({
    token: config.botToken,
    apiRoot: config.telegramApiRoot,
    config,
    stores,
    news,
    // The delivery below is built with this bot's api; commands only run once both exist.
    broadcasts: { start: (b) => delivery.broadcasts.start(b), cancel: () => delivery.broadcasts.cancel() },
    deliveryStats: () => delivery.stats(),
    logger,
    clock: Date.now,
    sourceAdmin: createSourceAdmin({
      registry,
      health: stores.health,
      fetch: { timeoutMs: config.fetchTimeoutMs, maxBytes: config.fetchMaxBytes },
      allowPrivate: config.allowPrivateSources,
      logger,
    }),
  });
  await initBot(bot, logger);

  const fmt = () => ({ timezone: config.timezone, now: Date.now() });
  const delivery = createDelivery({
    redis,
    prefix: config.redisPrefix,
    stores,
    // Outbox sends use their own lean client without auto-retry: the queue
    // retries, and a 429 pauses every worker of every process, not one request.
    api: createSendApi({ token: config.botToken, apiRoot: config.telegramApiRoot }),
    botApi: bot.api,
    format: createFormatter(fmt),
    relatedFor: async (item) => news.relatedFor(item),
    prepareFanout: () => news.sync(),
    merge: {
      windowMs: config.sameStoryMergeHours * 3600_000,
      earlier: (item) => news.sameStoryEarlier(item, config.sameStoryMergeHours * 3600_000),
      resembles: (item, root) => news.resembles(item, root),
    },
    logger,
    timezone: config.timezone,
    rate: config.deliveryRate,
    paidBroadcast: config.paidBroadcast,
    paidRate: config.paidBroadcastRate,
    digestThreshold: config.digestThreshold,
  });
  // Replies (/latest, /start…) skip the queue but share its flood budget.
  bot.api.config.use(paceReplies(delivery.limiter, logger));
  await bot.api.setMyCommands([...PUBLIC_COMMANDS]).catch((err) => logger.warn({ err: (err as Error).message }, "telegram: setMyCommands failed"));

  const poller = createPoller({
    // Read at each tick, so sources added or removed by any process count from the next one.
    sources: () =>
      registry.refresh().catch((err) => {
        logger.warn({ err: (err as Error).message }, "sources: reload failed, polling the last known list");
        return registry.cached();
      }),
    // Chat-added sources are fetched through the SSRF guard (file sources are trusted).
    guardFor: (source) => registry.guardFor(source.id),
    items: stores.items,
    logger,
    fetch: { timeoutMs: config.fetchTimeoutMs, maxBytes: config.fetchMaxBytes },
    concurrency: config.pollConcurrency,
    health: stores.health,
    maxFailures: config.sourceMaxFailures,
    // Each admin is told separately: one who blocked the bot does not keep the message from the others.
    notifyAdmins: async (text) => {
      for (const id of config.adminIds) {
        await bot.api.sendMessage(id, text).catch((err) => logger.warn({ adminId: id, err: (err as Error).message }, "poll: admin message not sent"));
      }
    },
    onStored: (items) => news.add(items),
    // Fan-out runs beside polling: a long delivery never delays the next poll.
    onNews: async () => void fanOut(),
  });
  const fanOut = () => delivery.fanout.run().catch((err) => logger.error({ err: (err as Error).message }, "delivery: fan-out failed"));

  // With several processes on one Redis, each tick runs in one of them (the
  // first to claim the slot in Redis); the others skip it.
  const task: ScheduledTask = cron.schedule(
    config.pollCron,
    async (ctx) => {
      logger.debug({ slot: ctx.date.toISOString() }, "poll: tick");
      await poller.poll().catch((err) => logger.error({ err: (err as Error).message }, "poll: run failed"));
      // Also picks up items a crashed process stored but did not fan out.
      void fanOut();
    },
    { name: "poll", noOverlap: true, distributed: true, runCoordinator: redisRunCoordinator(redis, (slot) => k.lock(`cron:${slot}`)) },
  );

  // Work a previous process left unfinished: pending items, queued jobs, broadcasts being sent.
  delivery.start();
  void fanOut();
  // Several processes starting together poll once between them.
  if (config.pollOnStart && (await tryLease(redis, k.lock("poll-on-start"), 15_000))) {
    logger.debug("poll: on start");
    void poller.poll().catch((err) => logger.error({ err: (err as Error).message }, "poll: run failed"));
  }

  // Only one process long-polls Telegram (two would make it answer 409);
  // the others stand by and take over within the lease when it stops or dies.
  const leader = startLeaderElection({
    redis,
    key: k.lock("leader"),
    logger,
    lead: async (signal) => {
      const polling = bot.start({
        drop_pending_updates: false,
        allowed_updates: ["message", "callback_query", "my_chat_member"],
        onStart: (me) => logger.info({ username: me.username, sources: sources.length, cron: config.pollCron }, "bot: started"),
      });
      signal.addEventListener("abort", () => void bot.stop().catch(() => undefined), { once: true });
      await polling;
    },
  });
  logger.info({ pid: process.pid }, "app: started");

  let stopping: Promise<void> | null = null;
  return {
    pollNow: () => poller.poll(),
    stop() {
      stopping ??= (async () => {
        logger.info("shutting down");
        await task.stop();
        poller.stop();
        await leader.stop();
        // Let the sends in hand finish for up to 10 s; the rest stay queued in
        // Redis (a job cut short is taken over by another process or the next start).
        await Promise.race([Promise.all([poller.idle(), delivery.close()]), sleep(10_000)]);
        await redis.quit().catch(() => redis.disconnect());
        await embedded?.stop();
        logger.info("stopped");
      })();
      return stopping;
    },
  };
}
