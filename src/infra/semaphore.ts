/**
 * At most `size` callers inside `run` at once; the rest wait in arrival
 * order. For stages where holding more at once costs memory, not speed.
 */
export function createSemaphore(size: number) {
  let free = Math.max(1, size);
  const waiting: (() => void)[] = [];

  async function run<T>(fn: () => Promise<T>): Promise<T> {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await fn();
    } finally {
      // The slot passes straight to the next in line, so a newcomer cannot overtake it.
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  }

  return { run };
}
