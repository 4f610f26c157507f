# /settings и /filter: меню настроек, текстовые команды и фильтры по словам.

## Значения на экранах

set-on = вкл.
set-off = выкл.
set-none = нет
set-lang-other = другие
set-mode-now = по мере выхода
set-mode-every = дайджест каждые {$hours} ч
set-mode-daily = дайджест ежедневно в {$at}
set-quiet-hours = {$from}–{$to} (сообщения приходят без звука)
set-zone-default = {$zone} (по умолчанию)
set-sources-all = все источники (и новые тоже)
set-langs-all = все языки
set-none-chosen = ничего — новости не придут, пока вы что-нибудь не выберете
set-sources-some = {$chosen} из {$total ->
    [one] {$total} источника
    [few] {$total} источников
    [many] {$total} источников
   *[other] {$total} источника
  }
set-and-more = {$list} и ещё {$count}
set-rules-count = {$count ->
    [one] {$count} правило
    [few] {$count} правила
    [many] {$count} правил
   *[other] {$count} правила
  }
set-rules-include = ➕ Только новости с любым из слов: {$rules}
set-rules-exclude = ➖ Скрывать новости со словами: {$rules}
set-filter-help = <code>+слово</code> — только новости с этим словом, <code>-слово</code> — скрывать новости с ним, <code>"точная фраза"</code> — только новости с этой фразой. Добавить: <code>/filter +слово -слово "точная фраза"</code>; <code>/filter clear</code> удаляет все фильтры.

## Что получает чат (под /sources)

set-choice-gets = <b>Этот чат получает</b> {$sources}; языки: {$langs}.
set-choice-rules = Действуют фильтры по словам ({$rules}): их показывает /filter.
set-choice-no-rules = Фильтров по словам нет.
set-choice-change = Изменить, что вы получаете: /settings

## Кнопки

set-btn-back = ⬅️ Назад
set-btn-sources = 📡 Источники
set-btn-langs = 🌐 Языки
set-btn-keywords = 🔎 Ключевые слова
set-btn-delivery = 📬 Доставка
set-btn-quiet = 🌙 Тихие часы
set-btn-previews = 🔗 Превью ссылок
set-btn-language = 💬 Язык бота: {$name}
set-btn-all-sources = Все источники
set-btn-all-langs = Все языки
set-btn-now = По мере выхода
set-btn-hours = {$hours} ч
set-btn-daily = Ежедневно {$at}
set-btn-zone = 🕰 Часовой пояс
set-btn-zone-default = По умолчанию ({$zone})
set-btn-on = Вкл.
set-btn-off = Выкл.
set-btn-clear = 🗑 Удалить все

## Главный экран

set-main-title = <b>⚙️ Настройки этого чата</b>
set-main-title-topic = <b>⚙️ Настройки этой темы</b>
set-main-title-of = <b>⚙️ Настройки: {$title}</b>
set-main-sources = 📡 Источники: {$value}
set-main-langs = 🌐 Языки: {$value}
set-main-keywords = 🔎 Ключевые слова: {$value}
set-main-delivery = 📬 Доставка: {$value}
set-main-zone = 🕰 Часовой пояс: {$value}
set-main-quiet = 🌙 Тихие часы: {$value}
set-main-previews = 🔗 Превью ссылок: {$value}
set-main-language = 💬 Язык бота: {$value}
set-main-hint = Выберите, что изменить.

## Остальные экраны

set-page = (стр. {$page}/{$pages})
set-you-get = Вы получаете: {$value}.
set-now = Сейчас: {$value}.
set-sources-title = <b>📡 Источники</b>
set-sources-hint = Нажмите на источник, чтобы включить или выключить его.
set-sources-none = Включённых источников пока нет.
set-sources-later = Источник, добавленный позже, не войдёт в подборку, пока вы его не отметите; «Все источники» включает каждый.
set-langs-title = <b>🌐 Языки</b>
set-langs-hint = Языки источников; нажмите на язык, чтобы включить или выключить его. «{$other}» — источники без указанного языка.
set-langs-none = Источников пока нет.
set-delivery-title = <b>📬 Доставка</b>
set-delivery-now-info = • <b>По мере выхода</b>: каждая новость сразу после публикации (несколько новостей за раз приходят одним дайджестом).
set-delivery-every-info = • <b>Каждые N часов</b>: один дайджест по местному времени, кратному N, начиная с полуночи (00:00, 03:00, … для 3 ч).
set-delivery-daily-info = • <b>Ежедневно</b>: один дайджест в день. Любое время: <code>/settings time HH:MM</code>
set-delivery-zone = 🕰 Часовой пояс: {$zone}. Измените его ниже или командой <code>/settings zone Регион/Город</code>.
set-zones-title = <b>🕰 Часовой пояс</b>
set-zones-hint = Время дайджестов и тихие часы считаются по этому поясу. Нужного нет в списке? Введите <code>/settings zone Регион/Город</code>, например <code>/settings zone Asia/Baku</code>.
set-quiet-title = <b>🌙 Тихие часы</b>
set-quiet-info = В тихие часы сообщения по-прежнему приходят, но без звука и вибрации. Это касается и объявлений администраторов бота. Время — по поясу {$zone}.
set-quiet-typed = Другие часы: <code>/settings quiet 23:30-06:30</code>; <code>/settings quiet off</code> выключает их.
set-keywords-title = <b>🔎 Фильтры по словам</b>
set-keywords-none = Нет: вы получаете все новости своих источников.
set-keywords-remove-hint = Нажмите ✖, чтобы удалить фильтр.
set-previews-title = <b>🔗 Превью ссылок</b>
set-previews-info = Если включено, под сообщением с одной новостью показывается превью статьи (картинка и начало текста); в дайджестах — никогда.
set-language-title = <b>💬 Язык бота</b>
set-language-hint = На этом языке бот пишет здесь: ответы, новости и дайджесты.

## Уведомления и ответы (обычный текст)

set-not-subscribed = Сначала подпишитесь командой /start, затем откройте /settings.
set-not-subscribed-other = Этот чат сейчас не подписан на новости.
set-only-admins = Менять настройки группы могут только её администраторы.
set-only-admins-other = Менять настройки этого чата могут только его администраторы.
set-check-failed = Не удалось проверить, кто может менять настройки этого чата, — попробуйте ещё раз.
set-failed = Что-то пошло не так — попробуйте ещё раз.
set-menu-stale = Это меню устарело — отправьте /settings ещё раз.
set-usage = Как пользоваться: /settings открывает меню; а также /settings zone Регион/Город, /settings time HH:MM (ежедневный дайджест), /settings quiet HH:MM-HH:MM, /settings quiet off.
set-language-set = Язык бота: {$name}

## Почему изменение не принято

set-err-keep-one-source = Оставьте включённым хотя бы один источник. /stop приостанавливает все новости.
set-err-keep-one-lang = Оставьте включённым хотя бы один язык. /stop приостанавливает все новости.
set-err-keep-one-or-all-source = Оставьте включённым хотя бы один источник или выберите «Все источники». /stop приостанавливает все новости.
set-err-keep-one-or-all-lang = Оставьте включённым хотя бы один язык или выберите «Все языки». /stop приостанавливает все новости.
set-err-too-many-sources = Получилось бы {$count ->
    [one] {$count} источник
    [few] {$count} источника
    [many] {$count} источников
   *[other] {$count} источника
  }, а чат может выбрать не больше {$max}. Лучше выберите «Все источники».
set-err-too-many-langs = Получилось бы {$count ->
    [one] {$count} язык
    [few] {$count} языка
    [many] {$count} языков
   *[other] {$count} языка
  }, а чат может выбрать не больше {$max}. Лучше выберите «Все языки».
set-err-zone = «{$zone}» — не часовой пояс. Пример: Asia/Baku
set-err-quiet-format = Тихие часы — это два времени HH:MM-HH:MM, например 23:00-07:00.
set-err-quiet-same = Тихие часы должны начинаться и заканчиваться в разное время.
set-err-hours = Дайджест можно получать каждые {$hours} ч.
set-err-time = Время записывается как HH:MM, например 07:30.
set-err-mode = Неизвестный способ доставки.

## Текстовые команды: /settings zone|time|quiet

set-zone-invalid = «{$zone}» — не часовой пояс. Пример: /settings zone Asia/Baku
set-zone-set = Часовой пояс: {$zone}. По нему считаются время дайджестов и тихие часы.
set-zone-already = Часовой пояс уже {$zone}.
set-time-invalid = «{$text}» — не время: используйте HH:MM, например /settings time 07:30.
set-time-set = Теперь: {$mode} ({$zone}).
set-time-already = Уже так: {$mode} ({$zone}).
set-quiet-invalid = «{$text}» — не тихие часы: используйте HH:MM-HH:MM, например /settings quiet 23:00-07:00, или /settings quiet off.
set-quiet-off-done = Тихие часы выключены: все сообщения приходят со звуком.
set-quiet-already-off = Тихие часы уже выключены.
set-quiet-set = Тихие часы: {$quiet}, по поясу {$zone}.

## Правила, которые не добавлены (каждое названо так, как его ввели)

set-err-rule-empty = Пустое правило: {$text}
set-err-rule-long = Слишком длинно (больше {$max ->
    [one] {$max} символа
    [few] {$max} символов
    [many] {$max} символов
   *[other] {$max} символа
  }): {$text}
set-err-rule-no-letters = Нет ни букв, ни цифр: {$text}
set-err-rule-words = Слишком много слов (во фразе не больше {$max}): {$text}
set-err-unclosed = Незакрытая кавычка: {$text}
set-err-empty-phrase = Пустая фраза: {$text}
set-err-nothing-after = После {$sign} ничего нет: напишите {$sign}слово
set-err-repeat = Уже есть: {$text}
set-err-rule-limit = Не добавлено: в чате может быть не больше {$max ->
    [one] {$max} правила
    [few] {$max} правил
    [many] {$max} правил
   *[other] {$max} правила
  }: {$text}

## /filter

set-filter-not-subscribed = Сначала подпишитесь командой /start, затем откройте /filter.
set-filter-none = Фильтров по словам нет: вы получаете все новости своих источников. Добавить: /filter +слово -слово "точная фраза"
set-filter-meaning = +слово — только новости с этим словом, -слово — скрывать новости с ним, "…" — точная фраза.
set-filter-cleared = Фильтры по словам удалены: вы получаете все новости своих источников.
set-filter-nothing-to-clear = Фильтров по словам и так не было.
set-filter-now-title = <b>🔎 Фильтры по словам</b>
set-filter-or-tap = Или нажмите ✖ в /settings → Ключевые слова.
set-filter-more = …и ещё {$count}
set-filter-nothing-new = Ничего нового не добавлено.
