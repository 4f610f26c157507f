# Admin texts: /stats and the alerts admins get.

## /stats (plain text). Counts are numbers (grouped in the locale); $chat and $id are strings.
adm-stats-title = 📊 Bot stats
adm-stats-subscribers = Subscribers: { $count }
adm-stats-sources = Sources: { $count }
adm-stats-queue = Queue: { $waiting } waiting · { $delayed } delayed · { $active } sending
adm-stats-chats = News: { $waiting } chats due now · { $active } being sent to · { $scheduled } scheduled (digests, retries)
adm-stats-today = Today: { $sent } sent · { $merged } merged into earlier messages · { $failed } failed · { $blocked } blocked the bot
adm-stats-dead-letters = Dead letters: { $count }
# one of the latest dead letters; $reason is Telegram's own description of the error
adm-stats-dead-letter = • { $time } chat { $chat } — { $what }: { $reason }
adm-stats-what-news = news { $key }
adm-stats-what-digest = digest of { $count } for chat { $chat }
adm-stats-what-broadcast = broadcast { $id }
adm-stats-broadcast = Broadcast { $id }: { $sent } / { $total } sent · { $failed } failed · { $blocked } blocked

## The alert when a source is disabled after failing too often (HTML: the values are escaped)
adm-source-disabled =
    ⚠️ Source "{ $name }" ({ $id }) is disabled: { $failures ->
        [one] { $failures } poll
       *[other] { $failures } polls
    } in a row failed.
    Last error: { $error }
    Check { $url } and turn it back on with /enablesource { $id }
