"""The personal data the certificates plugin keeps: its declaration for the record of
processing, a person's part of their export (Art. 15 GDPR) and of their erasure (Art. 17)."""

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from assignments.certificates.models import Certificate
from lms.auth.models import User
from lms.erasure import Erasure
from lms.extensions import db
from lms.plugins import PersonalData, PersonalSection
from lms.processing import KEPT_AFTER_COHORT

PERSONAL_DATA = (
    PersonalData(
        _l("Certificates"), _l("Participants and organisers"),
        _l("The holder's name as enrolled, the certificate's number and code, who issued "
           "or revoked it and why; who set a course's rule"),
        _l("Issuing certificates and confirming them to anyone who checks one"),
        KEPT_AFTER_COHORT, ("certificates", "certificate_rules")),
)


def export_personal_data(user: User) -> PersonalSection:
    """The person's certificates, and which ones they issued or revoked (numbers only)."""
    def certificates(column: Any) -> list[Certificate]:
        return list(db.session.scalars(select(Certificate).where(column == user.id)
                                       .order_by(Certificate.id)))

    return PersonalSection({
        "certificates": [
            {"number": row.number, "verification_code": row.code, "holder": row.holder_name,
             "course": row.course_title, "cohort": row.cohort_name,
             "period": [row.period_start, row.period_end], "issued_on": row.issued_on,
             "revoked_at": row.revoked_at, "revoke_reason": row.revoke_reason}
            for row in certificates(Certificate.user_id)],
        "certificates_issued": [row.number for row in certificates(Certificate.issued_by_id)],
        "certificates_revoked": [row.number for row in certificates(Certificate.revoked_by_id)],
    })


def erase_personal_data(erasure: Erasure) -> None:
    """Certificates stay valid and verifiable, held by the pseudonym: the verification
    page says the holder's data was erased and shows no name."""
    db.session.execute(update(Certificate).where(Certificate.user_id == erasure.user.id)
                       .values(holder_name=erasure.pseudonym))
    erasure.scrub(Certificate.holder_name, Certificate.revoke_reason)
