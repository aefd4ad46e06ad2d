"""The production stack on loopback for tests: gunicorn with production settings (DEBUG
off, secrets set, whitenoise), on its own SQLite file or PostgreSQL database, loaded with
the demo campaign. And a small HTTP client that signs like a browser."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]
PEPPER = "p" * 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The key that encrypts the outbox at rest (core/at_rest.py), as a host would set it.
DATA_KEY = "AwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwM="


class AppServer:
    def __init__(self, var_dir: Path, *, database_url: str = "", workers: int = 4, server_args=()):
        self.var_dir = var_dir
        self.port = free_port()
        self.workers = workers
        self.server_args = list(server_args)  # more gunicorn options, e.g. a worker class
        self.process = None
        self.env = {
            "PATH": os.environ["PATH"],
            "DEBUG": "0",
            "SECRET_KEY": "s" * 60,
            "PEPPER": PEPPER,
            "DATA_KEY": DATA_KEY,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            "SECURE_SSL_REDIRECT": "0",
            "VAR_DIR": str(var_dir),
            "EMAIL_URL": "console://",  # no worker runs unless a test says: all stays queued
            "DATABASE_URL": database_url,
            # The tests below are about durability and races, not about rate limits.
            "SIGN_LIMIT_IP_BURST": "100000",
            "SIGN_LIMIT_IP_HOUR": "100000",
            "SIGN_LIMIT_DOMAIN": "100000",
            "SIGN_LIMIT_MAILS_PER_RECIPIENT": "100000",
            "SIGN_LIMIT_NOJS_IP_BURST": "100000",
            "SIGN_LIMIT_NOJS_IP_HOUR": "100000",
        }

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout

    def record_signatures(self) -> int:
        """The worker's turn at the signatures received (not at the mail, which stays
        queued): how many it recorded."""
        script = "from recours.mandates.intake import record_batch; print(record_batch(100000))"
        return int(self.manage("shell", "-c", script).strip().splitlines()[-1])

    def prepare(self):
        self.manage("migrate", "--no-input")
        self.manage("seed_demo")
        self.manage("collectstatic", "--no-input")
        return self

    def start(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "recours.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--graceful-timeout",
                "1",
                *self.server_args,
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=open(os.environ["APPSERVER_LOG"], "ab")
            if os.environ.get("APPSERVER_LOG")
            else subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if Client(self.port).get("/technopolice/count.json")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def kill(self):
        """SIGKILL the master and every worker at once, as a crash would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)


class Client:
    """One browser-like visitor: keeps its CSRF cookie (sent over plain http on loopback)."""

    def __init__(self, port: int, timeout: float = 10, source: str = ""):
        self.port = port
        self.timeout = timeout
        self.source = source  # a loopback address to connect from, e.g. 127.0.0.3
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(
            "127.0.0.1",
            self.port,
            timeout=self.timeout,
            source_address=(self.source, 0) if self.source else None,
        )
        headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location", ""), response.read().decode()
        finally:
            connection.close()

    def get(self, path):
        return self.request("GET", path)

    def form(self, path) -> dict:
        """The hidden fields of the sign form on `path`."""
        status, _, page = self.get(path)
        if status != 200:
            raise OSError(f"GET {path}: {status}")
        return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))

    def post(self, path, fields: dict, headers=None):
        return self.request("POST", path, urllib.parse.urlencode(fields), headers)


def sign_fields(hidden: dict, email: str) -> dict:
    return {
        **{k: v for k, v in hidden.items() if k != "next"},
        "given_names": "Camille",
        "surname": "Martin",
        "email": email,
        "postal_address": "1 rue de la Paix\n75002 Paris",
        "consent": "on",
        "privacy": "on",
        "website": "",
    }
