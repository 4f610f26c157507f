import { describe, expect, it } from "vitest";
import { consonants, nameKeys, nameStems, type Script, skeleton } from "../../src/news/related/translit.js";

/** The keys of a name as a document in `script` would give them. */
const keys = (word: string, script: Script) => nameKeys(word, script);
/** Whether two spellings (each in its script) share a key: what matching asks. */
const meet = ([a, sa]: [string, Script], [b, sb]: [string, Script]) => keys(a, sa).some((k) => keys(b, sb).includes(k));

describe("phonetic name keys: one key across Russian, English and Azerbaijani spellings", () => {
  const groups: [string, [string, Script][]][] = [
    [
      "Pashinyan",
      [
        ["Пашинян", "cyrl"],
        ["Pashinyan", "en"],
        ["paşinyan", "turkic"],
      ],
    ],
    [
      "Baku",
      [
        ["Баку", "cyrl"],
        ["Baku", "en"],
        ["bakı", "turkic"],
      ],
    ],
    [
      "Aliyev",
      [
        ["Алиев", "cyrl"],
        ["Aliyev", "en"],
        ["əliyev", "turkic"],
      ],
    ],
    [
      "Ilham",
      [
        ["Ильхам", "cyrl"],
        ["Ilham", "en"],
        ["ilham", "turkic"],
      ],
    ],
    [
      "Tbilisi",
      [
        ["Тбилиси", "cyrl"],
        ["Tbilisi", "en"],
        ["tbilisi", "turkic"],
      ],
    ],
    [
      "Azerbaijan",
      [
        ["Азербайджан", "cyrl"],
        ["Azerbaijan", "en"],
        ["azərbaycan", "turkic"],
      ],
    ],
    [
      "Mammadov",
      [
        ["Мамедов", "cyrl"],
        ["Mammadov", "en"],
        ["məmmədov", "turkic"],
      ],
    ],
    [
      "Kobakhidze",
      [
        ["Кобахидзе", "cyrl"],
        ["Kobakhidze", "en"],
        ["kobaxidze", "turkic"],
      ],
    ],
  ];
  for (const [name, spellings] of groups) {
    it(`${name}: ${spellings.map(([w]) => w).join(" / ")} give one key`, () => {
      const first = keys(...spellings[0]!)[0]!;
      for (const s of spellings) expect(keys(...s)[0]).toBe(first);
    });
  }

  it("the examples read as a reader would: Pashinyan pVjVnVn, Baku bVk, Aliyev VlVv, Ilham VlkVm", () => {
    expect(skeleton("pashinyan", "en")).toBe("pVjVnVn");
    expect(skeleton("баку", "cyrl")).toBe("bVk");
    expect(skeleton("əliyev", "turkic")).toBe("VlVv");
    expect(skeleton("ильхам", "cyrl")).toBe("VlkVm");
  });

  it("case endings come off: Пашиняна, Пашиняном, Paşinyanın, Paşinyanla, Алиевым, Bakıda, Bakının, Tbilisidə", () => {
    expect(meet(["Пашиняна", "cyrl"], ["Pashinyan", "en"])).toBe(true);
    expect(meet(["Пашиняном", "cyrl"], ["Pashinyan", "en"])).toBe(true);
    expect(meet(["paşinyanın", "turkic"], ["Pashinyan", "en"])).toBe(true);
    expect(meet(["paşinyanla", "turkic"], ["Пашинян", "cyrl"])).toBe(true);
    expect(meet(["Алиевым", "cyrl"], ["əliyev", "turkic"])).toBe(true);
    expect(meet(["bakıda", "turkic"], ["Баку", "cyrl"])).toBe(true);
    expect(meet(["bakının", "turkic"], ["Baku", "en"])).toBe(true);
    expect(meet(["tbilisidə", "turkic"], ["Тбилиси", "cyrl"])).toBe(true);
  });

  it("an Azerbaijani -in is a genitive only in vowel harmony: Putin stays Putin, Putinin and Əliyevin lose it", () => {
    expect(nameStems("putin", "turkic")).toEqual(["putin"]);
    expect(meet(["putinin", "turkic"], ["Путин", "cyrl"])).toBe(true);
    expect(nameStems("əliyevin", "turkic")[0]).toBe("əliyev");
  });

  it("Russian place adjectives meet the place, -ский surnames still meet the name", () => {
    expect(meet(["Билясуварском", "cyrl"], ["biləsuvar", "turkic"])).toBe(true);
    expect(meet(["Лачинского", "cyrl"], ["Lachin", "en"])).toBe(true);
    expect(meet(["Зеленского", "cyrl"], ["Zelensky", "en"])).toBe(true);
  });

  it("different names stay apart", () => {
    expect(meet(["Pashinyan", "en"], ["Putin", "en"])).toBe(false);
    expect(meet(["Алиев", "cyrl"], ["Lavrov", "en"])).toBe(false);
    expect(meet(["Baku", "en"], ["Batumi", "en"])).toBe(false);
    expect(meet(["Mirzoyan", "en"], ["Mirziyoyev", "en"])).toBe(false);
  });

  it("counts consonants, so that names too short to tell apart by sound (Baku, Raisi) can be left to the gazetteer", () => {
    expect(consonants(skeleton("baku", "en"))).toBe(2);
    expect(consonants(skeleton("raisi", "en"))).toBe(2);
    expect(consonants(skeleton("pashinyan", "en"))).toBe(4);
  });
});
