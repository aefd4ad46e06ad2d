import pytest

from recours.core.email_url import EmailUrlError, parse_email_url

pytestmark = pytest.mark.unit


def test_parse_email_url_smtp_with_starttls_and_credentials():
    settings = parse_email_url("smtp://user%40x:p%3Ass@mail.example.org:587?starttls=1")

    assert settings == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "user@x",
        "EMAIL_HOST_PASSWORD": "p:ss",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
        "EMAIL_TIMEOUT": 20,
    }


def test_parse_email_url_smtps_uses_implicit_tls_on_465():
    settings = parse_email_url("smtps://mail.example.org")

    assert (settings["EMAIL_PORT"], settings["EMAIL_USE_SSL"]) == (465, True)


def test_parse_email_url_file_backend():
    assert parse_email_url("file:///srv/mail") == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": "/srv/mail",
    }


@pytest.mark.parametrize("url", ["ftp://x", "smtp://", "mail"])
def test_parse_email_url_refuses_what_it_cannot_use(url):
    with pytest.raises(EmailUrlError):
        parse_email_url(url)
