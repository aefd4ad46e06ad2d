"""Two app servers behind nginx (Debian's package, started here on loopback), sharing
PostgreSQL and Redis: what one server does, the other sees. Bounded: a few dozen requests."""

import json
import os
import re
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pyotp
import pytest

from recours.core.tests.appserver import AppServer, Client, free_port, sign_fields

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("processes")]
PAGE = "/technopolice/"
SIGN = "/technopolice/signer/"
# nginx connects to the app servers from this address, and only it is a trusted proxy:
# the test client, on 127.0.0.1, cannot pass for a proxy.
PROXY_ADDRESS = "127.0.0.2"
VISITOR_ADDRESS = "127.0.0.3"  # a visitor of its own, apart from the other requests

NGINX_CONF = """
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
worker_processes 1;
{user}
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {folder}/body;
  proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fastcgi;
  uwsgi_temp_path {folder}/uwsgi;
  scgi_temp_path {folder}/scgi;
  upstream recours {{ server 127.0.0.1:{port_a}; server 127.0.0.1:{port_b}; }}
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size 1m;
    location / {{
      proxy_pass http://recours;
      proxy_bind {proxy_address};
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      add_header X-Upstream $upstream_addr always;
    }}
  }}
}}
"""


@pytest.fixture
def cluster(tmp_path):
    admin = os.environ.get("DATABASE_URL")
    if not admin:
        pytest.skip("the scale-out test runs on PostgreSQL (set DATABASE_URL)")
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        pytest.fail("nginx is missing: scripts/install-system-packages installs it")
    name = f"recours_scale_{uuid.uuid4().hex[:8]}"
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    database_url = admin.rsplit("/", 1)[0] + "/" + name
    port = free_port()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    servers = [
        AppServer(tmp_path / letter, database_url=database_url, workers=2) for letter in "ab"
    ]
    for server in servers:
        server.var_dir.mkdir()
        server.env.update(
            REDIS_URL=redis_url,
            CACHE_PREFIX=name,  # this test's own keys in the shared Redis
            TRUSTED_PROXIES=f"{PROXY_ADDRESS}/32",
            SITE_URL=f"http://127.0.0.1:{port}",
            ALLOWED_HOSTS="127.0.0.1",
            SIGN_LIMIT_IP_BURST="5",
        )
    servers[0].prepare()
    servers[1].manage("collectstatic", "--no-input")
    for server in servers:
        server.start()
    folder = tmp_path / "nginx"
    folder.mkdir()
    (folder / "nginx.conf").write_text(
        NGINX_CONF.format(
            folder=folder,
            port=port,
            port_a=servers[0].port,
            port_b=servers[1].port,
            proxy_address=PROXY_ADDRESS,
            user="user root root;" if os.geteuid() == 0 else "",
        )
    )
    nginx = subprocess.Popen(
        ["/usr/sbin/nginx", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
    )  # fmt: skip
    _wait_for(port, nginx)
    yield port, servers
    nginx.terminate()
    nginx.wait(timeout=10)
    for server in servers:
        server.stop()
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE {name}"], check=True)


def _wait_for(port: int, nginx: subprocess.Popen):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if nginx.poll() is not None:
            raise RuntimeError("nginx stopped: " + nginx.stderr.read().decode())
        try:
            if Client(port).get("/technopolice/count.json")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("nginx did not answer")


def count(port: int) -> int:
    status, _, body = Client(port).get("/technopolice/count.json")
    assert status == 200
    return json.loads(body)["confirmed"]


def confirm_path(server: AppServer) -> str:
    out = server.manage(
        "shell",
        "-c",
        "from recours.core.models import OutboxEmail; import re; print(re.search("
        "r'/technopolice/confirmer/[^/]+/', OutboxEmail.objects.order_by('-pk')"
        ".first().content.body_text).group(0))",
    )
    return out.strip().splitlines()[-1]


def test_two_app_servers_behind_nginx_agree(cluster):
    port, (server_a, server_b) = cluster
    # Requests through nginx reach both servers.
    seen = {Client(port).request("GET", "/technopolice/count.json")[0] for _ in range(4)}
    assert seen == {200}

    # A signature through one server is confirmed through the other (tokens and the
    # outbox are in the shared database), and both show the new count at once (the
    # cached count is dropped in the shared Redis).
    before = count(server_a.port)
    assert count(server_b.port) == before
    signer = Client(server_a.port)
    hidden = signer.form(PAGE)
    time.sleep(2.1)
    assert signer.post(SIGN, sign_fields(hidden, "scale@example.org"))[0] == 302
    assert server_b.record_signatures() == 1  # any server's worker records it
    path = confirm_path(server_a)
    confirmer = Client(server_b.port)
    button = confirmer.form(path)
    status, _, page = confirmer.post(path, button)
    assert status == 200, page[:500]
    assert count(server_a.port) == count(server_b.port) == before + 1

    # The rate limit (5 a minute per address) counts attempts made on any server: of
    # six attempts through nginx, alternating between the servers, the sixth is refused.
    # nginx names the client; a forged X-Forwarded-For from the client is not believed.
    visitor = Client(port, source=VISITOR_ADDRESS)
    forms = [visitor.form(PAGE) for _ in range(6)]
    forged = Client(port, source=VISITOR_ADDRESS)
    hidden = forged.form(PAGE)  # fetched now: all seven attempts must fall in one minute
    time.sleep(2.1)
    wait_for_a_fresh_window(seconds_needed=20)  # the limit counts in fixed minutes
    statuses = []
    for n, form in enumerate(forms):
        statuses.append(visitor.post(SIGN, sign_fields(form, f"burst{n}@example.org"))[0])
    assert statuses == [302] * 5 + [429]
    forged_post = forged.post(
        SIGN, sign_fields(hidden, "forged@example.org"), {"X-Forwarded-For": "203.0.113.9"}
    )
    assert forged_post[0] == 429  # same client address, whatever the header claims


def wait_for_a_fresh_window(seconds_needed: int, window: int = 60):
    left = window - time.time() % window
    if left < seconds_needed:
        time.sleep(left + 0.5)


def test_a_sign_in_begun_on_one_server_ends_on_the_other_and_holds_there(cluster):
    """Password on one server, second factor on the other, the admin on the first."""
    port, (server_a, server_b) = cluster
    server_a.env["DJANGO_SUPERUSER_PASSWORD"] = "a long enough password 42"
    server_a.manage(
        "createsuperuser", "--no-input", "--username", "moderator", "--email", "m@example.org"
    )
    browser = Client(server_a.port)
    hidden = browser.form("/console/connexion/")
    status, location, _ = browser.post(
        "/console/connexion/?next=/admin/",
        {**hidden, "username": "moderator", "password": "a long enough password 42"},
    )
    assert (status, location) == (302, "/console/connexion/inscription-du-second-facteur/")
    other = Client(server_b.port)
    other.cookies = dict(browser.cookies)
    hidden = other.form(location)
    _, _, page = other.get(location)
    secret = "".join(re.search(r'class="totp-secret"[^>]*>([^<]+)<', page).group(1).split())
    status, _, page = other.post(location, {**hidden, "code": pyotp.TOTP(secret).now()})
    assert status == 200 and "Vos codes de secours" in page
    browser.cookies = dict(other.cookies)
    status, _, page = browser.get("/admin/")
    assert status == 200
    assert "moderator" in page
