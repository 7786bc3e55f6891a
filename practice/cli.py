"""Command-line tools: `flask --app practice create-admin`, `seed-demo`, `demo-logins`."""

from __future__ import annotations

import click
from flask import Flask, current_app

from .extensions import db


def refresh_statistics() -> None:
    """After a bulk load: the query planner's statistics (PRAGMA optimize / ANALYZE)."""
    from .database import refresh_statistics as refresh

    with db.engine.connect() as connection:
        refresh(connection)
        connection.commit()


def register(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(demo_logins)
    app.cli.add_command(seed_large_command)
    app.cli.add_command(refresh_engagement_command)


@click.command("create-admin")
@click.option("--email", prompt="Admin email")
@click.option("--name", default="Administrator", show_default=True, help="Display name")
@click.password_option("--password", prompt="Password (12 to 64 characters)")
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator account."""
    from email_validator import EmailNotValidError, validate_email

    from .auth.services import PASSWORD_MAX, PASSWORD_MIN, create_user, email_taken

    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="email") from None
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise click.BadParameter(
            f"use between {PASSWORD_MIN} and {PASSWORD_MAX} characters", param_hint="password"
        )
    if email_taken(email):
        raise click.ClickException(f"An account for {email} already exists.")
    user = create_user(email, name, "admin", password)
    db.session.commit()
    click.echo(f"Administrator {user.email} created.")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only when the database has no accounts yet.")
def seed_demo_command(if_empty: bool) -> None:
    """Load the demo practice (never in production)."""
    from .demo import database_empty, seed_demo

    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("seed-demo is refused in production: demo accounts have a "
                                   "published password.")
    if if_empty and not database_empty():
        click.echo("The database already has accounts: demo not loaded.")
        return
    if seed_demo():
        db.session.commit()
        refresh_statistics()
        click.echo("Demo practice loaded.")
    else:
        click.echo("The demo practice is already there: nothing changed.")


@click.command("demo-logins")
def demo_logins() -> None:
    """Print the demo sign-ins."""
    from .demo import DEMO_LOGINS, DEMO_PASSWORD, demo_present

    if not demo_present():
        return
    click.echo("")
    click.echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for email, role in DEMO_LOGINS:
        click.echo(f"  {email:<26} {role}")
    click.echo("Open http://127.0.0.1:5000/login")
    click.echo("")


@click.command("seed-large")
@click.option("--scale", type=click.FloatRange(0.01, 1.0), default=1.0, show_default=True,
              help="0.1 makes a tenth of the practice (same caseload per person).")
def seed_large_command(scale: float) -> None:
    """Load a large practice (5,000 couples at full scale) around the demo, for benchmarks."""
    import time

    from .demo import database_empty
    from .large_practice import seed_large

    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("seed-large is refused in production: its accounts use the "
                                   "published demo password.")
    if not database_empty():
        raise click.ClickException("seed-large needs an empty, migrated database.")
    started = time.monotonic()
    counts = seed_large(scale)
    db.session.commit()
    refresh_statistics()
    click.echo(", ".join(f"{n} {table}" for table, n in counts.items()))
    click.echo(f"Large practice loaded (scale {scale}) in {time.monotonic() - started:.0f} s.")


@click.command("refresh-engagement")
@click.option("--all", "everything", is_flag=True,
              help="Rebuild every couple's stored numbers from scratch.")
def refresh_engagement_command(everything: bool) -> None:
    """Store completion and quiet partners again for couples whose local day has ended
    (hourly from cron or the worker keeps pages from doing it), or for every couple."""
    from sqlalchemy import select, true

    from .checkins.engagement import refresh_summaries, stale_couples
    from .couples.models import Couple

    ids = (list(db.session.scalars(select(Couple.id))) if everything else stale_couples(true()))
    refresh_summaries(ids)
    db.session.commit()
    click.echo(f"Engagement numbers stored for {len(ids)} couple(s).")
