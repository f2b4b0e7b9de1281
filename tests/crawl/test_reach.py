"""How far a crawl reaches: the rule itself (pure), for any URL a page can hold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsarchiver.crawl.reach import Reach, is_private

SITE = Reach.of(["https://www.tagesblatt.de/", "https://www.tagesblatt.de/feed.xml"])
ON_8080 = Reach.of(["http://127.0.0.1:8080/"], ["tagesblatt.de"])


@pytest.mark.parametrize(
    ("reach", "url", "refused"),
    [
        (SITE, "https://www.tagesblatt.de/politik/a.html", None),
        (SITE, "http://tagesblatt.de/politik/a.html", None),  # http and https: one site
        (SITE, "https://www.tagesblatt.de:443/a", None),
        (SITE, "https://static.tagesblatt.de/a", None),  # the registered domain
        (SITE, "https://www.tagesblatt.de:8443/a", "port 8443 is not the site's (80, 443)"),
        (SITE, "https://www.tagesblatt.de:6379/", "port 6379 is not the site's (80, 443)"),
        (SITE, "https://www.morgenpost.de/a", "www.morgenpost.de is another site"),
        (SITE, "ftp://www.tagesblatt.de/a", "not an http(s) URL"),
        (SITE, "file:///etc/passwd", "not an http(s) URL"),
        (SITE, "javascript:alert(1)", "not an http(s) URL"),
        (SITE, "https://www.tagesblatt.de:99999/", "not an http(s) URL"),  # no such port
        (SITE, "http://[::1/", "not an http(s) URL"),
        (ON_8080, "http://127.0.0.1:8080/a", None),
        (ON_8080, "http://127.0.0.1:8081/a", "port 8081 is not the site's (8080)"),
        (ON_8080, "http://127.0.0.1/a", "port 80 is not the site's (8080)"),
        (ON_8080, "http://www.tagesblatt.de:8080/a", None),  # --domains, on the crawl's ports
    ],
)
def test_the_site_boundary_has_a_scheme_a_domain_and_ports(
    reach: Reach, url: str, refused: str | None
) -> None:
    assert reach.refuses(url) == refused


@pytest.mark.parametrize(
    ("address", "private"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.1", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),  # cloud metadata
        ("100.64.0.1", True),  # carrier-grade NAT
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("::1", True),
        ("fe80::1", True),
        ("fd00::1", True),
        ("::ffff:127.0.0.1", True),  # IPv4-mapped
        ("93.184.216.34", False),
        ("2606:4700::1111", False),
    ],
)
def test_private_means_not_on_the_public_internet(address: str, private: bool) -> None:
    assert is_private(address) is private


def test_only_the_hosts_asked_for_may_be_private() -> None:
    intranet = Reach.of(["http://intranet.example.lan/"])
    assert intranet.refuses_address("intranet.example.lan", "10.0.0.8") is None  # asked for
    refused = intranet.refuses_address("wiki.example.lan", "10.0.0.9")
    assert refused == (
        "wiki.example.lan (10.0.0.9) is a private address (allow with REACH_PRIVATE_ADDRESSES)"
    )
    assert intranet.refuses_address("www.example.lan", "93.184.216.34") is None
    allowed = Reach.of(["http://intranet.example.lan/"], private_addresses=True)
    assert allowed.refuses_address("wiki.example.lan", "10.0.0.9") is None


@given(st.text(max_size=200))
def test_any_text_gets_an_answer_never_an_exception(text: str) -> None:
    """A page's href, a Location header: whatever they hold is judged, and never admitted
    unless it is an http(s) URL of the site."""
    answer = SITE.refuses(text)
    assert answer is None or isinstance(answer, str)
    if answer is None:
        assert "tagesblatt.de" in text.lower()
    address = SITE.refuses_address("host.example", text)
    assert address is None or address.startswith("host.example")


@given(
    st.sampled_from(["http", "https", "HTTP", "ftp", "data", ""]),
    st.text(alphabet="abc.-:[]%0123456789", max_size=30),
    st.text(max_size=30),
)
def test_any_url_shaped_text_is_judged_without_raising(scheme: str, host: str, rest: str) -> None:
    url = f"{scheme}://{host}/{rest}"
    answer = ON_8080.refuses(url)
    assert answer is None or answer
    if answer is None:  # admitted: http(s), on the crawl's domains and port
        assert url.lower().startswith(("http://", "https://"))
