# Adminlərin yayımları: elanın özü, /broadcast, /cancel, yayımın gedişatı və hesabat.

## Abunəçilərin gördüyü elan (HTML)
bc-announcement = 📢 <b>Elan</b>
bc-message-from = 📢 <b>Göndərən: { $name }</b>

## /broadcast (bc-usage və bc-preview-header — HTML)
bc-usage = İstifadə: /broadcast &lt;mətn&gt; — və ya bütün abunəçilərə göndərmək istədiyiniz mesaja /broadcast ilə cavab verin.
bc-too-long = Mətndə { $length ->
        [one] { $length } simvol
       *[other] { $length } simvol
    } var; yayımda ən çox { $max } simvol ola bilər.
bc-preview-header = 📢 <b>Yayımın önizləməsi</b> — «Göndər» düyməsini basdıqda { $count ->
        [one] { $count } abunəçiyə
       *[other] { $count } abunəçiyə
    } gedəcək (önizləmə 15 dəqiqə etibarlıdır):
bc-button-send = ✅ Göndər
bc-button-cancel = ✖️ Ləğv et
bc-expired = Bu yayımın vaxtı keçib. /broadcast əmrini yenidən göndərin.
bc-was-cancelled = Bu yayım ləğv edilib.
bc-on-its-way = Bu yayım artıq göndərilir.
bc-cancelled-answer = Ləğv edildi.
bc-cancelled-preview = ✖️ Yayım ləğv edildi. Heç nə göndərilmədi.
bc-sending-answer = Göndərilir…

## /cancel
bc-cancel-nothing = Ləğv ediləcək heç nə yoxdur: hazırda heç bir yayım göndərilmir.
bc-cancel-stopped = ✖️ Yayım dayandırıldı: { $total ->
        [one] { $total } abunəçidən
       *[other] { $total } abunəçidən
    } { $sent } nəfərə çatdı; qalanlar onu almayacaq.

## Gedişat və hesabat
bc-progress-sending = 📢 Yayım göndərilir: { $sent } / { $total } göndərildi
bc-progress-eta = { $eta } — dayandırmaq üçün: /cancel
bc-progress-finished = 📢 Yayım göndərildi: { $sent } / { $total } çatdırıldı
bc-failed = uğursuz: { $count }
bc-blocked = botu bloklayıb: { $count }
bc-skipped = bu arada abunəlikdən çıxıb: { $count }
bc-eta-finishing = başa çatır…
bc-eta-under-minute = bir dəqiqədən az qalıb
bc-eta-minutes = təxminən { $minutes } dəq qalıb
bc-eta-hours = təxminən { $hours } saat qalıb
bc-report-finished = 📢 Yayım başa çatdı: { $total ->
        [one] { $total } abunəçidən
       *[other] { $total } abunəçidən
    } { $sent } nəfərə göndərildi.
bc-report-counts = Uğursuz: { $failed }. Botu bloklayıb (abunəlikdən çıxarılıb): { $blocked }.
bc-report-skipped = Növbəsi çatmamış abunəlikdən çıxıb: { $count }.
bc-cancelled = ✖️ Yayım /cancel ilə dayandırıldı: { $total ->
        [one] { $total } abunəçidən
       *[other] { $total } abunəçidən
    } { $sent } nəfərə çatdı; qalanlar onu almayacaq.
bc-interrupted = ⚠️ Yayım yarımçıq kəsildi: { $total ->
        [one] { $total } abunəçidən
       *[other] { $total } abunəçidən
    } { $sent } nəfərə çatmışdı; qalanlar onu almayacaq.
bc-interrupted-redis-data-lost = ⚠️ Yayım yarımçıq kəsildi: Redis məlumatlarını itirdi; { $total ->
        [one] { $total } abunəçidən
       *[other] { $total } abunəçidən
    } { $sent } nəfərə çatmışdı; qalanlar onu almayacaq.
