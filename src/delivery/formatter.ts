import { composeBroadcast, composeDigestPart, composeDigestParts, composeNews, type FormatOptions } from "../news/compose.js";
import type { DeliveryFormatter } from "./worker.js";

/** What delivery sends, composed at send time (`fmt` gives the zone and "now" for dates). */
export function createFormatter(fmt: () => FormatOptions): DeliveryFormatter {
  return {
    news: (e) => composeNews(e, fmt()),
    digest: (es) => composeDigestParts(es, fmt()),
    digestPart: (es, header) => composeDigestPart(es, header, fmt()),
    broadcast: (b) => composeBroadcast(b.text, {}),
  };
}
