"""Who wrote it: person names for ``authors``, news agencies for ``agencies``, nothing else.

Publishers fill their author fields with whatever their CMS holds: the publisher itself
("STERN.de", "Deutsche Welle (www.dw.com)"), a desk ("Redaktion", "Online team"), an agency
("dpa", "AFP/Reuters"), initials in brackets ("Elena Oberholzer (obe)"), a place a comma split
brought along ("hessenschau.de, Frankfurt, Germany"). A value that names only an organisation
yields no person, so a later source (the byline in the page, ``rel=author``) is still read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

#: news agencies, as they appear in bylines (matched as whole words, any case)
_AGENCIES = {
    "dpa": "dpa",
    "dpa-afx": "dpa-AFX",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "epd": "epd",
    "kna": "KNA",
    "apa": "APA",
    "sda": "SDA",
    "keystone-sda": "Keystone-SDA",
    "ansa": "ANSA",
    "efe": "EFE",
    "europa press": "Europa Press",
    "aap": "AAP",
    "pa": "PA",
    "pa media": "PA",
    "press association": "PA",
    "upi": "UPI",
    "xinhua": "Xinhua",
    "tass": "TASS",
    "ria novosti": "RIA Novosti",
    "interfax": "Interfax",
    "anadolu": "Anadolu",
    "anadolu agency": "Anadolu",
    "aa": "Anadolu",
    "kyodo": "Kyodo",
    "yonhap": "Yonhap",
    "belga": "Belga",
    "anp": "ANP",
    "ctk": "ČTK",
    "čtk": "ČTK",
    "pap": "PAP",
    "ats": "ATS",
    "bloomberg": "Bloomberg",
    "sid": "SID",
}
_PREFIX = re.compile(
    r"^(?:written\s+by|reported\s+by|by|von|par|por|di|door|av|af|yazan|автор|text|texte|"
    r"mit|with|avec|con|und|and)\b\s*:?\s*",
    re.I,
)
_SPLIT = re.compile(r"\s*(?:,|;|/|&|\||\+|\band\b|\bund\b|\bet\b|\by\b|\bve\b|\bи\b)\s*", re.I)
#: a profile URL or handle inside a byline value: never part of a name
_URL = re.compile(r"\(?\s*(?:https?://|www\.)\S*\s*\)?")
#: brackets hold initials ("(obe)"), an agency ("(dpa)") or more names ("(avec Damien
#: Leloup)"): read as separators, so each part is judged on its own
_BRACKETS = re.compile(r"[()\[\]]")
#: what follows a credit for other work, or a date, is not an author of the text
_NOT_AUTHORSHIP = re.compile(
    r"\s*\b(?:(?:edited|photos?|photography|pictures|illustrations?|graphics|video|translated|"
    r"produced|updated|published|aktualisiert|veröffentlicht|bearbeitet|fotos?|bilder?)\b|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|januar|februar|märz|juni|juli|"
    r"oktober|dezember|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
    r"novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|"
    r"octubre|noviembre|diciembre)(?:\.?\s*\d|\s*$)).*$",
    re.I,
)
#: words no person's name holds: desks, roles, organisations, and what a byline box says
_NOT_A_NAME = re.compile(
    r"\b(?:staff|redaktion|redaktionen|online-redaktion|newsroom|editors?|editorial|board|"
    r"agency|agentur|agence|team|desk|correspondents?|contributors?|reporters?|writers?|"
    r"news|nachrichten|noticias|nouvelles|haber|новости|online|digital|media|medien|"
    r"zeitung|magazin|magazine|journal|verlag|press|presse|foundation|organi[sz]ation|"
    r"inc|ltd|llc|gmbh|ag|corporation|company|group|follow|updated?|published|"
    r"aktualisiert|veröffentlicht|mis à jour|minutes?|hours?|read|lesezeit|username|user|"
    r"login|sign|anonymous|admin|guest|control)\b"
    r"|\d|@|https?:|www\.|\.(?:com|de|org|net|fr|es|it|ch|at|uk|co|ru|tr|info|news|tv)\b",
    re.I,
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
#: a name has at most this many words ("Juan Carlos de la Fuente Ruiz")
_MAX_NAME_WORDS = 6


@dataclass
class Byline:
    """People and agencies read from one or more byline values."""

    authors: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)


def read_byline(values: Iterable[str], *, publishers: Iterable[str | None] = ()) -> Byline:
    """Split byline values into person names and agencies, dropping everything else.

    ``publishers`` are the site's own names (its site name, its domain's label): a value naming
    one of them is the publisher, not an author.
    """
    byline = Byline()
    own = [s for p in publishers if p and len(s := _squash(p)) >= 3]
    for value in values:
        value = " ".join(value.split())
        if not value or value.startswith(("http://", "https://")):
            continue  # article:author is sometimes a profile URL
        if _names_its_own_domain(value):
            continue  # "Deutsche Welle (www.dw.com)": the publisher, with its address
        value = _BRACKETS.sub(",", _URL.sub(" ", value))
        parts = [_PREFIX.sub("", p) for p in _SPLIT.split(_PREFIX.sub("", value))]
        parts = [p for p in parts if p]
        for part in parts:
            if agency := _agency(part) or _credited_agency(part):
                _add(byline.agencies, agency)
                continue
            part = (
                " ".join(_NOT_AUTHORSHIP.sub("", part).split()) if len(part.split()) > 2 else part
            )
            if agency := _agency(part):
                _add(byline.agencies, agency)
                continue
            if not _is_name(part, own, single_word_ok=len(parts) == 1):
                continue
            _add(byline.authors, part)
    return byline


_DOMAIN = re.compile(r"(?:https?://)?(?:www\.)?([\w-]+)\.[a-z]{2,6}\b", re.I)


def _names_its_own_domain(value: str) -> bool:
    """A name given with a domain that spells it (its initials or the name itself): an
    organisation. A person's homepage ("Bradley M. Kuhn (http://ebb.org/…)") does not."""
    match = _DOMAIN.search(value)
    if not match:
        return False
    label = match.group(1).casefold()
    words = re.findall(r"\w+", value[: match.start()])
    initials = "".join(w[0] for w in words).casefold()
    return bool(words) and (label == initials or label in _squash(" ".join(words)))


def _credited_agency(part: str) -> str | None:
    """An agency named at the end of a credit ("Material von Reuters", "with AFP")."""
    words = part.split()
    if len(words) < 2:
        return None
    return _agency(" ".join(words[-2:])) or _agency(words[-1])


def _agency(part: str) -> str | None:
    return _AGENCIES.get(part.strip(" .-–—·").casefold())


def _is_name(part: str, own: list[str], *, single_word_ok: bool) -> bool:
    name = part.strip(" -–—·:")
    if not name or _NOT_A_NAME.search(name):
        return False
    words = name.split()
    if len(words) > _MAX_NAME_WORDS:
        return False
    squashed = _squash(name)
    if any(squashed in o or o in squashed for o in own):
        return False  # the publisher's own name ("STERN", "Tagesblatt Online")
    if len(words) == 1 and not _CJK.search(name):
        # one word is a name only when it stood alone; from a comma split it is most often a
        # place or a desk ("hessenschau.de, Frankfurt, Germany")
        return single_word_ok and name[:1].isupper() and len(name) > 2
    return True


def _squash(text: str) -> str:
    """Letters and digits only, casefolded: "n-tv NACHRICHTEN" and "ntv.de" compare."""
    return re.sub(r"\W+", "", text.casefold())


def _add(names: list[str], name: str) -> None:
    if name not in names:
        names.append(name)
