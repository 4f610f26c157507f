import { composeBroadcast, composeNews, composeTimelineDigest } from "../news/compose.js";
import type { TimelineFormatter } from "../timeline/chat-delivery.js";
import type { DeliveryFormatter } from "./worker.js";

/** What delivery sends, composed at send time, in each chat's time zone. */
export function createFormatter(): DeliveryFormatter & TimelineFormatter {
  return {
    news: (e, fmt) => composeNews(e, fmt),
    digest: (es, more, fmt) => composeTimelineDigest(es, more, fmt),
    broadcast: (b) => composeBroadcast(b.text, {}),
  };
}
