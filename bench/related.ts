/**
 * bench:related — index 20,000 synthetic stories, ask related() for each,
 * print ms per query and heap use. Target: ≤ 2 ms per query.
 *
 * Then the same stories through Redis, as the bot keeps them: stored by the
 * real item store (polls of 40 sources) in a private redis-server, with the
 * growth of its used_memory (item bodies, the recent list, the ingest log,
 * seen markers; target ≤ 50 MB at 20,000 items), the time a fresh news
 * service takes to load its index from Redis, to sync() 1,000 items another
 * process stored, and to find a story's earlier reports (sameStoryEarlier).
 *
 * The stories are generated deterministically (seeded PRNG): English,
 * Russian and Azerbaijani words drawn with Zipf frequencies from the
 * multilingual fixture's vocabulary plus made-up words in each alphabet,
 * grouped into stories of 1–8 items that share a few key words, half with a
 * 15–35-word description, over seven days — so frequent words have long
 * posting lists, as in a real week of news. A fifth of the made-up words are
 * capitalised, so the signatures (names by sound) have postings too; the
 * languages are read from the text, as for a source that declares none.
 *
 *   npm run bench:related [-- --items N]
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { seededRandom } from "../src/infra/seeded-random.js";
import type { Item } from "../src/news/item.js";
import { type RelatedDoc, RelatedIndex } from "../src/news/related/index.js";
import { createNewsService } from "../src/news/service.js";
import { createItemStore } from "../src/store/item-store.js";
import { keys } from "../src/store/keys.js";
import { createRedis } from "../src/store/redis.js";
import { startPrivateRedis } from "../tests/support/redis.js";

type Lang = "en" | "ru" | "az";

/** Words of the multilingual fixture, by the language of their line. */
function fixtureWords(): Record<Lang, string[]> {
  const url = new URL("../tests/fixtures/related/multilingual.jsonl", import.meta.url);
  const out: Record<Lang, Set<string>> = { en: new Set(), ru: new Set(), az: new Set() };
  for (const line of readFileSync(url, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const row = JSON.parse(line) as { title: string; description?: string; lang: string };
    const set = out[row.lang as Lang];
    if (!set) continue;
    for (const w of `${row.title} ${row.description ?? ""}`.split(/[\s,.:;!?"«»()—–-]+/)) if (w.length > 2) set.add(w);
  }
  return { en: [...out.en], ru: [...out.ru], az: [...out.az] };
}

const SYLLABLES: Record<Lang, string[]> = {
  en: ["ba", "ka", "ri", "to", "mel", "san", "dor", "vi", "ne", "port", "lo", "tra", "zen", "fa", "gen", "ham", "sel", "ust", "bro", "ed"],
  ru: ["ка", "ро", "ми", "ст", "ва", "ни", "ло", "пре", "зи", "дент", "ско", "ль", "гра", "ту", "не", "бо", "ше", "ры", "ой", "ем"],
  az: ["ba", "qa", "rı", "to", "məl", "san", "dör", "vi", "nə", "şu", "gön", "ul", "ır", "pe", "lo", "çə", "zən", "ğa", "ist", "lər"],
};

function madeUpWords(rand: () => number, lang: Lang, n: number): string[] {
  const parts = SYLLABLES[lang];
  const out = new Set<string>();
  while (out.size < n) {
    const len = 2 + Math.floor(rand() * 3);
    let w = "";
    for (let j = 0; j < len; j++) w += parts[Math.floor(rand() * parts.length)]!;
    out.add(rand() < 0.2 ? w[0]!.toUpperCase() + w.slice(1) : w);
  }
  return [...out];
}

/**
 * Zipf (P(rank r) ∝ 1/(r + 100)): natural-language word frequencies, with
 * the top hundred ranks — the stop words, removed before indexing — left out.
 */
function zipfPicker(rand: () => number, vocab: string[]): () => string {
  const offset = 100;
  const logMin = Math.log(offset);
  const logMax = Math.log(offset + vocab.length);
  return () => vocab[Math.min(vocab.length - 1, Math.floor(Math.exp(logMin + rand() * (logMax - logMin))) - offset)]!;
}

function syntheticDocs(count: number, seed = 42): RelatedDoc[] {
  const rand = seededRandom(seed);
  const fixture = fixtureWords();
  const pick: Record<Lang, () => string> = {
    en: zipfPicker(rand, [...fixture.en, ...madeUpWords(rand, "en", 20_000)]),
    ru: zipfPicker(rand, [...fixture.ru, ...madeUpWords(rand, "ru", 20_000)]),
    az: zipfPicker(rand, [...fixture.az, ...madeUpWords(rand, "az", 20_000)]),
  };
  const sources = Array.from({ length: 40 }, (_, i) => `Outlet ${i + 1}`);
  const start = Date.UTC(2025, 0, 1);
  const docs: RelatedDoc[] = [];
  while (docs.length < count) {
    const u = rand();
    const word = pick[u < 0.5 ? "en" : u < 0.75 ? "ru" : "az"];
    const keys = Array.from({ length: 3 + Math.floor(rand() * 3) }, word);
    const at = start + Math.floor(rand() * 7 * 24 * 3600_000);
    const size = 1 + Math.floor(rand() * 8);
    for (let k = 0; k < size && docs.length < count; k++) {
      const n = docs.length;
      const title = [...keys.filter(() => rand() < 0.7), ...Array.from({ length: 3 + Math.floor(rand() * 6) }, word)]
        .sort(() => rand() - 0.5)
        .join(" ");
      const description = rand() < 0.5 ? Array.from({ length: 15 + Math.floor(rand() * 20) }, word).join(" ") : undefined;
      docs.push({
        id: `b${n}`,
        title,
        description,
        source: sources[Math.floor(rand() * sources.length)],
        url: `https://news${n % 40}.example/${n}`,
        published: new Date(at + Math.floor(rand() * 6 * 3600_000)).toISOString(),
      });
    }
  }
  return docs;
}

/** How many stories another process stores before the sync() measured. */
const SYNC_ITEMS = 1000;
/** Items per ingest call: one source's feed in one poll. */
const POLL_BATCH = 50;
const REDIS_TARGET_MB = 50;

/**
 * A synthetic story as the poller would store it, moved into the 70 hours
 * before `now` (the related window is 72) with its order kept.
 */
function asItem(d: RelatedDoc, now: number, from: number, to: number): Item {
  const span = 7 * 24 * 3600_000;
  const t = from + ((Date.parse(String(d.published)) - Date.UTC(2025, 0, 1)) / span) * (to - from);
  const sourceId = d.source!.toLowerCase().replace(/\s+/g, "-");
  const published = Math.min(now, Math.round(t));
  return {
    key: `${sourceId}:${d.id}`,
    sourceId,
    sourceName: d.source!,
    title: d.title,
    link: d.url!,
    summary: d.description ?? "",
    published: new Date(published).toISOString(),
    seenAt: Math.min(now, published + 5 * 60_000),
  };
}

/** Stores items the way polls do: oldest first, a feed's worth per source at a time. */
async function ingestAsPolls(store: ReturnType<typeof createItemStore>, items: Item[]): Promise<void> {
  const bySource = new Map<string, Item[]>();
  for (const item of [...items].sort((a, b) => a.seenAt - b.seenAt)) {
    let list = bySource.get(item.sourceId);
    if (!list) bySource.set(item.sourceId, (list = []));
    list.push(item);
  }
  for (const [sourceId, list] of bySource) {
    for (let i = 0; i < list.length; i += POLL_BATCH) {
      // Counted too: each new story's timeline entry (the timeline keeps at most 20,000).
      await store.ingest(sourceId, list.slice(i, i + POLL_BATCH));
    }
  }
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function redisBench(docs: RelatedDoc[]): Promise<boolean> {
  const server = await startPrivateRedis();
  // However the run ends, the private redis-server goes with it.
  process.once("exit", () => server.process.kill("SIGKILL"));
  const redis = createRedis(server.url);
  try {
    const now = Date.now();
    const clock = () => now;
    const k = keys("bench:");
    const store = createItemStore(redis, k, clock);
    const stored = docs.slice(0, docs.length - SYNC_ITEMS).map((d) => asItem(d, now, now - 70 * 3600_000, now - 3600_000));
    // Every fourth repeats a headline of the last day: a same story to find.
    const lastDay = stored.filter((i) => now - i.seenAt < 24 * 3600_000);
    const later = docs
      .slice(docs.length - SYNC_ITEMS)
      .map((d) => asItem(d, now, now - 3600_000, now))
      .map((item, i) => (i % 4 === 0 ? { ...item, title: lastDay[(i * 7919) % lastDay.length]!.title } : item));
    const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info("memory"))![1]);

    const memBefore = await usedMemory();
    const t0 = performance.now();
    await ingestAsPolls(store, stored);
    const ingestMs = performance.now() - t0;
    const grown = (await usedMemory()) - memBefore;
    const usage = async (key: string) => Number(await redis.call("MEMORY", "USAGE", key, "SAMPLES", "0"));
    const bodies = (await redis.pipeline(stored.map((i) => ["memory", "usage", k.item(i.key), "SAMPLES", "0"])).exec())!.reduce(
      (sum, [, v]) => sum + Number(v),
      0,
    );
    const seenKeys = [...new Set(stored.map((i) => k.seen(i.sourceId)))];
    let seen = 0;
    for (const key of seenKeys) seen += await usage(key);
    const recent = await usage(k.recent());
    const ingested = await usage(k.ingested());

    const news = createNewsService({ items: store, sources: () => [], clock });
    const t1 = performance.now();
    const loaded = await news.load();
    const loadMs = performance.now() - t1;

    // Another process polls: this one catches up from the ingest log.
    await ingestAsPolls(store, later);
    const t2 = performance.now();
    const synced = await news.sync();
    const syncMs = performance.now() - t2;

    const t3 = performance.now();
    let found = 0;
    for (const item of later) if (news.sameStoryEarlier(item, 36 * 3600_000).length > 0) found++;
    const sameMs = (performance.now() - t3) / later.length;

    console.log(`redis items    ${stored.length} stored in ${Math.round(ingestMs)} ms (polls of ≤ ${POLL_BATCH} items per source)`);
    console.log(
      `redis memory   ${mb(grown)} MB used_memory growth (target ≤ ${REDIS_TARGET_MB}): bodies ${mb(bodies)}, recent ${mb(recent)}, ingest log ${mb(ingested)}, seen ${mb(seen)} MB`,
    );
    console.log(`load()         ${Math.round(loadMs)} ms (${loaded} items into a fresh index)`);
    console.log(`sync()         ${Math.round(syncMs)} ms for ${SYNC_ITEMS} items another process stored (${synced} new to the index)`);
    console.log(
      `same story     ${sameMs.toFixed(3)} ms per item (sameStoryEarlier over 36 h of ${loaded}; an earlier report found for ${found} of ${later.length})`,
    );
    return grown / 1024 / 1024 <= REDIS_TARGET_MB;
  } finally {
    await redis.quit();
    await server.stop();
  }
}

/** Heap in use after a full collection (the flag is set at run time, so `npm run` needs no node option). */
function heapAfterGc(): number {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { items: { type: "string", default: "20000" } } });
  const count = Number(values.items);
  if (!Number.isInteger(count) || count < 1) throw new Error(`--items must be a positive integer, got "${values.items}"`);
  const all = syntheticDocs(count + SYNC_ITEMS);
  const docs = all.slice(0, count);

  const heapBefore = heapAfterGc();
  const t0 = performance.now();
  const index = new RelatedIndex();
  for (const d of docs) index.add(d);
  const t1 = performance.now();
  // What the index keeps, after a full GC (the garbage of building it is not kept).
  const heapMb = (heapAfterGc() - heapBefore) / 1024 / 1024;
  let links = 0;
  let crossLinks = 0;
  const times = new Float64Array(docs.length);
  const hits: string[][] = [];
  docs.forEach((d, i) => {
    const q0 = performance.now();
    const found = index.related(d);
    times[i] = performance.now() - q0;
    links += found.length;
    hits.push(found.map((h) => h.id));
  });
  docs.forEach((d, i) => {
    for (const id of hits[i]!) if (index.langOf(id) !== index.langOf(d.id)) crossLinks++;
  });
  const t2 = performance.now();
  times.sort();
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(3);

  const msPerQuery = (t2 - t1) / docs.length;
  console.log(`items          ${docs.length}`);
  console.log(`index build    ${Math.round(t1 - t0)} ms (${((t1 - t0) / docs.length).toFixed(3)} ms/item)`);
  console.log(`ms per query   ${msPerQuery.toFixed(3)} mean, ${pct(0.5)} p50, ${pct(0.99)} p99, ${pct(1)} max (target ≤ 2 mean)`);
  console.log(`links shown    ${(links / docs.length).toFixed(2)} per item (${crossLinks} to a story read in another language)`);
  console.log(
    `heap           ${heapMb.toFixed(1)} MB for the index (${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(1)} MB total)`,
  );
  if (msPerQuery > 2) process.exitCode = 1;

  if (!(await redisBench(all))) process.exitCode = 1;
}

await main();
