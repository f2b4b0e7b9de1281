"""trafilatura's XML output → Markdown that keeps headings, lists and quotes.

trafilatura's own Markdown output flattens block quotes into plain paragraphs; its XML keeps
them (``<quote>``), so the Markdown is written here from the XML, one block at a time.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree


def _text(element: etree._Element) -> str:
    return " ".join("".join(str(t) for t in element.itertext()).split())


def xml_to_markdown(xml: str, keep: Callable[[str], bool]) -> str:
    """Markdown blocks of trafilatura's XML ``<main>``; ``keep`` decides on each block's text."""
    root = etree.fromstring(xml.encode())
    main = root.find("main")
    blocks: list[str] = []
    for element in main if main is not None else []:
        text = _text(element)
        if element.tag == "list":
            ordered = element.get("rend") == "ol"
            items = [_text(i) for i in element.iterfind("item")]
            # the plain text renders items as "- item": either form counts as kept
            items = [t for t in items if t and (keep(t) or keep(f"- {t}"))]
            if items:
                blocks.append(
                    "\n".join(f"{n}. {t}" if ordered else f"- {t}" for n, t in enumerate(items, 1))
                )
            continue
        if not text or not keep(text):
            continue
        if element.tag == "head":
            level = (element.get("rend") or "h2").lstrip("h")
            blocks.append("#" * int(level if level.isdigit() else 2) + " " + text)
        elif element.tag == "list":
            ordered = element.get("rend") == "ol"
            items = [_text(item) for item in element.iterfind("item") if _text(item)]
            blocks.append(
                "\n".join(f"{i}. {t}" if ordered else f"- {t}" for i, t in enumerate(items, 1))
            )
        elif element.tag == "quote":
            blocks.append(
                "\n".join(f"> {_text(p) or text}" for p in (element.findall("p") or [element]))
            )
        elif element.tag == "table":
            rows = [" | ".join(_text(cell) for cell in row) for row in element.iterfind("row")]
            blocks.append("\n".join(f"| {r} |" for r in rows if r.strip()))
        else:
            blocks.append(text)
    return "\n\n".join(blocks)
