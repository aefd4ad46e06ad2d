import pytest

from recours.observatory.osm_tags import normalise, parse_direction

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("45", [45.0]),
        ("NE", [45.0]),
        ("nnw", [337.5]),
        ("0-90", [[0.0, 90.0]]),
        ("N-E", [[0.0, 90.0]]),
        ("350-10", [[350.0, 10.0]]),
        ("45;135", [45.0, 135.0]),
        ("-30", [330.0]),
        ("400", [40.0]),
        ("forward", []),
        ("", []),
        (None, []),
    ],
)
def test_direction_as_the_wiki_defines_it(value, expected):
    assert parse_direction(value) == expected


def test_camera_direction_wins_over_direction():
    fields = normalise(
        {
            "camera:direction": "S",
            "direction": "N",
            "surveillance:type": "camera",
            "operator": "Ville",
        }
    )

    assert fields["directions"] == [180.0]
    assert fields["surveillance_type"] == "camera"
    assert fields["operator"] == "Ville"
