"""The signer's identity as typed, normalised, and its canonical e-mail for deduplication."""

from dataclasses import asdict, dataclass

from django.conf import settings

# Providers that ignore dots in the local part; for them "j.doe" and "jdoe" are one box.
DOTLESS_DOMAINS = {"gmail.com", "googlemail.com"}


@dataclass(frozen=True)
class SignerIdentity:
    given_names: str
    surname: str
    email: str
    postal_address: str = ""
    newsletter: bool = False
    contact_updates: bool = False

    def as_dict(self) -> dict:
        return asdict(self)

    def sealed_payload(self) -> dict:
        """What goes into the sealed record: the identity and the signer's choices."""
        return self.as_dict()


def canonical_email(email: str) -> str:
    """The form of an address under which one person has one mandate: lower case,
    IDNA domain, sub-address (+tag) dropped, and dots dropped where the provider does."""
    local, _, domain = email.strip().rpartition("@")
    domain = domain.lower().rstrip(".")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass  # the form has already refused addresses whose domain cannot be encoded
    local = local.lower().split("+", 1)[0]
    if domain in DOTLESS_DOMAINS:
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


def is_disposable(email: str) -> bool:
    """True for an address at a throwaway mail service (the community-maintained list of
    the `disposable-email-domains` package, plus DISPOSABLE_DOMAINS_EXTRA), subdomains
    included. A mandate must reach its signer for the whole procedure: after filing, the
    authority or the organisation may need to write."""
    from disposable_email_domains import blocklist

    domain = canonical_email(email).rpartition("@")[2]
    parts = domain.split(".")
    suffixes = {".".join(parts[i:]) for i in range(len(parts) - 1)}
    return any(s in blocklist or s in settings.DISPOSABLE_DOMAINS_EXTRA for s in suffixes)
