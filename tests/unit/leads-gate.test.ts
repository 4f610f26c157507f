import { describe, expect, it } from "vitest";
import { createHostGate, HOST_BACKOFF_BASE_MS, HOST_BACKOFF_CAP_MS } from "../../src/leads/host-gate.js";

/** Politeness for article pages: a couple in flight per host, and a host that failed is left alone for a while. */

const MIN = 60_000;

function gate(perHost = 2) {
  let now = 1_000_000;
  const g = createHostGate({ perHost, clock: () => now });
  return { g, advance: (ms: number) => (now += ms) };
}

const settled = async <T>(p: Promise<T>) => {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setTimeout(r, 5));
  return done;
};

describe("the article host gate", () => {
  it("lets two requests to one host in at once, the third when one is done; other hosts are not held up", async () => {
    const { g } = gate();
    const a = await g.enter("a.example");
    const b = await g.enter("a.example");
    expect(typeof a).toBe("function");
    expect(typeof b).toBe("function");
    const third = g.enter("a.example");
    expect(await settled(third)).toBe(false);
    expect(typeof (await g.enter("b.example"))).toBe("function");
    (a as () => void)();
    expect(typeof (await third)).toBe("function");
  });

  it("gives up a wait when the poll's deadline passes", async () => {
    const { g } = gate(1);
    await g.enter("a.example");
    const controller = new AbortController();
    const waiting = g.enter("a.example", controller.signal);
    controller.abort();
    expect(await waiting).toBe("aborted");
  });

  it("backs a failed host off for 5 minutes, doubling to an hour; a success lifts it", () => {
    const { g, advance } = gate();
    g.failed("a.example");
    expect(g.waitOf("a.example")).toBe(HOST_BACKOFF_BASE_MS);
    g.failed("a.example");
    expect(g.waitOf("a.example")).toBe(10 * MIN);
    for (let i = 0; i < 10; i++) g.failed("a.example");
    expect(g.waitOf("a.example")).toBe(HOST_BACKOFF_CAP_MS);
    advance(HOST_BACKOFF_CAP_MS);
    expect(g.waitOf("a.example")).toBe(0);
    g.succeeded("a.example");
    g.failed("a.example");
    expect(g.waitOf("a.example")).toBe(HOST_BACKOFF_BASE_MS);
  });

  it("honours a longer Retry-After, up to the hour", () => {
    const { g } = gate();
    g.failed("a.example", 20 * MIN);
    expect(g.waitOf("a.example")).toBe(20 * MIN);
    g.failed("b.example", 24 * 60 * MIN);
    expect(g.waitOf("b.example")).toBe(HOST_BACKOFF_CAP_MS);
  });

  it("refuses a backed-off host at once, and those who waited for it when it failed meanwhile", async () => {
    const { g } = gate(1);
    const first = (await g.enter("a.example")) as () => void;
    const waiting = g.enter("a.example");
    g.failed("a.example");
    first();
    expect(await waiting).toBe("backoff");
    expect(await g.enter("a.example")).toBe("backoff");
  });
});
