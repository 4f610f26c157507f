import { createServer } from "node:net";
import { type BotProcess, startBotProcess, testBotEnv } from "./bot-process.js";
import { type FakeTelegram, startFakeTelegram } from "./fake-telegram.js";
import { type FeedServer, startFeedServer } from "./feed-server.js";
import { rss } from "./rss.js";

/** A TCP port nothing listens on now (the OS picks it), for a bot process's HTTP_PORT. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it gives a value (not undefined), or fails naming `what`. */
export async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The bot token of startServedBot's process (a test signs Mini App initData with it). */
export const SERVED_BOT_TOKEN = "123456:E2E-test-token_abcdefghijklmnop";

/** A bot process with an HTTP server, its fake Bot API and a feed server with one story ("world-wire"). */
export interface ServedBot {
  tg: FakeTelegram;
  feeds: FeedServer;
  bot: BotProcess;
  port: number;
  close(): Promise<void>;
}

export async function startServedBot(o: {
  redisUrl: string;
  prefix: string;
  /** more sources beside world-wire, by path on the feed server (a path it does not serve fails) */
  more?: Array<{ id: string; name: string; path: string }>;
  /** env beside HTTP_PORT / HTTP_HOST (given the port) */
  extra?: (port: number) => Record<string, string>;
}): Promise<ServedBot> {
  const tg = await startFakeTelegram();
  const feeds = await startFeedServer();
  feeds.set("/world.xml", () => ({
    body: rss("World Wire", [{ guid: "1", title: "A story", link: "https://world.example/1", pubDate: new Date() }]),
  }));
  const port = await freePort();
  const bot = startBotProcess(
    testBotEnv({
      token: SERVED_BOT_TOKEN,
      apiRoot: tg.apiRoot,
      redisUrl: o.redisUrl,
      prefix: o.prefix,
      sources: [
        { id: "world-wire", name: "World Wire", url: feeds.urlFor("/world.xml"), lang: "en" },
        ...(o.more ?? []).map((s) => ({ id: s.id, name: s.name, url: feeds.urlFor(s.path), lang: "en" })),
      ],
      extra: { HTTP_PORT: String(port), HTTP_HOST: "127.0.0.1", ...o.extra?.(port) },
    }),
  );
  await bot.waitForLog((l) => l.msg === "bot: started", 30_000);
  return {
    tg,
    feeds,
    bot,
    port,
    async close() {
      await bot.stop("SIGKILL");
      await tg.close();
      await feeds.close();
    },
  };
}
