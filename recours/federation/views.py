"""The ActivityPub and WebFinger endpoints. Documents are JSON-LD for servers; a browser
asking for an actor is sent to the page it stands for."""

import functools
import json
import logging

from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from recours.federation import documents, inbox
from recours.federation.actors import Gone, actor_named
from recours.federation.models import Activity, Actor

log = logging.getLogger(__name__)


def _json(document: dict, status: int = 200, content_type=documents.CONTENT_TYPE):
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False), status=status, content_type=content_type
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _actor_or_404(username: str) -> Actor:
    """The actor, or 404; a deleted one raises Gone, which `gone_or` answers with 410."""
    actor = actor_named(username)
    if actor is None:
        raise Http404
    return actor


def _wants_html(request) -> bool:
    accept = request.headers.get("Accept", "")
    return "text/html" in accept and not any(kind in accept for kind in documents.ACCEPTED)


def gone_or(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Gone:
            return _json({"error": "gone"}, status=410)

    return wrapped


@require_safe
@cache_control(public=True, max_age=300)
def webfinger(request):
    resource = request.GET.get("resource", "")
    if not resource.startswith("acct:") or "@" not in resource:
        return HttpResponseBadRequest("resource=acct:name@host is required")
    username, _, host = resource[5:].rpartition("@")
    if host.lower() != documents.host().lower():
        raise Http404
    try:
        actor = actor_named(username.lower())
    except Gone:
        return _json({"error": "gone"}, status=410, content_type="application/jrd+json")
    if actor is None:
        raise Http404
    return _json(documents.webfinger(actor), content_type="application/jrd+json")


@require_safe
@gone_or
def actor(request, username):
    found = _actor_or_404(username)
    if _wants_html(request):
        return HttpResponseRedirect(documents.profile_page(found))
    return _json(documents.actor_document_of(found))


@require_safe
@gone_or
def outbox(request, username):
    found = _actor_or_404(username)
    notes = Activity.objects.filter(actor=found, kind=Activity.Kind.CREATE)
    url = documents.actor_url(found) + "/outbox"
    items = list(notes.order_by("-published_at", "-pk").values_list("payload", flat=True)[:20])
    return _json(
        {"@context": documents.CONTEXT[0]} | documents.collection(url, notes.count(), items)
    )


@require_safe
@gone_or
def followers(request, username):
    """The number of followers, never who they are."""
    found = _actor_or_404(username)
    url = documents.actor_url(found) + "/followers"
    return _json(documents.collection(url, found.followers.count()))


@require_safe
@gone_or
def note(request, username, key):
    found = _actor_or_404(username)
    note_id = documents.actor_url(found) + f"/notes/{key}"
    activity = Activity.objects.filter(
        actor=found, kind=Activity.Kind.CREATE, payload__object__id=note_id
    ).first()
    if activity is None:
        raise Http404
    if _wants_html(request):
        return HttpResponseRedirect(activity.payload["object"]["url"])
    return _json({"@context": documents.CONTEXT[0]} | activity.payload["object"])


@csrf_exempt
@require_POST
@gone_or
def actor_inbox(request, username):
    return _receive(request, _actor_or_404(username))


@csrf_exempt
@require_POST
def shared_inbox(request):
    return _receive(request, None)


def _receive(request, owner: Actor | None):
    body = request.body
    headers = {name.lower(): value for name, value in request.headers.items()}
    try:
        activity = inbox.read(body)
        sender = inbox.authenticate(
            method=request.method,
            path=request.get_full_path(),
            headers=headers,
            body=body,
            activity=activity,
        )
        inbox.handle(owner, activity, sender)
    except inbox.Refused as refused:
        log.info("federation: inbox refused a request (%s): %s", refused.status, refused)
        return JsonResponse({"error": str(refused)}, status=refused.status)
    return HttpResponse(status=202)
