# Рассылки администраторов: само объявление, /broadcast, /cancel, сообщение о ходе рассылки и отчёт.

## Объявление, как его видят подписчики (HTML)
bc-announcement = 📢 <b>Объявление</b>
bc-message-from = 📢 <b>Сообщение от { $name }</b>

## /broadcast (bc-usage и bc-preview-header — HTML)
bc-usage = Как пользоваться: /broadcast &lt;текст&gt; — или ответьте командой /broadcast на сообщение, которое нужно разослать всем подписчикам.
bc-too-long = В тексте { $length ->
        [one] { $length } символ
        [few] { $length } символа
        [many] { $length } символов
       *[other] { $length } символа
    }, а в рассылке может быть не больше { $max }.
bc-preview-header = 📢 <b>Предпросмотр рассылки</b> — после нажатия «Отправить» она уйдёт { $count ->
        [one] { $count } подписчику
        [few] { $count } подписчикам
        [many] { $count } подписчикам
       *[other] { $count } подписчикам
    } (предпросмотр действует 15 минут):
bc-button-send = ✅ Отправить
bc-button-cancel = ✖️ Отмена
bc-expired = Срок действия рассылки истёк. Отправьте /broadcast ещё раз.
bc-was-cancelled = Эта рассылка отменена.
bc-on-its-way = Эта рассылка уже отправляется.
bc-cancelled-answer = Отменено.
bc-cancelled-preview = ✖️ Рассылка отменена. Ничего не отправлено.
bc-sending-answer = Отправляем…

## /cancel
bc-cancel-nothing = Отменять нечего: сейчас ничего не рассылается.
bc-cancel-stopped = ✖️ Рассылка остановлена: она дошла до { $sent } из { $total ->
        [one] { $total } подписчика
        [few] { $total } подписчиков
        [many] { $total } подписчиков
       *[other] { $total } подписчика
    }; остальные её не получат.

## Ход рассылки и отчёт
bc-progress-sending = 📢 Рассылка идёт: отправлено { $sent } / { $total }
bc-progress-eta = { $eta } — остановить: /cancel
bc-progress-finished = 📢 Рассылка отправлена: доставлено { $sent } / { $total }
bc-failed = ошибок: { $count }
bc-blocked = заблокировали бота: { $count }
bc-skipped = отписались за это время: { $count }
bc-eta-finishing = завершаем…
bc-eta-under-minute = осталось меньше минуты
bc-eta-minutes = осталось около { $minutes } мин
bc-eta-hours = осталось около { $hours } ч
bc-report-finished = 📢 Рассылка завершена: она дошла до { $sent } из { $total ->
        [one] { $total } подписчика
        [few] { $total } подписчиков
        [many] { $total } подписчиков
       *[other] { $total } подписчика
    }.
bc-report-counts = Ошибок: { $failed }. Заблокировали бота (отписаны): { $blocked }.
bc-report-skipped = Отписались, не дождавшись очереди: { $count }.
bc-cancelled = ✖️ Рассылка остановлена командой /cancel: она дошла до { $sent } из { $total ->
        [one] { $total } подписчика
        [few] { $total } подписчиков
        [many] { $total } подписчиков
       *[other] { $total } подписчика
    }; остальные её не получат.
bc-interrupted = ⚠️ Рассылка прервана: она дошла до { $sent } из { $total ->
        [one] { $total } подписчика
        [few] { $total } подписчиков
        [many] { $total } подписчиков
       *[other] { $total } подписчика
    }; остальные её не получат.
bc-interrupted-redis-data-lost = ⚠️ Рассылка прервана: Redis потерял данные, когда она дошла до { $sent } из { $total ->
        [one] { $total } подписчика
        [few] { $total } подписчиков
        [many] { $total } подписчиков
       *[other] { $total } подписчика
    }; остальные её не получат.
