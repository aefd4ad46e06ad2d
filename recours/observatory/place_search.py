"""Finding a place by what people type: its name in any case, with or without accents
and article ("le mans", "Le Mans", "Mans"), a postcode or an INSEE code. The place whose
whole name is what was typed comes first, then names that start with it, then the rest;
larger places before smaller ones, so that "Le Mans" is the city, not three villages."""

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from recours.observatory.names import normalised


def search_places(places: QuerySet, query: str) -> QuerySet:
    name = normalised(query)
    matches = Q(postcodes__contains=query) | Q(code=query)
    if name:
        matches |= Q(search_name__contains=name)
    return (
        places.filter(matches)
        .annotate(
            closeness=Case(
                When(Q(search_name=name) | Q(code=query), then=Value(0)),
                When(search_name__startswith=name, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("closeness", F("population").desc(nulls_last=True), "kind", "name")
    )
