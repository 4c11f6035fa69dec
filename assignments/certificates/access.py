"""Who may do what with the certificate rule, eligibility and certificates: the plugin's
policies, registered with the host's permission registry (``lms.auth.access``)."""

from __future__ import annotations

from flask import Flask


def register_policies(app: Flask) -> None:
    """The plugin's setup: one policy per object its pages load."""
