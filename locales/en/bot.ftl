# The bot's own texts: commands menu, /help, /start, /stop, /whoami, /language, /channels,
# groups, channels and forum topics. Other areas have their own files beside this one.

## The command menu and /help (each ≤ 256 characters; menus show them beside the text field)
cmd-start = Subscribe to news updates
cmd-latest = The newest stories: /latest [n], n up to 10
cmd-sources = Where the news comes from
cmd-settings = Your sources, languages, keywords, digest times, quiet hours
cmd-filter = Keyword filters: /filter +word -word "phrase"
cmd-language = The bot's language: English, Русский, Azərbaycanca
cmd-channels = Channels you manage that the bot posts in
cmd-stop = Unsubscribe
cmd-whoami = Your Telegram user id and this chat's id (for ADMIN_IDS)
cmd-help = What this bot can do
cmd-broadcast = Send a message to every subscriber: /broadcast <text>, or reply to a message
cmd-cancel = Stop the broadcast being sent
cmd-stats = Subscribers, sources, delivery queue, today's sends, dead letters
cmd-addsource = Add a news source: /addsource <url> (a feed or a site's page)
cmd-rmsource = Remove a source: /rmsource <id> (sources from the file are switched off)
cmd-enablesource = Turn a source back on: /enablesource <id>
cmd-opml = The sources as an OPML file; send one with the caption /opml import to add its feeds

## The bot's profile: shown in an empty chat before /start (≤ 512) and on its profile page (≤ 120)
bot-description =
    Regional and world news as it is published: a headline, a short summary, the link and related coverage from other outlets.
    Choose your sources, languages, keywords, digest times and quiet hours. Works in groups, channels and forum topics.
    Press Start to subscribe.
bot-short-description = News as it is published, with related coverage. Your sources, languages and digest times.

help-about = This bot sends you every new story from its news sources as it is published: headline, a short summary, a link to the article and related coverage from other outlets.
help-admin = Admin:
help-your-id = Your Telegram user id is { $id } (/whoami).
help-groups = In a group, a forum topic or a channel the bot posts there too: a group's admin sends /start in it (in a topic: inside that topic); a channel's admin adds the bot as an administrator who may post.

## /start
start-welcome =
    👋 <b>Welcome to the news!</b> You are subscribed: new stories from { $sources ->
        [one] { $sources } source
       *[other] { $sources } sources
    } will arrive here as they are published, each with a short summary and related coverage.
start-welcome-group =
    👋 <b>News for this chat is on.</b> New stories from { $sources ->
        [one] { $sources } source
       *[other] { $sources } sources
    } will be posted here as they are published. Admins change what comes with /settings and stop it with /stop.
start-welcome-topic =
    👋 <b>News for this topic is on.</b> New stories from { $sources ->
        [one] { $sources } source
       *[other] { $sources } sources
    } will be posted in this topic. Each topic has its own /settings; admins stop it with /stop here.
start-first-steps = Send /latest for the newest stories, /sources for where they come from, /stop to unsubscribe, /help for everything.
start-top-headlines = <b>Top headlines now</b>
start-already = You are already subscribed — new stories will keep arriving here. /latest for the newest, /help for everything.
start-already-here = News is already on here. Admins: /settings to change it, /stop to stop it.
start-only-admins = Only this group's admins can turn news on here.

## /stop
stop-done = You are unsubscribed and will get no more news messages. Send /start any time to come back — your settings are kept.
stop-done-group = News here is stopped. An admin can send /start any time to turn it back on — the settings are kept.
stop-not-subscribed = You were not subscribed. Send /start to get news here.
stop-only-admins = Only this group's admins can stop the news here.
access-check-failed = Could not check who may change this chat's news — please try again.

## /whoami
whoami-user = Your Telegram user id: { $id }
whoami-chat = This chat's id: { $id }
whoami-topic = This topic's id: { $id }
whoami-hint = To make someone an admin of this bot, put their user id in ADMIN_IDS (comma-separated) and restart it.

## What no command took
fallback-unknown = I don't know that command. /help lists what I can do.
fallback-about-new = I send news as it is published. /start to subscribe, /latest for the newest stories, /help for everything.
fallback-about-subscribed = You are subscribed: news arrives here as it is published. /latest for the newest stories, /help for everything.
fallback-stale-button = This button is no longer active.
admin-only = Sorry, only the bot's admins can do that.

## /language
language-choose = Choose the bot's language in this chat:
language-set = Done: the bot now writes in English here.
language-unchanged = The bot already writes in English here.

## Groups
group-hello = 👋 Hi! I post news as it is published. A group admin can send /start here to turn it on (in a forum: inside the topic that should get it).

## Channels
channel-added =
    📢 I can post in <b>{ $title }</b> now, and news is on there: every new story as it is published, in { $language }.
    Change its sources, languages, keywords, digest times and the language of its posts with /channels.
channel-added-again = 📢 I can post in <b>{ $title }</b> again; its news is back on with the settings it had.
channel-no-post-right = ⚠️ I am an administrator of <b>{ $title }</b> but may not post there, so its news is off. Allow me to post messages to turn it on.
channel-removed = ⛔ I was removed from <b>{ $title }</b> or may no longer post there: its news is stopped. Add me back as an administrator who may post to resume — the settings are kept.
channels-none = You manage no channel I post in. Add me to a channel as an administrator who may post messages, and it will appear here.
channels-list = Channels you manage that I post in — press one to change what it gets:
channels-private-only = Send /channels to me in a private chat.
channels-not-admin = You are not an admin of that channel (any more).
channels-gone = I no longer post in that channel.

## Forum topics
topic-gone = ⚠️ The topic that had news from me was closed or deleted, so its news is stopped. An admin can send /start inside another topic to get news there.
language-only-admins = Only this group's admins can change its language.
