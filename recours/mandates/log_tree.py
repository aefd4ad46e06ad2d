"""The transparency log's Merkle tree (RFC 9162), from stored complete subtrees.

Appending entry p completes the subtrees that end at p: one node per level at which
p + 1 is a multiple of 2^L (half of all appends complete none, a quarter one, …), stored
in the append's transaction. The root of any tree size and the audit path of any leaf
then come from O(log n) stored hashes, as RFC 9162's recursive definition splits a range
into a complete left part (a stored node) and the rest. Leaves are the entries' hashes.
"""

from functools import lru_cache

from django.db import connection

from recours.core import statements
from recours.core.merkle import leaf_hash, node_hash, root_from_leaf_hashes, split
from recours.mandates.models import LogEntry, LogNode


def store_completed(
    *, campaign_id: int, position: int, entry_hash: str, previous_hash: str
) -> None:
    """Stores the subtrees that the entry at `position` completes (call in its transaction).
    `previous_hash` is the entry before it, which the caller has at hand: the common case
    (one node completed) then reads nothing."""
    siblings = []  # (level, index) of the left sibling at each level the entry climbs
    level, index = 0, position
    while index % 2 == 1:
        siblings.append((level, index - 1))
        level, index = level + 1, index // 2
    if not siblings:
        return
    known = {(0, position - 1): leaf_hash(bytes.fromhex(previous_hash))}
    known |= _hashes(campaign_id, siblings[1:]) if len(siblings) > 1 else {}
    current, completed = leaf_hash(bytes.fromhex(entry_hash)), []
    for level, index in siblings:
        current = node_hash(known[(level, index)], current)
        slot = LogNode.slot_of(level + 1, index // 2)
        completed.append(LogNode(campaign_id=campaign_id, slot=slot, hash=current.hex()))
    statements.insert(completed)  # half of all appends: by hand (core/statements.py)


def _hashes(campaign_id: int, places: list[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The hashes at (level, index) places: leaves from the entries, nodes from the store,
    one query each."""
    found = {}
    leaves = [index for level, index in places if level == 0]
    if leaves:
        rows = LogEntry.objects.filter(campaign_id=campaign_id, position__in=leaves)
        for position, entry_hash in rows.values_list("position", "entry_hash"):
            found[(0, position)] = leaf_hash(bytes.fromhex(entry_hash))
    slots = {LogNode.slot_of(level, index): (level, index) for level, index in places if level}
    if slots:
        for slot, value in _stored_nodes(campaign_id, list(slots)):
            found[slots[slot]] = bytes.fromhex(value)
    missing = set(places) - set(found)
    if missing:
        raise LookupError(f"the stored tree lacks {sorted(missing)[:3]}")
    return found


def _stored_nodes(campaign_id: int, slots: list[int]) -> list[tuple[int, str]]:
    """(slot, hash) of the stored nodes among `slots`, read by hand: a quarter of the
    confirmations read one or more (core/statements.py)."""
    with statements.cursor() as cursor:
        cursor.execute(_stored_nodes_sql(len(slots), connection.vendor), [campaign_id, *slots])
        return cursor.fetchall()


@lru_cache
def _stored_nodes_sql(count: int, vendor: str) -> str:
    n = LogNode
    return (
        f"SELECT {statements.columns(n, ('slot', 'hash'))} FROM {statements.table(n)} "  # noqa: S608 - our own names
        f"WHERE {statements.column(n, 'campaign_id')} = %s "
        f"AND {statements.column(n, 'slot')} IN ({', '.join(['%s'] * count)})"
    )


class StoredTree:
    """The tree over the first `size` entries of a campaign's log."""

    def __init__(self, campaign_id: int, size: int):
        self.campaign_id, self.size = campaign_id, size

    def _places_of_range(self, start: int, end: int, out: list) -> None:
        size = end - start
        if size & (size - 1) == 0:  # a complete subtree, aligned by construction
            level = size.bit_length() - 1
            out.append((level, start >> level))
            return
        k = split(size)
        self._places_of_range(start, start + k, out)
        self._places_of_range(start + k, end, out)

    def _root_of_range(self, start: int, end: int, known: dict) -> bytes:
        size = end - start
        if size & (size - 1) == 0:
            level = size.bit_length() - 1
            return known[(level, start >> level)]
        k = split(size)
        left = self._root_of_range(start, start + k, known)
        return node_hash(left, self._root_of_range(start + k, end, known))

    def _path_ranges(self, index: int) -> list[tuple[int, int]]:
        """The ranges whose roots form the audit path of leaf `index`, leaf upwards."""
        ranges, start, end = [], 0, self.size
        while end - start > 1:
            k = split(end - start)
            if index < start + k:
                ranges.append((start + k, end))
                end = start + k
            else:
                ranges.append((start, start + k))
                start = start + k
        return list(reversed(ranges))

    def root(self) -> bytes:
        if self.size == 0:
            return root_from_leaf_hashes([])  # RFC 9162's empty tree
        places = []
        self._places_of_range(0, self.size, places)
        return self._root_of_range(0, self.size, _hashes(self.campaign_id, places))

    def inclusion(self, index: int) -> tuple[bytes, list[bytes], bytes]:
        """(leaf hash, audit path, root) for the leaf at `index`."""
        ranges = self._path_ranges(index)
        places = [(0, index)]
        for start, end in ranges:
            self._places_of_range(start, end, places)
        self._places_of_range(0, self.size, places)
        known = _hashes(self.campaign_id, list(dict.fromkeys(places)))
        proof = [self._root_of_range(start, end, known) for start, end in ranges]
        return known[(0, index)], proof, self._root_of_range(0, self.size, known)


def rebuild(campaign_id: int) -> int:
    """Stores every complete subtree of a log written without them (the migration, a bulk
    load); returns the number of nodes stored. Level by level, in memory: a million
    entries take a few seconds."""
    LogNode.objects.filter(campaign_id=campaign_id).delete()
    hashes = [
        leaf_hash(bytes.fromhex(value))
        for value in LogEntry.objects.filter(campaign_id=campaign_id)
        .order_by("position")
        .values_list("entry_hash", flat=True)
        .iterator(chunk_size=10_000)
    ]
    nodes, level = [], 0
    while len(hashes) > 1:
        level += 1
        hashes = [node_hash(hashes[i], hashes[i + 1]) for i in range(0, len(hashes) - 1, 2)]
        nodes.extend(
            LogNode(campaign_id=campaign_id, slot=LogNode.slot_of(level, index), hash=value.hex())
            for index, value in enumerate(hashes)
        )
    LogNode.objects.bulk_create(nodes, batch_size=5_000)
    return len(nodes)
