import type { Ledger } from "../delivery/ledger.js";
import type { Limiter } from "../delivery/limiter.js";
import { editOnce, formatFor, type GoneHandlers, type Outgoing, type SendOutcome, sendOnce } from "../delivery/messenger.js";
import type { SendApi } from "../delivery/send-api.js";
import { takeSlot } from "../delivery/slot.js";
import type { Translator } from "../i18n/translator.js";
import type { Logger } from "../log.js";
import type { FormatOptions, Report, StoryEntry } from "../news/compose.js";
import type { Item } from "../news/item.js";
import type { DeliveryMeter, MessageKind, MessageOutcome } from "../ops/meters.js";
import { compileRules } from "../prefs/keywords.js";
import { passes } from "../prefs/match.js";
import { inQuietHours, nextDigestAt, zoneOf } from "../prefs/schedule.js";
import type { ChatPrefs } from "../prefs/types.js";
import type { ChatState, ChatStateStore, SentMessage } from "../store/chat-state-store.js";
import type { StoryStore } from "../store/story-store.js";
import { type ChatRef, keyOf, parseSubKey, type SubKey, type Target } from "../store/sub-key.js";
import type { ItemStore, SubscriberStore } from "../store/types.js";
import { classify, type Layout, layoutDelivery, MAX_READ, messageCarrying } from "./layout.js";
import type { TimelineCache, TimelineStory } from "./timeline-cache.js";

/** What a chat's delivery renders: a card, or one digest message, in the chat's language (`opts.t`, `opts.locale`). */
export interface TimelineFormatter {
  news(entry: StoryEntry, opts: FormatOptions): Outgoing;
  digest(entries: StoryEntry[], more: number, opts: FormatOptions): Outgoing | null;
}

export interface ChatDeliveryDeps {
  items: Pick<ItemStore, "timelineSeqs">;
  subscribers: Pick<SubscriberStore, "get" | "migrate">;
  chats: ChatStateStore;
  stories: Pick<StoryStore, "also">;
  cache: TimelineCache;
  api: SendApi;
  limiter: Limiter;
  ledger: Ledger;
  format: TimelineFormatter;
  /** each chat's language: what cards and digests are composed in */
  translator: Translator;
  /** the chat, or a forum topic, cannot be posted to any more: its subscriptions end (src/delivery/messenger.ts) */
  gone: GoneHandlers;
  logger: Logger;
  /** the bot's TIMEZONE, for chats without one */
  timezone: string;
  /** more new stories than this at once → one digest */
  threshold: number;
  /** same-story merging on: later reports edit the chat's earlier message */
  merging: boolean;
  /** how long a send waits for Telegram's answer (ms) */
  timeoutMs?: number;
  /** how long the one retry of a send that got no answer waits (ms) */
  longTimeoutMs?: number;
  /** first wait when Telegram is unreachable; doubles up to a minute (default 2 s) */
  backoffFirstMs?: number;
  clock?: () => number;
  /** told of each message's outcome: kind news (a card), digest, edit (a merged story) */
  meter?: DeliveryMeter;
  /** a source's language ("und": none): another language's outlet is marked on a card, "APA (az)" */
  langOf?: (sourceId: string) => string;
}

/** What one delivery did. `retryAt`: the chat is due again then (a flood limit, Telegram unreachable). */
export type DeliveryResult =
  | { kind: "sent"; messages: number; edits: number }
  | { kind: "nothing" }
  /** `keepClaim`: the chat could not be put back (Redis away): leave its claim to lapse, which puts it back */
  | { kind: "later"; retryAt: number; reason: string; keepClaim?: boolean }
  /** the bot can no longer post in the chat: all its subscriptions ended */
  | { kind: "gone" }
  /** the forum topic was closed or deleted: that subscription ended */
  | { kind: "topic-gone" }
  | { kind: "unsubscribed" }
  | { kind: "migrated"; to: number };

/**
 * A chat that waited longer than this for its turn (the flood limits, a
 * retry) gets what piled up as one digest rather than several cards: the
 * stories that arrived while it waited join the message it was waiting for.
 */
const WAITED_MS = 5000;
/** Telegram unreachable: a chat is tried again after 2 s, doubling to at most a minute — for as long as it takes. */
const BACKOFF_FIRST_MS = 2000;
const BACKOFF_MAX_MS = 60_000;

class PutBack extends Error {
  constructor(
    readonly retryAt: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}
class Stop extends Error {
  constructor(readonly result: DeliveryResult) {
    super(result.kind);
  }
}

/**
 * Delivers to one subscription — a chat, or one topic of a forum (its posts
 * go there with message_thread_id) — whose turn it is (its claim is held by
 * the caller):
 * reads the planned stories after its cursor, keeps those its preferences
 * pass, edits the messages that carry stories a later report joined, and
 * sends the rest as cards or one digest. The cursor moves only after
 * Telegram accepted a message, one message at a time, so a crash repeats at
 * most the message in flight. Telegram unreachable, however long: the chat
 * stays due and is tried again with backoff — nothing becomes a dead letter
 * for want of a network. A send that got no answer (it may have arrived) is
 * tried once more with a long timeout, and then counted as sent: at most one
 * extra copy, never a stream of them.
 */
export function createChatDelivery(deps: ChatDeliveryDeps) {
  const { chats, logger, cache } = deps;
  const clock = deps.clock ?? Date.now;
  const timeoutMs = deps.timeoutMs ?? 30_000;
  const longTimeoutMs = deps.longTimeoutMs ?? Math.max(timeoutMs * 4, 120_000);
  /** failures in a row per subscription (Telegram unreachable), for the backoff */
  const failures = new Map<SubKey, number>();

  function backoff(key: SubKey): number {
    const n = (failures.get(key) ?? 0) + 1;
    failures.set(key, n);
    if (failures.size > 100_000) failures.delete(failures.keys().next().value!);
    return Math.min(BACKOFF_MAX_MS, (deps.backoffFirstMs ?? BACKOFF_FIRST_MS) * 2 ** (n - 1)) * (0.8 + Math.random() * 0.4);
  }

  /**
   * A send slot (src/delivery/slot.ts), or PutBack when the chat must wait
   * longer than a second. Resolves with its deadline. Per chat, not per
   * topic: Telegram counts a group's messages together, whatever the topic.
   */
  async function slot(chatId: number): Promise<number> {
    const s = await takeSlot(deps.limiter, chatId);
    if (!s.ok) throw new PutBack(clock() + s.waitMs, "flood limit");
    return s.deadline;
  }

  /**
   * One call to Telegram for the chat, with its slot: the message id on
   * success, null when Telegram refused this message for good (logged as a
   * dead letter; the delivery goes on without it). The chat's other fates
   * end the delivery (Stop / PutBack). Each settled answer is told to the
   * meter under `kind` (an edit that cannot be made is a failed edit; its
   * stories then go out as news).
   */
  async function call(
    to: Target & { key: SubKey },
    what: string,
    op: (timeoutMs: number) => Promise<SendOutcome>,
    kind: MessageKind,
  ): Promise<number | "uneditable" | null> {
    const { chatId, key } = to;
    const edit = kind === "edit";
    const counted = (outcome: MessageOutcome) => deps.meter?.message(kind, outcome);
    let ambiguous = false;
    for (;;) {
      const deadline = await slot(chatId);
      if (performance.now() > deadline) {
        logger.debug({ chatId }, "delivery: slot missed (busy event loop), taking a new one");
        continue;
      }
      const out = await op(ambiguous ? longTimeoutMs : timeoutMs);
      switch (out.kind) {
        case "sent":
          failures.delete(key);
          counted("sent");
          return out.messageId;
        case "uneditable":
          counted("failed");
          return "uneditable";
        case "migrated":
          logger.info({ from: chatId, to: out.to }, "telegram: group upgraded to supergroup, its timeline moves to the new id");
          await deps.subscribers.migrate(chatId, out.to);
          await chats.migrate(chatId, out.to);
          await chats.dueAt(out.to, clock());
          throw new Stop({ kind: "migrated", to: out.to });
        case "flood":
          counted("rate_limited");
          logger.warn({ chatId, retryAfterMs: out.retryAfterMs }, "telegram: flood limit (429), pausing deliveries");
          await deps.limiter.pauseAll(out.retryAfterMs);
          throw new PutBack(clock() + out.retryAfterMs, "429");
        case "gone":
          counted("blocked");
          // Every subscription of the chat ends (its topics too), whichever delivery met it first.
          if (await deps.gone.chat(chatId, out.reason)) await deps.ledger.count("blocked");
          throw new Stop({ kind: "gone" });
        case "topic-gone":
          counted("blocked");
          // That topic alone: the chat's other topics, and its own subscription, go on.
          await deps.gone.topic(to, out.reason);
          throw new Stop({ kind: "topic-gone" });
        case "rejected":
          counted("failed");
          if (edit) return "uneditable";
          logger.warn({ chatId, what, reason: out.reason }, "delivery: Telegram refused the message");
          await deps.ledger.deadLetter({ at: clock(), chatId, what, reason: out.reason });
          await deps.ledger.count("failed");
          return null;
        case "transient":
          if (out.maybeSent && !edit) {
            if (ambiguous && out.timedOut) {
              // Twice without an answer: it most likely arrived. Counted as sent — at most one extra copy.
              logger.warn({ chatId, what, reason: out.reason }, "delivery: no answer twice, counting the message as sent");
              counted("sent");
              return 0;
            }
            // Dropped again rather than unanswered: Telegram is unreachable, not slow — the chat waits, nothing is counted as sent.
            if (ambiguous) throw new PutBack(clock() + backoff(key), out.reason);
            ambiguous = true;
            logger.info({ chatId, what, reason: out.reason }, "delivery: no answer, trying once more with a long timeout");
            continue;
          }
          throw new PutBack(clock() + backoff(key), out.reason);
      }
    }
  }

  /** Related stories, merged reports (those on the timeline up to `head`) and the item itself, for rendering. */
  async function entriesFor(list: readonly TimelineStory[], head: number): Promise<StoryEntry[]> {
    const also = await deps.stories.also(list.map((s) => s.item.key));
    const upToHead = (key: string) => (cache.seqOf(key) ?? 0) <= head;
    const wanted = list.flatMap((s) => [...(s.record.related ?? []), ...(also.get(s.item.key) ?? []).filter(upToHead)]);
    const byKey = await cache.itemsByKey(wanted);
    const withLang = (i: Item): Report => {
      const lang = deps.langOf?.(i.sourceId);
      return lang && lang !== "und" ? { ...i, lang } : i;
    };
    const pick = (keys: readonly string[]) =>
      keys
        .map((k) => byKey.get(k))
        .filter((i): i is Item => i !== undefined)
        .map(withLang);
    return list.map((s) => {
      const merged = pick((also.get(s.item.key) ?? []).filter(upToHead));
      const related = pick(s.record.related ?? []);
      const item = withLang(s.item);
      return merged.length ? { item, related, also: merged } : { item, related };
    });
  }

  function render(layout: Layout, entries: StoryEntry[], fmt: FormatOptions, prefs: ChatPrefs): Outgoing[] {
    if (layout.kind === "digest") {
      const m = deps.format.digest(entries, layout.more, fmt);
      return m ? [m] : [];
    }
    return entries.map((e) => {
      const m = deps.format.news(e, fmt);
      // Off by default: the card's own preview only for chats that chose previews.
      return prefs.previews
        ? { ...m, link_preview_options: { url: e.item.link, prefer_small_media: true } }
        : { ...m, link_preview_options: { is_disabled: true } };
    });
  }

  /**
   * The message `m` as it should read now (its stories' merged reports grown),
   * and which stories it shows; null when it cannot be rebuilt or shows none
   * of `rootKeys`.
   */
  async function rerender(
    m: SentMessage,
    rootKeys: readonly string[],
    state: ChatState,
    prefs: ChatPrefs,
    fmt: FormatOptions,
    head: number,
  ): Promise<{ msg: Outgoing; shows: Set<string> } | null> {
    const ok = (s: TimelineStory) => passes(prefs, s.facts, s.text, compiled(prefs));
    if (!m.digest) {
      const root = (await cache.range(m.to - 1, m.to, 1)).stories[0];
      if (!root || !rootKeys.includes(root.item.key)) return null;
      const [entry] = await entriesFor([root], head);
      return entry ? { msg: render({ kind: "cards", stories: [root] }, [entry], fmt, prefs)[0]!, shows: new Set([root.item.key]) } : null;
    }
    const { stories, skipped } = await cache.range(m.from, m.to, MAX_READ);
    const earlier = state.sent.filter((x) => x.to <= m.from);
    const c = classify(stories, ok, deps.merging);
    const rootSeqs = await deps.items.timelineSeqs([...c.reports.keys()]);
    const news = [...c.news];
    [...c.reports.entries()].forEach(([, reports], i) => {
      const seq = rootSeqs[i];
      if (seq === null || seq === undefined || !messageCarrying(earlier, seq)) news.push(...reports);
    });
    news.sort((a, b) => a.seq - b.seq);
    const layout = layoutDelivery(news, { digestMode: true, threshold: 0, skipped });
    if (layout?.kind !== "digest" || !layout.shown.some((s) => rootKeys.includes(s.item.key))) return null;
    const msg = render(layout, await entriesFor(layout.shown, head), fmt, prefs)[0];
    return msg ? { msg, shows: new Set(layout.shown.map((s) => s.item.key)) } : null;
  }

  const compiledCache = new WeakMap<ChatPrefs, ReturnType<typeof compileRules>>();
  function compiled(prefs: ChatPrefs) {
    let c = compiledCache.get(prefs);
    if (c === undefined) compiledCache.set(prefs, (c = compileRules(prefs.keywords)));
    return c;
  }

  async function scheduleDigest(key: SubKey, prefs: ChatPrefs) {
    const at = nextDigestAt(prefs.mode, zoneOf(prefs, deps.timezone), clock());
    if (at !== null) await chats.dueAt(key, at);
  }

  async function run(key: SubKey, waitedMs: number): Promise<DeliveryResult> {
    const target = parseSubKey(key);
    const sub = target ? await deps.subscribers.get(key) : null;
    if (!target || !sub) {
      await chats.notDue(key);
      return { kind: "unsubscribed" };
    }
    const to = { ...target, key };
    const { chatId, thread } = target;
    const { prefs } = sub;
    const head = await chats.planned();
    const state = await chats.get(key);
    if (!state) {
      await chats.start(key, head);
      return { kind: "nothing" };
    }
    const digestMode = prefs.mode.kind !== "now";
    const now = clock();
    // In the chat's language and time zone.
    const fmt: FormatOptions = formatFor(deps.translator, prefs, deps.timezone, now);
    const silent = inQuietHours(prefs.quiet, fmt.timezone, now);
    if (state.cursor >= head) {
      if (digestMode) await scheduleDigest(key, prefs);
      return { kind: "nothing" };
    }

    const { stories, skipped, from } = await cache.range(state.cursor, head, MAX_READ);
    const ok = (s: TimelineStory) => passes(prefs, s.facts, s.text, compiled(prefs));
    const c = classify(stories, ok, deps.merging);

    // Later reports of stories the chat has: edit the message that carries the story.
    const rootKeys = [...c.reports.keys()];
    const rootSeqs = await deps.items.timelineSeqs(rootKeys);
    const news = [...c.news];
    // One digest may carry several of those stories: one edit for all of them.
    const edits = new Map<SentMessage, string[]>();
    rootKeys.forEach((root, i) => {
      const seq = rootSeqs[i];
      const m = seq === null || seq === undefined ? undefined : messageCarrying(state.sent, seq);
      if (m) edits.set(m, [...(edits.get(m) ?? []), root]);
      else news.push(...c.reports.get(root)!);
    });
    let edited = 0;
    for (const [m, roots] of edits) {
      const re = await rerender(m, roots, state, prefs, fmt, head);
      const shown = roots.filter((r) => re?.shows.has(r));
      // A story the message no longer shows: its later reports are news.
      for (const root of roots) if (!shown.includes(root)) news.push(...c.reports.get(root)!);
      if (!re || shown.length === 0) continue;
      const reports = shown.flatMap((r) => c.reports.get(r)!);
      const { msg } = re;
      const r = await call(to, `edit ${shown.join(", ")}`, (t) => editOnce(deps.api, chatId, m.messageId, msg, { timeoutMs: t }), "edit");
      if (r === "uneditable" || r === null) news.push(...reports);
      else {
        edited++;
        await deps.ledger.count("merged", reports.length);
      }
    }
    news.sort((a, b) => a.seq - b.seq);

    let sent = 0;
    const layout = layoutDelivery(news, { digestMode, threshold: waitedMs > WAITED_MS ? 1 : deps.threshold, skipped });
    if (layout) {
      const list = layout.kind === "digest" ? layout.shown : layout.stories;
      const messages = render(layout, await entriesFor(list, head), fmt, prefs);
      for (const [i, msg] of messages.entries()) {
        const card = layout.kind === "cards" ? layout.stories[i]! : null;
        const what = card ? `news ${card.item.key}` : `digest of ${list.length} for chat ${key}`;
        const r = await call(to, what, (t) => sendOnce(deps.api, chatId, msg, { silent, thread, timeoutMs: t }), card ? "news" : "digest");
        const id = r === "uneditable" ? null : r;
        if (card) {
          state.cursor = card.seq;
          if (id) state.sent.push({ from: card.seq - 1, to: card.seq, messageId: id, digest: false });
        } else {
          state.cursor = head;
          if (id) state.sent.push({ from, to: head, messageId: id, digest: true });
        }
        // Right after Telegram took it: a crash from here on does not send it again.
        await chats.save(key, state);
        if (id !== null) sent++;
      }
    }
    state.cursor = head;
    await chats.save(key, state);
    if (sent) await deps.ledger.count("sent", sent);
    if (digestMode) await scheduleDigest(key, prefs);
    return sent || edited ? { kind: "sent", messages: sent, edits: edited } : { kind: "nothing" };
  }

  /**
   * Delivers to the subscription `ref` — a chat id, or a key "chatId:thread"
   * for a forum topic — (whose claim the caller holds); puts it back in the
   * due set when it must wait. `waitedMs`: how long it had been due.
   */
  async function deliver(ref: ChatRef, o: { waitedMs?: number } = {}): Promise<DeliveryResult> {
    const key = keyOf(ref);
    try {
      return await run(key, o.waitedMs ?? 0);
    } catch (err) {
      if (err instanceof Stop) return err.result;
      if (err instanceof PutBack) {
        await chats.dueAt(key, err.retryAt);
        return { kind: "later", retryAt: err.retryAt, reason: err.reason };
      }
      // Our own trouble (Redis away, a bug): the chat stays due, tried again with backoff.
      const retryAt = clock() + backoff(key);
      logger.warn({ sub: key, err: (err as Error).message }, "delivery: chat delivery failed, trying again later");
      const putBack = await chats.dueAt(key, retryAt).then(
        () => true,
        () => false,
      );
      return { kind: "later", retryAt, reason: (err as Error).message, keepClaim: !putBack };
    }
  }

  return { deliver };
}

export type ChatDelivery = ReturnType<typeof createChatDelivery>;
