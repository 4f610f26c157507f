import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { main as evalMain } from "../../src/cli/eval-related.js";
import { main, relatedLines } from "../../src/cli/related.js";
import { captureOutput } from "../support/capture-output.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "related-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, lines: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n")}\n`);
  return path;
}

const stories = [
  { id: "s1", title: "Qarabağ Ferencvaroşu 3:1 hesabı ilə məğlub etdi", source: "APA", published: "2025-10-02T19:20:00Z" },
  { id: "s2", title: "Museum of carpets opens a new wing in Baku" },
  { id: "s3", title: "Qarabağ Avropa Liqasında Ferencvaroş üzərində qələbə qazandı", source: "Report", url: "https://report.example/1" },
  { id: "s4", title: "Tennis: Kasatkina reaches the final in Doha", description: null },
  { id: "s5", title: "Qarabağın Ferencvaroşla oyunu: iki qol, 3:1 qələbə", published: 1759435200000 },
];

const run = captureOutput;

describe("related CLI", () => {
  it("prints one {id, related} line per input line, in input order (spawned as npm run related would)", async () => {
    const path = file("ok.jsonl", stories);
    const { stdout, stderr } = await promisify(execFile)("npx", ["tsx", "src/cli/related.ts", path], { cwd: ROOT });
    expect(stderr).toBe("");
    const lines = stdout.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(["s1", "s2", "s3", "s4", "s5"]);
    // exact shape: no spaces, no extra keys
    expect(lines[1]).toBe('{"id":"s2","related":[]}');
    expect(lines[3]).toBe('{"id":"s4","related":[]}');
    for (const i of [0, 2, 4]) {
      const { related } = JSON.parse(lines[i]!) as { related: string[] };
      expect(related.length).toBeGreaterThan(0);
      expect(related.every((id) => ["s1", "s3", "s5"].includes(id) && id !== `s${i + 1}`)).toBe(true);
    }
  }, 30_000);

  it("a bad line → one stderr line naming it, exit code 1, nothing on stdout", async () => {
    const path = file("bad.jsonl", [stories[0], stories[1], stories[2], stories[3], stories[4], stories[0], { id: "s7", titel: "typo" }]);
    const r = await run(main, [path]);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^related: line 6: duplicate id "s1" \(also line 1\)\n$/);

    const r2 = await run(main, [file("bad2.jsonl", [stories[0], "{not json"])]);
    expect(r2.err).toMatch(/^related: line 2: not valid JSON \(.+\)\n$/);
    const r3 = await run(main, [file("bad3.jsonl", [{ id: "x", titel: "typo" }])]);
    expect(r3.err).toMatch(/^related: line 1: title: .+\n$/);
    expect(r3.err.split("\n")).toHaveLength(2);
  });

  it("a missing file or no argument is reported, not thrown", async () => {
    const r = await run(main, [join(dir, "nope.jsonl")]);
    expect(r).toMatchObject({ code: 1, err: `related: ${join(dir, "nope.jsonl")}: file not found\n` });
    const u = await run(main, []);
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/^usage: related FILE\.jsonl/);
  });

  it("an unknown option → one line on stderr, exit code 2", async () => {
    const r = await run(main, ["--nope", "x.jsonl"]);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^related: unknown option --nope; usage: related FILE\.jsonl[^\n]*\n$/);
    const h = await run(main, ["--help"]);
    expect(h.code).toBe(0);
    expect(h.err).toMatch(/^usage: related FILE\.jsonl/);
  });

  it('takes numeric ids and writes them back as numbers; 7 and "7" are one id', () => {
    const numeric = stories.map((s, i) => ({ ...s, id: 101 + i }));
    const r = relatedLines(numeric.map((s) => JSON.stringify(s)).join("\n"));
    if (!r.ok) throw new Error(r.error);
    const out = r.lines.map((l) => JSON.parse(l) as { id: number; related: number[] });
    expect(out.map((o) => o.id)).toEqual([101, 102, 103, 104, 105]);
    expect(r.lines[1]).toBe('{"id":102,"related":[]}');
    expect(out[0]!.related.length).toBeGreaterThan(0);
    expect(out[0]!.related.every((id) => [103, 105].includes(id))).toBe(true);
    // As the string ids gave: the same links.
    const strings = relatedLines(stories.map((s) => JSON.stringify(s)).join("\n"));
    if (!strings.ok) throw new Error(strings.error);
    expect(out.map((o) => o.related.map((n) => `s${n - 100}`))).toEqual(
      strings.lines.map((l) => (JSON.parse(l) as { related: string[] }).related),
    );

    expect(relatedLines('{"id":7,"title":"A"}\n{"id":"7","title":"B"}')).toEqual({
      ok: false,
      error: 'line 2: duplicate id "7" (also line 1)',
    });
    expect(relatedLines('{"id":1.5e400,"title":"A"}')).toMatchObject({ ok: false, error: expect.stringMatching(/^line 1: id: /) });
  });

  it("reads published as ISO 8601, epoch milliseconds or epoch seconds, alike", () => {
    const at = Date.parse("2025-10-02T19:20:00Z");
    const background = [
      "Museum of carpets opens a new wing in Baku",
      "Tennis: Kasatkina reaches the final in Doha",
      "Oil prices climb after OPEC output cut",
      "Heavy snow closes schools across Moscow",
      "Central bank keeps interest rates unchanged",
      "Parliament passes budget after long debate",
    ];
    // b reads most like a but comes a month on; c an hour after: with dates, c is the link.
    const docs = (time: (ms: number) => string | number) =>
      [
        { id: "a", title: "Qarabağ Ferencvaroşu 3:1 hesabı ilə məğlub etdi", published: time(at) },
        { id: "b", title: "Qarabağ Ferencvaroşu 3:1 hesabı ilə məğlub etdi, Zubkov iki qol vurdu", published: time(at + 30 * 86400_000) },
        { id: "c", title: "Qarabağ Ferencvaroşla oyunda qələbə qazandı", published: time(at + 3600_000) },
        ...background.map((title, i) => ({ id: `bg${i}`, title, published: time(at + i * 3600_000) })),
      ]
        .map((d) => JSON.stringify(d))
        .join("\n");
    const first = (r: ReturnType<typeof relatedLines>) => (r.ok ? r.lines[0] : r.error);
    expect(first(relatedLines(docs(() => "")))).toBe('{"id":"a","related":["b"]}');
    expect(first(relatedLines(docs((ms) => new Date(ms).toISOString())))).toBe('{"id":"a","related":["c"]}');
    for (const time of [(ms: number) => ms, (ms: number) => ms / 1000, (ms: number) => String(ms / 1000)])
      expect(first(relatedLines(docs(time)))).toBe('{"id":"a","related":["c"]}');
  });

  it("reads markup and entities an export left in a headline or summary as the text they stand for", () => {
    const marked = stories.map((s, i) =>
      i === 0
        ? {
            ...s,
            title: "<b>Qarabağ</b> Ferencvaroşu 3:1 hesabı ilə m&#601;ğlub etdi",
            description: '<p><a href="https://x.example/">Oyun</a>&nbsp;</p>',
          }
        : s,
    );
    const plainText = stories.map((s, i) => (i === 0 ? { ...s, description: "Oyun" } : s));
    const lines = (docs: unknown[]) => relatedLines(docs.map((d) => JSON.stringify(d)).join("\n"));
    expect(lines(marked)).toEqual(lines(plainText));
    // and the markup's words are no terms: a story of nothing but "href", "nbsp" and "em" links to nothing
    const noise = [
      ...stories,
      { id: "n1", title: '<em>x</em> <a href="https://a.example/">&nbsp;</a>' },
      { id: "n2", title: "em href nbsp" },
    ];
    expect(lines(noise)).toMatchObject({ ok: true, lines: expect.arrayContaining(['{"id":"n1","related":[]}']) });
  });

  it("an empty file gives empty output", () => {
    expect(relatedLines("")).toEqual({ ok: true, lines: [] });
  });
});

describe("eval-related CLI", () => {
  const labelled = [
    { id: "a", story_id: "A", title: "Storm winds close Baku port" },
    { id: "b", story_id: "A", title: "Baku port closed as storm winds hit" },
    { id: "c", story_id: "C", title: "Tennis final moved indoors" },
  ];

  it("prints the numbers, or one JSON object with --json", async () => {
    const path = file("labelled.jsonl", labelled);
    const text = await run(evalMain, [path]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/hit@1\s+1\.000\n/);
    expect(text.out).toMatch(/shown prec\.\s+1\.000 \(2 links shown, 1 items with none\)/);
    const json = await run(evalMain, [path, "--json"]);
    expect(JSON.parse(json.out)).toMatchObject({ items: 3, withPartner: 2, hitAt1: 1, coverage: 1, shownPrecision: 1, shown: 2 });
  });

  it("refuses unlabelled input and bad options with one clear line", async () => {
    const r = await run(evalMain, [file("unlabelled.jsonl", [{ id: "a", title: "A" }])]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^eval-related: line 1: story_id: /);
    const f = await run(evalMain, [file("x.jsonl", labelled), "--floor", "7"]);
    expect(f.code).toBe(2);
    expect(f.err).toMatch(/--floor must be a number within \[0, 1\]/);
    const u = await run(evalMain, [file("y.jsonl", labelled), "--nope"]);
    expect(u).toMatchObject({ code: 2, out: "", err: "eval-related: unknown option --nope (--help for usage)\n" });
    const m = await run(evalMain, [file("z.jsonl", labelled), "--floor"]);
    expect(m.code).toBe(2);
    expect(m.err.split("\n")).toHaveLength(2);
    expect(m.err).toMatch(/^eval-related: option '--floor <value>' argument missing/);
  });

  it("--ignore-time and -- are accepted as npm passes them", async () => {
    const r = await run(evalMain, ["--", file("t.jsonl", labelled), "--ignore-time"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/hit@1/);
  });
});
