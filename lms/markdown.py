"""The one Markdown renderer: python-markdown, then nh3 to an explicit allow-list.

Everything people write (module content, feedback, answers) goes through
``render_markdown``, once, when it is saved: its HTML is stored beside it
(``lms.markdown_columns``) and pages place that. The ``markdown`` filter is left for
text not saved yet, such as a form's preview.

Raw HTML in the source is allowed through python-markdown on purpose and then cut down
by the sanitiser, so harmless tags such as ``<details>`` work and anything executable
is removed: no scripts, styles, frames, SVG, event handlers, or URLs other than http,
https, mailto and relative ones.

Heading ids (for links within a text) get the prefix ``md-``, so a heading can never take
the id of an element of the page around it; links to ``#fragment`` get the same prefix.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown as md
import nh3
from flask import Flask
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor
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


_HEADING = re.compile(r"h([1-6])")


class _TopHeading(Treeprocessor):
    """Moves a text's headings so its highest one is ``h<top>``, the rest keeping their
    distance below it (never beyond ``h6``)."""

    def __init__(self, md_instance: md.Markdown, top: int) -> None:
        super().__init__(md_instance)
        self.top = top

    def run(self, root: etree.Element) -> None:
        headings = [(element, int(match.group(1))) for element in root.iter()
                    if (match := _HEADING.fullmatch(element.tag))]
        if not headings:
            return
        shift = self.top - min(level for _element, level in headings)
        for element, level in headings:
            element.tag = f"h{min(6, level + shift)}"


class _TopHeadingExtension(Extension):
    def __init__(self, top: int) -> None:
        super().__init__()
        self.top = top

    def extendMarkdown(self, md_instance: md.Markdown) -> None:
        # before the table of contents (priority 5), which takes the ids from the headings
        md_instance.treeprocessors.register(_TopHeading(md_instance, self.top), "top_heading", 6)


#: the level of a text's highest heading unless a page asks for another; stored HTML
#: (``lms.markdown_columns``) is rendered with it
DEFAULT_TOP_HEADING = 2


def render_markdown(text: str | None, top_heading: int = DEFAULT_TOP_HEADING) -> Markup:
    """Markdown source as safe HTML, ready to place in a page.

    A page has one ``h1``, its own title; a text's highest heading (written as "#" or,
    as people often do under a title, "##") becomes ``h<top_heading>`` and the others
    follow below it, so no level is skipped, and a text placed under a deeper heading of
    the page (a handbook's entries under their ``h3``) never outranks it.
    """
    if not text:
        return Markup("")
    html = md.markdown(text, extensions=[*EXTENSIONS, _TopHeadingExtension(top_heading)],
                       extension_configs=EXTENSION_CONFIGS, output_format="html")
    return Markup(sanitise(html))


# In sanitised HTML a "<" stands only at the start of a real tag (text and attribute
# values have it escaped), so this finds every heading tag and nothing else.
_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>])")


def with_top_heading(html: Markup, top_heading: int) -> Markup:
    """``html`` rendered with the default top heading, its headings moved down so the
    highest is ``h<top_heading>``: the same as rendering the source at that level, since
    both keep the distances and stop at ``h6``. Costs a regular expression, not a parse."""
    shift = top_heading - DEFAULT_TOP_HEADING
    if shift < 0:
        raise ValueError(f"headings move down only, not to h{top_heading}")
    if not shift:
        return html
    return Markup(_HEADING_TAG.sub(
        lambda match: f"<{match.group(1)}h{min(6, int(match.group(2)) + shift)}", str(html)))


def init_app(app: Flask) -> None:
    """Offer the renderer to templates as ``{{ text|markdown }}`` (for unsaved text, such
    as a form's preview; saved text has its HTML stored) and ``{{ html|top_heading(4) }}``
    to place stored HTML under a deeper heading of the page."""
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["top_heading"] = with_top_heading
