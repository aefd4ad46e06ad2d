from django.urls import path

from recours.campaigns import views

app_name = "campaigns"
urlpatterns = [
    # The reads other sites embed, first: they come in bursts.
    path("<campaign:slug>/count.json", views.count_json, name="count_json"),
    path("<campaign:slug>/badge.svg", views.badge_svg, name="badge"),
    path("<campaign:slug>/widget/", views.widget, name="widget"),
    path("", views.home, name="home"),
    path("images/<str:sha256>-<int:width>.<str:fmt>", views.picture, name="picture"),
    path("<campaign:slug>/theme.css", views.theme, name="theme"),
    path("<campaign:slug>/qr.svg", views.qr_svg, name="qr"),
    path("<campaign:slug>/carte.png", views.card, name="card"),
    path("<campaign:slug>/partager/mastodon/", views.share_mastodon, name="share_mastodon"),
    path("<campaign:slug>/confidentialite/", views.privacy, name="privacy"),
]
