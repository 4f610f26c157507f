# What a subscriber sees in news cards, digests, /latest and /sources (src/news/compose.ts).
# Plain text unless noted as HTML; values are escaped by the caller.

## The card of one story
card-untitled = Untitled story
card-read-more = Read more →
card-also-heading = Also reported by
card-also-more = …and { $count } more
card-related-heading = Related

## Digests (several stories in one message) and list entries
# { $count }: stories in the whole digest; they are listed newest first, and the header says so
digest-header = 📰 { $count ->
        [one] { $count } new story
       *[other] { $count } new stories, newest first
    }
digest-header-part = 📰 { $count ->
        [one] { $count } new story
       *[other] { $count } new stories, newest first
    } ({ $part }/{ $parts })
# HTML: { $outlets } are links — other outlets' reports of the same story
digest-also = Also reported by: { $outlets }
digest-also-more = Also reported by: { $outlets } +{ $count } more
# HTML: { $stories } are linked headlines with their outlets — other events, related to this one
digest-related = Related: { $stories }
# The stories a digest had no room for: the oldest
digest-more = …and { $count ->
        [one] { $count } older story
       *[other] { $count } older stories
    }

## /latest
# { $count }: stories listed, newest first
latest-header = 🗞 { $count ->
        [one] The latest story
       *[other] Latest { $count } stories, newest first
    }
latest-header-part = 🗞 { $count ->
        [one] The latest story
       *[other] Latest { $count } stories, newest first
    } ({ $part }/{ $parts })
latest-empty = No news yet — sources are polled every few minutes.
latest-usage = Usage: /latest [n] — the n newest stories, n from 1 to { $max } (default { $default }). Example: /latest 3. /latest all [n] ignores this chat's filters.
latest-nothing-passes = No recent stories pass this chat's filters (/settings). /latest all shows every story.

## /sources
sources-list-empty = No news sources are configured yet.
# HTML
sources-list-header = 📡 <b>News sources</b> ({ $count })
sources-list-more = …and { $count } more
