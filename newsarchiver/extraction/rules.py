"""Which of newsarchiver's own cleaning steps run: one switch per step, so each can be measured."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CleaningRules:
    """The cleaning steps newsarchiver adds around trafilatura, each one switchable.

    Each one is kept only while it helps on publishers it was not written on: bench/extraction.py
    scores every rule under publisher-grouped cross-validation (``make bench-extraction``), and
    the defaults here are what that measurement supports.
    """

    #: <form> elements (comment forms, search boxes, newsletter sign-ups)
    forms: bool = True
    #: containers whose class or id names boilerplate (share bars, related lists, counters)
    named_containers: bool = True
    #: short paragraphs that are only a link to another article (inline "read also" teasers)
    link_teasers: bool = True
    #: single lines that are counters, "Source:" labels, comment prompts, badges
    line_filters: bool = True
    #: the headline (and the kicker above it) repeated at the top of the text
    repeated_headline: bool = True
    #: a byline line at the top of the text. Kept although cross-validation is neutral on it
    #: (F1 0.9284 with, 0.9285 without; two publishers' references keep their bylines in the
    #: text): the authors and the date are fields of the row, and a byline line in the text
    #: is the duplicate the README promises to leave out
    byline_lines: bool = True
    #: lines the page's JSON-LD ``articleBody`` does not hold, when that body is a full text
    json_ld_body: bool = False
    #: trafilatura run again on the page as it came when the cleaned page gave little text
    uncleaned_fallback: bool = True


DEFAULT_RULES = CleaningRules()
