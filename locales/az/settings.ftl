# /settings və /filter: ayarlar menyusu, yazılı əmrlər və açar söz filtrləri.

## Ekranlarda göstərilən dəyərlər

set-on = aktiv
set-off = deaktiv
set-none = yoxdur
set-lang-other = digər
set-mode-now = dərc olunduqca
set-mode-every = hər {$hours} saatdan bir icmal
set-mode-daily = hər gün saat {$at} icmal
set-quiet-hours = {$from}–{$to} (mesajlar səssiz gəlir)
set-zone-default = {$zone} (standart)
set-sources-all = bütün mənbələr (yeniləri də)
set-langs-all = bütün dillər
set-none-chosen = heç nə — nəsə seçməyincə xəbər gəlməyəcək
set-sources-some = {$total} mənbədən {$chosen}
set-and-more = {$list} və daha {$count}
set-rules-count = {$count} qayda
set-rules-include = ➕ Yalnız bunlardan biri olan xəbərlər: {$rules}
set-rules-exclude = ➖ Bunlar olan xəbərlər gizlədilir: {$rules}
set-filter-help = <code>+söz</code> — yalnız bu söz olan xəbərlər, <code>-söz</code> — bu söz olan xəbərlər gizlədilir, <code>"dəqiq ifadə"</code> — yalnız bu ifadə olan xəbərlər. Əlavə edin: <code>/filter +söz -söz "dəqiq ifadə"</code>; <code>/filter clear</code> hamısını silir.

## Söhbətin aldıqları (/sources altında)

set-choice-gets = <b>Bu söhbət alır:</b> {$sources}; dillər: {$langs}.
set-choice-rules = Açar söz filtrləri işləyir ({$rules}): /filter onları göstərir.
set-choice-no-rules = Açar söz filtri yoxdur.
set-choice-change = Aldıqlarınızı dəyişmək üçün: /settings

## Düymələr

set-btn-back = ⬅️ Geri
set-btn-sources = 📡 Mənbələr
set-btn-langs = 🌐 Dillər
set-btn-keywords = 🔎 Açar sözlər
set-btn-delivery = 📬 Çatdırılma
set-btn-quiet = 🌙 Sakit saatlar
set-btn-previews = 🔗 Keçid önizləməsi
set-btn-language = 💬 Botun dili: {$name}
set-btn-all-sources = Bütün mənbələr
set-btn-all-langs = Bütün dillər
set-btn-now = Dərc olunduqca
set-btn-hours = {$hours} saat
set-btn-daily = Hər gün {$at}
set-btn-zone = 🕰 Saat qurşağı
set-btn-zone-default = Standart ({$zone})
set-btn-on = Aktiv
set-btn-off = Deaktiv
set-btn-clear = 🗑 Hamısını sil

## Əsas ekran

set-main-title = <b>⚙️ Bu söhbətin ayarları</b>
set-main-title-topic = <b>⚙️ Bu mövzunun ayarları</b>
set-main-title-of = <b>⚙️ Ayarlar: {$title}</b>
set-main-sources = 📡 Mənbələr: {$value}
set-main-langs = 🌐 Dillər: {$value}
set-main-keywords = 🔎 Açar sözlər: {$value}
set-main-delivery = 📬 Çatdırılma: {$value}
set-main-zone = 🕰 Saat qurşağı: {$value}
set-main-quiet = 🌙 Sakit saatlar: {$value}
set-main-previews = 🔗 Keçid önizləməsi: {$value}
set-main-language = 💬 Botun dili: {$value}
set-main-hint = Nəyi dəyişmək istədiyinizi seçin.

## Digər ekranlar

set-page = (səh. {$page}/{$pages})
set-you-get = Siz alırsınız: {$value}.
set-now = İndi: {$value}.
set-sources-title = <b>📡 Mənbələr</b>
set-sources-hint = Mənbəni aktiv və ya deaktiv etmək üçün ona toxunun.
set-sources-none = Hələ aktiv mənbə yoxdur.
set-sources-later = Sonradan əlavə olunan mənbə siz onu işarələyənə qədər daxil edilmir; “Bütün mənbələr” hər birini izləyir.
set-langs-title = <b>🌐 Dillər</b>
set-langs-hint = Mənbələrin dilləri; aktiv və ya deaktiv etmək üçün dilə toxunun. “{$other}” — dili göstərilməyən mənbələrdir.
set-langs-none = Hələ mənbə yoxdur.
set-delivery-title = <b>📬 Çatdırılma</b>
set-delivery-now-info = • <b>Dərc olunduqca</b>: hər xəbər dərc olunan kimi (eyni anda gələn bir neçə xəbər bir icmal kimi çatır).
set-delivery-every-info = • <b>Hər N saatdan bir</b>: gecə yarısından başlayaraq yerli vaxtla hər N saatda bir icmal (3 saat üçün 00:00, 03:00, …).
set-delivery-daily-info = • <b>Hər gün</b>: gündə bir icmal. İstənilən vaxt: <code>/settings time HH:MM</code>
set-delivery-zone = 🕰 Saat qurşağı: {$zone}. Onu aşağıda və ya <code>/settings zone Region/Şəhər</code> əmri ilə dəyişin.
set-zones-title = <b>🕰 Saat qurşağı</b>
set-zones-hint = İcmal vaxtları və sakit saatlar bu qurşağa görədir. Siyahıda yoxdur? <code>/settings zone Region/Şəhər</code> yazın, məsələn <code>/settings zone Asia/Baku</code>.
set-quiet-title = <b>🌙 Sakit saatlar</b>
set-quiet-info = Sakit saatlarda mesajlar yenə gəlir, amma səssiz: nə səs, nə titrəmə. Bot adminlərinin elanları da belədir. Vaxtlar {$zone} qurşağı ilədir.
set-quiet-typed = Başqa saatlar: <code>/settings quiet 23:30-06:30</code>; <code>/settings quiet off</code> onları söndürür.
set-keywords-title = <b>🔎 Açar söz filtrləri</b>
set-keywords-none = Yoxdur: mənbələrinizin bütün xəbərlərini alırsınız.
set-keywords-remove-hint = Silmək üçün ✖ düyməsinə toxunun.
set-previews-title = <b>🔗 Keçid önizləməsi</b>
set-previews-info = Aktiv olduqda tək xəbərin mesajı altında məqalənin önizləməsi (şəkil və giriş) göstərilir; icmallarda heç vaxt.
set-language-title = <b>💬 Botun dili</b>
set-language-hint = Botun burada yazdığı dil: cavablar, xəbərlər və icmallar.

## Bildirişlər və cavablar (adi mətn)

set-not-subscribed = Əvvəlcə /start ilə abunə olun, sonra /settings açın.
set-not-subscribed-other = Bu söhbət hazırda xəbərlərə abunə deyil.
set-only-admins = Qrupun ayarlarını yalnız onun adminləri dəyişə bilər.
set-only-admins-other = Bu söhbətin ayarlarını yalnız onun adminləri dəyişə bilər.
set-check-failed = Bu söhbətin ayarlarını kimin dəyişə biləcəyini yoxlamaq alınmadı — yenidən cəhd edin.
set-failed = Nəsə alınmadı — yenidən cəhd edin.
set-menu-stale = Bu menyu köhnəlib — /settings əmrini yenidən göndərin.
set-usage = İstifadə: /settings menyunu açır; həmçinin /settings zone Region/Şəhər, /settings time HH:MM (gündəlik icmal), /settings quiet HH:MM-HH:MM, /settings quiet off.
set-language-set = Botun dili: {$name}

## Dəyişiklik niyə qəbul olunmadı

set-err-keep-one-source = Ən azı bir mənbəni aktiv saxlayın. /stop bütün xəbərləri dayandırır.
set-err-keep-one-lang = Ən azı bir dili aktiv saxlayın. /stop bütün xəbərləri dayandırır.
set-err-keep-one-or-all-source = Ən azı bir mənbəni aktiv saxlayın və ya “Bütün mənbələr” seçin. /stop bütün xəbərləri dayandırır.
set-err-keep-one-or-all-lang = Ən azı bir dili aktiv saxlayın və ya “Bütün dillər” seçin. /stop bütün xəbərləri dayandırır.
set-err-too-many-sources = Bu, {$count} mənbə olardı; bir söhbət ən çox {$max} seçə bilər. Bunun əvəzinə “Bütün mənbələr” seçin.
set-err-too-many-langs = Bu, {$count} dil olardı; bir söhbət ən çox {$max} seçə bilər. Bunun əvəzinə “Bütün dillər” seçin.
set-err-zone = “{$zone}” saat qurşağı deyil. Nümunə: Asia/Baku
set-err-quiet-format = Sakit saatlar iki vaxtdır: HH:MM-HH:MM, məsələn 23:00-07:00.
set-err-quiet-same = Sakit saatların başlanğıcı və sonu fərqli olmalıdır.
set-err-hours = İcmal hər {$hours} saatdan bir gələ bilər.
set-err-time = Vaxt HH:MM şəklində yazılır, məsələn 07:30.
set-err-mode = Naməlum çatdırılma üsulu.

## Yazılı əmrlər: /settings zone|time|quiet

set-zone-invalid = “{$zone}” saat qurşağı deyil. Nümunə: /settings zone Asia/Baku
set-zone-set = Saat qurşağı: {$zone}. İcmal vaxtları və sakit saatlar ona uyğundur.
set-zone-already = Saat qurşağı artıq belədir: {$zone}.
set-time-invalid = “{$text}” vaxt deyil: HH:MM yazın, məsələn /settings time 07:30.
set-time-set = İndi: {$mode} ({$zone}).
set-time-already = Artıq belədir: {$mode} ({$zone}).
set-quiet-invalid = “{$text}” sakit saatlar deyil: HH:MM-HH:MM yazın, məsələn /settings quiet 23:00-07:00, və ya /settings quiet off.
set-quiet-off-done = Sakit saatlar söndürüldü: bütün mesajlar səslə gəlir.
set-quiet-already-off = Sakit saatlar artıq söndürülüb.
set-quiet-set = Sakit saatlar: {$quiet}, {$zone} qurşağı ilə.

## Əlavə olunmayan qaydalar (hər biri yazıldığı kimi göstərilir)

set-err-rule-empty = Boş qayda: {$text}
set-err-rule-long = Çox uzundur ({$max} simvoldan çox): {$text}
set-err-rule-no-letters = Nə hərf, nə rəqəm var: {$text}
set-err-rule-words = Söz çoxdur (ifadədə ən çox {$max} söz ola bilər): {$text}
set-err-unclosed = Bağlanmamış dırnaq: {$text}
set-err-empty-phrase = Boş ifadə: {$text}
set-err-nothing-after = {$sign} işarəsindən sonra heç nə yoxdur: {$sign}söz yazın
set-err-repeat = Artıq var: {$text}
set-err-rule-limit = Əlavə olunmadı, bir söhbətdə ən çox {$max} açar söz qaydası ola bilər: {$text}

## /filter

set-filter-not-subscribed = Əvvəlcə /start ilə abunə olun, sonra /filter açın.
set-filter-none = Açar söz filtri yoxdur: mənbələrinizin bütün xəbərlərini alırsınız. Əlavə edin: /filter +söz -söz "dəqiq ifadə"
set-filter-meaning = +söz — yalnız bu söz olan xəbərlər, -söz — bu söz olan xəbərlər gizlədilir, "…" — dəqiq ifadə.
set-filter-cleared = Açar söz filtrləri silindi: mənbələrinizin bütün xəbərlərini alırsınız.
set-filter-nothing-to-clear = Silinəcək açar söz filtri yox idi.
set-filter-now-title = <b>🔎 Hazırkı açar söz filtrləri</b>
set-filter-or-tap = Və ya /settings → Açar sözlər bölməsində ✖ düyməsinə toxunun.
set-filter-more = …və daha {$count}
set-filter-nothing-new = Yeni heç nə əlavə olunmadı.
