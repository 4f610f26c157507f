/**
 * News article pages for the lead tests, built like real ones: a head with
 * a meta description and inline scripts, a navigation of many links, the
 * article (headline, byline, a photo with its caption, paragraphs), a
 * "related" box, comments and a footer — padded with script and navigation
 * to a size like a real page's (200–300 KB), so extraction costs what it
 * would on a real site.
 */

export interface ArticleOptions {
  title: string;
  paragraphs: string[];
  lang?: string;
  /** the page's meta description */
  description?: string;
  /** pad to about this many bytes (default 200 KB) */
  bytes?: number;
  /** written into <meta charset> */
  charset?: string;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function articlePage(o: ArticleOptions): string {
  const nav = Array.from({ length: 60 }, (_, i) => `<li><a href="/section/${i}">Section ${i}</a></li>`).join("");
  const related = Array.from(
    { length: 8 },
    (_, i) => `<li><a href="/news/related-${i}">Another story about the region, number ${i}, with a long headline</a></li>`,
  ).join("");
  const comments = Array.from(
    { length: 12 },
    (_, i) => `<div class="comment"><span class="author">reader${i}</span><p>I think this is comment number ${i}. Thanks!</p></div>`,
  ).join("");
  const body = o.paragraphs.map((p) => `<p>${esc(p)}</p>`).join("\n");
  const head = `<!doctype html>
<html lang="${o.lang ?? "en"}"><head><meta charset="${o.charset ?? "utf-8"}">
<title>${esc(o.title)} | Caucasus Daily</title>
${o.description !== undefined ? `<meta name="description" content="${esc(o.description)}"><meta property="og:description" content="${esc(o.description)}">` : ""}
<style>body{font-family:sans-serif}.nav li{display:inline}.comment{margin:1em}</style>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}</script>
</head><body>
<header class="site-header"><a href="/" class="logo">Caucasus Daily</a><nav class="nav"><ul>${nav}</ul></nav>
<form action="/search"><input name="q" placeholder="Search"></form></header>
<main><article class="story">
<h1>${esc(o.title)}</h1>
<div class="byline">By Jane Doe · 3 May 2026, 14:05</div>
<figure><img src="/img/photo.jpg" alt="A photo"><figcaption>A ferry waits in the harbour. Photo: Agency</figcaption></figure>
<div class="story-body">
${body}
</div>
<aside class="related"><h2>Related</h2><ul>${related}</ul></aside>
</article>
<section class="comments"><h2>Comments</h2>${comments}</section></main>
<footer><p>© 2026 Caucasus Daily. All rights reserved.</p><ul>${nav}</ul></footer>
`;
  const target = o.bytes ?? 200 * 1024;
  let pad = "";
  // Analytics and framework code, as real pages carry: bytes the parser reads and Readability drops.
  const chunk = `<script>(function(){var c=${JSON.stringify("x".repeat(900))};window.__cfg=(window.__cfg||"")+c.length;})();</script>\n`;
  while (head.length + pad.length + chunk.length < target) pad += chunk;
  return `${head}${pad}</body></html>`;
}

/**
 * A page that makes Readability crawl: thousands of nested blocks, each with
 * a paragraph. 250 KB of it took 7.6–10.6 s on the development machine (a real
 * 300 KB article: 0.05–0.1 s), far past the extraction time limit.
 */
export function hostilePage(depth = 5000): string {
  return `<!doctype html><html><body>${"<div><p>Some sentence, with commas, here.</p>".repeat(depth)}${"</div>".repeat(depth)}</body></html>`;
}
