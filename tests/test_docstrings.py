"""The docstring examples run as doctests, with the names a reader of the book has (``gb``, ``nd``, ``np``, ``mx``).

An example that cannot run here (it needs a download, a GPU, minutes of training) is written as an illustration:
a code block without ``>>>`` prompts, or ``# doctest: +SKIP`` on the lines that cannot run. Values are printed as
Python values (``int``, ``float``, ``.tolist()``), so the examples read the same under numpy 1 and numpy 2."""
import doctest
import importlib

import matplotlib
import mxnet as mx
import numpy as np
import pytest
from matplotlib import pyplot as plt
from mxnet import nd

import gluonbook as gb

# module: needs the real Fashion-MNIST
MODULES = {
    'basics': False,
    'bookdata': False,
    'convnets': False,
    'data': True,
    'datahub': False,
    'optimization': False,
    'plotting': True,
    'rnn': False,
    'text': False,
    'training': False,
    'vision': False,
}


@pytest.mark.parametrize('name', sorted(MODULES))
def test_the_docstring_examples_run(name, tmp_path, monkeypatch, request):
    if MODULES[name]:
        request.getfixturevalue('real_data')
    matplotlib.use('Agg')
    monkeypatch.chdir(tmp_path)  # an example that writes files writes them here
    module = importlib.import_module(f'gluonbook.{name}')
    try:
        failed, tried = doctest.testmod(module, extraglobs={'gb': gb, 'nd': nd, 'np': np, 'mx': mx},
                                        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    finally:
        plt.close('all')
    assert failed == 0, f'{failed} of the {tried} examples of gluonbook.{name} failed (the report is above)'
    assert tried >= 1, f'gluonbook.{name} has no example that runs'
