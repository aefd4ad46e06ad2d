from django.urls import path

from recours.mandates import views

app_name = "mandates"
urlpatterns = [
    path("<slug:slug>/", views.campaign_page, name="campaign"),
    path("<slug:slug>/signer/", views.sign, name="sign"),
    path("<slug:slug>/mandat-papier/", views.paper_page, name="paper"),
    path("<slug:slug>/mandat-papier.pdf", views.paper_pdf, name="paper_pdf"),
    path("<slug:slug>/flux.atom", views.feed, name="feed"),
    path("<slug:slug>/signer/defi.json", views.pow_challenge, name="pow_challenge"),
    path("<slug:slug>/signer/verifiez-vos-mails/", views.check_mail, name="check_mail"),
    path("<slug:slug>/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("<slug:slug>/mandat/<str:token>/", views.manage, name="manage"),
    path("<slug:slug>/mandat/<str:token>/retirer/", views.withdraw, name="withdraw"),
    path("<slug:slug>/mandat/<str:token>/donnees.json", views.held_data, name="held_data"),
    path("<slug:slug>/mandat/<str:token>/demande/", views.rights_request, name="rights_request"),
    path("<slug:slug>/nouvelles/stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/transparency/", views.transparency_page, name="transparency"),
    path("<slug:slug>/transparency.json", views.transparency_json, name="transparency_json"),
    path("<slug:slug>/transparency/verify/", views.transparency_verify, name="verify_receipt"),
]
