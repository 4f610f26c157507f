import { run } from "@grammyjs/runner";
import type { Bot as GrammyBot } from "grammy";
import type { BotContext } from "./bot/context.js";

type Bot = GrammyBot<BotContext>;

import type { Redis } from "ioredis";
import cron, { type ScheduledTask } from "node-cron";
import { registerCommandMenus } from "../commands/index.js";
import { accessFor } from "./bot/access.js";
import { createBareBot, installHandlers } from "./bot/create-bot.js";
import { webAppUrl } from "./bot/web-app-button.js";
import { createMembership, type Membership } from "./chats/membership.js";
import type { Config, Source } from "./config.js";
import { createFormatter } from "./delivery/formatter.js";
import { createDelivery, meterReplies, paceReplies } from "./delivery/index.js";
import { createSendApi } from "./delivery/send-api.js";
import { DEFAULT_LOCALE } from "./i18n/locales.js";
import { createTranslator, type Translator } from "./i18n/translator.js";
import { redisRunCoordinator } from "./infra/cron-coordinator.js";
import { type EmbeddedRedis, RedisNotInstalledError, redisAnswers, startEmbeddedRedis } from "./infra/embedded-redis.js";
import { startLeaderElection } from "./infra/leader.js";
import { connectRedis, redactRedisUrl } from "./infra/redis-connection.js";
import { tryLease } from "./infra/redis-lock.js";
import { sleep } from "./infra/sleep.js";
import { StartupError } from "./infra/startup-error.js";
import { createExtractor } from "./leads/extractor.js";
import { articleGuard, createLeadFetcher } from "./leads/fetch-lead.js";
import type { Logger } from "./log.js";
import { createNewsService, type NewsService } from "./news/service.js";
import { createOpsServer, telegramReadiness } from "./ops/http-server.js";
import { createMeters, type Meters } from "./ops/meters.js";
import { createMetrics } from "./ops/metrics.js";
import { webhookHandler } from "./ops/webhook.js";
import { createPoller } from "./poll/poller.js";
import { sourceLangs } from "./prefs/match.js";
import { createSettings, type Settings } from "./prefs/settings.js";
import { createSourceAdmin } from "./sources/admin.js";
import { createSourceRegistry, type SourceRegistry } from "./sources/registry.js";
import { createStores, type Stores } from "./store/index.js";
import { type Keys, keys } from "./store/keys.js";
import { type ApiHealth, trackApiHealth } from "./telegram/api-health.js";
import { waitForBotApi } from "./telegram/wait-for-bot-api.js";
import { onPrefsChanged } from "./timeline/subscriptions.js";
import { createWebApp, type WebAppHandler } from "./webapp/api.js";

export { StartupError };

/**
 * The app is a sequence of named steps. Each takes what earlier steps
 * returned and returns what later ones need, so the order is checked by the
 * compiler, not found out at run time. Each started part registers how it
 * stops; shutdown runs that list in the order SHUTDOWN_ORDER gives.
 */
type Part = "http" | "schedule" | "updates" | "delivery" | "redis" | "embedded-redis";
const SHUTDOWN_ORDER: readonly Part[] = ["http", "schedule", "updates", "delivery", "redis", "embedded-redis"];
type Stoppers = Map<Part, () => Promise<void>>;

/** The update kinds the bot handles, asked of getUpdates (and, later, setWebhook). */
export const ALLOWED_UPDATES = ["message", "channel_post", "callback_query", "my_chat_member"] as const;

/** Picks the Redis to use: REDIS_URL, else one on 127.0.0.1:6379, else an embedded one. */
async function resolveRedis(config: Config, logger: Logger): Promise<{ url: string; embedded?: EmbeddedRedis }> {
  if (config.redisUrl) return { url: config.redisUrl };
  if (await redisAnswers("127.0.0.1", 6379)) {
    logger.info("redis: no REDIS_URL; using the Redis that answers on 127.0.0.1:6379 (set REDIS_URL to choose another)");
    return { url: "redis://127.0.0.1:6379" };
  }
  try {
    const embedded = await startEmbeddedRedis(config.dataDir);
    logger.info(
      { url: embedded.url, dataDir: config.dataDir },
      "redis: no REDIS_URL and nothing on 127.0.0.1:6379, started an embedded redis-server",
    );
    return { url: embedded.url, embedded };
  } catch (err) {
    if (err instanceof RedisNotInstalledError) {
      throw new StartupError(
        "redis-server is not installed and REDIS_URL is not set: install it (apt-get install redis-server / brew install redis) or set REDIS_URL=redis://host:6379",
      );
    }
    throw new StartupError(`could not start an embedded redis-server: ${(err as Error).message}`);
  }
}

interface Infrastructure {
  redis: Redis;
  stores: Stores;
  k: Keys;
  /** later steps subscribe here: Redis came back without our data */
  onDataLost(listener: () => Promise<void>): void;
}

async function startInfrastructure(config: Config, logger: Logger, stoppers: Stoppers): Promise<Infrastructure> {
  const { url, embedded } = await resolveRedis(config, logger);
  if (embedded) stoppers.set("embedded-redis", () => embedded.stop());
  const k = keys(config.redisPrefix);
  const listeners: Array<() => Promise<void>> = [];
  const connection = await connectRedis(url, {
    logger,
    timeoutMs: config.redisConnectTimeoutMs,
    markerKey: k.instanceMarker(),
    onDataLost: async () => {
      for (const listener of listeners)
        await listener().catch((err) => logger.error({ err: (err as Error).message }, "redis: data-loss handler failed"));
    },
  }).catch(async (err) => {
    await embedded?.stop();
    throw err;
  });
  stoppers.set("redis", () => connection.close());
  logger.info({ redis: redactRedisUrl(url), embedded: Boolean(embedded), prefix: config.redisPrefix }, "redis: connected");
  return { redis: connection.redis, stores: createStores(connection.redis, config.redisPrefix), k, onDataLost: (l) => listeners.push(l) };
}

async function startSources(config: Config, fileSources: Source[], infra: Infrastructure, logger: Logger): Promise<SourceRegistry> {
  // SOURCES_FILE's sources plus those admins added from the chat.
  const registry = createSourceRegistry({
    redis: infra.redis,
    keys: infra.k,
    fileSources,
    allowPrivate: config.allowPrivateSources,
    logger,
    items: infra.stores.items,
    onRemoved: (id) => infra.stores.health.forget(id),
  });
  await registry.refresh();
  return registry;
}

async function startNews(registry: SourceRegistry, infra: Infrastructure, logger: Logger): Promise<NewsService> {
  const news = createNewsService({ items: infra.stores.items, sources: () => registry.cached(), logger });
  logger.info({ items: await news.load() }, "related: index loaded");
  const adopted = await infra.stores.items.adoptLegacyPending();
  if (adopted) logger.info({ stories: adopted }, "timeline: stories an older version had queued are on the timeline");
  return news;
}

/** The bot's client, once the Bot API answers; no handlers yet. */
async function connectTelegram(config: Config, logger: Logger, meters: Meters): Promise<{ bot: Bot; health: ApiHealth }> {
  const me = await waitForBotApi(config.telegramApiRoot, config.botToken, { logger });
  // newsbot_messages_total{kind="reply"}: what goes out through this client (news and broadcasts use the SendApi);
  // inside the retries, so each 429 that auto-retry waits out is counted when it comes.
  const bot = createBareBot({ token: config.botToken, apiRoot: config.telegramApiRoot, botInfo: me, inner: [meterReplies(meters)] });
  const health = trackApiHealth({ logger, apiRoot: config.telegramApiRoot });
  bot.api.config.use(health.transformer);
  return { bot, health };
}

/**
 * The settings Mini App (PUBLIC_URL): its handler for the HTTP server, and
 * every private chat's menu button opening it (each chat's /start and
 * /settings then label it in the reader's language).
 */
async function startWebApp(
  publicUrl: string,
  config: Config,
  infra: Infrastructure,
  bot: Bot,
  settings: Settings,
  translator: Translator,
  logger: Logger,
): Promise<WebAppHandler> {
  const access = accessFor({ stores: infra.stores });
  const url = webAppUrl(publicUrl);
  await bot.api
    .setChatMenuButton({ menu_button: { type: "web_app", text: translator.t("en", "webapp-menu-button"), web_app: { url } } })
    .catch((err: unknown) => logger.warn({ err: (err as Error).message }, "webapp: the default menu button was not set"));
  logger.info({ url }, "webapp: the settings Mini App is served");
  return createWebApp({
    token: config.botToken,
    settings,
    subscribers: infra.stores.subscribers,
    places: infra.stores.places,
    isChatAdmin: (api, chatId, userId) => access.isChatAdmin(api, chatId, userId),
    api: bot.api,
    translator,
    logger,
  });
}

/** The operator's HTTP server, when HTTP_PORT is set: health, readiness, Prometheus metrics. */
async function startOpsServer(
  config: Config,
  infra: Infrastructure,
  registry: SourceRegistry,
  delivery: Delivery,
  bot: Bot,
  health: ApiHealth,
  meters: Meters,
  logger: Logger,
  stoppers: Stoppers,
  webapp?: WebAppHandler,
) {
  if (config.httpPort === undefined) return;
  const ping = async () => {
    const t0 = process.hrtime.bigint();
    await infra.redis.ping();
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  const metrics = createMetrics({
    deliveryStats: () => delivery.stats(),
    subscribers: () => infra.stores.subscribers.all(),
    sourceHealth: () => infra.stores.health.allHealth(),
    sourceIds: () =>
      registry
        .cached()
        .filter((s) => s.enabled)
        .map((s) => s.id),
    redisRoundTrip: ping,
    telegram: health,
    waitingSince: (queue, now) => delivery.waitingSince(queue, now),
    meters,
    logger,
  });
  const server = createOpsServer({
    metrics,
    readiness: {
      redis: async () => {
        await ping();
        return true;
      },
      // Polling asks Telegram every 30 s at most; a quiet webhook process asks getMe (below) once a minute.
      telegram: telegramReadiness(health, 120_000),
    },
    logger,
    ...(webapp ? { webapp } : {}),
    ...(config.webhook
      ? {
          webhook: {
            path: new URL(config.webhook.url).pathname,
            handle: webhookHandler(bot, { secret: config.webhook.secret, logger, metrics }),
          },
        }
      : {}),
  });
  await server.listen(config.httpPort, config.httpHost);
  // A webhook process only talks to Telegram when an update or a delivery comes; in a quiet hour
  // one cheap getMe a minute keeps /readyz about whether the Bot API answers, not about traffic.
  const probe = config.webhook
    ? setInterval(() => {
        const last = health.lastOkAt();
        if (last === null || Date.now() - last > 60_000) void bot.api.getMe().catch(() => undefined);
      }, 60_000).unref()
    : undefined;
  stoppers.set("http", () => {
    if (probe) clearInterval(probe);
    return server.close();
  });
}

/** source id → its lang for language preferences ("und" when none), recomputed when the source list changes. */
function langsOf(list: () => readonly Source[]): (sourceId: string) => string {
  let seen: readonly Source[] | null = null;
  let map = new Map<string, string>();
  return (id) => {
    const now = list();
    if (now !== seen) {
      seen = now;
      map = sourceLangs(now);
    }
    return map.get(id) ?? "und";
  };
}

function startDelivery(
  config: Config,
  infra: Infrastructure,
  registry: SourceRegistry,
  news: NewsService,
  bot: Bot,
  places: { translator: Translator; membership: Membership },
  logger: Logger,
  stoppers: Stoppers,
  meters: Meters,
) {
  const delivery = createDelivery({
    meter: meters,
    translator: places.translator,
    // A closed topic or a chat the bot can no longer post in: stopped, and the right people told once.
    onTopicGone: (sub) => places.membership.topicGone(sub),
    onChatGone: async (chatId) => {
      if (await infra.stores.places.channel(chatId)) await places.membership.channelOff({ id: chatId }, "removed");
    },
    redis: infra.redis,
    prefix: config.redisPrefix,
    stores: infra.stores,
    // Outbox sends use their own lean client without auto-retry: the queue
    // retries, and a 429 pauses every worker of every process, not one request.
    api: createSendApi({ token: config.botToken, apiRoot: config.telegramApiRoot }),
    botApi: bot.api,
    format: createFormatter(),
    langOf: langsOf(() => registry.cached()),
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
  infra.onDataLost(() => delivery.broadcasts.closeInterrupted("redis-data-lost"));
  // Let the sends in hand finish for up to 10 s; the rest stay queued in
  // Redis (a job cut short is taken over by another process or the next start).
  stoppers.set("delivery", () => Promise.race([delivery.close(), sleep(10_000)]).then(() => undefined));
  return delivery;
}

/** node-cron's logger interface onto pino: every line JSON, at a level that matches. */
function cronLogger(logger: Logger) {
  const text = (m: unknown) => (m instanceof Error ? m.message : String(m));
  return {
    info: (m: unknown) => logger.debug({ component: "node-cron" }, text(m)),
    debug: (m: unknown) => logger.debug({ component: "node-cron" }, text(m)),
    warn: (m: unknown) => logger.warn({ component: "node-cron" }, text(m)),
    error: (m: unknown, err?: unknown) => logger.error({ component: "node-cron", err: err ? text(err) : undefined }, text(m)),
  };
}

type Delivery = ReturnType<typeof createDelivery>;

function startPolling(
  config: Config,
  infra: Infrastructure,
  registry: SourceRegistry,
  news: NewsService,
  bot: Bot,
  delivery: Delivery,
  translator: Translator,
  logger: Logger,
  stoppers: Stoppers,
  meters: Meters,
) {
  const fanOut = () => delivery.planner.run().catch((err) => logger.error({ err: (err as Error).message }, "timeline: planning failed"));
  // Leads for title-only feeds: article pages fetched as guarded as the feeds, read in a worker thread.
  const leads = createLeadFetcher({
    store: infra.stores.leads,
    extractor: createExtractor(),
    logger,
    guardFor: (source, url) =>
      articleGuard({
        allowPrivate: config.allowPrivateSources,
        sourceGuard: registry.guardFor(source.id),
        feedUrl: source.url,
        articleUrl: url,
      }),
  });
  const poller = createPoller({
    leads,
    meter: meters,
    // Read at each tick, so sources added or removed by any process count from the next one.
    sources: () =>
      registry.refresh().catch((err) => {
        logger.warn({ err: (err as Error).message }, "sources: reload failed, polling the last known list");
        return registry.cached();
      }),
    // Chat-added sources are fetched through the SSRF guard (file sources are trusted).
    guardFor: (source) => registry.guardFor(source.id),
    items: infra.stores.items,
    logger,
    fetch: { timeoutMs: config.fetchTimeoutMs, maxBytes: config.fetchMaxBytes },
    concurrency: config.pollConcurrency,
    health: infra.stores.health,
    maxFailures: config.sourceMaxFailures,
    // Each admin is told separately, in their language: one who blocked the bot does not keep the message from the others.
    notifyAdmins: async (compose) => {
      for (const id of config.adminIds) {
        const locale = (await infra.stores.subscribers.prefsOf(id).catch(() => null))?.locale ?? DEFAULT_LOCALE;
        await bot.api
          .sendMessage(id, compose(translator.forLocale(locale), translator.intlLocale(locale)), {
            parse_mode: "HTML",
            link_preview_options: { is_disabled: true },
          })
          .catch((err) => logger.warn({ adminId: id, err: (err as Error).message }, "poll: admin message not sent"));
      }
    },
    onStored: (items) => news.add(items),
    // Fan-out runs beside polling: a long delivery never delays the next poll.
    onNews: async () => void fanOut(),
  });

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
    {
      name: "poll",
      noOverlap: true,
      distributed: true,
      runCoordinator: redisRunCoordinator(infra.redis, (slot) => infra.k.lock(`cron:${slot}`)),
      // node-cron's own coloured console lines would break the JSON log stream.
      logger: cronLogger(logger),
    },
  );
  stoppers.set("schedule", async () => {
    await task.stop();
    poller.stop();
    await Promise.race([poller.idle(), sleep(10_000)]);
    await leads.close();
  });

  // Work a previous process left unfinished: pending items, queued jobs, broadcasts being sent.
  delivery.start();
  void fanOut();
  return { poller };
}

/**
 * Long polling through @grammyjs/runner (updates of different chats handled
 * side by side; one chat's in order, see create-bot's sequentialize). Only
 * one process long-polls Telegram (two would make it answer 409): the others
 * stand by and take over within the lease when it stops or dies.
 */
function startUpdates(config: Config, infra: Infrastructure, bot: Bot, sources: number, logger: Logger, stoppers: Stoppers) {
  if (config.webhook) return startWebhook(config, config.webhook, infra, bot, sources, logger);
  const leader = startLeaderElection({
    redis: infra.redis,
    key: infra.k.lock("leader"),
    logger,
    lead: async (signal) => {
      await bot.api.deleteWebhook().catch((err) => logger.warn({ err: (err as Error).message }, "telegram: deleteWebhook failed"));
      const runner = run(bot, {
        runner: {
          fetch: { allowed_updates: [...ALLOWED_UPDATES], timeout: 30 },
          // Ask again every 2 s while Telegram is away (api-health logs it), so
          // updates flow within seconds of its return instead of after a backoff.
          retryInterval: 2000,
          maxRetryTime: 365 * 24 * 3600_000,
          silent: true,
        },
      });
      logger.info({ username: bot.botInfo.username, sources, cron: config.pollCron }, "bot: started");
      signal.addEventListener("abort", () => void runner.stop().catch(() => undefined), { once: true });
      await runner.task();
    },
  });
  stoppers.set("updates", () => leader.stop());
}

/**
 * Webhook mode: every process takes the updates the load balancer gives it
 * (the ops server's webhook path), no leader. setWebhook is called once for
 * all of them: ten processes starting together take a lease, one calls it.
 */
async function startWebhook(
  config: Config,
  webhook: { url: string; secret: string },
  infra: Infrastructure,
  bot: Bot,
  sources: number,
  logger: Logger,
) {
  if (await tryLease(infra.redis, infra.k.lock("set-webhook"), 60_000)) {
    await bot.api
      .setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] })
      .then(() => logger.info({ url: webhook.url }, "telegram: webhook set"))
      .catch((err) => logger.error({ err: (err as Error).message }, "telegram: setWebhook failed; updates will not arrive"));
  }
  logger.info({ username: bot.botInfo.username, sources, cron: config.pollCron, mode: "webhook" }, "bot: started");
}

export interface App {
  stop(): Promise<void>;
  pollNow(): Promise<unknown>;
}

export async function startApp(config: Config, sources: Source[], logger: Logger): Promise<App> {
  const stoppers: Stoppers = new Map();
  const stopAll = async () => {
    for (const part of SHUTDOWN_ORDER) {
      await stoppers
        .get(part)?.()
        .catch((err) => logger.warn({ part, err: (err as Error).message }, "shutdown: part did not stop cleanly"));
    }
  };
  try {
    const infra = await startInfrastructure(config, logger, stoppers);
    const registry = await startSources(config, sources, infra, logger);
    const news = await startNews(registry, infra, logger);
    // This process's counters and histograms: the bot, delivery and polling count into them, /metrics shows them.
    const meters = createMeters();
    const { bot, health } = await connectTelegram(config, logger, meters);
    const translator = createTranslator({
      onMissing: (locale, key) => logger.warn({ locale, key }, "i18n: a text is missing; English shown"),
    });
    const membership = createMembership({ stores: infra.stores, api: bot.api, translator, logger, timezone: config.timezone });
    const delivery = startDelivery(config, infra, registry, news, bot, { translator, membership }, logger, stoppers, meters);
    // One set of preference use cases for the chat's menus and the settings Mini App.
    const settings = createSettings({
      store: {
        get: async (id) => (await infra.stores.subscribers.get(id))?.prefs ?? null,
        set: (id, p) => infra.stores.subscribers.setPrefs(id, p),
      },
      sources: () => news.sources(),
      defaultTimezone: config.timezone,
      onChanged: onPrefsChanged(infra.stores, { timezone: config.timezone }),
      logger,
    });
    installHandlers(bot, {
      config,
      translator,
      membership,
      stores: infra.stores,
      news,
      broadcasts: delivery.broadcasts,
      deliveryStats: () => delivery.stats(),
      settings,
      logger,
      clock: Date.now,
      sourceAdmin: createSourceAdmin({
        registry,
        health: infra.stores.health,
        fetch: { timeoutMs: config.fetchTimeoutMs, maxBytes: config.fetchMaxBytes },
        allowPrivate: config.allowPrivateSources,
        logger,
      }),
    });
    await registerCommandMenus(bot.api, config.adminIds, logger, translator);
    const { poller } = startPolling(config, infra, registry, news, bot, delivery, translator, logger, stoppers, meters);
    // Several processes starting together poll once between them.
    if (config.pollOnStart && (await tryLease(infra.redis, infra.k.lock("poll-on-start"), 15_000))) {
      logger.debug("poll: on start");
      void poller.poll().catch((err) => logger.error({ err: (err as Error).message }, "poll: run failed"));
    }
    const webapp = config.publicUrl ? await startWebApp(config.publicUrl, config, infra, bot, settings, translator, logger) : undefined;
    await startOpsServer(config, infra, registry, delivery, bot, health, meters, logger, stoppers, webapp);
    await startUpdates(config, infra, bot, registry.cached().length, logger, stoppers);
    logger.info(
      {
        pid: process.pid,
        mode: config.botMode,
        sources: registry.cached().length,
        admins: config.adminIds.length,
        schedule: config.pollCron,
        timezone: config.timezone,
        prefix: config.redisPrefix,
      },
      "app: started",
    );

    let stopping: Promise<void> | null = null;
    return {
      pollNow: () => poller.poll(),
      stop() {
        stopping ??= (async () => {
          logger.info("shutting down");
          await stopAll();
          logger.info("stopped");
        })();
        return stopping;
      },
    };
  } catch (err) {
    // A start-up that failed half way leaves nothing running (an embedded Redis, a connection).
    await stopAll();
    throw err;
  }
}
