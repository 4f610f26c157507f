import { afterEach, describe, expect, it } from "vitest";
import { createExtractor, type Extractor } from "../../src/leads/extractor.js";
import { articlePage, hostilePage } from "../support/article-page.js";

/**
 * The extraction worker thread: a real page read in it, a page that would
 * take seconds cut off at the time limit with its worker replaced, jobs
 * dropped while they wait, and nothing left running after close.
 */

const TITLE = "Storm closes ports along the northern coast";
const PARAGRAPHS = [
  "Ferries were cancelled along the northern coast on Tuesday as winds reached 120 km/h, the port authority said.",
  "Officials expect the harbours to reopen on Thursday, once the storm has passed over the mountains to the east.",
];

let extractor: Extractor | undefined;
afterEach(async () => {
  await extractor?.close();
  extractor = undefined;
});

describe("the extraction worker", () => {
  it("reads a 200 KB article page in a worker thread, well within the time limit", async () => {
    extractor = createExtractor();
    const html = articlePage({ title: TITLE, paragraphs: PARAGRAPHS });
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await extractor.extract(html));
    for (const r of runs) {
      expect(r).toMatchObject({ ok: true });
      if (r.ok) expect(r.page.paragraphs.slice(0, 2)).toEqual(PARAGRAPHS);
    }
    // One worker for all three.
    expect(extractor.started()).toBe(1);
    expect(Math.max(...runs.map((r) => r.ms))).toBeLessThan(2_000);
  });

  it("terminates a worker a hostile page keeps busy past the limit; the next page gets a fresh one", async () => {
    extractor = createExtractor({ timeLimitMs: 400 });
    const started = Date.now();
    const slow = await extractor.extract(hostilePage());
    const took = Date.now() - started;
    expect(slow).toMatchObject({ ok: false, reason: "timeout" });
    // The page alone would take ~10 s: the worker's start (~0.1 s) and the limit are all it cost.
    expect(took).toBeLessThan(3_000);
    const next = await extractor.extract(articlePage({ title: TITLE, paragraphs: PARAGRAPHS, bytes: 20_000 }));
    expect(next).toMatchObject({ ok: true });
    expect(extractor.started()).toBe(2);
  });

  it("drops a job given up on while it waited, and ends every job at close", async () => {
    extractor = createExtractor({ timeLimitMs: 400 });
    const busy = extractor.extract(hostilePage());
    const controller = new AbortController();
    const dropped = extractor.extract("<p>never read</p>", controller.signal);
    controller.abort();
    expect(await dropped).toMatchObject({ ok: false, reason: "aborted" });
    expect(await busy).toMatchObject({ ok: false, reason: "timeout" });

    const last = extractor.extract(hostilePage());
    await extractor.close();
    expect(await last).toMatchObject({ ok: false, reason: "closed" });
    expect(await extractor.extract("<p>x</p>")).toMatchObject({ ok: false, reason: "closed" });
  });
});
