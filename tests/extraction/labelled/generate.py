"""Writes the labelled non-English test pages (``*.html``) and their labels (``labels.json``).

Run once by hand (``python tests/extraction/labelled/generate.py``) when pages are added; the
tests and ``bench/extraction.py`` read the files it wrote. Each page puts real boilerplate of
its markup style around the labelled paragraphs, in the page's own language: WordPress news
themes, React pages with generated class names, AMP, live blogs, paywall teasers, and two pages
that are not articles at all (a consent wall and a bot check).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path

HERE = Path(__file__).parent

UI = {
    "de": dict(
        home="Startseite",
        share="Teilen",
        related="Das könnte Sie auch interessieren",
        comments="Kommentare",
        prompt="Schreiben Sie einen Kommentar",
        also="Lesen Sie auch",
        source="Quelle",
        views="Aufrufe",
        newsletter="Newsletter abonnieren",
        cookie="Wir verwenden Cookies, um Inhalte zu personalisieren.",
        by="Von",
    ),
    "fr": dict(
        home="Accueil",
        share="Partager",
        related="À lire aussi",
        comments="Commentaires",
        prompt="Laisser un commentaire",
        also="Lire aussi",
        source="Source",
        views="vues",
        newsletter="Inscrivez-vous à notre newsletter",
        cookie="Nous utilisons des cookies pour améliorer votre expérience.",
        by="Par",
    ),
    "es": dict(
        home="Portada",
        share="Compartir",
        related="Noticias relacionadas",
        comments="Comentarios",
        prompt="Deja un comentario",
        also="Lee también",
        source="Fuente",
        views="visitas",
        newsletter="Suscríbete a nuestro boletín",
        cookie="Utilizamos cookies propias y de terceros.",
        by="Por",
    ),
    "tr": dict(
        home="Anasayfa",
        share="Paylaş",
        related="İlgili Haberler",
        comments="Yorumlar",
        prompt="Bir yanıt yazın",
        also="Ayrıca okuyun",
        source="Kaynak",
        views="görüntülenme",
        newsletter="Bültenimize abone olun",
        cookie="Sitemizde çerezler kullanılmaktadır.",
        by="",
    ),
    "ar": dict(
        home="الرئيسية",
        share="شارك",
        related="أخبار ذات صلة",
        comments="التعليقات",
        prompt="اترك تعليقا",
        also="اقرأ أيضا",
        source="المصدر",
        views="مشاهدة",
        newsletter="اشترك في النشرة البريدية",
        cookie="يستخدم هذا الموقع ملفات تعريف الارتباط.",
        by="بقلم",
    ),
    "ru": dict(
        home="Главная",
        share="Поделиться",
        related="Читайте также",
        comments="Комментарии",
        prompt="Оставить комментарий",
        also="Читайте также",
        source="Источник",
        views="просмотров",
        newsletter="Подпишитесь на рассылку",
        cookie="Мы используем файлы cookie.",
        by="Автор:",
    ),
}


@dataclass
class Page:
    name: str
    language: str
    style: str
    title: str
    authors: list[str]
    published: str
    body: list[str]
    url: str
    tags: list[str] = field(default_factory=list)
    access: str = "open"
    site: str = "Nachrichten"
    #: what the page shows when the article itself is withheld (paywall teaser)
    hidden: list[str] = field(default_factory=list)


PAGES = [
    Page(
        "de_amp",
        "de",
        "amp",
        "Stadtwerke senken die Gaspreise zum Herbst",
        ["Katrin Vogel"],
        "2024-08-20T09:15:00+02:00",
        [
            "Die Stadtwerke senken zum ersten Oktober die Gaspreise für Privatkunden um durchschnittlich elf Prozent. Ein Haushalt mit einem Verbrauch von 15.000 Kilowattstunden spart damit rund 180 Euro im Jahr.",
            "Grund für die Senkung seien die gefallenen Einkaufspreise an den Energiebörsen, teilte das Unternehmen mit. Die Vorteile würden vollständig an die Kundinnen und Kunden weitergegeben.",
            "Verbraucherschützer begrüßten den Schritt, mahnten aber zugleich, die Preise anderer Anbieter zu vergleichen. Ein Wechsel sei in vielen Fällen noch immer lohnend.",
        ],
        "https://www.rheinpost.example/amp/wirtschaft/stadtwerke-senken-gaspreise-a-8812.html",
        ["Energie"],
        site="Rheinpost",
    ),
    Page(
        "de_liveblog",
        "de",
        "liveblog",
        "Unwetter im Süden: Der Tag im Liveticker",
        ["Tobias Kern", "Miriam Roth"],
        "2024-06-03T07:00:00+02:00",
        [
            "Nach tagelangem Starkregen stehen in mehreren Landkreisen ganze Ortschaften unter Wasser. Die Feuerwehr ist mit mehr als 3.000 Einsatzkräften im Dauereinsatz.",
            "Der Pegel der Donau bei Regensburg ist in der Nacht auf 5,80 Meter gestiegen. Die Stadt hat die Altstadt-Ufer gesperrt und bittet Anwohner, Keller zu räumen.",
            "Die Deutsche Bahn hat den Fernverkehr zwischen München und Stuttgart vorübergehend eingestellt. Reisende sollen ihre Fahrten nach Möglichkeit verschieben.",
            "Der Ministerpräsident hat die Hochwassergebiete besucht und den Betroffenen schnelle Hilfe zugesagt. Ein Soforthilfeprogramm soll noch in dieser Woche beschlossen werden.",
        ],
        "https://www.rheinpost.example/panorama/unwetter-liveticker-2024-06-03/",
        ["Unwetter"],
        site="Rheinpost",
    ),
    Page(
        "de_consent",
        "de",
        "consent",
        "",
        [],
        "",
        [],
        "https://www.rheinpost.example/politik/wahl-ergebnis-a-9901.html",
        access="blocked",
        site="Rheinpost",
    ),
    Page(
        "fr_wordpress",
        "fr",
        "wordpress",
        "La ville de Lyon agrandit son réseau de pistes cyclables",
        ["Julien Marchand"],
        "2024-04-11T10:30:00+02:00",
        [
            "La métropole de Lyon a présenté mardi un plan de 120 millions d'euros pour créer soixante kilomètres de nouvelles pistes cyclables d'ici 2026, en priorité sur les grands axes reliant la périphérie au centre.",
            "Les travaux commenceront dès cet été sur le cours Lafayette et l'avenue Berthelot. Pendant le chantier, la circulation automobile sera réduite à une voie dans chaque sens.",
            "Les associations de cyclistes saluent un projet ambitieux, tandis que plusieurs commerçants s'inquiètent de la suppression de places de stationnement devant leurs boutiques.",
        ],
        "https://www.journal-du-rhone.example/2024/04/11/lyon-pistes-cyclables/",
        ["Vélo", "Lyon"],
        site="Journal du Rhône",
    ),
    Page(
        "fr_paywall",
        "fr",
        "paywall",
        "Réforme des retraites : ce que prévoit le nouveau texte",
        ["Sophie Laurent"],
        "2024-03-02T06:00:00+01:00",
        [
            "Le gouvernement présente ce lundi en conseil des ministres un nouveau projet de loi sur les retraites, qui prévoit de relever progressivement l'âge légal de départ."
        ],
        "https://www.quotidien.example/politique/article/2024/03/02/reforme-retraites_6220.html",
        access="paywalled",
        site="Le Quotidien",
        hidden=[
            "Selon nos informations, le texte maintiendrait le dispositif des carrières longues."
        ],
    ),
    Page(
        "es_divsoup",
        "es",
        "divsoup",
        "El Gobierno aprueba una ayuda para el alquiler de los jóvenes",
        ["Lucía Fernández"],
        "2024-02-14T13:45:00+01:00",
        [
            "El Consejo de Ministros ha aprobado este martes una ayuda de 250 euros mensuales para el alquiler de los jóvenes de entre 18 y 35 años con ingresos inferiores a 24.000 euros anuales.",
            "La ayuda se podrá solicitar a partir de abril a través de las comunidades autónomas y tendrá una duración máxima de dos años. El Ministerio calcula que beneficiará a unas 70.000 personas.",
            "Las organizaciones juveniles consideran positiva la medida, aunque advierten de que no resolverá el problema de fondo mientras siga faltando vivienda asequible en las grandes ciudades.",
        ],
        "https://www.diario-norte.example/economia/ayuda-alquiler-jovenes-20240214-nt.html",
        ["Vivienda"],
        site="Diario del Norte",
    ),
    Page(
        "es_html5",
        "es",
        "html5",
        "Sevilla bate su récord de visitantes en Semana Santa",
        ["Antonio Ruiz", "Carmen Gil"],
        "2024-04-01T19:20:00+02:00",
        [
            "Sevilla ha recibido durante la Semana Santa más de un millón de visitantes, un diez por ciento más que el año pasado, según los datos facilitados por el Ayuntamiento.",
            "La ocupación hotelera superó el 95 por ciento en los días centrales y los restaurantes del centro histórico registraron largas colas durante toda la semana.",
            "El alcalde destacó el buen funcionamiento del dispositivo de seguridad, que contó con más de 2.000 agentes, y anunció que se revisarán los horarios del metro para el próximo año.",
        ],
        "https://www.diario-sur.example/sevilla/record-visitantes-semana-santa-2024/",
        ["Turismo", "Sevilla"],
        site="Diario del Sur",
    ),
    Page(
        "tr_wordpress",
        "tr",
        "wordpress",
        "İstanbul'da metro hattı yeniden hizmete açıldı",
        ["Ayşe Demir"],
        "2024-05-21T11:00:00+03:00",
        [
            "İstanbul'da bakım çalışmaları nedeniyle iki hafta boyunca kapalı kalan M2 metro hattı bu sabah yeniden hizmete açıldı. İlk seferler saat 06.00'da başladı.",
            "Belediye yetkilileri, çalışmalar kapsamında raylar ve sinyalizasyon sisteminin tamamen yenilendiğini, sefer aralıklarının yoğun saatlerde üç dakikaya düşürüleceğini açıkladı.",
            "Hattın kapalı olduğu dönemde ek otobüs seferleri düzenlenmiş, ancak yolcular uzun bekleme sürelerinden şikâyet etmişti.",
        ],
        "https://www.sehir-haber.example/istanbul/metro-hatti-yeniden-acildi-haber-48211/",
        ["Ulaşım", "İstanbul"],
        site="Şehir Haber",
    ),
    Page(
        "tr_html5",
        "tr",
        "html5",
        "Ankara'da kar yağışı nedeniyle okullar tatil edildi",
        ["Mehmet Yılmaz"],
        "2024-01-16T08:30:00+03:00",
        [
            "Ankara Valiliği, gece boyunca etkili olan yoğun kar yağışı nedeniyle kentteki tüm okullarda eğitime bir gün ara verildiğini duyurdu.",
            "Meteoroloji, kar yağışının öğleden sonra da devam edeceğini ve bazı ilçelerde kar kalınlığının kırk santimetreye ulaşabileceğini bildirdi.",
            "Belediye ekipleri ana arterlerde tuzlama ve kar küreme çalışmalarını sürdürüyor. Sürücülerin zorunlu olmadıkça trafiğe çıkmamaları istendi.",
        ],
        "https://www.baskent-gazetesi.example/gundem/ankara-kar-tatil-2024-01-16/",
        ["Hava durumu"],
        site="Başkent Gazetesi",
    ),
    Page(
        "ar_html5",
        "ar",
        "html5",
        "افتتاح أكبر محطة للطاقة الشمسية في المنطقة",
        ["أحمد الحسن"],
        "2024-03-12T10:00:00+03:00",
        [
            "افتتحت الحكومة اليوم أكبر محطة للطاقة الشمسية في المنطقة بقدرة إنتاجية تبلغ ألفي ميغاواط، وهي كافية لتزويد نحو مليون منزل بالكهرباء.",
            "وقال وزير الطاقة في كلمة خلال حفل الافتتاح إن المشروع يمثل خطوة مهمة نحو تحقيق هدف إنتاج نصف الكهرباء من مصادر متجددة بحلول عام ألفين وثلاثين.",
            "وأضاف أن المحطة وفرت أكثر من ثلاثة آلاف فرصة عمل خلال مرحلة البناء، وأن الحكومة تخطط لإنشاء محطتين إضافيتين في السنوات المقبلة.",
        ],
        "https://www.akhbar-alyawm.example/economy/2024/03/12/solar-plant-opening",
        ["طاقة"],
        site="أخبار اليوم",
    ),
    Page(
        "ar_wordpress",
        "ar",
        "wordpress",
        "ارتفاع أسعار الذهب إلى مستوى قياسي جديد",
        ["سارة المصري"],
        "2024-04-08T15:30:00+03:00",
        [
            "ارتفعت أسعار الذهب في الأسواق العالمية اليوم إلى مستوى قياسي جديد، مدفوعة بتزايد الطلب على الملاذات الآمنة في ظل التوترات الاقتصادية.",
            "وسجلت الأونصة في المعاملات الفورية أعلى سعر لها على الإطلاق، فيما توقع محللون أن يستمر الارتفاع خلال الأسابيع المقبلة.",
            "وفي الأسواق المحلية، شهدت محلات الصاغة إقبالا ضعيفا من المشترين، بينما زاد عدد الراغبين في بيع ما لديهم من مشغولات ذهبية.",
        ],
        "https://www.alsouq.example/2024/04/08/gold-record-price/",
        ["الذهب", "اقتصاد"],
        site="السوق",
    ),
    Page(
        "ru_html5",
        "ru",
        "html5",
        "В Москве открылась новая станция метро",
        ["Анна Смирнова"],
        "2024-09-05T12:00:00+03:00",
        [
            "В Москве в четверг открылась новая станция метро на Большой кольцевой линии. Она стала сто восьмидесятой по счёту станцией столичного метрополитена.",
            "По словам представителей мэрии, новая станция позволит сократить время поездки до центра города для жителей соседних районов почти на двадцать минут.",
            "Рядом со станцией построен перехватывающий паркинг на пятьсот машино-мест, а также новая остановка для городских автобусов.",
        ],
        "https://www.gorodskie-vesti.example/moskva/2024/09/05/novaya-stanciya-metro/",
        ["Метро", "Москва"],
        site="Городские вести",
    ),
    Page(
        "ru_divsoup",
        "ru",
        "divsoup",
        "Урожай пшеницы в этом году оказался выше ожиданий",
        ["Дмитрий Козлов"],
        "2024-10-02T09:45:00+03:00",
        [
            "Урожай пшеницы в этом году превысил прогнозы аналитиков, несмотря на засушливое лето в ряде южных регионов. По предварительным данным, собрано более восьмидесяти миллионов тонн.",
            "Эксперты объясняют высокий результат хорошими погодными условиями весной и увеличением посевных площадей в центральных областях.",
            "Ожидается, что значительная часть урожая будет направлена на экспорт, прежде всего в страны Ближнего Востока и Северной Африки.",
        ],
        "https://www.agro-novosti.example/news/urozhaj-pshenicy-2024-a-55102",
        ["Сельское хозяйство"],
        site="Агроновости",
    ),
    Page(
        "en_captcha",
        "en",
        "captcha",
        "",
        [],
        "",
        [],
        "https://www.daily-record.example/world/2024/05/16/summit-ends/",
        access="blocked",
        site="Daily Record",
    ),
]


def _meta(page: Page) -> str:
    ld: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title,
        "datePublished": page.published,
        "author": [{"@type": "Person", "name": a} for a in page.authors],
        "keywords": page.tags,
        "inLanguage": page.language,
        "publisher": {"@type": "Organization", "name": page.site},
    }
    if page.access == "paywalled":
        ld["isAccessibleForFree"] = False
        ld["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": ".paywalled-content",
        }
    tags = "".join(f'<meta property="article:tag" content="{escape(t)}">' for t in page.tags)
    return (
        f'<link rel="canonical" href="{page.url}"><meta property="og:type" content="article">'
        f'<meta property="og:title" content="{escape(page.title)}">'
        f'<meta property="og:site_name" content="{escape(page.site)}">{tags}'
        f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
    )


def _shell(page: Page, body: str, head: str = "") -> str:
    ui = UI[page.language]
    direction = ' dir="rtl"' if page.language == "ar" else ""
    nav = "".join(f'<li><a href="/{n}/">{n}</a></li>' for n in ("politik", "wirtschaft", "sport"))
    return f"""<!DOCTYPE html><html lang="{page.language}"{direction}><head><meta charset="utf-8">
<title>{escape(page.title or page.site)} | {escape(page.site)}</title>{head}</head><body>
<header><a href="/">{escape(page.site)}</a><nav><ul><li><a href="/">{ui["home"]}</a></li>{nav}</ul></nav></header>
<div class="cookie-banner" id="cookie-consent"><p>{ui["cookie"]}</p><button>OK</button></div>
{body}
<footer><p>© 2024 {escape(page.site)}</p><a href="/impressum">Impressum</a></footer></body></html>"""


def _paragraphs(page: Page, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return "\n".join(f"<p{attr}>{escape(p)}</p>" for p in page.body)


def _related(page: Page) -> str:
    ui = UI[page.language]
    return (
        f'<section class="related"><h3>{ui["related"]}</h3><ul>'
        + "".join(
            f'<li><a href="/artikel-{i}/">{escape(page.title[:30])} {i}</a></li>'
            for i in range(1, 4)
        )
        + "</ul></section>"
    )


def _comments(page: Page) -> str:
    ui = UI[page.language]
    return (
        f'<div id="comments" class="comments-area"><h3 class="comment-reply-title">'
        f'{ui["prompt"]}</h3><form id="commentform"><textarea></textarea>'
        f'<input type="submit" value="{ui["comments"]}"></form></div>'
    )


def html5(page: Page) -> str:
    ui = UI[page.language]
    authors = ", ".join(page.authors)
    also = (
        f'<p><strong>{ui["also"]}:</strong> <a href="/weitere-meldung-1234/">'
        f"{escape(page.title[:40])}…</a></p>"
    )
    paragraphs = [*page.body[:2], also, *page.body[2:]]
    body = "\n".join(
        p if p.startswith("<p><strong>") else f"<p>{escape(p)}</p>" for p in paragraphs
    )
    return _shell(
        page,
        f"""<main><article>
<nav class="breadcrumb"><a href="/">{ui["home"]}</a> › <a href="/news/">News</a></nav>
<h1>{escape(page.title)}</h1>
<p class="byline">{ui["by"]} {escape(authors)} · <time datetime="{page.published}">{page.published[:10]}</time></p>
<div class="share-bar"><a href="#">{ui["share"]}</a></div>
<div class="article-body">{body}</div>
<p class="article-source">{ui["source"]}: AA</p>
</article>{_related(page)}{_comments(page)}</main>""",
        _meta(page),
    )


def wordpress(page: Page) -> str:
    ui = UI[page.language]
    return _shell(
        page,
        f"""<div class="td-container"><div class="entry-crumbs"><a href="/">{ui["home"]}</a> » {escape(page.title[:30])}</div>
<article class="post type-post"><h1 class="entry-title">{escape(page.title)}</h1>
<div class="td-module-meta-info"><span class="td-post-author-name"><a href="/author/x/">{escape(page.authors[0])}</a></span>
<time class="entry-date" datetime="{page.published}">{page.published[:10]}</time>
<div class="td-post-views"><span>1482</span></div><div class="td-post-comments"><a href="#comments">3</a></div></div>
<div class="td-post-sharing-top"><a class="td-social-facebook" href="#">Facebook</a><a class="td-social-twitter" href="#">Twitter</a></div>
<div class="td-post-content">{_paragraphs(page)}
<p><a href="/baska-haber/"><strong>{escape(page.title[:45])}</strong></a></p></div>
<div class="td-post-source-tags"><ul><li><span>{ui["source"]}</span></li></ul></div>
</article>{_related(page)}{_comments(page)}</div>""",
        _meta(page),
    )


def divsoup(page: Page) -> str:
    ui = UI[page.language]
    return _shell(
        page,
        f"""<div id="root"><div class="sc-1x2y3z"><div class="sc-abc123"><span class="sc-kicker">{escape(page.site)}</span>
<h1 class="sc-h1-9f8e">{escape(page.title)}</h1><div class="sc-meta-77">{escape(", ".join(page.authors))} · {page.published[:10]}</div>
<div class="sc-stats-1"><span>2.431 {ui["views"]}</span></div>
<div class="sc-body-5k2">{_paragraphs(page, "sc-p-1q2w")}</div>
<div class="sc-share-8"><button>{ui["share"]}</button></div>
<div class="sc-more-3"><h2>{ui["related"]}</h2><a href="/x-1/">{escape(page.title[:35])}</a></div></div></div></div>""",
        _meta(page),
    )


def amp(page: Page) -> str:
    ui = UI[page.language]
    head = (
        '<script async src="https://cdn.ampproject.org/v0.js"></script>'
        "<style amp-custom>body{font-family:sans-serif}</style>" + _meta(page)
    )
    return _shell(
        page,
        f"""<amp-sidebar id="sidebar" layout="nodisplay"><ul><li>{ui["home"]}</li></ul></amp-sidebar>
<article class="amp-article"><header><h1 class="amp-title">{escape(page.title)}</h1>
<div class="amp-byline">{ui["by"]} {escape(page.authors[0])} <time datetime="{page.published}">{page.published[:10]}</time></div></header>
<amp-img src="/bild.jpg" width="800" height="450" layout="responsive" alt="Bild"></amp-img>
<div class="amp-article-body">{_paragraphs(page)}</div>
<amp-social-share type="twitter"></amp-social-share><amp-social-share type="facebook"></amp-social-share>
<div class="amp-newsletter"><p>{ui["newsletter"]}</p></div></article>{_related(page)}""",
        head,
    )


def liveblog(page: Page) -> str:
    ui = UI[page.language]
    entries = "\n".join(
        f'<div class="liveblog-entry" id="post-{i}"><time class="entry-time" datetime="{page.published[:11]}{12 - i:02d}:00:00+02:00">{12 - i:02d}:00 Uhr</time>'
        f'<div class="entry-content"><p>{escape(p)}</p></div><div class="entry-share"><a href="#">{ui["share"]}</a></div></div>'
        for i, p in enumerate(page.body)
    )  # newest entry first, as live blogs show them
    ld = _meta(page).replace('"NewsArticle"', '"LiveBlogPosting"')
    return _shell(
        page,
        f"""<main><h1>{escape(page.title)}</h1>
<p class="byline">{ui["by"]} {escape(" und ".join(page.authors))}</p>
<div class="liveblog-header"><span class="live-badge">LIVE</span> <button>Aktualisieren</button></div>
<div class="liveblog-feed">{entries}</div>{_related(page)}</main>""",
        ld,
    )


def paywall(page: Page) -> str:
    hidden = "".join(f"<p>{escape(p)}</p>" for p in page.hidden)
    return _shell(
        page,
        f"""<main><article><h1>{escape(page.title)}</h1>
<p class="author">Par {escape(page.authors[0])}</p><time datetime="{page.published}">{page.published[:10]}</time>
<div class="article-content">{_paragraphs(page)}
<div class="paywalled-content" style="display:none">{hidden}</div>
<section class="paywall"><p>Il vous reste 85% de cet article à lire.</p><p>La suite est réservée aux abonnés.</p>
<a class="btn" href="/abonnement">S'abonner</a> <a href="/connexion">Déjà abonné ? Se connecter</a></section></div>
</article></main>""",
        _meta(page),
    )


def consent(page: Page) -> str:
    return _shell(
        page,
        """<div class="sp_message_container" id="sp_message_container_123"><div class="message">
<h2>Wir brauchen Ihre Zustimmung</h2>
<p>Wir und unsere Partner verwenden Cookies und ähnliche Technologien, um Inhalte und Anzeigen zu personalisieren und Zugriffe zu analysieren. Mit Klick auf „Alle akzeptieren“ stimmen Sie der Verarbeitung zu. Ihre Einwilligung können Sie jederzeit widerrufen.</p>
<button>Alle akzeptieren</button> <button>Einstellungen</button> <a href="/abo">Ohne Werbung lesen mit PUR-Abo</a></div></div>""",
    )


def captcha(page: Page) -> str:
    return f"""<!DOCTYPE html><html lang="en"><head><title>Just a moment...</title>
<meta name="robots" content="noindex,nofollow"></head><body><div id="challenge-body">
<h1>Please verify you are a human</h1><p>Checking your browser before accessing {page.url.split("/")[2]}.</p>
<p>This process is automatic. Your browser will redirect to your requested content shortly.</p>
<div class="cf-turnstile" data-sitekey="x"></div><p>Ray ID: 8a1b2c3d4e5f</p></div></body></html>"""


STYLES = {
    "html5": html5,
    "wordpress": wordpress,
    "divsoup": divsoup,
    "amp": amp,
    "liveblog": liveblog,
    "paywall": paywall,
    "consent": consent,
    "captcha": captcha,
}


def main() -> None:
    labels = {}
    for page in PAGES:
        (HERE / f"{page.name}.html").write_text(STYLES[page.style](page), encoding="utf-8")
        label = asdict(page)
        label.pop("hidden")
        label.pop("name")
        labels[f"{page.name}.html"] = label
    (HERE / "labels.json").write_text(
        json.dumps(labels, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
