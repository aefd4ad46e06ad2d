"""What every import command does with its import: a clear error and a non-zero exit
when nothing could be imported (the import changed nothing), else the summary and each
row it set aside, with the reason."""

from django.core.management.base import BaseCommand, CommandError

from recours.observatory.geodata import ImportFailed

# A national file can set aside thousands of rows; the import's record keeps the first
# thousand (ImportRun.report), the terminal shows as many.
SHOWN = 1000


def run_import(command: BaseCommand, do_import, *, unchanged: str = "nothing was changed"):
    """Runs `do_import()` and reports what it did; returns its report."""
    try:
        report = do_import()
    except ImportFailed as exc:
        raise CommandError(f"{exc}\n({unchanged})") from exc
    command.stdout.write(report.summary())
    for problem in report.problems[:SHOWN]:
        command.stdout.write(f"  set aside: {problem}")
    if len(report.problems) > SHOWN:
        command.stdout.write(f"  … and {len(report.problems) - SHOWN} more")
    return report
