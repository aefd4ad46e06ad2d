import pytest

from recours.mandates.tests.smtp import running_smtp_server


@pytest.fixture
def smtp_server():
    with running_smtp_server() as inbox:
        yield inbox
