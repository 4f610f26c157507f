# Карточки новостей, дайджесты, /latest и /sources (src/news/compose.ts).

## Карточка одного материала
card-untitled = Без заголовка
card-read-more = Читать дальше →
card-also-heading = Также сообщают
card-also-more = …и ещё { $count }
card-related-heading = Похожие материалы

## Дайджесты и строки списков
digest-header = 📰 { $count ->
        [1] { $count } новый материал
        [one] { $count } новый материал, сначала свежие
        [few] { $count } новых материала, сначала свежие
        [many] { $count } новых материалов, сначала свежие
       *[other] { $count } новых материала, сначала свежие
    }
digest-header-part = 📰 { $count ->
        [1] { $count } новый материал
        [one] { $count } новый материал, сначала свежие
        [few] { $count } новых материала, сначала свежие
        [many] { $count } новых материалов, сначала свежие
       *[other] { $count } новых материала, сначала свежие
    } ({ $part }/{ $parts })
digest-also = Также сообщают: { $outlets }
digest-also-more = Также сообщают: { $outlets } и ещё { $count }
digest-related = Похожие материалы: { $stories }
digest-more = …и ещё { $count ->
        [one] { $count } более ранний материал
        [few] { $count } более ранних материала
        [many] { $count } более ранних материалов
       *[other] { $count } более ранних материала
    }

## /latest
latest-header = 🗞 { $count ->
        [1] Последний материал
        [one] Последний { $count } материал, сначала свежие
        [few] Последние { $count } материала, сначала свежие
        [many] Последние { $count } материалов, сначала свежие
       *[other] Последние { $count } материала, сначала свежие
    }
latest-header-part = 🗞 { $count ->
        [1] Последний материал
        [one] Последний { $count } материал, сначала свежие
        [few] Последние { $count } материала, сначала свежие
        [many] Последние { $count } материалов, сначала свежие
       *[other] Последние { $count } материала, сначала свежие
    } ({ $part }/{ $parts })
latest-empty = Новостей пока нет — источники проверяются каждые несколько минут.
latest-usage = Как пользоваться: /latest [n] — n самых свежих материалов, n от 1 до { $max } (по умолчанию { $default }). Пример: /latest 3. /latest all [n] — без учёта фильтров этого чата.
latest-nothing-passes = Среди свежих материалов нет подходящих под фильтры этого чата (/settings). /latest all покажет все.

## /sources
sources-list-empty = Источники новостей пока не настроены.
sources-list-header = 📡 <b>Источники новостей</b> ({ $count })
sources-list-more = …и ещё { $count }
