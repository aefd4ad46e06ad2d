"""Requests to other servers: bounded in time and size, never to an internal address.

A key URL or an inbox comes from whoever writes to us; fetching it blindly would let
anyone make this server probe the machines behind it (SSRF). The host is resolved once,
every address it resolves to must be public, and the connection goes to that address
(so a second, different resolution cannot slip in), with the name kept for TLS.
"""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit

from django.conf import settings

TIMEOUT = 10  # seconds, to connect and for each read
MAX_RESPONSE = 1024 * 1024
USER_AGENT = "Recours (ActivityPub; +https://github.com/recours)"


class FetchError(Exception):
    """The request could not be made or was refused; the message says why."""


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_global and not ip.is_multicast


def resolve(url: str) -> tuple[str, str, int, str, str]:
    """(scheme, host, port, address to connect to, path with query), or FetchError."""
    parts = urlsplit(url)
    allow_private = settings.FEDERATION_ALLOW_PRIVATE
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise FetchError(f"not an https URL: {url[:100]}")
    host = parts.hostname
    if not host:
        raise FetchError("no host in the URL")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"{host} does not resolve") from exc
    if not allow_private and not all(_public(address) for address in found):
        raise FetchError(f"{host} resolves to an internal address")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, host, port, sorted(found)[0], path


class _PinnedHTTPS(http.client.HTTPSConnection):
    """Connects to the address already checked, and speaks TLS to the host's name."""

    def __init__(self, address: str, port: int, server_name: str, **kwargs):
        super().__init__(address, port, context=ssl.create_default_context(), **kwargs)
        self.server_name = server_name

    def connect(self):
        sock = socket.create_connection((self.host, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.server_name)


def request(
    method: str, url: str, *, headers: dict[str, str], body: bytes | None = None
) -> tuple[int, bytes]:
    """(status, body) of one request, no redirect followed; FetchError otherwise."""
    scheme, host, port, address, path = resolve(url)
    if scheme == "https":
        connection = _PinnedHTTPS(address, port, host, timeout=TIMEOUT)
    else:
        connection = http.client.HTTPConnection(address, port, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=body, headers={"User-Agent": USER_AGENT, **headers})
        response = connection.getresponse()
        content = response.read(MAX_RESPONSE + 1)
    except (OSError, http.client.HTTPException) as exc:
        raise FetchError(f"{host}: {exc.__class__.__name__}") from exc
    finally:
        connection.close()
    if len(content) > MAX_RESPONSE:
        raise FetchError(f"{host}: answer over {MAX_RESPONSE} bytes")
    return response.status, content
