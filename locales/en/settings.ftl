# /settings and /filter: the preferences menu, its typed forms and keyword filters.
# Texts of the menu screens are Telegram HTML (arguments escaped by the caller);
# alerts, button labels and typed replies are plain text.

## Values shown in the screens

set-on = on
set-off = off
set-none = none
set-lang-other = other
set-mode-now = as it comes
set-mode-every = a digest every {$hours} h
set-mode-daily = a digest daily at {$at}
set-quiet-hours = {$from}–{$to} (messages arrive silently)
set-zone-default = {$zone} (the bot's default)
set-sources-all = all sources (new ones too)
set-langs-all = all languages
set-none-chosen = none — no news arrives until you choose some
set-sources-some = {$chosen} of {$total ->
    [one] {$total} source
   *[other] {$total} sources
  }
set-and-more = {$list} and {$count} more
set-rules-count = {$count ->
    [one] {$count} rule
   *[other] {$count} rules
  }
set-rules-include = ➕ Only stories with any of: {$rules}
set-rules-exclude = ➖ Never stories with: {$rules}
set-filter-help = <code>+word</code> = only stories with it, <code>-word</code> = never stories with it, <code>"exact phrase"</code> = only stories with that phrase. Add some: <code>/filter +word -word "exact phrase"</code>; <code>/filter clear</code> removes them all.

## What a chat gets, under /sources

set-choice-gets = <b>This chat gets</b> {$sources}, in {$langs}.
set-choice-rules = Keyword filters apply ({$rules}): /filter shows them.
set-choice-no-rules = No keyword filters.
set-choice-change = Change what you get: /settings

## Buttons

set-btn-back = ⬅️ Back
set-btn-sources = 📡 Sources
set-btn-langs = 🌐 Languages
set-btn-keywords = 🔎 Keywords
set-btn-delivery = 📬 Delivery
set-btn-quiet = 🌙 Quiet hours
set-btn-previews = 🔗 Link previews
set-btn-language = 💬 Bot language: {$name}
set-btn-all-sources = All sources
set-btn-all-langs = All languages
set-btn-now = As it comes
set-btn-hours = {$hours} h
set-btn-daily = Daily {$at}
set-btn-zone = 🕰 Time zone
set-btn-zone-default = Bot default ({$zone})
set-btn-on = On
set-btn-off = Off
set-btn-clear = 🗑 Clear all

## The main screen

set-main-title = <b>⚙️ Settings for this chat</b>
set-main-title-topic = <b>⚙️ Settings for this topic</b>
set-main-title-of = <b>⚙️ Settings for {$title}</b>
set-main-sources = 📡 Sources: {$value}
set-main-langs = 🌐 Languages: {$value}
set-main-keywords = 🔎 Keywords: {$value}
set-main-delivery = 📬 Delivery: {$value}
set-main-zone = 🕰 Time zone: {$value}
set-main-quiet = 🌙 Quiet hours: {$value}
set-main-previews = 🔗 Link previews: {$value}
set-main-language = 💬 Bot language: {$value}
set-main-hint = Tap what to change.

## The other screens

set-page = (page {$page}/{$pages})
set-you-get = You get: {$value}.
set-now = Now: {$value}.
set-sources-title = <b>📡 Sources</b>
set-sources-hint = Tap a source to switch it on or off.
set-sources-none = No sources are enabled yet.
set-sources-later = A source added later is not included until you tick it; “All sources” follows every one.
set-langs-title = <b>🌐 Languages</b>
set-langs-hint = The languages of the sources; tap one to switch it on or off. “{$other}” is sources with no language set.
set-langs-none = No sources yet.
set-delivery-title = <b>📬 Delivery</b>
set-delivery-now-info = • <b>As it comes</b>: each story when it is published (several at once arrive as one digest).
set-delivery-every-info = • <b>Every N hours</b>: one digest at local multiples of N from midnight (00:00, 03:00, … for 3 h).
set-delivery-daily-info = • <b>Daily</b>: one digest a day. Any time: <code>/settings time HH:MM</code>
set-delivery-zone = 🕰 Time zone: {$zone}. Change it below or with <code>/settings zone Area/City</code>.
set-zones-title = <b>🕰 Time zone</b>
set-zones-hint = Digest times and quiet hours are in this zone. Not listed? Type <code>/settings zone Area/City</code>, e.g. <code>/settings zone Asia/Baku</code>.
set-quiet-title = <b>🌙 Quiet hours</b>
set-quiet-info = During quiet hours messages still arrive, but silently: no sound, no vibration. The same goes for the admins' announcements. Times are in {$zone}.
set-quiet-typed = Other hours: <code>/settings quiet 23:30-06:30</code>; <code>/settings quiet off</code> turns them off.
set-keywords-title = <b>🔎 Keyword filters</b>
set-keywords-none = None: you get every story of your sources.
set-keywords-remove-hint = Tap ✖ to remove one.
set-previews-title = <b>🔗 Link previews</b>
set-previews-info = When on, a single story's message shows the article's preview (picture and lead) under it; digests never do.
set-language-title = <b>💬 Bot language</b>
set-language-hint = The language the bot writes in here: replies, news and digests.

## Alerts and replies (plain text)

set-not-subscribed = Send /start first to subscribe, then /settings.
set-not-subscribed-other = That chat is not subscribed to the news now.
set-only-admins = Only this group's admins can change its settings.
set-only-admins-other = Only the admins of that chat can change its settings.
set-check-failed = Could not check who may change this chat's settings — please try again.
set-failed = Something went wrong — please try again.
set-menu-stale = This menu is out of date — send /settings again.
set-usage = Usage: /settings opens the menu; or /settings zone Area/City, /settings time HH:MM (a daily digest), /settings quiet HH:MM-HH:MM, /settings quiet off.
set-language-set = Bot language: {$name}

## Why a change was refused

set-err-keep-one-source = Keep at least one source on. /stop pauses all news.
set-err-keep-one-lang = Keep at least one language on. /stop pauses all news.
set-err-keep-one-or-all-source = Keep at least one source on, or choose “All sources”. /stop pauses all news.
set-err-keep-one-or-all-lang = Keep at least one language on, or choose “All languages”. /stop pauses all news.
set-err-too-many-sources = That would be {$count ->
    [one] {$count} source
   *[other] {$count} sources
  }; a chat can choose at most {$max}. Choose “All sources” instead.
set-err-too-many-langs = That would be {$count ->
    [one] {$count} language
   *[other] {$count} languages
  }; a chat can choose at most {$max}. Choose “All languages” instead.
set-err-zone = “{$zone}” is not a time zone. Example: Asia/Baku
set-err-quiet-format = Quiet hours are two times HH:MM-HH:MM, for example 23:00-07:00.
set-err-quiet-same = Quiet hours must start and end at different times.
set-err-hours = A digest comes every {$hours} hours.
set-err-time = A time is HH:MM, for example 07:30.
set-err-mode = Unknown delivery mode.

## The typed forms: /settings zone|time|quiet

set-zone-invalid = “{$zone}” is not a time zone. Example: /settings zone Asia/Baku
set-zone-set = Time zone set to {$zone}: digest times and quiet hours follow it.
set-zone-already = The time zone is {$zone} already.
set-time-invalid = “{$text}” is not a time: use HH:MM, for example /settings time 07:30.
set-time-set = Now: {$mode} ({$zone}).
set-time-already = Already: {$mode} ({$zone}).
set-quiet-invalid = “{$text}” is not quiet hours: use HH:MM-HH:MM, for example /settings quiet 23:00-07:00, or /settings quiet off.
set-quiet-off-done = Quiet hours off: every message arrives with sound.
set-quiet-already-off = Quiet hours are off already.
set-quiet-set = Quiet hours: {$quiet}, in {$zone}.

## Keyword rules that were not added (each names the rule as typed)

set-err-rule-empty = Empty rule: {$text}
set-err-rule-long = Too long (over {$max} characters): {$text}
set-err-rule-no-letters = No letters or digits: {$text}
set-err-rule-words = Too many words (a phrase has at most {$max}): {$text}
set-err-unclosed = Unclosed quote: {$text}
set-err-empty-phrase = Empty phrase: {$text}
set-err-nothing-after = Nothing after {$sign}: write {$sign}word
set-err-repeat = Already there: {$text}
set-err-rule-limit = Not added, a chat has at most {$max} keyword rules: {$text}

## /filter

set-filter-not-subscribed = Send /start first to subscribe, then /filter.
set-filter-none = No keyword filters: you get every story of your sources. Add some: /filter +word -word "exact phrase"
set-filter-meaning = +word = only stories with it, -word = never stories with it, "…" = an exact phrase.
set-filter-cleared = Keyword filters cleared: you get every story of your sources.
set-filter-nothing-to-clear = There were no keyword filters to clear.
set-filter-now-title = <b>🔎 Keyword filters now</b>
set-filter-or-tap = Or tap ✖ in /settings → Keywords.
set-filter-more = …and {$count} more
set-filter-nothing-new = Nothing new added.
