/** Builds a small RSS 2.0 document for tests whose feeds change between polls. */
export interface RssItem {
  guid: string;
  title: string;
  link: string;
  description?: string;
  pubDate?: Date;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function rss(title: string, items: RssItem[]): string {
  const body = items
    .map(
      (i) => `<item>
  <guid isPermaLink="false">${esc(i.guid)}</guid>
  <title>${esc(i.title)}</title>
  <link>${esc(i.link)}</link>
  ${i.description !== undefined ? `<description>${esc(i.description)}</description>` : ""}
  ${i.pubDate ? `<pubDate>${i.pubDate.toUTCString()}</pubDate>` : ""}
</item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${esc(title)}</title><link>https://example.com/</link><description>test</description>
${body}
</channel></rss>`;
}
