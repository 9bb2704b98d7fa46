"""Shared fixtures (plain helpers are in helpers.py). Tests marked ``realdata`` need the real Fashion-MNIST: they
skip when it is absent, except under CI (``CI`` set), where a missing dataset is a failure. Tests marked ``slow``
train on the real data or start many processes: ``make test-fast`` leaves them out."""
import os

import pytest

from gluonbook import data


@pytest.fixture(scope='session')
def real_data():
    """The real Fashion-MNIST is available (a verified copy in one of the sources)."""
    missing = [status for status in data.describe() if not status.verified]
    if missing:
        reason = f'the real Fashion-MNIST is not available ({missing[0]}); to get it: {data.FIX}'
        if os.environ.get('CI'):
            pytest.fail(reason)
        pytest.skip(reason)
