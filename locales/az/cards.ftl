# Xəbər kartları, icmallar, /latest və /sources (src/news/compose.ts).

## Bir xəbərin kartı
card-untitled = Başlıqsız xəbər
card-read-more = Ətraflı →
card-also-heading = Bu barədə həmçinin yazıblar
card-also-more = …və daha { $count }
card-related-heading = Oxşar xəbərlər

## İcmallar və siyahı sətirləri
digest-header = 📰 { $count ->
        [one] { $count } yeni xəbər
       *[other] { $count } yeni xəbər
    }
digest-header-part = 📰 { $count ->
        [one] { $count } yeni xəbər
       *[other] { $count } yeni xəbər
    } ({ $part }/{ $parts })
digest-also = Həmçinin: { $outlets }
digest-also-more = Həmçinin: { $outlets } və daha { $count }
digest-more = …və daha { $count } — ən yeniləri: /latest

## /latest
latest-header = 🗞 Son xəbərlər
latest-header-part = 🗞 Son xəbərlər ({ $part }/{ $parts })
latest-empty = Hələ xəbər yoxdur — mənbələr bir neçə dəqiqədən bir yoxlanılır.
latest-usage = İstifadə: /latest [n] — ən yeni n xəbər (n: 1–{ $max }, standart olaraq { $default }). Nümunə: /latest 3. /latest all [n] bu söhbətin filtrlərini nəzərə almır.
latest-nothing-passes = Son xəbərlərdən heç biri bu söhbətin filtrlərinə uyğun gəlmir (/settings). /latest all bütün xəbərləri göstərir.

## /sources
sources-list-empty = Hələ heç bir xəbər mənbəyi qurulmayıb.
sources-list-header = 📡 <b>Xəbər mənbələri</b> ({ $count })
sources-list-more = …və daha { $count }
