/**
 * A site redesign often gives every item a new guid (or new links) at once.
 * Taken at face value the whole feed is "new" and every subscriber gets the
 * site's backlog. This decides when a poll looks like that, so its items are
 * stored and marked seen but not delivered.
 *
 * The rule: at least GUID_CHANGE_MIN_NEW unseen items making up at least
 * GUID_CHANGE_MIN_SHARE of the feed — so a pinned item or two that kept its
 * key does not hide a redesign — unless the unseen items' dates say they
 * were published since the last successful poll, which is what a fast feed
 * that turned over completely looks like (a redesign re-lists old stories
 * with their old dates).
 */

export const GUID_CHANGE_MIN_NEW = 10;
export const GUID_CHANGE_MIN_SHARE = 0.8;

export interface PollFacts {
  /** the source was polled before (its first poll is backlog anyway) */
  polledBefore: boolean;
  /** distinct items in this poll */
  total: number;
  /** publication times (ms) of the items not seen before; null when the feed gave none we could read */
  unseenPublished: (number | null)[];
  /** the source's last successful fetch, if recorded */
  lastSuccessAt: number | null;
}

export function looksLikeGuidChange(f: PollFacts): boolean {
  const unseen = f.unseenPublished.length;
  if (!f.polledBefore || unseen < GUID_CHANGE_MIN_NEW || unseen < GUID_CHANGE_MIN_SHARE * f.total) return false;
  // Dates decide only when most unseen items have one.
  if (f.lastSuccessAt !== null) {
    const dated = f.unseenPublished.filter((t): t is number => t !== null);
    if (dated.length * 2 >= unseen) {
      const since = dated.filter((t) => t > f.lastSuccessAt!).length;
      if (since * 2 > dated.length) return false;
    }
  }
  return true;
}
