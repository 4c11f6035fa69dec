"""Certificates plugin: the certificate rule of a course, eligibility, and certificates.

A plugin of its own inside ``assignments/``, requiring the implementation steps
(``steps``, which requires ``assignments``): the rule (``rule``) reads attendance from the
cohort plugin, released grades from module work and the municipalities' progress from the
steps. ``models`` holds the rule's settings and the issued certificates, ``access`` its
policies, ``blueprint`` its routes (view functions in ``controllers``).
"""

from assignments.certificates import models  # noqa: F401  (its tables, for the schema)
from assignments.certificates.access import register_policies
from assignments.certificates.blueprint import URL_PREFIX, bp
from assignments.certificates.columns import certificate_columns
from lms.plugins import Plugin

plugin = Plugin(
    name="certificates",
    requires=("steps",),
    blueprint=bp,
    url_prefix=URL_PREFIX,
    setup=register_policies,
    person_columns=certificate_columns,
)
