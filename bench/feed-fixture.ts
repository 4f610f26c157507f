/**
 * Deterministic RSS feeds for the poll bench: realistic titles and two
 * short paragraphs of summary per item, the same bytes on every run.
 *
 *   feedXml(feed, { first, count, t0, stepMs })
 *
 * lists items first … first + count − 1, item k dated t0 + k × stepMs, the
 * newest first (as almost every feed orders them). 50 items come to ~50 KB
 * (the many-sources case); 10,000 with `sentences: 2` to ~8 MB, under the
 * default FETCH_MAX_BYTES (10 MiB), for the big-feed case.
 */

import { seededRandom } from "../src/infra/seeded-random.js";

const SUBJECTS = [
  "Parliament",
  "The central bank",
  "A regional court",
  "The energy ministry",
  "The city council",
  "The opposition leader",
  "Health officials",
  "Farmers' unions",
  "The port authority",
  "Teachers",
  "The football federation",
  "Rescue teams",
  "The foreign minister",
  "Railway workers",
  "Local election officials",
  "A consortium of banks",
  "Climate scientists",
];
const VERBS = ["approves", "rejects", "delays", "announces", "investigates", "signs", "defends", "questions", "unveils", "suspends"];
const OBJECTS = [
  "the annual budget",
  "a trade deal with its neighbours",
  "plans for a high-speed rail link",
  "new rules on rent increases",
  "an inquiry into hospital waiting times",
  "a ban on single-use plastics",
  "the merger of two national carriers",
  "emergency funding for flooded villages",
  "a reform of the pension system",
  "a deal to reopen the border crossing",
  "tighter controls on short-term lets",
  "a new route for the gas pipeline",
];
const CONTEXTS = [
  "after a night of debate",
  "amid protests in the capital",
  "despite warnings from economists",
  "as talks drag on",
  "weeks before the vote",
  "after a surprise ruling",
  "in a move criticised by rivals",
  "following months of pressure",
];
const SENTENCES = [
  "The decision came after weeks of negotiations between the governing coalition and smaller parties.",
  "Officials said the measures would take effect at the start of next month and be reviewed within a year.",
  "Critics argued that the plan did little to address the underlying problems and would burden households.",
  "Supporters welcomed the move as overdue and said it would bring stability to a sector shaken by recent events.",
  "Independent analysts estimated the cost at several hundred million over the coming five years.",
  "Residents interviewed in the town centre were divided, with some saying they had heard nothing about it.",
  "A spokesperson declined to comment on the details but promised a full statement later in the day.",
  "The announcement follows a similar decision by neighbouring countries earlier this year.",
  "Opposition members walked out of the chamber before the final vote, calling the process rushed.",
  "Markets reacted calmly, with the currency little changed against the euro by the afternoon.",
];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export interface FeedShape {
  /** the oldest item's number */
  first: number;
  count: number;
  /** item k is dated t0 + k × stepMs */
  t0: number;
  stepMs: number;
  /** sentences per summary paragraph (two paragraphs); default 3 */
  sentences?: number;
}

function item(feed: number, k: number, shape: FeedShape): string {
  const r = seededRandom(feed * 100_003 + k);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const title = `${pick(SUBJECTS)} ${pick(VERBS)} ${pick(OBJECTS)} ${pick(CONTEXTS)}`;
  const sentences = shape.sentences ?? 3;
  const paragraphs = Array.from({ length: 2 }, () => `<p>${Array.from({ length: sentences }, () => pick(SENTENCES)).join(" ")}</p>`).join(
    "",
  );
  const link = `https://site${feed}.example/news/${2026}/${k}-${title
    .toLowerCase()
    .replace(/[^a-z]+/g, "-")
    .slice(0, 60)}`;
  return `<item>
  <title>${esc(title)}</title>
  <link>${link}</link>
  <guid isPermaLink="false">site${feed}-story-${k}</guid>
  <pubDate>${new Date(shape.t0 + k * shape.stepMs).toUTCString()}</pubDate>
  <category>${esc(pick(["Politics", "Economy", "World", "Society", "Environment"]))}</category>
  <description>${esc(paragraphs)}</description>
</item>`;
}

export function feedXml(feed: number, shape: FeedShape): string {
  const parts: string[] = [];
  for (let k = shape.first + shape.count - 1; k >= shape.first; k--) parts.push(item(feed, k, shape));
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Site ${feed} News</title><link>https://site${feed}.example/</link>
<description>News from site ${feed}</description><language>en</language>
${parts.join("\n")}
</channel></rss>`;
}
