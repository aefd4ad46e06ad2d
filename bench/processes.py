"""The CPU each process on this machine has used so far, read from /proc: the benches
take the difference around a run, per program."""

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds_by_process():
    """(pid, name, command line, CPU seconds used: utime + stime) of each process; one
    that ends while it is read is skipped."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            command = Path(stat.parent, "cmdline").read_bytes()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        yield int(stat.parent.name), name, command, (int(fields[11]) + int(fields[12])) / TICKS
