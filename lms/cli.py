"""``flask lms ...``: demo data and account administration for real deployments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from werkzeug.security import generate_password_hash

from lms import demo, jobs, scale
from lms.auth import services
from lms.auth.models import Role
from lms.auth.tokens import LinkPurpose
from lms.dates import berlin_today
from lms.datetext import local_date
from lms.erasure import erase_person
from lms.errors import DomainError
from lms.extensions import db
from lms.mail import deliver_pending
from lms.plugins import PluginRegistry
from lms.retention import due_for_retention
from lms.scale import ScaleSizes


def make_cli(registry: PluginRegistry) -> AppGroup:
    group = AppGroup("lms", help="Manage the certificate course LMS.")

    @group.command("seed-demo")
    def seed_demo() -> None:
        """Add the demo programme (idempotent: running it again adds nothing twice)."""
        password_hash = generate_password_hash(
            demo.DEMO_PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"]
        )
        added = demo.seed_people(password_hash)
        # the demo's notifications and mails link to pages: URLs as for the configured site
        with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
            for plugin in registry:
                if plugin.seed_demo:
                    plugin.seed_demo()
        db.session.commit()
        click.echo(f"Demo ready ({added} new people). Sign in with password "
                   f"'{demo.DEMO_PASSWORD}' as:")
        for email, role in demo.DEMO_LOGINS:
            click.echo(f"  {email:<28} {role.value}")

    @group.command("seed-scale")
    @click.option("--cohorts", default=ScaleSizes.cohorts, show_default=True,
                  type=click.IntRange(1, 10_000))
    @click.option("--participants", default=ScaleSizes.participants, show_default=True,
                  type=click.IntRange(1, 1_000_000))
    @click.option("--versions", default=ScaleSizes.versions, show_default=True,
                  type=click.IntRange(0, 10_000_000), help="versions of handed-in work")
    @click.option("--outbox", default=ScaleSizes.outbox, show_default=True,
                  type=click.IntRange(0, 10_000_000), help="mails in the outbox")
    @click.pass_context
    def seed_scale(context: click.Context, cohorts: int, participants: int, versions: int,
                   outbox: int) -> None:
        """Add a large programme for measuring, on top of the demo (which it seeds first)."""
        context.invoke(seed_demo)
        sizes = ScaleSizes(cohorts, participants, versions, outbox)
        password_hash = generate_password_hash(
            demo.DEMO_PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"])
        people = scale.add_people(sizes.participants, password_hash)
        with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
            for plugin in registry:
                if plugin.seed_scale:
                    plugin.seed_scale(sizes)
                    click.echo(f"{plugin.name}: done")
        scale.add_outbox(sizes.outbox, people)
        db.session.commit()
        click.echo(f"Added {len(people)} people (password '{demo.DEMO_PASSWORD}', "
                   f"e.g. {scale.PREFIX}00000@example.org) with {sizes.cohorts} cohorts, "
                   f"{sizes.versions} versions and {sizes.outbox} mails.")

    @group.command("create-user")
    @click.option("--email", required=True)
    @click.option("--name", "display_name", required=True)
    @click.option("--role", "roles", multiple=True, required=True,
                  type=click.Choice([role.value for role in Role]))
    @click.option("--password", default=None,
                  help="Set this password instead of mailing an invitation link.")
    def create_user(email: str, display_name: str, roles: tuple[str, ...],
                    password: str | None) -> None:
        """Create an account and invite the person (or set a password directly)."""
        try:
            user = services.create_account(email, display_name, {Role(r) for r in roles},
                                           actor=None)
            if password:
                services.set_password(user, password)
            else:
                with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
                    services.send_link(user, LinkPurpose.INVITATION)
        except DomainError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from exc
        db.session.commit()
        how = "with the given password" if password else "and invited (see the outbox)"
        click.echo(f"Created {user.email} {how}.")

    @group.command("deliver-outbox")
    def deliver_outbox() -> None:
        """Deliver the outbox messages that are due (for cron, or after an outage)."""
        if not current_app.config.get("MAIL_SERVER"):
            raise click.ClickException("LMS_MAIL_SERVER is not set: messages stay in the outbox.")
        click.echo(f"{deliver_pending()} message(s) sent.")

    @group.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
    def worker(burst: bool) -> None:
        """Run the jobs queued on LMS_QUEUE_URL (mail delivery and its retries)."""
        runner = jobs.runner_for(current_app)
        if not isinstance(runner, jobs.RQRunner):
            raise click.ClickException(
                "LMS_QUEUE_URL is not set: the web processes run the jobs themselves.")
        jobs.run_sweeps()  # what was committed while no worker or no Redis was running
        runner.work(burst=burst)

    @group.command("retention")
    @click.option("--apply", "apply_", is_flag=True,
                  help="Pseudonymise what is listed (otherwise only list it).")
    @click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
                  help="The day to judge by (default today in Berlin).")
    def retention(apply_: bool, as_of: datetime | None) -> None:
        """List the personal data past its retention period; with --apply pseudonymise it,
        one transaction per person or record."""
        day = as_of.date() if as_of else berlin_today()
        with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
            due = due_for_retention(day)
            items: list[tuple[str, Callable[[], None]]] = [
                (f"person  #{p.user.id:<6} {p.user.display_name:<40} {local_date(p.ended_on)} "
                 f"{local_date(p.kept_until)}", partial(erase_person, p.user, actor=None))
                for p in due.people]
            items += [(f"record          {r.title:<40} {local_date(r.ended_on)} "
                       f"{local_date(r.kept_until)}",
                       partial(r.pseudonymise, None)) for r in due.records]
            click.echo(f"Past retention on {local_date(day)}: {len(due.people)} person(s), "
                       f"{len(due.records)} record(s).")
            if items:
                click.echo(f"kind    {'':7} {'who / what':<40} {'ended':<10} kept until")
            for line, _ in items:
                click.echo(line)
            if not apply_:
                return
            failed = 0
            for line, pseudonymise in items:
                try:
                    pseudonymise()
                    db.session.commit()
                except DomainError as exc:
                    db.session.rollback()
                    failed += 1
                    click.echo(f"not done: {line.split()[1]}: {exc}", err=True)
            click.echo(f"Pseudonymised {len(items) - failed} of {len(items)}.")

    for plugin in registry:
        if plugin.cli is not None:
            group.add_command(plugin.cli, plugin.name)
    return group


def init_app(app: Flask, registry: PluginRegistry) -> None:
    app.cli.add_command(make_cli(registry))
