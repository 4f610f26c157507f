# Мини-приложение настроек (src/webapp/): слова страницы и ответы её API-сервера.
# Всё — обычный текст, не HTML. Подстановки, которые страница заполняет сама
# ({ $word }, { $max }, { $hours }, { $zone }), приходят к ней как "{word}": без форм множественного числа.

## Страница

webapp-title = ⚙️ Настройки
webapp-loading = Загрузка…
webapp-offline = Не удалось связаться с ботом. Проверьте соединение и попробуйте ещё раз.
webapp-chat = Чат
webapp-sources = Источники
webapp-sources-all = Все источники
webapp-sources-all-hint = Каждый источник, в том числе добавленные позже.
webapp-sources-later = Источник, добавленный позже, не войдёт в подборку, пока вы его не отметите.
webapp-sources-none = Источников пока нет.
webapp-langs = Языки новостей
webapp-langs-all = Все языки
webapp-langs-hint = Только новости источников на отмеченных языках.
webapp-keywords = Ключевые слова
webapp-kw-include = Только новости с любым из этих слов
webapp-kw-exclude = Скрывать новости с этими словами
webapp-kw-phrases = Или с одной из этих точных фраз
webapp-kw-word = Добавить слово
webapp-kw-phrase = Добавить фразу
webapp-kw-add = Добавить
webapp-kw-remove = Удалить «{ $word }»
webapp-kw-repeat = Уже есть: { $word }
webapp-kw-limit = Фильтров по словам в чате может быть не больше { $max }.
webapp-kw-hint = Без ключевых слов вы получаете все новости своих источников.
webapp-delivery = Доставка
webapp-mode = Как приходят новости
webapp-mode-now = По мере выхода
webapp-mode-every = Дайджест каждые { $hours } ч
webapp-mode-daily = Дайджест раз в день
webapp-daily-at = Время дайджеста
webapp-timezone = Часовой пояс
webapp-zone-default = По умолчанию ({ $zone })
webapp-delivery-hint = Время дайджестов и тихие часы считаются по этому поясу.
webapp-quiet = Тихие часы
webapp-quiet-on = Сообщения без звука
webapp-quiet-from = С
webapp-quiet-to = До
webapp-quiet-hint = В тихие часы сообщения по-прежнему приходят, но без звука и вибрации.
webapp-messages = Сообщения
webapp-previews = Превью ссылок
webapp-locale = Язык бота
webapp-messages-hint = Если превью включено, под сообщением с одной новостью видны картинка и начало статьи; в дайджестах — никогда.
webapp-save = Сохранить
webapp-saving = Сохранение…

## Ответы API-сервера

webapp-unauthorized = Эта страница работает, только если открыть её в Telegram. Закройте её и снова откройте настройки из бота.
webapp-forbidden = Вы не можете менять настройки этого чата: это могут только его администраторы.
webapp-not-subscribed = Этот чат сейчас не получает новости. Чтобы подписаться, отправьте в нём /start.
webapp-bad-request = Страница отправила то, чего бот не понимает. Перезагрузите страницу.
webapp-saved = ✅ Сохранено: { $chat }.
webapp-unchanged = Сохранять нечего: настройки уже такие.
webapp-failed = Что-то пошло не так. Попробуйте ещё раз.
webapp-stale = Список источников или языков изменился. Перезагрузите страницу.

## В чате

webapp-open = ⚙️ Открыть настройки
webapp-menu-button = Настройки
webapp-private-title = Ваш личный чат
webapp-topic-title = { $chat } · тема { $topic }
webapp-confirm = ⚙️ Настройки чата «{ $chat }» изменены в приложении.
