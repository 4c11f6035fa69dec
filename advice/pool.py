"""The pool of mediators and advisers: profiles kept by the organisers and by each member."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, select

from advice.models import REGIONS, PoolMember
from cohorts.enrollments import participant_account
from cohorts.people import PersonDetails, checked_person, checked_text
from lms import audit
from lms.auth.models import User
from lms.errors import DomainError
from lms.extensions import db

LIST_ITEM_MAX = 60
LIST_MAX = 12


@dataclass(frozen=True)
class Profile:
    """What a pool profile says; lists come as typed, one entry per comma or line."""

    qualifications: str = ""
    languages: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    availability: str = ""
    active: bool = True


def split_list(text: str | None) -> tuple[str, ...]:
    """``"Deutsch, Türkisch"`` -> ``("Deutsch", "Türkisch")``, without blanks or repeats."""
    items: list[str] = []
    for part in (text or "").replace("\n", ",").split(","):
        item = part.strip()
        if item and item.casefold() not in {known.casefold() for known in items}:
            items.append(item)
    return tuple(items)


def _checked_list(items: tuple[str, ...], name: str) -> list[str]:
    if len(items) > LIST_MAX:
        raise DomainError(_("At most %(count)d entries, please.", count=LIST_MAX), field=name)
    for item in items:
        checked_text(item, name, limit=LIST_ITEM_MAX)
    return list(items)


def _apply(member: PoolMember, profile: Profile) -> None:
    unknown = [region for region in profile.regions if region not in REGIONS]
    if unknown:
        raise DomainError(_("Please choose one of the listed entries."), field="regions")
    member.qualifications = checked_text(profile.qualifications, "qualifications", limit=2000)
    member.languages = _checked_list(profile.languages, "languages")
    member.topics = _checked_list(profile.topics, "topics")
    member.regions = [region for region in REGIONS if region in profile.regions]
    member.availability = checked_text(profile.availability, "availability", limit=500)
    member.active = profile.active


def _snapshot(member: PoolMember) -> dict[str, object]:
    return {"qualifications": member.qualifications, "languages": list(member.languages),
            "regions": list(member.regions), "topics": list(member.topics),
            "availability": member.availability, "active": member.active}


def add_member(person: PersonDetails, profile: Profile, *, actor: User | None) -> PoolMember:
    """Take a person into the pool (an account is made for a new address)."""
    person = checked_person(person)
    user = participant_account(person, actor=actor)
    if user.id is not None and db.session.scalar(
            select(PoolMember.id).where(PoolMember.user_id == user.id)):
        raise DomainError(_("%(email)s is already in the pool.", email=person.email),
                          field="email")
    member = PoolMember(user=user)
    _apply(member, profile)
    db.session.add(member)
    db.session.flush()
    audit.record("advice.pool_member_added", member, actor=actor, after=_snapshot(member))
    return member


def update_profile(member: PoolMember, profile: Profile, *, actor: User) -> None:
    before = _snapshot(member)
    _apply(member, profile)
    after = _snapshot(member)
    if after != before:
        audit.record("advice.profile_changed", member, actor=actor, before=before, after=after)
    db.session.flush()


def pool_members(*, active_only: bool = False) -> Select[tuple[PoolMember]]:
    statement = select(PoolMember).join(PoolMember.user).order_by(User.sort_name, PoolMember.id)
    return statement.where(PoolMember.active) if active_only else statement

