"""The one Markdown renderer: python-markdown, then nh3 to an explicit allow-list.

Everything people write (module content, feedback, answers) goes through
``render_markdown``. Raw HTML in the source is allowed through python-markdown on
purpose and then cut down by the sanitiser, so harmless tags such as ``<details>`` work
and anything executable is removed: no scripts, styles, frames, SVG, event handlers, or
URLs other than http, https, mailto and relative ones.

Heading ids (for links within a text) get the prefix ``md-``, so a heading can never take
the id of an element of the page around it; links to ``#fragment`` get the same prefix.
"""

from __future__ import annotations

import markdown as md
import nh3
from flask import Flask
from markdown.extensions.toc import slugify_unicode
from markupsafe import Markup

ID_PREFIX = "md-"
EXTENSIONS = ["tables", "fenced_code", "sane_lists", "toc"]
EXTENSION_CONFIGS = {
    # align="..." instead of style="text-align: ..." (styles are not allowed)
    "tables": {"use_align_attribute": True},
    "toc": {"slugify": slugify_unicode, "permalink": False},
}

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "q", "s", "samp", "small", "strong", "sub", "summary", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "div", "span",
})
# Removed together with everything inside them (the others keep their text).
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "svg", "math",
    "template", "noscript", "textarea", "select", "button", "applet", "noembed", "xmp",
})
_HEADING_ATTRIBUTES = {"id"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "code": {"class"},
    "ol": {"start"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    **{f"h{level}": _HEADING_ATTRIBUTES for level in range(1, 7)},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":  # only the language marker of fenced code blocks
        languages = [name for name in value.split() if name.startswith("language-")]
        return languages[0] if languages else None
    if tag == "a" and attribute == "href" and value.startswith("#") and len(value) > 1 \
            and not value.startswith(f"#{ID_PREFIX}"):
        return f"#{ID_PREFIX}{value[1:]}"
    if attribute == "align":
        return value if value in {"left", "right", "center"} else None
    return value


def sanitise(html: str) -> str:
    """Cut ``html`` down to the allow-list."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
        id_prefix=ID_PREFIX,
    )


def render_markdown(text: str | None, top_heading: int = 2) -> Markup:
    """Markdown source as safe HTML, ready to place in a page.

    A page has one ``h1``, its own title; a text's "#" headings become ``h<top_heading>``
    and the others follow below it, so a text placed under a deeper heading of the page
    (a handbook's entries under their ``h3``) never outranks it in size or outline.
    """
    if not text:
        return Markup("")
    configs = {**EXTENSION_CONFIGS, "toc": {**EXTENSION_CONFIGS["toc"], "baselevel": top_heading}}
    html = md.markdown(text, extensions=EXTENSIONS, extension_configs=configs,
                       output_format="html")
    return Markup(sanitise(html))


def init_app(app: Flask) -> None:
    """Offer the renderer to templates as ``{{ text|markdown }}``."""
    app.jinja_env.filters["markdown"] = render_markdown
