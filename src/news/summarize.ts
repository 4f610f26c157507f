/**
 * A feed's description → the few sentences shown under a headline.
 */
import { htmlToText, sliceSafe } from "./html-text.js";

export const SUMMARY_MAX = 300;

export interface SummaryOptions {
  /** The item's (clean) title: a summary that only repeats it is dropped. */
  title?: string;
  /** BCP 47 language of the source, for sentence and word boundaries. */
  lang?: string;
  /** Default SUMMARY_MAX. */
  maxLength?: number;
}

/* ------------------------------------------------------------ boilerplate */

/** "Read more" in the languages of our sources; `[ıi]` because feeds write Turkish in ASCII capitals too. */
const READ_MORE = [
  "continue reading",
  "keep reading",
  "read more",
  "read the rest(?: of this (?:entry|post|article))?",
  "read (?:the )?full (?:story|article|post)",
  "more",
  "читать далее",
  "читать дальше",
  "читать полностью",
  "подробнее",
  "далее",
  "davam[ıi]n[ıi] oxu",
  "ard[ıi]n[ıi] oxu",
  "(?:daha )?ətrafl[ıi]",
  "davam[ıi]",
  "devam[ıi]n[ıi] oku",
  "haberin devam[ıi]",
  "devam[ıi](?: için tıklayın)?",
].join("|");

/**
 * A "read more" phrase ending a paragraph. A bracket, arrow or ellipsis
 * around it (groups open/close/tail) marks it as a link label; a bare phrase
 * counts only when it stands alone after a finished sentence, so
 * "…рассказал подробнее." stays.
 */
const TRAILING_READ_MORE = new RegExp(
  `(?:^|\\s)(?<open>[\\[(]\\s*)?(?:${READ_MORE})(?:\\s+["“«‘„][^\\n]{0,200}?["”»’“])?\\s*(?<close>[\\])])?\\s*(?<tail>→|»|›|>{1,2}|…|\\.{2,}|[.!:])?\\s*$`,
  "iu",
);

/** Excerpt cut marks: "[…]", "[...]", "(more…)", "[more]". */
const TRAILING_CUT_MARK = /\s*(?:\[\s*(?:…|\.{3})\s*\]|\(\s*more\s*(?:…|\.{3})?\s*\)|\[\s*more\s*\])\s*$/iu;

/** WordPress's footer as a paragraph of its own, in English, Russian and Turkish installs. */
const POST_APPEARED_LINE = [
  /^the post\s.{1,300}\s(?:appeared first|first appeared) on\s.{1,200}$/iu,
  /^(?:сообщение|запись)\s.{1,300}\s(?:появились сначала|впервые появилась|впервые опубликовано) на\s.{1,200}$/iu,
  /^.{1,300}\syaz[ıi]s[ıi] ilk (?:önce|olarak)\s.{1,200}\s(?:üzerinde|sitesinde) (?:ortaya çıktı|yayınlandı)\.?$/iu,
];

/**
 * Words every footer above contains: a line without them skips the footer
 * patterns, whose open `.{1,300}` runs cost a poll of many feeds dearly.
 */
const FOOTER_HINT = /appeared|появил|впервые|ilk (?:önce|olarak)/iu;

/** The same footer run into the last paragraph; its opening words mark where it starts. */
const POST_APPEARED_TAIL = [
  /(?:^|\s)the post\s(?:(?!the post\s).){1,300}?\s(?:appeared first|first appeared) on\s.{1,200}$/iu,
  /(?:^|\s)(?:сообщение|запись)\s.{1,300}?\s(?:появились сначала|впервые появилась|впервые опубликовано) на\s.{1,200}$/iu,
];

/** WordPress themes: "Continue reading <title> →". */
const CONTINUE_WITH_TITLE =
  /(?:^|\s)(?:continue reading|keep reading|read more|читать далее|davam[ıi]n[ıi] oxu|devam[ıi]n[ıi] oku)\s.{1,200}?\s*[→»›]\s*$/iu;

const CREDIT_WORD =
  "(?:photo(?:graph)?s?|image|picture|pic|illustration)(?:\\s+credit)?|credits?|фото(?:графия)?|иллюстрация|foto(?:ğraf)?|şəkil|görsel|resim";

/** A line that is nothing but a credit: "Photo: Reuters", "Image: Getty Images", "(Photo by …)". */
const CREDIT_LINE = new RegExp(`^[\\[(]?\\s*(?:${CREDIT_WORD})\\s*(?::|by\\b|—|–|-)\\s*(?:(?![.!?…]\\s+\\S).){1,150}$`, "iu");

/** "(Photo by Jane Doe/Getty Images)" anywhere. */
const CREDIT_PARENS = new RegExp(`\\s*[\\[(]\\s*(?:${CREDIT_WORD})\\s*(?::|by\\b)[^()\\[\\]\\n]{1,150}[\\])]`, "giu");

/** "Photo: AP. Officials said…" — a credit opening a paragraph; it ends at the first full stop not after an initial. */
const CREDIT_LEAD = new RegExp(`^(?:${CREDIT_WORD})\\s*(?::|by\\b)[^\\n]{1,100}?(?<!\\s\\p{Lu})(?:\\.|\\s[|—–])\\s+(?=\\S)`, "iu");

/** "…officials said. Photo: Getty Images" — a credit closing the text, after a finished sentence. */
const CREDIT_TAIL = new RegExp(`(?<=[.!?…"”»)])\\s+(?:${CREDIT_WORD})\\s*(?::|by\\b)\\s*[^\\n]{1,120}$`, "iu");

const ENDS_SENTENCE = /[.!?…。؟۔"”»)\]]$/u;

function stripLineEnd(line: string): { line: string; cut: boolean } {
  let out = line;
  let cut = false;
  for (let guard = 0; guard < 5; guard++) {
    const before = out;
    const mark = TRAILING_CUT_MARK.exec(out);
    if (mark) {
      out = out.slice(0, mark.index);
      cut = true;
    }
    const more = TRAILING_READ_MORE.exec(out);
    if (more) {
      const rest = out.slice(0, more.index).trimEnd();
      const g = more.groups ?? {};
      const decorated = Boolean(g.open || g.close || (g.tail && !/^[.!:]$/.test(g.tail)));
      if (decorated || rest === "" || ENDS_SENTENCE.test(rest)) out = rest;
    }
    if (FOOTER_HINT.test(out)) for (const re of POST_APPEARED_TAIL) out = out.replace(re, "");
    out = out.replace(CONTINUE_WITH_TITLE, "");
    out = out.replace(CREDIT_TAIL, "").trimEnd();
    if (out === before) break;
  }
  return { line: out, cut };
}

/**
 * Removes what feeds append to every entry: "The post X appeared first on
 * Y.", "Continue reading…", "Read more »", "[…]", "(more…)", "Читать далее",
 * "Подробнее", "Davamını oxu", "Devamını oku", and photo credits at the
 * start or end. Where an excerpt mark ("[…]") shows the text was cut
 * mid-sentence, "…" takes its place. Lines stay separated by "\n".
 */
export function stripBoilerplate(text: string): string {
  const lines: string[] = [];
  for (const raw of text.split("\n")) {
    let line = raw.replace(CREDIT_PARENS, "").trim().replace(CREDIT_LEAD, "");
    if (!line || CREDIT_LINE.test(line)) continue;
    if (FOOTER_HINT.test(line) && POST_APPEARED_LINE.some((re) => re.test(line))) continue;
    const end = stripLineEnd(line);
    line = end.line.trim();
    if (!line) continue;
    if (end.cut && !ENDS_SENTENCE.test(line)) line = `${line.replace(/[\s,;:—–-]+$/u, "")}…`;
    lines.push(line);
  }
  return lines.join("\n");
}

/* ------------------------------------------------------------ title repeat */

// A feed's text uses a few hundred distinct characters; folding each afresh
// was the largest single cost of normalizing a feed.
const folded = new Map<string, string>();

/** Case, accents, punctuation and spacing ignored, one code point at a time. */
function foldChar(ch: string): string {
  let f = folded.get(ch);
  if (f === undefined) {
    f = ch
      .normalize("NFKD")
      .replace(/[\p{M}\p{P}\p{S}\p{Z}\s]/gu, "")
      .toLowerCase()
      .replace(/ı/g, "i")
      .replace(/ς/g, "σ");
    if (folded.size < 10_000) folded.set(ch, f);
  }
  return f;
}

function fold(text: string): string {
  let out = "";
  for (const ch of text) out += foldChar(ch);
  return out;
}

/** What may follow a title repeated at the head of a summary: a line break, a stop, a colon, a spaced dash. */
const TITLE_END = /^(?:\s*\n|\s*$|[.:;!?…|•·]|\s+[|•·:]|\s*[-–—]\s)/u;

/**
 * The summary without a copy of the title in front. Feeds often repeat the
 * headline as the first line of the description; showing it twice wastes
 * the reader's time. The copy must end where a headline would (line
 * break, full stop, colon, dash), so a first sentence that merely opens
 * with the same words is kept whole. Returns "" when the summary adds
 * nothing (it is the title, or a piece of it).
 */
export function withoutTitle(summary: string, title: string): string {
  const t = fold(title);
  if (!t) return summary;
  // Fold only as much of the summary as the title needs: summaries can be long.
  let folded = "";
  let cutAt = summary.length;
  let index = 0;
  for (const ch of summary) {
    if (folded.length >= t.length) {
      cutAt = index;
      break;
    }
    folded += foldChar(ch);
    index += ch.length;
  }
  if (!folded.startsWith(t)) {
    // A summary that is a piece of the title adds nothing.
    return cutAt === summary.length && t.startsWith(folded) ? "" : summary;
  }
  const after = summary.slice(cutAt);
  // "Storm: winds rose" repeats the title; "Storm winds rose" only starts with the same word.
  if (!TITLE_END.test(after)) return summary;
  const rest = after.replace(/^[\s.,:;!?…|•·—–-]+/u, "");
  return fold(rest.slice(0, 20)).length < 3 ? "" : rest;
}

/* ---------------------------------------------------------- sentence ends */

/** Full stops, question and exclamation marks, ellipses: Latin, CJK, Arabic, Urdu, Devanagari, Armenian, Ethiopic. */
const TERMINAL = "[.!?…。！？｡؟۔।॥։።‼⁇⁈⁉]";
/** What may close a sentence after its stop: quotes and brackets, Western and CJK. */
const CLOSER = "[\"'”’»›)\\]}」』】〕）〉》]";
const END_RUN = new RegExp(`${TERMINAL}+${CLOSER}*`, "gu");
const END_RUN_AT_END = new RegExp(`${TERMINAL}+${CLOSER}*$`, "u");
const CLOSERS_AT_END = new RegExp(`${CLOSER}+$`, "u");
/** CJK stops end a sentence with no space after them. */
const FULL_WIDTH_STOP = /[。！？｡]/u;
/**
 * A lower-case letter: after a stop it continues the sentence ("approx. five",
 * "т.е. это", '"Why?" he asked'). Georgian Mkhedruli is Ll but has no capitals
 * in running text, so it starts sentences too.
 */
const LOWER_START = /^\s*(?![\u10D0-\u10FF\u1C90-\u1CBF])\p{Ll}/u;

/**
 * Abbreviations that need the word after them (titles, "e.g.", "т.е.",
 * "ул."): their dot never ends a sentence, not even at the end of a text —
 * a summary ending "… said Dr." was cut. Lower-case, without the final dot.
 */
const PREFIX_ABBREVIATIONS = new Set([
  // English
  ..."mr mrs ms dr prof st mt ft gen col lt sgt capt cmdr adm maj gov sen rep rev hon pres supt insp no nos vs cf fig figs approx ca e.g i.e eg ie viz".split(
    " ",
  ),
  ..."jan feb mar apr jun jul aug sep sept oct nov dec".split(" "),
  // Russian
  ..."г-н г-жа гр т.е т.к т.н т.ч напр ул пр просп пер пл наб корп стр кв им ср см проф акад доц ген полк св тов".split(" "),
  // Azerbaijani
  ..."prof dos akad küç məs".split(" "),
]);

/**
 * Abbreviations that can also close a sentence ("… by the U.S.", "в 2024 г.",
 * "и т.д."): at the end of a text they count as its end; inside one they do
 * not, since a cut there could as well fall inside a sentence ("U.S. officials").
 */
const CLOSING_ABBREVIATIONS = new Set([
  ..."etc inc ltd co corp jr sr bros llc plc u.s u.k u.n e.u a.m p.m ph.d".split(" "),
  ..."г гг в вв т.д т.п др тыс млн млрд руб коп обл р-н".split(" "),
  ..."s e.ə".split(" "),
]);

/** The word just before `at` (where a stop starts), with its inner dots: "U.S", "т.е", "Dr". */
function wordBefore(text: string, at: number): string {
  let i = at;
  while (i > 0 && !/[\s(«“„‘"'[{]/u.test(text[i - 1]!)) i--;
  return text.slice(i, at);
}

/** Whether a single "." after `word` is an abbreviation's, not a sentence end; `atEnd`: the text ends there. */
function abbreviationDot(word: string, atEnd: boolean): boolean {
  const w = word.toLowerCase();
  if (PREFIX_ABBREVIATIONS.has(w)) return true;
  if (atEnd) return false;
  if (CLOSING_ABBREVIATIONS.has(w)) return true;
  // An initial ("J. Smith", "А. Иванов") or letters with dots ("U.S", "т.е").
  return /^\p{L}$/u.test(w) || /^(?:\p{L}{1,3}\.)+\p{L}{1,3}$/u.test(w);
}

/**
 * Where sentences end inside `text` (the index after the stop and any closing
 * quote or bracket), first to last; never at the very end, which endsWell
 * judges. A stop counts when a space follows it (CJK stops need none) and
 * the next word does not start in lower case; a dot after an abbreviation, an
 * initial or letters with dots does not. A dot inside a URL or a number
 * ("3.5", "example.com/a.html") has no space after it, so it never counts.
 */
export function sentenceEnds(text: string): number[] {
  const ends: number[] = [];
  for (const m of text.matchAll(END_RUN)) {
    const end = m.index + m[0].length;
    if (end >= text.length) continue;
    const stops = m[0].replace(CLOSERS_AT_END, "");
    if (!/\s/u.test(text[end]!) && !FULL_WIDTH_STOP.test(stops)) continue;
    if (LOWER_START.test(text.slice(end, end + 8))) continue;
    if (stops === "." && abbreviationDot(wordBefore(text, m.index), false)) continue;
    ends.push(end);
  }
  return ends;
}

/**
 * Whether `text` ends as a finished text does: at a sentence end (a stop,
 * perhaps with closing quotes or brackets after it) or with an ellipsis. A
 * dot after an abbreviation that needs a following word ("Dr.", "т.е.") is
 * no end.
 */
export function endsWell(text: string): boolean {
  const t = text.trimEnd();
  const m = END_RUN_AT_END.exec(t);
  if (!m) return false;
  const stops = m[0].replace(CLOSERS_AT_END, "");
  if (stops === ".") return !abbreviationDot(wordBefore(t, m.index), true);
  return true;
}

/** What a text cut between words must not end with: separators, dashes, opening quotes and brackets. */
const DANGLING = /[\s,;:—–\-/|•·(«“„‘[{]+$/u;

/** `text` ending with "…" in at most `max` units, cut between words when it must be shorter. */
function withEllipsis(text: string, max: number, lang: string | undefined): string {
  const head = text.replace(DANGLING, "");
  if (!head) return "";
  // After a link, a space: "…" run into a URL would read as part of it.
  const out = `${head}${/https?:\/\/\S+$/u.test(head) ? " " : ""}…`;
  return out.length <= max ? out : truncateAtWord(head, Math.min(max, head.length - 1), lang);
}

/**
 * `text` (≤ `max` units) ending well: as it is when it ends at a sentence end
 * or with "…"; else back to its last full sentence — a fragment the
 * publisher's own cut left ("…resell your games? Weird! The" → "…resell your
 * games? Weird!"), when that keeps at least a third of it; else with "…"
 * after its last word. Line breaks are kept.
 */
export function endWell(text: string, max = Number.POSITIVE_INFINITY, lang?: string): string {
  const t = text.trim();
  if (!t || endsWell(t)) return t;
  const last = sentenceEnds(t).at(-1);
  if (last !== undefined && last >= t.length / 3) return t.slice(0, last);
  return withEllipsis(t, max, lang);
}

/* ---------------------------------------------------------------- cutting */

// Building a segmenter loads ICU data: on a poll of many feeds it was a
// large share of normalize's time, so one per (language, granularity) is kept.
const segmenters = new Map<string, Intl.Segmenter>();

function segmenter(lang: string | undefined, granularity: "sentence" | "word" | "grapheme"): Intl.Segmenter {
  const key = `${lang ?? ""}|${granularity}`;
  let seg = segmenters.get(key);
  if (!seg) {
    try {
      seg = new Intl.Segmenter(lang, { granularity });
    } catch {
      seg = new Intl.Segmenter(undefined, { granularity }); // an unknown tag must not fail a feed
    }
    if (segmenters.size < 64) segmenters.set(key, seg);
  }
  return seg;
}

/**
 * A space a text may be cut at: not a no-break space, and not one between
 * two digits, which groups a number ("1 000 000").
 */
function breakableSpace(window: string, index: number, segment: string): boolean {
  if (/[\u00A0\u202F\u2007]/u.test(segment)) return false;
  return !(/\d/.test(window[index - 1] ?? "") && /\d/.test(window[index + segment.length] ?? ""));
}

/**
 * At most `max` UTF-16 units, cut between words with "…" appended (the
 * ellipsis counts). Text without spaces (Chinese, a 10,000-letter "word")
 * is cut at a word or character boundary; never inside an emoji, nor at the
 * space inside a number.
 */
export function truncateAtWord(text: string, max: number, lang?: string): string {
  const t = text.trim();
  if (t.length <= max) return t;
  const room = max - 1;
  // Only the start matters; looking a little past the limit finds the boundary there.
  const window = sliceSafe(t, room + 40);
  let best = 0;
  let bestSpace = 0;
  for (const seg of segmenter(lang, "word").segment(window)) {
    if (seg.index > room) break;
    if (/^\s+$/u.test(seg.segment) && breakableSpace(window, seg.index, seg.segment)) bestSpace = seg.index;
    const end = seg.index + seg.segment.length;
    if (end > room) break;
    if (end === window.length && window.length < t.length) break; // the window's edge is no boundary
    best = end;
  }
  // Prefer ending on a whole word before a space; a long word-less run falls back to graphemes.
  let cut = bestSpace > room / 2 ? bestSpace : best;
  if (cut === 0) {
    for (const g of segmenter(lang, "grapheme").segment(window)) {
      if (g.index + g.segment.length > room) break;
      cut = g.index + g.segment.length;
    }
  }
  const head = t.slice(0, cut).replace(/[\s,;:.…—–-]+$/u, "");
  return `${head || t.slice(0, cut)}…`;
}

/**
 * At most `max` UTF-16 units, ending well (endWell): at the last sentence end
 * that fits, or, when whole sentences would fill less than a third (a
 * dateline, one over-long sentence), between words with "…". Line breaks
 * are kept.
 */
export function fitSentences(text: string, max: number, lang?: string): string {
  const t = text.trim();
  if (t.length <= max) return endWell(t, max, lang);
  let best = 0;
  for (const end of sentenceEnds(sliceSafe(t, max * 2 + 200))) {
    if (end > max) break;
    best = end;
  }
  return best >= max / 3 ? t.slice(0, best) : truncateAtWord(t, max, lang);
}

/** fitSentences on one paragraph: line breaks become spaces. */
export function cutAtSentences(text: string, max: number, lang?: string): string {
  return fitSentences(text.replace(/\s*\n\s*/g, " "), max, lang);
}

/* ------------------------------------------------------------------- main */

/**
 * Description HTML → plain-text summary: markup and boilerplate removed,
 * a repeated title dropped, cut at a sentence boundary to ≤ maxLength
 * (default 300) characters, and ending well (endWell): a fragment the
 * publisher's own cut left is dropped back to the last full sentence, or
 * ends with "…". May be "".
 */
export function summarize(html: string, opts: SummaryOptions = {}): string {
  const max = opts.maxLength ?? SUMMARY_MAX;
  let text = stripBoilerplate(htmlToText(html));
  if (opts.title) text = withoutTitle(text, opts.title);
  return cutAtSentences(text, max, opts.lang);
}

/**
 * A stand-in title taken from the summary: its first sentence when that is
 * short (≤ 12 words, ≤ 100 characters), otherwise its first words and "…".
 * `rest` is the part of the summary the title does not already show.
 */
export function leadTitle(text: string, lang?: string): { title: string; rest: string } {
  const flat = text.replace(/\s+/g, " ").trim();
  const first = segmenter(lang, "sentence").segment(sliceSafe(flat, 400))[Symbol.iterator]().next();
  const sentence = first.done ? "" : first.value.segment.trim();
  if (sentence && sentence.length <= 100 && sentence.split(" ").length <= 12) {
    return { title: sentence, rest: flat.slice(first.done ? 0 : first.value.segment.length).trim() };
  }
  let title = "";
  for (const word of flat.split(" ").slice(0, 12)) {
    const next = title ? `${title} ${word}` : word;
    if (next.length > 99) break;
    title = next;
  }
  if (!title) return { title: truncateAtWord(flat, 100, lang), rest: flat };
  return { title: `${title.replace(/[\s,;:.…—–-]+$/u, "")}…`, rest: flat };
}
