from django.urls import path

from recours.federation import views

app_name = "federation"
urlpatterns = [
    path(".well-known/webfinger", views.webfinger, name="webfinger"),
    path("ap/inbox", views.shared_inbox, name="shared_inbox"),
    path("ap/<str:username>", views.actor, name="actor"),
    path("ap/<str:username>/inbox", views.actor_inbox, name="inbox"),
    path("ap/<str:username>/outbox", views.outbox, name="outbox"),
    path("ap/<str:username>/followers", views.followers, name="followers"),
    path("ap/<str:username>/notes/<str:key>", views.note, name="note"),
]
