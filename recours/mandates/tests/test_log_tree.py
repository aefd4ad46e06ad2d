"""The stored tree answers as the RFC 9162 definition over every entry does."""

import pytest
from django.core.cache import cache

from recours.core.merkle import inclusion_proof, leaf_hash, root_from_leaf_hashes, verify_inclusion
from recours.mandates import transparency
from recours.mandates.log_tree import StoredTree, rebuild
from recours.mandates.models import LogEntry, LogNode

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def append(campaign, count: int) -> list[bytes]:
    for n in range(count):
        transparency.append_entry(campaign_id=campaign.pk, kind="add", commitment=f"{n:064x}")
    hashes = LogEntry.objects.filter(campaign=campaign).values_list("entry_hash", flat=True)
    return [leaf_hash(bytes.fromhex(value)) for value in hashes.order_by("position")]


def test_roots_and_proofs_equal_the_definition_at_every_size_and_leaf(campaign):
    leaves = append(campaign, 37)

    for size in range(1, 38):
        tree = StoredTree(campaign.pk, size)
        expected_root = root_from_leaf_hashes(leaves[:size])
        assert tree.root() == expected_root
        for index in range(size):
            leaf, proof, root = tree.inclusion(index)
            assert (leaf, proof, root) == (
                leaves[index],
                inclusion_proof(leaves[:size], index),
                expected_root,
            )
            assert verify_inclusion(leaf, index, size, proof, root)


def test_rebuilding_stores_the_same_nodes_as_appending(campaign):
    append(campaign, 37)
    appended = set(LogNode.objects.values_list("slot", "hash"))

    stored = rebuild(campaign.pk)

    assert set(LogNode.objects.values_list("slot", "hash")) == appended
    assert stored == len(appended) == 18 + 9 + 4 + 2 + 1


@pytest.mark.parametrize("size", [3, 300])
def test_a_receipt_check_and_the_head_read_the_same_few_rows_at_any_size(
    campaign, size, django_assert_max_num_queries
):
    append(campaign, size)
    cache.clear()
    commitment = LogEntry.objects.get(campaign=campaign, position=1).commitment

    # At most: entry, size, removal, then leaves and nodes (one query each, when needed).
    with django_assert_max_num_queries(5):
        check = transparency.check_receipt(campaign.pk, commitment=commitment, position=1)
    with django_assert_max_num_queries(4):  # last entry, removals, leaves, nodes
        head = transparency.log_head(campaign.pk)

    assert check.found and check.root == head.root
    assert (head.size, head.count) == (size, size)


def test_missing_nodes_are_stored_again_when_read(campaign):
    """Entries an older release appended while the upgrade ran have no nodes."""
    leaves = append(campaign, 9)
    LogNode.objects.filter(slot=LogNode.slot_of(3, 0)).delete()  # the root of 8 of the 9 leaves
    cache.clear()

    head = transparency.log_head(campaign.pk)

    assert head.root == root_from_leaf_hashes(leaves).hex()
    assert LogNode.objects.filter(slot=LogNode.slot_of(3, 0)).exists()
