# Botun öz mətnləri: əmrlər menyusu, /help, /start, /stop, /whoami, /language, /channels,
# qruplar, kanallar və forum mövzuları.

## Əmrlər menyusu və /help
cmd-start = Xəbərlərə abunə olmaq
cmd-latest = Ən son xəbərlər: /latest [n], n 10-a qədər
cmd-sources = Xəbərlər haradan gəlir
cmd-settings = Mənbələriniz, dilləriniz, açar sözləriniz, icmal vaxtları, sakit saatlar
cmd-filter = Açar söz filtrləri: /filter +söz -söz "ifadə"
cmd-language = Botun dili: English, Русский, Azərbaycanca
cmd-channels = Botun yazdığı, idarə etdiyiniz kanallar
cmd-stop = Abunəlikdən çıxmaq
cmd-whoami = Telegram id-niz və bu söhbətin id-si (ADMIN_IDS üçün)
cmd-help = Bu bot nələr edə bilir
cmd-broadcast = Bütün abunəçilərə mesaj: /broadcast <mətn> və ya mesaja cavab olaraq
cmd-cancel = Göndərilən yayımı dayandırmaq
cmd-stats = Abunəçilər, mənbələr, çatdırılma növbəsi, bugünkü göndərişlər, çatdırılmayanlar
cmd-addsource = Mənbə əlavə etmək: /addsource <url> (lent və ya saytın səhifəsi)
cmd-rmsource = Mənbəni silmək: /rmsource <id> (fayldakı mənbələr söndürülür)
cmd-enablesource = Mənbəni yenidən açmaq: /enablesource <id>
cmd-opml = Mənbələr OPML faylı kimi; lentlərini əlavə etmək üçün faylı /opml import başlığı ilə göndərin

## Botun profili
bot-description =
    Regional və dünya xəbərləri dərc olunan kimi: başlıq, qısa xülasə, keçid və digər nəşrlərdən oxşar xəbərlər.
    Mənbələri, dilləri, açar sözləri, icmal vaxtlarını və sakit saatları özünüz seçin. Qruplarda, kanallarda və forum mövzularında işləyir.
    Abunə olmaq üçün «Başlat» düyməsini basın.
bot-short-description = Xəbərlər dərc olunan kimi, oxşar xəbərlərlə. Öz mənbələriniz, dilləriniz və icmallarınız.

help-about = Bu bot mənbələrindəki hər yeni xəbəri dərc olunan kimi göndərir: başlıq, qısa xülasə, məqalənin keçidi və digər nəşrlərdən oxşar xəbərlər.
help-admin = Adminlər üçün:
help-your-id = Telegram id-niz: { $id } (/whoami).
help-groups = Qrupda, forum mövzusunda və ya kanalda da bot xəbər paylaşır: qrupun admini orada /start göndərir (mövzuda — həmin mövzunun içində); kanalın admini botu paylaşım hüququ olan admin kimi əlavə edir.

## /start
start-welcome =
    👋 <b>Xoş gəlmisiniz!</b> Abunə oldunuz: { $sources ->
        [one] { $sources } mənbədən
       *[other] { $sources } mənbədən
    } yeni xəbərlər dərc olunan kimi bura gələcək — qısa xülasə və oxşar xəbərlərlə.
start-welcome-group =
    👋 <b>Bu söhbətdə xəbərlər açıldı.</b> { $sources ->
        [one] { $sources } mənbədən
       *[other] { $sources } mənbədən
    } yeni xəbərlər dərc olunan kimi burada paylaşılacaq. Adminlər ayarları /settings ilə dəyişir, /stop ilə dayandırır.
start-welcome-topic =
    👋 <b>Bu mövzuda xəbərlər açıldı.</b> { $sources ->
        [one] { $sources } mənbədən
       *[other] { $sources } mənbədən
    } yeni xəbərlər bu mövzuda paylaşılacaq. Hər mövzunun öz /settings ayarları var; adminlər burada /stop ilə dayandırır.
start-first-steps = /latest — ən son xəbərlər, /sources — haradan gəlir, /stop — abunəlikdən çıxmaq, /help — qalan hər şey.
start-top-headlines = <b>İndi əsas xəbərlər</b>
start-already = Siz artıq abunəsiniz — yeni xəbərlər bura gəlməyə davam edəcək. /latest — ən son xəbərlər, /help — qalan hər şey.
start-already-here = Burada xəbərlər artıq açıqdır. Adminlər üçün: /settings — dəyişmək, /stop — dayandırmaq.
start-only-admins = Burada xəbərləri yalnız qrupun adminləri aça bilər.

## /stop
stop-done = Abunəlikdən çıxdınız, daha xəbər gəlməyəcək. Qayıtmaq üçün istənilən vaxt /start göndərin — ayarlarınız saxlanılır.
stop-done-group = Burada xəbərlər dayandırıldı. Admin istənilən vaxt /start ilə yenidən aça bilər — ayarlar saxlanılır.
stop-not-subscribed = Siz abunə deyildiniz. Burada xəbər almaq üçün /start göndərin.
stop-only-admins = Burada xəbərləri yalnız qrupun adminləri dayandıra bilər.
access-check-failed = Bu söhbətin xəbərlərini kimin dəyişə biləcəyini yoxlamaq alınmadı — yenidən cəhd edin.

## /whoami
whoami-user = Telegram id-niz: { $id }
whoami-chat = Bu söhbətin id-si: { $id }
whoami-topic = Bu mövzunun id-si: { $id }
whoami-hint = Kimisə bu botun admini etmək üçün onun id-sini ADMIN_IDS-ə (vergüllə) əlavə edin və botu yenidən başladın.

## Heç bir əmrə uyğun gəlməyənlər
fallback-unknown = Belə əmri tanımıram. /help bacardıqlarımın siyahısıdır.
fallback-about-new = Xəbərləri dərc olunan kimi göndərirəm. /start — abunə olmaq, /latest — ən son xəbərlər, /help — qalan hər şey.
fallback-about-subscribed = Siz abunəsiniz: xəbərlər dərc olunan kimi bura gəlir. /latest — ən son xəbərlər, /help — qalan hər şey.
fallback-stale-button = Bu düymə artıq işləmir.
admin-only = Bağışlayın, bunu yalnız botun adminləri edə bilər.

## /language
language-choose = Bu söhbətdə botun dilini seçin:
language-set = Hazırdır: bot burada artıq Azərbaycan dilində yazır.
language-unchanged = Bot burada onsuz da Azərbaycan dilində yazır.

## Qruplar
group-hello = 👋 Salam! Xəbərləri dərc olunan kimi paylaşıram. Qrupun admini xəbərləri açmaq üçün burada /start göndərə bilər (forumda — lazımi mövzunun içində).

## Kanallar
channel-added =
    📢 İndi <b>{ $title }</b> kanalında paylaşım edə bilirəm və xəbərlər orada açıldı: hər yeni xəbər dərc olunan kimi, dil — { $language }.
    Mənbələri, dilləri, açar sözləri, icmal vaxtlarını və paylaşımların dilini /channels ilə dəyişin.
channel-added-again = 📢 <b>{ $title }</b> kanalında yenidən paylaşım edə bilirəm; xəbərlər əvvəlki ayarlarla bərpa olundu.
channel-no-post-right = ⚠️ <b>{ $title }</b> kanalının adminiyəm, amma paylaşım hüququm yoxdur, ona görə xəbərlər orada söndürülüb. Açmaq üçün mənə mesaj paylaşmağa icazə verin.
channel-removed = ⛔ Məni <b>{ $title }</b> kanalından çıxardılar və ya paylaşım hüququmu aldılar: xəbərlər orada dayandırıldı. Davam etmək üçün məni paylaşım hüququ olan admin kimi geri qaytarın — ayarlar saxlanılır.
channels-none = İdarə etdiyiniz kanallar arasında paylaşım etdiyim yoxdur. Məni kanala mesaj paylaşa bilən admin kimi əlavə edin — burada görünəcək.
channels-list = İdarə etdiyiniz və paylaşım etdiyim kanallar — ayarlamaq üçün kanalı seçin:
channels-private-only = /channels əmrini mənə şəxsi söhbətdə göndərin.
channels-not-admin = Siz bu kanalın admini deyilsiniz (artıq).
channels-gone = Artıq bu kanalda paylaşım etmirəm.

## Forum mövzuları
topic-gone = ⚠️ Xəbər göndərdiyim mövzu bağlandı və ya silindi, ona görə onun xəbərləri dayandırıldı. Admin orada xəbər almaq üçün başqa mövzunun içində /start göndərə bilər.
language-only-admins = Qrupun dilini yalnız onun adminləri dəyişə bilər.
