import { describe, expect, it } from "vitest";
import { reasonLine } from "../../src/feeds/errors.js";
import { oneLine } from "../../src/text/one-line.js";

describe("oneLine", () => {
  it("turns every run of whitespace, line breaks included, into one space", () => {
    expect(oneLine("  Breaking:\n\t news \u00A0 today ")).toBe("Breaking: news today");
    expect(oneLine("")).toBe("");
  });

  it("keeps lines apart with `breaks`, and cuts at `max` with an ellipsis", () => {
    expect(oneLine("a\r\n  b\n\nc", { breaks: " | " })).toBe("a | b | c");
    expect(oneLine("abcdef", { max: 4 })).toBe("abc…");
    expect(oneLine("abcd", { max: 4 })).toBe("abcd");
  });
});

describe("reasonLine", () => {
  it("is an admin's one line of at most 300 characters", () => {
    expect(reasonLine("HTTP 500\n  <html>\n oops")).toBe("HTTP 500 | <html> | oops");
    const long = reasonLine("x".repeat(400));
    expect(long).toHaveLength(300);
    expect(long.endsWith("…")).toBe(true);
  });
});
