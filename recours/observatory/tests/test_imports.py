"""The place and camera imports, on small files written here and on the shipped OSM
sample; every bad file gets a clear error and changes nothing."""

import json
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection

from recours.observatory import cameras
from recours.observatory.measures import places_version, record_version
from recours.observatory.models import ImportRun, OsmCamera, Place
from recours.observatory.tests.geo import collection, feature, import_places

pytestmark = [pytest.mark.integration, pytest.mark.django_db]
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "osm-surveillance-ch-2023-sample.geojson"


def test_places_with_parents_populations_and_mergers(place_files, capsys):
    import_places(place_files)

    alpha = Place.objects.get(kind="commune", code="01001")
    beta = Place.objects.get(kind="commune", code="01002")
    assert alpha.population == 1200
    assert alpha.postcodes == "01100 01101"
    assert alpha.parent.code == "01" and alpha.parent.parent.code == "84"
    assert alpha.parent.population == alpha.parent.parent.population == 1500  # their communes'
    assert beta.merged_into == alpha  # named by INSEE as a commune déléguée
    assert Place.objects.get(code="01004").merged_into == alpha  # found by its outline
    assert Place.objects.get(code="01005").merged_into is None
    assert (alpha.min_lon, alpha.max_lon) == pytest.approx((4.9, 5.2))  # its parts together
    assert capsys.readouterr().out.splitlines() == [
        "7 places added, 0 updated, 2 communes merged into a commune nouvelle; 1 skipped",
        "  set aside: commune 01005 (Epsilon): not in the INSEE list and no merger found; "
        "kept under its old code",
    ]
    import_places(place_files)  # again: changes nothing
    assert capsys.readouterr().out.splitlines()[0] == (
        "0 places added, 0 updated, 2 communes merged into a commune nouvelle; 1 skipped"
    )
    assert Place.objects.count() == 7


def cameras_file(tmp_path, nodes, name="cameras.geojson"):
    features = [
        feature({"type": "Point", "coordinates": [lon, lat]}, osm_type="node", osm_id=osm_id,
                man_made="surveillance", **tags)
        for osm_id, lon, lat, tags in nodes
    ]  # fmt: skip
    path = tmp_path / name
    path.write_text(json.dumps(collection(features)))
    return path


def test_cameras_fall_in_their_commune_and_a_reimport_says_what_changed(
    place_files, tmp_path, capsys
):
    import_places(place_files)
    first = cameras_file(
        tmp_path,
        [
            (1, 5.05, 45.05, {"camera:direction": "NE"}),  # Alpha
            (2, 5.15, 45.05, {}),  # Beta's old outline: now Alpha
            (3, 5.35, 45.05, {"surveillance:type": "ALPR"}),  # Gamma
            (4, 9.0, 47.0, {}),  # abroad
            (4, 9.0, 47.0, {}),  # the same id twice
        ],
    )
    capsys.readouterr()
    call_command("import_osm_cameras", first)
    assert capsys.readouterr().out.splitlines() == [
        "5 surveillance nodes read: 4 added, 0 updated, 0 removed, 0 unchanged; "
        "1 outside every commune; 1 skipped",
        "  set aside: node/4: duplicate, first kept",
    ]
    alpha = Place.objects.get(code="01001")
    assert set(OsmCamera.objects.filter(commune=alpha).values_list("osm_id", flat=True)) == {1, 2}
    assert OsmCamera.objects.get(osm_id=1).directions == [45.0]
    assert OsmCamera.objects.get(osm_id=3).surveillance_type == "ALPR"

    newer = cameras_file(
        tmp_path,
        [(1, 5.05, 45.05, {"camera:direction": "S"}), (2, 5.15, 45.05, {}), (5, 5.36, 45.06, {})],
        "newer.geojson",
    )
    call_command("import_osm_cameras", newer)
    assert capsys.readouterr().out.splitlines() == [
        "3 surveillance nodes read: 1 added, 1 updated, 2 removed, 1 unchanged; "
        "0 outside every commune; 0 skipped"
    ]
    assert ImportRun.objects.filter(kind="osm-cameras").count() == 2


def test_imports_build_the_national_map_once_committed(
    place_files, django_capture_on_commit_callbacks
):
    """No visitor waits for France after an import."""
    with django_capture_on_commit_callbacks(execute=True):
        import_places(place_files)
        call_command("import_osm_cameras", SAMPLE)

    assert cache.get(f"observatory:measures:{record_version()}") is not None
    assert cache.get(f"observatory:outlines:{places_version()}") is not None


def test_osm_xml_is_read_too(tmp_path):
    path = tmp_path / "cameras.osm"
    path.write_text(
        '<?xml version="1.0"?><osm version="0.6">'
        '<node id="10" lat="45.05" lon="5.05"><tag k="man_made" v="surveillance"/>'
        '<tag k="direction" v="90-180"/></node>'
        '<node id="11" lat="45.0" lon="5.0"><tag k="amenity" v="bench"/></node>'
        "</osm>"
    )
    call_command("import_osm_cameras", path)

    camera = OsmCamera.objects.get()
    assert (camera.osm_id, camera.directions) == (10, [[90.0, 180.0]])


@pytest.fixture(params=["osmium-tool", "pyosmium"])
def pbf_reader(request, monkeypatch):
    """Both readers of PBF extracts: osmium-tool's export when installed (the fast path,
    installed by scripts/install-system-packages), pyosmium otherwise."""
    if request.param == "pyosmium":
        monkeypatch.setattr(cameras, "OSMIUM_TOOL", "no-such-osmium-tool")
    elif not shutil.which(cameras.OSMIUM_TOOL):
        pytest.skip("osmium-tool is not installed (scripts/install-system-packages)")
    return request.param


def write_pbf(path, count: int):
    import osmium

    writer = osmium.SimpleWriter(str(path))
    writer.add_node(
        osmium.osm.mutable.Node(
            id=20, location=(5.05, 45.05), version=1,
            tags={"man_made": "surveillance", "camera:direction": "W"},
        )
    )  # fmt: skip
    writer.add_node(osmium.osm.mutable.Node(id=21, location=(5.0, 45.0), version=1, tags={}))
    for osm_id in range(100, 100 + count):
        writer.add_node(osmium.osm.mutable.Node(
            id=osm_id, location=(5.0 + osm_id / 1e6, 45.0), version=1,
            tags={"man_made": "surveillance", "note": f"camera {osm_id}"},
        ))  # fmt: skip
    writer.close()


def test_pbf_is_read_too(tmp_path, pbf_reader):
    path = tmp_path / "cameras.osm.pbf"
    write_pbf(path, 0)

    call_command("import_osm_cameras", path)

    camera = OsmCamera.objects.get()
    assert (camera.osm_id, camera.directions, camera.lon) == (20, [270.0], 5.05)
    assert camera.tags == {"man_made": "surveillance", "camera:direction": "W"}


def test_a_truncated_pbf_changes_nothing(tmp_path, pbf_reader):
    path = tmp_path / "cameras.osm.pbf"
    write_pbf(path, 50_000)
    call_command("import_osm_cameras", path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    with pytest.raises(CommandError, match="not a readable PBF"):
        call_command("import_osm_cameras", path)
    assert OsmCamera.objects.count() == 50_001


def camera_indexes():
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, OsmCamera._meta.db_table)
    return sorted(tuple(c["columns"]) for c in found.values() if c["index"] and not c["unique"])


def test_a_first_import_rebuilds_the_indexes_and_a_failed_one_restores_them(tmp_path, pbf_reader):
    """A first import drops the secondary indexes while it writes (cameras.py)."""
    indexes = [("commune_id",), ("lon", "lat")]
    assert camera_indexes() == indexes
    path = tmp_path / "cameras.osm.pbf"
    write_pbf(path, 50_000)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    with pytest.raises(CommandError, match="not a readable PBF"):
        call_command("import_osm_cameras", path)
    assert camera_indexes() == indexes and not OsmCamera.objects.exists()

    call_command("import_osm_cameras", SAMPLE)
    assert camera_indexes() == indexes and OsmCamera.objects.count() == 300


def test_the_shipped_osm_sample_imports(capsys):
    call_command("import_osm_cameras", SAMPLE)

    assert "300 surveillance nodes read: 300 added" in capsys.readouterr().out
    assert OsmCamera.objects.exclude(directions=[]).count() > 50
    assert OsmCamera.objects.filter(tags__has_key="surveillance:zone").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cut.geojson", b'{"type": "FeatureCollection", "features": [{"type": "Fea', "truncated"),
        ("latin1.geojson", '{"type": "FeatureCollection", "nom": "é"}'.encode("latin-1"), "UTF-8"),
        ("empty.geojson", b'{"type": "FeatureCollection", "features": []}', "no man_made"),
        ("list.geojson", b"[1, 2]", "FeatureCollection"),
        ("cut.osm", b'<?xml version="1.0"?><osm><node id="1" lat="1" lon="1">', "truncated"),
        (
            "bomb.osm",
            b'<?xml version="1.0"?><!DOCTYPE osm [<!ENTITY a "aaaaaaaa">]><osm>&a;</osm>',
            "entities",
        ),
        ("france.osm.pbf", b"\x00\x00\x00\x0dgarbage", "not a readable PBF"),
    ],
)
def test_a_bad_file_is_refused_clearly_and_changes_nothing(tmp_path, name, content, message):
    call_command("import_osm_cameras", SAMPLE)
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        call_command("import_osm_cameras", path)
    assert OsmCamera.objects.count() == 300


def test_a_missing_file_is_refused_clearly(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_places", communes=tmp_path / "nope.geojson")
    assert not Place.objects.exists()


def test_a_camera_row_has_every_column_of_the_layer_and_no_other():
    from recours.observatory.cameras import CameraRow

    columns = {field.attname for field in OsmCamera._meta.concrete_fields} - {"id"}

    assert set(CameraRow._fields) == columns


def test_the_camera_import_help_names_every_format_it_reads():
    from recours.observatory.management.commands.import_osm_cameras import Command

    assert ".osm.pbf" in Command.help and ".osm)" in Command.help and "GeoJSON" in Command.help
