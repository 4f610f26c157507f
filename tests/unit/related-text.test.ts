import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { foldSegment, foldWord } from "../../src/news/related/fold.js";
import { stemEnglish, stemRussian, stemTurkic } from "../../src/news/related/stem.js";
import { isStopWord } from "../../src/news/related/stopwords.js";
import { eachWord, guessLatinLang, tokenize, words } from "../../src/news/related/tokenize.js";
import { sameStoryUrl } from "../../src/news/url.js";

describe("folding", () => {
  it("folds Turkish and Azerbaijani dotted and dotless i to plain i", () => {
    expect(foldWord("İstanbul")).toBe("istanbul");
    expect(foldWord("istanbul")).toBe("istanbul");
    expect(foldWord("ISTANBUL")).toBe("istanbul");
    expect(foldWord("Bakı")).toBe(foldWord("BAKI"));
    expect(foldWord("Bakı")).toBe("baki");
  });

  it("strips diacritics and folds ə, so informal spellings meet", () => {
    expect(foldWord("Azərbaycan")).toBe(foldWord("Azerbaycan"));
    expect(foldWord("Ferencváros")).toBe("ferencvaros");
    expect(foldWord("Şamaxı")).toBe("samaxi");
    expect(foldWord("Straße")).toBe("strasse");
  });

  it("turns ё into е but keeps й a letter of its own", () => {
    expect(foldWord("Ёлка")).toBe("елка");
    expect(foldWord("ещё")).toBe("еще");
    expect(foldWord("мой")).toBe("мой");
    expect(foldWord("мой")).not.toBe(foldWord("мои"));
  });

  it("drops short apostrophe suffixes but joins names", () => {
    expect(foldSegment("İstanbul’da")).toBe("istanbul");
    expect(foldSegment("Fed's")).toBe("fed");
    expect(foldSegment("Fenerbahçe'yi")).toBe("fenerbahce");
    expect(foldSegment("O'Connell")).toBe("oconnell");
  });

  it("keeps numbers, reading thousands separators and decimal commas", () => {
    expect(words("Magnitude 6.2 quake")).toContain("6.2");
    expect(words("магнитудой 6,2")).toContain("6.2");
    expect(words("1,000 runners")).toEqual(words("1000 runners"));
  });
});

describe("tokenize", () => {
  it("splits with Intl.Segmenter: punctuation, quotes and hyphens are not words", () => {
    expect(words("«Нефтчи» — «Сабах»: 1:1!")).toEqual(["нефтчи", "сабах", "1", "1"]);
    expect(words("COVID-19 e-mail")).toEqual(["covid", "19", "e", "mail"]);
  });

  it("removes stop words in English, Russian, Azerbaijani and Turkish", () => {
    for (const w of ["the", "and", "says", "и", "в", "что", "ещё", "və", "üçün", "ile", "için"])
      expect(isStopWord(foldWord(w)), w).toBe(true);
    // content words that look like function words elsewhere stay
    for (const w of ["son", "kim", "baku", "fed"]) expect(isStopWord(w), w).toBe(false);
    expect(tokenize("The Fed and the economy")).toEqual(["fed", "economy"]);
    expect(tokenize("Банк России и ставка")).toEqual(["банк", "росс", "ставк"]);
  });

  it("guesses Turkic stemming from letters or function words, English otherwise", () => {
    expect(guessLatinLang("Bakıda güclü külək")).toBe("turkic");
    expect(guessLatinLang("Neftci ve Sabah bir oyun")).toBe("turkic");
    expect(guessLatinLang("Strong winds in Baku")).toBe("en");
  });
});

describe("word splitting: the words Intl.Segmenter finds, without it", () => {
  const icu = new Intl.Segmenter(undefined, { granularity: "word" });
  const expected = (t: string) => [...icu.segment(t)].filter((s) => s.isWordLike).map((s) => `${s.index}:${s.segment}`);
  const actual = (t: string) => {
    const out: string[] = [];
    eachWord(t, (segment, index) => out.push(`${index}:${segment}`));
    return out;
  };

  it("on the cases where the rules bite", () => {
    const cases = [
      "U.S. and U.N. officials; e.g., i.e.",
      "O'Connell, d’Alembert, Fed's, Fed`s, İstanbul'da, Bakı’nın",
      "3:1, 2-1, 4.25%-4.5%, 16,5%, 1,000,000, 1.000.000, 1 000, 1;2, .5 and 5.",
      "a:b ab·cd a‧b x_y 123abc456 COP29 iPhone 16e A18",
      "«Карабах» — «Нефтчи» 2:0… Ərdoğan: «Sülh»",
      "https://apa.az/news/123?x=1&y=2 mail@example.com #Baku2025 @APA_az",
      "ქართული ენა · Հայաստան Երևան · مرحبا ١٢٣ · 😀 🇦🇿 Баку",
      "soft\u00adhyphen zero\u200bwidth joined\u200dword word\u2060joiner",
      "ﬁnance Ａｚｅｒ １２ x² ½ C++ C# .NET",
      '中文新闻测试 and ไทย and שלום צה"ל',
    ];
    for (const t of cases) expect(actual(t), t).toEqual(expected(t));
  });

  it("on every headline and summary of both fixtures", () => {
    for (const f of ["multilingual", "crosslang"]) {
      const text = readFileSync(new URL(`../fixtures/related/${f}.jsonl`, import.meta.url), "utf8");
      for (const line of text.split("\n").filter(Boolean)) {
        const d = JSON.parse(line) as { title: string; description?: string };
        for (const t of [d.title, d.description ?? ""]) expect(actual(t), t).toEqual(expected(t));
      }
    }
  });
});

describe("stemming", () => {
  it("Russian: case forms of one noun share a stem", () => {
    expect(stemRussian("москвы")).toBe(stemRussian("москве"));
    expect(stemRussian("москва")).toBe(stemRussian("москвой"));
    expect(stemRussian("матча")).toBe(stemRussian("матч"));
    expect(tokenize("Москвы")).toEqual(tokenize("Москве"));
    expect(tokenize("землетрясение")).toEqual(tokenize("землетрясения"));
  });

  it("Azerbaijani and Turkish: stacked suffixes come off", () => {
    expect(tokenize("Azərbaycanın")).toEqual(tokenize("Azərbaycan"));
    expect(tokenize("Bakıda")).toEqual(tokenize("Bakı"));
    expect(tokenize("Qarabağın")).toEqual(tokenize("Qarabağ"));
    expect(stemTurkic("depremde")).toBe(stemTurkic("deprem"));
    expect(stemTurkic("futbolcular")).toBe(stemTurkic("futbolcu"));
  });

  it("Russian and Turkic stems keep at most six letters, so long derived forms meet", () => {
    expect(stemRussian("украинский")).toBe(stemRussian("украина"));
    expect(stemTurkic("azerbaycanli")).toBe(stemTurkic("azerbaycan"));
  });

  it("English: plural, -ed, -ing and final -e forms meet; short words stay", () => {
    expect(stemEnglish("raises")).toBe(stemEnglish("raised"));
    expect(stemEnglish("raising")).toBe(stemEnglish("raise"));
    expect(stemEnglish("companies")).toBe(stemEnglish("company"));
    expect(stemEnglish("running")).toBe("run");
    expect(stemEnglish("bus")).toBe("bus");
    expect(stemEnglish("crisis")).toBe("crisis");
  });

  it("numbers are not stemmed", () => {
    expect(tokenize("2014 6.2 21%")).toEqual(["2014", "6.2", "21"]);
  });
});

describe("sameStoryUrl", () => {
  it("treats scheme, www., tracking parameters, fragments and trailing slashes as the same page", () => {
    const a = sameStoryUrl("https://www.example.com/news/1/?utm_source=rss&utm_medium=feed#top");
    expect(a).toBe(sameStoryUrl("http://example.com/news/1"));
    expect(sameStoryUrl("https://example.com/a?b=2&a=1")).toBe(sameStoryUrl("https://example.com/a?a=1&b=2"));
  });

  it("keeps parameters that pick the page", () => {
    expect(sameStoryUrl("https://example.com/story?id=1")).not.toBe(sameStoryUrl("https://example.com/story?id=2"));
  });

  it("gives nothing to compare for missing or non-http links", () => {
    expect(sameStoryUrl(undefined)).toBe("");
    expect(sameStoryUrl("not a url")).toBe("");
    expect(sameStoryUrl("mailto:x@example.com")).toBe("");
  });
});
