"""The observatory's pages. Everything is reachable without JavaScript: the map is an
enhancement over the table of communes, the search a plain GET form."""

import gzip
import logging
from datetime import date

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_http_methods, require_safe

from recours.core import letters
from recours.core.crypto import keyed_hash
from recours.core.feeds import Feed, atom_response
from recours.core.middleware import content_security_policy
from recours.core.ratelimit import Rule, check, client_ip, refusal_response
from recours.core.storage import is_disk_full
from recours.observatory import cada, feeds, mapdata, opendata
from recours.observatory.forms import DocumentRequestLetterForm, LeadForm, MeasureForm, SearchForm
from recours.observatory.measures import (
    MEASURES,
    PER_INHABITANT,
    RANKED_POPULATION,
    commune_rows,
    headline_totals,
    record_version,
    top_communes,
)
from recours.observatory.models import (
    Claim,
    Evidence,
    ImportRun,
    Place,
    Vendor,
)
from recours.observatory.place_map import place_map
from recours.observatory.place_record import record_of
from recours.observatory.place_search import search_places

public = cache_control(public=True, max_age=300)
# A place's outlines: large, and never shown on its pages.
HEAVY = ("geometry", "outline_coarse")
LEAD_RULES = (Rule("lead-burst", 3, 60), Rule("lead-day", 20, 86400))

log = logging.getLogger(__name__)


def map_csp() -> str:
    """The map may load tiles from the configured server, and nothing else from outside."""
    tiles = settings.OBSERVATORY_TILE_URL
    if not tiles:
        return content_security_policy()
    origin = "/".join(tiles.split("/")[:3])
    return content_security_policy(img_src=f"'self' data: {origin}")


@require_safe
def index(request):
    measure_form = MeasureForm(request.GET or None)
    measure = measure_form.cleaned_data["mesure"] if measure_form.is_valid() else ""
    response = render(
        request,
        "observatory/index.html",
        {
            "search_form": SearchForm(),
            "measure_form": measure_form if measure else MeasureForm(),
            "measure": measure or "cameras",
            "measure_label": MEASURES[measure or "cameras"],
            "measures": MEASURES,
            "top": top_communes(order=measure or "cameras"),
            "per_inhabitant": PER_INHABITANT,
            "ranked_population": RANKED_POPULATION,
            "technologies": _technology_counts(),
            "vendors": Vendor.objects.annotate(places=Count("claims__place", distinct=True))
            .filter(places__gt=0)
            .order_by("-places", "name")[:30],
            "recent": Claim.objects.select_related("place", "vendor").order_by("-updated_at")[:10],
            "totals": headline_totals(),
            "camera_layer": opendata.camera_layer(),
            "tile_url": settings.OBSERVATORY_TILE_URL,
            "tile_attribution": settings.OBSERVATORY_TILE_ATTRIBUTION,
        },
    )
    response["Content-Security-Policy"] = map_csp()
    return response


def _technology_counts():
    counts = dict(Claim.objects.values_list("technology").annotate(n=Count("pk")).order_by())
    return [(value, label, counts.get(value, 0)) for value, label in Claim.Technology.choices]


@require_safe
def communes(request):
    """The table that stands in for the map: communes with something recorded, by measure."""
    measure_form = MeasureForm(request.GET or None)
    measure = (measure_form.is_valid() and measure_form.cleaned_data["mesure"]) or "cameras"
    department = None
    if code := request.GET.get("departement"):
        department = Place.objects.filter(kind=Place.Kind.DEPARTEMENT, code=code[:3]).first()
    page = Paginator(commune_rows(order=measure, department=department), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "observatory/communes.html",
        {
            "page": page,
            "measure": measure,
            "measure_form": MeasureForm(initial={"mesure": measure}),
            "department": department,
            "departments": Place.objects.filter(kind=Place.Kind.DEPARTEMENT)
            .only("code", "name")
            .order_by("code"),
        },
    )


@require_safe
@public
def place(request, kind, code):
    place = get_object_or_404(
        Place.objects.without_outlines("parent", "parent__parent", "merged_into", "epci"),
        kind=kind,
        code=code,
    )
    if place.merged_into_id:
        return redirect(place.merged_into)
    return render(
        request,
        "observatory/place.html",
        {
            "place": place,
            "record": record_of(place, today=timezone.localdate()),
            "outline_map": place_map(place),
            "merged": place.merged.order_by("name"),
            "datasets": opendata.DATASETS,
        },
    )


@require_safe
@public
def technology(request, slug):
    if slug not in Claim.Technology.values:
        raise Http404
    claims = (
        Claim.objects.filter(technology=slug).for_display().order_by("place__name", "-updated_at")
    )
    return render(
        request,
        "observatory/technology.html",
        {
            "label": Claim.Technology(slug).label,
            "slug": slug,
            "page": Paginator(claims, 100).get_page(request.GET.get("page")),
            "by_status": [
                (Claim.Status(status).label, n)
                for status, n in Claim.objects.filter(technology=slug)
                .values_list("status")
                .annotate(n=Count("pk"))
                .order_by("-n")
            ],
        },
    )


@require_safe
@public
def vendor(request, pk):
    vendor = get_object_or_404(Vendor, pk=pk)
    claims = vendor.claims.for_display()
    return render(
        request,
        "observatory/vendor.html",
        {"vendor": vendor, "claims": claims.order_by("place__name")},
    )


@require_safe
def vendors(request):
    rows = Vendor.objects.annotate(
        places=Count("claims__place", distinct=True), claims_count=Count("claims")
    ).order_by("name")
    return render(request, "observatory/vendors.html", {"vendors": rows})


@require_safe
def search(request):
    form = SearchForm(request.GET)
    results = []
    query = ""
    if form.is_valid() and (query := form.cleaned_data["q"]):
        places = (
            Place.objects.filter(merged_into=None)
            .select_related("parent")
            .defer("geometry", "outline_coarse", "parent__geometry", "parent__outline_coarse")
        )
        results = list(search_places(places, query)[:50])
        exact = [place for place in results if place.closeness == 0]
        if len(results) == 1 or len(exact) == 1:
            return redirect((exact or results)[0])
    return render(
        request, "observatory/search.html", {"form": form, "query": query, "results": results}
    )


def _bbox(request) -> mapdata.BBox | None:
    try:
        return mapdata.BBox.parse(request.GET.get("bbox", "-180,-90,180,90"))
    except ValueError:
        return None


def _bad_bbox():
    return HttpResponse(
        '{"error": "bbox: min_lon,min_lat,max_lon,max_lat expected"}',
        status=400,
        content_type="application/json",
    )


@require_safe
@public
def map_communes(request):
    if "bbox" not in request.GET:
        return _cached_gzip(request, *mapdata.national_outlines(), "application/geo+json")
    box = _bbox(request)
    if box is None:
        return _bad_bbox()
    response = HttpResponse(mapdata.communes_geojson(box), content_type="application/geo+json")
    return gzip_page(lambda request: response)(request)


@require_safe
@public
def map_measures(request):
    return _cached_gzip(request, *mapdata.national_measures(), "application/json")


def _cached_gzip(request, body: bytes, etag: str, content_type: str):
    """A body the cache holds gzipped: a browser holding the current version gets 304,
    one that cannot read gzip (rare) gets it decompressed."""
    if etag in request.META.get("HTTP_IF_NONE_MATCH", ""):
        response = HttpResponseNotModified()
    elif "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", ""):
        response = HttpResponse(body, content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(body), content_type=content_type)
    response["ETag"] = etag
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


@require_safe
@gzip_page
@public
def map_cameras(request):
    return _points(request, mapdata.cameras_geojson)


@require_safe
@gzip_page
@public
def map_inventory(request):
    return _points(request, mapdata.inventory_geojson)


def _points(request, layer):
    box = _bbox(request)
    if box is None:
        return _bad_bbox()
    body = layer(box)
    if body is None:
        return HttpResponse(
            '{"error": "too_many", "limit": %d}' % mapdata.MAX_CAMERAS,  # noqa: UP031
            status=413,
            content_type="application/json",
        )
    return HttpResponse(body, content_type="application/geo+json")


@require_safe
@public
def inventory(request, pk):
    """The locations of an official inventory, as the document lists them."""
    claim = get_object_or_404(Claim.objects.select_related("place"), pk=pk)
    entries = claim.inventory.order_by("postcode", "reference")
    if not claim.inventory.exists():
        raise Http404
    return render(
        request,
        "observatory/inventory.html",
        {
            "claim": claim,
            "page": Paginator(entries, 200).get_page(request.GET.get("page")),
            "geocoded": entries.exclude(lon=None).count(),
        },
    )


@require_safe
def downloads(request):
    layer = opendata.camera_layer()
    return render(
        request,
        "observatory/downloads.html",
        {
            "datasets": opendata.DATASETS,
            "licence": opendata.record_licence(),
            "osm_licence": opendata.camera_licence(layer),
            "camera_layer": layer,
            "last_import": ImportRun.objects.order_by("-finished_at").first(),
        },
    )


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json"}


@require_safe
@public
def download(request, dataset, fmt, kind=None, code=None):
    if dataset not in opendata.DATASETS or fmt not in opendata.FORMATS:
        raise Http404
    scope = get_object_or_404(Place.objects.defer(*HEAVY), kind=kind, code=code) if kind else None
    rows = (opendata.as_csv if fmt == "csv" else opendata.as_geojson)(dataset, scope)
    response = StreamingHttpResponse(rows, content_type=CONTENT_TYPES[fmt])
    name = f"recours-{dataset}-{kind}-{code}" if scope else f"recours-{dataset}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_safe
def evidence_copy(request, pk):
    """The copy of a source we kept, for anyone to check against its SHA-256."""
    evidence = get_object_or_404(Evidence.objects.exclude(copy=""), pk=pk)
    try:
        handle = evidence.copy.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def report_lead(request):
    place = None
    if kind_code := request.GET.get("lieu", ""):
        kind, _sep, code = kind_code.partition("/")
        place = Place.objects.filter(kind=kind, code=code).defer("geometry").first()
    if request.method == "GET":
        form = LeadForm(initial={"place_text": place.name if place else ""})
        return render(request, "observatory/lead_form.html", {"form": form})
    # The limit is counted on a keyed hash of the address, kept an hour at most in the
    # cache and stored nowhere.
    refusal = check([(rule, keyed_hash("lead", client_ip(request))) for rule in LEAD_RULES])
    if refusal:
        return refusal_response(request, refusal, "observatory/too_many.html")
    form = LeadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "observatory/lead_form.html", {"form": form}, status=400)
    lead = form.save(commit=False)
    lead.place, lead.contact = place, form.cleaned_data["contact"]
    try:
        with transaction.atomic():  # the file is written first: a full disk leaves nothing
            lead.save()
    except OSError as error:
        if not is_disk_full(error):
            raise
        log.error("lead not saved: the disk holding MEDIA_ROOT is full")
        response = render(request, "observatory/no_space.html", status=503)
        response["Retry-After"] = "600"
        return response
    return redirect("observatory:lead_thanks")


@require_safe
def lead_thanks(request):
    return render(request, "observatory/lead_thanks.html")


@never_cache
@require_http_methods(["GET", "POST"])
def document_request_letter(request, kind, code):
    """The letter is built within the request: nothing typed here is stored."""
    place = get_object_or_404(
        Place.objects.defer("geometry", "outline_coarse"), kind=kind, code=code
    )
    if place.kind != Place.Kind.COMMUNE:
        raise Http404
    context = {"place": place, "documents": cada.DOCUMENTS}
    if request.method == "GET":
        context["form"] = DocumentRequestLetterForm(initial={"letter_date": date.today()})
        return render(request, "observatory/request_letter.html", context)
    form = DocumentRequestLetterForm(request.POST)
    context["form"] = form
    if not form.is_valid():
        return render(request, "observatory/request_letter.html", context, status=400)
    letter = cada.build_request_letter(place, form.cleaned_data)
    action = request.POST.get("action", "preview")
    if action in letters.DOWNLOADS:
        return letters.download_response(letter, action, f"demande-cada-{code}")
    context["letter"] = letter
    context["tracking_url"] = reverse("observatory:place", args=[kind, code])
    return render(request, "observatory/request_letter.html", context)


# Atom feeds (feeds.py): what is new, overall, per place, per technology.


@require_safe
@public
def feed(request):
    about = Feed(
        title=_("Observatoire de la surveillance : nouveaux dispositifs"),
        path=reverse("observatory:index"),
        feed_path=reverse("observatory:feed"),
        subtitle=_("Chaque dispositif de surveillance documenté, avec ses sources."),
        author=feeds.AUTHOR,
    )
    return atom_response(
        about, lambda: feeds.claim_entries(Claim.objects.all()), version=record_version()
    )


@require_safe
@public
def place_feed(request, kind, code):
    place = get_object_or_404(Place.objects.defer(*HEAVY), kind=kind, code=code, merged_into=None)
    about = Feed(
        title=_("%(place)s : dispositifs de surveillance") % {"place": place.name},
        path=place.get_absolute_url(),
        feed_path=reverse("observatory:place_feed", args=[kind, code]),
        subtitle=_("Les dispositifs documentés à %(place)s et dans les lieux qu'il contient.")
        % {"place": place.name},
        author=feeds.AUTHOR,
    )
    return atom_response(
        about,
        lambda: feeds.claim_entries(Claim.objects.filter(place.within())),
        version=record_version(),
    )


@require_safe
@public
def requests_feed(request, kind, code):
    place = get_object_or_404(Place.objects.defer(*HEAVY), kind=kind, code=code, merged_into=None)
    about = Feed(
        title=_("%(place)s : demandes de documents") % {"place": place.name},
        path=place.get_absolute_url() + "#requests-title",
        feed_path=reverse("observatory:requests_feed", args=[kind, code]),
        subtitle=_("Ce que sont devenues les demandes de documents adressées ici."),
        author=feeds.AUTHOR,
    )
    return atom_response(
        about,
        lambda: feeds.request_entries(place),
        version=feeds.requests_version(place),
    )


@require_safe
@public
def technology_feed(request, slug):
    if slug not in Claim.Technology.values:
        raise Http404
    label = Claim.Technology(slug).label
    about = Feed(
        title=_("Observatoire : %(technology)s") % {"technology": label},
        path=reverse("observatory:technology", args=[slug]),
        feed_path=reverse("observatory:technology_feed", args=[slug]),
        subtitle=_("Chaque dispositif de ce type documenté, avec ses sources."),
        author=feeds.AUTHOR,
    )
    return atom_response(
        about,
        lambda: feeds.claim_entries(Claim.objects.filter(technology=slug)),
        version=record_version(),
    )
