import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type BotProcess, killHard, startBotProcess } from "../support/bot-process.js";
import { type FakeTelegram, inlineButtons, startFakeTelegram } from "../support/fake-telegram.js";
import { type FeedServer, startFeedServer } from "../support/feed-server.js";
import { testRedis } from "../support/redis-client.js";
import { rss } from "../support/rss.js";

/**
 * A broadcast to 2,000 subscribers, the bot killed with SIGKILL in the middle
 * of it, then started again: every subscriber has it exactly once.
 *
 * Between the bot and the fake Bot API sits a link the test can freeze.
 * Before the kill it stops passing new requests on (they hang, unanswered, as
 * on a dead network) and lets the ones Telegram already has come back. That
 * leaves out the one case no bot can settle: Telegram accepted a message in
 * the last millisecond and the process died before it could write that down
 * (the Bot API has no idempotency key to ask about it afterwards). Everything
 * else a SIGKILL leaves behind is there: jobs in hand with requests in flight,
 * chat leases, the fan-out, the progress lease, the leader lease.
 */
const TOKEN = "123456:crash-test-token_abcdefghijklmn";
const ADMIN = { id: 42, first_name: "Admin" };
const N = 2000;
const FIRST = 100_000;
const TEXT = "Evacuation routes are open: follow the signs";

const { redis, url: redisUrl } = testRedis();
const prefix = `crash${randomUUID().slice(0, 6)}:`;
let tg: FakeTelegram;
let feeds: FeedServer;
let link: Link;
let bot: BotProcess | undefined;

afterAll(async () => {
  if (bot) await killHard(bot);
  await link?.close();
  await tg?.close();
  await feeds?.close();
  await redis.quit();
});

/** An HTTP hop to the fake Bot API that can stop passing requests on. */
interface Link {
  url: string;
  /** new requests are held; resolves once those already passed on have their answers */
  freeze(): Promise<void>;
  /** requests held so far */
  held(): number;
  thaw(): void;
  close(): Promise<void>;
}

async function startLink(target: string): Promise<Link> {
  const upstream = new URL(target);
  let frozen = false;
  let inFlight = 0;
  const held: ServerResponse[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (frozen) {
      held.push(res);
      req.resume();
      return;
    }
    inFlight++;
    const fwd = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
      up.on("end", () => inFlight--);
    });
    fwd.on("error", () => {
      inFlight--;
      res.destroy();
    });
    res.on("close", () => fwd.destroy());
    req.pipe(fwd);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async freeze() {
      frozen = true;
      // Long polls (getUpdates) stay open: only the sends matter here.
      const deadline = Date.now() + 3000;
      while (inFlight > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    },
    held: () => held.length,
    thaw() {
      frozen = false;
      for (const res of held.splice(0)) res.destroy();
    },
    async close() {
      for (const res of held.splice(0)) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A killed child not yet reaped by its (dead) parent is a zombie: not running.
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const delivered = () => tg.allMessages().filter((m) => m.chatId !== ADMIN.id && m.visibleText.includes(TEXT));

describe("crash in the middle of a broadcast", () => {
  it("SIGKILL at about 40 %, restart: every subscriber has it exactly once", { timeout: 90_000 }, async () => {
    tg = await startFakeTelegram({ globalPerSecond: 300 });
    link = await startLink(tg.apiRoot);
    feeds = await startFeedServer();
    feeds.set("/news.xml", () => ({ body: rss("Wire", []) }));
    const dir = mkdtempSync(join(tmpdir(), "newsbot-crash-"));
    const sourcesFile = join(dir, "sources.json");
    writeFileSync(sourcesFile, JSON.stringify({ sources: [{ id: "wire", name: "Wire", url: feeds.urlFor("/news.xml") }] }));
    const env = {
      BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: link.url,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      ADMIN_IDS: String(ADMIN.id),
      SOURCES_FILE: sourcesFile,
      POLL_CRON: "*/10 * * * *",
      POLL_ON_START: "false",
      DELIVERY_RATE: "250",
      DATA_DIR: join(dir, "data"),
      LOG_LEVEL: "info",
    };
    const m = redis.multi();
    for (let i = 0; i < N; i++) {
      const chatId = FIRST + i;
      m.hset(`${prefix}subscribers`, String(chatId), JSON.stringify({ chatId, kind: "private", since: Date.now() }));
    }
    await m.exec();

    bot = startBotProcess(env);
    await bot.waitForLog((l) => l.msg === "bot: started");
    tg.sendText(ADMIN, `/broadcast ${TEXT}`);
    const preview = await tg.waitFor((m) => m.chatId === ADMIN.id && m.visibleText.includes("Broadcast preview"));
    const send = inlineButtons(preview).find((b) => b.text.includes("Send")) as { callback_data: string };
    tg.pressButton(ADMIN, preview, send.callback_data);

    const deadline = Date.now() + 30_000;
    while (delivered().length < N * 0.4) {
      if (Date.now() > deadline) throw new Error(`only ${delivered().length} delivered before the kill`);
      await sleep(5);
    }
    await link.freeze();
    // Answers already on their way are read and recorded by the bot.
    await sleep(500);
    const held = link.held();
    const killed = await killHard(bot);
    await sleep(100);
    expect(killed.length).toBeGreaterThan(0);
    expect(killed.filter(alive)).toEqual([]);
    const before = delivered().length;
    expect(before).toBeGreaterThan(N * 0.3);
    expect(before).toBeLessThan(N);
    // The kill came with sends in hand.
    expect(held).toBeGreaterThan(0);
    link.thaw();

    bot = startBotProcess(env);
    const report = await tg.waitFor((m) => m.chatId === ADMIN.id && m.visibleText.startsWith("📢 Broadcast finished"), 60_000);
    expect(report.visibleText).toBe(
      `📢 Broadcast finished: sent to 2,000 of 2,000 subscribers.\nFailed: 0. Blocked the bot (unsubscribed): 0.`,
    );
    await sleep(1000);

    const per = new Map<number, number>();
    for (const msg of delivered()) per.set(msg.chatId, (per.get(msg.chatId) ?? 0) + 1);
    const missing = Array.from({ length: N }, (_, i) => FIRST + i).filter((id) => !per.has(id));
    const twice = [...per].filter(([, c]) => c > 1);
    expect({ missing: missing.length, twice: twice.length }).toEqual({ missing: 0, twice: 0 });
    expect(per.size).toBe(N);
    // The progress message ended on the final count.
    expect(tg.messagesTo(ADMIN.id).find((m) => m.messageId === preview.messageId)!.visibleText).toContain("2,000 / 2,000 delivered");
    expect(tg.stats.errors429).toBe(0);
    expect(tg.stats.errors400).toBe(0);
  });
});
