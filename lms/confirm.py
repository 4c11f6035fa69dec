"""A confirmation page for actions that cannot simply be taken back, without JavaScript.

The link that offers such an action leads to a page that says what will happen, with a
form that posts the action and a way back that changes nothing. Views fill in a
``Confirmation`` and answer with ``confirmation_page``; the page's form carries its CSRF
token and the values the action needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import render_template


@dataclass(frozen=True)
class Confirmation:
    #: the question, as the page's heading: "Cancel the session on 18.05.2017?"
    title: str
    #: what will happen, one sentence each
    consequences: list[str]
    #: where the form posts
    action: str
    #: the button's label, naming the action: "Cancel session"
    confirm_label: str
    #: where "back" leads, changing nothing
    back: str
    #: hidden values the form posts along
    fields: dict[str, str] = field(default_factory=dict)


def confirmation_page(confirmation: Confirmation) -> str:
    return render_template("confirm.html", confirmation=confirmation)
