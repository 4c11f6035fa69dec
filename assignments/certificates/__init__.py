"""Certificates plugin: the certificate rule of a course, eligibility, and certificates.

A plugin of its own inside ``assignments/``, requiring the implementation steps
(``steps``, which requires ``assignments``): the rule (``rule``) reads attendance from the
cohort plugin, released grades from module work and the municipalities' progress from the
steps. ``models`` holds the rule's settings and the issued certificates, ``access`` its
policies, ``blueprint`` its routes (view functions in ``controllers``).
"""

from flask_babel import lazy_gettext as _l

from assignments.certificates import models  # noqa: F401  (its tables, for the schema)
from assignments.certificates.access import register_policies
from assignments.certificates.blueprint import URL_PREFIX, bp
from assignments.certificates.columns import certificate_columns
from assignments.certificates.dashboard import progress_panels
from courses.access import STAFF
from lms.plugins import NavEntry, Plugin

plugin = Plugin(
    name="certificates",
    requires=("steps",),
    blueprint=bp,
    url_prefix=URL_PREFIX,
    navigation=(NavEntry(_l("Certificate eligibility"), "certificates.eligibility_index",
                         roles=frozenset(STAFF), order=17),),
    dashboard=progress_panels,
    setup=register_policies,
    person_columns=certificate_columns,
)
