import { type BroadcastOptions, composeBroadcast, composeNews, composeTimelineDigest } from "../news/compose.js";
import type { Broadcast } from "../store/broadcast-store.js";
import type { TimelineFormatter } from "../timeline/chat-delivery.js";
import type { DeliveryFormatter } from "./worker.js";

/**
 * What delivery sends, composed at send time, in each chat's time zone and
 * language: `fmt` is the chat's FormatOptions (`t` its texts, `locale` its
 * Intl tag), built by the delivery code per chat. Without `t`, English.
 */
export function createFormatter(): DeliveryFormatter & TimelineFormatter {
  return {
    news: (e, fmt) => composeNews(e, fmt),
    digest: (es, more, fmt) => composeTimelineDigest(es, more, fmt),
    // An announcement needs only the texts; FormatOptions (timezone, now too) is accepted as it is.
    broadcast: (b: Broadcast, fmt: Pick<BroadcastOptions, "t" | "locale"> = {}) =>
      composeBroadcast(b.text, { t: fmt.t, locale: fmt.locale }),
  };
}
