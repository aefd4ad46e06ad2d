import pytest

from recours.core.tests.smtp import running_smtp_server


@pytest.fixture
def smtp_server():
    with running_smtp_server() as inbox:
        yield inbox
