import type { Api } from "grammy";
import type { Logger } from "../log.js";
import type { SourceHealthStore } from "../store/source-health.js";
import { previewSource, type SourcePreview } from "./inspect.js";
import type { SourceRegistry } from "./registry.js";
import { downloadTelegramFile } from "./telegram-file.js";

/**
 * What the source commands (/addsource, /rmsource, /enablesource, /opml and
 * the admin view of /sources) are given: the registry, the health records and
 * the two network operations, already configured. Commands never see Redis,
 * HTTP or the configuration themselves.
 */
export interface SourceAdmin {
  registry: SourceRegistry;
  health: Pick<SourceHealthStore, "healthOf" | "enableSource">;
  /** discovery + preview of a pasted address; throws FeedError */
  preview(url: string): Promise<SourcePreview>;
  /** the bytes of a document a user sent; throws FeedError */
  download(api: Api, fileId: string): Promise<Uint8Array>;
  /** ALLOW_PRIVATE_SOURCES: an imported private address is then accepted */
  allowPrivate: boolean;
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

export function createSourceAdmin(deps: {
  registry: SourceRegistry;
  health: SourceAdmin["health"];
  fetch: { timeoutMs: number; maxBytes: number };
  allowPrivate: boolean;
  logger: Logger;
  clock?: () => number;
}): SourceAdmin {
  const clock = deps.clock ?? Date.now;
  const running = new Set<Promise<unknown>>();
  return {
    registry: deps.registry,
    health: deps.health,
    allowPrivate: deps.allowPrivate,
    preview: (url) =>
      previewSource(url, {
        ...deps.fetch,
        guard: deps.allowPrivate ? undefined : "public-only",
        now: clock(),
        taken: deps.registry.takenIds(),
      }),
    download: (api, fileId) => downloadTelegramFile(api, fileId, { timeoutMs: deps.fetch.timeoutMs, maxBytes: OPML_MAX_BYTES }),
    detach(what, job) {
      const p: Promise<unknown> = job()
        .catch((err) => deps.logger.error({ err: err instanceof Error ? { message: err.message, name: err.name } : String(err) }, `sources: ${what} failed`))
        .finally(() => running.delete(p));
      running.add(p);
    },
    async idle() {
      while (running.size) await Promise.all(running);
    },
  };
}
