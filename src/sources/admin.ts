import type { Api } from "grammy";
import { FULLTEXT_MODES, type Fulltext, type Source } from "../config.js";
import { decodeBody } from "../feeds/decode.js";
import { FeedError, type FeedErrorInfo } from "../feeds/errors.js";
import { refuseAddressLiteral } from "../feeds/ssrf.js";
import type { Logger } from "../log.js";
import { feedUrlKey } from "../news/url.js";
import type { SourceHealthStore } from "../store/source-health.js";
import { parseSourceInput, previewSource, type SourcePreview } from "./inspect.js";
import { buildOpml, type OpmlSkip, parseOpml, sourcesFromOutlines } from "./opml.js";
import type { AddMeta, RegisteredSource, SourceRegistry } from "./registry.js";
import { downloadTelegramFile } from "./telegram-file.js";

/** The answer to a pasted address (/addsource). */
export type FindOrPreviewResult =
  /** not an http(s) address */
  | { status: "invalid" }
  /**
   * the feed is a source already; `feedUrl` when it was found behind the
   * pasted page; `fulltext` when the option was given: what became of it
   * (a chat source's mode is changed; a SOURCES_FILE source's is the file's)
   */
  | { status: "known"; source: RegisteredSource; feedUrl?: string; fulltext?: KnownFulltext }
  /** discovery failed: `error` says why (feedErrorText puts it into the admin's words) */
  | { status: "failed"; url: string; error: FeedErrorInfo }
  /** a new feed, kept for Add / Cancel under `token` */
  | { status: "preview"; preview: SourcePreview; token: string };

/** /addsource <a known source's url> fulltext=…: what became of the option. */
export type KnownFulltext = { status: "changed"; was: Fulltext } | { status: "unchanged" } | { status: "file" };

/** What follows /addsource: the address, and the options after it (`fulltext=never`). */
export type AddSourceArgs =
  | { ok: true; input: string; options: AddSourceOptions }
  /** `option`: the word that is not an option /addsource knows, as typed */
  | { ok: false; option: string };

export interface AddSourceOptions {
  /** leads from article pages for the new source (absent: "auto") */
  fulltext?: Fulltext;
}

/** `name=value`: an address never starts so ("https://…", "example.com/?a=b"). */
const OPTION = /^([a-z]+)=(\S*)$/i;

/**
 * "/addsource <url> fulltext=never" → the address and the options. A word
 * that is `name=value` is an option; the other words make the address (more
 * than one word is no address, which findOrPreview says). Pure.
 */
export function parseAddSourceArgs(text: string): AddSourceArgs {
  const words: string[] = [];
  const options: AddSourceOptions = {};
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const m = OPTION.exec(word);
    if (!m) {
      words.push(word);
      continue;
    }
    const value = m[2]!.toLowerCase();
    if (m[1]!.toLowerCase() !== "fulltext" || !(FULLTEXT_MODES as readonly string[]).includes(value)) return { ok: false, option: word };
    options.fulltext = value as Fulltext;
  }
  return { ok: true, input: words.join(" "), options };
}

/** A document sent for import (the part of Telegram's Document the import reads). */
export interface OpmlDocument {
  file_id: string;
  file_name?: string;
  file_size?: number;
  mime_type?: string;
}

export type OpmlImportResult =
  | { status: "too-big"; maxBytes: number }
  | { status: "download-failed"; error: FeedErrorInfo }
  /** not OPML, or refused (entities) */
  | { status: "unreadable"; problem: "not-opml" | "entities" }
  /** no outline with an xmlUrl */
  | { status: "empty" }
  | {
      status: "imported";
      added: RegisteredSource[];
      /** feeds already in the list */
      duplicates: number;
      /** not added: the list is full */
      full: number;
      /** outlines not read, over the per-file cap */
      truncated: number;
      /** outlines read (the cap, when `truncated` > 0) */
      read: number;
      /** each entry not taken, with the reason */
      skipped: OpmlSkip[];
    };

export type EnableSourceResult =
  | { status: "not-found" }
  | { status: "already-on"; source: RegisteredSource }
  /** `lifted`: it had been disabled after failures, and its failure count is reset */
  | { status: "enabled"; source: RegisteredSource; lifted: boolean };

/**
 * What the source commands (/addsource, /rmsource, /enablesource, /opml and
 * the admin view of /sources) are given: the registry, the health records
 * and the use cases, already configured (fetch limits, SSRF guard, download
 * limits). Commands never see Redis, HTTP or the configuration themselves:
 * they call one use case and put its answer into words.
 */
export interface SourceAdmin {
  registry: SourceRegistry;
  health: Pick<SourceHealthStore, "healthOf" | "enableSource">;
  /**
   * A pasted address: the source it already is, or discovery and a preview
   * kept for Add / Cancel. `discovering` is called before the first request.
   * Never throws: an unexpected failure is logged and comes back as "failed".
   */
  findOrPreview(
    input: string,
    meta: AddMeta,
    hooks?: { discovering?: () => unknown },
    options?: AddSourceOptions,
  ): Promise<FindOrPreviewResult>;
  /** downloads, decodes and imports an OPML document; throws only on unexpected errors */
  importOpml(api: Api, doc: OpmlDocument, meta: AddMeta): Promise<OpmlImportResult>;
  /** the source list as OPML, or null when there is none */
  exportOpml(): Promise<{ count: number; xml: string } | null>;
  /** turns a source back on, and lifts a disable after failures */
  enable(id: string): Promise<EnableSourceResult>;
  /**
   * Runs slow work (discovery, a download) beside the update loop: updates
   * are handled one at a time, and one slow site must not hold up every other
   * chat. A failure is logged with `what`; the job replies itself.
   */
  detach(what: string, job: () => Promise<unknown>): void;
  /** resolves when no detached job is running (tests, shutdown) */
  idle(): Promise<void>;
}

/** OPML files are small: a thousand feeds fit in a few hundred KB. */
export const OPML_MAX_BYTES = 1024 * 1024;

const errInfo = (err: unknown) => (err instanceof Error ? { message: err.message, name: err.name } : String(err));

export function createSourceAdmin(deps: {
  registry: SourceRegistry;
  health: SourceAdmin["health"];
  fetch: { timeoutMs: number; maxBytes: number };
  /** ALLOW_PRIVATE_SOURCES: private addresses are then accepted, pasted or imported */
  allowPrivate: boolean;
  logger: Logger;
  clock?: () => number;
}): SourceAdmin {
  const clock = deps.clock ?? Date.now;
  const { registry } = deps;
  const running = new Set<Promise<unknown>>();

  const preview = (url: string) =>
    previewSource(url, {
      ...deps.fetch,
      guard: deps.allowPrivate ? undefined : "public-only",
      now: clock(),
      taken: registry.takenIds(),
    });

  return {
    registry,
    health: deps.health,

    async findOrPreview(input, meta, hooks, options = {}) {
      const url = parseSourceInput(input);
      if (!url) return { status: "invalid" };
      await registry.refresh();
      // Given for a source already there, the option changes it.
      const knownResult = async (source: RegisteredSource, feedUrl?: string): Promise<FindOrPreviewResult> => {
        const base = { status: "known" as const, source, ...(feedUrl ? { feedUrl } : {}) };
        if (!options.fulltext) return base;
        const r = await registry.setFulltext(source.id, options.fulltext);
        if (r.status === "not-found") return base; // removed meanwhile: nothing to change
        if (r.status === "changed") {
          deps.logger.info({ source: source.id, fulltext: options.fulltext, was: r.was }, "sources: fulltext changed from the chat");
          return { ...base, source: r.source, fulltext: { status: "changed", was: r.was } };
        }
        return { ...base, fulltext: { status: r.status } };
      };
      const known = registry.findByUrl(url);
      if (known) return knownResult(known);
      await hooks?.discovering?.();
      let found: SourcePreview;
      try {
        found = await preview(url);
      } catch (err) {
        if (err instanceof FeedError) return { status: "failed", url, error: err.info };
        deps.logger.error({ err: errInfo(err), url }, "sources: discovery failed unexpectedly");
        return { status: "failed", url, error: { kind: "internal", params: {} } };
      }
      const behind = registry.findByUrl(found.source.url);
      if (behind) return knownResult(behind, found.source.url);
      const source: Source = options.fulltext ? { ...found.source, fulltext: options.fulltext } : found.source;
      const token = await registry.propose(source, meta);
      return { status: "preview", preview: { ...found, source }, token };
    },

    async importOpml(api, doc, meta) {
      if (doc.file_size !== undefined && doc.file_size > OPML_MAX_BYTES) return { status: "too-big", maxBytes: OPML_MAX_BYTES };
      let bytes: Uint8Array;
      try {
        bytes = await downloadTelegramFile(api, doc.file_id, { timeoutMs: deps.fetch.timeoutMs, maxBytes: OPML_MAX_BYTES });
      } catch (err) {
        if (!(err instanceof FeedError)) throw err;
        return { status: "download-failed", error: err.info };
      }
      const parsed = parseOpml(decodeBody(bytes, doc.mime_type));
      if (!parsed.ok) return { status: "unreadable", problem: parsed.problem };
      if (parsed.outlines.length === 0) return { status: "empty" };
      await registry.refresh();
      const knownUrls = new Set(registry.cached().map((s) => feedUrlKey(s.url)));
      const r = sourcesFromOutlines(parsed.outlines, registry.takenIds(), knownUrls);
      // Imported feeds are not fetched here; an address literal that is private is refused at once.
      const skipped = [...r.skipped];
      const accepted = r.sources.filter((s: Source) => {
        const refusal = deps.allowPrivate ? null : refuseAddressLiteral(new URL(s.url));
        if (refusal) skipped.push({ label: s.name, problem: "refused", error: { kind: "refused", params: refusal.params } });
        return !refusal;
      });
      const done = await registry.addMany(accepted, meta);
      deps.logger.info({ added: done.added.length, by: meta.by }, "sources: OPML import");
      return {
        status: "imported",
        added: done.added,
        duplicates: r.duplicates.length,
        full: done.full.length,
        truncated: parsed.truncated,
        read: parsed.outlines.length,
        skipped,
      };
    },

    async exportOpml() {
      const sources = await registry.list();
      if (sources.length === 0) return null;
      return { count: sources.length, xml: buildOpml(sources, { title: "newsbot sources", now: clock() }) };
    },

    async enable(id) {
      const r = await registry.enable(id);
      if (r.status === "not-found") return r;
      const lifted = await deps.health.enableSource(id);
      if (r.status === "already-enabled" && !lifted) return { status: "already-on", source: r.source };
      return { status: "enabled", source: r.source, lifted };
    },

    detach(what, job) {
      const p: Promise<unknown> = job()
        .catch((err) => deps.logger.error({ err: errInfo(err) }, `sources: ${what} failed`))
        .finally(() => running.delete(p));
      running.add(p);
    },
    async idle() {
      while (running.size) await Promise.all(running);
    },
  };
}
