"""`speechreader doctor`: check the annotation database and repair it from backups."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from speechreader.cli.common import corpus_option, db_option, db_path_for


@click.command("doctor")
@corpus_option
@db_option
@click.option("--repair", is_flag=True, help="Restore broken files from the last good backup.")
def doctor_cmd(corpus_dir: Path | None, db_path: Path | None, repair: bool) -> None:
    """Check every database file; with --repair, restore broken ones (nothing is deleted)."""
    from speechreader.core.errors import StoreError
    from speechreader.core.store import check_database, repair_database

    db = db_path_for(corpus_dir, db_path)
    if not db.exists():
        click.echo(f"no database at {db} (nothing to check)")
        return
    findings = check_database(db)
    if any(f.path == "" and not f.repairable for f in findings):  # not a database at all
        raise StoreError(findings[0].message)
    if not findings:
        click.echo(f"{db}: all files are sound")
        return
    for finding in findings:
        click.echo(str(finding))
    if not repair:
        click.echo("run `speechreader doctor --repair` to restore from backups", err=True)
        sys.exit(1)
    report = repair_database(db)
    for line in report.lines():
        click.echo(line)
    sys.exit(0 if report.ok else 1)
