import hashlib

import pytest

from recours.core.merkle import (
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_from_leaf_hashes,
    verify_inclusion,
)

pytestmark = pytest.mark.unit


def recursive_root(hashes):
    """RFC 9162's definition, word for word, to check the iterative one against."""
    if len(hashes) == 1:
        return hashes[0]
    k = 1 << ((len(hashes) - 1).bit_length() - 1)
    return node_hash(recursive_root(hashes[:k]), recursive_root(hashes[k:]))


def test_empty_tree_root_is_the_hash_of_nothing():
    assert root_from_leaf_hashes([]).hex() == hashlib.sha256(b"").hexdigest()


def test_known_vector_from_the_certificate_transparency_test_suite():
    # certificate-transparency-go merkle tests: the 8 leaves below have this root.
    leaves = [
        b"",
        b"\x00",
        b"\x10",
        b"\x20\x21",
        b"\x30\x31",
        b"\x40\x41\x42\x43",
        b"\x50\x51\x52\x53\x54\x55\x56\x57",
        b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
    ]

    root = root_from_leaf_hashes([leaf_hash(leaf) for leaf in leaves])

    assert root.hex() == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 8, 13, 64, 100])
def test_iterative_root_matches_the_recursive_definition(size):
    hashes = [leaf_hash(str(i).encode()) for i in range(size)]

    assert root_from_leaf_hashes(hashes) == recursive_root(hashes)


@pytest.mark.parametrize("size", [1, 2, 3, 6, 7, 8, 9, 31])
def test_every_inclusion_proof_verifies_and_a_wrong_leaf_does_not(size):
    hashes = [leaf_hash(str(i).encode()) for i in range(size)]
    root = root_from_leaf_hashes(hashes)

    for index in range(size):
        proof = inclusion_proof(hashes, index)
        assert verify_inclusion(hashes[index], index, size, proof, root) is True
        assert verify_inclusion(leaf_hash(b"other"), index, size, proof, root) is False
