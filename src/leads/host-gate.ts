import { backoffDelayMs } from "../poll/schedule.js";

/**
 * Politeness for article pages, which arrive one by one from many sources
 * (the poll's runPolite works on a list known in advance): at most
 * `perHost` requests in flight to one host, the rest waiting in order; and
 * a host that failed — timed out, refused, answered 429 or 5xx — is not
 * asked again until its backoff has passed (5 min, doubling to an hour, or
 * its Retry-After when longer). Kept per process, in memory: the lead cache
 * in Redis already keeps a page from being asked twice.
 */

export const HOST_BACKOFF_BASE_MS = 5 * 60_000;
export const HOST_BACKOFF_CAP_MS = 3600_000;
/** Hosts remembered at most; past it, those whose backoff is over are forgotten. */
const HOSTS_KEPT = 5000;

export interface HostGate {
  /**
   * A slot for one request to `host`: the release function, or why there is
   * none — "backoff" at once when the host is backed off, "aborted" when the
   * signal fires while waiting.
   */
  enter(host: string, signal?: AbortSignal): Promise<(() => void) | "backoff" | "aborted">;
  /** the host answered (any page): its backoff is lifted */
  succeeded(host: string): void;
  /** the host failed: backed off for longer each time in a row */
  failed(host: string, retryAfterMs?: number): void;
  /** ms until the host may be asked again (0: now) */
  waitOf(host: string): number;
}

interface HostState {
  inFlight: number;
  waiting: (() => void)[];
  failures: number;
  until: number;
}

export function createHostGate(opts: { perHost: number; clock?: () => number }): HostGate {
  const clock = opts.clock ?? Date.now;
  const hosts = new Map<string, HostState>();
  const stateOf = (host: string) => {
    let s = hosts.get(host);
    if (!s) hosts.set(host, (s = { inFlight: 0, waiting: [], failures: 0, until: 0 }));
    return s;
  };
  /** A host with nothing in flight, waiting or held against it is forgotten: the map holds only live hosts. */
  const tidy = (host: string, s: HostState) => {
    if (s.inFlight === 0 && s.waiting.length === 0 && s.failures === 0) hosts.delete(host);
  };

  const release = (host: string, s: HostState) => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      // The slot passes straight to the next in line.
      const next = s.waiting.shift();
      if (next) next();
      else {
        s.inFlight--;
        tidy(host, s);
      }
    };
  };

  return {
    async enter(host, signal) {
      const s = stateOf(host);
      if (s.until > clock()) return "backoff";
      if (signal?.aborted) return "aborted";
      if (s.inFlight < opts.perHost) {
        s.inFlight++;
        return release(host, s);
      }
      return new Promise((resolve) => {
        const go = () => {
          signal?.removeEventListener("abort", quit);
          const done = release(host, s);
          // The host failed while this one waited: the slot goes on to the next, who hears the same.
          if (s.until > clock()) {
            done();
            resolve("backoff");
          } else resolve(done);
        };
        const quit = () => {
          const i = s.waiting.indexOf(go);
          if (i >= 0) s.waiting.splice(i, 1);
          tidy(host, s);
          resolve("aborted");
        };
        s.waiting.push(go);
        signal?.addEventListener("abort", quit, { once: true });
      });
    },
    succeeded(host) {
      const s = hosts.get(host);
      if (!s) return;
      s.failures = 0;
      s.until = 0;
      tidy(host, s);
    },
    failed(host, retryAfterMs) {
      const s = stateOf(host);
      s.failures++;
      const wait = Math.max(
        backoffDelayMs(s.failures, HOST_BACKOFF_BASE_MS, HOST_BACKOFF_CAP_MS),
        Math.min(retryAfterMs ?? 0, HOST_BACKOFF_CAP_MS),
      );
      s.until = clock() + wait;
      if (hosts.size > HOSTS_KEPT) {
        const now = clock();
        for (const [h, x] of hosts) if (x.inFlight === 0 && x.waiting.length === 0 && x.until <= now) hosts.delete(h);
      }
    },
    waitOf(host) {
      const s = hosts.get(host);
      return s ? Math.max(0, s.until - clock()) : 0;
    },
  };
}
