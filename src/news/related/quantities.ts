/**
 * Words that only say how much or when: numbers, magnitudes ("million",
 * "млн"), percent, units of time, number words and ordinals, months,
 * weekdays, "today". Two headlines that share nothing else ("Colorado pot
 * taxes total $2 million" / "Herbalife's lobbying tab nears $2 million",
 * "Gas prices rise 2 cents over past week" / "Android SDK for wearables in
 * 2 weeks") are not about one event, however the numbers weigh; the related
 * index does not link them on words alone (ranker.ts). Numbers still count
 * in the signature, where they are evidence next to a name.
 *
 * English, Russian, Azerbaijani and Turkish, as the index's terms: each
 * form is tokenized like a headline, so the set holds the stems the index
 * sees.
 */
import { type LatinLang, stemToken } from "./stem.js";
import { isStopWord } from "./stopwords.js";
import { words } from "./tokenize.js";

const EN = `million millions billion billions trillion trillions thousand thousands hundred hundreds dozen dozens
  percent percentage per cent cents pct bn mln number numbers
  second seconds minute minutes hour hours day days week weeks weekend month months year years decade decades
  today yesterday tomorrow tonight
  one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty hundred
  first third fourth fifth sixth seventh eighth ninth tenth half double twice
  january february march april june july august september october november december
  monday tuesday wednesday thursday friday saturday sunday`;

const RU = `миллион миллиона миллионов миллиард миллиарда миллиардов тысяча тысячи тысяч сотни сотен
  млн млрд тыс трлн процент процента процентов проц
  секунда секунды секунд минута минуты минут час часа часов день дня дней сутки неделя недели недель
  месяц месяца месяцев год года году лет годы
  сегодня вчера завтра
  один одна два две три четыре пять шесть семь восемь девять десять двадцать сто
  первый первая первое второй вторая третий третья половина вдвое
  январь января февраль февраля март марта апрель апреля июнь июня июль июля август августа
  сентябрь сентября октябрь октября ноябрь ноября декабрь декабря
  понедельник вторник среда среду четверг пятница пятницу суббота субботу воскресенье`;

const TURKIC = `milyon milyard milyar min bin faiz yüzde
  saniyə saniye dəqiqə dakika saat gün həftə hafta ay il yıl
  bu gün bugün dünən dün sabah
  bir iki üç dörd dört beş altı yeddi yedi səkkiz sekiz doqquz dokuz on iyirmi yirmi yüz
  birinci ikinci üçüncü yarım
  yanvar fevral mart aprel may iyun iyul avqust sentyabr oktyabr noyabr dekabr
  ocak şubat nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık
  bazar ertəsi çərşənbə cümə şənbə pazartesi salı çarşamba perşembe cuma cumartesi pazar`;

function termsFrom(list: string, latin: LatinLang): string[] {
  return words(list)
    .filter((w) => !isStopWord(w))
    .map((w) => stemToken(w, latin));
}

const QUANTITY_TERMS: ReadonlySet<string> = new Set([...termsFrom(EN, "en"), ...termsFrom(RU, "en"), ...termsFrom(TURKIC, "turkic")]);

/** Whether an index term only says how much or when: a number ("2", "4.5", "2014") or a word above. */
export function isQuantityTerm(term: string): boolean {
  const c = term.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) return true;
  // Other scripts' digits (٣, ३) are rare: the Unicode test only past ASCII.
  return QUANTITY_TERMS.has(term) || (c > 0x7f && /^\p{Nd}/u.test(term));
}
