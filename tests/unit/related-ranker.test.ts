import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_WINDOW_MS,
  isSameStory,
  type RelatedDoc,
  RelatedIndex,
  resemblesRoot,
  THIN_FACTOR,
  THIN_MIN_TERMS,
} from "../../src/news/related/index.js";
import { type LabelledDoc, labelledDocSchema, parseJsonl } from "../../src/news/related/jsonl.js";

/** The labelled multilingual fixture: realistic background for IDF, and stories with near misses. */
function fixture(): LabelledDoc[] {
  const text = readFileSync(new URL("../fixtures/related/multilingual.jsonl", import.meta.url), "utf8");
  const r = parseJsonl<LabelledDoc>(text, labelledDocSchema);
  if (!r.ok) throw new Error(`multilingual.jsonl: ${r.error}`);
  return r.rows;
}

function indexOf(docs: RelatedDoc[]): RelatedIndex {
  const index = new RelatedIndex();
  for (const d of docs) index.add(d);
  return index;
}

const docs = fixture();
const storyOf = new Map(docs.map((d) => [d.id, d.story_id]));
const byId = new Map(docs.map((d) => [d.id, d]));
const shown = (index: RelatedIndex, id: string) => index.related(byId.get(id)!).map((h) => h.id);

describe("RelatedIndex: ranking", () => {
  const index = indexOf(docs);

  it("ranks the same story told in other words first, in each language", () => {
    const fresh: Array<[RelatedDoc, string]> = [
      [{ id: "q-en", title: "Earthquake of magnitude 6.2 rattles Istanbul", published: "2025-04-23T13:00:00Z" }, "en-istanbul-quake"],
      [{ id: "q-ru", title: "Ключевая ставка Банка России осталась на уровне 21%", published: "2025-02-14T12:00:00Z" }, "ru-cbr-rate"],
      [{ id: "q-az", title: "Qarabağ Bakıda Ferencvaroşu məğlub edib", published: "2025-10-02T20:00:00Z" }, "az-qarabag-ferencvaros"],
      [{ id: "q-az2", title: "Neftçi ilə Sabahın oyunu heç-heçə bitdi", published: "2025-10-05T20:00:00Z" }, "az-neftchi-sabah"],
    ];
    for (const [query, story] of fresh) {
      const hits = index.related(query);
      expect(hits.length, query.title).toBeGreaterThan(0);
      expect(
        hits.map((h) => storyOf.get(h.id)),
        query.title,
      ).toEqual(hits.map(() => story));
    }
  });

  it("keeps same-words-different-story items below the floor", () => {
    // another earthquake, another Baku match, another central bank, another Istanbul story
    expect(shown(index, "en-05").map((id) => storyOf.get(id))).not.toContain("en-istanbul-quake");
    expect(shown(index, "az-04").map((id) => storyOf.get(id))).not.toContain("az-qarabag-ferencvaros");
    expect(shown(index, "az-01").map((id) => storyOf.get(id))).not.toContain("az-neftchi-sabah");
    expect(shown(index, "ru-07").map((id) => storyOf.get(id))).toEqual(["ru-kz-rate"]);
    expect(shown(index, "en-19")).toEqual([]); // Istanbul marathon vs Istanbul quake
    expect(shown(index, "ru-12")).toEqual([]); // a small quake in Azerbaijan vs Kamchatka
    expect(shown(index, "az-14")).toEqual([]); // Malatya quake vs Şamaxı quake
    expect(shown(index, "az-15")).toEqual([]); // a Baku metro station vs Baku football and wind
  });

  it("shows nothing for a story unrelated to everything indexed", () => {
    expect(index.related({ id: "x", title: "Scientists sequence the genome of the axolotl" })).toEqual([]);
    expect(index.related({ id: "y", title: "" })).toEqual([]);
    expect(index.related({ id: "z", title: "the and of" })).toEqual([]);
  });

  it("returns best first, at most `limit`, with scores within (floor, 1]", () => {
    for (const d of docs) {
      const hits = index.related(d);
      expect(hits.length).toBeLessThanOrEqual(3);
      for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
      for (const h of hits) expect(h.score > index.floor && h.score <= 1).toBe(true);
    }
    expect(index.related(byId.get("en-01")!, 1)).toHaveLength(1);
    expect(index.related(byId.get("en-01")!, 0)).toEqual([]);
  });

  it("a higher floor shows less", () => {
    const strict = new RelatedIndex({ floor: 0.6 });
    for (const d of docs) strict.add(d);
    expect(strict.related(byId.get("en-01")!)).toEqual([]);
  });

  it("rejects nonsense options with a message naming the option", () => {
    expect(() => new RelatedIndex({ floor: 2 })).toThrow(/floor/);
    expect(() => new RelatedIndex({ windowMs: 0 })).toThrow(/windowMs/);
  });
});

describe("RelatedIndex: exclusions and copies", () => {
  const index = indexOf(docs);

  it("never shows the story itself", () => {
    for (const d of docs) expect(shown(index, d.id)).not.toContain(d.id);
  });

  it("never shows a link to the same page (canonical URL), even under another id", () => {
    // en-11 is en-08's URL with www., a trailing slash and utm_ parameters
    expect(shown(index, "en-08")).not.toContain("en-11");
    expect(shown(index, "en-11")).not.toContain("en-08");
    expect(shown(index, "en-09")).not.toEqual(expect.arrayContaining(["en-08", "en-11"]));
  });

  it("shows only one of two copies of a headline, and none of the story's own headline", () => {
    // en-02 and en-04 differ only in punctuation
    for (const d of docs) expect(shown(index, d.id)).not.toEqual(expect.arrayContaining(["en-02", "en-04"]));
    expect(shown(index, "en-02")).not.toContain("en-04");
    expect(shown(index, "en-04")).not.toContain("en-02");
    expect(shown(index, "en-01")).toEqual(expect.arrayContaining(["en-03"]));
  });
});

describe("RelatedIndex: time and source", () => {
  const background: RelatedDoc[] = [
    { id: "b1", title: "Parliament debates the budget" },
    { id: "b2", title: "Heavy rain floods roads in the north" },
    { id: "b3", title: "Tennis star reaches the final" },
    { id: "b4", title: "New museum opens downtown" },
  ];
  const t0 = Date.UTC(2025, 5, 1);

  it("scores a story lower the further apart in time; no date, no penalty", () => {
    // the same words in three orders: equally similar, but not copies of each other
    const index = indexOf([
      ...background,
      { id: "near", title: "Wildfire near Gabala forces village evacuation", published: t0 + 3600_000 },
      { id: "far", title: "Near Gabala, wildfire forces village evacuation", published: t0 - DEFAULT_WINDOW_MS / 2 },
      { id: "undated", title: "Village evacuation: wildfire near Gabala forces" },
    ]);
    const hits = index.related({ id: "q", title: "Gabala wildfire: village evacuated", published: new Date(t0).toISOString() });
    expect(hits.map((h) => h.id)).toEqual(["undated", "near", "far"]);
    const score = new Map(hits.map((h) => [h.id, h.score]));
    // 1 / (1 + gap / window): an hour costs almost nothing, half a window a third
    expect(score.get("near")! / score.get("undated")!).toBeCloseTo(1 / (1 + 3600_000 / DEFAULT_WINDOW_MS), 6);
    expect(score.get("far")! / score.get("undated")!).toBeCloseTo(2 / 3, 6);
  });

  it("prefers another outlet over the same outlet with the same words", () => {
    const index = indexOf([
      ...background,
      { id: "a-same-outlet", source: "Report", title: "Gabala wildfire forces village evacuation", url: "https://report.example/1" },
      { id: "b-other-outlet", source: "APA", title: "Gabala wildfire forces evacuation of village", url: "https://apa.example/1" },
    ]);
    const hits = index.related({ id: "q", source: "Report", title: "Wildfire in Gabala: village evacuated" });
    expect(hits.map((h) => h.id)).toEqual(["b-other-outlet", "a-same-outlet"]);
  });
});

describe("RelatedIndex: words most stories use", () => {
  // "Azərbaycan" in every story and "iqtisadiyyat" in one in five: both take
  // the shortcut for common words (see RelatedIndex.score), by either lookup.
  const name = (i: number) => `${String.fromCharCode(97 + (i % 26), 97 + (((i / 26) | 0) % 26), 97 + (((i / 676) | 0) % 26))}lov`;
  const docs: RelatedDoc[] = [];
  for (let i = 0; i < 400; i++)
    docs.push({ id: `bg${i}`, title: `Azərbaycan ${name(i)} ${name(i + 2000)}${i < 80 ? " iqtisadiyyat" : ""}` });
  for (let k = 0; k < 12; k++) docs.push({ id: `g${k}`, title: `Azərbaycan Gəncə ${name(5000 + k)} iqtisadiyyat zavod` });
  const index = indexOf(docs);

  it("scores exactly as the plain cosine would", () => {
    const q = { id: "q", title: "Gəncədə yeni zavod: Azərbaycan iqtisadiyyatı" };
    const hits = index.related(q);
    expect(hits).toHaveLength(3);
    for (const h of hits) {
      expect(h.id).toMatch(/^g\d+$/);
      expect(h.score).toBeCloseTo(index.similarity(q, docs.find((d) => d.id === h.id)!), 9);
    }
  });

  it("a story sharing only common words is not related", () => {
    expect(index.related({ id: "q2", title: "Azərbaycan iqtisadiyyatı böyüyür, Şəki turizmi də" }).map((h) => h.id)).toEqual([]);
  });
});

describe("RelatedIndex: a thin overlap between two longer headlines", () => {
  // Made-up words, so that stemming and stop words do not blur the counts.
  const query = { id: "q", title: "Zorvan quelth brimask tolvane prusk" };
  const docs: RelatedDoc[] = [
    { id: "two", title: "Zorvan quelth vandrik selumo krattel" }, // 2 of 5 shared
    { id: "three", title: "Zorvan quelth brimask ostrel fendow" }, // 3 of 5 shared
    { id: "short", title: "Zorvan quelth mibbet" }, // 2 shared, but 3 terms
  ];
  for (let i = 0; i < 20; i++) docs.push({ id: `bg${i}`, title: `Lorvask${i} tembrel${i} oskavan${i} pirrel${i} dunmark${i}` });
  const index = indexOf(docs);
  const score = (id: string) => index.candidates(query, 0).find((h) => h.id === id)?.score;
  const cosine = (id: string) => index.similarity(query, docs.find((d) => d.id === id)!);

  it(`counts ${THIN_FACTOR} when two headlines of ${THIN_MIN_TERMS}+ terms share only two`, () => {
    expect(score("two")).toBeCloseTo(cosine("two") * THIN_FACTOR, 9);
    expect(score("three")).toBeCloseTo(cosine("three"), 9);
    expect(score("short")).toBeCloseTo(cosine("short"), 9);
  });

  it("so a two-word overlap just above the floor is not shown", () => {
    const floor = cosine("two") * 0.95;
    const strict = new RelatedIndex({ floor });
    for (const d of docs) strict.add(d);
    expect(strict.related(query).map((h) => h.id)).not.toContain("two");
    expect(strict.related(query).map((h) => h.id)).toContain("three");
  });
});

describe("RelatedIndex: headlines that share only numbers, dates and units", () => {
  const docs: RelatedDoc[] = [
    { id: "pot", title: "Colorado pot taxes total $2 million" },
    { id: "lobby", title: "Herbalife's lobbying tab nears $2 million" },
    { id: "gas", title: "Gas prices in NH rise 2 cents over past week" },
    { id: "sdk", title: "Google to release Android SDK for wearables in 2 weeks" },
    { id: "pot2", title: "Colorado marijuana taxes reach $2 million in January" },
    { id: "ru1", title: "Бюджет Казани пополнился на 2 млн за неделю" },
    { id: "ru2", title: "Хакеры украли 2 млн за неделю у клиентов банка" },
    { id: "az1", title: "Bakıda mağazalar 3 gün 10 faiz endirim edir" },
    { id: "az2", title: "Gəncədə qiymətlər 3 gün 10 faiz artıb" },
  ];
  for (let i = 0; i < 20; i++) docs.push({ id: `bg${i}`, title: `Lorvask${i} tembrel${i} oskavan${i} pirrel${i} dunmark${i}` });
  const index = indexOf(docs);
  const linked = (id: string) => index.candidates(docs.find((d) => d.id === id)!, 0).map((h) => h.id);

  it("does not link them, in English, Russian or Azerbaijani", () => {
    expect(linked("pot")).not.toContain("lobby");
    expect(linked("gas")).not.toContain("sdk");
    expect(linked("ru1")).not.toContain("ru2");
    expect(linked("az1")).not.toContain("az2");
  });

  it("links them when a word of the event is shared too", () => {
    expect(linked("pot")).toContain("pot2"); // Colorado, taxes
    expect(index.related(docs.find((d) => d.id === "pot")!).map((h) => h.id)).toEqual(["pot2"]);
  });
});

describe("RelatedIndex: add, remove, has, size", () => {
  it("is idempotent by id: re-adding replaces, remove forgets", () => {
    const index = indexOf(docs);
    const n = index.size;
    expect(n).toBe(docs.length);
    index.add(byId.get("ru-04")!);
    expect(index.size).toBe(n);
    expect(shown(index, "ru-05")).toContain("ru-04");

    // replaced by an unrelated text under the same id: no longer related
    index.add({ id: "ru-04", title: "Выставка кошек открылась в Казани" });
    expect(index.size).toBe(n);
    expect(shown(index, "ru-05")).not.toContain("ru-04");

    index.remove("ru-06");
    expect(index.has("ru-06")).toBe(false);
    expect(index.size).toBe(n - 1);
    expect(shown(index, "ru-05")).not.toContain("ru-06");
    index.remove("ru-06"); // removing twice is harmless
    expect(index.size).toBe(n - 1);
  });

  it("answers the same after many adds and removes as a fresh index of what is left", () => {
    const churned = new RelatedIndex();
    for (const d of docs) churned.add(d);
    churned.related(docs[0]!); // a query in between, so later changes meet a computed state
    for (const d of docs.filter((_, i) => i % 3 === 0)) churned.remove(d.id);
    // back under new ids: their slots and words were freed and get reused
    const back = docs.filter((_, i) => i % 6 === 0).map((d) => ({ ...d, id: `${d.id}-again` }));
    for (const d of back) churned.add(d);
    const left = [...docs.filter((_, i) => i % 3 !== 0), ...back];
    const fresh = indexOf(left);
    for (const d of left) {
      const a = churned.related(d);
      const b = fresh.related(d);
      expect(
        a.map((h) => h.id),
        d.id,
      ).toEqual(b.map((h) => h.id));
      for (const [i, h] of a.entries()) expect(h.score, d.id).toBeCloseTo(b[i]!.score, 2);
    }
  });

  it("an empty index relates nothing", () => {
    expect(new RelatedIndex().related({ id: "a", title: "Anything at all" })).toEqual([]);
  });
});

describe("isSameStory", () => {
  const index = indexOf(docs);

  it("copies of one headline and links to one page are the same story", () => {
    expect(isSameStory(byId.get("en-02")!, byId.get("en-04")!)).toBe(true);
    expect(isSameStory(byId.get("en-08")!, byId.get("en-11")!)).toBe(true);
  });

  it("a close paraphrase is the same story under the index's IDF", () => {
    expect(isSameStory(byId.get("az-07")!, byId.get("az-08")!, index)).toBe(true);
    expect(isSameStory(byId.get("tr-01")!, byId.get("tr-02")!, index)).toBe(true);
  });

  it("related is not enough: near misses and loose matches are not merged", () => {
    expect(isSameStory(byId.get("en-15")!, byId.get("en-18")!, index)).toBe(false); // Fed vs BoE
    expect(isSameStory(byId.get("en-01")!, byId.get("en-03")!, index)).toBe(false); // same quake, little shared wording
    expect(isSameStory(byId.get("az-01")!, byId.get("az-04")!, index)).toBe(false);
  });

  it("the same headline days apart is a new story", () => {
    const a = { id: "a", title: "Strong winds close Baku port", published: "2025-01-01T10:00:00Z" };
    expect(isSameStory(a, { ...a, id: "b", published: "2025-01-02T10:00:00Z" })).toBe(true);
    expect(isSameStory(a, { ...a, id: "b", published: "2025-01-04T10:00:00Z" })).toBe(false);
    expect(isSameStory(a, { ...a, id: "b", published: undefined })).toBe(true);
  });
});

describe("resemblesRoot (joining a story's first report through a later one)", () => {
  const index = indexOf(docs);

  it("asks less than isSameStory, but still more than related", () => {
    const [a, b] = [byId.get("az-01")!, byId.get("az-02")!]; // Qarabağ beat Ferencváros, in other words
    expect(isSameStory(b, a, index)).toBe(false);
    expect(resemblesRoot(b, a, index)).toBe(true);
    expect(resemblesRoot(byId.get("en-18")!, byId.get("en-15")!, index)).toBe(false); // Fed vs BoE
    expect(resemblesRoot(byId.get("az-04")!, byId.get("az-01")!, index)).toBe(false); // another match
  });

  it("the same story outright resembles; days apart does not", () => {
    const a = { id: "a", title: "Strong winds close Baku port", published: "2025-01-01T10:00:00Z" };
    expect(resemblesRoot({ ...a, id: "b" }, a)).toBe(true);
    const b = { id: "b", title: "Baku port closed as strong winds blow", published: "2025-01-01T14:00:00Z" };
    expect(resemblesRoot(b, a)).toBe(true);
    expect(resemblesRoot({ ...b, published: "2025-01-04T10:00:00Z" }, a)).toBe(false);
  });
});
