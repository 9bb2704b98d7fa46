"""The optimization chapter's helpers: get_data_ch7, train_ch7, train_gluon_ch7, train_2d, show_trace_2d.

The chapter compares optimizers on one linear-regression problem (NASA's airfoil self-noise data) and on
two-variable quadratic functions. The training loops record the loss on the whole data set every 100 examples;
those losses stay on the device and are read once at the end, and the mini-batches are slices of a once-shuffled
copy of the data (gluonbook 0.8.10 read each loss as it went, and assembled each batch example by example with a
``DataLoader``, which is what made its runs slow). Each step's model and loss run as one hybridized graph (a
``CachedOp``: one call forward, one backward, instead of an operator call each), with the same operators, so the
numbers are the same to the last bit; the engine runs the small operators in groups (``mx.engine.bulk``). What is
printed and plotted is the book's.
"""
import math
import time

import mxnet as mx
import numpy as np
from mxnet import autograd, gluon, init, nd
from mxnet.gluon import loss as gloss
from mxnet.gluon import nn

from . import bookdata
from .basics import linreg, squared_loss
from .callbacks import TimeEstimate

BULK_SIZE = 128  # operators the engine runs as one group (mx.engine.bulk): 1.2x to 1.5x on batches of one


class LossCurve(list):
    """The losses a run of :func:`train_ch7` or :func:`train_gluon_ch7` recorded (a list of floats), shown briefly
    so that a notebook cell ending with the call displays one line, not every value."""

    def __repr__(self):
        return f'<LossCurve: {len(self)} points, from {self[0]:.6f} to {self[-1]:.6f}>' if self else '<LossCurve>'


def get_data_ch7():
    """The airfoil self-noise data, standardised, as the optimization chapter uses it.

    Returns:
        (features, labels): ``features`` a float32 NDArray of shape ``(1500, 5)``, ``labels`` float32 ``(1500,)``:
        the first 1500 of the 1503 examples (as the book's text says), each of the six columns standardised to
        mean 0 and standard deviation 1 over all 1503 rows, the last column (sound pressure) as label.

    Example::

        >>> features, labels = gb.get_data_ch7()
        >>> features.shape, labels.shape
        ((1500, 5), (1500,))
    """
    data = np.genfromtxt(bookdata.path('airfoil_self_noise.dat'), delimiter='\t')
    data = (data - data.mean(axis=0)) / data.std(axis=0)
    return nd.array(data[:1500, :-1]), nd.array(data[:1500, -1])


def _batches(features, labels, batch_size):
    """Mini-batches ``(X, y)`` in a new random order (MXNet's generator): slices of one shuffled copy."""
    order = nd.random.shuffle(nd.arange(len(features), ctx=features.context))
    X_all, y_all = features.take(order), labels.take(order)
    for i in range(0, len(features), batch_size):
        yield X_all[i:i + batch_size], y_all[i:i + batch_size]


def _run(step, eval_loss, features, labels, batch_size, num_epochs):
    """The loop both trainers share: ``step(X, y)`` per batch, ``eval_loss()`` at the start and every 100
    examples. Returns the recorded losses (floats) and the seconds of the last epoch."""
    ls = [eval_loss()]
    seconds = 0.0
    estimate = TimeEstimate()  # a line, early in the first epoch, when the run will take half a minute or more
    estimate.start(math.ceil(len(features) / batch_size), num_epochs)
    for _ in range(num_epochs):
        start = time.time()
        with mx.engine.bulk(BULK_SIZE):  # MXNet's engine takes the small operators in groups: the same results
            for batch_i, (X, y) in enumerate(_batches(features, labels, batch_size)):
                step(X, y)
                estimate.batch_done()
                if (batch_i + 1) * batch_size % 100 == 0:
                    ls.append(eval_loss())
                    ls[-2].wait_to_read()  # let MXNet's engine run at most 100 examples ahead of Python
        ls[-1].wait_to_read()
        seconds = time.time() - start
    return LossCurve(nd.concat(*ls, dim=0).asnumpy().tolist()), seconds


def _report(ls, seconds, num_epochs):
    print('loss: %f, %f sec per epoch' % (ls[-1], seconds))
    from .plotting import plt, set_figsize
    set_figsize()
    plt.plot(np.linspace(0, num_epochs, len(ls)), ls)
    plt.xlabel('epoch')
    plt.ylabel('loss')


class _LinregLoss(gluon.HybridBlock):
    """``squared_loss(linreg(X, w, b), y).mean()`` as one graph (the same operators): ``w`` and ``b`` are inputs,
    so their gradients are attached to them as when the two functions run one operator at a time."""

    def hybrid_forward(self, F, X, y, w, b):
        y_hat = F.broadcast_add(F.dot(X, w), b)
        return F.mean((y_hat - F.reshape_like(y, y_hat)) ** 2 / 2)


class _NetLoss(gluon.HybridBlock):
    """``loss(net(X), y)`` as one graph."""

    def __init__(self, net, loss, **kwargs):
        super().__init__(**kwargs)
        self.net, self.loss = net, loss

    def hybrid_forward(self, F, X, y):
        return self.loss(self.net(X), y)


def train_ch7(trainer_fn, states, hyperparams, features, labels, batch_size=10, num_epochs=2):
    """Train linear regression (from scratch) with an optimizer written as a function; print and plot its loss.

    Args:
        trainer_fn: ``trainer_fn([w, b], states, hyperparams)`` updates the parameters in place from their
            ``.grad`` (the gradient of the *mean* loss of the batch), e.g. the chapter's ``sgd_momentum``.
        states: the optimizer's state, passed through to ``trainer_fn`` (``None`` for plain SGD).
        hyperparams: a dict passed through to ``trainer_fn`` (``{'lr': 0.05}``; it may change it, as Adam's
            ``'t'``).
        features, labels: NDArrays ``(n, d)`` and ``(n,)``, e.g. from :func:`get_data_ch7`.
        batch_size, num_epochs: mini-batch size and number of passes over the data.

    Returns:
        LossCurve (a list of float): the mean squared loss (halved) over all the data before training and after
        every 100 examples (the curve that is plotted). Prints ``loss: L, S sec per epoch`` (the last value, and
        the time of the last epoch) and plots the curve against epochs.

    Example::

        >>> def sgd(params, states, hyperparams):
        ...     for p in params:
        ...         p[:] -= hyperparams['lr'] * p.grad
        >>> features, labels = gb.get_data_ch7()
        >>> ls = gb.train_ch7(sgd, None, {'lr': 0.05}, features, labels, 10)
        loss: 0.2..., ... sec per epoch
        >>> len(ls), round(ls[0], 1), ls[-1] < 0.26   # 2 epochs of 15 points after the first; 0.5 before training
        (31, 0.5, True)
    """
    w = nd.random.normal(scale=0.01, shape=(features.shape[1], 1), ctx=features.context)
    b = nd.zeros(1, ctx=features.context)
    w.attach_grad()
    b.attach_grad()

    def eval_loss():
        return squared_loss(linreg(features, w, b), labels).mean()

    step_loss = _LinregLoss()
    step_loss.hybridize(static_alloc=True)

    def step(X, y):
        with autograd.record():
            l = step_loss(X, y, w, b)
        l.backward()
        trainer_fn([w, b], states, hyperparams)

    ls, seconds = _run(step, eval_loss, features, labels, batch_size, num_epochs)
    _report(ls, seconds, num_epochs)
    return ls


def train_gluon_ch7(trainer_name, trainer_hyperparams, features, labels, batch_size=10, num_epochs=2):
    """Train linear regression (``nn.Dense(1)``, ``L2Loss``) with one of Gluon's optimizers; print and plot.

    Args:
        trainer_name: the optimizer's name for ``gluon.Trainer``: ``'sgd'``, ``'adagrad'``, ``'rmsprop'``,
            ``'adadelta'``, ``'adam'``, ...
        trainer_hyperparams: its options, e.g. ``{'learning_rate': 0.004, 'momentum': 0.9}``.
        features, labels, batch_size, num_epochs: as for :func:`train_ch7`.

    Returns:
        LossCurve: the loss curve, as :func:`train_ch7`; prints and plots the same way.

    Example::

        >>> ls = gb.train_gluon_ch7('adam', {'learning_rate': 0.01}, *gb.get_data_ch7())
        loss: 0.2..., ... sec per epoch
        >>> len(ls), round(ls[0], 1), ls[-1] < 0.26
        (31, 0.5, True)
    """
    net = nn.HybridSequential()
    net.add(nn.Dense(1))
    net.initialize(init.Normal(sigma=0.01), ctx=features.context)
    loss = gloss.L2Loss()
    trainer = gluon.Trainer(net.collect_params(), trainer_name, trainer_hyperparams)
    step_loss = _NetLoss(net, loss)
    step_loss.hybridize(static_alloc=True)

    def eval_loss():
        return loss(net(features), labels).mean()

    def step(X, y):
        with autograd.record():
            l = step_loss(X, y)
        l.backward()
        trainer.step(batch_size)

    ls, seconds = _run(step, eval_loss, features, labels, batch_size, num_epochs)
    _report(ls, seconds, num_epochs)
    return ls


def train_2d(trainer):
    """Run 20 steps of a two-variable optimizer from ``(x1, x2) = (-5, -2)``; print the end point.

    Args:
        trainer: ``trainer(x1, x2, s1, s2) -> (x1, x2, s1, s2)``, one step; ``s1, s2`` are its state (they start
            at 0), e.g. the chapter's ``gd_2d`` or ``momentum_2d``.

    Returns:
        list of (x1, x2): the 21 points visited, the start included. Prints ``epoch 20, x1 X, x2 Y``.

    Example::

        >>> res = gb.train_2d(lambda x1, x2, s1, s2: (x1 - 0.2 * x1, x2 - 0.4 * x2, 0, 0))
        epoch 20, x1 -0.057646, x2 -0.000073
    """
    x1, x2 = -5, -2
    s1, s2 = 0, 0
    res = [(x1, x2)]
    num_steps = 20
    for _ in range(num_steps):
        x1, x2, s1, s2 = trainer(x1, x2, s1, s2)
        res.append((x1, x2))
    print('epoch %d, x1 %f, x2 %f' % (num_steps, x1, x2))
    return res


def show_trace_2d(f, res):
    """Plot the points ``res`` of :func:`train_2d` over the contour lines of ``f(x1, x2)``, on the current figure.

    ``f`` must accept numpy arrays (it is evaluated on a grid: x1 in [-5.5, 1), x2 from -3 (or below the lowest
    point) to 1 (or above the highest)).

    Example (gradient descent on ``x1 ** 2 + 2 * x2 ** 2``, learning rate 0.1, as the chapter starts)::

        >>> res = gb.train_2d(lambda x1, x2, s1, s2: (x1 - 0.2 * x1, x2 - 0.4 * x2, 0, 0))
        epoch 20, x1 -0.057646, x2 -0.000073
        >>> gb.show_trace_2d(lambda x1, x2: x1 ** 2 + 2 * x2 ** 2, res)
    """
    from .plotting import plt, set_figsize
    x1, x2 = zip(*res)
    set_figsize()
    plt.plot(x1, x2, '-o', color='#ff7f0e')
    x1 = np.arange(-5.5, 1.0, 0.1)
    x2 = np.arange(min(-3.0, min(x2) - 1), max(1.0, max(x2) + 1), 0.1)
    x1, x2 = np.meshgrid(x1, x2)
    plt.contour(x1, x2, f(x1, x2), colors='#1f77b4')
    plt.xlabel('x1')
    plt.ylabel('x2')
