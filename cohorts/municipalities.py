"""Municipalities: the official NRW list shipped with the plugin, and those added by hand.

The reference list (``data/municipalities_nrw.csv``: the 53 districts and district-free
cities with their AGS, kind and administrative region) is loaded by
``flask lms cohorts load-municipalities``, by the demo, or from the municipalities page.
Loading is idempotent: rows are matched by AGS, missing ones added, official names kept
current; contact data the organisers entered is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from cohorts.models import Municipality, MunicipalityKind
from cohorts.people import EMAIL_MAX, NAME_MAX, PHONE_MAX, checked_email, checked_text
from lms import audit
from lms.auth.models import User
from lms.csvfile import read_csv
from lms.errors import DomainError
from lms.extensions import db
from lms.i18n import collation_key
from lms.tables import Column, Kind, Table

REFERENCE_CSV = Path(__file__).resolve().parent / "data" / "municipalities_nrw.csv"
AGS_PATTERN = re.compile(r"^\d{8}$")
REGION_MAX = 60
ADDRESS_MAX = 1000
#: fields of the official list, which organisers cannot change on reference rows
OFFICIAL_FIELDS = ("ags", "name", "kind", "region")


@dataclass(frozen=True)
class MunicipalityDetails:
    ags: str
    name: str
    kind: MunicipalityKind
    region: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    address: str = ""


@cache
def reference_list() -> tuple[MunicipalityDetails, ...]:
    """The shipped list, in file order (read once per process)."""
    header, rows = read_csv(REFERENCE_CSV.read_bytes())
    columns = {name: index for index, name in enumerate(header)}
    return tuple(
        MunicipalityDetails(ags=row[columns["ags"]], name=row[columns["name"]],
                            kind=MunicipalityKind(row[columns["kind"]]),
                            region=row[columns["region"]])
        for row in rows
    )


def load_reference_list() -> int:
    """Add the official municipalities that are missing; returns how many were added."""
    existing = {m.ags: m for m in db.session.scalars(select(Municipality))}
    added = 0
    for details in reference_list():
        municipality = existing.get(details.ags)
        if municipality is None:
            db.session.add(Municipality(**asdict(details), reference=True))
            added += 1
            continue
        municipality.reference = True
        for name in OFFICIAL_FIELDS:
            setattr(municipality, name, getattr(details, name))
    db.session.flush()
    return added


def regions() -> list[str]:
    """The administrative regions the municipalities lie in, for filters."""
    return sorted(db.session.scalars(select(Municipality.region).distinct()
                                     .where(Municipality.region != "")), key=collation_key)


def filtered_municipalities(search: str = "", kind: str = "") -> Select[tuple[Municipality]]:
    """Municipalities by name, narrowed to a name or AGS beginning and a kind (unknown: all)."""
    query = select(Municipality).order_by(Municipality.sort_name, Municipality.id)
    if search:
        query = query.where(Municipality.name.icontains(search, autoescape=True)
                            | Municipality.ags.startswith(search, autoescape=True))
    if kind in set(MunicipalityKind):
        query = query.where(Municipality.kind == MunicipalityKind(kind))
    return query


def municipalities_table(municipalities: Iterable[Municipality]) -> Table:
    """The municipalities with their keys and contacts as a table to export."""
    table = Table(_("Municipalities"), _("Municipalities"), [
        Column(_("AGS"), Kind.CODE), Column(_("Name")), Column(_("Type")),
        Column(_("Administrative region")), Column(_("Contact person")),
        Column(_("Email address")), Column(_("Phone")), Column(_("Address")),
        Column(_("Official list"), Kind.YES_NO)])
    for municipality in municipalities:
        table.add(municipality.ags, municipality.name, municipality.kind.label,
                  municipality.region, municipality.contact_name, municipality.contact_email,
                  municipality.contact_phone, municipality.address, municipality.reference)
    return table


def checked_ags(value: str | None) -> str:
    ags = (value or "").strip().replace(" ", "")
    if not AGS_PATTERN.match(ags):
        raise DomainError(_("The municipality key (AGS) has exactly eight digits, for example "
                            "05915000."), field="ags")
    return ags


def _checked(details: MunicipalityDetails) -> MunicipalityDetails:
    contact_email = (checked_email(details.contact_email, "contact_email")
                     if (details.contact_email or "").strip() else "")
    return MunicipalityDetails(
        ags=checked_ags(details.ags),
        name=checked_text(details.name, "name", limit=NAME_MAX,
                          missing=_l("Please enter the name.")),
        kind=MunicipalityKind(details.kind),
        region=checked_text(details.region, "region", limit=REGION_MAX),
        contact_name=checked_text(details.contact_name, "contact_name", limit=NAME_MAX),
        contact_email=checked_text(contact_email, "contact_email", limit=EMAIL_MAX),
        contact_phone=checked_text(details.contact_phone, "contact_phone", limit=PHONE_MAX),
        address=checked_text(details.address, "address", limit=ADDRESS_MAX),
    )


def _ags_taken(ags: str, other_than: int | None = None) -> bool:
    query = select(Municipality.id).where(Municipality.ags == ags)
    if other_than is not None:
        query = query.where(Municipality.id != other_than)
    return db.session.scalar(query) is not None


def create_municipality(details: MunicipalityDetails, *, actor: User) -> Municipality:
    """Add a municipality that is not on the official list, e.g. a town within a district."""
    details = _checked(details)
    if _ags_taken(details.ags):
        raise DomainError(_("A municipality with this key already exists."), field="ags")
    municipality = Municipality(**asdict(details), reference=False)
    db.session.add(municipality)
    db.session.flush()
    audit.record("municipality.created", municipality, actor=actor, after=_snapshot(municipality))
    return municipality


def update_municipality(municipality: Municipality, details: MunicipalityDetails, *,
                        actor: User) -> None:
    """Change a municipality; on official rows only the contact data can change."""
    if municipality.reference:
        details = MunicipalityDetails(
            **{**asdict(details), **{name: getattr(municipality, name)
                                     for name in OFFICIAL_FIELDS}})
    details = _checked(details)
    if _ags_taken(details.ags, other_than=municipality.id):
        raise DomainError(_("A municipality with this key already exists."), field="ags")
    before = _snapshot(municipality)
    for name, value in asdict(details).items():
        setattr(municipality, name, value)
    after = _snapshot(municipality)
    if before != after:
        audit.record("municipality.updated", municipality, actor=actor, before=before,
                     after=after)
    db.session.flush()


def _snapshot(municipality: Municipality) -> dict[str, str]:
    return {"ags": municipality.ags, "name": municipality.name,
            "kind": str(municipality.kind), "region": municipality.region,
            "contact_name": municipality.contact_name,
            "contact_email": municipality.contact_email,
            "contact_phone": municipality.contact_phone, "address": municipality.address}
