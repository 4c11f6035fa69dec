"""The one Markdown renderer: ordinary Markdown renders, nothing executable survives.

The XSS vectors are checked twice: with a parser over the output (no forbidden element,
no event handler, no URL with a dangerous scheme in any attribute) and with plain string
checks for what must not appear at all.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from flask import render_template_string
from markupsafe import Markup

from lms.markdown import ALLOWED_TAGS, render_markdown

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        #: the start tags exactly as written, where attributes live
        self.raw_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.raw_tags.append(self.get_starttag_text() or "")

    handle_startendtag = handle_starttag


def assert_harmless(markup: str) -> None:
    collector = Collector()
    collector.feed(markup)
    collector.close()
    for tag, attributes in collector.tags:
        assert tag in ALLOWED_TAGS, f"<{tag}> survived: {markup}"
        for name, value in attributes.items():
            assert not name.startswith("on"), f"event handler {name} survived: {markup}"
            assert name not in {"style", "srcdoc", "formaction"}, markup
            if name in URL_ATTRIBUTES and value:
                url = re.sub(r"[\x00-\x20]", "", html.unescape(value)).lower()
                scheme = re.match(r"^([a-z][a-z0-9+.-]*):", url)
                assert scheme is None or url.startswith(SAFE_SCHEMES), \
                    f"dangerous URL {value!r} survived: {markup}"
    # Text is escaped ("&lt;script"), so a literal "<script" can only be a real element.
    lowered = markup.lower()
    for needle in ("<script", "<iframe", "<svg", "<style", "<object", "<embed", "<math",
                   "<form", "<base", "<meta", "<link", "<textarea", "<template", "<noscript"):
        assert needle not in lowered, f"{needle!r} survived: {markup}"
    tags = " ".join(collector.raw_tags).lower()
    for needle in ("javascript:", "vbscript:", "data:", "onerror", "onload", "onclick",
                   "onmouseover", "ontoggle", "srcdoc", "style="):
        assert needle not in tags, f"{needle!r} survived in a tag: {markup}"


XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img src=x OnError=alert(1)>",
    '<img src="x" onerror="alert(1)"/>',
    "<body onload=alert(1)>",
    '<p onclick="alert(1)">klick</p>',
    '<a href="#" onmouseover="alert(1)">x</a>',
    "[klick](javascript:alert(1))",
    "[klick](JaVaScRiPt:alert(1))",
    "[klick]( javascript:alert(1))",
    "[klick](&#106;avascript:alert(1))",
    "[klick](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
    "[klick](java&#x09;script:alert(1))",
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "[klick](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    "![bild](javascript:alert(1))",
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    "<svg onload=alert(1)><circle r=10 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>body { background: url(javascript:alert(1)) }</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<span style="position:fixed;top:0">overlay</span>',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<form action="https://evil.example">'
    '<button formaction="javascript:alert(1)">x</button></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<details open ontoggle=alert(1)><summary>x</summary></details>",
    "<img src=x onerror=alert(1)",
    "<a href='javascript:alert(1)'>unclosed",
    '<div><b>kaputt <i onclick="x">html',
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<template><script>alert(1)</script></template>",
    "`<script>alert(1)</script>` and <textarea><script>alert(1)</script></textarea>",
]


@pytest.mark.parametrize("source", XSS_VECTORS)
def test_nothing_executable_survives(source):
    assert_harmless(str(render_markdown(source)))


def test_code_shows_markup_as_text():
    out = str(render_markdown("`<script>alert(1)</script>`\n\n```\n<img onerror=x>\n```"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img onerror=x&gt;" in out


def test_result_is_markup_and_empty_input_is_empty():
    assert isinstance(render_markdown("*x*"), Markup)
    assert render_markdown("") == Markup("") and render_markdown(None) == Markup("")


def test_headings_get_prefixed_ids_and_fragment_links_follow():
    out = str(render_markdown("# Einführung\n\n## Konflikte verstehen\n\n"
                              "[weiter](#konflikte-verstehen)"))
    assert '<h2 id="md-einführung">Einführung</h2>' in out
    assert '<h3 id="md-konflikte-verstehen">Konflikte verstehen</h3>' in out
    assert 'href="#md-konflikte-verstehen"' in out


def test_a_text_under_a_deeper_heading_starts_below_it():
    out = str(render_markdown("# Titel\n\n## Teil\n\n###### Klein", top_heading=4))
    assert '<h4 id="md-titel">Titel</h4>' in out and '<h5 id="md-teil">Teil</h5>' in out
    assert '<h6 id="md-klein">Klein</h6>' in out  # never beyond h6


def test_a_text_s_highest_heading_takes_the_top_level_whatever_it_was_written_as():
    """A text that starts at "##" (as people write under a title) skips no level."""
    out = str(render_markdown("## Zu diesem Handbuch\n\n### Aufbau\n\nText"))
    assert '<h2 id="md-zu-diesem-handbuch">' in out and '<h3 id="md-aufbau">' in out
    out = str(render_markdown("### Teil\n\n#### Unterteil", top_heading=4))
    assert '<h4 id="md-teil">' in out and '<h5 id="md-unterteil">' in out


def test_raw_ids_cannot_take_the_page_s_ids():
    out = str(render_markdown('<h2 id="main">Haupt</h2>'))
    assert 'id="main"' not in out and 'id="md-main"' in out


def test_tables():
    out = str(render_markdown("| Kommune | Kohorte |\n|:--|--:|\n| Hamm | 2017 |\n"))
    assert "<table>" in out and "<thead>" in out and "<tbody>" in out
    assert '<th align="left">Kommune</th>' in out and '<td align="right">2017</td>' in out


def test_lists_ordered_unordered_and_sane():
    out = str(render_markdown("- eins\n- zwei\n\n3. drei\n4. vier\n"))
    assert "<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>" in out
    assert '<ol start="3">' in out and "<li>vier</li>" in out


def test_links_are_kept_with_rel_and_only_safe_schemes():
    out = str(render_markdown("[LaKI](https://www.example.org/a?b=1&c=2) "
                              "[Post](mailto:lehrgang@example.org) [Modul](/course/modules/3)"))
    assert '<a href="https://www.example.org/a?b=1&amp;c=2" rel="noopener noreferrer">LaKI</a>' \
        in out
    assert '<a href="mailto:lehrgang@example.org" rel="noopener noreferrer">Post</a>' in out
    assert '<a href="/course/modules/3" rel="noopener noreferrer">Modul</a>' in out
    assert 'rel="noopener noreferrer"' in str(render_markdown('<a href="https://x.example" '
                                                              'rel="opener">x</a>'))


def test_fenced_code_with_language_class_only():
    out = str(render_markdown("```python\nprint('hallo')\n```"))
    assert '<pre><code class="language-python">print(\'hallo\')' in out \
        or '<pre><code class="language-python">print(&#x27;hallo&#x27;)' in out \
        or "<pre><code class=\"language-python\">print(&#39;hallo&#39;)" in out
    assert 'class="evil"' not in str(render_markdown('<code class="evil language-js">x</code>'))


def test_emphasis_quotes_and_images():
    out = str(render_markdown("**fett** *kursiv*\n\n> Zitat\n\n![Karte](/static/karte.png)"))
    assert "<strong>fett</strong>" in out and "<em>kursiv</em>" in out
    assert "<blockquote>" in out
    assert '<img alt="Karte" src="/static/karte.png">' in out


def test_template_filter(app):
    with app.test_request_context():
        out = render_template_string("{{ text|markdown }}", text="# Titel\n\n<script>x</script>")
    assert '<h2 id="md-titel">Titel</h2>' in out and "<script" not in out
