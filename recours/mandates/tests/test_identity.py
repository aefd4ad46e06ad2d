import pytest

from recours.mandates.identity import canonical_email

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Marianne.Dupontel@Example.ORG", "marianne.dupontel@example.org"),
        ("  m@example.org  ", "m@example.org"),
        ("m+plainte@example.org", "m@example.org"),
        ("Mari.Anne+x@GoogleMail.com", "marianne@gmail.com"),
        ("m@bücher.example", "m@xn--bcher-kva.example"),
    ],
)
def test_canonical_email(typed, canonical):
    assert canonical_email(typed) == canonical
