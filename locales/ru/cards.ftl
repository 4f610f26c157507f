# Карточки новостей, дайджесты, /latest и /sources (src/news/compose.ts).

## Карточка одного материала
card-untitled = Без заголовка
card-read-more = Читать дальше →
card-also-heading = Также сообщают
card-also-more = …и ещё { $count }
card-related-heading = Похожие материалы

## Дайджесты и строки списков
digest-header = 📰 { $count ->
        [one] { $count } новый материал
        [few] { $count } новых материала
        [many] { $count } новых материалов
       *[other] { $count } новых материала
    }
digest-header-part = 📰 { $count ->
        [one] { $count } новый материал
        [few] { $count } новых материала
        [many] { $count } новых материалов
       *[other] { $count } новых материала
    } ({ $part }/{ $parts })
digest-also = Также: { $outlets }
digest-also-more = Также: { $outlets } и ещё { $count }
digest-more = …и ещё { $count } — самые свежие: /latest

## /latest
latest-header = 🗞 Последние новости
latest-header-part = 🗞 Последние новости ({ $part }/{ $parts })
latest-empty = Новостей пока нет — источники проверяются каждые несколько минут.
latest-usage = Как пользоваться: /latest [n] — n самых свежих материалов, n от 1 до { $max } (по умолчанию { $default }). Пример: /latest 3. /latest all [n] — без учёта фильтров этого чата.
latest-nothing-passes = Среди свежих материалов нет подходящих под фильтры этого чата (/settings). /latest all покажет все.

## /sources
sources-list-empty = Источники новостей пока не настроены.
sources-list-header = 📡 <b>Источники новостей</b> ({ $count })
sources-list-more = …и ещё { $count }
