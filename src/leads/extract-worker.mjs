/**
 * The article extractor: an HTML page → the first paragraphs of its main
 * text, with Mozilla's Readability (Firefox's reader view) on linkedom, a DOM
 * without layout or scripts. Synchronous, CPU-bound, and slow on a hostile
 * page, so it runs in a worker thread under a hard time limit (extractor.ts),
 * never on the poll's thread.
 *
 * Plain JavaScript on purpose: Node 20 does not apply tsx's loader to a
 * worker's entry, and this file is the same under tsx, vitest and dist/
 * (types: extract-worker.d.mts). Run as a worker (workerData.leadExtractor),
 * it answers each {id, html} with {type: "done", id, result} or
 * {type: "error", id, message}, after one {type: "ready"} once loaded, so a
 * job's time limit never includes the worker's own start.
 */
import { parentPort, workerData } from "node:worker_threads";
import { Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";

/** Two sentences need a few hundred characters; what is past this is never read. */
export const PARAGRAPH_CHARS = 1500;
const PARAGRAPHS_MAX = 8;
/** Captions, asides and quotes boxed beside the story are not its lead. */
const NOT_LEAD = "figure, figcaption, aside, blockquote, table, nav, footer, header";

/** @param {string | null | undefined} text */
const flat = (text) => (text ?? "").replace(/\s+/g, " ").trim();

/**
 * @param {string} html
 * @returns {{ paragraphs: string[], excerpt: string, lang: string | null }}
 */
export function extractArticle(html) {
  const { document } = parseHTML(html);
  const lang = document.documentElement?.getAttribute("lang") || null;
  const article = new Readability(document, {
    // The element itself, not its HTML: reading its paragraphs needs no second parse.
    serializer: (node) => node,
    // A short news item is an article too. Under the threshold Readability tries again
    // without dropping comment boxes and "related" lists, and may return those instead: a
    // 110-character story on a page with comments came back as the comments at 200 (its
    // default is 500). On Readability's 130 test pages 80 and 200 give the same leads.
    charThreshold: 80,
  }).parse();
  const paragraphs = [];
  const root = article?.content;
  if (root) {
    const blocks = [...root.querySelectorAll("p")];
    const texts = blocks.length ? blocks.filter((p) => !p.closest(NOT_LEAD)).map((p) => flat(p.textContent)) : [flat(root.textContent)];
    let total = 0;
    for (const text of texts) {
      if (!text) continue;
      paragraphs.push(text.slice(0, PARAGRAPH_CHARS - total));
      total += text.length;
      if (total >= PARAGRAPH_CHARS || paragraphs.length >= PARAGRAPHS_MAX) break;
    }
  }
  return { paragraphs, excerpt: flat(article?.excerpt).slice(0, PARAGRAPH_CHARS), lang };
}

if (parentPort && workerData?.leadExtractor) {
  const port = parentPort;
  port.on("message", (/** @type {{ id: number, html: string }} */ job) => {
    try {
      port.postMessage({ type: "done", id: job.id, result: extractArticle(job.html) });
    } catch (err) {
      port.postMessage({ type: "error", id: job.id, message: String(err?.message ?? err).slice(0, 300) });
    }
  });
  port.postMessage({ type: "ready" });
}
