"""Assignment plugin: module work, implementation steps, submissions, grading, progress."""

from lms.plugins import Plugin

plugin = Plugin(name="assignments", requires=("cohorts",))
