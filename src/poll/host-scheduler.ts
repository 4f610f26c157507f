/**
 * Runs fetches with two limits at once: at most `concurrency` overall, and
 * per host at most `perHost` in flight, with the requests after the first
 * `perHost` spaced `spacingMs` plus a random jitter apart — so a site that
 * hosts many of our feeds sees a trickle, not a burst. A host that has to
 * wait never holds up the others: a free slot goes to the first source
 * whose host may be asked now.
 *
 * The state lives for one run: runs are a cron interval apart, which is
 * the spacing between runs.
 */

export interface PoliteOptions {
  concurrency: number;
  perHost: number;
  spacingMs: number;
  /** extra random delay in [0, jitterMs) whenever a request has to be spaced */
  jitterMs: number;
  random?: () => number;
  clock?: () => number;
  /** checked before each start: once true, nothing more starts */
  stopped?: () => boolean;
}

interface HostState<T> {
  queue: T[];
  inFlight: number;
  started: number;
  notBefore: number;
}

export function runPolite<T>(
  items: readonly T[],
  host: (item: T) => string,
  opts: PoliteOptions,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  const random = opts.random ?? Math.random;
  const clock = opts.clock ?? Date.now;
  const hosts = new Map<string, HostState<T>>();
  for (const item of items) {
    const h = host(item);
    let state = hosts.get(h);
    if (!state) hosts.set(h, (state = { queue: [], inFlight: 0, started: 0, notBefore: 0 }));
    state.queue.push(item);
  }
  let waiting = items.length;
  let active = 0;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;

  return new Promise<void>((resolve, reject) => {
    let failure: unknown;
    const finish = () => {
      clearTimeout(timer);
      if (failure !== undefined) reject(failure);
      else resolve();
    };

    const pump = () => {
      if (opts.stopped?.()) waiting = 0;
      if (waiting === 0) {
        if (active === 0) finish();
        return;
      }
      const now = clock();
      let earliest = Infinity;
      for (const [name, state] of hosts) {
        if (active >= opts.concurrency) break;
        // Deleting while iterating a Map is safe; in-flight requests keep their state object.
        if (state.queue.length === 0) {
          hosts.delete(name);
          continue;
        }
        while (state.queue.length > 0 && state.inFlight < opts.perHost && active < opts.concurrency) {
          if (state.notBefore > now) {
            earliest = Math.min(earliest, state.notBefore);
            break;
          }
          start(state, now);
        }
      }
      // Slots are free but every host with work is still being spaced: come back then.
      if (active < opts.concurrency && earliest < Infinity && earliest < timerAt) {
        clearTimeout(timer);
        timerAt = earliest;
        timer = setTimeout(() => {
          timerAt = Infinity;
          pump();
        }, earliest - now);
      }
    };

    const start = (state: HostState<T>, now: number) => {
      const item = state.queue.shift()!;
      waiting--;
      active++;
      state.inFlight++;
      state.started++;
      if (state.started >= opts.perHost) {
        state.notBefore = now + opts.spacingMs + Math.floor(random() * opts.jitterMs);
      }
      fn(item)
        .catch((err: unknown) => {
          failure ??= err;
        })
        .finally(() => {
          active--;
          state.inFlight--;
          pump();
        });
    };

    pump();
  });
}
