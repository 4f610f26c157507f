# Тексты для админов: /stats и оповещения.

## /stats (обычный текст). Счётчики — числа (с разделителями разрядов); $chat и $id — строки.
adm-stats-title = 📊 Статистика бота
adm-stats-subscribers = Подписчики: { $count }
adm-stats-sources = Источники: { $count }
adm-stats-queue = Очередь: ожидают { $waiting } · отложено { $delayed } · отправляется { $active }
adm-stats-chats = Новости: чатов в очереди сейчас { $waiting } · идёт отправка в { $active } · запланировано { $scheduled } (дайджесты, повторы)
adm-stats-today = Сегодня: отправлено { $sent } · объединено с прежними сообщениями { $merged } · ошибок { $failed } · заблокировали бота { $blocked }
adm-stats-dead-letters = Недоставленные: { $count }
# одно из последних недоставленных; $reason — описание ошибки от самого Telegram
adm-stats-dead-letter = • { $time } чат { $chat } — { $what }: { $reason }
adm-stats-what-news = новость { $key }
adm-stats-what-digest = дайджест из { $count ->
        [one] { $count } материала
       *[other] { $count } материалов
    } для чата { $chat }
adm-stats-what-broadcast = рассылка { $id }
adm-stats-broadcast = Рассылка { $id }: отправлено { $sent } из { $total } · ошибок { $failed } · заблокировали { $blocked }

## Оповещение, когда источник отключён после слишком многих ошибок (HTML: значения экранированы)
adm-source-disabled =
    ⚠️ Источник «{ $name }» ({ $id }) отключён после { $failures ->
        [one] { $failures } неудачного опроса
       *[other] { $failures } неудачных опросов
    } подряд.
    Последняя ошибка: { $error }
    Проверьте { $url } и включите источник снова командой /enablesource { $id }
