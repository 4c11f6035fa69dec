"""What changed between two revisions of a module, line by line, for the history pages."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, fields

from flask_babel import lazy_gettext as _l

from courses.services import ModuleContent

FIELD_LABELS = {
    "title": _l("Title"),
    "summary": _l("Short summary"),
    "objectives": _l("Learning objectives"),
    "content": _l("Content"),
}
CONTEXT_LINES = 2


@dataclass(frozen=True)
class DiffLine:
    #: "added", "removed", "context" or "gap" (unchanged lines left out)
    kind: str
    text: str


@dataclass(frozen=True)
class FieldChange:
    label: str
    lines: list[DiffLine]


def _line_diff(old: str, new: str) -> list[DiffLine]:
    lines: list[DiffLine] = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="",
                                     n=CONTEXT_LINES):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            if lines:
                lines.append(DiffLine("gap", "…"))
        elif line.startswith("+"):
            lines.append(DiffLine("added", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("removed", line[1:]))
        else:
            lines.append(DiffLine("context", line[1:]))
    return lines


def changes(old: ModuleContent, new: ModuleContent) -> list[FieldChange]:
    """The fields of ``new`` that differ from ``old``, each with its changed lines."""
    result = []
    for field in fields(ModuleContent):
        before, after = getattr(old, field.name), getattr(new, field.name)
        if before != after:
            result.append(FieldChange(str(FIELD_LABELS[field.name]), _line_diff(before, after)))
    return result
