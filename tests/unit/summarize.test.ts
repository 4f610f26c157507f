import { describe, expect, it } from "vitest";
import { cutAtSentences, leadTitle, stripBoilerplate, summarize, truncateAtWord, withoutTitle } from "../../src/news/summarize.js";

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
