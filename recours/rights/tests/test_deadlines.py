from datetime import date

import pytest

from recours.core.deadlines import Deadline, add_months, calendar_file

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 3, 15), 2, date(2026, 5, 15)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2023, 12, 31), 2, date(2024, 2, 29)),  # leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
        (date(2026, 11, 30), 2, date(2027, 1, 30)),
        (date(2026, 7, 1), 6, date(2027, 1, 1)),
    ],
)
def test_add_months_counts_from_month_to_month(start, months, expected):
    assert add_months(start, months) == expected


def test_calendar_file_has_all_day_events_with_reminders_and_folded_lines():
    text = calendar_file(
        [
            Deadline(
                date(2027, 2, 28), "TAJ : réponse attendue " + "é" * 60, "Saisir la CNIL, ensuite."
            )
        ]
    )

    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    assert "DTSTART;VALUE=DATE:20270228" in lines
    assert "DTEND;VALUE=DATE:20270301" in lines
    assert "DESCRIPTION:Saisir la CNIL\\, ensuite." in lines
    assert [line for line in lines if line.startswith("TRIGGER")] == [
        "TRIGGER:-P7D",
        "TRIGGER:-P1D",
    ]
    assert max(len(line.encode()) for line in lines) <= 75
    assert text.endswith("END:VCALENDAR\r\n")
