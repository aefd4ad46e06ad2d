"""Constraints on the API's text inputs, stated in the OpenAPI schema so that a client
reads there what will be refused.

PostgreSQL's text cannot hold a NUL character: such input is refused with 422 here,
where the client is told why, rather than failing at the database."""

from ninja import Field, Path

NO_NUL = r"^[^\x00]*$"
WEB_ADDRESS = r"^(https?://[^\s\x00]+)?$"


def text(default, *, max_length: int):
    return Field(default, max_length=max_length, pattern=NO_NUL)


def path_code():
    return Path(..., max_length=12, pattern=NO_NUL)
