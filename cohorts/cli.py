"""``flask lms cohorts ...``: the official list of municipalities."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from cohorts.municipalities import load_reference_list
from lms.extensions import db

cli = AppGroup("cohorts", help="Municipalities and cohorts.")


@cli.command("load-municipalities")
def load_municipalities() -> None:
    """Add the 53 districts and district-free cities of NRW (idempotent)."""
    added = load_reference_list()
    db.session.commit()
    click.echo(f"{added} municipalities added.")
