# The settings Mini App (src/webapp/): the page's words and its API server's answers.
# All plain text, never HTML. A placeholder the page fills itself ({ $word }, { $max },
# { $hours }, { $zone } in the page's texts) reaches it as "{word}": no plural forms on those.

## The page

webapp-title = ⚙️ Settings
webapp-loading = Loading…
webapp-offline = Could not reach the bot. Check the connection and try again.
webapp-chat = Chat
webapp-sources = Sources
webapp-sources-all = All sources
webapp-sources-all-hint = Every source, those added later too.
webapp-sources-later = A source added later is not included until you tick it.
webapp-sources-none = No sources yet.
webapp-langs = Languages of the news
webapp-langs-all = All languages
webapp-langs-hint = Only stories from sources in the ticked languages.
webapp-keywords = Keywords
webapp-kw-include = Only stories with any of these words
webapp-kw-exclude = Never stories with these words
webapp-kw-phrases = Or with one of these exact phrases
webapp-kw-word = Add a word
webapp-kw-phrase = Add a phrase
webapp-kw-add = Add
webapp-kw-remove = Remove { $word }
webapp-kw-repeat = Already there: { $word }
webapp-kw-limit = A chat has at most { $max } keyword rules.
webapp-kw-hint = Without keywords you get every story of your sources.
webapp-delivery = Delivery
webapp-mode = Stories arrive
webapp-mode-now = As they come
webapp-mode-every = In a digest every { $hours } h
webapp-mode-daily = In a daily digest
webapp-daily-at = Digest time
webapp-timezone = Time zone
webapp-zone-default = Bot default ({ $zone })
webapp-delivery-hint = Digest times and quiet hours are in this time zone.
webapp-quiet = Quiet hours
webapp-quiet-on = Messages arrive silently
webapp-quiet-from = From
webapp-quiet-to = To
webapp-quiet-hint = During quiet hours messages still arrive, but with no sound and no vibration.
webapp-messages = Messages
webapp-previews = Link previews
webapp-locale = Bot language
webapp-messages-hint = With link previews on, a single story's message shows the article's picture and lead; digests never do.
webapp-save = Save
webapp-saving = Saving…

## The API server's answers

webapp-unauthorized = This page works only when opened in Telegram. Close it and open the settings from the bot again.
webapp-forbidden = You cannot change this chat's settings: only its admins can.
webapp-not-subscribed = This chat does not get the news now. Send /start there to subscribe.
webapp-bad-request = The page sent something the bot does not understand. Reload the page.
webapp-saved = ✅ Saved: { $chat }.
webapp-unchanged = Nothing to save: these are the settings already.
webapp-failed = Something went wrong. Please try again.
webapp-stale = The list of sources or languages has changed. Reload the page.

## In the chat

webapp-open = ⚙️ Open settings
webapp-menu-button = Settings
webapp-private-title = Your private chat
webapp-topic-title = { $chat } · topic { $topic }
webapp-confirm = ⚙️ Settings for { $chat } were changed in the app.
