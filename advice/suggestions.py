"""Which pool members to suggest for a case: ranked by region, language, topic and load."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from advice.models import (
    OPEN_STATES,
    AdviceCase,
    AssignmentStatus,
    CaseAssignment,
    PoolMember,
)
from advice.pool import pool_members
from lms.extensions import db

#: what a match is worth; load (open cases) counts one point against each
REGION, LANGUAGE, TOPIC = 4, 2, 2


@dataclass(frozen=True)
class Suggestion:
    member: PoolMember
    region: bool
    language: bool
    topic: bool
    #: open cases the member is assigned to and has not declined
    load: int

    @property
    def score(self) -> int:
        return REGION * self.region + LANGUAGE * self.language + TOPIC * self.topic - self.load


def open_loads() -> dict[int, int]:
    """Open cases per pool member (id), declined assignments left out."""
    rows = db.session.execute(
        select(CaseAssignment.member_id, func.count()).join(CaseAssignment.case)
        .where(CaseAssignment.status != AssignmentStatus.DECLINED,
               AdviceCase.state.in_(OPEN_STATES))
        .group_by(CaseAssignment.member_id))
    return {member_id: count for member_id, count in rows}


def _mentions(items: list[str], wanted: str) -> bool:
    wanted = wanted.strip().casefold()
    return bool(wanted) and any(wanted in item.casefold() or item.casefold() in wanted
                                for item in items)


def suggestions(case: AdviceCase) -> list[Suggestion]:
    """The active members not yet asked for ``case``, best first."""
    asked = {assignment.member_id for assignment in case.assignments}
    loads = open_loads()
    found = [Suggestion(member, case.municipality.region in member.regions,
                        _mentions(member.languages, case.language),
                        _mentions(member.topics, case.topic), loads.get(member.id, 0))
             for member in db.session.scalars(pool_members(active_only=True))
             if member.id not in asked]
    return sorted(found, key=lambda s: (-s.score, s.load, s.member.user.sort_name))
