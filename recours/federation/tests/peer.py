"""An independent fediverse server on loopback, for the interoperability tests.

It shares no code with federation/: its own HTTP server and client (the standard
library's), its own RSA keys (pycryptodome, not cryptography), and httpsig, a separate
implementation of draft-cavage HTTP signatures, to sign what it sends and to verify what
it receives, as a Mastodon server does. It checks each delivery's Digest itself."""

import base64
import hashlib
import json
import threading
import urllib.error
import urllib.request
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from Crypto.PublicKey import RSA
from httpsig import HeaderSigner, HeaderVerifier

SIGNED = ["(request-target)", "host", "date", "digest"]


class Peer:
    def __init__(self, username: str = "alice"):
        self.username = username
        self.key = RSA.generate(2048)
        self.received: list[dict] = []  # {"path", "activity", "verified", "error"}
        self.keys_fetched: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def actor_id(self) -> str:
        return f"{self.base}/users/{self.username}"

    def actor_document(self) -> dict:
        return {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": self.actor_id,
            "type": "Person",
            "preferredUsername": self.username,
            "inbox": self.actor_id + "/inbox",
            "endpoints": {"sharedInbox": self.base + "/inbox"},
            "publicKey": {
                "id": self.actor_id + "#main-key",
                "owner": self.actor_id,
                "publicKeyPem": self.key.publickey().export_key().decode(),
            },
        }

    # Sending, as a remote server would.

    def post(self, url: str, activity: dict, *, date: str | None = None, sign=True) -> int:
        body = json.dumps(activity).encode()
        parts = urlsplit(url)
        headers = {
            "Host": parts.netloc,
            "Date": date or formatdate(usegmt=True),
            "Digest": "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode(),
            "Content-Type": "application/activity+json",
        }
        if sign:
            signer = HeaderSigner(
                self.actor_id + "#main-key",
                self.key.export_key().decode(),
                algorithm="rsa-sha256",
                headers=SIGNED,
                sign_header="signature",
            )
            headers = dict(signer.sign(headers, method="POST", path=parts.path))
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def follow(self, target: str, *, inbox: str | None = None, **kwargs) -> tuple[int, dict]:
        activity = {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": f"{self.actor_id}/follows/{len(self.received)}-{target[-12:]}",
            "type": "Follow",
            "actor": self.actor_id,
            "object": target,
        }
        return self.post(inbox or target + "/inbox", activity, **kwargs), activity

    # Receiving, and checking as Mastodon does.

    def _verify(self, method: str, path: str, headers: dict, body: bytes) -> str:
        """'' when the request holds, else why not."""
        digest = "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()
        if headers.get("digest") != digest:
            return "bad digest"
        try:
            fields = dict(part.split("=", 1) for part in headers["signature"].split(","))
            key_id = fields["keyId"].strip('"')
            self.keys_fetched.append(key_id)
            request = urllib.request.Request(
                key_id.split("#")[0], headers={"Accept": "application/activity+json"}
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                document = json.load(response)
            verifier = HeaderVerifier(
                headers=headers,
                secret=document["publicKey"]["publicKeyPem"],
                required_headers=SIGNED,
                method=method,
                path=path,
                sign_header="signature",
            )
            return "" if verifier.verify() else "signature does not verify"
        except Exception as error:  # noqa: BLE001 - reported to the test
            return f"{error.__class__.__name__}: {error}"

    def _handler(self):
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _send(self, status, document=None):
                body = json.dumps(document).encode() if document is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/activity+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path == f"/users/{peer.username}":
                    self._send(200, peer.actor_document())
                else:
                    self._send(404, {})

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {name.lower(): value for name, value in self.headers.items()}
                error = peer._verify("POST", self.path, headers, body)
                peer.received.append(
                    {
                        "path": self.path,
                        "activity": json.loads(body or b"{}"),
                        "verified": not error,
                        "error": error,
                        "content_type": headers.get("content-type", ""),
                    }
                )
                self._send(202 if not error else 401)

        return Handler
