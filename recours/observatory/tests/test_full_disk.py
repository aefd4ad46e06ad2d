import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recours.core.tests.disks import small_disk
from recours.observatory.models import Lead
from recours.observatory.tests.test_leads import post_lead

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def test_a_lead_upload_on_a_full_disk_answers_503_and_leaves_nothing(
    client, record, settings, tmp_path
):
    document = b"%PDF-1.4\n" + bytes(300 * 1024) + b"\n%%EOF\n"
    with small_disk(tmp_path / "media", "128k") as media:
        settings.MEDIA_ROOT = media

        response = post_lead(client, attachment=SimpleUploadedFile("arrete.pdf", document))

        left = [path for path in media.rglob("*") if path.is_file()]
    assert response.status_code == 503
    assert response["Retry-After"] == "600"
    assert "Rien n'a été enregistré" in response.content.decode()
    assert left == []
    assert Lead.objects.count() == 0
