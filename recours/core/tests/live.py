"""A live Recours process for tests that need the real thing: its own database file or
PostgreSQL database, the demo campaign, the development server and the mail worker."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveSite:
    def __init__(self, var_dir: Path, database_url: str = "", email_url: str = ""):
        self.var_dir = var_dir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DEBUG": "1",
            "VAR_DIR": str(var_dir),
            "EMAIL_URL": email_url or f"file://{var_dir / 'mail'}",
            "SITE_URL": self.base,
            "DATABASE_URL": database_url,
            "REDIS_URL": "",
        }
        self.process = None
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            check=True,
            capture_output=True,
        )

    def __enter__(self):
        self.manage("migrate", "--no-input")
        self.manage("seed_demo")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "serve_demo", f"127.0.0.1:{self.port}"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=subprocess.DEVNULL,
            # Kept, so that a test can search what the server logged.
            stderr=open(self.var_dir / "server.log", "ab"),  # noqa: SIM115
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the live server did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=10) as response:
            return response.read().decode()

    def post_form(self, path: str, page: str, fields: dict) -> str:
        """Submits the form of `page` that posts to `path`, with its hidden fields."""
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
        hidden.pop("next", None)
        data = urllib.parse.urlencode(hidden | fields).encode()
        request = urllib.request.Request(self.base + path, data=data, method="POST")
        with self.opener.open(request, timeout=10) as response:
            return response.read().decode()

    def wait_for_mail(self, count: int = 1, timeout: float = 20) -> list[str]:
        deadline = time.monotonic() + timeout
        mail_dir = self.var_dir / "mail"
        while time.monotonic() < deadline:
            files = sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []
            if len(files) >= count:
                # The file backend creates the file before it writes the mail into it.
                texts = [file.read_text() for file in files]
                time.sleep(0.2)
                if all(texts) and texts == [file.read_text() for file in files]:
                    return texts
            time.sleep(0.2)
        raise AssertionError("no mail arrived")
