# Управление источниками: /addsource, /rmsource, /enablesource, /opml, вид /sources для админов
# и тексты всех ошибок лент (feed-err-…).
# (HTML): отправляется с parse_mode HTML — пишите &lt; &gt; &amp; вместо < > &. Остальное — обычный текст.

## /sources (HTML)
src-sources-not-subscribed = Подпишитесь через /start, а затем выберите в /settings, что из этого получать.

## Вид /sources для админов (HTML)
src-health-title = 📡 <b>Источники</b> ({ $total }: { $counts })
src-health-count-on = { $count } вкл.
src-health-count-off = { $count } выкл.
src-health-count-failing = { $count } с ошибками
src-health-empty = Источников новостей пока нет. Добавьте первый: /addsource &lt;адрес&gt;.
src-health-footer = /addsource &lt;адрес&gt; · /rmsource &lt;id&gt; · /enablesource &lt;id&gt; · /opml
src-health-added-in-chat = добавлен в чате
src-health-switched-off = выключен — /enablesource { $id }
src-health-disabled = отключён { $ago }: { $failures ->
        [one] { $failures } ошибка
        [few] { $failures } ошибки
        [many] { $failures } ошибок
       *[other] { $failures } ошибки
    } подряд, последняя: { $error } — /enablesource { $id }
# запись старой версии: причина так, как была сохранена (по-английски)
src-health-disabled-legacy = отключён { $ago }: { $reason } — /enablesource { $id }
src-health-not-polled = ещё не опрашивался
src-health-failures = { $count ->
        [one] { $count } ошибка
        [few] { $count } ошибки
        [many] { $count } ошибок
       *[other] { $count } ошибки
    } подряд
src-health-last-error = последняя ошибка: { $error }
src-health-never-succeeded = ни одного успешного опроса
src-health-last-success = последний успех { $ago }
src-health-no-success = успешных опросов ещё не было
src-health-ok = опрошен { $ago }
src-health-per-day = { $rate }/день
src-health-last-new = последняя новость { $ago }
# сколько времени назад (больше суток — дата и время)
src-ago-now = только что
src-ago-minutes = { $count } мин назад
src-ago-hours = { $count } ч назад

## Первые фразы статей в админском /sources (HTML)
src-leads-title = 📄 <b>Первые фразы статей</b> за 7 дней (новости без пригодного описания: их начало взято со страницы статьи)
src-leads-counts = получено: { $fetched }, не удалось: { $failed }

## /addsource
# обычный текст
src-add-usage = Как пользоваться: /addsource <адрес> [fulltext=auto|always|never] — адрес ленты или страницы новостного сайта (ленту бот найдёт сам). С fulltext=auto (по умолчанию) новость без описания получает первые фразы своей статьи; fulltext=always — каждая новость; fulltext=never — ни одна. С адресом источника, который уже есть, параметр меняет его у этого источника.
src-add-invalid = «{ $input }» — не веб-адрес. { src-add-usage }
src-add-bad-option = «{ $option }» — не параметр /addsource. { src-add-usage }
src-add-failed = Не удалось добавить { $url }: { $error }
# HTML
src-add-known = Уже есть среди источников: { $source }.
src-add-known-behind = Уже есть среди источников: { $source } ({ $url }).
# HTML; $mode — "auto", "always" или "never"
src-add-fulltext = 📄 { $mode ->
        [auto] Новость без описания получит первые фразы своей статьи (fulltext=auto).
        [always] Каждая новая новость получит первые фразы своей статьи вместо более короткого описания (fulltext=always).
       *[never] Первые фразы статей для его новостей не загружаются (fulltext=never).
    }
src-add-fulltext-was = Было: fulltext={ $mode }.
src-add-fulltext-same = Так и было.
src-add-fulltext-file = Параметр fulltext этого источника задан в файле источников (SOURCES_FILE), а не в чате.
src-add-done =
    ✅ Источник { $source } добавлен.
    Его начнут опрашивать со следующего цикла. Материалы, которые уже есть в ленте, считаются просмотренными: подписчики получат только новые.
# кнопки и ответы на нажатия (обычный текст, коротко)
src-add-button-add = ✅ Добавить
src-add-button-cancel = ✖️ Отмена
src-add-expired = Предпросмотр устарел или на него уже ответили. Отправьте /addsource ещё раз.
src-add-cancelled = Отменено.
src-add-not-added = ✖️ Не добавлено.
src-add-full = Список источников заполнен: сначала удалите какой-нибудь источник.
src-add-duplicate = Этот источник уже есть.
src-add-added = Добавлено.

## Предпросмотр /addsource (HTML)
src-preview-via-direct = адрес и есть лента
src-preview-via-link = найдено по ссылке на ленту со страницы
src-preview-via-common-path = найдено по стандартному адресу ленты на сайте
src-preview-facts = { $via } · сейчас в ленте { $count ->
        [one] { $count } материал
        [few] { $count } материала
        [many] { $count } материалов
       *[other] { $count } материала
    } · id <code>{ $id }</code>
src-preview-latest = { $count ->
        [one] Последний материал:
        [few] Последние { $count } материала:
        [many] Последние { $count } материалов:
       *[other] Последние материалы ({ $count }):
    }
src-preview-empty = Сейчас в ленте нет материалов.
src-preview-question = Добавить в источники? (Предпросмотр действует 15 минут.)

## /rmsource
# обычный текст
src-rm-usage = Как пользоваться: /rmsource <id> — id источников есть в /sources.
src-rm-not-found = Источника с id «{ $id }» нет. { src-rm-usage }
# HTML
src-rm-removed = 🗑 Источник { $source } удалён. Из него больше ничего не загружается.
src-rm-switched-off = ⏸ { $source } задан в файле источников, который бот изменить не может, поэтому источник выключен: его больше не опрашивают. Включить снова: /enablesource { $id }.
src-rm-already-off = { $source } уже выключен. Включить снова: /enablesource { $id }.

## /enablesource
# обычный текст
src-enable-usage = Как пользоваться: /enablesource <id> — id источников есть в /sources.
src-enable-not-found = Источника с id «{ $id }» нет. { src-enable-usage }
# HTML
src-enable-already-on = { $source } уже включён.
src-enable-done = ▶️ { $source } снова включён: его опросят в следующем цикле.
src-enable-done-reset = ▶️ { $source } снова включён, счётчик ошибок сброшен: его опросят в следующем цикле.

## /opml (обычный текст; «/opml import» — подпись, которую ищет бот: не переводить)
src-opml-usage = Как пользоваться: /opml — список источников в файле OPML. Чтобы импортировать файл .opml, отправьте его с подписью /opml import или ответьте на него командой /opml.
src-opml-nothing = Экспортировать пока нечего: источников нет.
src-opml-caption = { $count ->
        [one] { $count } источник
        [few] { $count } источника
        [many] { $count } источников
       *[other] { $count } источника
    } в формате OPML. Чтобы импортировать их в бота, отправьте этот файл с подписью /opml import.
src-opml-the-file = файл
src-opml-too-big = Не удалось импортировать { $file }: файл больше { $limit }.
src-opml-download-failed = Не удалось скачать { $file }: { $error }
src-opml-unreadable = Не удалось импортировать { $file }: { $problem }.
src-opml-not-opml = это не файл OPML (нет элемента <opml>)
src-opml-entities = отказано: в файле объявлены XML-сущности
src-opml-empty = Не удалось импортировать { $file }: в нём нет ни одной ленты (нет <outline> с xmlUrl).
# $listed: « (id, id, …)» или ничего
src-opml-added = 📥 Импорт OPML: добавлено { $count ->
        [one] { $count } источник
        [few] { $count } источника
        [many] { $count } источников
       *[other] { $count } источника
    }{ $listed }.
src-opml-duplicates = Уже в списке: { $count }.
src-opml-full = Не добавлено — список заполнен: { $count }.
src-opml-truncated = Не прочитано — в одном файле больше { $max } лент: { $count }.
src-opml-skipped = Пропущено ({ $count }):
src-opml-skipped-more = …и ещё { $count }
src-opml-polled = Их начнут опрашивать со следующего цикла.
src-opml-skip-url = { $label }: непригодный адрес (только http или https)
src-opml-skip-id = { $label }: непригодный id
src-opml-skip-name = { $label }: нет подходящего названия
src-opml-skip-field = { $label }: недопустимое значение поля «{ $field }»
src-opml-skip-refused = { $label }: { $error }

## Ошибки лент (обычный текст; для HTML код экранирует их сам). Каждая — одна короткая строка.
feed-err-unknown = ошибка ({ $kind })
feed-err-internal = внутренняя ошибка (записана в журнал)
feed-err-internal-error = внутренняя ошибка: { $error }
feed-err-timeout = нет ответа за { $seconds } с
feed-err-http = сервер ответил HTTP { $status }
feed-err-http-no-location = HTTP { $status } без заголовка Location
feed-err-http-unexpected-304 = HTTP 304 на запрос без условий кэширования
feed-err-http-no-file-path = Telegram не дал ссылку для скачивания файла
feed-err-too-large = ответ больше { $limit }
feed-err-too-large-decompressed = после распаковки ответ больше { $limit }
feed-err-too-large-file = файл больше { $limit }
feed-err-size-mb = { $size } МБ
feed-err-size-kb = { $size } КБ
feed-err-size-bytes = { $size ->
        [one] { $size } байт
        [few] { $size } байта
        [many] { $size } байт
       *[other] { $size } байта
    }
feed-err-redirects = ошибка перенаправления
feed-err-redirects-unsupported = перенаправление на неподдерживаемый адрес ({ $url })
feed-err-redirects-loop = перенаправления зациклились на { $url }
feed-err-redirects-too-many = слишком много перенаправлений
# сетевые ошибки: код сам добавляет « (сервер)», когда он известен
feed-err-network = сетевая ошибка
feed-err-network-aborted = запрос прерван
feed-err-network-not-http = не адрес http(s): { $url }
feed-err-network-dns = сервер не найден
feed-err-network-refused = сервер отказал в соединении
feed-err-network-reset = сервер сбросил соединение
feed-err-network-timeout = истекло время ожидания соединения
feed-err-network-unreachable = сервер недоступен
feed-err-network-bad-http = некорректный ответ HTTP
feed-err-network-tls = ошибка TLS { $code }
feed-err-network-closed = соединение закрылось до конца ответа
feed-err-network-encoding = неподдерживаемое сжатие (Content-Encoding «{ $coding }»)
feed-err-network-decompress = не удалось распаковать ответ { $coding } ({ $error })
# $error: сообщение самой системы
feed-err-network-other = сетевая ошибка: { $error }
feed-err-not-a-feed = это не лента
feed-err-not-a-feed-empty = пустой ответ
feed-err-not-a-feed-media = это не лента ({ $type })
feed-err-not-a-feed-binary = это не лента (двоичные данные)
feed-err-not-a-feed-html = это не лента (HTML-страница)
feed-err-not-a-feed-no-root = это не лента (нет корневого элемента XML)
feed-err-not-a-feed-plain-text = это не лента (обычный текст)
feed-err-not-a-feed-xml-root = это не лента (корневой элемент XML <{ $root }>)
feed-err-not-a-feed-invalid-json = это не лента (некорректный JSON)
feed-err-not-a-feed-json = это не лента (JSON, но не в формате JSON Feed)
feed-err-not-a-feed-none-found = лента не найдена: страница не ссылается ни на одну, а по адресам { $paths } ничего нет
feed-err-not-a-feed-none-working = лента не найдена: ни одна из лент, указанных на странице, не работает, а по адресам { $paths } ничего нет
feed-err-not-a-feed-bad-source = из { $url } не получается источник: { $issue }
# $error: сообщение XML-парсера
feed-err-parse = не удалось разобрать ленту
feed-err-parse-xml = некорректный XML: { $error } (строка { $line }, столбец { $column })
feed-err-parse-structure = не удалось прочитать структуру ленты ({ $error })
feed-err-parse-other = не удалось разобрать ленту ({ $error })
feed-err-refused = отказано
feed-err-refused-entities = отказано: в документе объявлены XML-сущности
# $why: один из текстов feed-err-addr-… ниже
feed-err-refused-address = отказано: { $address } — { $why }; разрешены только публичные адреса
feed-err-refused-resolves = отказано: { $host } указывает на { $address } — { $why }; разрешены только публичные адреса
# Что за адрес, который бот не загружает
feed-err-addr-this-network = адрес «этой сети» ({ $range })
feed-err-addr-private = частный адрес ({ $range })
feed-err-addr-cgnat = адрес операторского NAT ({ $range })
feed-err-addr-loopback = петлевой адрес
feed-err-addr-metadata = адрес службы метаданных облака
feed-err-addr-link-local = адрес локального канала ({ $range })
feed-err-addr-reserved = зарезервированный адрес ({ $range })
feed-err-addr-reserved-broadcast = зарезервированный адрес ({ $range }, включая широковещательный)
feed-err-addr-documentation = адрес для документации ({ $range })
feed-err-addr-benchmarking = адрес для тестов производительности ({ $range })
feed-err-addr-multicast = групповой адрес
feed-err-addr-unspecified = неопределённый адрес
feed-err-addr-local-nat64 = локальный адрес NAT64 ({ $range })
feed-err-addr-reserved-v6 = зарезервированный адрес IPv6 ({ $range })
feed-err-addr-discard = адрес для сброса трафика ({ $range })
feed-err-addr-unique-local = уникальный локальный адрес ({ $range })
feed-err-addr-site-local = локальный адрес сайта ({ $range })
feed-err-addr-mapped = { $v4 } в записи IPv6 (отображённый IPv4), { $why }
feed-err-addr-nat64 = { $v4 } в записи NAT64, { $why }
feed-err-addr-6to4 = { $v4 } в записи 6to4, { $why }
