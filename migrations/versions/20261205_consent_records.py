"""Consent records: the versioned consent texts and each consent given, with records
backfilled for the consents given before (applications' consent_at, enrollments that
share their contact data) against version 1 of each text.

Version 1 is written here word for word as the cohort plugin declares it
(``cohorts.consents.PURPOSES``); a test holds the two to the same words.

Revision ID: b651103ddc0e
Revises: e4705f70920f
Create Date: 2026-12-05 21:23:43.336677

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b651103ddc0e'
down_revision = 'e4705f70920f'
branch_labels = None
depends_on = None

#: purpose -> (German, English) text of version 1
FIRST_TEXTS = {
    "application": (
        "Wir willigen ein, dass die Landesweite Koordinierungsstelle Kommunale "
        "Integrationszentren NRW (LaKI) die Angaben dieser Bewerbung verarbeitet: Namen, "
        "E-Mail-Adressen, Telefonnummern und Funktionen der Ansprechperson und der "
        "benannten Personen sowie die Antworten der Bewerbung. Sie dienen dazu, das "
        "Bewerbungsverfahren durchzuführen und, wenn die Kommune aufgenommen wird, den "
        "Lehrgang auszurichten.\n\n"
        "Die Einwilligung ist freiwillig. Sie kann jederzeit mit Wirkung für die Zukunft "
        "widerrufen werden; was bis dahin geschah, bleibt rechtmäßig. Nach einem Widerruf "
        "werden die Organisatorinnen und Organisatoren sofort benachrichtigt: Eine noch "
        "nicht entschiedene Bewerbung wird nicht weiter berücksichtigt. Was die Unterlagen "
        "des Programms aufbewahren müssen, bleibt erhalten.\n",
        "We agree that the state coordination office of the municipal integration "
        "centres of North Rhine-Westphalia (LaKI) processes the details of this "
        "application: names, email addresses, phone numbers and functions of the contact "
        "person and of the nominated persons, and the answers of the application. They "
        "serve to carry out the application procedure and, if the municipality is "
        "accepted, to hold the course.\n\n"
        "This consent is voluntary. It can be withdrawn at any time with effect for the "
        "future; what happened until then remains lawful. After a withdrawal the "
        "organisers are told at once: an application not yet decided is no longer "
        "considered. What the programme's records must keep is kept.\n"),
    "share_contact": (
        "Ich willige ein, dass die anderen Teilnehmenden meiner Studiengruppe, auch die "
        "anderer Kommunen, meine E-Mail-Adresse und Telefonnummer auf der Seite der "
        "Studiengruppe sehen, damit wir uns untereinander austauschen können.\n\n"
        "Die Einwilligung ist freiwillig und kann jederzeit widerrufen werden, auf der "
        "Seite der Studiengruppe oder unter „Mein Konto“. Nach dem Widerruf sehen die "
        "anderen sofort nur noch meinen Namen und meine Funktion.\n",
        "I agree that the other participants of my cohort, those of other "
        "municipalities included, see my email address and phone number on the cohort's "
        "page, so that we can be in touch with each other.\n\n"
        "This consent is voluntary and can be withdrawn at any time, on the cohort's page "
        "or under \"My account\". After the withdrawal the others see only my name and "
        "my function, at once.\n"),
}

texts = sa.table("consent_texts", sa.column("id", sa.Integer), sa.column("purpose", sa.String),
                 sa.column("version", sa.Integer), sa.column("text_de", sa.Text),
                 sa.column("text_en", sa.Text), sa.column("valid_from", sa.DateTime(timezone=True)))
records = sa.table("consent_records", sa.column("text_id", sa.Integer),
                   sa.column("user_id", sa.Integer), sa.column("email", sa.String),
                   sa.column("subject_id", sa.Integer), sa.column("language", sa.String),
                   sa.column("given_at", sa.DateTime(timezone=True)))
applications = sa.table("cohort_applications", sa.column("id", sa.Integer),
                        sa.column("contact_email", sa.String), sa.column("language", sa.String),
                        sa.column("consent_at", sa.DateTime(timezone=True)))
enrollments = sa.table("cohort_enrollments", sa.column("id", sa.Integer),
                       sa.column("user_id", sa.Integer), sa.column("share_contact", sa.Boolean),
                       sa.column("started_at", sa.DateTime(timezone=True)))
users = sa.table("users", sa.column("id", sa.Integer), sa.column("language", sa.String))
audit = sa.table("audit_entries", sa.column("action", sa.String),
                 sa.column("object_type", sa.String), sa.column("object_id", sa.Integer),
                 sa.column("at", sa.DateTime(timezone=True)), sa.column("after", sa.JSON))


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _sharing_since(connection) -> dict[int, datetime]:
    """When each enrollment last chose to share its contact data, by the audit log."""
    since = {}
    for object_id, at, after in connection.execute(
            sa.select(audit.c.object_id, audit.c.at, audit.c.after)
            .where(audit.c.action == "enrollment.contact_sharing",
                   audit.c.object_type == "cohort_enrollments")
            .order_by(audit.c.at)):
        if (after or {}).get("share_contact"):
            since[object_id] = _aware(at)
    return since


def _backfill(connection, purpose: str, rows: list[dict]) -> None:
    """``rows`` (without ``text_id``) as consents to version 1 of ``purpose``'s text."""
    if not rows:
        return
    text_de, text_en = FIRST_TEXTS[purpose]
    text_id = connection.execute(texts.insert().values(
        purpose=purpose, version=1, text_de=text_de, text_en=text_en,
        valid_from=min(row["given_at"] for row in rows)).returning(texts.c.id)).scalar_one()
    connection.execute(records.insert(), [{**row, "text_id": text_id} for row in rows])


def backfill_consents() -> None:
    connection = op.get_bind()
    _backfill(connection, "application", [
        {"user_id": None, "email": email, "subject_id": ident, "language": language or "de",
         "given_at": _aware(consent_at)}
        for ident, email, language, consent_at in connection.execute(
            sa.select(applications.c.id, applications.c.contact_email, applications.c.language,
                      applications.c.consent_at).order_by(applications.c.id))])
    since = _sharing_since(connection)
    _backfill(connection, "share_contact", [
        {"user_id": user_id, "email": None, "subject_id": ident, "language": language or "de",
         "given_at": since.get(ident, _aware(started_at))}
        for ident, user_id, started_at, language in connection.execute(
            sa.select(enrollments.c.id, enrollments.c.user_id, enrollments.c.started_at,
                      users.c.language)
            .join(users, users.c.id == enrollments.c.user_id)
            .where(enrollments.c.share_contact.is_(True)).order_by(enrollments.c.id))])


def upgrade():
    op.create_table('consent_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text_de', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_consent_texts_author_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_texts')),
    sa.UniqueConstraint('purpose', 'version', name=op.f('uq_consent_texts_purpose'))
    )
    with op.batch_alter_table('consent_texts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_texts_author_id'), ['author_id'], unique=False)

    op.create_table('consent_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('given_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('user_id IS NOT NULL OR email IS NOT NULL', name=op.f('ck_consent_records_names_a_person')),
    sa.ForeignKeyConstraint(['text_id'], ['consent_texts.id'], name=op.f('fk_consent_records_text_id_consent_texts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_consent_records_user_id_users'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_consent_records_withdrawn_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_records'))
    )
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_records_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_records_subject_id'), ['subject_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_records_text_id'), ['text_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_records_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_records_withdrawn_by_id'), ['withdrawn_by_id'], unique=False)

    backfill_consents()


def downgrade():
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_records_withdrawn_by_id'))
        batch_op.drop_index(batch_op.f('ix_consent_records_user_id'))
        batch_op.drop_index(batch_op.f('ix_consent_records_text_id'))
        batch_op.drop_index(batch_op.f('ix_consent_records_subject_id'))
        batch_op.drop_index(batch_op.f('ix_consent_records_email'))

    op.drop_table('consent_records')
    with op.batch_alter_table('consent_texts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_texts_author_id'))

    op.drop_table('consent_texts')
