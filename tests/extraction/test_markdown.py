from __future__ import annotations

from newsarchiver.extraction import extract_article

PAGE = """<html lang="en"><head><title>Budget passes</title>
<meta property="og:type" content="article"><meta property="og:title" content="Budget passes">
<meta property="article:published_time" content="2024-05-16T10:00:00Z"></head><body>
<div class="share-bar"><a href="#">Share</a></div>
<article><h1>Budget passes</h1>
<p>The city council passed the budget on Tuesday after a debate that lasted until midnight.</p>
<h2>What changes</h2>
<ul><li>More money for the harbour ferry service.</li>
<li>Two new libraries in the suburbs.</li></ul>
<blockquote><p>This is the budget our city has waited for, the mayor told reporters.</p>
</blockquote>
<p>The opposition voted against it and promised to challenge two items in court next month.</p>
</article><div class="related"><a href="/x">More news</a></div></body></html>"""


def test_markdown_keeps_headings_lists_and_quotes() -> None:
    article = extract_article(
        PAGE, "https://news.test/city/2024/05/16/budget-passes-council/", markdown=True
    )
    assert article is not None and article.markdown is not None
    assert "## What changes" in article.markdown
    assert "- More money for the harbour ferry service." in article.markdown
    assert "> This is the budget" in article.markdown
    assert "Share" not in article.markdown and "More news" not in article.markdown
    assert "## " not in article.text and "> This" not in article.text  # text stays plain


def test_no_markdown_unless_asked() -> None:
    article = extract_article(PAGE, "https://news.test/city/2024/05/16/budget-passes-council/")
    assert article is not None and article.markdown is None
