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
    throw new FeedError("telegram-file", "too-large", `the file is over ${formatBytes(opts.maxBytes)}`);
  }
  if (!file.file_path) throw new FeedError("telegram-file", "http", "Telegram gave no download path for the file");
  const root = (api.options?.apiRoot ?? "https://api.telegram.org").replace(/\/+$/, "");
  const url = `${root}/file/bot${api.token}/${file.file_path.replace(/^\/+/, "")}`;
  try {
    // The Bot API is configuration, not user input: no SSRF guard here.
    const res = await fetchFeed("telegram-file", url, opts);
    if (res.status !== "ok") throw new FeedError("telegram-file", "http", "unexpected 304 from the file download");
    return res.body;
  } catch (err) {
    if (err instanceof FeedError)
      throw new FeedError(err.sourceId, err.kind, err.reason.replaceAll(api.token, "***"), { status: err.status });
    throw err;
  }
}
