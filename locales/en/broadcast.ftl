# Admin broadcasts: the announcement itself, /broadcast, /cancel, and the progress message and report
# (src/news/compose.ts, commands/broadcast.ts, commands/cancel.ts, src/delivery/broadcast-progress.ts).

## The announcement as subscribers get it (HTML; { $name } is escaped by the caller)
bc-announcement = 📢 <b>Announcement</b>
bc-message-from = 📢 <b>Message from { $name }</b>

## /broadcast (plain text unless noted; bc-usage is HTML)
bc-usage = Usage: /broadcast &lt;text&gt; — or reply /broadcast to the message you want to send to every subscriber.
bc-too-long = That is { $length ->
        [one] { $length } character
       *[other] { $length } characters
    }; a broadcast can have at most { $max }.
# HTML
bc-preview-header = 📢 <b>Broadcast preview</b> — goes to { $count ->
        [one] { $count } subscriber
       *[other] { $count } subscribers
    } when you press Send (expires in 15 minutes):
bc-button-send = ✅ Send
bc-button-cancel = ✖️ Cancel
bc-expired = This broadcast has expired. Send /broadcast again.
bc-was-cancelled = This broadcast was cancelled.
bc-on-its-way = This broadcast is already on its way.
bc-cancelled-answer = Cancelled.
bc-cancelled-preview = ✖️ Broadcast cancelled. Nothing was sent.
bc-sending-answer = Sending…

## /cancel
bc-cancel-nothing = Nothing to cancel: no broadcast is being sent.
bc-cancel-stopped = ✖️ Broadcast stopped: it reached { $sent } of { $total ->
        [one] { $total } subscriber
       *[other] { $total } subscribers
    }; the rest will not get it.

## Progress message, report (plain text)
bc-progress-sending = 📢 Sending the broadcast: { $sent } / { $total } sent
bc-progress-eta = { $eta } — /cancel stops it.
bc-progress-finished = 📢 Broadcast sent: { $sent } / { $total } delivered
bc-failed = { $count } failed
bc-blocked = { $count } blocked the bot
bc-skipped = { $count } unsubscribed meanwhile
bc-eta-finishing = finishing…
bc-eta-under-minute = less than a minute left
bc-eta-minutes = about { $minutes } min left
bc-eta-hours = about { $hours } h left
bc-report-finished = 📢 Broadcast finished: sent to { $sent } of { $total ->
        [one] { $total } subscriber
       *[other] { $total } subscribers
    }.
bc-report-counts = Failed: { $failed }. Blocked the bot (unsubscribed): { $blocked }.
bc-report-skipped = Unsubscribed before their turn: { $count }.
bc-cancelled = ✖️ Broadcast stopped by /cancel: it reached { $sent } of { $total ->
        [one] { $total } subscriber
       *[other] { $total } subscribers
    }; the rest will not get it.
bc-interrupted = ⚠️ Broadcast interrupted after it reached { $sent } of { $total ->
        [one] { $total } subscriber
       *[other] { $total } subscribers
    }; the rest will not get it.
bc-interrupted-redis-data-lost = ⚠️ Broadcast interrupted: Redis lost its data after it reached { $sent } of { $total ->
        [one] { $total } subscriber
       *[other] { $total } subscribers
    }; the rest will not get it.
