"""The web app's own pages on real archive files: what it renders is escaped, nothing is live."""

from __future__ import annotations

import http.client
import json
import re
import shutil
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter
from werkzeug.test import Client

from newsarchiver.articles.index import ArticleIndex
from newsarchiver.sample_site.content import ARTICLES
from newsarchiver.warc.importer import WarcImport
from newsarchiver.web.app import ArchiveWebApp
from newsarchiver.web.origins import Origins, allowed_hosts
from newsarchiver.web.replayapp import ReplayApp
from tests.conftest import TwiceCrawled

#: as `serve --port 8080` has them; werkzeug's test client asks for Host "localhost"
ORIGINS = Origins(8080, 8081, allowed_hosts("127.0.0.1"))
REPLAY = "http://localhost:8081"
EVIL_URL = "https://evil.example/2024/05/16/hafen-skandal/"
EVIL_TITLE = '<script>alert("title")</script> Hafen & Co'
PARAGRAPH = (
    "<p>Der Hafen &lt;img src=x onerror=alert({i})&gt; meldet einen Skandal, Absatz {i}, "
    "mit genug Text, damit die Seite als Artikel gilt und nicht als Liste.</p>"
)
ESCAPED_TITLE = EVIL_TITLE.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
EVIL_HTML = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
    f"<title>{ESCAPED_TITLE}</title>"
    '<meta property="og:type" content="article">'
    f'<meta property="og:title" content="{ESCAPED_TITLE}">'
    '<meta property="article:published_time" content="2024-05-16T09:00:00+02:00">'
    f"</head><body><article><h1>{ESCAPED_TITLE}</h1>"
    + "".join(PARAGRAPH.format(i=i) for i in range(6))
    + "</article></body></html>"
)


@pytest.fixture(scope="module")
def app(twice_crawled: TwiceCrawled, tmp_path_factory: pytest.TempPathFactory) -> Client:
    """The crawled archive plus one hostile page, imported from a WARC that warcio wrote."""
    output = tmp_path_factory.mktemp("web") / "archive"
    shutil.copytree(twice_crawled.output, output)
    warc = output.parent / "evil.warc.gz"
    with warc.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        body = EVIL_HTML.encode()
        writer.write_record(
            writer.create_warc_record(
                EVIL_URL, "response", payload=BytesIO(body), length=len(body), http_headers=headers
            )
        )
    [report] = WarcImport(output).run([warc])
    assert report.articles == 1, report
    with ArticleIndex(output) as index:
        index.update()
    return Client(ArchiveWebApp(output, ORIGINS))


def test_archived_markup_is_shown_as_text_never_run(app: Client) -> None:
    results = app.get("/?q=skandal").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; Hafen &amp; Co" in results
    article = app.get("/article", query_string={"url": EVIL_URL}).get_data(as_text=True)
    for page in (results, article):
        assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(0)&gt;" in article


def test_search_filters_and_their_errors(app: Client, twice_crawled: TwiceCrawled) -> None:
    latest = app.get("/").get_data(as_text=True)
    assert "Latest articles" in latest and "Hamburger Hafen investiert" in latest
    dated = app.get("/?q=hafen&since=2024-05-14").get_data(as_text=True)
    assert "Reedereien meiden" in dated and "Hamburger Hafen investiert" not in dated
    bad = app.get("/?q=hafen&since=14.05.2024")
    assert bad.status_code == 200
    assert "since: not a date: &#39;14.05.2024&#39; (use YYYY-MM-DD)" in bad.get_data(as_text=True)
    nothing = app.get("/?q=zzzyx").get_data(as_text=True)
    assert "No articles match." in nothing


def test_results_page_on_and_a_pasted_address_shows_its_captures(
    app: Client, twice_crawled: TwiceCrawled, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsarchiver.web.app

    monkeypatch.setattr(newsarchiver.web.app, "RESULTS_PER_PAGE", 4)
    seen: list[str] = []
    link: str | None = "/?site=tagesblatt"
    while link:
        page = app.get(link).get_data(as_text=True)
        seen += re.findall(r'<h2><a href="/article\?url=([^"]+)"', page)
        match = re.search(r'id="next-page" href="([^"]+)"', page)
        link = match.group(1).replace("&amp;", "&") if match else None
    assert len(seen) == len(set(seen)) == 10  # every Tagesblatt article, once, on three pages
    pasted = app.get("/", query_string={"q": twice_crawled.site.url})
    assert pasted.status_code == 302
    assert app.get(pasted.headers["Location"]).status_code == 200


def test_results_say_how_many_and_where_you_are(
    app: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsarchiver.web.app

    monkeypatch.setattr(newsarchiver.web.app, "RESULTS_PER_PAGE", 4)
    first = app.get("/?site=tagesblatt").get_data(as_text=True)
    assert "<h1>Articles from tagesblatt</h1>" in first and "Latest articles" not in first
    assert "1–4 of 10 articles" in first and "Page 1 of 3" in first
    last = app.get("/?site=tagesblatt&page=3").get_data(as_text=True)
    assert "9–10 of 10 articles" in last and 'id="next-page"' not in last
    beyond = app.get("/?site=tagesblatt&page=9").get_data(as_text=True)
    assert "No articles match on page 9 (10 in all)." in beyond


def test_authors_tags_and_sites_are_links_that_filter(app: Client) -> None:
    article = next(a for a in ARTICLES if len(a.authors) > 1 and a.tags and not a.fault)
    [url] = re.findall(
        r'<h2><a href="/article\?url=([^"]+)">' + re.escape(article.title),
        app.get("/").get_data(as_text=True),
    )
    page = app.get(f"/article?url={url}").get_data(as_text=True)
    for kind, value in (("author", article.authors[1]), ("tag", article.tags[0])):
        link = re.search(rf'<a class="{kind}" href="([^"]+)">{re.escape(value)}</a>', page)
        assert link, (kind, value)
        found = app.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
        titles = re.findall(r'<h2><a href="/article\?url=[^"]+">([^<]+)</a>', found)
        expected = {
            a.title
            for a in ARTICLES
            if a.is_archivable and value in (a.authors if kind == "author" else a.tags)
        }
        assert article.title in titles and set(titles) == expected, (kind, titles)
    site = re.search(r'<a class="site" href="([^"]+)">Tagesblatt</a>', page)
    assert site and "10 articles" in app.get(site.group(1)).get_data(as_text=True)


def test_the_sites_page_counts_articles_and_captures_per_site(app: Client) -> None:
    from newsarchiver.urls import site_key
    from newsarchiver.warc.cdxj import CaptureIndex

    output = app.application.output  # type: ignore[attr-defined]
    captured: dict[str, int] = {}
    for capture in CaptureIndex(output):
        captured[site_key(capture.url)] = captured.get(site_key(capture.url), 0) + 1
    page = app.get("/sites").get_data(as_text=True)
    rows = dict(re.findall(r'<tr class="site" id="site-([^"]+)">(.*?)</tr>', page, re.S))
    assert set(rows) == set(captured) == {"127.0.0.1", "evil.example"}
    local = rows["127.0.0.1"]
    assert ">Tagesblatt</a>" in local and '">10</a>' in local
    assert f'<td class="captures">{captured["127.0.0.1"]}</td>' in local
    assert local.count("<rect") == 30  # a month of articles per day
    assert '">1</a>' in rows["evil.example"]
    addresses = app.get("/site?key=127.0.0.1").get_data(as_text=True)
    assert "Captured addresses of 127.0.0.1" in addresses and 'id="next-page"' in addresses


def test_captures_page_and_never_archived_urls(app: Client, twice_crawled: TwiceCrawled) -> None:
    url = twice_crawled.site.url
    captures = app.get("/captures", query_string={"url": url}).get_data(as_text=True)
    # replay links lead to the banner's frame on the UI, which shows the replay origin's content
    assert captures.count('<td><a href="/replay/') == 2 and "unchanged (revisit)" in captures
    frame = app.get(f"/replay/2030/{url}").get_data(as_text=True)
    assert f'src="{REPLAY}/replay/' in frame and f"mp_/{url}" in frame
    replay = Client(ReplayApp(app.application.output, None, ORIGINS))  # type: ignore[attr-defined]
    for client, missing in (
        (replay, "/replay/2024/https://never.example/story"),
        (replay, "/replay/2024mp_/https://never.example/story"),
        (app, "/captures?url=https://never.example/story"),
    ):
        reply = client.get(missing)
        assert reply.status_code == 404
        assert "never fetches a page from the live web" in reply.get_data(as_text=True)
    unknown = app.get("/article", query_string={"url": "https://never.example/story"})
    assert unknown.status_code == 404


def test_replay_has_an_origin_of_its_own_that_holds_nothing_of_the_ui(
    app: Client, twice_crawled: TwiceCrawled
) -> None:
    """The issue's attack: `fetch('/replay/../?q=x')` from an archived page read the UI's search
    results, because replay and UI shared one origin. Now the UI sends replay elsewhere and the
    replay origin answers nothing but replay."""
    raw = f"/replay/2024mp_/{twice_crawled.site.url}?a=1"
    moved = app.get(raw)
    assert moved.status_code == 307 and moved.headers["Location"] == REPLAY + raw
    replay = Client(ReplayApp(app.application.output, None, ORIGINS))  # type: ignore[attr-defined]
    for ui_page in ("/", "/?q=hafen", "/article?url=" + EVIL_URL, f"/captures?url={EVIL_URL}"):
        reply = replay.get(ui_page)
        assert reply.status_code == 404, ui_page
        assert "Hafen" not in reply.get_data(as_text=True), ui_page
    # its pages link home to the UI's origin
    assert 'href="http://localhost:8080/"' in replay.get("/").get_data(as_text=True)
    # the UI may not be framed, embedded or opened into by the replay origin
    headers = app.get("/?q=hafen").headers
    assert headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "Access-Control-Allow-Origin" not in headers


@pytest.mark.parametrize(
    ("listen", "also", "answered", "refused"),
    [
        (
            "127.0.0.1",
            (),
            ["localhost", "127.0.0.1:8080", "[::1]:8080"],
            ["evil.example", "10.0.0.5"],
        ),
        ("192.0.2.7", (), ["192.0.2.7:8080", "localhost"], ["evil.example", "192.0.2.8"]),
        ("127.0.0.1", ("Archive.Example.",), ["archive.example:443"], ["evil.example"]),
        ("0.0.0.0", (), ["localhost"], ["evil.example", "0.0.0.0"]),
    ],
)
def test_only_its_own_host_names_are_answered(
    app: Client, listen: str, also: tuple[str, ...], answered: list[str], refused: list[str]
) -> None:
    """DNS rebinding: evil.example resolving to 127.0.0.1 must not make the archive its page."""
    from newsarchiver.web.origins import HostCheck

    origins = Origins(8080, 8081, allowed_hosts(listen, also))
    checked = Client(HostCheck(app.application, origins))
    for host in answered:
        assert checked.get("/", headers={"Host": host}).status_code == 200, host
    for host in refused:
        reply = checked.get("/", headers={"Host": host})
        assert reply.status_code == 400, host
        assert "unknown Host" in reply.get_data(as_text=True) and "Hafen" not in reply.get_data(
            as_text=True
        )


def test_replay_without_pywb_is_a_clear_page_not_a_crash(
    app: Client, twice_crawled: TwiceCrawled
) -> None:
    from tests.conftest import free_port

    closed = ReplayApp(app.application.output, ("127.0.0.1", free_port()), ORIGINS)  # type: ignore[attr-defined]
    reply = Client(closed).get(f"/replay/2030mp_/{twice_crawled.site.url}")
    assert reply.status_code == 502 and "Replay unavailable" in reply.get_data(as_text=True)
    assert app.get("/").status_code == 200  # search and articles still work


def test_serve_listens_on_loopback_by_default(twice_crawled: TwiceCrawled) -> None:
    from tests.conftest import serving

    with serving(twice_crawled.output, "--public-name", "archive.example") as served:
        assert served.ui.startswith("http://127.0.0.1:")
        # a page (UI) and a not-archived replay (replay origin): answered for our names only
        for origin, own_status in ((served.ui, 200), (served.replay, 404)):
            for host, status in (("evil.example", 400), ("archive.example", own_status)):
                connection = http.client.HTTPConnection(origin.removeprefix("http://"), timeout=20)
                connection.request("GET", "/", headers={"Host": host})
                assert connection.getresponse().status == status, (origin, host)
                connection.close()
    import subprocess

    from tests.conftest import newsarchiver_command

    done = subprocess.run(
        newsarchiver_command("serve", "-o", str(Path("/nonexistent/archive"))),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert (
        done.stderr.strip()
        == "Error: /nonexistent/archive holds no archive (no /nonexistent/archive/warc)"
    )


def test_an_archive_of_imported_warcs_only_is_browsable_and_queryable(
    twice_crawled: TwiceCrawled, tmp_path: Path
) -> None:
    """No crawl ever ran here: one WARC file came in by `import`. Its articles are searched
    on the command line and on the web, and a page that is no article shows its captures."""
    from tests.conftest import run_cli

    output = tmp_path / "imported-only"
    warc = sorted((twice_crawled.output / "warc").glob("**/*.warc.gz"))[0]
    imported = run_cli(output, "import", str(warc))
    assert imported.returncode == 0, imported.stderr
    listed = run_cli(output, "query", "--site", "tagesblatt", "--format", "jsonl")
    assert listed.returncode == 0, listed.stderr
    urls = [json.loads(line)["url"] for line in listed.stdout.splitlines()]
    assert len(urls) == 10
    web = Client(ArchiveWebApp(output))
    home = web.get("/").get_data(as_text=True)
    assert "No articles archived" not in home and "Hamburger Hafen investiert" in home
    assert web.get("/article", query_string={"url": urls[0]}).status_code == 200
    front = web.get("/article", query_string={"url": twice_crawled.site.url})  # a listing
    assert front.status_code == 302 and front.headers["Location"].startswith("/captures?url=")
    assert web.get(front.headers["Location"]).status_code == 200
    sites = web.get("/sites").get_data(as_text=True)
    assert '<tr class="site" id="site-127.0.0.1">' in sites
    addresses = web.get("/site?key=127.0.0.1").get_data(as_text=True)
    assert f'<code class="url">{twice_crawled.site.url}</code>' in addresses
