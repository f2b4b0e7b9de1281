"""Changes as an Atom feed (RFC 4287): what feed readers and alerting tools subscribe to.

Written with the standard library's ElementTree: an Atom document is a handful of elements, and
ElementTree escapes every archived title and text correctly, so no feed library is needed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from ..dates import now
from .history import Change

ATOM = "http://www.w3.org/2005/Atom"


def _text(parent: ET.Element, tag: str, value: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = value
    return element


def summary(change: Change) -> str:
    """One line: the size of the change and the fields that changed."""
    fields = ", ".join(change.fields)
    return f"{change.size} words" + (f"; changed: {fields}" if fields else "")


def changes_feed(changes: Iterable[Change], *, feed_id: str, title: str) -> str:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    updated = _text(feed, "updated", now().isoformat(timespec="seconds"))
    newest = None
    for change in changes:
        newer = change.newer
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", f"{feed_id}:{newer.url}:v{newer.version}")
        headline = str(newer.fields.get("title") or newer.url)
        _text(entry, "title", ("[headline] " if change.headline_changed else "") + headline)
        _text(entry, "updated", newer.fetched_at)
        newest = max(newest or newer.fetched_at, newer.fetched_at)
        ET.SubElement(entry, f"{{{ATOM}}}link", {"href": newer.url, "rel": "alternate"})
        _text(entry, "summary", summary(change))
        removed = [text for op, text in change.runs if op == "-"]
        added = [text for op, text in change.runs if op == "+"]
        _text(
            entry,
            "content",
            "\n".join([*(f"- {t}" for t in removed), *(f"+ {t}" for t in added)]),
            type="text",
        )
    if newest:
        updated.text = newest
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"
