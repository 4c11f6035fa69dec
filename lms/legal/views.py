"""The legal pages: readable by everybody, written by organisers, with their versions."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.auth.access import authorize
from lms.errors import DomainError
from lms.legal import services
from lms.legal.forms import LegalTextForm
from lms.legal.models import LegalText
from lms.legal.pages import PAGES, LegalPage, outline
from lms.legal.services import EditConflict
from lms.web import parse_id, reject

bp = Blueprint("legal", __name__)
#: the page's German address: /impressum, /datenschutz, /barrierefreiheit
PAGE = f"<any({', '.join(page.value for page in LegalPage)}):slug>"


@dataclass(frozen=True)
class Conflict:
    """What the editor sees when someone else saved first: both texts, side by side."""

    mine: str
    saved: LegalText


@bp.route(f"/{PAGE}")
def page(slug: str):
    legal_page = LegalPage(slug)
    authorize("view", LegalText)
    return render_template("legal/page.html", page=legal_page, texts=PAGES[legal_page],
                           legal=services.current_text(legal_page), LegalText=LegalText)


@bp.route(f"/{PAGE}/bearbeiten", methods=["GET", "POST"])
def edit(slug: str):
    legal_page = LegalPage(slug)
    authorize("edit", LegalText)
    legal = services.current_text(legal_page)
    form = LegalTextForm()
    if request.method == "GET":
        form.version.data = str(legal.revision if legal else 0)
        form.text.data = legal.text if legal else outline(legal_page)
    conflict = None
    if form.validate_on_submit():
        try:
            saved = services.save_text(legal_page, form.text.data, actor=current_user,
                                       expected_revision=int(form.version.data))
        except EditConflict as exc:
            reject(form, exc)
            legal = services.current_text(legal_page)
            conflict = Conflict(form.text.data, legal)
            form.version.data = str(legal.revision)
        except DomainError as exc:
            reject(form, exc)
        else:
            flash(_("The text has been saved as version %(number)d.", number=saved.number)
                  if saved else _("The text is unchanged; nothing has been saved."), "success")
            return redirect(url_for(".page", slug=slug))
    return render_template("legal/edit.html", page=legal_page, texts=PAGES[legal_page],
                           legal=legal, form=form, conflict=conflict)


@bp.route(f"/{PAGE}/wiederherstellen", methods=["POST"])
def restore(slug: str):
    legal_page = LegalPage(slug)
    authorize("edit", LegalText)
    number = parse_id(request.form.get("number"))
    try:
        restored = services.restore_revision(legal_page, number, actor=current_user) \
            if number else None
    except DomainError as exc:
        reject(None, exc)
        return redirect(url_for(".edit", slug=slug))
    if restored is None:
        abort(404)
    flash(_("Version %(old)d has been restored as version %(new)d.", old=number,
            new=restored.number), "success")
    return redirect(url_for(".page", slug=slug))
