import { beforeEach, describe, expect, it, vi } from "vitest";
import type { RawEntry } from "../../src/news/item.js";
import { identifyFeed, normalizeIdentified } from "../../src/news/normalize.js";
import { summarize } from "../../src/news/summarize.js";

/**
 * summarize() is what normalizing costs (HTML → a cut summary); identifyFeed
 * exists so that a poll pays it only for the entries it has not seen. Spied
 * on here, passing through to the real one.
 */
vi.mock("../../src/news/summarize.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/news/summarize.js")>();
  return { ...real, summarize: vi.fn(real.summarize) };
});

const source = { id: "s", name: "S", url: "https://example.com/feed.xml" };
const summarized = () =>
  vi
    .mocked(summarize)
    .mock.calls.map(([html]) => html)
    .filter(Boolean);

// Braces: a function returned from beforeEach would be run as its cleanup.
beforeEach(() => {
  vi.mocked(summarize).mockClear();
});

const entry = (n: number, guid = `g${n}`): RawEntry => ({
  guid,
  link: `https://example.com/${n}`,
  title: `Story ${n}`,
  summary: `<p>Text of story ${n}.</p>`,
});

describe("identifyFeed", () => {
  it("summarizes nothing when every entry has an identity of its own", () => {
    const { entries } = identifyFeed({ entries: Array.from({ length: 50 }, (_, i) => entry(i)) }, source);
    expect(entries).toHaveLength(50);
    expect(summarized()).toEqual([]);
  });

  it("summarizes only the entries that share an identity, and not again when normalizing them", () => {
    const feed = { entries: [entry(1), entry(2, "shared"), entry(3), entry(4, "shared")] };
    const { entries } = identifyFeed(feed, source);
    expect(summarized()).toEqual(["<p>Text of story 2.</p>", "<p>Text of story 4.</p>"]);
    vi.mocked(summarize).mockClear();
    const items = normalizeIdentified(entries, source, 0);
    expect(items.map((i) => i.summary)).toEqual(["Text of story 1.", "Text of story 2.", "Text of story 3.", "Text of story 4."]);
    expect(summarized()).toEqual(["<p>Text of story 1.</p>", "<p>Text of story 3.</p>"]);
  });
});
