"""The compatibility promise: the book's chapter-3 programs (tests/book/) run unmodified, with the book's results."""
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from helpers import epoch_lines

BOOK = Path(__file__).parent / 'book'


def run(name, tmp_path):
    """Run one program as a reader would, headless; returns what it printed."""
    env = {**os.environ, 'MPLBACKEND': 'Agg'}
    done = subprocess.run([sys.executable, str(BOOK / f'{name}.py')], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def numbers(text):
    return [float(x) for x in re.findall(r'-?\d+\.\d+(?:e[-+]?\d+)?', text)]


def test_every_program_is_tested():
    assert sorted(p.stem for p in BOOK.glob('*.py')) == sorted(
        ['linear_regression_scratch', 'linear_regression_gluon', 'softmax_regression_scratch',
         'softmax_regression_gluon', 'mlp_scratch', 'mlp_gluon', 'dropout', 'weight_decay', 'underfit_overfit'])


@pytest.mark.parametrize('name', ['linear_regression_scratch', 'linear_regression_gluon'])
def test_linear_regression_recovers_the_true_parameters(name, tmp_path):
    out = run(name, tmp_path)
    w_line, b_line = out[out.index('[2, -3.4]'):].split('<NDArray')[0], out[out.rindex('4.2 '):]
    np.testing.assert_allclose(numbers(w_line)[-2:], [2, -3.4], atol=0.05)
    assert numbers(b_line)[1] == pytest.approx(4.2, abs=0.05)
    assert float(re.findall(r'epoch 3, loss:? ([\d.]+)', out)[0]) < 1e-3


@pytest.mark.slow
@pytest.mark.realdata
@pytest.mark.parametrize('name, epochs, at_least', [
    ('softmax_regression_scratch', 5, 0.82), ('softmax_regression_gluon', 5, 0.82),
    ('mlp_scratch', 5, 0.85), ('mlp_gluon', 5, 0.85)])
def test_classifiers_reach_the_books_accuracy(real_data, tmp_path, name, epochs, at_least):
    lines = epoch_lines(run(name, tmp_path))
    assert [line.epoch for line in lines] == list(range(1, epochs + 1))
    assert lines[-1].test_acc >= at_least
    assert lines[-1].loss < lines[0].loss  # the loss went down


@pytest.mark.slow
@pytest.mark.realdata
def test_dropout_from_scratch_and_with_gluon(real_data, tmp_path):
    out = run('dropout', tmp_path)
    lines = epoch_lines(out)
    assert len(lines) == 10
    assert lines[4].test_acc >= 0.80 and lines[9].test_acc >= 0.80
    assert '[[ 0.  1.  2.  3.  4.  5.  6.  7.]' in out  # dropout(X, 0) keeps X


@pytest.mark.slow
def test_weight_decay_shrinks_the_weights(tmp_path):
    norms = [float(x) for x in re.findall(r'L2 norm of w: ([\d.e+-]+)', run('weight_decay', tmp_path))]
    assert len(norms) == 4
    scratch, scratch_wd, gluon, gluon_wd = norms
    assert scratch > 5 and scratch_wd < scratch / 50
    assert gluon > 5 and gluon_wd < gluon / 50


@pytest.mark.slow
def test_the_third_order_polynomial_fit_recovers_the_coefficients(tmp_path):
    out = run('underfit_overfit', tmp_path)
    weights = re.findall(r'weight: \[\[([^\]]+)\]\]\s*\nbias: \[([^\]]+)\]', out)
    assert len(weights) == 3
    # 100 epochs at lr 0.01 on 100 noisy examples: close to, not at, the true values (the book shows 1.22 -3.40 5.60)
    np.testing.assert_allclose([float(x) for x in weights[0][0].split()], [1.2, -3.4, 5.6], atol=0.2)
    assert float(weights[0][1]) == pytest.approx(5, abs=0.2)
    losses = [tuple(map(float, m)) for m in re.findall(r'train loss ([\d.]+) test loss ([\d.]+)', out)]
    assert losses[0][1] < 0.1 < losses[1][1]  # the linear fit underfits
    assert losses[2][0] < losses[2][1] / 10  # two examples: overfitting
