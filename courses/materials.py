"""Materials: uploaded files and links.

Files go through the host's upload pipeline (``lms.uploads``): any type the host can
check, up to ``MATERIAL_MAX_MB``.
"""

from __future__ import annotations

from typing import BinaryIO

from flask import current_app

from courses.models import Material, MaterialKind, Module
from courses.services import check_web_url, required_title
from lms import audit
from lms.auth.models import User
from lms.extensions import db
from lms.uploads import UploadRules, check_upload, stored_uploads


def material_rules() -> UploadRules:
    """Any type the host can check, up to ``MATERIAL_MAX_MB``."""
    return UploadRules(current_app.config["MATERIAL_MAX_MB"])


def add_file(module: Module, *, title: str, filename: str, stream: BinaryIO,
             actor: User | None) -> Material:
    """Check and store an uploaded file and add it to ``module``'s materials."""
    title = required_title(title)
    rules = material_rules()
    upload = check_upload(filename, stream, rules)
    with stored_uploads() as store:
        stored = store.put(upload, rules)
        material = Material(module=module, kind=MaterialKind.FILE, title=title,
                            filename=upload.filename, sha256=stored.sha256, size=stored.size,
                            content_type=upload.content_type, created_by=actor)
        db.session.add(material)
        db.session.flush()
    return material


def add_link(module: Module, *, title: str, url: str, actor: User | None) -> Material:
    material = Material(module=module, kind=MaterialKind.LINK, title=required_title(title),
                        url=check_web_url(url, "url"), created_by=actor)
    db.session.add(material)
    db.session.flush()
    return material


def remove_material(material: Material, *, actor: User) -> None:
    """Take a material off its module. The stored bytes stay: other records may share them."""
    audit.record("material.removed", material, actor=actor,
                 before={"title": material.title, "kind": material.kind.value,
                         "url": material.url, "sha256": material.sha256,
                         "filename": material.filename})
    db.session.delete(material)
    db.session.flush()


