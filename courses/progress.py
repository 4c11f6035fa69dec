"""Extension point: a participant's progress in a module, shown on the module page.

The assignments plugin registers a function ``(user, module) -> Markup | None`` in its
``setup(app)``; the module page shows every non-empty answer. Courses never import it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flask import Flask, current_app
from markupsafe import Markup

from lms.auth.models import User

if TYPE_CHECKING:
    from courses.models import Module

EXTENSION_KEY = "courses.module_progress"
ModuleProgress = Callable[[User, "Module"], Markup | None]


def register_module_progress(app: Flask, source: ModuleProgress) -> None:
    app.extensions.setdefault(EXTENSION_KEY, []).append(source)


def module_progress(user: User, module: Module) -> list[Markup]:
    """The progress blocks every registered source has for ``user`` in ``module``."""
    sources: list[ModuleProgress] = current_app.extensions.get(EXTENSION_KEY, [])
    return [block for source in sources if (block := source(user, module)) is not None]
