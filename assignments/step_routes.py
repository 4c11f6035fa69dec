"""The implementation steps' pages, imported once so their routes join the blueprint."""

from assignments import (  # noqa: F401
    committees_views,
    handbook_views,
    measures_views,
    step_views,
)
