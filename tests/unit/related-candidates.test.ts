import { describe, expect, it } from "vitest";
import { type RelatedDoc, RelatedIndex } from "../../src/news/related/index.js";

const t = Date.parse("2026-11-28T12:00:00Z");
const docs: RelatedDoc[] = [
  {
    id: "bbc",
    title: "Earthquake strikes Istanbul, buildings damaged",
    source: "BBC",
    url: "https://bbc.example/quake?utm_source=x",
    published: t,
  },
  { id: "ap", title: "Earthquake strikes Istanbul; buildings damaged", source: "AP", url: "https://ap.example/1", published: t },
  { id: "agg", title: "Tremor felt across the Bosphorus city", source: "Aggregator", url: "https://bbc.example/quake", published: t },
  {
    id: "gdn",
    title: "Strong earthquake rattles Istanbul, damaging buildings",
    source: "Guardian",
    url: "https://gdn.example/q",
    published: t,
  },
  { id: "npr", title: "Istanbul marathon draws record number of runners", source: "NPR", url: "https://npr.example/m", published: t },
  { id: "x1", title: "Central bank holds interest rates steady", source: "Wire", published: t },
  { id: "x2", title: "Floods hit northern Italy after heavy rain", source: "Wire", published: t },
  { id: "x3", title: "Airline cancels flights over pilot strike", source: "Wire", published: t },
];

function index(): RelatedIndex {
  const i = new RelatedIndex();
  for (const d of docs) i.add(d);
  return i;
}

describe("RelatedIndex: raw candidates and copies", () => {
  it("candidates() keeps the copies related() collapses, best first, without the query", () => {
    const i = index();
    const bbc = docs[0]!;
    expect(i.related(bbc).map((h) => h.id)).toEqual(["gdn"]);
    const c = i.candidates(bbc);
    expect(c.map((h) => h.id)).toEqual(["ap", "gdn"]);
    expect(c[0]!.score).toBeGreaterThan(c[1]!.score);
    expect(i.candidates(bbc, 0.95).map((h) => h.id)).toEqual(["ap"]);
  });

  it("copiesOf() finds the same canonical URL or headline whatever the words, and forgets removed stories", () => {
    const i = index();
    expect(i.copiesOf(docs[0]!).sort()).toEqual(["agg", "ap"]);
    expect(i.copiesOf(docs[3]!)).toEqual([]);
    i.remove("agg");
    expect(i.copiesOf(docs[0]!)).toEqual(["ap"]);
    expect(i.copiesOf({ id: "new", title: "Anything", url: "https://ap.example/1" })).toEqual(["ap"]);
  });
});
