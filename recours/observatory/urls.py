from django.urls import path

from recours.observatory import views

app_name = "observatory"
urlpatterns = [
    path("", views.index, name="index"),
    path("communes/", views.communes, name="communes"),
    path("recherche/", views.search, name="search"),
    path("flux.atom", views.feed, name="feed"),
    path("lieu/<slug:kind>/<str:code>/", views.place, name="place"),
    path("lieu/<slug:kind>/<str:code>/flux.atom", views.place_feed, name="place_feed"),
    path("lieu/<slug:kind>/<str:code>/demandes.atom", views.requests_feed, name="requests_feed"),
    path(
        "lieu/<slug:kind>/<str:code>/demande-de-documents/",
        views.document_request_letter,
        name="request_letter",
    ),
    path(
        "lieu/<slug:kind>/<str:code>/<slug:dataset>.<slug:fmt>",
        views.download,
        name="place_download",
    ),
    path("technologie/<slug:slug>/", views.technology, name="technology"),
    path("technologie/<slug:slug>/flux.atom", views.technology_feed, name="technology_feed"),
    path("dispositif/<int:pk>/emplacements/", views.inventory, name="inventory"),
    path("fournisseurs/", views.vendors, name="vendors"),
    path("fournisseur/<int:pk>/", views.vendor, name="vendor"),
    path("carte/communes.geojson", views.map_communes, name="map_communes"),
    path("carte/mesures.json", views.map_measures, name="map_measures"),
    path("carte/cameras.geojson", views.map_cameras, name="map_cameras"),
    path("carte/autorisations.geojson", views.map_inventory, name="map_inventory"),
    path("donnees/", views.downloads, name="downloads"),
    path("donnees/<slug:dataset>.<slug:fmt>", views.download, name="download"),
    path("source/<int:pk>/copie", views.evidence_copy, name="evidence_copy"),
    path("signaler/", views.report_lead, name="report_lead"),
    path("signaler/merci/", views.lead_thanks, name="lead_thanks"),
]
