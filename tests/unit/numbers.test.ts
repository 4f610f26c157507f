import { describe, expect, it } from "vitest";
import { formatNumber, plural, pluralWord } from "../../src/text/numbers.js";

describe("numbers and plurals", () => {
  it("groups thousands as the locale does", () => {
    expect(formatNumber(12345)).toBe("12,345");
    expect(formatNumber(12345, "ru")).toBe("12\u00a0345");
  });
  it("picks the English form", () => {
    expect(plural(1, "source")).toBe("1 source");
    expect(plural(0, "source")).toBe("0 sources");
    expect(plural(2000, { one: "story", other: "stories" })).toBe("2,000 stories");
  });
  it("picks Russian's one/few/many forms", () => {
    const forms = { one: "источник", few: "источника", many: "источников", other: "источника" };
    expect(pluralWord(1, forms, "ru")).toBe("источник");
    expect(pluralWord(3, forms, "ru")).toBe("источника");
    expect(pluralWord(5, forms, "ru")).toBe("источников");
    expect(pluralWord(21, forms, "ru")).toBe("источник");
  });
});
