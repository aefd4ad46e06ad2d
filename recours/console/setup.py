"""The guided path of a campaign from nothing to open: which steps are done, what is
still missing before its texts can be published, and what a new version changes."""

import difflib
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from recours.campaigns.domain import draft_contents, latest_version
from recours.campaigns.models import Campaign, TextVersion
from recours.console.models import CampaignSetup
from recours.core.crypto import canonical_json, public_key_is_valid, sha256_hex


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    url_name: str
    done: bool


def steps(campaign: Campaign) -> list[Step]:
    done = set(
        CampaignSetup.objects.filter(campaign=campaign).values_list("steps_done", flat=True).first()
        or []
    )
    organisation = campaign.organisation
    return [
        Step(
            "organisation",
            _("L'organisation mandataire et ses mentions légales"),
            "console:organisation",
            all(
                [
                    organisation.registration_number,
                    organisation.registered_office,
                    organisation.statutory_object,
                    organisation.contact_email,
                ]
            ),
        ),
        Step(
            "texts", _("La plainte : texte, autorité, fondement"), "console:texts", "texts" in done
        ),
        Step(
            "grounds",
            _("Les griefs et leurs sources"),
            "console:grounds",
            campaign.grounds.exists(),
        ),
        Step("mandate", _("Le texte du mandat"), "console:mandate", "mandate" in done),
        Step("calendar", _("Objectif, étapes et dates"), "console:calendar", "calendar" in done),
        Step(
            "key",
            _("La cérémonie des clés"),
            "console:key",
            public_key_is_valid(campaign.public_key),
        ),
        Step("publish", _("Publier les textes"), "console:publish", not draft_differs(campaign)),
    ]


def missing_for_publication(campaign: Campaign) -> list[str]:
    missing = []
    for name in (
        "title",
        "summary",
        "body",
        "legal_basis",
        "authority",
        "respondent",
        "mandate_text",
    ):
        if not (getattr(campaign, name) or "").strip():
            missing.append(str(Campaign._meta.get_field(name).verbose_name))
    if not campaign.grounds.exists():
        missing.append(str(_("au moins un grief")))
    return missing


def draft_differs(campaign: Campaign) -> bool:
    """Whether the draft holds anything not yet published (or nothing was published)."""
    for kind, content in draft_contents(campaign).items():
        latest = latest_version(campaign, kind)
        if latest is None or latest.sha256 != sha256_hex(canonical_json(content)):
            return True
    return False


# What each field of a text version is called in the diff.
FIELD_LABELS = {
    "title": _("Titre"),
    "summary": _("Résumé"),
    "body": _("Texte"),
    "text": _("Texte"),
    "authority": _("Autorité saisie"),
    "respondent": _("Visé"),
    "legal_basis": _("Fondement juridique"),
    "organisation": _("Organisation"),
    "name": _("nom"),
    "legal_form": _("forme juridique"),
    "registration_number": _("numéro d'enregistrement"),
    "registered_office": _("siège"),
    "statutory_object": _("objet statutaire"),
    "signatory": _("signataire"),
    "grounds": _("Grief"),
    "sources": _("source"),
    "publisher": _("éditeur"),
    "date": _("date"),
    "url": _("adresse"),
}


def _label(key: str) -> str:
    return str(FIELD_LABELS.get(key, key))


def _lines(content: dict, prefix: str = "") -> list[str]:
    """A text version as lines a person can compare: each field, then each line of it."""
    lines = []
    for key, value in content.items():
        label = f"{prefix}{_label(key)}"
        if isinstance(value, dict):
            lines.extend(_lines(value, f"{label}, "))
        elif isinstance(value, list):
            for index, item in enumerate(value, 1):
                if isinstance(item, dict):
                    lines.extend(_lines(item, f"{label} {index}, "))
                else:
                    lines.append(f"{label} {index} : {item}")
        else:
            text = "" if value is None else str(value)
            for line in text.splitlines() or [""]:
                lines.append(f"{label} : {line}")
    return lines


@dataclass(frozen=True)
class DiffLine:
    op: str  # "same", "added", "removed"
    text: str


@dataclass(frozen=True)
class TextDiff:
    kind: str
    label: str
    previous: TextVersion | None
    lines: list[DiffLine]

    @property
    def changed(self) -> bool:
        return self.previous is None or any(line.op != "same" for line in self.lines)


def draft_diffs(campaign: Campaign) -> list[TextDiff]:
    """For each text, what publishing the draft would change from the version in force:
    changed lines with two lines of context around them."""
    diffs = []
    for kind, content in draft_contents(campaign).items():
        previous = latest_version(campaign, kind)
        old = _lines(previous.content) if previous else []
        new = _lines(content)
        lines = []
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for group in matcher.get_grouped_opcodes(2):
            if lines:
                lines.append(DiffLine("gap", "…"))
            for tag, i1, i2, j1, j2 in group:
                if tag == "equal":
                    lines.extend(DiffLine("same", line) for line in old[i1:i2])
                    continue
                lines.extend(DiffLine("removed", line) for line in old[i1:i2])
                lines.extend(DiffLine("added", line) for line in new[j1:j2])
        diffs.append(TextDiff(kind, str(TextVersion.Kind(kind).label), previous, lines))
    return diffs
