"""Lists take a fixed number of queries, whatever their length (pretalx's rule): each
page and API list is read with 1 and with 3 items and must take exactly the number of
queries written here. A change that adds a query per row fails; one that changes the
fixed number updates it here, on purpose."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recours.observatory.models import Claim, Evidence, Funding, OsmCamera, Place, Vendor

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

API = "/api/observatoire"
PAGES = {
    "communes": (lambda: reverse("observatory:communes"), 8),
    "vendors": (lambda: reverse("observatory:vendors"), 1),
    # A place named "Saint" besides the items, so that one item is not one result (a
    # search with one result redirects to it).
    "search": (lambda: reverse("observatory:search") + "?q=saint", 1),
    "api places": (lambda: f"{API}/places?kind=commune", 2),
    "api claims": (lambda: f"{API}/claims", 3),
    "api cameras": (lambda: f"{API}/cameras", 2),
    "api funding": (lambda: f"{API}/funding", 2),
}


def make_items(count: int) -> None:
    department = Place.objects.create(kind="departement", code="69", name="Saint-Rhône")
    for index in range(count):
        commune = Place.objects.create(
            kind="commune", code=f"6900{index}", name=f"Saint-Item-{index}",
            population=1000 + index, parent=department, camera_count=1,
        )  # fmt: skip
        vendor = Vendor.objects.create(name=f"Vendeur {index}")
        claim = Claim.objects.create(place=commune, technology="vsa", vendor=vendor,
                                     status="trial", confidence="press")  # fmt: skip
        Evidence.objects.create(claim=claim, kind="web_page", title="Article",
                                url=f"https://press.example/{index}")  # fmt: skip
        claim.changes.create(changes={"created": ["", "api"]}, by="api:test")
        Funding.objects.create(place=commune, programme="fipd", year=2022, amount_eur=1000)
        OsmCamera.objects.create(osm_id=index + 1, lon=4.8 + index / 100, lat=45.7,
                                 commune=commune, tags={"man_made": "surveillance"})  # fmt: skip


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("name", list(PAGES))
def test_lists_take_a_fixed_number_of_queries(client, count, name):
    make_items(count)
    url, expected = PAGES[name][0](), PAGES[name][1]

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    last = f"Vendeur {count - 1}" if name in {"vendors", "api claims"} else f"6900{count - 1}"
    assert last in response.content.decode()  # the list holds every item
    assert len(queries) == expected, "\n".join(query["sql"] for query in queries)
