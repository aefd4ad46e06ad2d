from django.urls import path

from recours.mandates import views

app_name = "mandates"
urlpatterns = [
    path("<campaign:slug>/", views.campaign_page, name="campaign"),
    path("<campaign:slug>/signer/", views.sign, name="sign"),
    path("<campaign:slug>/mandat-papier/", views.paper_page, name="paper"),
    path("<campaign:slug>/mandat-papier.pdf", views.paper_pdf, name="paper_pdf"),
    path("<campaign:slug>/flux.atom", views.feed, name="feed"),
    path("<campaign:slug>/signer/defi.json", views.pow_challenge, name="pow_challenge"),
    path("<campaign:slug>/signer/verifiez-vos-mails/", views.check_mail, name="check_mail"),
    path("<campaign:slug>/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("<campaign:slug>/mandat/<str:token>/", views.manage, name="manage"),
    path("<campaign:slug>/mandat/<str:token>/retirer/", views.withdraw, name="withdraw"),
    path("<campaign:slug>/mandat/<str:token>/donnees.json", views.held_data, name="held_data"),
    path(
        "<campaign:slug>/mandat/<str:token>/demande/", views.rights_request, name="rights_request"
    ),
    path("<campaign:slug>/nouvelles/stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<campaign:slug>/transparency/", views.transparency_page, name="transparency"),
    path("<campaign:slug>/transparency.json", views.transparency_json, name="transparency_json"),
    path("<campaign:slug>/transparency/verify/", views.transparency_verify, name="verify_receipt"),
]
