import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { main as evalMain } from "../../src/cli/eval-related.js";
import { evaluate, evaluateMerges, formatEval, formatMerges, simulateMerges, withSingletons } from "../../src/news/related/eval.js";
import { type LabelledDoc, labelledDocSchema, parseJsonl, relatedDocSchema } from "../../src/news/related/jsonl.js";
import { RelatedIndex } from "../../src/news/related/ranker.js";
import { captureOutput } from "../support/capture-output.js";

function load(path: string): LabelledDoc[] {
  const r = parseJsonl<LabelledDoc>(readFileSync(path, "utf8"), labelledDocSchema);
  if (!r.ok) throw new Error(`${path}: ${r.error}`);
  return r.rows;
}

describe("evaluate", () => {
  // No dates: only the text decides. Links as the ranker gives them (asserted
  // below, so the arithmetic can be followed by hand):
  //   a1 → a2 a3    a2 → a1    a3 → a1        (story A: all correct)
  //   b1 → d1 b2    b2 → b1 d1                 (d1 is another story at the same tournament)
  //   d1 → b1 b2                               (d1 has no partner: both links wrong)
  //   f1, f2 → nothing                         (same story, no shared words)
  //   e1 → nothing                             (no partner, nothing shown: fine)
  const tiny: LabelledDoc[] = [
    { id: "a1", story_id: "A", title: "Volcano erupts near Grindavik in Iceland" },
    { id: "a2", story_id: "A", title: "Iceland volcano eruption threatens Grindavik" },
    { id: "a3", story_id: "A", title: "Grindavik evacuated as Icelandic volcano erupts again" },
    { id: "b1", story_id: "B", title: "Carlsen wins Norway Chess title" },
    { id: "b2", story_id: "B", title: "Magnus Carlsen clinches Norway Chess crown" },
    { id: "d1", story_id: "D", title: "Carlsen loses to Gukesh at Norway Chess" },
    { id: "f1", story_id: "F", title: "Fed raises interest rates" },
    { id: "f2", story_id: "F", title: "US central bank lifts borrowing costs" },
    { id: "e1", story_id: "E", title: "Stock markets close higher on Friday" },
  ];

  it("ranks the tiny set as the comment above says", () => {
    const index = new RelatedIndex();
    for (const d of tiny) index.add(d);
    const links = Object.fromEntries(tiny.map((d) => [d.id, index.related(d).map((h) => h.id)]));
    expect(links).toEqual({
      a1: ["a2", "a3"],
      a2: ["a1"],
      a3: ["a1"],
      b1: ["d1", "b2"],
      b2: ["b1", "d1"],
      d1: ["b1", "b2"],
      f1: [],
      f2: [],
      e1: [],
    });
  });

  it("computes hit@1, coverage and shown precision by their definitions", () => {
    const r = evaluate(tiny);
    expect(r.items).toBe(9);
    // with a partner: a1 a2 a3 b1 b2 f1 f2
    expect(r.withPartner).toBe(7);
    // first link right: a1 a2 a3 b2 (b1's first is d1; f1, f2 show nothing) → 4/7
    expect(r.hitAt1).toBeCloseTo(4 / 7, 10);
    // some link right: a1 a2 a3 b1 b2 → 5/7
    expect(r.coverage).toBeCloseTo(5 / 7, 10);
    // shown 2+1+1+2+2+2 = 10, right 2+1+1+1+1+0 = 6 → 0.6
    expect(r.shown).toBe(10);
    expect(r.shownPrecision).toBeCloseTo(0.6, 10);
    expect(r.empty).toBe(3);
    // no partner: d1 (shown two links, both wrong) and e1 (shown none)
    expect(r).toMatchObject({ withoutPartner: 2, withoutPartnerShown: 1 });
    expect(r.msPerItem).toBeGreaterThan(0);
    expect(formatEval(r)).toMatch(/hit@1\s+0\.571\n/);
    expect(formatEval(r)).toMatch(/\nno partner\s+1 of 2 shown a link/);
  });

  it("counts nothing shown as 0, not as perfect", () => {
    const r = evaluate([
      { id: "x", story_id: "X", title: "Alpha beta gamma" },
      { id: "y", story_id: "X", title: "Delta epsilon zeta" },
    ]);
    expect(r).toMatchObject({ withPartner: 2, hitAt1: 0, coverage: 0, shownPrecision: 0, shown: 0 });
  });

  it("--ignore-time drops the dates: a story 30 days away is then as near as any", () => {
    const set: LabelledDoc[] = [
      { id: "p", story_id: "S", title: "Baku port closed by storm winds", published: "2025-01-01T00:00:00Z" },
      { id: "q", story_id: "S", title: "Storm winds close Baku port again", published: "2025-01-31T00:00:00Z" },
      { id: "r", story_id: "T", title: "Museum opens in Sheki" },
      { id: "s", story_id: "U", title: "Tennis final moved indoors" },
    ];
    expect(evaluate(set, { floor: 0.3 }).coverage).toBe(0);
    expect(evaluate(set, { floor: 0.3, ignoreTime: true }).coverage).toBe(1);
  });
});

describe("same-story merging, simulated as delivery does it", () => {
  const T = Date.parse("2025-03-01T08:00:00Z");
  const at = (hours: number) => new Date(T + hours * 3600_000).toISOString();
  // Unrelated singletons, so that the IDF is a real one: in a handful of
  // volcano headlines "volcano" and "Grindavik" would count for nothing.
  const background: LabelledDoc[] = [
    "Central bank keeps interest rates unchanged",
    "Tennis star withdraws from Miami Open with injury",
    "New metro line opens in Baku",
    "Oil prices climb after OPEC output cut",
    "Museum returns stolen painting to Italy",
    "Heavy snow closes schools across Moscow",
    "Carmaker recalls electric SUVs over brake fault",
    "Parliament passes budget after long debate",
    "Football club sacks manager after derby defeat",
    "Scientists map the genome of the axolotl",
  ].map((title, i) => ({ id: `bg${i}`, story_id: `BG${i}`, title, published: at(-10 + i / 2) }));
  // Not in date order: a1 arrives before a2 although the file lists a2 first.
  const volcano: LabelledDoc[] = [
    { id: "a2", story_id: "A", title: "Iceland volcano erupts near Grindavik, lava reaches the road", published: at(2) }, // → a1: right
    { id: "a1", story_id: "A", title: "Volcano erupts near Grindavik in Iceland", published: at(0) }, // the story's first report
    { id: "w1", story_id: "W", title: "Volcano erupts near Grindavik in Iceland, flights unaffected", published: at(1) }, // → a1: the labels call it another story
    { id: "a4", story_id: "A", title: "Lava flows toward Icelandic fishing town", published: at(3) }, // the story in other words: missed
    { id: "n1", story_id: "N", title: "Grindavik evacuation order lifted as Iceland volcano calms", published: at(4) }, // near miss: not merged
    { id: "u1", story_id: "U", title: "Carlsen wins Norway Chess title", published: at(5) }, // unrelated
    { id: "a3", story_id: "A", title: "Volcano erupts near Grindavik in Iceland again", published: at(48) }, // 2 days on: a message again
  ];
  const set = [...background, ...volcano];

  it("merges later reports into the story's first one, and scores the merges against the labels", () => {
    expect([...simulateMerges(set)].filter(([, root]) => root)).toEqual([
      ["w1", "a1"],
      ["a2", "a1"],
    ]);
    const r = evaluateMerges(set);
    // could have joined a report of their story within 6 h: a2 and a4 (a1); a3 is 46 h past a4
    expect(r).toEqual({
      items: 17,
      stories: 14,
      messages: 15,
      merges: 2,
      correctMerges: 1,
      mergePrecision: 0.5,
      mergeable: 2,
      mergeRecall: 0.5,
    });
    expect(formatMerges(r)).toBe(
      [
        "merges         2 (1 into their own story)",
        "merge prec.    0.500",
        "merge recall   0.500 (1 of 2 that could join a report of their story)",
        "messages       15 for 17 items in 14 stories",
      ].join("\n"),
    );
  });

  it("a shorter window merges less", () => {
    // a2 and w1 came 2 h and 1 h after a1
    expect(evaluateMerges(set, { mergeWindowMs: 0.5 * 3600_000 })).toMatchObject({ merges: 0, mergeable: 0, messages: 17 });
  });

  it("--ignore-time: file order, no window, no time gap — the report 2 days on joins too", () => {
    // w1 matches a1 only, which joined a2, and is like a2 too: it joins a2 through a1.
    expect([...simulateMerges(set, { ignoreTime: true })].filter(([, root]) => root)).toEqual([
      ["a1", "a2"],
      ["w1", "a2"],
      ["a3", "a2"],
    ]);
    expect(evaluateMerges(set, { ignoreTime: true })).toMatchObject({ merges: 3, correctMerges: 2, mergeable: 3, messages: 14 });
  });

  it("joins a report that went out as a message of its own, or through a match the root it joined only when like that root too", () => {
    const chain: LabelledDoc[] = [
      ...background,
      volcano[1]!, // a1 at 0 h
      volcano[0]!, // a2 at 2 h → a1
      // the same story as a2 only, which joined a1; like a1 enough (0.44 ≥ 0.4): joins a1
      { id: "v1", story_id: "A", title: "Lava reaches the road as Iceland volcano erupts", published: at(4) },
      // the same story as a2 and v1, which joined a1; not like a1 (0.21): a message of its own, not a chain
      { id: "c1", story_id: "A", title: "Lava reaches the road to Grindavik", published: at(5) },
      // matches c1, a message of its own: joins it
      { id: "c2", story_id: "A", title: "Lava reaches the road to Grindavik, crews build barriers", published: at(7) },
    ];
    expect([...simulateMerges(chain)].filter(([, root]) => root)).toEqual([
      ["a2", "a1"],
      ["v1", "a1"],
      ["c2", "c1"],
    ]);
  });

  it("takes items by date, ties in file order; an undated item arrives with the one before it in the file", () => {
    const order = (docs: LabelledDoc[]) => [...simulateMerges(docs).keys()];
    const doc = (id: string, published?: string): LabelledDoc => ({ id, story_id: id, title: `Headline ${id}`, published });
    expect(order([doc("x", at(2)), doc("y"), doc("z", at(1)), doc("t", at(1))])).toEqual(["z", "t", "x", "y"]);
    expect(order([doc("y"), doc("x", at(2)), doc("z", at(1))])).toEqual(["z", "y", "x"]);
  });

  describe("in eval-related's output", () => {
    const dir = mkdtempSync(join(tmpdir(), "related-eval-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "volcano.jsonl");
    writeFileSync(path, `${set.map((d) => JSON.stringify(d)).join("\n")}\n`);

    const run = (argv: string[]) => captureOutput(evalMain, argv);

    it('prints the merge figures after the ranking\'s, and under "merge" with --json', async () => {
      const r = await run([path]);
      expect(r.code).toBe(0);
      const lines = r.out.trimEnd().split("\n");
      expect(lines.map((l) => l.split(/\s{2,}/)[0])).toEqual([
        "items",
        "hit@1",
        "coverage",
        "shown prec.",
        "no partner",
        "ms per item",
        "merges",
        "merge prec.",
        "merge recall",
        "messages",
      ]);
      expect(lines.slice(6).join("\n")).toBe(formatMerges(evaluateMerges(set)));
      const json = JSON.parse((await run([path, "--json"])).out) as { items: number; merge: unknown };
      expect(json.items).toBe(17);
      expect(json.merge).toEqual(evaluateMerges(set));
    });

    it("--singletons N --seed S evaluates the set with N stories cut to one item", async () => {
      // Only the volcano story (A) has two or more items here.
      const json = JSON.parse((await run([path, "--json", "--singletons", "1", "--seed", "3"])).out) as {
        items: number;
        withoutPartner: number;
      };
      const expected = evaluate(withSingletons(set, 1, 3));
      expect(json).toMatchObject({ items: expected.items, withoutPartner: expected.withoutPartner });
      expect(json.withoutPartner).toBeGreaterThan(evaluate(set).withoutPartner);
      for (const argv of [
        ["--singletons", "1.5"],
        ["--singletons", "1", "--seed", "x"],
        ["--singletons", "2"],
      ]) {
        const bad = await run([path, ...argv]);
        expect(bad, argv.join(" ")).toMatchObject({ code: 2, out: "" });
        expect(bad.err.split("\n")).toHaveLength(2);
        expect(bad.err).toMatch(/^eval-related: --(singletons|seed) /);
      }
    });

    it("--merge-window-hours sets the window; --ignore-time drops it", async () => {
      expect((await run([path, "--merge-window-hours", "0.5"])).out).toMatch(/\nmerges\s+0 \(0 into their own story\)\n/);
      expect((await run([path, "--merge-window-hours", "0.5", "--ignore-time"])).out).toMatch(/\nmerges\s+3 \(2 into their own story\)\n/);
      const bad = await run([path, "--merge-window-hours", "0"]);
      expect(bad).toMatchObject({ code: 2, out: "" });
      expect(bad.err).toMatch(/^eval-related: --merge-window-hours must be a positive number, got "0"\n$/);
    });
  });
});

describe("withSingletons (items with no partner, from a set where every item has one)", () => {
  const rows: LabelledDoc[] = [];
  for (const story of ["A", "B", "C", "D", "E"])
    for (let i = 0; i < 4; i++) rows.push({ id: `${story}${i}`, story_id: story, title: `${story} ${i}` });
  rows.push({ id: "Z0", story_id: "Z", title: "alone already" });
  const storiesOf = (docs: LabelledDoc[]) => {
    const n = new Map<string, number>();
    for (const d of docs) n.set(d.story_id, (n.get(d.story_id) ?? 0) + 1);
    return n;
  };

  it("cuts exactly N stories of two or more items down to one item each; the rest as they were, in order", () => {
    const out = withSingletons(rows, 2, 7);
    const sizes = storiesOf(out);
    const cut = [...sizes].filter(([id, n]) => n === 1 && id !== "Z").map(([id]) => id);
    expect(cut).toHaveLength(2);
    expect([...sizes].filter(([, n]) => n === 4)).toHaveLength(3);
    expect(sizes.get("Z")).toBe(1);
    // Order kept: out is a subsequence of rows.
    const at = out.map((d) => rows.indexOf(d));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(evaluate(out).withoutPartner).toBe(3);
  });

  it("is the same for the same seed, and another seed can choose otherwise", () => {
    const ids = (seed: number) => withSingletons(rows, 2, seed).map((d) => d.id);
    expect(ids(7)).toEqual(ids(7));
    const choices = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => ids(seed).join(",")));
    expect(choices.size).toBeGreaterThan(1);
  });

  it("refuses more stories than there are, saying how many there are", () => {
    expect(() => withSingletons(rows, 6, 1)).toThrow("only 5 stories have two or more items, asked for 6");
    expect(withSingletons(rows, 0, 1)).toEqual(rows);
  });
});

describe("parseJsonl", () => {
  it("reads one object per line, skipping blank lines; optional fields may be null", () => {
    const r = parseJsonl(
      '{"id":"a","title":"A"}\n\n{"id":"b","title":"B","description":null,"published":1700000000000}\n',
      relatedDocSchema,
    );
    expect(r).toEqual({
      ok: true,
      rows: [
        { id: "a", title: "A" },
        { id: "b", title: "B", published: 1700000000000 },
      ],
    });
  });

  it("names the first bad line and what is wrong with it", () => {
    const bad = (text: string) => {
      const r = parseJsonl(text, relatedDocSchema);
      return r.ok ? "ok" : r.error;
    };
    expect(bad('{"id":"a","title":"A"}\n{"id":"b"}')).toMatch(/^line 2: title: /);
    expect(bad('{"id":"a","title":"A"}\n{"id":"b","title":"B"\n')).toMatch(/^line 2: not valid JSON/);
    expect(bad('{"id":"","title":"A"}')).toBe("line 1: id: id must not be empty");
    expect(bad('{"id":"a","title":"A"}\n{"id":"a","title":"B"}')).toBe('line 2: duplicate id "a" (also line 1)');
    expect(bad('{"id":"a","title":"A","published":true}')).toMatch(/^line 1: published: /);
    const labelled = parseJsonl('{"id":"a","title":"A"}', labelledDocSchema);
    expect(labelled.ok ? "ok" : labelled.error).toMatch(/^line 1: story_id: /);
  });
});

describe("our multilingual fixture (English, Russian, Azerbaijani, Turkish; near misses)", () => {
  const path = fileURLToPath(new URL("../fixtures/related/multilingual.jsonl", import.meta.url));
  const rows = load(path);

  it("is a real labelled set: several languages, stories with partners, and singletons", () => {
    const langs = readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { lang: string }).lang);
    expect([...new Set(langs)].sort()).toEqual(["az", "en", "ru", "tr"]);
    expect(rows.length).toBeGreaterThanOrEqual(40);
    const sizes = new Map<string, number>();
    for (const r of rows) sizes.set(r.story_id, (sizes.get(r.story_id) ?? 0) + 1);
    expect([...sizes.values()].filter((n) => n >= 2).length).toBeGreaterThanOrEqual(15);
    expect([...sizes.values()].filter((n) => n === 1).length).toBeGreaterThanOrEqual(5);
  });

  it("meets the same targets as the dev set", () => {
    const r = evaluate(rows);
    expect(r.hitAt1).toBeGreaterThanOrEqual(0.9);
    expect(r.coverage).toBeGreaterThanOrEqual(0.9);
    expect(r.shownPrecision).toBeGreaterThanOrEqual(0.9);
  });
});

const DEV_SET = fileURLToPath(new URL("../../../shared/related/uci-news-2014-03.jsonl", import.meta.url));
const haveDevSet = existsSync(DEV_SET);

describe.skipIf(!haveDevSet)(`UCI dev set (${haveDevSet ? DEV_SET : `skipped: ${DEV_SET} not found`})`, () => {
  const rows = haveDevSet ? load(DEV_SET) : [];

  it("meets the targets: hit@1 ≥ 0.90, coverage ≥ 0.90, shown precision ≥ 0.88", () => {
    const r = evaluate(rows);
    expect(r.items).toBe(6366);
    expect(r.hitAt1).toBeGreaterThanOrEqual(0.9);
    expect(r.coverage).toBeGreaterThanOrEqual(0.9);
    expect(r.shownPrecision).toBeGreaterThanOrEqual(0.88);
    expect(r.msPerItem).toBeLessThan(2);
  });

  it("on text alone (dates dropped) still beats the TF-IDF baseline (0.835 / 0.918 / 0.812)", () => {
    // The set's dates are crawl times, identical within each story, so the
    // time factor alone separates stories the labels split; this is the
    // number without that help.
    const r = evaluate(rows, { ignoreTime: true });
    expect(r.hitAt1).toBeGreaterThan(0.85);
    expect(r.coverage).toBeGreaterThanOrEqual(0.918);
    expect(r.shownPrecision).toBeGreaterThan(0.86);
  });
});
