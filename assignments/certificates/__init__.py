"""Certificates plugin: the certificate rule of a course, eligibility, and certificates.

A plugin of its own inside ``assignments/``, requiring the implementation steps
(``steps``, which requires ``assignments``): the rule (``rule``) reads attendance from the
cohort plugin, released grades from module work and the municipalities' progress from the
steps. ``models`` holds the rule's settings and the issued certificates, ``access`` its
policies, ``blueprint`` its routes (view functions in ``controllers``); ``issuing`` issues,
revokes and re-issues certificates, ``document`` makes their PDF, ``panels`` the holder's
dashboard line, ``demo`` the certificates of the demo's finished cohort.
"""

from flask_babel import lazy_gettext as _l

from assignments.certificates import models  # noqa: F401  (its tables, for the schema)
from assignments.certificates.access import register_policies
from assignments.certificates.blueprint import URL_PREFIX, bp
from assignments.certificates.demo import seed_demo
from assignments.certificates.panels import certificate_panels
from lms.auth.models import Role
from lms.plugins import NavEntry, Plugin

plugin = Plugin(
    name="certificates",
    requires=("steps",),
    blueprint=bp,
    url_prefix=URL_PREFIX,
    setup=register_policies,
    navigation=(
        NavEntry(_l("Certificates"), "certificates.issued_index",
                 roles=frozenset({Role.ORGANISER, Role.LECTURER}), order=19),
        NavEntry(_l("My certificates"), "certificates.mine",
                 roles=frozenset({Role.PARTICIPANT}), order=19),
    ),
    dashboard=certificate_panels,
    seed_demo=seed_demo,
)
