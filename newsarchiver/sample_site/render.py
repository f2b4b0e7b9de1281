"""HTML, feed and sitemap markup of the sample news site.

Each article style reproduces the boilerplate real news templates put around the text (cookie
banners, share bars, counters, related teasers, comment forms, newsletter boxes), so the crawl
of this site exercises the same extraction problems a real one does.
"""

from __future__ import annotations

import json
from datetime import datetime
from html import escape
from typing import Any

from .content import SECTIONS, SITE_NAME, SampleArticle, article_by_path

PAGE_SIZE = 3

COOKIE_BANNER = """
<div id="cookie-notice" class="cookie-consent-banner" role="dialog">
  <p>Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis zu bieten. Mit der Nutzung
  unserer Website stimmen Sie der Verwendung von Cookies zu.</p>
  <button class="cookie-accept">Alle akzeptieren</button> <a href="/datenschutz/">Datenschutz</a>
</div>"""


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-").replace("ü", "ue").replace("ö", "oe").replace("ä", "ae")


def _nav() -> str:
    links = "".join(f'<li><a href="/{key}/">{label}</a></li>' for key, label in SECTIONS.items())
    return f"""<header class="site-header"><a class="logo" href="/">{SITE_NAME}</a>
<nav class="main-nav"><ul><li><a href="/">Startseite</a></li>{links}</ul></nav></header>"""


def _footer() -> str:
    return """<footer class="site-footer"><ul>
<li><a href="/kontakt/">Kontakt</a></li><li><a href="/impressum/">Impressum</a></li>
<li><a href="/feed.xml">RSS</a></li><li><a href="/autor/anna-weber/">Anna Weber</a></li>
</ul><p>© 2024 Tagesblatt Verlag GmbH. Alle Rechte vorbehalten.</p></footer>"""


def _page(
    title: str, body: str, *, head: str = "", lang: str | None = "de", charset: str = "utf-8"
) -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    return f"""<!DOCTYPE html>
<html{lang_attr}><head><meta charset="{charset}">
<title>{escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} RSS" href="/feed.xml">
{head}
</head><body>
{_nav()}
{COOKIE_BANNER}
<main>
{body}
</main>
{_footer()}
</body></html>"""


def _teaser(article: SampleArticle) -> str:
    return f"""<div class="teaser"><h3><a href="{article.path}">{escape(article.title)}</a></h3>
<p class="teaser-text">{escape(article.description)}</p></div>"""


def _listing(title: str, teasers: list[SampleArticle], extra: str = "") -> str:
    items = "\n".join(_teaser(a) for a in teasers)
    body = f'<h1 class="section-title">{escape(title)}</h1>\n<div class="teasers">{items}</div>'
    return _page(
        f"{title} – {SITE_NAME}", body + extra, head='<meta property="og:type" content="website">'
    )


def home(articles: list[SampleArticle], *, faults: bool) -> str:
    teasers = [a for a in articles if "home" in a.found_via and not a.fault and not a.disallowed]
    # Old links that redirect, forbidden paths and (with faults on) the bad pages.
    extra_links = [
        '<li><a href="/alt/inflation-mai">Inflation im Mai (Archivlink)</a></li>',
        '<li><a href="/intern/redaktionskonferenz-protokoll/">Intern: Konferenz</a></li>',
        # the same article again, with tracking parameters and a fragment: fetched once only
        '<li><a href="/politik/klimaschutzgesetz-haefen-bundestag-a-20240514.html'
        '?utm_source=startseite&amp;utm_medium=teaser#kommentare">Klimaschutz (Kommentare)</a></li>',
    ]
    if faults:
        extra_links += [
            f'<li><a href="{a.path}">{escape(a.title)}</a></li>' for a in articles if a.fault
        ]
        extra_links += [f'<li><a href="/faults/{name}">{name}</a></li>' for name in FAULT_LINKS]
    most_read = "".join(f"<li>{link}</li>" for link in extra_links)
    aside = f"""<aside class="most-read"><h2>Meistgelesen</h2><ul>{most_read}</ul></aside>"""
    return _listing("Nachrichten aus dem Norden", teasers, aside)


#: bad pages served with faults on, by /faults/NAME (see server.py for what each does)
FAULT_LINKS = ("binary", "error-500", "missing", "loop-a", "slow", "huge")


#: articles per section page once a section has more than this (generated benchmark sites)
SECTION_PAGE_SIZE = 50


def section(key: str, articles: list[SampleArticle], page: int) -> str | None:
    listed = [
        a
        for a in articles
        if a.section == key
        and not a.fault
        and not a.disallowed
        and ({"section", "section-page-2"} & set(a.found_via))
    ]
    first = [a for a in listed if "section-page-2" not in a.found_via]
    second = [a for a in listed if "section-page-2" in a.found_via]
    pages = [first, second] if second else [first]
    if len(first) > SECTION_PAGE_SIZE:  # a big (generated) site: pages as real sites page
        pages = [
            listed[start : start + SECTION_PAGE_SIZE]
            for start in range(0, len(listed), SECTION_PAGE_SIZE)
        ]
    if page > len(pages):
        return None
    nav = ""
    if page < len(pages):
        nav = f'<nav class="pagination"><a class="next" href="/{key}/page/{page + 1}/">Weiter</a></nav>'
    return _listing(SECTIONS[key], pages[page - 1], nav)


def tag_page(tag: str, articles: list[SampleArticle]) -> str | None:
    tagged = [a for a in articles if tag in {_slug(t) for t in a.tags} and not a.disallowed]
    if not tagged:
        return None
    return _listing(f"Thema: {tag}", tagged[:SECTION_PAGE_SIZE])  # the newest, as sites do


def author_page(slug: str, articles: list[SampleArticle]) -> str | None:
    written = [a for a in articles if slug in {_slug(n) for n in a.authors} and not a.disallowed]
    if not written:
        return None
    name = next(n for n in written[0].authors if _slug(n) == slug)
    bio = (
        f'<p class="author-bio">{escape(name)} schreibt für das {SITE_NAME} über Politik, '
        "Wirtschaft und das Leben an der Küste. Sie erreichen die Redaktion über das "
        "Kontaktformular oder per Post an unsere Verlagsadresse in der Hafenstraße.</p>"
    )
    return _listing(name, written[:SECTION_PAGE_SIZE], bio)


STATIC_PAGES = {
    "/kontakt/": (
        "Kontakt",
        [
            "Sie haben Fragen, Hinweise oder Anregungen? Die Redaktion des Tagesblatts ist montags "
            "bis freitags von neun bis achtzehn Uhr telefonisch und jederzeit per E-Mail erreichbar.",
            "Für Leserbriefe nutzen Sie bitte das Formular auf dieser Seite. Wir behalten uns vor, "
            "Zuschriften gekürzt zu veröffentlichen, und bitten um Verständnis, dass wir nicht jede "
            "Zuschrift einzeln beantworten können.",
            "Anzeigenkunden wenden sich bitte direkt an die Anzeigenabteilung des Verlags, die Ihnen "
            "gerne aktuelle Preislisten und Mediadaten zusendet.",
        ],
    ),
    "/datenschutz/": (
        "Datenschutz",
        [
            "Wir verarbeiten personenbezogene Daten nur, soweit dies für den Betrieb dieser Website "
            "und die Bereitstellung unserer Inhalte erforderlich ist. Rechtsgrundlage ist Art. 6 "
            "Abs. 1 DSGVO.",
            "Beim Aufruf der Website speichert unser Server vorübergehend die IP-Adresse, Datum und "
            "Uhrzeit des Abrufs sowie die aufgerufene Seite. Diese Daten werden nach sieben Tagen "
            "gelöscht, sofern sie nicht zur Aufklärung eines Angriffs benötigt werden.",
            "Sie haben das Recht auf Auskunft, Berichtigung, Löschung und Einschränkung der "
            "Verarbeitung Ihrer Daten sowie ein Beschwerderecht bei einer Aufsichtsbehörde.",
        ],
    ),
    "/impressum/": (
        "Impressum",
        [
            "Tagesblatt Verlag GmbH, Hafenstraße 12, 20457 Hamburg. Geschäftsführung: Maria "
            "Schulz. Registergericht: Amtsgericht Hamburg, HRB 123456.",
            "Verantwortlich für den redaktionellen Inhalt nach § 18 Abs. 2 MStV ist die "
            "Chefredakteurin Lena Hoffmann, Anschrift wie oben. Die Inhalte dieser Website sind "
            "urheberrechtlich geschützt und dürfen nicht ohne Zustimmung verbreitet werden.",
            "Die Europäische Kommission stellt eine Plattform zur Online-Streitbeilegung bereit. "
            "Wir sind nicht verpflichtet und nicht bereit, an einem Streitbeilegungsverfahren vor "
            "einer Verbraucherschlichtungsstelle teilzunehmen.",
        ],
    ),
}


def static_page(path: str) -> str | None:
    if path not in STATIC_PAGES:
        return None
    title, paragraphs = STATIC_PAGES[path]
    text = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    form = (
        (
            '<form class="contact-form" action="/kontakt/senden" method="post">'
            '<input name="name" placeholder="Ihr Name"><textarea name="nachricht"></textarea>'
            "<button>Senden</button></form>"
        )
        if path == "/kontakt/"
        else ""
    )
    return _page(
        f"{title} – {SITE_NAME}",
        f"<h1>{title}</h1>\n{text}\n{form}",
        head='<meta property="og:type" content="website">',
    )


def _german_date(iso: str) -> str:
    when = datetime.fromisoformat(iso)
    return when.strftime("%d.%m.%Y, %H:%M Uhr")


def _json_ld(article: SampleArticle, base: str, *, graph: bool) -> str:
    news: dict[str, Any] = {
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published,
        "dateModified": article.modified or article.published,
        "author": [
            {"@type": "Person", "name": n, "url": f"{base}/autor/{_slug(n)}/"}
            for n in article.authors
        ],
        "publisher": {"@type": "Organization", "name": SITE_NAME},
        "keywords": list(article.tags),
        "articleSection": SECTIONS[article.section],
        "mainEntityOfPage": f"{base}{article.path}",
    }
    if graph:  # Yoast SEO's layout: everything in one @graph
        data = {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebPage", "@id": f"{base}{article.path}", "name": article.title},
                news,
                {"@type": "BreadcrumbList", "itemListElement": []},
            ],
        }
    else:
        data = {"@context": "https://schema.org", **news}
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def _meta(article: SampleArticle, base: str, *, og_type: bool = True) -> str:
    parts = [
        f'<link rel="canonical" href="{base}{article.path}">',
        f'<meta name="description" content="{escape(article.description)}">',
        f'<meta property="og:title" content="{escape(article.title)}">',
        f'<meta property="og:site_name" content="{SITE_NAME}">',
        f'<meta property="og:image" content="{base}/bilder/{_slug(article.section)}.jpg">',
        f'<meta property="article:published_time" content="{article.published}">',
    ]
    if og_type:
        parts.append('<meta property="og:type" content="article">')
    if article.modified:
        parts.append(f'<meta property="article:modified_time" content="{article.modified}">')
    parts += [f'<meta property="article:tag" content="{escape(t)}">' for t in article.tags]
    return "\n".join(parts)


def _paragraphs(article: SampleArticle) -> list[str]:
    return [f"<p>{escape(p)}</p>" for p in article.paragraphs]


def _related(article: SampleArticle, articles: list[SampleArticle]) -> str:
    others = [a for a in articles if a.path != article.path and not a.fault and not a.disallowed]
    return "".join(_teaser(a) for a in others[:3])


def article_page(article: SampleArticle, articles: list[SampleArticle], base: str) -> str:
    render = {"wordpress": _wordpress, "html5": _html5, "divsoup": _divsoup, "broken": _broken}[
        article.style
    ]
    return render(article, articles, base)


def _html5(article: SampleArticle, articles: list[SampleArticle], base: str) -> str:
    byline = " und ".join(
        f'<a rel="author" href="/autor/{_slug(n)}/">{escape(n)}</a>' for n in article.authors
    )
    paragraphs = _paragraphs(article)
    # a newsletter box in the middle of the text, as many publishers do
    paragraphs.insert(
        2,
        """<aside class="newsletter-signup"><h4>Der Morgen-Newsletter</h4>
<p>Die wichtigsten Nachrichten des Tages, jeden Morgen um sechs in Ihrem Postfach.</p>
<form><input type="email" placeholder="Ihre E-Mail-Adresse"><button>Abonnieren</button></form></aside>""",
    )
    tags = "".join(f'<li><a href="/tag/{_slug(t)}/">{escape(t)}</a></li>' for t in article.tags)
    body = f"""<article class="article">
<nav class="breadcrumb"><a href="/">Startseite</a> › <a href="/{article.section}/">{SECTIONS[article.section]}</a></nav>
<header><h1>{escape(article.title)}</h1>
<p class="byline">Von {byline} · <time datetime="{article.published}">{_german_date(article.published)}</time></p>
<ul class="share-buttons"><li><a href="https://www.facebook.com/sharer.php">Teilen</a></li>
<li><a href="https://twitter.com/intent/tweet">Twittern</a></li><li><a href="mailto:?subject=Artikel">E-Mail</a></li></ul>
</header>
<div class="article-body">
{chr(10).join(paragraphs)}
</div>
<footer class="article-footer"><ul class="tags">{tags}</ul></footer>
</article>
<section class="related-articles"><h2>Mehr zum Thema</h2>{_related(article, articles)}</section>"""
    head = _meta(article, base) + "\n" + _json_ld(article, base, graph=False)
    charset = "iso-8859-1" if article.served == "latin-1" else "utf-8"
    # The French page declares no language anywhere: it must be detected from the text.
    lang = None if article.language != "de" and article.served == "latin-1" else article.language
    return _page(f"{article.title} – {SITE_NAME}", body, head=head, lang=lang, charset=charset)


def _wordpress(article: SampleArticle, articles: list[SampleArticle], base: str) -> str:
    """tagDiv "Newspaper" theme markup, the style of the seed scrape."""
    author = article.authors[0]
    paragraphs = _paragraphs(article)
    video = """<figure class="wp-block-embed is-type-video wp-block-embed-youtube"><div class="wp-block-embed__wrapper">
<div class="td-video-duration">03:07</div>
<div class="td-video-title">Xi begrüßt „alten Freund“ Putin in Peking und bekräftigt die Stärke der chinesisch-russischen Bindung</div>
<iframe title="Video" src="/video/embed/12345" width="640" height="360"></iframe></div>
<figcaption>Xi begrüßt „alten Freund“ Putin in Peking und bekräftigt die Stärke der chinesisch-russischen Bindung</figcaption></figure>"""
    if len(paragraphs) > 4:
        paragraphs.insert(4, video)
    for path in article.related_paths:
        related = article_by_path(path)
        if related is not None:  # an inline "read also" link set as its own paragraph
            paragraphs.insert(
                len(paragraphs) - 2,
                f'<p><a href="{path}"><strong>{escape(related.title)}</strong></a></p>',
            )
    crumbs = (
        f'<div class="entry-crumbs"><span><a href="/" class="entry-crumb">Home</a></span> '
        f'<i class="td-bread-sep"></i> <span><a href="/{article.section}/" '
        f'class="entry-crumb">Nachricht</a></span> <i class="td-bread-sep"></i> '
        f'<span class="td-bred-no-url-last">{escape(article.title[:80])}...</span></div>'
    )
    body = f"""<div class="td-main-content-wrap td-container-wrap"><div class="td-container">
{crumbs}
<div class="td-pb-row"><div class="td-pb-span8 td-main-content" role="main"><div class="td-ss-main-content">
<article id="post-4711" class="post-4711 post type-post status-publish format-standard">
<div class="td-post-header"><ul class="td-category"><li class="entry-category"><a href="/{article.section}/">Nachricht</a></li></ul>
<header class="td-post-title"><h1 class="entry-title">{escape(article.title)}</h1>
<div class="td-module-meta-info">
<div class="td-post-author-name"><div class="td-author-by">By</div> <a href="/autor/{_slug(author)}/">{escape(author)}</a><div class="td-author-line"> - </div></div>
<span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{article.published}">{_german_date(article.published)}</time></span>
<div class="td-post-views"><i class="td-icon-views"></i><span class="td-nr-views-4711">30</span></div>
<div class="td-post-comments"><a href="#respond"><i class="td-icon-comments"></i>0</a></div>
</div></header></div>
<div class="td-post-sharing-top"><div class="td-post-sharing td-ps-bg td-ps-notext">
<a class="td-social-sharing-button td-social-facebook" href="https://www.facebook.com/sharer.php"><span class="td-social-but-text">Facebook</span></a>
<a class="td-social-sharing-button td-social-twitter" href="https://twitter.com/intent/tweet"><span class="td-social-but-text">Twitter</span></a>
<a class="td-social-sharing-button td-social-whatsapp" href="https://api.whatsapp.com/send"><span class="td-social-but-text">WhatsApp</span></a>
</div></div>
<div class="td-post-content tagdiv-type">
{chr(10).join(paragraphs)}
</div>
<footer><div class="td-post-source-tags"><div class="td-post-source-via">
<ul class="td-tags td-post-small-box clearfix"><li><span>Kaynak</span></li><li><a rel="nofollow" href="https://www.scmp.com/"></a></li></ul></div>
<ul class="td-tags td-post-small-box clearfix"><li><span>TAGS</span></li>{"".join(f'<li><a href="/tag/{_slug(t)}/">{escape(t)}</a></li>' for t in article.tags)}</ul></div>
<div class="td-post-sharing-bottom"><a class="td-social-sharing-button" href="https://www.facebook.com/sharer.php">Facebook</a></div>
<div class="td-author-name vcard author"><a href="/autor/{_slug(author)}/">{escape(author)}</a></div>
</footer></article>
<div class="td_block_wrap td_block_related_posts"><h4 class="td-related-title"><a class="td-related-left td-cur-simple-item" href="#">RELATED ARTICLES</a><a class="td-related-right" href="#">MORE FROM AUTHOR</a></h4>
<div class="td_block_inner">{_related(article, articles)}</div></div>
<div class="comments" id="comments"><div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title"><div class="td-comment-form-title">LEAVE A REPLY</div></h3>
<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">
<div class="clearfix"></div><div class="comment-form-input-wrap td-form-comment">
<textarea placeholder="Comment:" id="comment" name="comment" cols="45" rows="8" aria-required="true"></textarea>
<div class="td-warning-comment">Please enter your comment!</div></div>
<div class="comment-form-input-wrap td-form-author"><input class="" id="author" name="author" placeholder="Name:*" type="text" value="" size="30" aria-required="true">
<div class="td-warning-author">Please enter your name here</div></div>
<div class="comment-form-input-wrap td-form-email"><input id="email" name="email" placeholder="Email:*" type="text">
<div class="td-warning-email-error">You have entered an incorrect email address!</div></div>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment"></p>
</form></div></div>
</div></div></div></div></div>"""
    head = _meta(article, base) + "\n" + _json_ld(article, base, graph=True)
    return _page(f"{article.title} - {SITE_NAME}", body, head=head, lang="de-DE")


def _divsoup(article: SampleArticle, articles: list[SampleArticle], base: str) -> str:
    """A React-rendered page: generated class names, no article element, no og:type."""
    paragraphs = "\n".join(
        f'<p class="css-1n4x2q7 e1wiw3jv0">{escape(p)}</p>' for p in article.paragraphs
    )
    names = ", ".join(article.authors)
    body = f"""<div id="__next"><div class="css-k008qs"><div class="css-1dbjc4n r-13awgt0">
<div class="css-9pa8cd"><span class="css-76zvg2">{SECTIONS[article.section]}</span></div>
<h1 class="css-1s4t0ou e1h9rw200">{escape(article.title)}</h1>
<div class="css-x1y2z3"><span class="css-ab12cd">{escape(names)}</span> · <span class="css-ef34gh">{_german_date(article.published)}</span></div>
<div class="css-counter-k2"><span>1.245 Aufrufe</span> · <span>12 Kommentare</span></div>
<div class="css-53u6y8 e1wiw3jv1">
{paragraphs}
</div>
<div class="css-share-z9"><button>Teilen</button><button>Merken</button></div>
<div class="css-relx77"><h2 class="css-1ml1h9n">Das könnte Sie auch interessieren</h2>{_related(article, articles)}</div>
</div></div></div>"""
    head = _meta(article, base, og_type=False) + "\n" + _json_ld(article, base, graph=False)
    return _page(f"{article.title} | {SITE_NAME}", body, head=head)


def _broken(article: SampleArticle, articles: list[SampleArticle], base: str) -> str:
    """Malformed markup: unclosed elements, a stray closing tag, an unquoted attribute."""
    paragraphs = "\n".join(f"<p class=text>{escape(p)}" for p in article.paragraphs)
    body = f"""<div class="content"><article><h1>{escape(article.title)}</h2>
<p class="byline">Von {escape(article.authors[0])} <time datetime="{article.published}">{_german_date(article.published)}</time>
<div class="body"><b>
{paragraphs}
</div></span></td>
</article>"""
    head = _meta(article, base) + "\n" + _json_ld(article, base, graph=False)
    return _page(article.title, body, head=head)


def rss(articles: list[SampleArticle], base: str) -> str:
    def item(a: SampleArticle) -> str:
        date = datetime.fromisoformat(a.published).strftime("%a, %d %b %Y %H:%M:%S %z")
        return (
            f"<item><title>{escape(a.title)}</title><link>{base}{a.path}</link>"
            f"<guid>{base}{a.path}</guid><pubDate>{date}</pubDate>"
            f"<description>{escape(a.description)}</description></item>"
        )

    items = "\n".join(item(a) for a in articles if "feed" in a.found_via)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{SITE_NAME}</title><link>{base}/</link>
<description>Nachrichten aus dem Norden</description><language>de</language>
{items}
</channel></rss>"""


def sitemap_index(base: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{base}/sitemap-news.xml</loc></sitemap>
<sitemap><loc>{base}/sitemap-pages.xml</loc></sitemap>
</sitemapindex>"""


def news_sitemap(articles: list[SampleArticle], base: str) -> str:
    entries = "\n".join(
        f"""<url><loc>{base}{a.path}</loc><lastmod>{a.modified or a.published}</lastmod><news:news>
<news:publication><news:name>{SITE_NAME}</news:name><news:language>{a.language}</news:language></news:publication>
<news:publication_date>{a.published}</news:publication_date><news:title>{escape(a.title)}</news:title>
</news:news></url>"""
        for a in articles
        if "sitemap" in a.found_via
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{entries}
</urlset>"""


def pages_sitemap(base: str) -> str:
    locs = ["/", *(f"/{key}/" for key in SECTIONS), *STATIC_PAGES]
    entries = "\n".join(f"<url><loc>{base}{loc}</loc></url>" for loc in locs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{entries}
</urlset>"""


def robots(base: str) -> str:
    return f"""User-agent: *
Disallow: /intern/
Disallow: /suche

Sitemap: {base}/sitemap_index.xml
"""
