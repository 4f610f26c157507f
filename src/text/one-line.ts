/**
 * Text → one line, for names, titles and error reasons shown in a single
 * line of a message or a log. Pure.
 */

export interface OneLineOptions {
  /**
   * What a line break (with the spaces around it) becomes, so the lines of
   * a multi-line text stay apart: " | " for error reasons. Default: a space,
   * like every other run of whitespace.
   */
  breaks?: string;
  /** Longer results are cut to `max` characters, the last one "…". */
  max?: number;
}

/**
 * Runs of whitespace (line breaks included) → one space, trimmed:
 * oneLine("  Breaking:\n  news ") → "Breaking: news".
 * oneLine("a\r\nb", { breaks: " | ", max: 300 }) → "a | b".
 */
export function oneLine(text: string, opts: OneLineOptions = {}): string {
  const broken = opts.breaks === undefined ? text : text.replace(/\s*[\r\n]+\s*/g, opts.breaks);
  const flat = broken.replace(/\s+/gu, " ").trim();
  return opts.max !== undefined && flat.length > opts.max ? `${flat.slice(0, opts.max - 1)}…` : flat;
}
