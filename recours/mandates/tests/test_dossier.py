"""The filing path: key shares, sealed export, offline dossier, verification."""

import csv
import json
import stat

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pypdf import PdfReader

from recours.campaigns.domain import published_texts
from recours.campaigns.models import Campaign
from recours.core.keyshares import (
    ShareError,
    combine_shares,
    read_share,
    split_private_key,
)
from recours.mandates import domain
from recours.mandates.dossier.build import DossierError, build_dossier
from recours.mandates.dossier.verify import verify_dossier
from recours.mandates.identity import SignerIdentity
from recours.testing import link_from, queued_mails

pytestmark = [pytest.mark.integration, pytest.mark.django_db]

SIGNERS = [
    ("Élodie", "Müller", "elodie@example.org", "3 place du Marché\n67000 Strasbourg"),
    ("Kofi", "N'Guessan", "kofi@example.org", "8 allée des Tilleuls\n31000 Toulouse"),
    ("Zoé", "Lefèvre", "zoe@example.org", "1 rue Haute\n29200 Brest"),
]


@pytest.fixture
def filed_campaign(campaign):
    """Three confirmed mandates, then the middle one withdrawn."""
    manage = []
    for given, surname, email, address in SIGNERS:
        domain.sign_mandate(
            campaign=campaign,
            identity=SignerIdentity(given, surname, email, address),
            texts=published_texts(campaign),
            language="fr",
        )
        body = queued_mails()[-1].body_text
        domain.confirm_mandate(token=link_from(body, "/confirmer/").split("/")[-2])
        manage.append(link_from(body, "/mandat/").split("/")[-2])
    domain.withdraw_mandate(token=manage[1])
    return campaign


@pytest.fixture
def shares(filed_campaign, private_key):
    return split_private_key(
        private_key,
        campaign=filed_campaign.slug,
        public_key=filed_campaign.public_key,
        threshold=2,
        count=3,
    )


@pytest.fixture
def export_file(filed_campaign, tmp_path):
    path = tmp_path / "export.json"
    call_command("export_sealed", filed_campaign.slug, "--out", str(path))
    return path


@pytest.fixture
def dossier(export_file, shares, tmp_path):
    out = tmp_path / "dossier"
    build_dossier(export_path=export_file, shares=shares[1:], out_dir=out, per_signer=True)
    return out


def pdf_text(path):
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.unit
def test_any_two_of_three_shares_rebuild_the_key(keypair):
    public, private = keypair
    parts = split_private_key(private, campaign="c", public_key=public, threshold=2, count=3)

    for pair in ([0, 1], [0, 2], [1, 2], [2, 0]):
        assert combine_shares([parts[i] for i in pair]) == private
    with pytest.raises(ShareError, match="1 distinct share"):
        combine_shares([parts[0], parts[0]])


@pytest.mark.unit
def test_one_share_of_two_reveals_nothing_of_the_key(keypair):
    public, private = keypair
    # The same key split twice: a single share differs each time, as random as the key.
    first = split_private_key(private, campaign="c", public_key=public, threshold=2, count=2)
    second = split_private_key(private, campaign="c", public_key=public, threshold=2, count=2)

    assert first[0].parts != second[0].parts
    assert all(private.encode() not in share.to_json().encode() for share in first)


@pytest.mark.unit
def test_one_of_one_is_allowed(keypair):
    public, private = keypair

    [only] = split_private_key(private, campaign="c", public_key=public, threshold=1, count=1)

    assert combine_shares([only]) == private


@pytest.mark.unit
def test_a_forged_share_is_caught(keypair):
    public, private = keypair
    parts = split_private_key(private, campaign="c", public_key=public, threshold=2, count=3)
    forged = parts[1].__class__(**{**parts[1].__dict__, "parts": (b"\x00" * 16, b"\x00" * 16)})

    with pytest.raises(ShareError, match="damaged or forged"):
        combine_shares([parts[0], forged])


def test_create_campaign_keys_writes_shares_0600(campaign, tmp_path):
    call_command("create_campaign_keys", campaign.slug, "--replace", "--shares-dir", str(tmp_path))

    files = sorted(tmp_path.glob("*.json"))
    campaign.refresh_from_db()
    assert [f.name for f in files] == [f"plainte-test-share-{i}-of-3.json" for i in (1, 2, 3)]
    assert {stat.S_IMODE(f.stat().st_mode) for f in files} == {0o600}
    key = combine_shares([read_share(files[0]), read_share(files[2])])
    assert split_private_key(
        key, campaign="x", public_key=campaign.public_key, threshold=1, count=1
    )


def test_export_holds_sealed_records_and_no_secret(export_file, filed_campaign, private_key):
    text = export_file.read_text()
    data = json.loads(text)

    assert len(data["mandates"]) == 2
    assert {version["kind"] for version in data["versions"]} == {"complaint", "mandate"}
    for needle in ("Müller", "elodie@example.org", private_key):
        assert needle not in text


def test_dossier_holds_the_confirmed_mandates_and_not_the_withdrawn(dossier):
    rows = list(csv.DictReader((dossier / "mandataires.csv").open()))
    data = json.loads((dossier / "mandataires.json").read_text())

    assert [(row["numero"], row["nom"], row["prenoms"]) for row in rows] == [
        ("1", "Müller", "Élodie"),
        ("2", "Lefèvre", "Zoé"),
    ]
    assert [row["email"] for row in data["mandataires"]] == [
        "elodie@example.org",
        "zoe@example.org",
    ]
    assert sorted(p.name for p in (dossier / "mandats").iterdir()) == [
        "mandat-000001.pdf",
        "mandat-000002.pdf",
    ]
    assert "N'Guessan" not in (dossier / "mandataires.csv").read_text()


def test_dossier_pdfs_read_back_with_metadata_and_embedded_fonts(dossier, filed_campaign):
    complaint = PdfReader(dossier / "plainte.pdf")
    annex_text = pdf_text(dossier / "mandataires.pdf")
    letter_text = pdf_text(dossier / "mandats" / "mandat-000002.pdf")

    assert complaint.metadata.title == "Plainte contre la surveillance"
    assert complaint.trailer["/Root"]["/Lang"] == "fr"
    assert "Ministère de l'Intérieur" in pdf_text(dossier / "plainte.pdf")
    assert "Association Vigie" in pdf_text(dossier / "plainte.pdf")
    assert "MÜLLER Élodie" in annex_text
    assert "3 place du Marché, 67000 Strasbourg" in annex_text
    assert "LEFÈVRE Zoé" in letter_text
    assert filed_campaign.versions.get(kind="complaint").sha256 in letter_text
    fonts = [
        font.get_object()
        for page in complaint.pages
        for font in page["/Resources"]["/Font"].values()
    ]
    descriptors = [f["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts]
    assert all({"/FontFile2", "/FontFile3"} & set(d.keys()) for d in descriptors)


def test_manifest_and_verify_dossier_agree(dossier):
    manifest = json.loads((dossier / "manifest.json").read_text())

    assert manifest["mandates"] == 2
    assert sorted(manifest["files"]) == [
        "mandataires.csv",
        "mandataires.json",
        "mandataires.pdf",
        "mandats/mandat-000001.pdf",
        "mandats/mandat-000002.pdf",
        "plainte.pdf",
    ]
    assert verify_dossier(dossier) == []


@pytest.mark.parametrize(
    "name",
    [
        "plainte.pdf",
        "mandataires.pdf",
        "mandataires.csv",
        "mandataires.json",
        "mandats/mandat-000001.pdf",
    ],
)
def test_verify_dossier_catches_one_changed_byte_in_each_file(dossier, name):
    path = dossier / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))

    problems = verify_dossier(dossier)

    assert f"{name}: content differs from the manifest (SHA-256)" in problems


def test_verify_dossier_catches_an_edited_csv_row(dossier):
    path = dossier / "mandataires.csv"
    path.write_text(path.read_text().replace("Müller", "Muller"))

    assert verify_dossier(dossier) == [
        "mandataires.csv: content differs from the manifest (SHA-256)"
    ]


def test_verify_dossier_catches_missing_and_added_files(dossier):
    (dossier / "plainte.pdf").unlink()
    (dossier / "extra.txt").write_text("x")

    assert verify_dossier(dossier) == [
        "plainte.pdf: missing",
        "extra.txt: not listed in the manifest",
    ]


def test_verify_dossier_command_exit_codes(dossier):
    call_command("verify_dossier", str(dossier))
    (dossier / "mandataires.json").write_text("{}")

    with pytest.raises(CommandError, match="mandataires.json: content differs"):
        call_command("verify_dossier", str(dossier))


def test_too_few_shares_is_one_clear_error_and_no_dossier(export_file, shares, tmp_path):
    out = tmp_path / "dossier"

    with pytest.raises(ShareError, match="1 distinct share"):
        build_dossier(export_path=export_file, shares=shares[:1], out_dir=out, per_signer=False)

    assert list(tmp_path.iterdir()) == [export_file]


def test_shares_of_another_key_are_refused(export_file, tmp_path, organisation):
    from recours.core.crypto import generate_keypair

    public, private = generate_keypair()
    foreign = split_private_key(
        private, campaign="plainte-test", public_key=public, threshold=2, count=2
    )

    with pytest.raises(ShareError, match="another key"):
        build_dossier(
            export_path=export_file, shares=foreign, out_dir=tmp_path / "d", per_signer=False
        )


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda text: text[: len(text) // 2], "truncated or damaged"),
        (lambda text: '{"format": "other"}', "is not a Recours sealed export"),
        (lambda text: "\x00\xff garbage", "truncated or damaged"),
        (
            lambda text: text.replace('"method": "email"', '"method": "sms"', 1),
            "was altered in the export",
        ),
    ],
)
def test_damaged_export_is_one_clear_error_and_no_dossier(
    export_file, shares, tmp_path, damage, message
):
    export_file.write_text(damage(export_file.read_text()))

    with pytest.raises(DossierError, match=message):
        build_dossier(
            export_path=export_file, shares=shares, out_dir=tmp_path / "d", per_signer=False
        )

    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.json"]


def test_build_dossier_command_says_what_is_wrong(export_file, tmp_path):
    with pytest.raises(CommandError, match="cannot read the share"):
        call_command(
            "build_dossier",
            str(export_file),
            "--share",
            str(tmp_path / "nope"),
            "--out",
            str(tmp_path / "d"),
        )


def test_existing_output_directory_is_never_overwritten(export_file, shares, tmp_path):
    (tmp_path / "d").mkdir()

    with pytest.raises(DossierError, match="already exists"):
        build_dossier(
            export_path=export_file, shares=shares, out_dir=tmp_path / "d", per_signer=False
        )


def test_campaign_closed_then_filed_still_exports(filed_campaign, tmp_path):
    Campaign.objects.filter(pk=filed_campaign.pk).update(status="filed")

    call_command("export_sealed", filed_campaign.slug, "--out", str(tmp_path / "e.json"))

    assert len(json.loads((tmp_path / "e.json").read_text())["mandates"]) == 2


def test_key_rotation_reseals_from_an_export_and_the_dossier_still_builds(
    filed_campaign, shares, tmp_path
):
    old_export = tmp_path / "old.json"
    call_command("export_sealed", filed_campaign.slug, "--out", str(old_export))
    new_dir = tmp_path / "new-shares"
    call_command(
        "create_campaign_keys", filed_campaign.slug, "--replace", "--shares-dir", str(new_dir)
    )
    filed_campaign.refresh_from_db()
    new_shares = [read_share(path) for path in sorted(new_dir.iterdir())]
    export_before = tmp_path / "before.json"
    call_command("export_sealed", filed_campaign.slug, "--out", str(export_before))

    with pytest.raises(DossierError, match="2 mandate\\(s\\) are sealed to an older campaign key"):
        build_dossier(
            export_path=export_before, shares=new_shares, out_dir=tmp_path / "x", per_signer=False
        )

    resealed = tmp_path / "resealed.json"
    call_command(
        "reseal_export",
        str(old_export),
        "--old-share",
        _share_file(tmp_path, shares[0]),
        "--old-share",
        _share_file(tmp_path, shares[2]),
        "--new-public-key",
        filed_campaign.public_key,
        "--out",
        str(resealed),
    )
    call_command("import_resealed", str(resealed))
    export_after = tmp_path / "after.json"
    call_command("export_sealed", filed_campaign.slug, "--out", str(export_after))
    build_dossier(
        export_path=export_after, shares=new_shares[:2], out_dir=tmp_path / "d", per_signer=False
    )

    rows = list(csv.DictReader((tmp_path / "d" / "mandataires.csv").open()))
    assert [row["nom"] for row in rows] == ["Müller", "Lefèvre"]
    assert verify_dossier(tmp_path / "d") == []


def _share_file(folder, share):
    path = folder / f"old-share-{share.index}.json"
    path.write_text(share.to_json())
    return str(path)


def test_per_signer_letters_rendered_on_several_cores_are_all_there(
    export_file, shares, tmp_path, monkeypatch
):
    from recours.mandates.dossier import build

    monkeypatch.setattr(build, "LETTER_CHUNK", 1)  # two chunks: the pool path
    build_dossier(export_path=export_file, shares=shares, out_dir=tmp_path / "d", per_signer=True)

    letters = sorted((tmp_path / "d" / "mandats").iterdir())
    assert [p.name for p in letters] == ["mandat-000001.pdf", "mandat-000002.pdf"]
    assert "MÜLLER Élodie" in pdf_text(letters[0])
    assert PdfReader(letters[1]).metadata.title == "Mandat n° 2"


def test_build_dossier_runs_offline_without_database_or_server_secrets(
    export_file, shares, tmp_path
):
    import os
    import subprocess
    import sys
    from pathlib import Path

    share_args = []
    for share in shares[:2]:
        share_args += ["--share", _share_file(tmp_path, share)]
    env = {
        "PATH": os.environ["PATH"],
        # Unreachable on purpose: the command must never open a connection.
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "RECOURS_MODE": "offline",
    }

    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "build_dossier",
            str(export_file),
            *share_args,
            "--out",
            str(tmp_path / "offline"),
        ],
        cwd=Path(__file__).resolve().parents[3],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert verify_dossier(tmp_path / "offline") == []


def test_build_dossier_command_error_is_one_line_and_exit_code_1(export_file, tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    export_file.write_text("{ truncated")
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "build_dossier",
            str(export_file),
            "--share",
            str(tmp_path / "missing.json"),
            "--out",
            str(tmp_path / "x"),
        ],
        cwd=Path(__file__).resolve().parents[3],
        env={"PATH": os.environ["PATH"], "RECOURS_MODE": "offline"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        result.stderr.strip()
        == f"CommandError: cannot read the share {tmp_path / 'missing.json'}: No such file or directory"
    )


@pytest.fixture
def paper_export(filed_campaign, tmp_path):
    """Besides the two online mandates left: Zoé Lefèvre again, on paper without an
    e-mail (one person, twice), and Jeanne Martin on paper with a two-page PDF scan."""
    from recours.mandates import paper
    from recours.mandates.tests.test_paper import scan_pdf, scan_png

    texts = paper.texts_in_force(filed_campaign)[0]
    today = timezone.localdate()
    for identity, scan in [
        (SignerIdentity("Zoe", "LEFEVRE", "", "1, rue Haute\n29200 BREST"), scan_png()),
        (SignerIdentity("Jeanne", "Martin", "", "4 rue du Port\n56100 Lorient"), scan_pdf(2)),
    ]:
        paper.record_paper_mandate(
            campaign=filed_campaign,
            identity=identity,
            texts=texts,
            signed_on=today,
            scan=scan,
            language="fr",
        )
    path = tmp_path / "export.json"
    call_command("export_sealed", filed_campaign.slug, "--out", str(path))
    return path


def test_paper_mandates_reach_the_dossier_with_their_scans(paper_export, shares, tmp_path):
    out = tmp_path / "dossier"
    build_dossier(export_path=paper_export, shares=shares[:2], out_dir=out, per_signer=True)

    rows = list(csv.DictReader((out / "mandataires.csv").open()))
    assert [(row["nom"], row["support"]) for row in rows] == [
        ("Müller", "en ligne"),
        ("Lefèvre", "en ligne"),
        ("LEFEVRE", "papier"),
        ("Martin", "papier"),
    ]
    assert rows[3]["methode"] == "paper"
    assert rows[3]["signe_le"] == timezone.localdate().isoformat()
    assert rows[0]["empreinte_scan"] == "" and len(rows[3]["empreinte_scan"]) == 64
    listed = json.loads((out / "mandataires.json").read_text())["mandataires"]
    assert [row["support"] for row in listed] == ["en ligne", "en ligne", "papier", "papier"]
    assert "papier, saisi le" in pdf_text(out / "mandataires.pdf")

    online, png, two_pages = (PdfReader(out / "mandats" / f"mandat-{n:06d}.pdf") for n in (1, 3, 4))
    assert (len(online.pages), len(png.pages), len(two_pages.pages)) == (1, 2, 3)
    assert "signé sur papier le" in png.pages[0].extract_text()
    assert "signé sur papier" not in online.pages[0].extract_text()
    assert not (out / ".scans").exists()
    assert verify_dossier(out) == []


def test_likely_duplicates_are_listed_beside_the_dossier_for_review(paper_export, shares, tmp_path):
    out = tmp_path / "dossier"
    call_command(
        "build_dossier",
        str(paper_export),
        "--share", _share_file(tmp_path, shares[0]),
        "--share", _share_file(tmp_path, shares[1]),
        "--out", str(out),
    )  # fmt: skip
    review = tmp_path / "dossier-doublons-a-verifier.csv"
    rows = list(csv.DictReader(review.open()))
    assert [(row["groupe"], row["nom"], row["support"]) for row in rows] == [
        ("1", "Lefèvre", "en ligne"),
        ("1", "LEFEVRE", "papier"),
    ]
    assert stat.S_IMODE(review.stat().st_mode) == 0o600
    assert "doublons-a-verifier" not in json.dumps(json.loads((out / "manifest.json").read_text()))

    # The organisers strike out the paper duplicate by its ref and build again.
    call_command(
        "invalidate_signatures", "plainte-test", "--ref", rows[1]["ref"], "--by", "orga"
    )  # fmt: skip
    again = tmp_path / "again.json"
    call_command("export_sealed", "plainte-test", "--out", str(again))
    build_dossier(export_path=again, shares=shares[:2], out_dir=tmp_path / "d2", per_signer=False)
    assert not (tmp_path / "d2-doublons-a-verifier.csv").exists()


def test_a_swapped_scan_stops_the_dossier(paper_export, shares, tmp_path):
    export = json.loads(paper_export.read_text())
    export["mandates"][2]["sealed_scan"] = export["mandates"][3]["sealed_scan"]
    paper_export.write_text(json.dumps(export))
    out = tmp_path / "dossier"
    with pytest.raises(DossierError, match="scan of mandate 3 .* altered"):
        build_dossier(export_path=paper_export, shares=shares[:2], out_dir=out, per_signer=True)
    assert not out.exists()


def test_key_rotation_reseals_the_scans_too(paper_export, filed_campaign, shares, tmp_path):
    new_dir = tmp_path / "new-shares"
    call_command(
        "create_campaign_keys", filed_campaign.slug, "--replace", "--shares-dir", str(new_dir)
    )
    filed_campaign.refresh_from_db()
    resealed = tmp_path / "resealed.json"
    call_command(
        "reseal_export",
        str(paper_export),
        "--old-share", _share_file(tmp_path, shares[0]),
        "--old-share", _share_file(tmp_path, shares[2]),
        "--new-public-key", filed_campaign.public_key,
        "--out", str(resealed),
    )  # fmt: skip
    call_command("import_resealed", str(resealed))
    after = tmp_path / "after.json"
    call_command("export_sealed", filed_campaign.slug, "--out", str(after))
    new_shares = [read_share(path) for path in sorted(new_dir.iterdir())]
    out = tmp_path / "d"
    build_dossier(export_path=after, shares=new_shares[:2], out_dir=out, per_signer=True)
    assert len(PdfReader(out / "mandats" / "mandat-000004.pdf").pages) == 3
