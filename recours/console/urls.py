from django.urls import path

from recours.console.views import campaigns, dashboard, moderation, news, organisations, signin

app_name = "console"

urlpatterns = [
    path("", organisations.home, name="home"),
    path("connexion/", signin.login_view, name="login"),
    path("connexion/second-facteur/", signin.second_factor_view, name="second_factor"),
    path("connexion/inscription-du-second-facteur/", signin.enrol_view, name="enrol"),
    path("deconnexion/", signin.logout_view, name="logout"),
    path("compte/securite/", signin.security_view, name="security"),
    path("invitation/<str:token>/", organisations.accept, name="accept"),
    path("organisations/nouvelle/", organisations.organisation_new, name="organisation_new"),
    path("organisations/<int:pk>/", organisations.organisation, name="organisation"),
    path("organisations/<int:pk>/activite/", organisations.activity, name="activity"),
    path(
        "organisations/<int:pk>/membres/<int:member_pk>/retirer/",
        organisations.member_remove,
        name="member_remove",
    ),
    path("organisations/<int:pk>/campagnes/nouvelle/", campaigns.campaign_new, name="campaign_new"),
    path("campagnes/<slug:slug>/", campaigns.campaign, name="campaign"),
    path("campagnes/<slug:slug>/plainte/", campaigns.texts, name="texts"),
    path("campagnes/<slug:slug>/griefs/", campaigns.grounds, name="grounds"),
    path("campagnes/<slug:slug>/griefs/nouveau/", campaigns.ground, name="ground_new"),
    path("campagnes/<slug:slug>/griefs/<int:ground_pk>/", campaigns.ground, name="ground"),
    path("campagnes/<slug:slug>/mandat/", campaigns.mandate, name="mandate"),
    path("campagnes/<slug:slug>/calendrier/", campaigns.calendar, name="calendar"),
    path("campagnes/<slug:slug>/questions/", campaigns.faq, name="faq"),
    path("campagnes/<slug:slug>/identite/", campaigns.identity, name="identity"),
    path("campagnes/<slug:slug>/chronologie/", campaigns.timeline, name="timeline"),
    path("campagnes/<slug:slug>/cle/", campaigns.key, name="key"),
    path("campagnes/<slug:slug>/apercu/", campaigns.preview, name="preview"),
    path("campagnes/<slug:slug>/publier/", campaigns.publish, name="publish"),
    path("campagnes/<slug:slug>/statut/", campaigns.status, name="status"),
    path("campagnes/<slug:slug>/chiffres/", dashboard.dashboard, name="dashboard"),
    path(
        "campagnes/<slug:slug>/chiffres/<slug:key>.csv",
        dashboard.dashboard_csv,
        name="dashboard_csv",
    ),
    path("campagnes/<slug:slug>/nouvelles/", news.news_list, name="news_list"),
    path("campagnes/<slug:slug>/nouvelles/<int:pk>/", news.news, name="news"),
    path("observatoire/signalements/", moderation.leads, name="leads"),
    path("observatoire/signalements/<int:pk>/", moderation.lead, name="lead"),
    path(
        "observatoire/signalements/<int:pk>/document/",
        moderation.lead_attachment,
        name="lead_attachment",
    ),
    path("observatoire/fiches/", moderation.claims, name="claims"),
    path("observatoire/fiches/<int:pk>/", moderation.claim, name="claim"),
    path("observatoire/demandes/", moderation.document_requests, name="document_requests"),
    path("observatoire/demandes/<int:pk>/", moderation.document_request, name="document_request"),
]
