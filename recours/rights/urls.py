from django.urls import path

from recours.rights import views

app_name = "rights"
urlpatterns = [
    path("", views.index, name="index"),
    path("reprendre/", views.load, name="load"),
    path("sources/", views.sources, name="sources"),
    path("<slug:kind>/", views.letter, name="letter"),
]
