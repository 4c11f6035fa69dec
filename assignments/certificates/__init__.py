"""Certificates plugin: the certificate rule of a course, eligibility, and certificates.

A plugin of its own inside ``assignments/``, requiring the implementation steps
(``steps``, which requires ``assignments``): the rule (``rule``) reads attendance from the
cohort plugin, released grades from module work and the municipalities' progress from the
steps. ``models`` holds the rule's settings and the issued certificates, ``access`` its
policies, ``blueprint`` its routes (view functions in ``controllers``). ``settings`` keeps
a course's rule, ``eligibility`` the board of who meets it, ``columns`` the verdict for
the host's person tables, ``progress`` a participant's own standing; ``issuing`` issues,
revokes and re-issues certificates, ``document`` makes their PDF; ``dashboard`` the
panels, ``demo`` the certificates of the demo's finished cohort.
"""

from flask_babel import lazy_gettext as _l

from assignments.certificates import models  # noqa: F401  (its tables, for the schema)
from assignments.certificates.access import register_policies
from assignments.certificates.blueprint import URL_PREFIX, bp
from assignments.certificates.columns import certificate_columns
from assignments.certificates.dashboard import dashboard_panels
from assignments.certificates.demo import seed_demo
from assignments.certificates.personal_data import (
    PERSONAL_DATA,
    erase_personal_data,
    export_personal_data,
)
from courses.access import STAFF
from lms.auth.models import Role
from lms.plugins import NavEntry, Plugin

plugin = Plugin(
    name="certificates",
    personal_data=PERSONAL_DATA,
    export_personal_data=export_personal_data,
    erase_personal_data=erase_personal_data,
    requires=("steps",),
    blueprint=bp,
    url_prefix=URL_PREFIX,
    navigation=(
        NavEntry(_l("Certificate eligibility"), "certificates.eligibility_index",
                 roles=frozenset(STAFF), order=17),
        NavEntry(_l("Certificates"), "certificates.issued_index", roles=frozenset(STAFF),
                 order=19),
        NavEntry(_l("My certificates"), "certificates.mine",
                 roles=frozenset({Role.PARTICIPANT}), order=19),
    ),
    dashboard=dashboard_panels,
    person_columns=certificate_columns,
    setup=register_policies,
    seed_demo=seed_demo,
)
