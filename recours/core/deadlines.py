"""Deadline arithmetic for the letters, and the calendar file that carries it.

French procedure counts a time limit "de mois à mois": a letter received on 31 January
has its two-month deadline on the last day of March… and one received on 30 November on
30 January. When the target month is shorter, the deadline is its last day.
"""

import calendar
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Deadline:
    day: date
    title: str
    description: str


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode()
    parts = []
    while len(encoded) > 75:
        cut = 75
        while (encoded[cut] & 0xC0) == 0x80:  # never cut inside a UTF-8 character
            cut -= 1
        parts.append(encoded[:cut].decode())
        encoded = encoded[cut:]
    parts.append(encoded.decode())
    return "\r\n ".join(parts)


def calendar_file(deadlines: list[Deadline], *, reminder_days: tuple[int, ...] = (7, 1)) -> str:
    """An iCalendar file with one all-day event per deadline and reminders before each."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Recours//Droits//FR",
        "CALSCALE:GREGORIAN",
    ]
    for deadline in deadlines:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uuid.uuid4()}@recours",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{deadline.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{deadline.day + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(deadline.title)}",
            f"DESCRIPTION:{_escape(deadline.description)}",
        ]
        for days in reminder_days:
            lines += [
                "BEGIN:VALARM",
                "ACTION:DISPLAY",
                f"DESCRIPTION:{_escape(deadline.title)}",
                f"TRIGGER:-P{days}D",
                "END:VALARM",
            ]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
