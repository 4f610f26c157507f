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
 * At most `max` UTF-16 units, cut between words with "…" appended (the
 * ellipsis counts). Text without spaces (Chinese, a 10,000-letter "word")
 * is cut at a word or character boundary; never inside an emoji.
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
    if (/^\s+$/u.test(seg.segment)) bestSpace = seg.index;
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
 * At most `max` UTF-16 units, ending at a sentence boundary. When even the
 * first sentence is longer (or whole sentences would fill less than a
 * third), it is cut between words with "…". Line breaks become spaces: the
 * result is one paragraph.
 */
export function cutAtSentences(text: string, max: number, lang?: string): string {
  const flat = text.replace(/\s*\n\s*/g, " ").trim();
  if (flat.length <= max) return flat;
  // Sentences are found in the text with its line breaks: a paragraph end is a sentence end.
  const window = sliceSafe(text, max * 2 + 200);
  let out = "";
  for (const seg of segmenter(lang, "sentence").segment(window)) {
    if (seg.index + seg.segment.length === window.length && window.length < text.length) break;
    const sentence = seg.segment.replace(/\s+/g, " ").trim();
    if (!sentence) continue;
    const next = out ? `${out} ${sentence}` : sentence;
    if (next.length > max) break;
    out = next;
  }
  // A dateline or a one-word opener ("BAKU, June 1.") followed by a long
  // sentence would leave almost nothing; words up to the limit say more.
  return out.length >= max / 3 ? out : truncateAtWord(flat, max, lang);
}

/* ------------------------------------------------------------------- main */

/**
 * Description HTML → plain-text summary: markup and boilerplate removed,
 * a repeated title dropped, cut at a sentence boundary to ≤ maxLength
 * (default 300) characters. May be "".
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
