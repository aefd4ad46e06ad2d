"""CSV cells that a spreadsheet will not run.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets (OWASP, "CSV injection"): such a cell
gets a leading apostrophe, which spreadsheets show as text and do not display. A plain
number such as "-1.5" stays as it is."""

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.match(value):
        return "'" + value
    return value


def safe_row(row: dict) -> dict:
    return {name: safe_cell(value) for name, value in row.items()}
