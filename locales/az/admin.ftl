# Adminlər üçün mətnlər: /stats və bildirişlər.

## /stats (adi mətn). Saylar rəqəmdir (lokalda qruplaşdırılır); $chat və $id sətirdir.
adm-stats-title = 📊 Bot statistikası
adm-stats-subscribers = Abunəçilər: { $count }
adm-stats-sources = Mənbələr: { $count }
adm-stats-queue = Növbə: gözləyir { $waiting } · təxirə salınıb { $delayed } · göndərilir { $active }
adm-stats-chats = Xəbərlər: indi növbədə { $waiting } çat · göndərilir { $active } · planlaşdırılıb { $scheduled } (icmallar, təkrarlar)
adm-stats-today = Bu gün: göndərilib { $sent } · əvvəlki mesajlarla birləşdirilib { $merged } · uğursuz { $failed } · botu bloklayıb { $blocked }
adm-stats-dead-letters = Çatdırılmayanlar: { $count }
# son çatdırılmayanlardan biri; $reason — xətanın Telegram-ın özündən gələn təsviri
adm-stats-dead-letter = • { $time } çat { $chat } — { $what }: { $reason }
adm-stats-what-news = xəbər { $key }
adm-stats-what-digest = { $chat } çatı üçün { $count } xəbərlik icmal
adm-stats-what-broadcast = yayım { $id }
adm-stats-broadcast = Yayım { $id }: göndərilib { $sent } / { $total } · uğursuz { $failed } · bloklayıb { $blocked }

## Mənbə çox xəta verdiyi üçün dayandırılanda bildiriş (HTML: dəyərlər ekranlaşdırılıb)
adm-source-disabled =
    ⚠️ «{ $name }» ({ $id }) mənbəyi dayandırıldı: ardıcıl { $failures } yoxlama uğursuz oldu.
    Son xəta: { $error }
    { $url } ünvanını yoxlayın və mənbəni /enablesource { $id } ilə yenidən aktiv edin
