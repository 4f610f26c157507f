/** Waiting in tests that drive a real process: polling a probe, never a fixed sleep where a condition can be named. */

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Resolves with the probe's first value that is neither undefined nor false
 * (checked every 25 ms); throws after `timeoutMs` saying what it waited for
 * (`what` may be a function, to show the state at the time).
 */
export async function waitUntil<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string | (() => string),
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}`);
    await sleep(25);
  }
}
