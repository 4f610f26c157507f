import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/news/related/doc.js";
import { foldSegment } from "../../src/news/related/fold.js";
import { GAZETTEER, lookupName } from "../../src/news/related/gazetteer.js";
import { addSignature, headKeys, monthOf, segments, signatureConflict, topicConflict } from "../../src/news/related/signature.js";

/** The signature keys of one text, sorted. */
function sig(text: string, turkic = false): string[] {
  const out = new Set<string>();
  addSignature(out, text, segments(text), turkic);
  return [...out].sort();
}
/** A document's whole signature, as the index sees it (language guessed from the text). */
const docSig = (title: string, description?: string) => analyze({ id: "x", title, description }).sig;

describe("signature: dates", () => {
  it('"12 марта", "March 12", "12 March", "12 mart", "martın 12-də", "12-ci mart" are one date', () => {
    for (const [text, turkic] of [
      ["Встреча состоится 12 марта", false],
      ["The meeting is on March 12", false],
      ["The meeting is on 12 March", false],
      ["Görüş 12 mart tarixində olacaq", true],
      ["Görüş martın 12-də olacaq", true],
      ["Görüş 12-ci mart tarixində olacaq", true],
    ] as const) {
      expect(sig(text, turkic), text).toContain("§d:03-12");
    }
  });

  it("a month without a day is no date, and no name", () => {
    expect(sig("Inflation eased in March, the Fed said")).not.toContain("§n:mVrj");
    expect(sig("Inflation eased in March, the Fed said").some((k) => k.startsWith("§d:"))).toBe(false);
  });

  it("reads month names in four languages", () => {
    expect(
      ["january", "февраля", "mart", "aprel", "мая", "iyun", "июля", "avqust", "sept", "oktyabr", "noyabr", "декабря"].map(monthOf),
    ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(monthOf("marshal")).toBe(0);
  });
});

describe("signature: numbers", () => {
  it('"3,5%" and "3.5%" are one number; so are "1 000", "1,000" and "1000"', () => {
    expect(sig("Рост составил 3,5%")).toContain("§#3.5");
    expect(sig("Growth was 3.5%")).toContain("§#3.5");
    for (const t of ["выплатят 1 000 манатов", "paid 1,000 manats", "paid 1000 manats"]) expect(sig(t), t).toContain("§#1000");
  });

  it('a scale word multiplies: "335 тыс.", "335 min" and "335,000"; "2,1 млрд" and "2.1 bcm"', () => {
    expect(sig("составила 335 тыс. баррелей")).toContain("§#335000");
    expect(sig("hasilat 335 min barel olub", true)).toContain("§#335000");
    expect(sig("averaged 335,000 barrels")).toContain("§#335000");
    expect(sig("экспорт 2,1 млрд кубометров")).toContain("§#2100000000");
    expect(sig("exports reach 2.1 bcm")).toContain("§#2100000000");
  });

  it("a score is one key either way round; a time of day is none", () => {
    expect(sig("Qarabağ Neftçini 2:0 hesabı ilə məğlub edib", true)).toContain("§#0:2");
    expect(sig("Qarabag beat Neftchi 2-0")).toContain("§#0:2");
    expect(sig("в 04:14 по местному времени").filter((k) => k.startsWith("§#"))).toEqual([]);
  });

  it("small numbers and years are weak keys, other numbers strong", () => {
    expect(sig("5 killed in 2025 blast, 12 injured")).toEqual(expect.arrayContaining(["§w:5", "§y:2025", "§#12"]));
  });
});

describe("signature: names", () => {
  it("the gazetteer knows a place in its Russian, English and Azerbaijani forms and case forms", () => {
    for (const [t, turkic] of [
      ["Встреча в Баку", false],
      ["Meeting in Baku", false],
      ["Bakıda görüş", true],
      ["Bakının meri", true],
      ["бакинский метрополитен", false],
    ] as const) {
      expect(sig(t, turkic), t).toContain("§l:baku");
    }
    for (const t of ["Азербайджан", "Азербайджана", "азербайджанский", "Azerbaijan", "Azerbaijani", "Azərbaycan", "Azərbaycanın"])
      expect(sig(`Новость: ${t} и ${t}`, /ə/.test(t)), t).toContain("§c:azerbaijan");
  });

  it("people by surname and a few unambiguous first names: Ильхам Алиев, Ilham Aliyev, İlham Əliyev → one key", () => {
    expect(sig("Президент Ильхам Алиев принял")).toContain("§p:aliyev");
    expect(sig("President Ilham Aliyev received")).toContain("§p:aliyev");
    expect(sig("Prezident İlham Əliyev qəbul edib", true)).toContain("§p:aliyev");
    expect(sig("Кобахидзе прибыл в Баку")).toEqual(expect.arrayContaining(["§p:kobakhidze", "§l:baku"]));
    expect(sig("Kobaxidzenin Bakıya səfəri", true)).toEqual(expect.arrayContaining(["§p:kobakhidze", "§l:baku"]));
  });

  it("other names by sound: Guido Crosetto / Гвидо Крозетто / Guido Krozettonu meet", () => {
    const en = sig("Aliyev receives Italian minister Guido Crosetto");
    const ru = sig("Алиев принял министра Италии Гвидо Крозетто");
    const az = sig("Əliyev İtaliyanın naziri Guido Krozettonu qəbul edib", true);
    const key = en.find((k) => k.startsWith("§n:kr"));
    expect(key).toBeDefined();
    expect(ru).toContain(key);
    expect(az).toContain(key);
  });

  it("a name by sound only inside a sentence: a headline's first word is mostly an ordinary one", () => {
    expect(sig("Землетрясение произошло в Шамахы").some((k) => k.startsWith("§n:"))).toBe(false);
    expect(sig("Крупный пожар в Гяндже")).toEqual(["§l:ganja", "§t:t-fire"]);
  });

  it("English title case says nothing about names: only the gazetteer names things there", () => {
    expect(sig("Fed Holds Interest Rates Steady, Still Sees Two Cuts This Year").some((k) => k.startsWith("§n:"))).toBe(false);
    expect(sig("Aliyev Meets Pashinyan In Abu Dhabi For Peace Talks")).toEqual(
      expect.arrayContaining(["§p:aliyev", "§p:pashinyan", "§l:abu-dhabi"]),
    );
  });

  it("Latin acronyms and codes are the same word in every language", () => {
    expect(sig("BP: AÇG-dən hasilat", true)).toEqual(expect.arrayContaining(["§n:bp", "§n:acg"]));
    expect(sig("Добыча на блоке, сообщила BP")).toContain("§n:bp");
  });

  it("roles and kinds of event give weak keys across languages", () => {
    expect(sig("Президент провел переговоры")).toEqual(expect.arrayContaining(["§r:role-president", "§t:t-talks"]));
    expect(sig("Prezident danışıqlar aparıb", true)).toEqual(expect.arrayContaining(["§r:role-president", "§t:t-talks"]));
    expect(sig("Earthquake of magnitude 4.3")).toEqual(expect.arrayContaining(["§t:t-quake", "§#4.3"]));
    expect(sig("4,3 maqnitudalı zəlzələ", true)).toEqual(expect.arrayContaining(["§t:t-quake", "§#4.3"]));
  });

  it("the same event in three languages shares most of its keys", () => {
    const en = docSig("Aliyev, Pashinyan meet in Abu Dhabi on July 10");
    const ru = docSig("Алиев и Пашинян встретились в Абу-Даби 10 июля");
    const az = docSig("İlham Əliyev və Nikol Paşinyan iyulun 10-da Əbu-Dabidə görüşüb");
    for (const k of ["§p:aliyev", "§p:pashinyan", "§l:abu-dhabi", "§t:t-talks", "§d:07-10"]) {
      expect(en.has(k), `en ${k}`).toBe(true);
      expect(ru.has(k), `ru ${k}`).toBe(true);
      expect(az.has(k), `az ${k}`).toBe(true);
    }
  });

  it("headline keys weigh 1, description keys 0.4, both 1.4", () => {
    const s = docSig("Aliyev receives Georgian minister", "President Ilham Aliyev received Maka Botchorishvili in Baku");
    expect(s.get("§p:aliyev")).toBeCloseTo(1.4, 9);
    expect(s.get("§l:baku")).toBeCloseTo(0.4, 9);
    expect(headKeys(s)).toEqual(["§p:aliyev"]);
  });
});

describe("signature conflicts: the same names, another event", () => {
  it("each headline has a person, place, number or date the other story never mentions", () => {
    const fidan = docSig("Лавров и Фидан проводят переговоры в Москве");
    const mirzoyan = docSig("Лавров и Мирзоян провели переговоры в Москве");
    expect(signatureConflict(fidan, mirzoyan)).toBe(true);
    expect(
      signatureConflict(docSig("Şamaxıda 4,3 maqnitudalı zəlzələ olub"), docSig("İsmayıllıda 3,1 maqnitudalı zəlzələ baş verib")),
    ).toBe(true);
    expect(signatureConflict(docSig("Fire at a market in Ganja"), docSig("Fire in a high-rise in Baku"))).toBe(true);
  });

  it("a translation is no conflict, nor a headline that names less, nor a place inside the other's", () => {
    expect(signatureConflict(docSig("Aliyev, Pashinyan meet in Abu Dhabi"), docSig("Алиев и Пашинян встретились в Абу-Даби"))).toBe(false);
    expect(signatureConflict(docSig("Lavrov and Fidan hold talks in Moscow"), docSig("Lavrov holds talks"))).toBe(false);
    expect(signatureConflict(docSig("Sabah Bakıda güclü külək gözlənilir"), docSig("Abşeronda güclü külək əsəcək"))).toBe(false);
  });

  it("topics conflict when both headlines name what happened and share none of it", () => {
    expect(topicConflict(docSig("Azerbaijan's inflation at 5.4%"), docSig("Azerbaijan's economy grew 5.4%"))).toBe(true);
    expect(topicConflict(docSig("Azerbaijan's inflation at 5.4%"), docSig("Azərbaycanda illik inflyasiya 5,4 faiz"))).toBe(false);
    expect(topicConflict(docSig("Erdogan, Aliyev hold phone call"), docSig("Ərdoğan İlham Əliyevə zəng edib"))).toBe(false);
  });
});

describe("gazetteer data", () => {
  it("says where it comes from", () => {
    const src = readFileSync(new URL("../../src/news/related/gazetteer-data.ts", import.meta.url), "utf8");
    expect(src).toMatch(/Source: written by hand[\s\S]*Wikipedia[\s\S]*Wikidata[\s\S]*no network/);
  });

  it("covers the region in English, Russian and Azerbaijani", () => {
    const ids = new Set(GAZETTEER.map((e) => e.id));
    for (const id of [
      "azerbaijan",
      "armenia",
      "georgia",
      "russia",
      "turkey",
      "iran",
      "kazakhstan",
      "ukraine",
      "baku",
      "yerevan",
      "tbilisi",
      "karabakh",
      "aliyev",
      "pashinyan",
      "kobakhidze",
      "putin",
      "erdogan",
      "pezeshkian",
      "tokayev",
    ])
      expect(ids.has(id), id).toBe(true);
    for (const e of GAZETTEER) {
      expect(new Set(GAZETTEER.filter((x) => x.id === e.id)).size, `one entry per id: ${e.id}`).toBe(1);
      expect(e.en && e.ru && e.az, `${e.id} has en, ru and az forms`).toBeTruthy();
    }
  });

  it("every form finds its own entry: names with their capital, roles and topics as written", () => {
    const named = new Set(["country", "place", "person", "org"]);
    for (const e of GAZETTEER) {
      for (const field of [e.en, e.ru, e.az, e.tr ?? ""]) {
        for (const spec of field.split("|")) {
          if (!spec || spec.endsWith("*")) continue;
          const raw = spec.startsWith("=") ? spec.slice(1) : named.has(e.kind) ? spec[0]!.toUpperCase() + spec.slice(1) : spec;
          expect(lookupName(raw, foldSegment(raw), raw[0] !== raw[0]!.toLowerCase())?.id, `${spec} → ${e.id}`).toBe(e.id);
        }
      }
    }
  });

  it("a place's name needs its capital: Газа is Gaza, газа is gas", () => {
    expect(lookupName("Газа", "газа", true)?.id).toBe("gaza");
    expect(lookupName("газа", "газа", false)?.id).toBe("t-gas");
  });
});
