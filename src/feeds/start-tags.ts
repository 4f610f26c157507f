/**
 * The start tags of an HTML page or an XML document, with their attributes,
 * through htmlparser2's tokenizer. Pure.
 *
 * The tokenizer, not htmlparser2's Parser: the Parser keeps a stack of open
 * elements that costs quadratic time on hostile markup (a page of 200,000
 * unclosed `<div>`s takes half a minute), and only start tags are wanted
 * here. The tokenizer alone is one linear pass that already skips comments,
 * CDATA and, in HTML, the content of `<script>`, `<style>`, `<title>` and
 * `<textarea>`.
 */
import { QuoteType, Tokenizer, type TokenizerCallbacks } from "htmlparser2";

export interface StartTagOptions {
  /**
   * XML (OPML, feeds): only XML's five entities and numeric references are
   * decoded, every other `&name;` stays as written, and no element holds raw
   * text. Default: HTML, with the full HTML5 entity table.
   */
  xml?: boolean;
  /** Longer start tags (name and attributes, in characters) are skipped; default 8192. */
  maxTagLength?: number;
}

/** Longer start tags are not the ones we look for, and bound the attribute text. */
const MAX_TAG = 8192;

/**
 * Calls `onTag` for every start tag whose name is in `names` (lowercase),
 * with its attributes: names lowercased, values entity-decoded, the first
 * of a repeated name winning. Tag names are compared lowercased in XML too
 * (`<Outline>` counts): exports in the wild are not careful about case.
 */
export function scanStartTags(
  text: string,
  names: ReadonlySet<string>,
  onTag: (name: string, attrs: Map<string, string>) => void,
  opts: StartTagOptions = {},
): void {
  const maxTag = opts.maxTagLength ?? MAX_TAG;
  let tag: { name: string; start: number; attrs: Map<string, string> } | null = null;
  let attrName = "";
  let attrValue = "";
  const close = (endIndex: number) => {
    if (tag && endIndex - tag.start <= maxTag) onTag(tag.name, tag.attrs);
    tag = null;
  };
  const noop = () => {};
  const cbs: TokenizerCallbacks = {
    onopentagname(start, endIndex) {
      const name = text.slice(start, endIndex).toLowerCase();
      tag = names.has(name) ? { name, start, attrs: new Map() } : null;
    },
    onattribname(start, endIndex) {
      if (tag) attrName = text.slice(start, endIndex).toLowerCase();
      attrValue = "";
    },
    onattribdata(start, endIndex) {
      if (tag) attrValue += text.slice(start, endIndex);
    },
    onattribentity(codepoint) {
      if (tag) attrValue += String.fromCodePoint(codepoint);
    },
    onattribend(quote, _endIndex) {
      if (tag && !tag.attrs.has(attrName)) tag.attrs.set(attrName, quote === QuoteType.NoValue ? "" : attrValue);
      attrValue = "";
    },
    onopentagend: close,
    onselfclosingtag: close,
    onclosetag: noop,
    ontext: noop,
    ontextentity: noop,
    oncomment: noop,
    oncdata: noop,
    ondeclaration: noop,
    onprocessinginstruction: noop,
    onend: noop,
  };
  const tokenizer = new Tokenizer({ xmlMode: opts.xml ?? false, decodeEntities: true }, cbs);
  tokenizer.write(text);
  tokenizer.end();
}
