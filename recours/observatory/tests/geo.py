"""Small geographic files and places for the observatory's tests."""

from django.core.management import call_command


def square(lon: float, lat: float, size: float = 0.1) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size],
                         [lon, lat + size], [lon, lat]]],
    }  # fmt: skip


def collection(features):
    return {"type": "FeatureCollection", "features": features}


def feature(geometry, **properties):
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def import_places(folder):
    call_command(
        "import_places",
        communes=folder / "communes.geojson",
        departements=folder / "departements.geojson",
        regions=folder / "regions.geojson",
        insee=folder / "insee",
    )
