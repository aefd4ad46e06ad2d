"""A PostgreSQL server of the test's own: initdb in a temporary folder, its own port on
loopback, so that a fault test can SIGKILL it without touching the shared server."""

import glob
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from recours.core.tests.appserver import free_port


def server_binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    return Path(found[-1]).parent if found else None


class PrivateCluster:
    def __init__(self, **options: str):
        self.bin = server_binaries()
        self.options = options  # server settings, e.g. autovacuum="off"
        # Not under pytest's folder: the server runs as `postgres` when we are root, and
        # must be able to reach its files.
        self.folder = Path(tempfile.mkdtemp(prefix="recours-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.process = None

    @staticmethod
    def _as_owner() -> dict:
        # PostgreSQL refuses to run as root. No runuser in between: the server must be
        # the leader of its own process group, so that kill() reaches every backend.
        return {"user": "postgres", "group": "postgres"} if os.geteuid() == 0 else {}

    def init(self):
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        subprocess.run(
            [str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
             "--auth=trust", "-E", "UTF8", "--no-instructions"],
            check=True,
            capture_output=True,
            cwd=self.folder,
            **self._as_owner(),
        )  # fmt: skip
        return self

    def start(self):
        self.process = subprocess.Popen(
            [str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port),
             "-k", str(self.folder), "-c", "listen_addresses=127.0.0.1",
             *[arg for name, value in self.options.items() for arg in ("-c", f"{name}={value}")]],
            stdout=subprocess.DEVNULL,
            stderr=open(self.folder / "server.log", "ab"),  # noqa: SIM115
            start_new_session=True,
            cwd=self.folder,
            **self._as_owner(),
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready = subprocess.run(
                ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"],
                check=False,
            )
            if ready.returncode == 0:
                return self
            time.sleep(0.2)
        raise RuntimeError("the private PostgreSQL did not start: " + self.log())

    def log(self) -> str:
        return (self.folder / "server.log").read_text(errors="replace")[-2000:]

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str):
        subprocess.run(["psql", self.url(), "-qc", f"CREATE DATABASE {name}"], check=True)

    def kill(self):
        """SIGKILL the postmaster and every backend at once, as a crash of the machine
        would; the next start runs crash recovery from the WAL."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def destroy(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)
