import type { Redis } from "ioredis";
import { luaScript } from "../infra/lua.js";

/**
 * Telegram's flood limits as GCRA cells (generic cell rate algorithm) kept in
 * Redis, so every worker of every process draws from the same budget:
 *
 *  - overall: `globalPerSecond`, no burst — with a safety margin, because the
 *    limit is counted where requests arrive and they arrive with some jitter;
 *  - paid broadcasts (allow_paid_broadcast): `paidPerSecond` overall;
 *  - private chats: `perChatPerSecond` after a burst of `perChatBurst`;
 *  - groups and channels (negative ids): `groupPerMinute`, no burst.
 *
 * A cell holds its "theoretical arrival time" in microseconds of the Redis
 * server's clock (one clock for all processes). A send may go once every cell
 * it needs agrees; the slot is reserved in the same Lua step, so concurrent
 * senders never overshoot. Queue workers never reserve far ahead (at normal
 * rates only a slot that is due, in paid mode at most `lookaheadMs` ahead) and
 * otherwise come back later, which keeps the queue of reservations short: an
 * interactive reply, which always reserves, waits at most about one slot (or
 * the lookahead) behind a running broadcast.
 */
export interface LimiterOptions {
  globalPerSecond: number;
  /** overall rate for paid broadcasts; when set, ordinary sends count against it too */
  paidPerSecond?: number;
  perChatPerSecond?: number;
  perChatBurst?: number;
  groupPerMinute?: number;
  /** spacing is stretched by this factor to absorb arrival jitter (default 1.03) */
  margin?: number;
  /** how far ahead a queue worker may reserve at rates above 100/s, and an interactive reply may wait behind them (ms, default 100) */
  lookaheadMs?: number;
  /** idle cells expire this long after their last reservation (ms) */
  idleMs: number;
}

export type Acquired =
  /** the slot is reserved: send after waiting `waitMs` */
  | { ok: true; waitMs: number }
  /** nothing reserved: the binding limit frees a slot within reach in `waitMs` */
  | { ok: false; waitMs: number; scope: "global" | "chat" };

export interface Limiter {
  /** for queue workers: reserves a slot no further than the lookahead, or says when to come back */
  tryAcquire(chatId: number, opts?: { paid?: boolean }): Promise<Acquired>;
  /** for interactive replies: always reserves; resolves how long to wait */
  reserve(chatId: number): Promise<number>;
  /** after a 429: nobody sends before `ms` have passed */
  pauseAll(ms: number): Promise<void>;
}

// KEYS: the cells; ARGV[1] mode ("try"/"reserve"), ARGV[2] lookahead µs,
// ARGV[3] idle ms, ARGV[4] catch-up µs, then per cell: interval µs, burst.
// Numbers are kept as whole microseconds (exact in a double up to 2^53) and
// written with %.0f: Lua's default number format would round them.
// A send that comes a little late (≤ catch-up) keeps the cell's schedule
// instead of pushing it back by its lateness, so a busy event loop costs
// no throughput; later than that, the schedule restarts from now.
const ACQUIRE = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local mode, lookahead, idle, catchup = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local at, binding = now, 0
local tats = {}
for i = 1, #KEYS do
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  local interval, burst = tonumber(ARGV[3 + 2 * i]), tonumber(ARGV[4 + 2 * i])
  tats[i] = tat
  local allowed = tat - (burst - 1) * interval
  if allowed > at then at = allowed; binding = i end
end
if mode == 'try' and at - now > lookahead then
  return {0, string.format('%.0f', at - now - lookahead), binding}
end
for i = 1, #KEYS do
  local interval, burst = tonumber(ARGV[3 + 2 * i]), tonumber(ARGV[4 + 2 * i])
  local from = math.max(tats[i], at)
  if burst == 1 then from = math.max(tats[i], at - catchup) end
  local tat = from + interval
  redis.call('SET', KEYS[i], string.format('%.0f', tat), 'PX', math.floor((tat - now) / 1000) + idle)
end
return {1, string.format('%.0f', at - now), binding}
`);

// KEYS[1] the cell; ARGV[1] pause µs, ARGV[2] idle ms, ARGV[3] interval µs, ARGV[4] burst.
// The cell is set so that its next allowed send is `pause` from now.
const PAUSE = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local until_ = now + tonumber(ARGV[1]) + (tonumber(ARGV[4]) - 1) * tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > tat then
  redis.call('SET', KEYS[1], string.format('%.0f', until_), 'PX', math.floor((until_ - now) / 1000) + tonumber(ARGV[2]))
end
return 1
`);

/** Overall cells slower than one send per 10 ms are taken only when due (see run()). */
const PRECISE_BELOW_US = 10_000;
/** How late a due send may be and still keep the schedule (µs). */
const CATCH_UP_US = 2_000;

interface Cell {
  key: string;
  intervalUs: number;
  burst: number;
}

export function createLimiter(redis: Redis, key: (name: string) => string, opts: LimiterOptions): Limiter {
  const margin = opts.margin ?? 1.03;
  const lookaheadUs = (opts.lookaheadMs ?? 100) * 1000;
  const global: Cell = { key: key("global"), intervalUs: Math.ceil((1e6 / opts.globalPerSecond) * margin), burst: 1 };
  const paid: Cell | null = opts.paidPerSecond
    ? { key: key("paid"), intervalUs: Math.ceil((1e6 / opts.paidPerSecond) * margin), burst: 1 }
    : null;
  const chatInterval = Math.ceil(1e6 / (opts.perChatPerSecond ?? 1));
  const groupInterval = Math.ceil((60e6 / (opts.groupPerMinute ?? 20)) * margin);
  const chatBurst = Math.max(1, opts.perChatBurst ?? 3);
  const chatCell = (chatId: number): Cell =>
    chatId < 0
      ? { key: key(`chat:${chatId}`), intervalUs: groupInterval, burst: 1 }
      : { key: key(`chat:${chatId}`), intervalUs: chatInterval, burst: chatBurst };

  /** whether the overall limit binding these cells is slow enough to take each slot only when due */
  const precise = (cells: Cell[]) => Math.max(...cells.slice(1).map((c) => c.intervalUs)) >= PRECISE_BELOW_US;

  async function run(mode: "try" | "reserve", cells: Cell[]): Promise<[number, number, number]> {
    // Up to about 100 msg/s a worker takes a slot only when it is due, so sends
    // go out when the limiter says and not when a timer happens to fire;
    // faster than that, waking up for every slot would cost more than it
    // saves, so workers reserve a little ahead.
    const ahead = mode === "try" && precise(cells) ? 0 : lookaheadUs;
    // Only a slot claimed when due can be "a little late"; a reserved one is sent when it says.
    const args: (string | number)[] = [mode, ahead, opts.idleMs, mode === "try" && ahead === 0 ? CATCH_UP_US : 0];
    for (const c of cells) args.push(c.intervalUs, c.burst);
    const [ok, waitUs, binding] = (await ACQUIRE(
      redis,
      cells.map((c) => c.key),
      args,
    )) as [number, string, number];
    return [ok, Number(waitUs) / 1000, binding];
  }

  /** the cells a send needs: the chat's, and the overall one(s) */
  function cellsFor(chatId: number, isPaid: boolean): Cell[] {
    if (isPaid && paid) return [chatCell(chatId), paid];
    return paid ? [chatCell(chatId), global, paid] : [chatCell(chatId), global];
  }

  async function pause(cell: Cell, ms: number) {
    await PAUSE(redis, [cell.key], [Math.round(ms * 1000), opts.idleMs, cell.intervalUs, cell.burst]);
  }

  return {
    async tryAcquire(chatId, o = {}) {
      const cells = cellsFor(chatId, o.paid === true);
      const [ok, waitMs, binding] = await run("try", cells);
      if (ok === 1) return { ok: true, waitMs };
      const scope = binding === 1 ? "chat" : "global";
      // Sent away from a full lookahead window (fast sending): a slot frees up
      // every millisecond, but coming back that often would have every idle
      // worker of every process spinning on Redis. Come back a while later,
      // spread out.
      if (scope === "global" && !precise(cells))
        return { ok: false, scope, waitMs: Math.max(waitMs, lookaheadUs / 4000) + (Math.random() * lookaheadUs) / 4000 };
      return { ok: false, waitMs, scope };
    },
    async reserve(chatId) {
      const [, waitMs] = await run("reserve", cellsFor(chatId, false));
      return waitMs;
    },
    async pauseAll(ms) {
      await pause(global, ms);
      if (paid) await pause(paid, ms);
    },
  };
}
