import { describe, expect, it } from "vitest";
import { TELEGRAM_TEXT_LIMIT, visibleLength } from "../../src/news/html.js";
import { joinMessage, packMessages, packRoom } from "../../src/text/pack.js";

const block = (n: number, ch = "x") => ch.repeat(n);

describe("packMessages", () => {
  it("no blocks, no messages", () => {
    expect(packMessages([], { header: () => "H" })).toEqual([]);
  });

  it("one message when everything fits: header, blank line, blocks a blank line apart", () => {
    expect(packMessages(["a", "b"], { header: (p, n) => `H ${p}/${n}` })).toEqual([{ text: "H 1/1\n\na\n\nb", indices: [0, 1] }]);
  });

  it("fills a message up to exactly the limit, and not one character more", () => {
    // "H" + "\n\n" + 5 + "\n\n" + 3 = 13
    const exact = packMessages([block(5), block(3)], { header: () => "H", limit: 13 });
    expect(exact.map((m) => m.indices)).toEqual([[0, 1]]);
    expect(visibleLength(exact[0]!.text)).toBe(13);
    const over = packMessages([block(5), block(4)], { header: () => "H", limit: 13 });
    expect(over.map((m) => m.indices)).toEqual([[0], [1]]);
  });

  it("counts as Telegram does: tags and entities are not characters", () => {
    const b = `<b>${"&amp;".repeat(4)}</b>`; // 4 visible
    expect(packMessages([b, b], { limit: 10 }).map((m) => m.indices)).toEqual([[0, 1]]);
    expect(packMessages([b, b], { limit: 9 }).map((m) => m.indices)).toEqual([[0], [1]]);
  });

  it("packs many blocks into as few messages as fit, in order, each within the limit", () => {
    const blocks = Array.from({ length: 500 }, (_, i) => `${i}. ${"word ".repeat(i % 40)}`.trim());
    const header = (p: number, n: number) => `<b>List</b>${n > 1 ? ` (${p}/${n})` : ""}`;
    const out = packMessages(blocks, { header });
    expect(out.length).toBeGreaterThan(1);
    expect(out.flatMap((m) => m.indices)).toEqual(blocks.map((_, i) => i));
    out.forEach((m, i) => {
      expect(visibleLength(m.text)).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
      expect(m.text.startsWith(`<b>List</b> (${i + 1}/${out.length})\n\n`)).toBe(true);
    });
    // greedy: the next block would not have fitted in the message before
    for (let i = 0; i + 1 < out.length; i++) {
      const next = blocks[out[i + 1]!.indices[0]!]!;
      expect(visibleLength(out[i]!.text) + 2 + next.length).toBeGreaterThan(TELEGRAM_TEXT_LIMIT);
    }
  });

  it("a block longer than the room is an error, not a message Telegram would refuse", () => {
    expect(() => packMessages([block(TELEGRAM_TEXT_LIMIT + 1)])).toThrow(/block 0 is 4097 characters/);
    expect(() => packMessages(["ok", block(20)], { header: () => "H", limit: 20 })).toThrow(/block 1 is 20 characters, more than the 17/);
    // exactly the room is fine
    expect(packMessages([block(TELEGRAM_TEXT_LIMIT)])).toEqual([{ text: block(TELEGRAM_TEXT_LIMIT), indices: [0] }]);
  });

  it("renders function blocks for the room the widest header leaves", () => {
    const rooms: number[] = [];
    const header = (p: number, n: number) => `H${p}/${n}`;
    const out = packMessages(
      Array.from({ length: 12 }, () => (room: number) => {
        rooms.push(room);
        return block(5);
      }),
      { header, limit: 30 },
    );
    expect(rooms).toEqual(Array(12).fill(30 - "H12/12".length - 2));
    expect(packRoom({ header, limit: 30 }, 12)).toBe(rooms[0]);
    expect(out[0]!.text).toBe(`H1/${out.length}\n\nxxxxx\n\nxxxxx\n\nxxxxx`);
  });

  it("a title on the first message only, a footer on the last only, any separator", () => {
    const layout = { title: "TITLE", footer: "END", separator: "\n", limit: 16 };
    const out = packMessages(["aaaa", "bbbb", "cccc", "dddd"], layout);
    expect(out.map((m) => m.text)).toEqual(["TITLE\naaaa", "bbbb\ncccc", "dddd\nEND"]);
    for (const m of out) expect(m.text.length).toBeLessThanOrEqual(16);
    expect(joinMessage(layout, 1, 1, ["x"])).toBe("TITLE\nx\nEND");
  });

  it("a first block that cannot share the first message with the title leaves the title alone", () => {
    expect(packMessages([block(10)], { title: "TITLE", separator: "\n", limit: 12 }).map((m) => m.text)).toEqual(["TITLE", block(10)]);
  });
});
