"""The personal data the certificates plugin keeps, for the record of processing."""

from flask_babel import lazy_gettext as _l

from lms.plugins import PersonalData
from lms.processing import KEPT_WITH_RECORDS

PERSONAL_DATA = (
    PersonalData(
        _l("Certificates"), _l("Participants and organisers"),
        _l("The holder's name as enrolled, the certificate's number and code, who issued "
           "or revoked it and why; who set a course's rule"),
        _l("Issuing certificates and confirming them to anyone who checks one"),
        KEPT_WITH_RECORDS, ("certificates", "certificate_rules")),
)
