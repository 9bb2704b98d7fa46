"""Shared fixtures. Tests marked ``realdata`` need the real Fashion-MNIST: they skip when it is absent, except
under CI (``CI`` set), where a missing dataset is a failure."""
import os

import pytest

from gluonbook import data


@pytest.fixture(scope='session')
def real_data():
    """The real Fashion-MNIST is available (a verified copy in one of the sources)."""
    missing = [line for line in data.describe() if 'no verified copy' in line]
    if missing:
        reason = f'the real Fashion-MNIST is not available ({missing[0]}); to get it: {data.FIX}'
        if os.environ.get('CI'):
            pytest.fail(reason)
        pytest.skip(reason)
