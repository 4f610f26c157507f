/**
 * Article extraction off the poll's thread: worker threads running
 * extract-worker.mjs, each one page at a time under a hard time limit. A page
 * that takes longer — a hostile one, or one so big or deep that Readability
 * crawls — gets its worker terminated, and the next job a fresh worker; a
 * worker's heap is capped, so no page can grow the process without bound
 * either. Nothing here throws: every job ends with an outcome.
 *
 * Measured on Readability's own test pages (real news sites) and the tests'
 * 200 KB article page, Node 20.20 on 2 × AMD EPYC with the machine busy
 * (load ~3): a 200–360 KB article takes 35–75 ms in the worker (median of
 * 6; BBC, NYT, CNET, Folha), 1.1–1.6 MB Guardian and Yahoo pages 70–120 ms,
 * a 1 MB Wikipedia article 0.6–1.1 s; the first page in a fresh worker
 * 60–260 ms. The 2 s limit leaves news pages twenty times their time. A
 * hostile 250 KB page (5,000 nested blocks) runs 7.6 s on the main thread;
 * here it is cut off at 2 s. One worker did 40 mixed pages in 3.5 s, two
 * took 4.4 s on this 2-core machine (they compete with the poll and each
 * other): one it is. Its young generation is held to 8 MB: RSS +42 MB over
 * 20 typical pages instead of +81 MB, at the same speed. The worker ends
 * after a minute without work, so a bot whose feeds all have summaries
 * never keeps one.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Extracted, WorkerReply, WorkerRequest } from "./extract-worker.mjs";

export const EXTRACT_TIME_LIMIT_MS = 2_000;
/** A worker still loading its modules after this long is given up on (it takes about 0.1 s). */
const STARTUP_LIMIT_MS = 20_000;
/** A worker without work for this long is ended; the next page starts another (~0.1 s). */
const IDLE_MS = 60_000;
/** The old-generation heap of one worker: a page that needs more is not an article. */
const WORKER_HEAP_MB = 128;
/** Its young generation (V8's default is about twice this): see the figures above. */
const WORKER_YOUNG_MB = 8;

export type ExtractOutcome =
  | { ok: true; page: Extracted; ms: number }
  | { ok: false; reason: "timeout" | "crashed" | "error" | "aborted" | "closed"; message: string; ms: number };

export interface ExtractorOptions {
  /** default EXTRACT_TIME_LIMIT_MS */
  timeLimitMs?: number;
  /** worker threads; default 1 */
  workers?: number;
  /** default IDLE_MS */
  idleMs?: number;
}

export interface Extractor {
  /** reads the main text of a page's HTML in a worker; `signal` drops the job while it still waits for one */
  extract(html: string, signal?: AbortSignal): Promise<ExtractOutcome>;
  /** workers started so far (a timed-out or crashed worker is replaced by a new one) */
  started(): number;
  /** terminates the workers; jobs not done end "closed" */
  close(): Promise<void>;
}

interface Job {
  id: number;
  html: string;
  signal: AbortSignal | undefined;
  resolve: (o: ExtractOutcome) => void;
  postedAt: number;
}

interface Slot {
  worker: Worker | null;
  ready: boolean;
  busy: Job | null;
  /** the job's time limit, or the worker's start limit */
  timer: NodeJS.Timeout | undefined;
  idle: NodeJS.Timeout | undefined;
}

/**
 * extract-worker.mjs: beside this module under tsx and vitest; from
 * dist/src/leads/ (the build does not copy it), the one in src/leads/ of the
 * package, found by walking up — as the Mini App's files are.
 */
export function workerFile(): URL {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    for (const candidate of [join(dir, "extract-worker.mjs"), join(dir, "src", "leads", "extract-worker.mjs")]) {
      if (existsSync(candidate)) return pathToFileURL(candidate);
    }
    dir = dirname(dir);
  }
  throw new Error("leads: src/leads/extract-worker.mjs was not found");
}

const CLOSED: ExtractOutcome = { ok: false, reason: "closed", message: "the extractor is closed", ms: 0 };

export function createExtractor(opts: ExtractorOptions = {}): Extractor {
  const limit = opts.timeLimitMs ?? EXTRACT_TIME_LIMIT_MS;
  const idleMs = opts.idleMs ?? IDLE_MS;
  const slots: Slot[] = Array.from({ length: Math.max(1, opts.workers ?? 1) }, () => ({
    worker: null,
    ready: false,
    busy: null,
    timer: undefined,
    idle: undefined,
  }));
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;
  let spawned = 0;
  let file: URL | undefined;

  const elapsed = (job: Job | null) => (job?.postedAt ? performance.now() - job.postedAt : 0);

  const finish = (slot: Slot, outcome: ExtractOutcome) => {
    const job = slot.busy;
    clearTimeout(slot.timer);
    slot.timer = undefined;
    slot.busy = null;
    job?.resolve(outcome);
  };

  const stopWorker = (slot: Slot) => {
    const w = slot.worker;
    slot.worker = null;
    slot.ready = false;
    clearTimeout(slot.idle);
    return w
      ? w.terminate().then(
          () => undefined,
          () => undefined,
        )
      : Promise.resolve();
  };

  /** The worker is terminated, its job ends with `reason`; the next job gets a new worker. */
  const discard = (slot: Slot, reason: "timeout" | "crashed", message: string) => {
    const ms = elapsed(slot.busy);
    void stopWorker(slot);
    finish(slot, { ok: false, reason, message, ms });
    pump();
  };

  const post = (slot: Slot, job: Job) => {
    clearTimeout(slot.idle);
    job.postedAt = performance.now();
    const req: WorkerRequest = { id: job.id, html: job.html };
    slot.worker!.postMessage(req);
    slot.timer = setTimeout(() => discard(slot, "timeout", `extraction took over ${limit} ms`), limit);
  };

  const spawn = (slot: Slot) => {
    let worker: Worker;
    try {
      file ??= workerFile();
      worker = new Worker(file, {
        workerData: { leadExtractor: true },
        resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
      });
    } catch (err) {
      finish(slot, { ok: false, reason: "crashed", message: `no extraction worker: ${(err as Error).message}`, ms: 0 });
      queueMicrotask(pump);
      return;
    }
    spawned++;
    // An idle worker never keeps the process alive.
    worker.unref();
    slot.worker = worker;
    slot.ready = false;
    slot.timer = setTimeout(() => discard(slot, "crashed", "the extraction worker did not start"), STARTUP_LIMIT_MS);
    worker.on("message", (msg: WorkerReply) => {
      if (slot.worker !== worker) return;
      if (msg.type === "ready") {
        slot.ready = true;
        clearTimeout(slot.timer);
        slot.timer = undefined;
        if (slot.busy) post(slot, slot.busy);
        return;
      }
      if (slot.busy?.id !== msg.id) return;
      const ms = elapsed(slot.busy);
      finish(slot, msg.type === "done" ? { ok: true, page: msg.result, ms } : { ok: false, reason: "error", message: msg.message, ms });
      pump();
    });
    // Out of memory, or an exit of its own: the job it had fails, the next one gets a new worker.
    worker.on("error", (err) => slot.worker === worker && discard(slot, "crashed", `the extraction worker failed: ${err.message}`));
    worker.on("exit", (code) => slot.worker === worker && discard(slot, "crashed", `the extraction worker exited (${code})`));
  };

  function pump() {
    if (closed) return;
    for (const slot of slots) {
      if (slot.busy) continue;
      let job = queue.shift();
      while (job?.signal?.aborted) {
        job.resolve({ ok: false, reason: "aborted", message: "given up before it started", ms: 0 });
        job = queue.shift();
      }
      if (!job) {
        if (slot.worker) {
          clearTimeout(slot.idle);
          slot.idle = setTimeout(() => void stopWorker(slot), idleMs);
          slot.idle.unref();
        }
        continue;
      }
      slot.busy = job;
      if (!slot.worker) spawn(slot);
      else if (slot.ready) post(slot, job);
    }
  }

  return {
    extract(html, signal) {
      if (closed) return Promise.resolve(CLOSED);
      return new Promise<ExtractOutcome>((resolve) => {
        queue.push({ id: nextId++, html, signal, resolve, postedAt: 0 });
        pump();
      });
    },
    started: () => spawned,
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.resolve(CLOSED);
      await Promise.all(
        slots.map((slot) => {
          const done = stopWorker(slot);
          finish(slot, { ...CLOSED, ms: elapsed(slot.busy) });
          return done;
        }),
      );
    },
  };
}
