import type { Api } from "grammy";
import { FeedError, formatBytes } from "../feeds/errors.js";
import { fetchFeed } from "../feeds/fetch.js";

/**
 * Downloads a file a user sent the bot (an OPML document): getFile, then
 * `<apiRoot>/file/bot<token>/<file_path>`, the Bot API's download address.
 * The address holds the token, so it never appears in an error.
 */
export async function downloadTelegramFile(api: Api, fileId: string, opts: { timeoutMs: number; maxBytes: number }): Promise<Uint8Array> {
  const file = await api.getFile(fileId);
  if (file.file_size !== undefined && file.file_size > opts.maxBytes) {
    throw new FeedError("telegram-file", "too-large", `the file is over ${formatBytes(opts.maxBytes)}`, {
      detail: "file",
      limitBytes: opts.maxBytes,
    });
  }
  if (!file.file_path) {
    throw new FeedError("telegram-file", "http", "Telegram gave no download path for the file", { detail: "no-file-path" });
  }
  const root = (api.options?.apiRoot ?? "https://api.telegram.org").replace(/\/+$/, "");
  const url = `${root}/file/bot${api.token}/${file.file_path.replace(/^\/+/, "")}`;
  try {
    // The Bot API is configuration, not user input: no SSRF guard here.
    const res = await fetchFeed("telegram-file", url, opts);
    if (res.status !== "ok") {
      throw new FeedError("telegram-file", "http", "HTTP 304 to a request without validators", { detail: "unexpected-304", status: "304" });
    }
    return res.body;
  } catch (err) {
    if (err instanceof FeedError) {
      const hide = (v: string | number) => (typeof v === "string" ? v.replaceAll(api.token, "***") : v);
      const params = Object.fromEntries(Object.entries(err.params).map(([k, v]) => [k, hide(v)]));
      throw new FeedError(err.sourceId, err.kind, err.reason.replaceAll(api.token, "***"), params, { status: err.status });
    }
    throw err;
  }
}
