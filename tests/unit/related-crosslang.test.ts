import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { evaluate, evaluateMerges, simulateMerges } from "../../src/news/related/eval.js";
import { isSameStory, type RelatedDoc, RelatedIndex, resemblesRoot } from "../../src/news/related/index.js";
import { type LabelledDoc, labelledDocSchema, parseJsonl } from "../../src/news/related/jsonl.js";

const FIXTURE = fileURLToPath(new URL("../fixtures/related/crosslang.jsonl", import.meta.url));
const MULTILINGUAL = fileURLToPath(new URL("../fixtures/related/multilingual.jsonl", import.meta.url));

function load(path: string): LabelledDoc[] {
  const r = parseJsonl<LabelledDoc>(readFileSync(path, "utf8"), labelledDocSchema);
  if (!r.ok) throw new Error(`${path}: ${r.error}`);
  return r.rows;
}

const rows = load(FIXTURE);
const byId = new Map(rows.map((d) => [d.id, d]));
const doc = (id: string): LabelledDoc => {
  const d = byId.get(id);
  if (!d) throw new Error(`no ${id} in the fixture`);
  return d;
};
/** The fixture as one index, as the bot would hold it. */
function indexOf(docs: readonly RelatedDoc[]): RelatedIndex {
  const index = new RelatedIndex();
  for (const d of docs) index.add(d);
  return index;
}
const index = indexOf(rows);
const withoutLang = (d: LabelledDoc): LabelledDoc => {
  const { lang: _, ...rest } = d;
  return rest;
};

describe("the cross-language fixture", () => {
  it("is a labelled set of events told in two or three of en, ru, az, with distractors and stories told once", () => {
    const stories = new Map<string, Set<string>>();
    for (const d of rows) {
      expect(["en", "ru", "az"]).toContain(d.lang);
      const langs = stories.get(d.story_id) ?? new Set<string>();
      langs.add(d.lang!);
      stories.set(d.story_id, langs);
    }
    const events = [...stories].filter(([id]) => id.startsWith("x"));
    expect(events.length).toBeGreaterThanOrEqual(30);
    for (const [id, langs] of events) expect(langs.size, id).toBeGreaterThanOrEqual(2);
    expect(events.filter(([, langs]) => langs.size === 3).length).toBeGreaterThanOrEqual(20);
    // near misses: the same names, another event
    expect([...stories.keys()].filter((id) => id.startsWith("d")).length).toBeGreaterThanOrEqual(10);
    expect([...stories.values()].filter((langs) => rows.filter((r) => langs.has(r.lang!)).length > 0).length).toBe(stories.size);
    const sizes = new Map<string, number>();
    for (const d of rows) sizes.set(d.story_id, (sizes.get(d.story_id) ?? 0) + 1);
    expect([...sizes.values()].filter((n) => n === 1).length).toBeGreaterThanOrEqual(5);
  });
});

describe("cross-language same story", () => {
  // APA, Trend's Russian service and Report.az's English one on Aliyev receiving Georgia's foreign minister.
  const triple = ["x01-az", "x01-ru", "x01-en"].map(doc);

  it("a Russian, an Azerbaijani and an English report of one event are the same story, pairwise", () => {
    const [az, ru, en] = triple as [LabelledDoc, LabelledDoc, LabelledDoc];
    for (const [a, b] of [
      [az, ru],
      [az, en],
      [ru, en],
    ] as const) {
      expect(isSameStory(a, b, index), `${a.id} ~ ${b.id}`).toBe(true);
      expect(isSameStory(b, a, index), `${b.id} ~ ${a.id}`).toBe(true);
    }
  });

  it("merge as delivery does it, over the whole fixture: the later two join the first report", () => {
    const roots = simulateMerges(rows);
    expect(roots.get("x01-az")).toBeUndefined();
    expect(roots.get("x01-ru")).toBe("x01-az");
    expect(roots.get("x01-en")).toBe("x01-az");
  });

  it("in a young index too (a bot just started): the triple and two near misses alone", () => {
    const roots = simulateMerges([...triple, doc("d01-az"), doc("d01-en"), doc("x02-az"), doc("x02-ru")]);
    expect(roots.get("x01-ru")).toBe("x01-az");
    expect(roots.get("x01-en")).toBe("x01-az");
    expect(roots.get("d01-az")).toBeUndefined();
  });

  it("also without declared languages (guessed from the text)", () => {
    const [az, ru, en] = triple.map(withoutLang) as [LabelledDoc, LabelledDoc, LabelledDoc];
    expect(isSameStory(az, ru, index)).toBe(true);
    expect(isSameStory(az, en, index)).toBe(true);
  });

  it("a near miss does not merge: the same president in the same city on the same day, another guest", () => {
    for (const other of ["d01-az", "d01-en"])
      for (const x of triple) expect(isSameStory(x, doc(other), index), `${x.id} ≁ ${other}`).toBe(false);
  });

  it("nor the same minister in the same city on the same day with another counterpart (same language, words alike)", () => {
    for (const a of ["x14-ru", "x14-en", "x14-az"])
      for (const b of ["d15-ru", "d15-az"]) expect(isSameStory(doc(a), doc(b), index), `${a} ≁ ${b}`).toBe(false);
  });

  it("nor a quake of another magnitude elsewhere, nor a fire in another city, nor two different calls of one president", () => {
    const pairs = [
      ["x03-az", "d03-az"],
      ["x03-ru", "d03-ru"],
      ["x03-en", "d03-az"],
      ["x08-az", "d06-az"],
      ["x08-ru", "d06-en"],
      ["x10-ru", "d07-ru"],
      ["x10-en", "d07-en"],
      ["x02-en", "x17-en"],
      ["x02-ru", "x17-az"],
    ];
    for (const [a, b] of pairs) expect(isSameStory(doc(a!), doc(b!), index), `${a} ≁ ${b}`).toBe(false);
  });

  it("a cross-language merge needs the reports close in time: the same event two days later is not joined", () => {
    const later = { ...doc("x01-en"), id: "x01-en-later", published: "2025-03-12T11:05:00Z" };
    expect(isSameStory(doc("x01-az"), later, index)).toBe(false);
    expect(resemblesRoot(later, doc("x01-az"), index)).toBe(false);
  });

  it("related links cross languages: each report of the triple shows the other two first", () => {
    for (const d of triple) {
      const links = index.related(d).map((h) => h.id);
      const others = triple.filter((x) => x.id !== d.id).map((x) => x.id);
      expect(links.slice(0, 2).sort(), d.id).toEqual(others.sort());
    }
  });

  it("a story told once, in one language, is shown nothing rather than a weak link to a different event", () => {
    for (const id of ["d08-az", "d12-en", "d11-ru", "s01-en"]) expect(index.related(doc(id)), id).toEqual([]);
  });
});

/*
 * Thresholds a little below what the ranker reaches (npm run eval:related --
 * tests/fixtures/related/crosslang.jsonl [--ignore-time]); the figures at
 * the time of writing are in the comments. Before cross-language matching
 * the same set gave hit@1 0.174, coverage 0.198, shown precision 0.435 and
 * merge recall 0 (one merge, wrong: Lavrov's talks with Mirzoyan folded into
 * his talks with Fidan the same day).
 */
describe("eval over the cross-language fixture", () => {
  it("ranking: hit@1 ≥ 0.96 (0.983), coverage ≥ 0.96 (0.983), shown precision ≥ 0.94 (0.961)", () => {
    const r = evaluate(rows);
    expect(r.withPartner).toBe(121);
    expect(r.hitAt1).toBeGreaterThanOrEqual(0.96);
    expect(r.coverage).toBeGreaterThanOrEqual(0.96);
    expect(r.shownPrecision).toBeGreaterThanOrEqual(0.94);
    // stories told once: at most 1 of 7 gets a link (0; 2 before)
    expect(r.withoutPartner).toBe(7);
    expect(r.withoutPartnerShown).toBeLessThanOrEqual(1);
  });

  it("ranking on text alone (dates dropped): hit@1 ≥ 0.96 (0.983), shown precision ≥ 0.85 (0.875)", () => {
    const r = evaluate(rows, { ignoreTime: true });
    expect(r.hitAt1).toBeGreaterThanOrEqual(0.96);
    expect(r.shownPrecision).toBeGreaterThanOrEqual(0.85);
    // stories told once: 2 of 7 get a link (5 before)
    expect(r.withoutPartnerShown).toBeLessThanOrEqual(3);
  });

  it("merging: no wrong merge (62 of 62 right), recall ≥ 0.8 (0.827); the same on text alone", () => {
    const m = evaluateMerges(rows);
    expect(m.merges).toBeGreaterThanOrEqual(55);
    expect(m.mergePrecision).toBe(1);
    expect(m.mergeRecall).toBeGreaterThanOrEqual(0.8);
    const t = evaluateMerges(rows, { ignoreTime: true });
    expect(t.mergePrecision).toBe(1);
    expect(t.mergeRecall).toBeGreaterThanOrEqual(0.8);
  });

  it("the same without declared languages: the text's script and letters tell them", () => {
    const bare = rows.map(withoutLang);
    expect(evaluate(bare).hitAt1).toBeGreaterThanOrEqual(0.96);
    expect(evaluateMerges(bare).mergePrecision).toBe(1);
  });

  it("the multilingual fixture's cross-language near misses (Istanbul and Malatya quakes, Moscow and Baku metro, two central banks) stay apart", () => {
    const multi = load(MULTILINGUAL);
    const story = new Map(multi.map((d) => [d.id, d.story_id]));
    const lang = new Map(multi.map((d) => [d.id, d.lang]));
    const m = indexOf(multi);
    for (const d of multi)
      for (const h of m.related(d)) if (lang.get(h.id) !== d.lang) expect(story.get(h.id), `${d.id} → ${h.id}`).toBe(d.story_id);
    const roots = simulateMerges(multi);
    for (const [id, root] of roots) if (root) expect(lang.get(root), `${id} merged into ${root}`).toBe(lang.get(id));
  });
});
