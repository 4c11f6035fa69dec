"""Markdown rendered once, when it is saved, and its sanitised HTML stored beside it.

A model declares, next to a Markdown column ``text``, ``text_html = rendered_from("text")``.
Whenever ``text`` is set (a new row, a form's save, an erasure's scrub), its HTML is
rendered through ``lms.markdown.render_markdown`` and set too, before anything is
flushed; so a page places ``text_html`` as it is and never parses Markdown. The HTML has
its highest heading at ``h2``; a page that places a text under a deeper heading of its own
moves them down with ``{{ text_html|top_heading(4) }}``.

Objects built per request from texts in the code (defaults shown until someone saves
them) would parse them on every view; such texts are rendered once per process with
``render_once`` and found again by the listener.

Statements that bypass the ORM (``update(Model).values(text=...)``, raw SQL) do not keep
the HTML: Markdown columns are written through the ORM only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from markupsafe import Markup
from sqlalchemy import Column, Text, event
from sqlalchemy.orm import Mapper, mapped_column
from sqlalchemy.orm.properties import MappedColumn
from sqlalchemy.types import TypeDecorator

from lms.extensions import db
from lms.markdown import render_markdown

#: the key in a column's ``info`` naming the Markdown column its HTML comes from
RENDERED_FROM = "rendered_from"
#: texts of the code, rendered once (``render_once``)
_RENDERED_TEXTS: dict[str, Markup] = {}


class StoredHTML(TypeDecorator[Markup]):
    """Text that is HTML sanitised before it was stored, read back as ``Markup``, so a
    template places it unescaped without ``|safe``."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: str | None, dialect: Any) -> Markup | None:
        return None if value is None else Markup(value)


def rendered_from(source: str) -> MappedColumn[Markup]:
    """A column holding the sanitised HTML of the model's Markdown column ``source``."""
    return mapped_column(StoredHTML(), default="", server_default="",
                         info={RENDERED_FROM: source})


def rendered_columns() -> Iterator[tuple[Column[Any], str]]:
    """Every stored-HTML column of the mapped models, with the name of its source."""
    for mapper in db.Model.registry.mappers:
        for column in mapper.local_table.columns:
            if RENDERED_FROM in column.info:
                yield column, column.info[RENDERED_FROM]


def render_once(*texts: str) -> None:
    """Render ``texts``, Markdown that the code itself sets, now and once per process."""
    for text in texts:
        if text not in _RENDERED_TEXTS:
            _RENDERED_TEXTS[text] = render_markdown(text)


def _renderer(html_key: str) -> Callable[[Any, Any, Any, Any], None]:
    def render(target: Any, value: str | None, old_value: Any, _initiator: Any) -> None:
        if value != old_value:
            known = _RENDERED_TEXTS.get(value) if value else None
            setattr(target, html_key, known if known is not None else render_markdown(value))
    return render


@event.listens_for(Mapper, "mapper_configured")
def _keep_rendered(mapper: Mapper[Any], class_: type) -> None:
    """Render a model's stored HTML whenever its Markdown source is set."""
    for column in mapper.local_table.columns:
        if RENDERED_FROM in column.info:
            html_key = mapper.get_property_by_column(column).key
            event.listen(getattr(class_, column.info[RENDERED_FROM]), "set", _renderer(html_key))
