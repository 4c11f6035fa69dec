"""Certificates plugin: the certificate rule of a course, eligibility, and certificates.

A plugin of its own inside ``assignments/``, requiring the implementation steps
(``steps``, which requires ``assignments``): the rule (``rule``) reads attendance from the
cohort plugin, released grades from module work and the municipalities' progress from the
steps. ``models`` holds the rule's settings and the issued certificates.
"""

from assignments.certificates import models  # noqa: F401  (its tables, for the schema)
from lms.plugins import Plugin

plugin = Plugin(
    name="certificates",
    requires=("steps",),
)
