"""Every command-line tool: `flask --app practice create-admin`, `seed-demo`, `demo-logins`,
`load-library`, `run-flag-rules`."""

from __future__ import annotations

import click
from flask import Flask, current_app

from .extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(demo_logins)
    app.cli.add_command(load_library)
    app.cli.add_command(run_flag_rules)
    from .worker import worker_command

    app.cli.add_command(worker_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(rotate_data_key_command)
    app.cli.add_command(new_data_key_command)


@click.command("create-admin")
@click.option("--email", prompt="Admin email")
@click.option("--name", default="Administrator", show_default=True, help="Display name")
@click.password_option("--password", prompt="Password (12 to 64 characters)")
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator account."""
    from email_validator import EmailNotValidError, validate_email

    from .admin.services import get_settings
    from .auth.passwords import PASSWORD_MAX, PASSWORD_MIN, password_problem
    from .auth.services import create_user, email_taken

    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="email") from None
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise click.BadParameter(
            f"use between {PASSWORD_MIN} and {PASSWORD_MAX} characters", param_hint="password"
        )
    problem = password_problem(password, email, get_settings().name)
    if problem:
        raise click.BadParameter(problem, param_hint="password")
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


@click.command("load-library")
def load_library() -> None:
    """Load or update the guide's built-in exercises (safe to run again)."""
    from .exercises.library import load_builtin_exercises

    created = load_builtin_exercises()
    db.session.commit()
    click.echo(f"Exercise library ready ({created} new built-in exercises).")


@click.command("run-flag-rules")
def run_flag_rules() -> None:
    """Run the time-based flag rules (one partner disengaged) for every caseload."""
    from .flags.rules import evaluate_disengagement

    raised = evaluate_disengagement()
    db.session.commit()
    click.echo(f"{len(raised)} new flag(s) raised.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def backup_command(path: str) -> None:
    """Write a backup of the database to PATH (keep the data key elsewhere)."""
    from .backup import BackupError, backup

    try:
        click.echo(backup(path))
    except BackupError as error:
        raise click.ClickException(str(error)) from None


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
def restore_command(path: str) -> None:
    """Load the backup at PATH into an empty database."""
    from .backup import BackupError, restore

    try:
        click.echo(restore(path))
    except BackupError as error:
        raise click.ClickException(str(error)) from None


@click.command("new-data-key")
def new_data_key_command() -> None:
    """Print a new random key for DATA_KEY."""
    from .crypto import new_key

    click.echo(new_key())


@click.command("rotate-data-key")
def rotate_data_key_command() -> None:
    """Re-encrypt every stored client text with the first key of DATA_KEY."""
    from .crypto import rotate_data_key

    count = rotate_data_key(db.session, db.metadata)
    db.session.commit()
    click.echo(f"{count} values re-encrypted with the first key of DATA_KEY. "
               "Older keys can now be removed from DATA_KEY.")
