import { foldWord } from "./fold.js";

/**
 * Short, hand-picked function-word lists. IDF already discounts frequent
 * words; these lists only remove words that carry no story at all, so two
 * headlines do not look related because both say "the" or "и".
 * Words that are also English content words (Turkish "son", "kim", "ana")
 * are left out on purpose: one set serves all languages.
 */
const EN = `a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has have
having he her here hers herself him himself his how i if in into is it its itself just me more most my
myself no nor not now of off on once only or other our ours ourselves out over own same she should so
some such than that the their theirs them themselves then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you your yours
yourself yourselves via amid vs per may might must shall upon within without toward towards onto
says say said according`;

const RU = `а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже для до
его ее её ей ему если есть еще ещё же за здесь и из или им их к как ко когда кто ли либо мне может мы
на над надо наш не него нее неё нет ни них но ну о об однако он она они оно от очень по под при с со
так также такой там те тем то того тоже той только том ты у уже хотя чего чей чем что чтобы чье чья
эта эти это этого этой этом этот я который которая которое которые котором которых сообщил сообщила
сообщили заявил заявила заявили стало стал будет будут после между через про свой своей свои своих`;

const AZ = `və ilə bu bir da də ki üçün olan olub olaraq olunub olunur edib edir edən etdi artıq daha çox hər
həm amma lakin ancaq isə yə ya yaxud bəzi belə necə nə niyə hansı hansı onun onlar onların bunu buna
bunun həmin öz özü sonra əvvəl görə qədər kimi haqqında bildirib deyib qeyd`;

const TR = `ve ile bu bir da de ki için olan olarak oldu olduğu olduğunu daha çok her ama fakat ancak ise gibi
kadar sonra önce göre diye dedi etti eden ettiği mi mı mu mü ne o şu bunu buna bunun onun onlar onların
şöyle böyle hem veya ya yada hangi nasıl neden niçin tarafından açıkladı belirtti`;

function toSet(...lists: string[]): Set<string> {
  const out = new Set<string>();
  for (const list of lists) for (const w of list.split(/\s+/)) if (w) out.add(foldWord(w));
  return out;
}

export const STOP_WORDS: ReadonlySet<string> = toSet(EN, RU, AZ, TR);

/** `token` must already be folded (see foldSegment). */
export function isStopWord(token: string): boolean {
  return STOP_WORDS.has(token);
}
