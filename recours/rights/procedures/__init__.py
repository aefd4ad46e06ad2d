"""The procedures: each is one declaration, in a module of its own, of everything about
it (its fields, its rules, its addressee, its deadlines, its text), which the form, the
letter and the guide read. Adding a procedure is one module and one line below."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import translation

from recours.core.letters import Letter

# A rule reads the cleaned answers and names what is wrong: (field, message) pairs.
Rule = Callable[[dict], Iterable[tuple[str, str]]]


@dataclass(frozen=True)
class Procedure:
    kind: str
    title: str
    summary: str
    articles: tuple[str, ...]
    postage: str
    registered_required: bool
    answer_months: int
    next_step: str
    attachments: tuple[str, ...]
    fields: tuple[str, ...]
    # Writes the letter (in French) from the cleaned answers.
    write: Callable[["Procedure", dict], Letter]
    rules: tuple[Rule, ...] = ()
    interim: bool = False
    tips: tuple[str, ...] = field(default=())
    # Fields a link may fill in (`?video_commune=Nantes` from the observatory's pages).
    prefill: tuple[str, ...] = ()

    def letter(self, data: dict) -> Letter:
        """The letter, in French whatever the page's language: it goes to French
        authorities."""
        with translation.override("fr"):
            return self.write(self, data)


# The groups of fields that procedures share (forms.FIELDS defines each field).
SENDER = (
    "surname",
    "given_names",
    "birth_name",
    "birth_date",
    "birth_place",
    "address",
    "email",
    "phone",
)
CASE = ("capacity", "case_date", "case_place", "case_unit", "case_reference", "offence")
DECISION = ("outcome", "decision_date", "decision_court")
REQUEST = ("request", "grounds")
LETTER = ("letter_date", "letter_place")


def _registry() -> dict[str, Procedure]:
    from recours.rights.procedures import (
        taj_acces,
        taj_cnil,
        taj_effacement,
        taj_recours,
        tes,
        videoprotection,
    )

    modules = [taj_acces, taj_cnil, taj_effacement, taj_recours, tes, videoprotection]
    return {module.PROCEDURE.kind: module.PROCEDURE for module in modules}


PROCEDURES = _registry()


def build_letter(kind: str, data: dict) -> Letter:
    return PROCEDURES[kind].letter(data)
