"""A real full disk for tests: a small tmpfs mounted for the test (root only, as on CI;
elsewhere the test is skipped, since a full disk cannot be faked honestly)."""

import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def small_disk(folder: Path, size: str):
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0777", "tmpfs", str(folder)],
        capture_output=True,
    )
    if mounted.returncode:
        pytest.skip(f"cannot mount a small disk here ({mounted.stderr.decode().strip()})")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, leave: int = 0) -> Path:
    """Fills the disk with a file, leaving about `leave` bytes free; returns the file."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as handle:  # unbuffered: closing flushes nothing
        try:
            while True:
                handle.write(bytes(4096))
        except OSError:
            pass
    if leave:
        with filler.open("r+b") as handle:
            handle.truncate(max(0, filler.stat().st_size - leave))
    return filler
