"""Guided letters. Everything happens within the request: nothing a person types is
saved on the server or written to a log, and every answer is marked `no-store`."""

from datetime import date

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from recours.core import letters as documents
from recours.core.ratelimit import Rule, check, client_ip, network_of, refusal_response
from recours.rights.forms import LetterForm, LoadForm, PassphraseForm
from recours.rights.law import ARTICLES
from recours.rights.procedures import PROCEDURES
from recours.rights.savefile import MAX_SIZE, SaveFileError, open_answers, seal_answers

SAVE_ERRORS = {
    "busy": _("Le serveur est occupé à ouvrir d'autres fichiers : réessayez dans un instant."),
    "too_large": _("Ce fichier est trop gros pour être un fichier de sauvegarde."),
    "not_a_save_file": _("Ce fichier n'est pas une sauvegarde de ce site."),
    "damaged": _("Ce fichier de sauvegarde est abîmé ou incomplet."),
    "wrong_passphrase": _("La phrase de passe ne correspond pas, ou le fichier a été modifié."),
}


def _procedure(kind):
    if kind not in PROCEDURES:
        raise Http404
    return PROCEDURES[kind]


def _answers(form: LetterForm) -> dict:
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in form.cleaned_data.items()
    }


@never_cache
@require_safe
def index(request):
    return render(
        request,
        "rights/index.html",
        {"procedures": PROCEDURES.values(), "load_form": LoadForm()},
    )


@require_safe
def sources(request):
    return render(request, "rights/sources.html", {"articles": ARTICLES.values()})


@never_cache
@require_http_methods(["GET", "POST"])
def letter(request, kind):
    procedure = _procedure(kind)
    if request.method == "GET":
        initial = {
            name: request.GET[name][:100] for name in procedure.prefill if name in request.GET
        }
        form = LetterForm(kind=kind, initial=initial)
        return _page(request, procedure, form, PassphraseForm())
    form = LetterForm(request.POST, kind=kind)
    action = request.POST.get("action", "preview")
    passphrase_form = PassphraseForm(request.POST if action == "save" else None)
    if not form.is_valid():
        return _page(request, procedure, form, passphrase_form, status=400)
    built = procedure.letter(form.cleaned_data)
    if action == "save":
        if not passphrase_form.is_valid():
            return _page(request, procedure, form, passphrase_form, built, status=400)
        if refusal := derivation_refusal(request):
            return refusal_response(request, refusal, "rights/too_many.html")
        try:
            content = seal_answers(
                {"kind": kind, "answers": _answers(form)},
                passphrase_form.cleaned_data["passphrase"],
            )
        except SaveFileError:  # busy: every derivation slot is taken
            return too_busy(request)
        return _download(content, "application/octet-stream", f"lettre-{kind}.recours")
    if action in documents.DOWNLOADS:
        return documents.download_response(built, action, f"lettre-{kind}")
    return _page(request, procedure, form, PassphraseForm(), built)


@never_cache
@require_POST
def load(request):
    form = LoadForm(request.POST, request.FILES)
    error = None
    if form.is_valid():
        if refusal := derivation_refusal(request):
            return refusal_response(request, refusal, "rights/too_many.html")
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_SIZE:
                raise SaveFileError("too_large")
            saved = open_answers(upload.read(), form.cleaned_data["passphrase"])
            kind = saved.get("kind")
            if kind not in PROCEDURES or not isinstance(saved.get("answers"), dict):
                raise SaveFileError("damaged")
        except SaveFileError as exc:
            if str(exc) == "busy":
                return too_busy(request)
            error = SAVE_ERRORS[str(exc)]
        else:
            letter_form = LetterForm(initial=saved["answers"], kind=kind)
            return _page(request, PROCEDURES[kind], letter_form, PassphraseForm(), loaded=True)
    context = {"procedures": PROCEDURES.values(), "load_form": form, "load_error": error}
    return render(request, "rights/index.html", context, status=400)


def derivation_refusal(request):
    """Each save or reopening derives a key with Argon2 (64 MiB, a fraction of a second):
    counted per network, on its keyed hash."""
    limit, window = settings.PASSPHRASE_RATE_LIMIT
    return check([(Rule("passphrase", limit, window), network_of(client_ip(request)))])


def too_busy(request):
    response = render(request, "rights/too_many.html", {"busy": True}, status=503)
    response["Retry-After"] = "5"
    return response


def _page(request, procedure, form, passphrase_form, built=None, status=200, loaded=False):
    context = {
        "procedure": procedure,
        "form": form,
        "passphrase_form": passphrase_form,
        "letter": built,
        "articles": [ARTICLES[key] for key in procedure.articles],
        "loaded": loaded,
    }
    return render(request, "rights/letter.html", context, status=status)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
