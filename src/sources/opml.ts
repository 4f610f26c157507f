import { FULLTEXT_MODES, type Source, sourceSchema } from "../config.js";
import type { FeedErrorInfo } from "../feeds/errors.js";
import { scanStartTags } from "../feeds/start-tags.js";
import { feedUrlKey, hostOf } from "../news/url.js";
import { baseId, idCandidates } from "./slug.js";

/**
 * The source list as OPML 2.0, the format every feed reader imports and
 * exports, and back. Pure.
 *
 * The reader is deliberately small: it looks only at `<outline>` start tags
 * and their attributes (htmlparser2's tokenizer, in XML mode), decodes XML's
 * five predefined entities and numeric references, and refuses any document
 * that declares entities — nothing is expanded, nothing is fetched, so
 * billion laughs and external entities have nothing to work with.
 */

/** More outlines than this in one file is not a source list a bot should take in one go. */
export const OPML_MAX_SOURCES = 500;

/** What one `<outline>` with an `xmlUrl` says, attribute names lowercased. */
export interface OpmlOutline {
  xmlUrl: string;
  text?: string;
  title?: string;
  /** newsbot's own id, when the file came from a newsbot export */
  id?: string;
  language?: string;
  description?: string;
  /** "false" when the source was switched off */
  enabled?: string;
  /** newsbot's fulltext mode, when not "auto" (see Source.fulltext) */
  fulltext?: string;
}

// XML 1.0 allows tab, LF, CR and everything from U+0020 up except surrogates and U+FFFE/F.
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function attr(value: string): string {
  return value
    .replace(XML_INVALID, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}

export function buildOpml(sources: readonly Source[], opts: { title: string; now: number }): string {
  const outlines = sources.map((s) => {
    const attrs: Array<[string, string]> = [
      ["type", "rss"],
      ["text", s.name],
      ["title", s.name],
      ["xmlUrl", s.url],
      ["id", s.id],
    ];
    if (s.lang) attrs.push(["language", s.lang]);
    if (s.description) attrs.push(["description", s.description]);
    if (!s.enabled) attrs.push(["enabled", "false"]);
    // An attribute of newsbot's own: OPML readers ignore attributes they do not know.
    if (s.fulltext && s.fulltext !== "auto") attrs.push(["fulltext", s.fulltext]);
    return `    <outline ${attrs.map(([k, v]) => `${k}="${attr(v)}"`).join(" ")}/>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<opml version="2.0">`,
    `  <head>`,
    `    <title>${attr(opts.title)}</title>`,
    `    <dateCreated>${new Date(opts.now).toUTCString()}</dateCreated>`,
    `  </head>`,
    `  <body>`,
    ...outlines,
    `  </body>`,
    `</opml>`,
    ``,
  ].join("\n");
}

/** `problem` says why a file is refused (the import report puts it into words); `reason` is English, for logs. */
export type OpmlParse =
  | { ok: true; outlines: OpmlOutline[]; truncated: number }
  | { ok: false; reason: string; problem: "not-opml" | "entities" };

export function parseOpml(input: string): OpmlParse {
  const text = input.replace(/^\uFEFF/, "");
  if (!/<opml[\s>]/.test(text)) return { ok: false, reason: "not an OPML file (no <opml> element)", problem: "not-opml" };
  // No OPML needs an entity of its own; refusing any declaration is simpler than judging one.
  if (/<!ENTITY/i.test(text)) return { ok: false, reason: "refused: the file declares XML entities", problem: "entities" };
  const outlines: OpmlOutline[] = [];
  let truncated = 0;
  scanStartTags(
    text,
    new Set(["outline"]),
    (_name, raw) => {
      const attrs = Object.create(null) as Record<string, string>;
      for (const [name, value] of raw) attrs[name] = value.trim();
      // Outlines without xmlUrl are folders (categories); their children are read on their own.
      if (!attrs.xmlurl) return;
      if (outlines.length >= OPML_MAX_SOURCES) {
        truncated++;
        return;
      }
      const o: OpmlOutline = { xmlUrl: attrs.xmlurl };
      for (const [key, field] of [
        ["text", "text"],
        ["title", "title"],
        ["id", "id"],
        ["language", "language"],
        ["description", "description"],
        ["enabled", "enabled"],
        ["fulltext", "fulltext"],
      ] as const) {
        if (attrs[key]) o[field] = attrs[key];
      }
      outlines.push(o);
    },
    { xml: true },
  );
  return { ok: true, outlines, truncated };
}

// The schema's rule: a language the file gets wrong is dropped rather than costing the source.
const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/**
 * An outline not taken, and why: a field the source schema refuses (`field`
 * is its name, "url", "id", …; `message` zod's English words, for logs), or
 * an address the SSRF guard refuses.
 */
export type OpmlSkip =
  | { label: string; problem: "invalid"; field: string; message: string }
  | { label: string; problem: "refused"; error: FeedErrorInfo };

export interface OutlineImport {
  /** valid, new sources with unique ids, in file order */
  sources: Source[];
  /** feeds already in the list (same URL), by name */
  duplicates: string[];
  /** each outline that could not be taken */
  skipped: OpmlSkip[];
}

/**
 * Outlines → sources, validated with the SOURCES_FILE schema. An id from a
 * newsbot export is kept when free; otherwise one is made from the title.
 * `taken` ids and `knownUrls` (as feedUrlKey gives them) are the sources
 * already there.
 */
export function sourcesFromOutlines(
  outlines: readonly OpmlOutline[],
  taken: ReadonlySet<string>,
  knownUrls: ReadonlySet<string>,
): OutlineImport {
  const ids = new Set(taken);
  const urls = new Set(knownUrls);
  const out: OutlineImport = { sources: [], duplicates: [], skipped: [] };
  for (const o of outlines) {
    const name = (o.title || o.text || "").replace(/\s+/g, " ").trim();
    const label = name || o.xmlUrl;
    if (urls.has(feedUrlKey(o.xmlUrl))) {
      out.duplicates.push(label);
      continue;
    }
    const wanted = o.id && !ids.has(o.id) ? o.id : idCandidates(baseId(name, o.xmlUrl), ids, 1)[0]!;
    const lang = [o.language, o.language?.toLowerCase()].find((l) => l && LANG.test(l));
    const fulltext = FULLTEXT_MODES.find((m) => m === o.fulltext?.toLowerCase());
    const r = sourceSchema.safeParse({
      id: wanted,
      name: (name || hostOf(o.xmlUrl)).slice(0, 100),
      url: o.xmlUrl,
      ...(lang ? { lang } : {}),
      ...(o.description ? { description: o.description.slice(0, 300) } : {}),
      enabled: o.enabled !== "false",
      // Like a language, a mode the file gets wrong is dropped (auto) rather than costing the source.
      ...(fulltext && fulltext !== "auto" ? { fulltext } : {}),
    });
    if (!r.success) {
      const issue = r.error.issues[0]!;
      out.skipped.push({ label: label.slice(0, 80), problem: "invalid", field: issue.path.join(".") || "source", message: issue.message });
      continue;
    }
    ids.add(r.data.id);
    urls.add(feedUrlKey(r.data.url));
    out.sources.push(r.data);
  }
  return out;
}
