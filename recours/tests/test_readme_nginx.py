"""The README's nginx example, run as written (on loopback): its log keeps no token link
and no client address."""

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from recours.core.tests.appserver import free_port

pytestmark = pytest.mark.integration
README = Path(__file__).resolve().parents[2] / "README.md"
NGINX = Path("/usr/sbin/nginx")


def readme_example() -> str:
    text = README.read_text()
    start = text.index("upstream recours {")
    return text[start : text.index("```", start)]


@pytest.mark.skipif(not NGINX.exists(), reason="nginx: scripts/install-system-packages")
def test_the_readme_nginx_example_logs_no_token_and_no_address(tmp_path):
    port, upstream = free_port(), free_port()  # nothing listens upstream: nginx answers 502
    log = tmp_path / "recours.log"
    server = (
        readme_example()
        .replace("listen 443 ssl;", f"listen 127.0.0.1:{port};")
        .replace("server 10.0.0.11:8000; server 10.0.0.12:8000;", f"server 127.0.0.1:{upstream};")
        .replace("/var/log/nginx/recours.log", str(log))
    )
    user = "user root root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"{user} pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ client_body_temp_path {tmp_path}; proxy_temp_path {tmp_path};\n{server}\n}}\n"
    )
    nginx = subprocess.Popen(
        [str(NGINX), "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.1)
        for path in ["/technopolice/confirmer/SECRETTOKEN/", "/technopolice/mandat/OTHER/",
                     "/technopolice/nouvelles/stop/THIRD/", "/technopolice/"]:  # fmt: skip
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5)  # noqa: S310
            except urllib.error.HTTPError:
                pass  # 502: no app server behind; the log line is what counts
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)

    lines = [line.split(" ", 1)[1] for line in log.read_text().splitlines()]
    assert [line.rsplit(" ", 3)[0] for line in lines] == [
        "GET /<token link>", "GET /<token link>", "GET /<token link>", "GET /technopolice/",
    ]  # fmt: skip
    assert "127.0.0.1" not in log.read_text()
