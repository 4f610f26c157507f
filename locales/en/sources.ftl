# Source management: /addsource, /rmsource, /enablesource, /opml, the admin view of /sources,
# and the words for every feed error (feed-err-…).
# Marked (HTML): sent with parse_mode HTML — write &lt; &gt; &amp; for < > &; the values are escaped by the code.
# Everything else is plain text: write < > & as they are.

## /sources (HTML)
src-sources-not-subscribed = Subscribe with /start, then choose which of these you get with /settings.

## The admin view of /sources (HTML)
src-health-title = 📡 <b>Sources</b> ({ $total }: { $counts })
src-health-count-on = { $count } on
src-health-count-off = { $count } off
src-health-count-failing = { $count } failing
src-health-empty = No news sources yet. Add one with /addsource &lt;url&gt;.
src-health-footer = /addsource &lt;url&gt; · /rmsource &lt;id&gt; · /enablesource &lt;id&gt; · /opml
src-health-added-in-chat = added in chat
src-health-switched-off = switched off — /enablesource { $id }
src-health-disabled = disabled { $ago }: { $failures ->
        [one] { $failures } failure
       *[other] { $failures } failures
    } in a row, last error: { $error } — /enablesource { $id }
# a record written by an older version: its reason as it was stored (English)
src-health-disabled-legacy = disabled { $ago }: { $reason } — /enablesource { $id }
src-health-not-polled = not polled yet
src-health-failures = { $count ->
        [one] { $count } failure
       *[other] { $count } failures
    } in a row
src-health-last-error = last error: { $error }
src-health-never-succeeded = never succeeded
src-health-last-success = last success { $ago }
src-health-no-success = no success yet
src-health-ok = ok { $ago }
src-health-per-day = { $rate }/day
src-health-last-new = last new story { $ago }
# how long ago (older than a day: the date and time)
src-ago-now = just now
src-ago-minutes = { $count } min ago
src-ago-hours = { $count } h ago

## Article leads in the admin view of /sources (HTML)
src-leads-title = 📄 <b>Article leads</b>, last 7 days (new stories without a usable summary, their first sentences read from the article page)
src-leads-counts = { $fetched } with a lead, { $failed } without

## /addsource
# plain text
src-add-usage = Usage: /addsource <url> [fulltext=auto|always|never] — a feed's address, or a news site's page (its feed is found for you). With fulltext=auto (the default) a new story without a summary gets the first sentences of its article; fulltext=always: every new story; fulltext=never: none. Given with the address of a source already there, the option changes that source.
src-add-invalid = "{ $input }" is not a web address. { src-add-usage }
src-add-bad-option = "{ $option }" is not an option of /addsource. { src-add-usage }
src-add-failed = Could not add { $url }: { $error }
# HTML
src-add-known = Already a source: { $source }.
src-add-known-behind = Already a source: { $source } ({ $url }).
# HTML; $mode is "auto", "always" or "never"
src-add-fulltext = 📄 { $mode ->
        [auto] A new story without a summary gets the first sentences of its article page (fulltext=auto).
        [always] Every new story gets the first sentences of its article page, in place of a shorter summary (fulltext=always).
       *[never] Its stories never get a lead from their article page (fulltext=never).
    }
src-add-fulltext-was = Changed from fulltext={ $mode }.
src-add-fulltext-same = It already was.
src-add-fulltext-file = Its fulltext option is set in the sources file (SOURCES_FILE), not from the chat.
src-add-done =
    ✅ Added { $source }.
    It is polled from the next tick on. The stories in its feed now count as already seen: subscribers get only new ones.
# buttons and button answers (plain text, short)
src-add-button-add = ✅ Add
src-add-button-cancel = ✖️ Cancel
src-add-expired = This preview has expired or was already answered. Send /addsource again.
src-add-cancelled = Cancelled.
src-add-not-added = ✖️ Not added.
src-add-full = The source list is full: remove a source first.
src-add-duplicate = It is already a source.
src-add-added = Added.

## The /addsource preview (HTML)
src-preview-via-direct = the address is the feed
src-preview-via-link = found through the page's feed link
src-preview-via-common-path = found at a usual feed address of the site
src-preview-facts = { $via } · { $count ->
        [one] { $count } story
       *[other] { $count } stories
    } in the feed now · id <code>{ $id }</code>
src-preview-latest = { $count ->
        [one] Latest story:
       *[other] Latest { $count } stories:
    }
src-preview-empty = The feed has no stories right now.
src-preview-question = Add it to the sources? (This preview expires in 15 minutes.)

## /rmsource
# plain text
src-rm-usage = Usage: /rmsource <id> — the ids are in /sources.
src-rm-not-found = There is no source with the id "{ $id }". { src-rm-usage }
# HTML
src-rm-removed = 🗑 Removed { $source }. Nothing more is fetched from it.
src-rm-switched-off = ⏸ { $source } comes from the sources file, which the bot cannot change, so it is switched off instead: it is no longer polled. /enablesource { $id } turns it back on.
src-rm-already-off = { $source } is already switched off. /enablesource { $id } turns it back on.

## /enablesource
# plain text
src-enable-usage = Usage: /enablesource <id> — the ids are in /sources.
src-enable-not-found = There is no source with the id "{ $id }". { src-enable-usage }
# HTML
src-enable-already-on = { $source } is already on.
src-enable-done = ▶️ { $source } is on again: it is polled at the next tick.
src-enable-done-reset = ▶️ { $source } is on again, its failure count reset: it is polled at the next tick.

## /opml (plain text; "/opml import" is the caption the bot looks for: keep it as it is)
src-opml-usage = Usage: /opml — the source list as an OPML file. To import one, send the .opml file with the caption /opml import, or reply /opml to it.
src-opml-nothing = There are no sources to export yet.
src-opml-caption = { $count ->
        [one] { $count } source
       *[other] { $count } sources
    } as OPML. To import it into a bot, send the file with the caption /opml import.
src-opml-the-file = the file
src-opml-too-big = Could not import { $file }: it is over { $limit }.
src-opml-download-failed = Could not download { $file }: { $error }
src-opml-unreadable = Could not import { $file }: { $problem }.
src-opml-not-opml = not an OPML file (no <opml> element)
src-opml-entities = refused: the file declares XML entities
src-opml-empty = Could not import { $file }: it lists no feeds (no <outline> with an xmlUrl).
# $listed: " (id, id, …)" or nothing
src-opml-added = 📥 OPML import: { $count ->
        [one] { $count } source
       *[other] { $count } sources
    } added{ $listed }.
src-opml-duplicates = Already in the list: { $count }.
src-opml-full = Not added, the list is full: { $count }.
src-opml-truncated = Not read, over { $max } feeds in one file: { $count }.
src-opml-skipped = Skipped { $count }:
src-opml-skipped-more = …and { $count } more
src-opml-polled = They are polled from the next tick on.
src-opml-skip-url = { $label }: not a usable address (http or https only)
src-opml-skip-id = { $label }: no usable id
src-opml-skip-name = { $label }: no usable name
src-opml-skip-field = { $label }: the field "{ $field }" is not valid
src-opml-skip-refused = { $label }: { $error }

## Feed errors (plain text; the code escapes them for HTML). One short line each.
feed-err-unknown = error ({ $kind })
feed-err-internal = internal error (logged)
feed-err-internal-error = internal error: { $error }
feed-err-timeout = timed out after { $seconds } s
feed-err-http = HTTP { $status }
feed-err-http-no-location = HTTP { $status } without a Location header
feed-err-http-unexpected-304 = HTTP 304 to a request without validators
feed-err-http-no-file-path = Telegram gave no download path for the file
feed-err-too-large = body over { $limit }
feed-err-too-large-decompressed = body over { $limit } once decompressed
feed-err-too-large-file = the file is over { $limit }
feed-err-size-mb = { $size } MB
feed-err-size-kb = { $size } KB
feed-err-size-bytes = { $size ->
        [one] { $size } byte
       *[other] { $size } bytes
    }
feed-err-redirects = redirect error
feed-err-redirects-unsupported = redirect to an unsupported URL ({ $url })
feed-err-redirects-loop = redirect loop at { $url }
feed-err-redirects-too-many = too many redirects
# network errors: the code adds " (host)" when it knows the server
feed-err-network = network error
feed-err-network-aborted = request aborted
feed-err-network-not-http = not an http(s) URL: { $url }
feed-err-network-dns = host not found
feed-err-network-refused = connection refused
feed-err-network-reset = connection reset by the server
feed-err-network-timeout = connection timed out
feed-err-network-unreachable = host unreachable
feed-err-network-bad-http = invalid HTTP response
feed-err-network-tls = TLS error { $code }
feed-err-network-closed = connection closed before the body was complete
feed-err-network-encoding = unsupported Content-Encoding "{ $coding }"
feed-err-network-decompress = could not decompress the { $coding } body ({ $error })
# $error: the system's own words
feed-err-network-other = { $error }
feed-err-not-a-feed = not a feed
feed-err-not-a-feed-empty = empty response
feed-err-not-a-feed-media = not a feed ({ $type })
feed-err-not-a-feed-binary = not a feed (binary data)
feed-err-not-a-feed-html = not a feed (HTML page)
feed-err-not-a-feed-no-root = not a feed (no XML root element)
feed-err-not-a-feed-plain-text = not a feed (plain text)
feed-err-not-a-feed-xml-root = not a feed (XML root <{ $root }>)
feed-err-not-a-feed-invalid-json = not a feed (invalid JSON)
feed-err-not-a-feed-json = not a feed (JSON that is not a JSON Feed)
feed-err-not-a-feed-none-found = no feed found: the page announces none and nothing answers at { $paths }
feed-err-not-a-feed-none-working = no feed found: the page announces none that works and nothing answers at { $paths }
feed-err-not-a-feed-bad-source = cannot make a source of { $url }: { $issue }
# $error: the XML parser's own words
feed-err-parse = could not parse the feed
feed-err-parse-xml = not valid XML: { $error } at line { $line }, column { $column }
feed-err-parse-structure = could not read the feed's structure ({ $error })
feed-err-parse-other = could not parse the feed ({ $error })
feed-err-refused = refused
feed-err-refused-entities = refused: document declares entities
# $why: one of the feed-err-addr-… texts below
feed-err-refused-address = refused: { $address } is { $why }; only public addresses are allowed
feed-err-refused-resolves = refused: { $host } resolves to { $address }, { $why }; only public addresses are allowed
# What an address the bot will not fetch is
feed-err-addr-this-network = a "this network" address ({ $range })
feed-err-addr-private = a private address ({ $range })
feed-err-addr-cgnat = a carrier-grade NAT address ({ $range })
feed-err-addr-loopback = a loopback address
feed-err-addr-metadata = the cloud metadata address
feed-err-addr-link-local = a link-local address ({ $range })
feed-err-addr-reserved = a reserved address ({ $range })
feed-err-addr-reserved-broadcast = a reserved address ({ $range }, broadcast included)
feed-err-addr-documentation = a documentation address ({ $range })
feed-err-addr-benchmarking = a benchmarking address ({ $range })
feed-err-addr-multicast = a multicast address
feed-err-addr-unspecified = the unspecified address
feed-err-addr-local-nat64 = a local-use NAT64 address ({ $range })
feed-err-addr-reserved-v6 = a reserved IPv6 address ({ $range })
feed-err-addr-discard = a discard-only address ({ $range })
feed-err-addr-unique-local = a unique local address ({ $range })
feed-err-addr-site-local = a site-local address ({ $range })
feed-err-addr-mapped = the IPv4-mapped form of { $v4 }, { $why }
feed-err-addr-nat64 = the NAT64 form of { $v4 }, { $why }
feed-err-addr-6to4 = the 6to4 form of { $v4 }, { $why }
