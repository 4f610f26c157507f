# What a subscriber sees in news cards, digests, /latest and /sources (src/news/compose.ts).
# Plain text unless noted as HTML; values are escaped by the caller.

## The card of one story
card-untitled = Untitled story
card-read-more = Read more →
card-also-heading = Also reported by
card-also-more = …and { $count } more
card-related-heading = Related

## Digests (several stories in one message) and list entries
# { $count }: stories in the whole digest
digest-header = 📰 { $count ->
        [one] { $count } new story
       *[other] { $count } new stories
    }
digest-header-part = 📰 { $count ->
        [one] { $count } new story
       *[other] { $count } new stories
    } ({ $part }/{ $parts })
# HTML: { $outlets } are links
digest-also = Also: { $outlets }
digest-also-more = Also: { $outlets } +{ $count } more
digest-more = …and { $count } more — /latest for the newest

## /latest
latest-header = 🗞 Latest news
latest-header-part = 🗞 Latest news ({ $part }/{ $parts })
latest-empty = No news yet — sources are polled every few minutes.
latest-usage = Usage: /latest [n] — the n newest stories, n from 1 to { $max } (default { $default }). Example: /latest 3. /latest all [n] ignores this chat's filters.
latest-nothing-passes = No recent stories pass this chat's filters (/settings). /latest all shows every story.

## /sources
sources-list-empty = No news sources are configured yet.
# HTML
sources-list-header = 📡 <b>News sources</b> ({ $count })
sources-list-more = …and { $count } more
