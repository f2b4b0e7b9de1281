"""How far a crawl may reach: which URLs belong to the crawl, which addresses it may connect to.

A news page is outside input: its links and redirects must not turn the crawler into a probe of
other ports on its host, or of the network it runs in (a public page that redirects to
``http://169.254.169.254/`` or ``http://10.0.0.1:6379/``). So a crawl stays on

- http and https;
- the sites it was asked for (their registered domains, ``--domains``) *on the ports it was
  asked for* (80 and 443 are one site: a site moves from http to https);
- public addresses, except the hosts the user named: an intranet site given as a start URL is
  crawled, but nothing else private, loopback or link-local is reached through it unless the
  crawl allows private addresses (``REACH_PRIVATE_ADDRESSES``, ``--private-addresses``).

Pure: no Scrapy. The downloader middleware ``reach`` enforces it on every request.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..urls import site_domain

DEFAULT_PORTS = {"http": 80, "https": 443}


def _host_port(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) URL; None for anything else or a broken port."""
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS or not parts.hostname:
            return None
        return scheme, parts.hostname.lower().rstrip("."), parts.port or DEFAULT_PORTS[scheme]
    except ValueError:  # a port out of range or not a number; a broken IPv6 literal
        return None


def ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_private(address: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Not on the public internet: private, loopback, link-local, shared, reserved, multicast
    or unspecified (an IPv4-mapped IPv6 address counts as its IPv4 address)."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


@dataclass(frozen=True)
class Reach:
    domains: frozenset[str]
    ports: frozenset[int]
    #: hosts the user named (start URLs, feeds, sitemaps): crawled even when private
    named_hosts: frozenset[str]
    private_addresses: bool = False

    @classmethod
    def of(
        cls, urls: Iterable[str], domains: Iterable[str] = (), *, private_addresses: bool = False
    ) -> Reach:
        named = [found for found in map(_host_port, urls) if found]
        ports: set[int] = set()
        for _, _, port in named:
            ports |= set(DEFAULT_PORTS.values()) if port in DEFAULT_PORTS.values() else {port}
        return cls(
            domains=frozenset(
                {site_domain(f"http://{host}/") for _, host, _ in named}
                | {domain.strip().lower() for domain in domains if domain.strip()}
            ),
            ports=frozenset(ports),
            named_hosts=frozenset(host for _, host, _ in named),
            private_addresses=private_addresses,
        )

    def refuses(self, url: str) -> str | None:
        """Why ``url`` is outside the crawl, or None when it is inside."""
        found = _host_port(url)
        if found is None:
            return "not an http(s) URL"
        _, host, port = found
        if site_domain(url) not in self.domains:
            return f"{host} is another site"
        if port not in self.ports:
            return f"port {port} is not the site's ({', '.join(map(str, sorted(self.ports)))})"
        return None

    def needs_address_check(self, host: str) -> bool:
        return not self.private_addresses and host.lower().rstrip(".") not in self.named_hosts

    def refuses_address(self, host: str, address: str) -> str | None:
        """Why connecting to ``host`` at ``address`` is refused, or None."""
        if not self.needs_address_check(host):
            return None
        try:
            private = is_private(address)
        except ValueError:
            return None  # not an address (a proxy's name): nothing to judge by
        if private:
            shown = host if host == address else f"{host} ({address})"
            return f"{shown} is a private address (allow with REACH_PRIVATE_ADDRESSES)"
        return None
