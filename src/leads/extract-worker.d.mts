/** What extract-worker.mjs exports and answers (it is plain JavaScript: see there why). */

export interface Extracted {
  /** the main text's first paragraphs, in order, whitespace collapsed; at most PARAGRAPH_CHARS in all */
  paragraphs: string[];
  /** the page's own description (meta description / og:description), else Readability's first-paragraph guess; "" when none */
  excerpt: string;
  /** the page's <html lang>, when it has one */
  lang: string | null;
}

export declare const PARAGRAPH_CHARS: number;

export declare function extractArticle(html: string): Extracted;

export interface WorkerRequest {
  id: number;
  html: string;
}

export type WorkerReply =
  | { type: "ready" }
  | { type: "done"; id: number; result: Extracted }
  | { type: "error"; id: number; message: string };
