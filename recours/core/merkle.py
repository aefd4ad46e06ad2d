"""Merkle tree hashes and inclusion proofs as RFC 9162 (Certificate Transparency 2.0)
defines them, so that any CT tool or a few lines of code elsewhere can check our proofs.
Leaves are hashed as SHA-256(0x00 || data), inner nodes as SHA-256(0x01 || left || right).
"""

import hashlib


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(size: int) -> int:
    """The largest power of two smaller than `size` (size > 1)."""
    return 1 << ((size - 1).bit_length() - 1)


def root_from_leaf_hashes(hashes: list[bytes]) -> bytes:
    """The tree head over leaf hashes, built level by level (no recursion, any size)."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    level = list(hashes)
    # Pairing left to right and carrying an odd last node up gives the same tree as the
    # RFC's recursive split on the largest power of two.
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


def inclusion_proof(hashes: list[bytes], index: int) -> list[bytes]:
    """The audit path of leaf `index` in the tree over `hashes` (RFC 9162, 2.1.3.1)."""
    if not 0 <= index < len(hashes):
        raise IndexError("leaf index outside the tree")
    if len(hashes) == 1:
        return []
    k = split(len(hashes))
    if index < k:
        return inclusion_proof(hashes[:k], index) + [root_from_leaf_hashes(hashes[k:])]
    return inclusion_proof(hashes[k:], index - k) + [root_from_leaf_hashes(hashes[:k])]


def verify_inclusion(leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162, 2.1.3.2: does `proof` put `leaf` at `index` of a tree of `size` with `root`?"""
    if index >= size:
        return False
    fn, sn, result = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    return sn == 0 and result == root
