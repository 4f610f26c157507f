import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Source } from "../../src/config.js";
import type { Item } from "../../src/news/item.js";
import { type LabelledDoc, labelledDocSchema, parseJsonl } from "../../src/news/related/jsonl.js";
import { createNewsService, type NewsItem } from "../../src/news/service.js";
import { createStores } from "../../src/store/index.js";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.js";
import { testRedis } from "../support/redis-client.js";
import { type Harness, harness, settled, sleep, subscribeAll } from "./delivery-harness.js";

/**
 * One event, three languages, one card: APA (az), Trend (ru) and Report.az
 * (en) on Aliyev receiving Georgia's foreign minister, from the labelled
 * cross-language fixture — through the news service as /latest reads it,
 * and through the chats' timelines against the fake Bot API.
 */
const parsed = parseJsonl<LabelledDoc>(
  readFileSync(new URL("../fixtures/related/crosslang.jsonl", import.meta.url), "utf8"),
  labelledDocSchema,
);
if (!parsed.ok) throw new Error(parsed.error);
const fixture = new Map(parsed.rows.map((d) => [d.id, d]));

/** One outlet per language, as a sources file declares them. */
const SOURCES: Source[] = [
  { id: "apa", name: "APA", url: "https://apa.example/rss", lang: "az", enabled: true },
  { id: "trend", name: "Trend", url: "https://trend.example/rss", lang: "ru", enabled: true },
  { id: "report", name: "Report.az", url: "https://report.example/rss", lang: "en", enabled: true },
];
const SOURCE_OF: Record<string, string> = { az: "apa", ru: "trend", en: "report" };

/** A fixture row as the poller would store it, `shiftMs` later than written. */
function itemOf(id: string, shiftMs = 0): Item {
  const d = fixture.get(id)!;
  const source = SOURCE_OF[d.lang!]!;
  const at = Date.parse(String(d.published)) + shiftMs;
  return {
    key: `${source}:${id}`,
    sourceId: source,
    sourceName: SOURCES.find((s) => s.id === source)!.name,
    title: d.title,
    link: d.url!,
    summary: d.description ?? "",
    published: new Date(at).toISOString(),
    seenAt: at,
  };
}

const TRIPLE = ["x01-az", "x01-ru", "x01-en"];
/** Same president, same city, same day, another guest. */
const NEAR_MISS = ["d01-az", "d01-en"];

describe("news service: one event in three languages is one story, with each report's language", () => {
  const { redis, prefix } = testRedis();
  afterAll(() => redis.quit());
  const now = Date.parse("2025-03-10T18:00:00Z");
  const clock = () => now;

  it("/latest folds the other two reports into the first one's entry, and gives every item its source's language", async () => {
    const stores = createStores(redis, `${prefix}svc:`, clock);
    // The rest of the fixture's first days, as the background a real index has.
    const background = parsed.rows.filter(
      (d) => d.id.startsWith("x0") && !d.id.startsWith("x01") && Date.parse(String(d.published)) <= now,
    );
    const items = [...TRIPLE, ...NEAR_MISS, ...background.map((d) => d.id)].map((id) => itemOf(id));
    for (const source of SOURCES)
      await stores.items.ingest(
        source.id,
        items.filter((i) => i.sourceId === source.id),
      );
    const news = createNewsService({ items: stores.items, sources: () => SOURCES, clock });
    await news.load();

    const entries = await news.latest(20);
    const card = entries.find((e) => e.item.key === "apa:x01-az");
    expect(card, "the first report leads its card").toBeDefined();
    expect((card!.also ?? []).map((a) => a.key).sort()).toEqual(["report:x01-en", "trend:x01-ru"]);
    expect((card!.item as NewsItem).lang).toBe("az");
    expect(Object.fromEntries((card!.also as NewsItem[]).map((a) => [a.sourceName, a.lang]))).toEqual({ Trend: "ru", "Report.az": "en" });
    // Neither report is a card of its own; the near miss is.
    const leads = entries.map((e) => e.item.key);
    expect(leads).not.toContain("trend:x01-ru");
    expect(leads).not.toContain("report:x01-en");
    expect(leads).toContain("apa:d01-az");
    expect(entries.find((e) => e.item.key === "apa:d01-az")!.also?.map((a) => a.key)).toEqual(["report:d01-en"]);

    // Related links cross languages too, each with its language.
    const related = await news.relatedFor(itemOf("x01-en"));
    expect(related.map((r) => [r.key, r.lang])).toEqual(
      expect.arrayContaining([
        ["apa:x01-az", "az"],
        ["trend:x01-ru", "ru"],
      ]),
    );
    expect(news.withLang(itemOf("x01-ru")).lang).toBe("ru");
  });
});

describe("delivery: a Russian, an Azerbaijani and an English report reach a chat as one card", () => {
  let tg: FakeTelegram;
  let h: Harness | undefined;
  const WINDOW = 6 * 3600_000;
  // The fixture's day, moved to the last few hours.
  const shift = Date.now() - 4 * 3600_000 - Date.parse("2025-03-10T10:00:00Z");

  beforeEach(async () => {
    tg = await startFakeTelegram();
  });
  afterEach(async () => {
    await h?.close();
    await tg.close();
  });

  it("the first report is sent; the other two join it under 'Also reported by'; the near miss is a card of its own", async () => {
    let news: ReturnType<typeof createNewsService> | undefined;
    h = harness(tg, {
      langOf: (sourceId) => SOURCES.find((s) => s.id === sourceId)?.lang ?? "und",
      merge: {
        windowMs: WINDOW,
        earlier: (item) => news!.sameStoryEarlier(item, WINDOW),
        resembles: (item, root) => news!.resembles(item, root),
      },
    });
    news = createNewsService({ items: h.stores.items, sources: () => SOURCES });
    for (const s of SOURCES) await h.stores.items.ingest(s.id, []);
    await subscribeAll(h, [1]);
    h.delivery.start();

    // Each report in its own poll, as the outlets publish them.
    for (const id of [...TRIPLE, ...NEAR_MISS]) {
      const item = itemOf(id, shift);
      await h.stores.items.ingest(item.sourceId, [item]);
      news.add([item]);
      await h.delivery.planner.run();
      await settled(h);
      await sleep(50);
    }

    const msgs = tg.messagesTo(1);
    expect(msgs.map((m) => m.visibleText.split("\n")[0])).toEqual([fixture.get("x01-az")!.title, fixture.get("d01-az")!.title]);
    const card = msgs[0]!;
    expect(card.visibleText).toContain("Also reported by");
    // Each other-language outlet is marked with its language.
    expect(card.visibleText).toContain("Trend (ru)");
    expect(card.visibleText).toContain("Report.az (en)");
    const hrefs = card.links.map((l) => l.href);
    expect(hrefs).toEqual(expect.arrayContaining([fixture.get("x01-ru")!.url, fixture.get("x01-en")!.url]));
    expect(hrefs).not.toContain(fixture.get("d01-en")!.url);
    expect(msgs[1]!.links.map((l) => l.href)).toContain(fixture.get("d01-en")!.url);
    expect(tg.stats.errors400).toBe(0);
  });
});
