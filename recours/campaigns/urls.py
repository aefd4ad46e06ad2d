from django.urls import path

from recours.campaigns import views

app_name = "campaigns"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "images/<str:sha256>-<int:width>.<str:fmt>", views.picture, name="picture"
    ),  # before any campaign's own paths: "images" is a reserved address
    path("<slug:slug>/theme.css", views.theme, name="theme"),
    path("<slug:slug>/count.json", views.count_json, name="count_json"),
    path("<slug:slug>/badge.svg", views.badge_svg, name="badge"),
    path("<slug:slug>/widget/", views.widget, name="widget"),
    path("<slug:slug>/qr.svg", views.qr_svg, name="qr"),
    path("<slug:slug>/carte.png", views.card, name="card"),
    path("<slug:slug>/partager/mastodon/", views.share_mastodon, name="share_mastodon"),
    path("<slug:slug>/confidentialite/", views.privacy, name="privacy"),
]
