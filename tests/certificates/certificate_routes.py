"""Every route of issued certificates for every role: the expected answers.

Paths name ``{cohort}`` (the finished cohort), ``{certificate}`` (Sabine Hoffmann's, of
Hamm), ``{person}`` (Hamm's second person) and ``{code}`` (her certificate's code); the
walk is ``test_certificate_routes``. Hamm's second person holds a certificate of their
own, Duisburg's person none; the outsider is of another cohort.
"""

from __future__ import annotations

ROLES = ("anonymous", "hamm1", "hamm2", "duisburg", "outsider", "lecturer",
         "other_lecturer", "organiser")
PARTICIPANTS = ("hamm1", "hamm2", "duisburg", "outsider")


def answers(anonymous: int = 302, participants: int = 404, lecturer: int = 403,
            other_lecturer: int = 403, organiser: int = 200, **by_role: int) -> dict[str, int]:
    found = {"anonymous": anonymous, "lecturer": lecturer, "other_lecturer": other_lecturer,
             "organiser": organiser, **dict.fromkeys(PARTICIPANTS, participants)}
    return found | by_role


SIGNED_IN = answers(participants=200, lecturer=200, other_lecturer=200)
EVERYBODY = answers(anonymous=200, participants=200, lecturer=200, other_lecturer=200)
ISSUING = answers()
COHORT_LIST = answers(lecturer=200)
HOLDERS_PDF = answers(hamm1=200, other_lecturer=404)
ORGANISERS_OF_ONE = answers(organiser=302, hamm1=403, other_lecturer=404)

BASE = "/certificates/cohorts/{cohort}"
#: (method, path) -> answers by role; POSTs refused must change nothing
CERTIFICATE_CASES = {
    ("GET", "/certificates/issued"): SIGNED_IN,
    ("GET", "/certificates/mine"): SIGNED_IN,
    ("GET", "/certificates/verify"): EVERYBODY,
    ("GET", "/certificates/verify/{code}"): EVERYBODY,
    ("GET", "/certificates/verify/no-such-code"): dict.fromkeys(ROLES, 404),
    ("GET", f"{BASE}/issued"): COHORT_LIST,
    ("GET", f"{BASE}/issue"): ISSUING,
    ("GET", f"{BASE}/certificates.zip"): ISSUING,
    ("GET", "/certificates/{certificate}/certificate.pdf"): HOLDERS_PDF,
    ("GET", "/certificates/{certificate}/revoke"): answers(hamm1=403, other_lecturer=404),
    ("POST", f"{BASE}/issue"): answers(organiser=302),
    ("POST", f"{BASE}/people/{{person}}/issue"): answers(organiser=302),
    ("POST", "/certificates/{certificate}/revoke"): ORGANISERS_OF_ONE,
    ("POST", "/certificates/{certificate}/reissue"): ORGANISERS_OF_ONE,
}
#: what each POST sends
POST_DATA = {"/certificates/{certificate}/revoke": {"reason": "Name falsch geschrieben"}}
