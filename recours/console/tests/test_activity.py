"""The organisation's activity log: every change written, chained, tamper-evident."""

import pytest
from django.urls import reverse

from recours.console.activity import first_broken_position, record_activity
from recours.console.models import ActivityEntry
from recours.console.tests.conftest import member_client, text

pytestmark = pytest.mark.integration


def test_entries_chain_and_a_changed_or_removed_line_breaks_the_chain(organisation, people):
    for n in range(4):
        record_activity(organisation=organisation, actor=people["organiser"],
                        action="campaign.changed", subject=f"brouillon {n}")  # fmt: skip
    assert first_broken_position(organisation) is None

    ActivityEntry.objects.filter(position=2).update(subject="autre chose")
    assert first_broken_position(organisation) == 2

    ActivityEntry.objects.filter(position=2).delete()
    assert first_broken_position(organisation) == 3


def test_the_log_page_shows_who_did_what_and_says_whether_the_chain_holds(
    organisation, people, campaign
):
    record_activity(organisation=organisation, actor=people["organiser"],
                    action="texts.published", subject=campaign.title, campaign=campaign)  # fmt: skip
    viewer = member_client(people["viewer"])

    page = text(viewer.get(reverse("console:activity", args=[organisation.pk])))

    assert "orga" in page
    assert "a publié les textes de Plainte contre la surveillance" in page
    assert "La chaîne d'empreintes est intacte" in page


def test_an_unknown_action_is_refused(organisation, people):
    with pytest.raises(ValueError, match="unknown activity"):
        record_activity(organisation=organisation, actor=people["organiser"], action="nope")
    assert ActivityEntry.objects.count() == 0


def test_each_organisations_log_is_numbered_on_its_own(organisation, other_organisation, people):
    record_activity(organisation=organisation, actor="a", action="member.invited")
    record_activity(organisation=other_organisation, actor="b", action="member.invited")
    record_activity(organisation=organisation, actor="a", action="member.invited")

    positions = list(ActivityEntry.objects.order_by("pk").values_list("position", flat=True))
    assert positions == [1, 1, 2]
