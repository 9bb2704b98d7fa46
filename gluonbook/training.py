"""The book's training helpers: sgd, accuracy, evaluate_accuracy, train_ch3, train_ch5, train.

The three trainers share one loop: :func:`train_epoch` runs the batches of an epoch (each split over the
contexts, where there are several) and :func:`fit` runs the epochs around it: the book's line per epoch, a
diverged loss stopped, Ctrl-C answered with the history so far, a :class:`Checkpoint` saved and resumed from.
Running sums stay on the device and are read once per epoch: reading a value (``asscalar``) after every batch
would make Python wait for MXNet's engine at every step.
"""
import collections
import io
import json
import math
import os
import sys
import tempfile
import time

import mxnet as mx
import numpy as np
from mxnet import autograd, gluon, nd

from .devices import as_context_list


class Lookahead:
    """Lets Python queue at most ``depth`` batches ahead of MXNet's engine.

    MXNet runs operators asynchronously, so a loop that never waits queues a whole epoch of work, with the memory
    each queued batch holds (measured: peak RSS 465 MB instead of 300 MB, and slower). Waiting for the batch
    ``depth`` steps back keeps the engine busy while bounding that memory; the current batch is never waited for."""

    def __init__(self, depth=4):
        self.depth, self.queued = depth, collections.deque()

    def push(self, result):
        self.queued.append(result)
        if len(self.queued) > self.depth:
            self.queued.popleft().wait_to_read()


class History:
    """What a training run measured, one entry per finished epoch."""

    def __init__(self):
        self.loss, self.train_acc, self.test_acc, self.seconds = [], [], [], []

    def append(self, loss, train_acc, test_acc, seconds):
        for values, value in zip((self.loss, self.train_acc, self.test_acc, self.seconds),
                                 (loss, train_acc, test_acc, seconds)):
            values.append(float(value))  # a Python float: numpy 2's float32 scalars are not JSON

    def __len__(self):
        return len(self.loss)

    def to_dict(self):
        return {'loss': self.loss, 'train_acc': self.train_acc, 'test_acc': self.test_acc, 'seconds': self.seconds}

    def __repr__(self):
        if not self:
            return '<History: no finished epoch>'
        return (f'<History: {len(self)} epochs, loss {self.loss[-1]:.4f}, train acc {self.train_acc[-1]:.3f}, '
                f'test acc {self.test_acc[-1]:.3f}, {sum(self.seconds):.1f} sec>')


def linreg(X, w, b):
    """The linear regression model."""
    return nd.dot(X, w) + b


def squared_loss(y_hat, y):
    """Squared loss, halved."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """Mini-batch stochastic gradient descent: ``param -= lr * grad / batch_size``, in place."""
    for param in params:
        param -= lr / batch_size * param.grad  # one multiply and one in-place subtraction per parameter



def accuracy(y_hat, y):
    """The fraction of labels ``y`` equal to the predictions ``y_hat.argmax(axis=1)``; every element of ``y``
    counts, so per-pixel labels ``(b, h, w)`` against scores ``(b, classes, h, w)`` give the pixel accuracy."""
    return _correct(y_hat, y).asscalar() / y.size


def _correct(y_hat, y):
    """How many predictions are right, as a one-element NDArray on ``y_hat``'s device (not read)."""
    return (y_hat.argmax(axis=1) == y.astype('float32', copy=False)).sum()


class _Sums:
    """Running sums kept on each device they come from, read once at the end (:meth:`read`)."""

    def __init__(self, size):
        self.size, self.on = size, {}

    def add(self, *values):
        """Add one-element NDArrays (all on one device) to the sums of that device."""
        sums = self.on.setdefault(values[0].context, [nd.zeros(1, ctx=values[0].context) for _ in range(self.size)])
        for total, value in zip(sums, values):
            total += value

    def read(self):
        """The sums over all devices, as Python floats: one read of each device's sums."""
        return [sum(sums[i].asscalar() for sums in self.on.values()) for i in range(self.size)]


def _split(X, y, ctxs):
    """``(X, y)`` pieces, one per context (the whole batch where ``ctxs`` is None or one context)."""
    if ctxs is None:
        return [(X, y)]
    if len(ctxs) == 1:
        return [(X.as_in_context(ctxs[0]), y.as_in_context(ctxs[0]))]
    return list(zip(gluon.utils.split_and_load(X, ctxs, even_split=False),
                    gluon.utils.split_and_load(y, ctxs, even_split=False)))


def evaluate_accuracy(data_iter, net, ctx=None):
    """The accuracy of ``net`` over ``data_iter``, counting every label element; batches are split over ``ctx``
    (a context or a list of them; by default they stay where the iterator puts them)."""
    ctxs = as_context_list(ctx) if ctx is not None else None
    sums, size, lookahead = _Sums(1), 0, Lookahead()
    for batch in data_iter:
        for X, y in _split(*batch, ctxs):
            correct = _correct(net(X), y)
            sums.add(correct)
            lookahead.push(correct)
            size += y.size
    if size == 0:
        raise ValueError('evaluate_accuracy got an empty data iterator')
    return sums.read()[0] / size


def train_epoch(net, batches, loss, update, ctxs=None):
    """One pass over ``batches``: per batch, forward and backward on each context's piece, then ``update(n)``
    with ``n`` the batch's number of examples. Returns ``(loss per example, accuracy)``, read once."""
    sums, n, size, lookahead = _Sums(2), 0, 0, Lookahead()
    for X, y in batches:
        pieces = _split(X, y, ctxs)
        with autograd.record():
            y_hats = [net(Xi) for Xi, _ in pieces]
            ls = [loss(y_hat, yi).sum() for y_hat, (_, yi) in zip(y_hats, pieces)]
        for l in ls:
            l.backward()
        update(X.shape[0])
        for l, y_hat, (_, yi) in zip(ls, y_hats, pieces):
            sums.add(l, _correct(y_hat, yi))
            lookahead.push(l)
        n, size = n + y.shape[0], size + y.size
    if n == 0:
        raise ValueError('the training data iterator gave no batch')
    loss_sum, correct = sums.read()
    return loss_sum / n, correct / size


def fit(net, train_iter, test_iter, loss, update, num_epochs, ctxs=None, checkpoint=None, timed=False, lr=None,
        progress=False, plot=False):
    """The epochs of a training run around :func:`train_epoch`; returns a :class:`History`.

    Prints the book's line per epoch (with ``, time X sec`` when ``timed``); stops with ``FloatingPointError``
    when the loss is no longer finite (naming ``lr``); returns the finished epochs on Ctrl-C; with a
    :class:`Checkpoint`, resumes after its last epoch and saves after every epoch."""
    history, animator = History(), _animator(plot, num_epochs)
    try:
        for epoch in range((checkpoint.resume(history) if checkpoint else 0) + 1, num_epochs + 1):
            if checkpoint:
                checkpoint.start(epoch)
            start = time.time()
            train_loss, train_acc = train_epoch(net, _progress(train_iter, epoch, num_epochs, progress), loss,
                                                update, ctxs)
            _check_finite(train_loss, epoch, lr)
            test_acc = evaluate_accuracy(test_iter, net, ctxs)
            history.append(train_loss, train_acc, test_acc, time.time() - start)
            line = f'epoch {epoch}, loss {train_loss:.4f}, train acc {train_acc:.3f}, test acc {test_acc:.3f}'
            print(line + (f', time {history.seconds[-1]:.1f} sec' if timed else ''), flush=True)
            if animator:
                animator.add(epoch, (train_loss, train_acc, test_acc))
            if checkpoint:
                checkpoint.save(epoch, history)
    except KeyboardInterrupt:
        print(f'interrupted: returning the history of {len(history)} finished epoch(s)', file=sys.stderr)
    return history


def _check_finite(value, epoch, lr):
    if not math.isfinite(value):
        hint = f'a learning rate below {lr}' if lr else 'a smaller learning rate'
        raise FloatingPointError(f'the training loss became {value} in epoch {epoch}; the model diverged. '
                                 f'Try {hint}.')


def _progress(batches, epoch, num_epochs, progress):
    """The batches, with a tqdm bar when asked for or (``progress=None``) when stderr is a terminal."""
    if progress is None:
        progress = sys.stderr.isatty() and not _in_notebook()
    if not progress:
        return batches
    from tqdm.auto import tqdm
    return tqdm(batches, desc=f'epoch {epoch}/{num_epochs}', leave=False, unit='batch')


def _in_notebook():
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and 'IPKernelApp' in shell.config


def _animator(plot, num_epochs):
    if plot is None:
        plot = _in_notebook()
    if not plot:
        return None
    from .plotting import Animator
    return Animator(xlabel='epoch', xlim=[1, num_epochs], legend=['train loss', 'train acc', 'test acc'])


# ---------------------------------------------------------------------------------------------------------------
# Checkpoints

class Checkpoint:
    """The training state at the end of an epoch, in one file written atomically, to resume a run from.

    It holds the parameters (a ``params`` list of NDArrays, as ``nd.save`` writes them, or a Gluon ``net``'s, as
    ``net.save_parameters`` writes them), a ``trainer``'s state (``trainer.save_states``: momentum, update
    count), the number of finished epochs and their history. So that a resumed run ends where an uninterrupted
    one would, every epoch starts by seeding MXNet's generator with ``seed + epoch``; ``seed`` is drawn once from
    the generator (so ``mx.random.seed`` before training fixes it) and kept in the file."""

    def __init__(self, path, net=None, params=None, trainer=None):
        if params is None and not isinstance(net, gluon.Block):
            raise ValueError(f'a checkpoint needs the parameters to save: params= (a list of NDArrays) or a Gluon '
                             f'net (a gluon.Block), got net={net!r}')
        self.path, self.net, self.params, self.trainer = os.fspath(path), net, params, trainer
        self.seed = int(nd.random.randint(0, 2 ** 30, shape=(1,)).asscalar())

    def _num_params(self):
        return len(self.params) if self.params is not None else len(self.net.collect_params().keys())

    def resume(self, history):
        """Load the file if it exists, appending its epochs to ``history``; returns their number (0 without a
        file)."""
        if not os.path.exists(self.path):
            return 0
        try:
            with np.load(self.path) as saved:
                meta, files = json.loads(str(saved['meta'])), {name: saved[name] for name in ('params', 'trainer')
                                                               if name in saved.files}
        except (OSError, ValueError, KeyError) as e:
            raise ValueError(f'cannot resume from the checkpoint {self.path}: {e}; delete it to start afresh') from None
        if meta['num_params'] != self._num_params():
            raise ValueError(f'the checkpoint {self.path} holds {meta["num_params"]} parameters, this model has '
                             f'{self._num_params()}: it was saved by another model; delete it or choose another '
                             f'path')
        with tempfile.TemporaryDirectory() as folder:
            paths = {name: os.path.join(folder, name) for name in files}
            for name, path in paths.items():
                files[name].tofile(path)
            if self.params is None:
                self.net.load_parameters(paths['params'])  # on the contexts the net is (or will be) on
            else:
                for param, value in zip(self.params, nd.load(paths['params'])):
                    param[:] = value.as_in_context(param.context)
            if self.trainer is not None:
                self.trainer.load_states(paths['trainer'])
        self.seed = meta['seed']
        for key, values in meta['history'].items():
            getattr(history, key).extend(values)
        print(f'resuming from {self.path} after epoch {meta["epoch"]}', flush=True)
        return meta['epoch']

    def start(self, epoch):
        mx.random.seed(self.seed + epoch)

    def save(self, epoch, history):
        """Write the state after ``epoch`` through a temporary file, so the file is always whole."""
        files = {}
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, 'params')
            if self.params is None:
                self.net.save_parameters(path)
            else:
                nd.save(path, list(self.params))
            files['params'] = np.fromfile(path, dtype=np.uint8)
            if self.trainer is not None:
                path = os.path.join(folder, 'trainer')
                self.trainer.save_states(path)
                files['trainer'] = np.fromfile(path, dtype=np.uint8)
        meta = {'epoch': epoch, 'seed': self.seed, 'num_params': self._num_params(), 'history': history.to_dict()}
        buffer = io.BytesIO()
        np.savez(buffer, meta=np.array(json.dumps(meta)), **files)
        tmp = f'{self.path}.tmp{os.getpid()}'
        with open(tmp, 'wb') as f:
            f.write(buffer.getvalue())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)


# ---------------------------------------------------------------------------------------------------------------
# The book's trainers

def _check_args(num_epochs, batch_size=None, lr=None):
    if not isinstance(num_epochs, int) or num_epochs < 1:
        raise ValueError(f'num_epochs must be a positive integer, got {num_epochs!r}')
    if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(f'batch_size must be a positive integer, got {batch_size!r}')
    if lr is not None and not (isinstance(lr, (int, float)) and lr > 0 and math.isfinite(lr)):
        raise ValueError(f'lr must be a positive number, got {lr!r}')


def _context_of(net, params):
    """Where the model's parameters live (batches are moved there), or None if that cannot be told."""
    if params:
        return params[0].context
    if isinstance(net, gluon.Block):
        for param in net.collect_params().values():
            return param.list_ctx()[0]
    return None


def train_ch3(net, train_iter, test_iter, loss, num_epochs, batch_size, params=None, lr=None, trainer=None,
              progress=None, plot=None, checkpoint=None):
    """Train and evaluate a classifier (chapter 3), printing the book's line per epoch.

    Each epoch runs forward, backward and an update on every batch of ``train_iter``, then measures the
    accuracy on ``test_iter``, and prints ``epoch N, loss L, train acc A, test acc T`` (the mean loss per
    example, the accuracies as fractions). Batches are moved to the context of the model's parameters.

    Args:
        net: the model: a function or a Gluon block mapping a batch ``X`` to scores ``(b, classes)`` (or
            ``(b, classes, ...)`` for labels with more axes, such as per-pixel ones).
        train_iter, test_iter: re-iterable ``(X, y)`` batches, as :func:`load_data_fashion_mnist` returns them.
        loss: ``loss(y_hat, y)`` giving one loss per example, e.g. ``gluon.loss.SoftmaxCrossEntropyLoss()``.
        num_epochs (int): epochs to train, at least 1.
        batch_size (int): the examples per batch, by which the gradient is divided.
        params (list of NDArray): the parameters (with ``attach_grad()``) to update with :func:`sgd`...
        lr (float): ... at this learning rate. Both are needed unless a ``trainer`` is given.
        trainer (gluon.Trainer): updates the parameters of a Gluon ``net`` instead (``trainer.step``).
        progress (bool): a progress bar within each epoch; default: where stderr is a terminal.
        plot (bool): live curves of the loss and accuracies; default: in a Jupyter notebook.
        checkpoint (str or path): a file to save the state to after every epoch; a run that finds it resumes
            after its last epoch, to the same result as an uninterrupted run (see :class:`Checkpoint`). Needs
            ``params``, or a Gluon ``net`` (its ``collect_params()``).

    Returns:
        A :class:`History`: lists ``loss``, ``train_acc``, ``test_acc`` and ``seconds`` (Python floats), one
        entry per finished epoch. On Ctrl-C, the epochs finished so far.

    Raises:
        ValueError: ``num_epochs`` or ``batch_size`` not a positive integer, ``lr`` not a positive number, neither
            a ``trainer`` nor ``params`` and ``lr``, an empty ``train_iter``, a checkpoint of another model.
        FloatingPointError: the loss became NaN or infinite (the model diverged; the message suggests a learning
            rate below ``lr``).

    Example:

    >>> mx.random.seed(1)
    >>> train_iter, test_iter = gb.load_data_fashion_mnist(256)
    >>> W = nd.random.normal(scale=0.01, shape=(784, 10)); b = nd.zeros(10)
    >>> W.attach_grad(); b.attach_grad()
    >>> net = lambda X: nd.dot(X.reshape((-1, 784)), W) + b
    >>> history = gb.train_ch3(net, train_iter, test_iter, gluon.loss.SoftmaxCrossEntropyLoss(), 3, 256,
    ...                        [W, b], 0.1)
    epoch 1, loss 0.7856, train acc 0.749, test acc 0.793
    epoch 2, loss 0.5709, train acc 0.813, test acc 0.814
    epoch 3, loss 0.5259, train acc 0.825, test acc 0.820
    >>> history.test_acc[-1]
    0.8196
    """
    _check_args(num_epochs, batch_size, lr if trainer is None else None)
    if trainer is None and (not params or lr is None):
        raise ValueError('train_ch3 needs either trainer= or both params= and lr= (for gb.sgd)')
    ctx = _context_of(net, params if trainer is None else None)
    if trainer is None:
        def update(n):
            sgd(params, lr, batch_size)
    else:
        def update(n):
            trainer.step(batch_size)
    saved = Checkpoint(checkpoint, net, params if trainer is None else None, trainer) if checkpoint else None
    return fit(net, train_iter, test_iter, loss, update, num_epochs, None if ctx is None else [ctx], saved,
               lr=lr, progress=progress, plot=plot)


def train_ch5(net, train_iter, test_iter, batch_size, trainer, ctx, num_epochs):
    """Train a Gluon model on one context (chapter 5), with SoftmaxCrossEntropyLoss; returns a History."""
    _check_args(num_epochs, batch_size)
    print('training on', ctx)
    return fit(net, train_iter, test_iter, gluon.loss.SoftmaxCrossEntropyLoss(), lambda n: trainer.step(batch_size),
               num_epochs, [ctx], timed=True)


def train(train_iter, test_iter, net, loss, trainer, ctx, num_epochs, batch_size=None, checkpoint=None):
    """Train a Gluon model on one context or several, printing ``training on`` and the book's line per epoch.

    Each batch is split across the contexts (``gluon.utils.split_and_load``), each piece runs forward and backward
    on its own device, and the trainer's KVStore sums the gradients before the update. The line per epoch is
    ``epoch N, loss L, train acc A, test acc T, time X sec``.

    Args:
        train_iter, test_iter: re-iterable ``(X, y)`` batches, e.g. from :func:`load_data_fashion_mnist`.
        net (gluon.Block): the model, initialized on every context of ``ctx``.
        loss: a Gluon loss giving one value per example.
        trainer (gluon.Trainer): over ``net.collect_params()``; its ``kvstore`` sums the devices' gradients.
        ctx: a context, a list of them, or a string such as ``'cpu:0,1'``.
        num_epochs (int): epochs to train, at least 1.
        batch_size (int): the global batch by which ``trainer.step`` normalises (over all devices and, on a
            cluster, all workers); default: the size of each batch.
        checkpoint (str or path): saved after every epoch and resumed from, as in :func:`train_ch3`, with the
            trainer's state (momentum) too.

    Returns:
        A :class:`History` (``loss``, ``train_acc``, ``test_acc``, ``seconds`` per finished epoch); on Ctrl-C,
        the epochs finished so far.

    Raises:
        ValueError: ``num_epochs`` not a positive integer, a checkpoint of another model.
        TypeError: ``ctx`` neither a context nor a list of them.
        FloatingPointError: the loss became NaN or infinite.

    Example, the same code path as two GPUs on a CPU-only machine:

    >>> ctx = [mx.cpu(0), mx.cpu(1)]
    >>> net = nn.Sequential(); net.add(nn.Dense(256, activation='relu'), nn.Dense(10))
    >>> net.initialize(init.Normal(sigma=0.01), ctx=ctx)
    >>> trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
    >>> history = gb.train(train_iter, test_iter, net, gluon.loss.SoftmaxCrossEntropyLoss(), trainer, ctx, 2)
    training on [cpu(0), cpu(1)]
    epoch 1, loss 0.7844, train acc 0.705, test acc 0.806, time 1.1 sec
    epoch 2, loss 0.4841, train acc 0.821, test acc 0.758, time 1.0 sec
    """
    ctxs = as_context_list(ctx)
    _check_args(num_epochs)
    print('training on', ctxs)
    saved = Checkpoint(checkpoint, net, None, trainer) if checkpoint else None
    return fit(net, train_iter, test_iter, loss, lambda n: trainer.step(batch_size or n), num_epochs, ctxs, saved,
               timed=True)
