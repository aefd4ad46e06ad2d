"""Each actor's RSA key pair: what Mastodon and its peers verify (rsa-sha256). The private
half is stored encrypted at rest with DATA_KEY, like the outbox, and is rotated with it
(`rotate_data_key`); it is never the campaign's sealing key, which the server never has."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from recours.core import at_rest

PURPOSE = "federation-key"


def new_key_pair() -> tuple[str, bytes]:
    """(public key PEM, private key PEM encrypted at rest)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return public_pem.decode(), at_rest.encrypt(private_pem, purpose=PURPOSE)


def private_key(sealed: bytes) -> rsa.RSAPrivateKey:
    return serialization.load_pem_private_key(
        at_rest.decrypt(bytes(sealed), purpose=PURPOSE), password=None
    )
