from recours.core.slots import Slotted


def test_markers_are_filled_and_other_marker_like_text_is_kept():
    page = Slotted.of("<p>@@name@@ wrote @@other@@ and é @@name@@</p>")

    assert page.filled({"@@name@@": b"Ana"}) == "<p>Ana wrote @@other@@ and é Ana</p>".encode()
