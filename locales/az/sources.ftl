# Mənbələrin idarəsi: /addsource, /rmsource, /enablesource, /opml, adminlər üçün /sources görünüşü
# və lent xətalarının mətnləri (feed-err-…).
# (HTML): parse_mode HTML ilə göndərilir — < > & əvəzinə &lt; &gt; &amp; yazın. Qalanları adi mətndir.

## /sources (HTML)
src-sources-not-subscribed = /start ilə abunə olun, sonra /settings bölməsində bunlardan hansılarını alacağınızı seçin.

## Adminlər üçün /sources (HTML)
src-health-title = 📡 <b>Mənbələr</b> ({ $total }: { $counts })
src-health-count-on = { $count } aktiv
src-health-count-off = { $count } söndürülüb
src-health-count-failing = { $count } xətalı
src-health-empty = Hələ xəbər mənbəyi yoxdur. Birini əlavə edin: /addsource &lt;ünvan&gt;.
src-health-footer = /addsource &lt;ünvan&gt; · /rmsource &lt;id&gt; · /enablesource &lt;id&gt; · /opml
src-health-added-in-chat = çatda əlavə edilib
src-health-switched-off = söndürülüb — /enablesource { $id }
src-health-disabled = dayandırılıb ({ $ago }): ardıcıl { $failures } xəta, sonuncu: { $error } — /enablesource { $id }
# köhnə versiyanın yazısı: səbəb saxlandığı kimi (ingiliscə)
src-health-disabled-legacy = dayandırılıb ({ $ago }): { $reason } — /enablesource { $id }
src-health-not-polled = hələ yoxlanılmayıb
src-health-failures = ardıcıl { $count } xəta
src-health-last-error = son xəta: { $error }
src-health-never-succeeded = heç vaxt uğurla yoxlanılmayıb
src-health-last-success = son uğurlu yoxlama: { $ago }
src-health-no-success = hələ uğurlu yoxlama olmayıb
src-health-ok = yoxlanılıb: { $ago }
src-health-per-day = gündə { $rate }
src-health-last-new = son yeni xəbər: { $ago }
# nə qədər əvvəl (bir gündən çox: tarix və saat)
src-ago-now = indicə
src-ago-minutes = { $count } dəq əvvəl
src-ago-hours = { $count } saat əvvəl

## Admin /sources görünüşündə məqalələrin ilk cümlələri (HTML)
src-leads-title = 📄 <b>Məqalələrin ilk cümlələri</b>, son 7 gün (yararlı təsviri olmayan yeni xəbərlər: əvvəli məqalə səhifəsindən götürülür)
src-leads-counts = alındı: { $fetched }, alınmadı: { $failed }

## /addsource
# adi mətn
src-add-usage = İstifadə: /addsource <ünvan> [fulltext=auto|always|never] — lentin ünvanı və ya xəbər saytının səhifəsi (lenti bot özü tapacaq). fulltext=auto (susmaya görə) olanda təsviri olmayan yeni xəbər məqaləsinin ilk cümlələrini alır; fulltext=always — hər yeni xəbər; fulltext=never — heç biri. Artıq olan mənbənin ünvanı ilə verilsə, parametr o mənbədə dəyişir.
src-add-invalid = «{ $input }» veb ünvan deyil. { src-add-usage }
src-add-bad-option = «{ $option }» /addsource əmrinin parametri deyil. { src-add-usage }
src-add-failed = { $url } əlavə edilə bilmədi: { $error }
# HTML
src-add-known = Artıq mənbələr arasındadır: { $source }.
src-add-known-behind = Artıq mənbələr arasındadır: { $source } ({ $url }).
# HTML; $mode — "auto", "always" və ya "never"
src-add-fulltext = 📄 { $mode ->
        [auto] Təsviri olmayan yeni xəbər məqalə səhifəsinin ilk cümlələrini alacaq (fulltext=auto).
        [always] Hər yeni xəbər daha qısa təsvirin yerinə məqalə səhifəsinin ilk cümlələrini alacaq (fulltext=always).
       *[never] Onun xəbərləri üçün məqalə səhifəsindən ilk cümlələr götürülmür (fulltext=never).
    }
src-add-fulltext-was = Əvvəl: fulltext={ $mode }.
src-add-fulltext-same = Elə də idi.
src-add-fulltext-file = Bu mənbənin fulltext parametri çatda deyil, mənbələr faylında (SOURCES_FILE) təyin olunur.
src-add-done =
    ✅ { $source } əlavə edildi.
    Növbəti dövrdən yoxlanılacaq. Lentdə indi olan xəbərlər artıq görülmüş sayılır: abunəçilər yalnız yeniləri alacaq.
# düymələr və düymə cavabları (adi mətn, qısa)
src-add-button-add = ✅ Əlavə et
src-add-button-cancel = ✖️ Ləğv et
src-add-expired = Bu önizləmənin vaxtı bitib və ya ona artıq cavab verilib. /addsource əmrini yenidən göndərin.
src-add-cancelled = Ləğv edildi.
src-add-not-added = ✖️ Əlavə edilmədi.
src-add-full = Mənbə siyahısı doludur: əvvəlcə bir mənbəni silin.
src-add-duplicate = Bu artıq mənbədir.
src-add-added = Əlavə edildi.

## /addsource önizləməsi (HTML)
src-preview-via-direct = ünvanın özü lentdir
src-preview-via-link = səhifədəki lent keçidi ilə tapıldı
src-preview-via-common-path = saytın standart lent ünvanında tapıldı
src-preview-facts = { $via } · hazırda lentdə { $count } xəbər · id <code>{ $id }</code>
src-preview-latest = { $count ->
        [one] Son xəbər:
       *[other] Son { $count } xəbər:
    }
src-preview-empty = Hazırda lentdə xəbər yoxdur.
src-preview-question = Mənbələrə əlavə edilsin? (Önizləmə 15 dəqiqə qüvvədədir.)

## /rmsource
# adi mətn
src-rm-usage = İstifadə: /rmsource <id> — mənbələrin id-ləri /sources siyahısındadır.
src-rm-not-found = «{ $id }» id-li mənbə yoxdur. { src-rm-usage }
# HTML
src-rm-removed = 🗑 { $source } silindi. Ondan artıq heç nə yüklənmir.
src-rm-switched-off = ⏸ { $source } mənbələr faylındandır və bot həmin faylı dəyişə bilmir, ona görə də mənbə söndürüldü: artıq yoxlanılmır. Yenidən yandırmaq üçün: /enablesource { $id }.
src-rm-already-off = { $source } artıq söndürülüb. Yenidən yandırmaq üçün: /enablesource { $id }.

## /enablesource
# adi mətn
src-enable-usage = İstifadə: /enablesource <id> — mənbələrin id-ləri /sources siyahısındadır.
src-enable-not-found = «{ $id }» id-li mənbə yoxdur. { src-enable-usage }
# HTML
src-enable-already-on = { $source } artıq aktivdir.
src-enable-done = ▶️ { $source } yenidən aktivdir: növbəti dövrdə yoxlanılacaq.
src-enable-done-reset = ▶️ { $source } yenidən aktivdir, xəta sayğacı sıfırlandı: növbəti dövrdə yoxlanılacaq.

## /opml (adi mətn; «/opml import» botun axtardığı başlıqdır: dəyişməyin)
src-opml-usage = İstifadə: /opml — mənbə siyahısı OPML faylı kimi. Fayl idxal etmək üçün .opml faylını /opml import başlığı ilə göndərin və ya ona /opml ilə cavab verin.
src-opml-nothing = Hələ ixrac ediləcək mənbə yoxdur.
src-opml-caption = OPML formatında { $count } mənbə. Bota idxal etmək üçün bu faylı /opml import başlığı ilə göndərin.
src-opml-the-file = fayl
src-opml-too-big = { $file } idxal edilə bilmədi: fayl { $limit } həddini aşır.
src-opml-download-failed = { $file } endirilə bilmədi: { $error }
src-opml-unreadable = { $file } idxal edilə bilmədi: { $problem }.
src-opml-not-opml = OPML faylı deyil (<opml> elementi yoxdur)
src-opml-entities = imtina edildi: faylda XML varlıqları elan olunub
src-opml-empty = { $file } idxal edilə bilmədi: faylda heç bir lent yoxdur (xmlUrl olan <outline> yoxdur).
# $listed: « (id, id, …)» və ya heç nə
src-opml-added = 📥 OPML idxalı: { $count } mənbə əlavə edildi{ $listed }.
src-opml-duplicates = Artıq siyahıdadır: { $count }.
src-opml-full = Əlavə edilmədi, siyahı doludur: { $count }.
src-opml-truncated = Oxunmadı, bir faylda { $max } lentdən çoxdur: { $count }.
src-opml-skipped = Buraxıldı ({ $count }):
src-opml-skipped-more = …və daha { $count }
src-opml-polled = Növbəti dövrdən yoxlanılacaq.
src-opml-skip-url = { $label }: yararsız ünvan (yalnız http və ya https)
src-opml-skip-id = { $label }: yararsız id
src-opml-skip-name = { $label }: yararlı ad yoxdur
src-opml-skip-field = { $label }: «{ $field }» sahəsinin dəyəri yanlışdır
src-opml-skip-refused = { $label }: { $error }

## Lent xətaları (adi mətn; HTML üçün kod özü ekranlaşdırır). Hər biri bir qısa sətir.
feed-err-unknown = xəta ({ $kind })
feed-err-internal = daxili xəta (jurnala yazıldı)
feed-err-internal-error = daxili xəta: { $error }
feed-err-timeout = { $seconds } san ərzində cavab gəlmədi
feed-err-http = server HTTP { $status } cavabı verdi
feed-err-http-no-location = Location başlığı olmadan HTTP { $status }
feed-err-http-unexpected-304 = keş şərtləri olmayan sorğuya HTTP 304 cavabı
feed-err-http-no-file-path = Telegram fayl üçün endirmə yolu vermədi
feed-err-too-large = cavab { $limit } həddini aşır
feed-err-too-large-decompressed = açıldıqdan sonra cavab { $limit } həddini aşır
feed-err-too-large-file = fayl { $limit } həddini aşır
feed-err-size-mb = { $size } MB
feed-err-size-kb = { $size } KB
feed-err-size-bytes = { $size } bayt
feed-err-redirects = yönləndirmə xətası
feed-err-redirects-unsupported = dəstəklənməyən ünvana yönləndirmə ({ $url })
feed-err-redirects-loop = yönləndirmələr dövrəyə düşdü: { $url }
feed-err-redirects-too-many = həddən çox yönləndirmə
# şəbəkə xətaları: server məlumdursa, kod « (server)» əlavə edir
feed-err-network = şəbəkə xətası
feed-err-network-aborted = sorğu dayandırıldı
feed-err-network-not-http = http(s) ünvanı deyil: { $url }
feed-err-network-dns = server tapılmadı
feed-err-network-refused = server bağlantını rədd etdi
feed-err-network-reset = server bağlantını qırdı
feed-err-network-timeout = bağlantının gözləmə vaxtı bitdi
feed-err-network-unreachable = server əlçatan deyil
feed-err-network-bad-http = yanlış HTTP cavabı
feed-err-network-tls = TLS xətası { $code }
feed-err-network-closed = bağlantı cavab tam gəlmədən bağlandı
feed-err-network-encoding = dəstəklənməyən sıxılma (Content-Encoding «{ $coding }»)
feed-err-network-decompress = { $coding } cavabı açıla bilmədi ({ $error })
# $error: sistemin öz mesajı
feed-err-network-other = şəbəkə xətası: { $error }
feed-err-not-a-feed = lent deyil
feed-err-not-a-feed-empty = boş cavab
feed-err-not-a-feed-media = lent deyil ({ $type })
feed-err-not-a-feed-binary = lent deyil (ikili məlumat)
feed-err-not-a-feed-html = lent deyil (HTML səhifəsi)
feed-err-not-a-feed-no-root = lent deyil (XML kök elementi yoxdur)
feed-err-not-a-feed-plain-text = lent deyil (adi mətn)
feed-err-not-a-feed-xml-root = lent deyil (XML kök elementi <{ $root }>)
feed-err-not-a-feed-invalid-json = lent deyil (yanlış JSON)
feed-err-not-a-feed-json = lent deyil (JSON, amma JSON Feed formatında deyil)
feed-err-not-a-feed-none-found = lent tapılmadı: səhifə heç bir lent göstərmir, { $paths } ünvanlarında da heç nə cavab vermir
feed-err-not-a-feed-none-working = lent tapılmadı: səhifədə göstərilən lentlərin heç biri işləmir, { $paths } ünvanlarında da heç nə cavab vermir
feed-err-not-a-feed-bad-source = { $url } ünvanından mənbə yaratmaq olmur: { $issue }
# $error: XML analizatorunun öz mesajı
feed-err-parse = lenti oxumaq alınmadı
feed-err-parse-xml = yanlış XML: { $error } (sətir { $line }, sütun { $column })
feed-err-parse-structure = lentin strukturunu oxumaq alınmadı ({ $error })
feed-err-parse-other = lenti oxumaq alınmadı ({ $error })
feed-err-refused = imtina edildi
feed-err-refused-entities = imtina edildi: sənəddə XML varlıqları elan olunub
# $why: aşağıdakı feed-err-addr-… mətnlərindən biri
feed-err-refused-address = imtina edildi: { $address } — { $why }; yalnız ictimai ünvanlara icazə verilir
feed-err-refused-resolves = imtina edildi: { $host } { $address } ünvanına yönəlir — { $why }; yalnız ictimai ünvanlara icazə verilir
# Botun yükləmədiyi ünvanın növü
feed-err-addr-this-network = «bu şəbəkə» ünvanı ({ $range })
feed-err-addr-private = daxili şəbəkə ünvanı ({ $range })
feed-err-addr-cgnat = provayder NAT ünvanı ({ $range })
feed-err-addr-loopback = geri dönmə ünvanı
feed-err-addr-metadata = bulud metaməlumat xidmətinin ünvanı
feed-err-addr-link-local = kanal daxili lokal ünvan ({ $range })
feed-err-addr-reserved = rezerv edilmiş ünvan ({ $range })
feed-err-addr-reserved-broadcast = rezerv edilmiş ünvan ({ $range }, yayım ünvanı daxil)
feed-err-addr-documentation = sənədləşdirmə ünvanı ({ $range })
feed-err-addr-benchmarking = performans testləri ünvanı ({ $range })
feed-err-addr-multicast = qrup yayımı ünvanı
feed-err-addr-unspecified = təyin olunmamış ünvan
feed-err-addr-local-nat64 = lokal NAT64 ünvanı ({ $range })
feed-err-addr-reserved-v6 = rezerv edilmiş IPv6 ünvanı ({ $range })
feed-err-addr-discard = trafikin atılması üçün ünvan ({ $range })
feed-err-addr-unique-local = unikal lokal ünvan ({ $range })
feed-err-addr-site-local = sayt daxili lokal ünvan ({ $range })
feed-err-addr-mapped = { $v4 } ünvanının IPv6 yazılışı, { $why }
feed-err-addr-nat64 = { $v4 } ünvanının NAT64 yazılışı, { $why }
feed-err-addr-6to4 = { $v4 } ünvanının 6to4 yazılışı, { $why }
