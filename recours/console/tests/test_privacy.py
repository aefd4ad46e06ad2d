"""Figures, not people: no console page, CSV or log line names a signer."""

import logging

import pytest
from django.urls import reverse

from recours.campaigns.domain import published_texts
from recours.console.tests.conftest import member_client
from recours.console.tests.test_access import urls  # noqa: F401 - the fixture
from recours.console.views.dashboard import campaign_figures
from recours.mandates import domain
from recours.mandates.identity import SignerIdentity
from recours.testing import link_from, queued_mails

pytestmark = pytest.mark.integration

GIVEN, SURNAME, EMAIL = "Théodora", "Vasquez-Lindqvist", "theodora.vl@example.net"
ADDRESS = "17 impasse des Glycines"


def test_no_console_page_csv_or_log_line_names_a_signer(people, campaign, urls, caplog):  # noqa: F811
    identity = SignerIdentity(GIVEN, SURNAME, EMAIL, f"{ADDRESS}\n33000 Bordeaux",
                              contact_updates=True)  # fmt: skip
    domain.sign_mandate(campaign=campaign, identity=identity, texts=published_texts(campaign),
                        language="fr")  # fmt: skip
    token = link_from(queued_mails("confirm")[0].body_text, "/confirmer/").split("/")[-2]
    domain.confirm_mandate(token=token)
    superuser = member_client(people["superuser"])
    organiser = member_client(people["organiser"])
    caplog.set_level(logging.DEBUG)

    # A paper mandate entered with a second person's identity: sealed, never shown.
    from recours.console.tests.test_paper import form_data

    entered = organiser.post(
        reverse("console:paper", args=[campaign.slug]),
        form_data(campaign, surname="Vasquez", given_names="Glycine", postal_address="Glycines"),
        follow=True,
    )
    assert entered.status_code == 200
    pages = [entered.content.decode()]
    for name, args in urls.items():
        pages.append(superuser.get(reverse(f"console:{name}", args=args)).content.decode())
    series = campaign_figures(campaign).series()
    for key in series:
        pages.append(superuser.get(reverse("console:dashboard_csv", args=[campaign.slug, key]))
                     .content.decode())  # fmt: skip
    # Sending news reads the addresses of those who asked for it: even then, nothing shows.
    update = campaign.updates.get()
    pages.append(organiser.post(reverse("console:news", args=[campaign.slug, update.pk]),
                                {"send": "1", "confirm": "on"}, follow=True).content.decode())  # fmt: skip
    pages.append(organiser.get(reverse("console:activity", args=[campaign.organisation_id]))
                 .content.decode())  # fmt: skip

    everything = "\n".join(pages + [record.getMessage() for record in caplog.records]).lower()
    assert len(pages) == 1 + len(urls) + len(series) + 2
    for word in (GIVEN, SURNAME, EMAIL, ADDRESS, "glycines", "vasquez"):
        assert word.lower() not in everything
    assert queued_mails("update")[0].to == EMAIL  # the news did go to the signer
