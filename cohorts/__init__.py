"""Cohort plugin: municipalities, application rounds, cohorts, enrollments and rosters."""

from lms.plugins import Plugin

plugin = Plugin(name="cohorts", requires=("courses",))
