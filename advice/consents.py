"""What the advice office asks consent for: processing the data of a request for advice
or mediation. The consent itself is the host's (``lms.consent``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from advice.models import AdviceCase, CaseState
from lms import audit
from lms.auth.models import User
from lms.consent.models import ConsentRecord
from lms.consent.purposes import ConsentPurpose
from lms.extensions import db

ADVICE_REQUEST = "advice_request"


def _request_consent_withdrawn(record: ConsentRecord, actor: User | None) -> None:
    """The office records it; an open case is no longer worked on until the organisers
    speak with the municipality (the audit log tells them)."""
    case = db.session.get(AdviceCase, record.subject_id)
    if case is not None:
        audit.record("advice.consent_withdrawn", case, actor=actor,
                     after={"consent_record": record.id, "open": case.state is not
                            CaseState.CONCLUDED})


PURPOSES = (
    ConsentPurpose(
        ADVICE_REQUEST, _l("Processing of a request to the conflict advice office"),
        first_text_de=(
            "Ich willige ein, dass die zentrale Konfliktberatungsstelle der LaKI die Angaben "
            "dieser Anfrage verarbeitet: die Beschreibung des Konflikts, die Beteiligten, "
            "Terminwünsche und meine Kontaktdaten. Sie werden nur den Organisatorinnen und "
            "Organisatoren und den zugewiesenen Mediatorinnen, Mediatoren, Beraterinnen und "
            "Beratern zugänglich gemacht und dienen dazu, die Beratung oder Mediation "
            "durchzuführen.\n\n"
            "Die Einwilligung ist freiwillig und kann jederzeit mit Wirkung für die Zukunft "
            "widerrufen werden.\n"),
        first_text_en=(
            "I agree that the LaKI's central conflict advice office processes the details of "
            "this request: the description of the conflict, the parties involved, preferred "
            "dates and my contact data. Only the organisers and the assigned mediators and "
            "advisers see them; they serve to carry out the advice or mediation.\n\n"
            "This consent is voluntary and can be withdrawn at any time with effect for the "
            "future.\n"),
        withdrawal_effect=_l("The advice office is told; the case is no longer worked on "
                             "until it has spoken with you."),
        on_withdraw=_request_consent_withdrawn),
)
