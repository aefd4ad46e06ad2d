"""Turns `EMAIL_URL` into Django e-mail settings.

smtp://user:password@host:587?starttls=1   STARTTLS
smtps://user:password@host:465             TLS from the first byte
smtp://127.0.0.1:1025                      plain, e.g. a local relay
file:///var/spool/recours-mail             one file per message (the default, under var/)
console://                                 printed on standard output
"""

from urllib.parse import parse_qs, unquote, urlsplit


class EmailUrlError(ValueError):
    pass


def parse_email_url(url: str) -> dict:
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise EmailUrlError(f"EMAIL_URL has no host: {parts.scheme}://…")
        implicit_tls = parts.scheme == "smtps"
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": parts.port or (465 if implicit_tls else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": implicit_tls,
            "EMAIL_USE_TLS": not implicit_tls and query.get("starttls", "0") in {"1", "true"},
            "EMAIL_TIMEOUT": int(query.get("timeout", "20")),
        }
    if parts.scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    raise EmailUrlError(f"EMAIL_URL scheme not supported: {parts.scheme!r}")
