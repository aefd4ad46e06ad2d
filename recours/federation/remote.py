"""Remote actors' keys, fetched from their servers and kept (RemoteKey)."""

import json
from datetime import timedelta

from django.utils import timezone

from recours.federation.documents import ACCEPTED
from recours.federation.http import FetchError, request
from recours.federation.models import RemoteKey

# A key that fails to verify is fetched again (it may have been rotated), but not more
# often than this: a stream of bad signatures cannot make us fetch on every request.
REFETCH_AFTER = timedelta(minutes=10)


def _get_json(url: str) -> dict:
    status, body = request("GET", url, headers={"Accept": ", ".join(ACCEPTED)})
    if status != 200:
        raise FetchError(f"{url[:100]} answered {status}")
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise FetchError(f"{url[:100]} is not JSON") from None
    if not isinstance(document, dict):
        raise FetchError(f"{url[:100]} is not a JSON object")
    return document


def fetch_key(key_id: str, *, refresh: bool = False) -> RemoteKey:
    """The key `key_id` names, from the store or from its server. A key document that is
    not the actor itself names its owner, whose inbox is then read too."""
    stored = RemoteKey.objects.filter(key_id=key_id).first()
    if stored is not None and not (refresh and timezone.now() - stored.fetched_at > REFETCH_AFTER):
        return stored
    document = _get_json(key_id.split("#", 1)[0])
    key = document.get("publicKey")
    if isinstance(key, list):
        key = next((k for k in key if isinstance(k, dict) and k.get("id") == key_id), None)
    if isinstance(key, dict):
        owner = document if document.get("inbox") else _get_json(key.get("owner", ""))
    elif document.get("publicKeyPem"):
        key, owner = document, _get_json(document.get("owner", ""))
    else:
        raise FetchError("no public key in the document")
    if not isinstance(key.get("publicKeyPem"), str) or key.get("id") != key_id:
        raise FetchError("the document does not hold this key")
    endpoints = owner.get("endpoints") if isinstance(owner.get("endpoints"), dict) else {}
    fields = {
        "owner": str(key.get("owner") or owner.get("id") or ""),
        "public_key_pem": key["publicKeyPem"],
        "inbox": str(owner.get("inbox") or "")[:500],
        "shared_inbox": str(endpoints.get("sharedInbox") or "")[:500],
        "fetched_at": timezone.now(),
    }
    if fields["owner"] != owner.get("id"):
        raise FetchError("the key's owner is not the actor that holds it")
    stored, _ = RemoteKey.objects.update_or_create(key_id=key_id, defaults=fields)
    return stored
