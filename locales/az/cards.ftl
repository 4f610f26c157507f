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
       *[other] { $count } yeni xəbər, əvvəlcə ən yeniləri
    }
digest-header-part = 📰 { $count ->
        [one] { $count } yeni xəbər
       *[other] { $count } yeni xəbər, əvvəlcə ən yeniləri
    } ({ $part }/{ $parts })
digest-also = Həmçinin yazıblar: { $outlets }
digest-also-more = Həmçinin yazıblar: { $outlets } və daha { $count }
digest-related = Oxşar xəbərlər: { $stories }
digest-more = …və daha { $count } əvvəlki xəbər

## /latest
latest-header = 🗞 { $count ->
        [one] Ən son xəbər
       *[other] Son { $count } xəbər, əvvəlcə ən yeniləri
    }
latest-header-part = 🗞 { $count ->
        [one] Ən son xəbər
       *[other] Son { $count } xəbər, əvvəlcə ən yeniləri
    } ({ $part }/{ $parts })
latest-empty = Hələ xəbər yoxdur — mənbələr bir neçə dəqiqədən bir yoxlanılır.
latest-usage = İstifadə: /latest [n] — ən yeni n xəbər (n: 1–{ $max }, standart olaraq { $default }). Nümunə: /latest 3. /latest all [n] bu söhbətin filtrlərini nəzərə almır.
latest-nothing-passes = Son xəbərlərdən heç biri bu söhbətin filtrlərinə uyğun gəlmir (/settings). /latest all bütün xəbərləri göstərir.

## /sources
sources-list-empty = Hələ heç bir xəbər mənbəyi qurulmayıb.
sources-list-header = 📡 <b>Xəbər mənbələri</b> ({ $count })
sources-list-more = …və daha { $count }
