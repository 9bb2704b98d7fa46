"""gluonbook/optimization.py: the airfoil data, the two training loops of the optimization chapter, train_2d."""
import math
import re

import matplotlib
import mxnet as mx
import numpy as np
import pytest
from mxnet import nd

import gluonbook as gb

matplotlib.use('Agg')


def sgd(params, states, hyperparams):
    for p in params:
        p[:] -= hyperparams['lr'] * p.grad


def test_get_data_ch7_is_the_first_1500_standardised_examples():
    features, labels = gb.get_data_ch7()
    assert features.shape == (1500, 5) and labels.shape == (1500,) and features.dtype == np.float32
    raw = np.genfromtxt(gb.bookdata.path('airfoil_self_noise.dat'), delimiter='\t')
    assert raw.shape == (1503, 6)
    expected = (raw - raw.mean(axis=0)) / raw.std(axis=0)
    np.testing.assert_allclose(features.asnumpy(), expected[:1500, :-1], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(labels.asnumpy(), expected[:1500, -1], rtol=1e-5, atol=1e-6)


@pytest.fixture(scope='module')
def airfoil():
    return gb.get_data_ch7()


def test_train_ch7_records_the_loss_every_100_examples_and_prints_the_last(airfoil, capsys):
    mx.random.seed(0)
    ls = gb.train_ch7(sgd, None, {'lr': 0.05}, *airfoil, batch_size=10, num_epochs=2)
    assert len(ls) == 1 + 2 * 15  # before training, then every 100 of the 1500 examples
    assert ls[0] == pytest.approx(0.5, abs=0.05)  # standardised labels, w near 0: half the variance
    assert ls[-1] == pytest.approx(0.245, abs=0.01)  # the book: loss about 0.24
    assert repr(ls) == f'<LossCurve: 31 points, from {ls[0]:.6f} to {ls[-1]:.6f}>'
    out = capsys.readouterr().out
    assert out.startswith(f'loss: {ls[-1]:f}, ') and out.rstrip().endswith('sec per epoch')


def test_train_ch7_gradient_descent_on_the_whole_set_is_one_step_per_epoch(airfoil):
    ls = gb.train_ch7(sgd, None, {'lr': 1}, *airfoil, batch_size=1500, num_epochs=6)
    assert len(ls) == 7 and all(b < a for a, b in zip(ls, ls[1:]))


def test_train_ch7_passes_states_and_hyperparameters_through(airfoil):
    seen = []

    def adam_like(params, states, hyperparams):
        seen.append((states, hyperparams['t']))
        sgd(params, states, hyperparams)
        hyperparams['t'] += 1

    hyper = {'lr': 0.01, 't': 1}
    gb.train_ch7(adam_like, 'state', hyper, *airfoil, batch_size=100, num_epochs=1)
    assert hyper['t'] == 16 and seen[0] == ('state', 1) and seen[-1] == ('state', 15)


@pytest.mark.parametrize('name, hyper, end', [('sgd', {'learning_rate': 0.05}, 0.245),
                                              ('adam', {'learning_rate': 0.01}, 0.245)])
def test_train_gluon_ch7_reaches_the_books_loss(airfoil, name, hyper, end):
    mx.random.seed(1)
    ls = gb.train_gluon_ch7(name, hyper, *airfoil)
    assert len(ls) == 31 and ls[-1] == pytest.approx(end, abs=0.015)


# What the loops computed before each step became one hybridized graph (same seeds): the same numbers.
@pytest.mark.parametrize('seed, batch_size, lr, curve', [
    (0, 10, 0.05, [0.5101209282875061, 0.24538429081439972, 0.2460898458957672]),
    (1, 1, 0.005, [0.4919717609882355, 0.24513739347457886, 0.25137290358543396])])
def test_train_ch7_gives_the_same_numbers_as_before(airfoil, seed, batch_size, lr, curve):
    mx.random.seed(seed)
    ls = gb.train_ch7(sgd, None, {'lr': lr}, *airfoil, batch_size=batch_size, num_epochs=2)
    assert [ls[0], ls[15], ls[-1]] == pytest.approx(curve, rel=1e-6)


@pytest.mark.parametrize('name, hyper, curve', [
    ('sgd', {'learning_rate': 0.05}, [0.4919717609882355, 0.24516522884368896, 0.25173187255859375]),
    ('adam', {'learning_rate': 0.01}, [0.4919717609882355, 0.2441083788871765, 0.24348795413970947])])
def test_train_gluon_ch7_gives_the_same_numbers_as_before(airfoil, name, hyper, curve):
    mx.random.seed(1)
    ls = gb.train_gluon_ch7(name, hyper, *airfoil)
    assert [ls[0], ls[15], ls[-1]] == pytest.approx(curve, rel=1e-6)


def test_train_ch7_gradients_reach_the_readers_optimizer(airfoil):
    """The parameters handed to ``trainer_fn`` carry the gradient of the batch's mean loss."""
    seen = []

    def check(params, states, hyperparams):
        w, b = params
        seen.append((w.grad.asnumpy().copy(), b.grad.asnumpy().copy(), w.asnumpy().copy(), b.asnumpy().copy()))
        sgd(params, states, hyperparams)

    features, labels = airfoil
    gb.train_ch7(check, None, {'lr': 0.01}, features[:20], labels[:20], batch_size=20, num_epochs=1)
    w_grad, b_grad, w, b = seen[0]
    X, y = features[:20].asnumpy(), labels[:20].asnumpy()
    error = X @ w + b - y[:, None]  # one batch of all 20: the order does not matter
    np.testing.assert_allclose(w_grad, X.T @ error / 20, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(b_grad, [error.mean()], rtol=1e-4, atol=1e-6)


def test_train_2d_takes_20_steps_and_prints_the_end(capsys):
    res = gb.train_2d(lambda x1, x2, s1, s2: (x1 - 0.1 * 2 * x1, x2 - 0.1 * 4 * x2, 0, 0))
    assert len(res) == 21 and res[0] == (-5, -2)
    x1, x2 = res[-1]
    assert x1 == pytest.approx(-5 * 0.8 ** 20) and x2 == pytest.approx(-2 * 0.6 ** 20)
    assert capsys.readouterr().out == 'epoch 20, x1 %f, x2 %f\n' % (x1, x2)


def test_train_2d_carries_the_state():
    res = gb.train_2d(lambda x1, x2, s1, s2: (x1 + s1, x2, s1 + 1, s2))
    assert [x1 for x1, _ in res][:4] == [-5, -5, -4, -2]


def test_show_trace_2d_draws_the_path_over_the_contours():
    gb.plt.close('all')  # like the book's helpers, it draws on the current figure
    assert gb.show_trace_2d(lambda x1, x2: x1 ** 2 + 2 * x2 ** 2, [(-5, -2), (-4, -1.2), (-3.2, -0.7)]) is None
    ax = gb.plt.gca()
    assert len(ax.lines) == 1 and list(ax.lines[0].get_xdata()) == [-5, -4, -3.2]
    assert ax.get_xlabel() == 'x1' and ax.get_ylabel() == 'x2'
    gb.plt.close('all')


def test_nothing_is_read_per_batch(airfoil, monkeypatch):
    """The loss values are read once at the end, not after every 100 examples."""
    reads = []
    original = nd.NDArray.asnumpy
    monkeypatch.setattr(nd.NDArray, 'asnumpy', lambda self: reads.append(1) or original(self))
    monkeypatch.setattr(nd.NDArray, 'asscalar', lambda self: math.nan)  # a per-batch read would show as NaN
    ls = gb.train_ch7(sgd, None, {'lr': 0.05}, *airfoil, batch_size=10, num_epochs=1)
    assert len(reads) == 1 and not any(math.isnan(v) for v in ls)


def test_train_ch7_says_early_how_long_a_long_run_takes(airfoil, capsys, monkeypatch):
    """The line a run of half a minute or more prints early in its first epoch; here every run counts as long."""
    import functools

    import gluonbook.optimization
    monkeypatch.setattr(gluonbook.optimization, 'TimeEstimate',
                        functools.partial(gb.callbacks.TimeEstimate, threshold=0))
    gb.train_ch7(sgd, None, {'lr': 0.05}, *airfoil, batch_size=10, num_epochs=2)
    lines = capsys.readouterr().out.splitlines()
    assert re.match(r'epoch 1: about \d+ s per epoch, \d+ s for 2 epochs \(measured on \d batch(es)?\)$', lines[0])
    assert lines[1].startswith('loss: ') and len(lines) == 2
