"""The dossier: sealed export on the server, build and verification on an offline machine.

`build`, `verify` and `workers` run offline and import no model."""

EXPORT_FORMAT = "recours-sealed-export/1"
