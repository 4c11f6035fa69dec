"""What a person may be asked to consent to, as plugins declare it.

A plugin names each purpose it asks consent for (``Plugin.consent_purposes``): a key, a
title, the first version of its text and what withdrawing changes. The host keeps the
texts' versions and the records (``lms.consent.services``); the plugin keeps what the
consent is about (an application, a person's enrollment), named by ``subject_id``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lms.plugins import current_plugins

if TYPE_CHECKING:
    from lms.auth.models import User
    from lms.consent.models import ConsentRecord


@dataclass(frozen=True)
class ConsentPurpose:
    #: stored with every text version: "application", "share_contact"
    key: str
    #: what the consent is for, as the account page lists it (a lazy string)
    title: Any
    #: version 1 of the text in German and English (Markdown); once stored it never
    #: changes here, since records name it (the migration that backfilled old consents
    #: holds the same words)
    first_text_de: str
    first_text_en: str
    #: what withdrawing does, one sentence for the confirmation page (a lazy string)
    withdrawal_effect: Any
    #: called with the withdrawn record and who withdrew it, in the same transaction,
    #: to stop the processing the consent allowed
    on_withdraw: Callable[[ConsentRecord, User | None], None] | None = None


def registered_purposes() -> dict[str, ConsentPurpose]:
    """Every loaded plugin's purposes, by key."""
    return {purpose.key: purpose for plugin in current_plugins()
            for purpose in plugin.consent_purposes}


def purpose_named(key: str) -> ConsentPurpose | None:
    return registered_purposes().get(key)
