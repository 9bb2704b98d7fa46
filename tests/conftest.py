"""Shared fixtures (plain helpers are in helpers.py). Tests marked ``realdata`` need the real Fashion-MNIST: they
skip when it is absent, except under CI (``CI`` set), where a missing dataset is a failure. Tests marked ``slow``
train on the real data or start many processes: ``make test-fast`` leaves them out."""
import os
import threading

import pytest
from helpers import Server

from gluonbook import data, datahub


@pytest.fixture(scope='session')
def real_data():
    """The real Fashion-MNIST is available (a verified copy in one of the sources)."""
    missing = [status for status in data.describe() if not status.verified]
    if missing:
        reason = f'the real Fashion-MNIST is not available ({missing[0]}); to get it: {data.FIX}'
        if os.environ.get('CI'):
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def server():
    """A local HTTP server on 127.0.0.1 (see ``helpers.Server``), stopped after the test."""
    srv = Server()
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()


@pytest.fixture
def book_cache(tmp_path, monkeypatch):
    """An empty MXNet cache for the book's larger data, no other source (the current folder's parent holds no
    ``data/``), and a short timeout."""
    monkeypatch.setenv('MXNET_HOME', str(tmp_path / 'mxnet'))
    monkeypatch.delenv('GLUONBOOK_DATA', raising=False)
    (tmp_path / 'book' / 'chapter').mkdir(parents=True)
    monkeypatch.chdir(tmp_path / 'book' / 'chapter')
    monkeypatch.setattr(datahub, 'TIMEOUT', 1)
    return tmp_path / 'mxnet' / 'datasets'
