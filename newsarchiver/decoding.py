"""How a fetched body becomes text: one rule for the crawl, import and replay.

The declared charset (HTTP header, BOM, ``<meta>``) first, as browsers and Scrapy do; nothing
declared, the charset is detected (charset-normalizer) rather than guessed; and a declaration
that is plainly wrong (a windows-1252 page labelled UTF-8: the text fills with U+FFFD) gives
way to detection too, so such a page is read as the words it holds, not called binary.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes
from w3lib.encoding import html_to_unicode

#: replacement characters above this share of the text: the declared charset is wrong
_GARBLED_SHARE = 0.002
#: bytes charset-normalizer looks at: enough to tell, and bounded, since the spider asks for
#: it in Scrapy's thread (only for a page its declared charset garbled)
_SAMPLE = 64 * 1024


@dataclass(frozen=True)
class Decoded:
    encoding: str
    text: str


#: the legacy charset of the western web: what browsers assume for an undeclared page, and
#: what to pick when detection finds it as likely as anything else (a short page often reads
#: as cleanly in a Mac or DOS code page, which no news site has served for decades)
_WEB_DEFAULT = "cp1252"
#: how much more chaos than the best guess still counts as "as likely"
_CHAOS_MARGIN = 0.01


def _detect(body: bytes) -> str | None:
    sample = body[:_SAMPLE]
    try:  # bytes that are valid UTF-8 are UTF-8 (a cut-off last character is allowed)
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # UTF-16/32 without a BOM is no web page (a BOM is read before detection is asked)
    matches = [m for m in from_bytes(sample) if not m.encoding.startswith("utf_")]
    if not matches:
        return None
    best = min(m.chaos for m in matches)
    likely = [m for m in matches if m.chaos <= best + _CHAOS_MARGIN]
    if any(_WEB_DEFAULT in m.could_be_from_charset for m in likely):
        return _WEB_DEFAULT
    return str(likely[0].encoding)


def _garbled(text: str) -> bool:
    return text.count("\ufffd") > max(2, _GARBLED_SHARE * len(text))


def better_text(body: bytes, encoding: str, text: str) -> Decoded:
    """``text`` as decoded by its declaration, unless that made it garbage and a detected
    charset reads the body cleanly."""
    if not _garbled(text):
        return Decoded(encoding, text)
    guess = _detect(body)
    if guess is None or guess == encoding:
        return Decoded(encoding, text)
    redone = body.decode(guess, errors="replace")
    if redone.count("\ufffd") < text.count("\ufffd"):
        return Decoded(guess, redone)
    return Decoded(encoding, text)


def decode_html(body: bytes, content_type: str = "") -> Decoded:
    """Declared charset first, then detection (see the module's docstring)."""
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_detect)
    return better_text(body, str(encoding), str(text))
