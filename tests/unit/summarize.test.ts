import { describe, expect, it } from "vitest";
import {
  cutAtSentences,
  endsWell,
  endWell,
  fitSentences,
  leadTitle,
  sentenceEnds,
  stripBoilerplate,
  summarize,
  truncateAtWord,
  withoutTitle,
} from "../../src/news/summarize.js";

describe("stripBoilerplate / summarize: feed furniture", () => {
  it.each([
    [
      "WordPress footer",
      "<p>Talks resumed.</p><p>The post <a href='/p'>Talks</a> appeared first on <a>Daily News</a>.</p>",
      "Talks resumed.",
    ],
    ["WordPress footer run into the text", "Talks resumed. The post Talks appeared first on Daily News.", "Talks resumed."],
    ["Continue reading…", "Talks resumed. <a href='/p'>Continue reading&hellip;</a>", "Talks resumed."],
    [
      "Continue reading <title> →",
      "<p>Talks resumed. <a>Continue reading<span> Talks</span> <span>&rarr;</span></a></p>",
      "Talks resumed.",
    ],
    ["Read more…", "Talks resumed. <a>Read more...</a>", "Talks resumed."],
    ["Read more »", "Talks resumed. <a>Read more &raquo;</a>", "Talks resumed."],
    ["[…] marks a cut", "Talks resumed after a long [&hellip;]", "Talks resumed after a long…"],
    ["[...] after a full stop", "Talks resumed. [...]", "Talks resumed."],
    ["(more…)", "Talks resumed in (more…)", "Talks resumed in…"],
    ["Читать далее", "<p>Переговоры возобновились.</p><p><a>Читать далее</a></p>", "Переговоры возобновились."],
    ["Подробнее →", "Переговоры возобновились. Подробнее →", "Переговоры возобновились."],
    ["Davamını oxu", "Danışıqlar bərpa olundu. Davamını oxu", "Danışıqlar bərpa olundu."],
    ["Devamını oku »", "Görüşmeler yeniden başladı. Devamını oku »", "Görüşmeler yeniden başladı."],
    [
      "Turkish WordPress footer",
      "<p>Görüşmeler başladı.</p><p>Görüşmeler yazısı ilk önce Haber Sitesi üzerinde ortaya çıktı.</p>",
      "Görüşmeler başladı.",
    ],
    ["Photo: line", "<p>Photo: Getty Images</p><p>Talks resumed.</p>", "Talks resumed."],
    ["Image: at the end", "Talks resumed. Image: Getty Images", "Talks resumed."],
    ["Photo: opening the text", "Photo: AP. Talks resumed on Monday.", "Talks resumed on Monday."],
    ["(Photo by …)", "Talks (Photo by Jane Doe/Getty Images) resumed.", "Talks resumed."],
    ["Фото: line", "<p>Фото: ТАСС</p><p>Переговоры возобновились.</p>", "Переговоры возобновились."],
  ])("removes %s", (_label, html, expected) => {
    expect(summarize(html)).toBe(expected);
  });

  it("keeps the same words when they are part of a sentence", () => {
    expect(summarize("Он рассказал подробнее.")).toBe("Он рассказал подробнее.");
    expect(summarize("Fans want to read more books.")).toBe("Fans want to read more books.");
    expect(summarize("Prices rose, and more.")).toBe("Prices rose, and more.");
    expect(summarize("The photo: a symbol of hope, said the curator.")).toBe("The photo: a symbol of hope, said the curator.");
  });

  it("removes several markers piled at the end", () => {
    expect(stripBoilerplate("Talks resumed. Read more »\nThe post Talks appeared first on News.")).toBe("Talks resumed.");
  });

  it("returns an empty summary when only furniture is left", () => {
    expect(summarize("<p><img src=a.jpg></p><p>Photo: Reuters</p><p><a>Read more »</a></p>")).toBe("");
  });
});

describe("withoutTitle", () => {
  it("drops a summary that repeats the title, ignoring case and punctuation", () => {
    expect(withoutTitle("Big talks in Baku", "Big Talks in Baku!")).toBe("");
    expect(withoutTitle("big talks — in baku...", "Big talks in Baku")).toBe("");
  });

  it("drops a summary that is a piece of the title", () => {
    expect(withoutTitle("Big talks", "Big talks in Baku end without a deal")).toBe("");
  });

  it("strips the title from the front and keeps the rest", () => {
    expect(withoutTitle("Big talks in Baku: Officials met on Monday.", "Big talks in Baku")).toBe("Officials met on Monday.");
    expect(withoutTitle("Big talks in Baku\nOfficials met on Monday.", "Big talks in Baku")).toBe("Officials met on Monday.");
    expect(withoutTitle("Big talks in Baku — Officials met on Monday.", "Big talks in Baku")).toBe("Officials met on Monday.");
    expect(withoutTitle("Is it over? Experts doubt it.", "Is it over?")).toBe("Experts doubt it.");
  });

  it("folds Turkish and Azerbaijani capitals (İ, I, ı) correctly", () => {
    expect(withoutTitle("BÜYÜK GÖRÜŞME İSTANBUL'DA. Yetkililer bir araya geldi.", "Büyük görüşme İstanbul'da")).toBe(
      "Yetkililer bir araya geldi.",
    );
    expect(withoutTitle("Işıq sönüb — Bakıda.", "IŞIQ SÖNÜB")).toBe("Bakıda.");
  });

  it("keeps a summary that only starts like the title", () => {
    expect(withoutTitle("Officials met on Monday.", "Officials")).toBe("Officials met on Monday.");
    expect(withoutTitle("Storm-hit town rebuilds.", "Storm")).toBe("Storm-hit town rebuilds.");
    expect(withoutTitle("Storm’s path widens.", "Storm")).toBe("Storm’s path widens.");
    expect(withoutTitle("Prices rise again.", "Storm hits coast")).toBe("Prices rise again.");
  });
});

describe("cutting to 300 characters", () => {
  it("ends a long English summary at a sentence boundary", () => {
    const text =
      "The central bank raised rates by half a point on Tuesday, its fourth increase this year. " +
      "Officials said inflation remained too high and that further moves were possible. " +
      "Markets fell sharply after the announcement. " +
      "Analysts had expected a smaller increase, citing weak growth in the second quarter and falling exports.";
    expect(text.length).toBeGreaterThan(300);
    expect(summarize(text)).toBe(
      "The central bank raised rates by half a point on Tuesday, its fourth increase this year. " +
        "Officials said inflation remained too high and that further moves were possible. " +
        "Markets fell sharply after the announcement.",
    );
  });

  it("cuts Russian text between sentences", () => {
    const text =
      "Правительство утвердило проект бюджета на следующий год. " +
      "Министр финансов заявил, что дефицит сократится вдвое. " +
      "По его словам, доходы вырастут за счёт налогов на сырьё. " +
      "Эксперты сомневаются в прогнозах ведомства и указывают на риски. " +
      "Окончательное решение примет Государственная дума в декабре этого года.";
    expect(text.length).toBeGreaterThan(300);
    expect(summarize(text)).toBe(
      "Правительство утвердило проект бюджета на следующий год. " +
        "Министр финансов заявил, что дефицит сократится вдвое. " +
        "По его словам, доходы вырастут за счёт налогов на сырьё. " +
        "Эксперты сомневаются в прогнозах ведомства и указывают на риски.",
    );
  });

  it("cuts Azerbaijani text between sentences", () => {
    const text =
      "Azərbaycan hökuməti növbəti il üçün yeni büdcəni təsdiqlədi. " +
      "Maliyyə naziri bildirib ki, kəsir azalacaq. " +
      "İqtisadçılar bu proqnozlara şübhə ilə yanaşırlar. " +
      "Şəhərdə güclü külək əsir və ağacları yerə yıxır, əhaliyə xəbərdarlıq edilib. " +
      "Bakı Metropoliteni bildirir ki, qatarlar bu gün də adi qaydada işləyir və gecikmə gözlənilmir.";
    expect(text.length).toBeGreaterThan(300);
    expect(summarize(text)).toBe(
      "Azərbaycan hökuməti növbəti il üçün yeni büdcəni təsdiqlədi. " +
        "Maliyyə naziri bildirib ki, kəsir azalacaq. " +
        "İqtisadçılar bu proqnozlara şübhə ilə yanaşırlar. " +
        "Şəhərdə güclü külək əsir və ağacları yerə yıxır, əhaliyə xəbərdarlıq edilib.",
    );
  });

  it("cuts Urdu text at the Urdu full stop", () => {
    const sentence = "یہ اردو کا ایک جملہ ہے۔";
    const out = summarize(`${sentence} `.repeat(30));
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out.endsWith("۔")).toBe(true);
    expect(out).toBe(Array(12).fill(sentence).join(" "));
  });

  it("cuts an over-long first sentence between words, with …", () => {
    const out = summarize(`${"word ".repeat(2000)}end.`);
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out).toBe(`${"word ".repeat(59)}word…`);
  });

  it("cuts a 10,000-character word without breaking it into invalid text", () => {
    const out = summarize("x".repeat(10_000));
    expect(out).toBe(`${"x".repeat(299)}…`);
  });

  it("never splits an emoji", () => {
    const out = summarize("🙂".repeat(400));
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out).toBe(`${"🙂".repeat(149)}…`);
  });

  it("joins paragraphs into one line", () => {
    expect(summarize("<p>One.</p><p>Two.</p>")).toBe("One. Two.");
  });

  it("fills with words rather than stop after a short dateline", () => {
    const text = `BAKU, June 1. ${"The delegation ".repeat(30)}arrived.`;
    expect(summarize(text)).toBe(`BAKU, June 1. ${"The delegation ".repeat(18)}The delegation…`);
  });

  it("respects a custom limit", () => {
    expect(cutAtSentences("First sentence. Second sentence.", 20)).toBe("First sentence.");
  });
});

describe("truncateAtWord", () => {
  it("returns short text as it is", () => {
    expect(truncateAtWord("  Short title  ", 250)).toBe("Short title");
  });

  it("cuts between words and counts the ellipsis", () => {
    expect(truncateAtWord("A very long headline that goes on", 20)).toBe("A very long…");
    expect(truncateAtWord("Breaking: markets, banks and more", 19)).toBe("Breaking: markets…");
  });
});

describe("leadTitle", () => {
  it("uses a short first sentence whole and keeps the rest as summary", () => {
    expect(leadTitle("Storm hits the coast. Thousands are without power.")).toEqual({
      title: "Storm hits the coast.",
      rest: "Thousands are without power.",
    });
  });

  it("uses the first twelve words when the sentence is long", () => {
    const text = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen.";
    expect(leadTitle(text)).toEqual({ title: "one two three four five six seven eight nine ten eleven twelve…", rest: text });
  });
});

describe("summaries end well", () => {
  it("drops the fragment a publisher's own cut left back to the last full sentence", () => {
    const valve =
      "A German court ruled that digital games may be resold like boxed copies. The decision could reach far beyond one store. " +
      "So is Valve going to have to let you resell your games? Weird! The";
    expect(summarize(`<p>${valve}</p>`)).toBe(
      "A German court ruled that digital games may be resold like boxed copies. The decision could reach far beyond one store. " +
        "So is Valve going to have to let you resell your games? Weird!",
    );
    expect(endWell("Talks resumed on Monday in Baku. Officials said the next round would")).toBe("Talks resumed on Monday in Baku.");
    expect(endWell("Переговоры возобновились в понедельник в Баку. Официальные лица заявили, что следующий")).toBe(
      "Переговоры возобновились в понедельник в Баку.",
    );
  });

  it("ends with … after the last word when there is no full sentence to fall back to", () => {
    expect(summarize("Officials said the next round of talks would take place in Baku and")).toBe(
      "Officials said the next round of talks would take place in Baku and…",
    );
    expect(summarize("Переполох был вызван обнаружением бесхозной коробки")).toBe("Переполох был вызван обнаружением бесхозной коробки…");
    // Commas, colons and dashes before the cut go; a space keeps the ellipsis off a link.
    expect(endWell("The following worked:")).toBe("The following worked…");
    expect(endWell("Details at https://example.com/a.html")).toBe("Details at https://example.com/a.html …");
    // A short full sentence before a long fragment is not worth the rest: words and "…" keep more.
    const dateline = `BAKU, June 1. ${"The delegation met the ministers ".repeat(6)}and`;
    expect(endWell(dateline)).toBe(`${dateline}…`);
  });

  it("keeps a text that ends well as it is: stops, ellipses, closing quotes and brackets", () => {
    for (const text of [
      "It ended.",
      "Is it over?",
      "It is over!",
      "It went on…",
      "It went on...",
      'He said: "It is over."',
      "Он сказал: «Всё кончено».",
      "(It was over.)",
      "Всё кончено!»",
      "会议在巴库举行。",
      "「会議は終わった。」",
      "هل انتهى؟",
      "یہ اردو کا ایک جملہ ہے۔",
      "Սա հայերեն նախադասություն է։",
    ]) {
      expect(endsWell(text), text).toBe(true);
      expect(endWell(text)).toBe(text);
    }
    for (const text of ["It ended", "The following:", "It ended,", "Officials said the", '"Peace"'])
      expect(endsWell(text), text).toBe(false);
  });

  it("does not take an abbreviation's dot for a sentence end", () => {
    expect(sentenceEnds("Sanctions by the U.S. Treasury widened. Markets fell.")).toEqual([39]);
    expect(sentenceEnds("Dr. Smith arrived. Then he left.")).toEqual([18]);
    expect(sentenceEnds("Это т.е. всё. Дальше.")).toEqual([13]);
    expect(sentenceEnds("В 2024 г. Баку принял саммит. Потом ещё.")).toEqual([29]);
    expect(sentenceEnds("Встреча прошла в г. Баку. Затем в Гяндже.")).toEqual([25]);
    expect(sentenceEnds("Said J. K. Rowling. Then more.")).toEqual([19]);
    // A lower-case word after a stop continues the sentence.
    expect(sentenceEnds('"Why?" he asked. Nobody knew.')).toEqual([16]);
    // Mid-text only: the end of the text is endsWell's to judge.
    expect(sentenceEnds("One. Two.")).toEqual([4]);
    // A cut fragment after "Dr." or "т.е." drops back to the sentence before.
    expect(endWell("The clinic opened on Monday. It is run by Dr.")).toBe("The clinic opened on Monday.");
    expect(endWell("Цены выросли на треть. Это значит, т.е.")).toBe("Цены выросли на треть.");
    // Abbreviations that can close a sentence do at the very end.
    expect(endsWell("The sanctions were imposed by the U.S.")).toBe(true);
    expect(endsWell("Саммит пройдёт в 2027 г.")).toBe(true);
    expect(endsWell("Продаются книги, журналы и т.д.")).toBe(true);
  });

  it("never cuts inside a number or a URL", () => {
    // "3.5" and "example.com/a.b" hold dots, but no sentence ends there.
    expect(sentenceEnds("Growth was 3.5 percent. See example.com/a.b for more.")).toEqual([23]);
    expect(endWell("Growth was 3.5 percent, the agency said in a note, and the central bank expects 3.7")).toBe(
      "Growth was 3.5 percent, the agency said in a note, and the central bank expects 3.7…",
    );
    // A number grouped with spaces stays whole when words must be cut.
    const text = `Budget of ${"many ".repeat(5)}1 000 000 manat`;
    const cut = truncateAtWord(text, text.length - 8);
    expect(cut).toBe(`Budget of ${"many ".repeat(4)}many…`);
    expect(truncateAtWord("Total: 12\u00a0345 manat spent", 16)).toBe("Total: 12\u00a0345…");
    expect(truncateAtWord("Total: 12\u00a0345 manat spent", 12)).toBe("Total…");
  });

  it("cuts Chinese and Japanese at their full stops, which need no space after them", () => {
    const zh = "会议在巴库举行。各国代表出席了会议。会议讨论了能源问题和";
    expect(sentenceEnds(zh)).toEqual([8, 18]);
    expect(endWell(zh)).toBe("会议在巴库举行。各国代表出席了会议。");
    const long = "今日は晴れです。".repeat(50);
    const out = cutAtSentences(long, 100);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out.endsWith("。")).toBe(true);
    // A text with no stop at all is cut at a character with "…".
    expect(cutAtSentences("汉".repeat(400), 100)).toBe(`${"汉".repeat(99)}…`);
  });

  it("keeps paragraphs when fitting a card's summary, and ends at a sentence that fits", () => {
    expect(fitSentences("One sentence here.\nAnother one there. And a third one.", 40)).toBe("One sentence here.\nAnother one there.");
    const out = fitSentences(`${"Sentence number one is here. ".repeat(20)}`, 100);
    expect(out).toBe("Sentence number one is here. Sentence number one is here. Sentence number one is here.");
  });

  it("ends every summary well, whatever is cut", () => {
    const texts = [
      "First. Second sentence that goes on and on. Third and",
      `${"A sentence of words. ".repeat(30)}and a fragment`,
      `${"word ".repeat(100)}`,
      "Short lead without a stop",
      "Dr. Who",
    ];
    for (const text of texts) {
      for (const max of [40, 100, 300]) {
        const out = summarize(text, { maxLength: max });
        expect(out.length, `${max}: ${out}`).toBeLessThanOrEqual(max);
        expect(endsWell(out), `${max}: ${out}`).toBe(true);
      }
    }
  });
});
