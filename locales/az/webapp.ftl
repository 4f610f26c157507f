# Ayarlar mini tətbiqi (src/webapp/): səhifənin sözləri və onun API serverinin cavabları.
# Hamısı adi mətndir, HTML deyil. Səhifənin özü doldurduğu yer tutucular
# ({ $word }, { $max }, { $hours }, { $zone }) ona "{word}" kimi çatır: onlarda cəm formaları olmur.

## Səhifə

webapp-title = ⚙️ Ayarlar
webapp-loading = Yüklənir…
webapp-offline = Botla əlaqə qurmaq alınmadı. Bağlantını yoxlayın və yenidən cəhd edin.
webapp-chat = Söhbət
webapp-sources = Mənbələr
webapp-sources-all = Bütün mənbələr
webapp-sources-all-hint = Hər mənbə, sonradan əlavə olunanlar da.
webapp-sources-later = Sonradan əlavə olunan mənbə siz onu işarələyənə qədər daxil edilmir.
webapp-sources-none = Hələ mənbə yoxdur.
webapp-langs = Xəbərlərin dilləri
webapp-langs-all = Bütün dillər
webapp-langs-hint = Yalnız işarələnmiş dillərdəki mənbələrin xəbərləri.
webapp-keywords = Açar sözlər
webapp-kw-include = Yalnız bu sözlərdən biri olan xəbərlər
webapp-kw-exclude = Bu sözlər olan xəbərlər gizlədilir
webapp-kw-phrases = Və ya bu dəqiq ifadələrdən biri olanlar
webapp-kw-word = Söz əlavə edin
webapp-kw-phrase = İfadə əlavə edin
webapp-kw-add = Əlavə et
webapp-kw-remove = Sil: { $word }
webapp-kw-repeat = Artıq var: { $word }
webapp-kw-limit = Bir söhbətdə ən çox { $max } açar söz qaydası ola bilər.
webapp-kw-hint = Açar söz olmadan mənbələrinizin bütün xəbərlərini alırsınız.
webapp-delivery = Çatdırılma
webapp-mode = Xəbərlər necə gəlir
webapp-mode-now = Dərc olunduqca
webapp-mode-every = Hər { $hours } saatdan bir icmal
webapp-mode-daily = Gündə bir icmal
webapp-daily-at = İcmal vaxtı
webapp-timezone = Saat qurşağı
webapp-zone-default = Standart ({ $zone })
webapp-delivery-hint = İcmal vaxtları və sakit saatlar bu qurşağa görədir.
webapp-quiet = Sakit saatlar
webapp-quiet-on = Mesajlar səssiz gəlsin
webapp-quiet-from = Başlanğıc
webapp-quiet-to = Son
webapp-quiet-hint = Sakit saatlarda mesajlar yenə gəlir, amma səssiz: nə səs, nə titrəmə.
webapp-messages = Mesajlar
webapp-previews = Keçid önizləməsi
webapp-locale = Botun dili
webapp-messages-hint = Önizləmə aktiv olduqda tək xəbərin mesajı altında məqalənin şəkli və girişi görünür; icmallarda heç vaxt.
webapp-save = Yadda saxla
webapp-saving = Saxlanılır…

## API serverinin cavabları

webapp-unauthorized = Bu səhifə yalnız Telegram-da açıldıqda işləyir. Onu bağlayın və ayarları botdan yenidən açın.
webapp-forbidden = Bu söhbətin ayarlarını dəyişə bilməzsiniz: bunu yalnız onun adminləri edə bilər.
webapp-not-subscribed = Bu söhbət hazırda xəbər almır. Abunə olmaq üçün orada /start göndərin.
webapp-bad-request = Səhifə botun başa düşmədiyi məlumat göndərdi. Səhifəni yenidən yükləyin.
webapp-saved = ✅ Yadda saxlanıldı: { $chat }.
webapp-unchanged = Yadda saxlanacaq heç nə yoxdur: ayarlar artıq belədir.
webapp-failed = Nəsə alınmadı. Yenidən cəhd edin.
webapp-stale = Mənbələrin və ya dillərin siyahısı dəyişib. Səhifəni yenidən yükləyin.

## Söhbətdə

webapp-open = ⚙️ Ayarları aç
webapp-menu-button = Ayarlar
webapp-private-title = Şəxsi söhbətiniz
webapp-topic-title = { $chat } · mövzu { $topic }
webapp-confirm = ⚙️ “{ $chat }” söhbətinin ayarları tətbiqdə dəyişdirildi.
