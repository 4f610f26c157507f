import { describe, expect, it } from "vitest";
import { createSemaphore } from "../../src/infra/semaphore.js";

/** A latch: a task awaits `opened` until the test calls `open()`. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("createSemaphore", () => {
  it("lets at most `size` in at once, the rest in arrival order", async () => {
    const sem = createSemaphore(2);
    const inside = new Set<number>();
    let most = 0;
    const entered: number[] = [];
    const gates = [0, 1, 2, 3, 4].map(() => gate());
    const runs = gates.map((g, i) =>
      sem.run(async () => {
        inside.add(i);
        entered.push(i);
        most = Math.max(most, inside.size);
        await g.opened;
        inside.delete(i);
        return i * 10;
      }),
    );
    await tick();
    expect([...inside]).toEqual([0, 1]);
    gates[1]!.open();
    await tick();
    expect([...inside].sort()).toEqual([0, 2]);
    for (const g of gates) g.open();
    expect(await Promise.all(runs)).toEqual([0, 10, 20, 30, 40]);
    expect(entered).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it("a task that throws gives its slot back, and the error to its caller", async () => {
    const sem = createSemaphore(1);
    await expect(sem.run(async () => Promise.reject(new Error("source x: parse failed")))).rejects.toThrow("source x: parse failed");
    expect(await sem.run(async () => "next")).toBe("next");
  });
});
