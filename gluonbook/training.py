"""The book's training helpers: sgd, accuracy, evaluate_accuracy, train_ch3, train_ch5, train.

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

if mx.context.num_gpus() == 0:
    # Gluon's SGD updates parameters four at a time with multi_sgd_update; on the CPU one sgd_update per parameter
    # is faster (Gluon MLP: 0.90 -> 0.80 s per epoch, same results). Read when an optimizer is created; a value the
    # user set is kept.
    os.environ.setdefault('MXNET_OPTIMIZER_AGGREGATION_SIZE', '0')


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
    """The fraction of predictions ``y_hat.argmax(axis=1)`` equal to ``y``."""
    return (y_hat.argmax(axis=1) == y.astype('float32', copy=False)).mean().asscalar()


def evaluate_accuracy(data_iter, net, ctx=None):
    """The accuracy of ``net`` over ``data_iter``; batches are split over ``ctx`` (a context or a list of them;
    by default they stay where the iterator puts them)."""
    ctxs = as_context_list(ctx) if ctx is not None else None
    acc_sum, n, lookahead = nd.zeros(1), 0, Lookahead()
    for batch in data_iter:
        for X, y in _split(*batch, ctxs):
            correct = (net(X).argmax(axis=1) == y.astype('float32', copy=False)).sum()
            acc_sum += correct.as_in_context(acc_sum.context)
            lookahead.push(correct)
            n += y.shape[0]
    if n == 0:
        raise ValueError('evaluate_accuracy got an empty data iterator')
    return acc_sum.asscalar() / n


def _split(X, y, ctxs):
    """``(X, y)`` pieces, one per context (the whole batch where ``ctxs`` is None or one context)."""
    if ctxs is None:
        return [(X, y)]
    if len(ctxs) == 1:
        return [(X.as_in_context(ctxs[0]), y.as_in_context(ctxs[0]))]
    return list(zip(gluon.utils.split_and_load(X, ctxs, even_split=False),
                    gluon.utils.split_and_load(y, ctxs, even_split=False)))


def _check_args(num_epochs, batch_size, lr=None):
    if not isinstance(num_epochs, int) or num_epochs < 1:
        raise ValueError(f'num_epochs must be a positive integer, got {num_epochs!r}')
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f'batch_size must be a positive integer, got {batch_size!r}')
    if lr is not None and not (isinstance(lr, (int, float)) and lr > 0 and math.isfinite(lr)):
        raise ValueError(f'lr must be a positive number, got {lr!r}')


def _context_of(params, trainer):
    """Where the model's parameters live (batches are moved there), or None if that cannot be told."""
    if params:
        return params[0].context
    if trainer is not None and trainer._params:
        return trainer._params[0].list_ctx()[0]
    return None


class Checkpoint:
    """The training state at the end of an epoch, in one file written atomically, to resume a run from.

    It holds the parameters (a ``params`` list, or a Gluon ``trainer``'s parameters and optimizer state), the
    number of finished epochs and their history. So that a resumed run ends where an uninterrupted one would,
    every epoch starts by seeding MXNet's generator with ``seed + epoch``; ``seed`` is drawn once from the
    generator (so ``mx.random.seed`` before training fixes it) and kept in the file."""

    def __init__(self, path, params, trainer, history):
        self.path, self.params, self.trainer, self.history = os.fspath(path), params, trainer, history
        self.seed = int(nd.random.randint(0, 2 ** 30, shape=(1,)).asscalar())

    def _values(self):
        if self.trainer is None:
            return list(self.params)
        return [p.data(p.list_ctx()[0]) for p in self.trainer._params]

    def resume(self):
        """Load the file if it exists; returns the number of epochs it holds (0 without a file)."""
        if not os.path.exists(self.path):
            return 0
        try:
            with np.load(self.path) as saved:
                meta, arrays = json.loads(str(saved['meta'])), {name: saved[name] for name in saved.files}
        except (OSError, ValueError, KeyError) as e:
            raise ValueError(f'cannot resume from the checkpoint {self.path}: {e}; delete it to start afresh') from None
        values = self._values() if self.trainer is None else self.trainer._params
        if len(values) != meta['num_params']:
            raise ValueError(f'the checkpoint {self.path} holds {meta["num_params"]} parameters, this model has '
                             f'{len(values)}: it was saved by another model; delete it or choose another path')
        for i, value in enumerate(values):
            if self.trainer is None:
                value[:] = nd.array(arrays[f'param{i}'], ctx=value.context)
            else:
                value.set_data(nd.array(arrays[f'param{i}']))
                if value._deferred_init:  # shapes not inferred yet (no batch seen): initialize with these values
                    value._finish_deferred_init()
        if self.trainer is not None:
            with tempfile.TemporaryDirectory() as folder:
                states = os.path.join(folder, 'states')
                arrays['trainer_states'].tofile(states)
                self.trainer.load_states(states)
        self.seed = meta['seed']
        for key, values in meta['history'].items():
            getattr(self.history, key).extend(values)
        print(f'resuming from {self.path} after epoch {meta["epoch"]}', flush=True)
        return meta['epoch']

    def start(self, epoch):
        mx.random.seed(self.seed + epoch)

    def save(self, epoch):
        """Write the state after ``epoch`` through a temporary file, so the file is always whole."""
        values = self._values()
        arrays = {f'param{i}': value.asnumpy() for i, value in enumerate(values)}
        if self.trainer is not None:
            with tempfile.TemporaryDirectory() as folder:
                self.trainer.save_states(os.path.join(folder, 'states'))
                arrays['trainer_states'] = np.fromfile(os.path.join(folder, 'states'), dtype=np.uint8)
        meta = {'epoch': epoch, 'seed': self.seed, 'num_params': len(values), 'history': self.history.to_dict()}
        buffer = io.BytesIO()
        np.savez(buffer, meta=np.array(json.dumps(meta)), **arrays)
        tmp = f'{self.path}.tmp{os.getpid()}'
        with open(tmp, 'wb') as f:
            f.write(buffer.getvalue())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)


def train_ch3(net, train_iter, test_iter, loss, num_epochs, batch_size, params=None, lr=None, trainer=None,
              progress=None, plot=None, checkpoint=None):
    """Train and evaluate a model (chapter 3); prints the book's line per epoch and returns a :class:`History`.

    Without a ``trainer`` the ``params`` are updated by :func:`sgd` with learning rate ``lr``. ``progress``
    shows a bar within each epoch (default: when stderr is a terminal); ``plot`` draws live curves (default: in
    a Jupyter notebook). A loss that becomes NaN or infinite stops training with ``FloatingPointError``;
    Ctrl-C returns the history of the finished epochs. With ``checkpoint`` (a file path) the state is saved
    after every epoch, and a run that finds the file resumes after its last epoch (see :class:`Checkpoint`)."""
    _check_args(num_epochs, batch_size, lr if trainer is None else None)
    if trainer is None and (not params or lr is None):
        raise ValueError('train_ch3 needs either trainer= or both params= and lr= (for gb.sgd)')
    ctx = _context_of(params, trainer)
    history, animator = History(), _animator(plot, num_epochs)
    saved = Checkpoint(checkpoint, params, trainer, history) if checkpoint else None
    try:
        for epoch in range((saved.resume() if saved else 0) + 1, num_epochs + 1):
            if saved:
                saved.start(epoch)
            start = time.time()
            l_sum, acc_sum, n = nd.zeros(1, ctx=ctx or mx.cpu()), nd.zeros(1, ctx=ctx or mx.cpu()), 0
            lookahead = Lookahead()
            for X, y in _progress(train_iter, epoch, num_epochs, progress):
                if ctx is not None:
                    X, y = X.as_in_context(ctx), y.as_in_context(ctx)
                with autograd.record():
                    y_hat = net(X)
                    l = loss(y_hat, y).sum()
                l.backward()
                if trainer is None:
                    sgd(params, lr, batch_size)
                else:
                    trainer.step(batch_size)
                lookahead.push(l)
                l_sum += l.as_in_context(l_sum.context)
                correct = (y_hat.argmax(axis=1) == y.astype('float32', copy=False)).sum()
                acc_sum += correct.as_in_context(acc_sum.context)
                n += y.shape[0]
            train_loss = _finite(l_sum.asscalar() / n, epoch, lr)
            test_acc = evaluate_accuracy(test_iter, net, ctx)
            history.append(train_loss, acc_sum.asscalar() / n, test_acc, time.time() - start)
            print(f'epoch {epoch}, loss {train_loss:.4f}, train acc {history.train_acc[-1]:.3f}, '
                  f'test acc {test_acc:.3f}', flush=True)
            if animator:
                animator.add(epoch, (train_loss, history.train_acc[-1], test_acc))
            if saved:
                saved.save(epoch)
    except KeyboardInterrupt:
        _interrupted(history)
    return history


def _interrupted(history):
    print(f'interrupted: returning the history of {len(history)} finished epoch(s)', file=sys.stderr)


def _finite(value, epoch, lr):
    if not math.isfinite(value):
        hint = f'a learning rate below {lr}' if lr else 'a smaller learning rate'
        raise FloatingPointError(f'the training loss became {value} in epoch {epoch}; the model diverged. '
                                 f'Try {hint}.')
    return value


def _progress(batches, epoch, num_epochs, progress):
    """The batches, with a tqdm bar when asked for or when stderr is a terminal."""
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


def train_ch5(net, train_iter, test_iter, batch_size, trainer, ctx, num_epochs):
    """Train a Gluon model on one context (chapter 5), with SoftmaxCrossEntropyLoss; returns a History."""
    print('training on', ctx)
    return train(train_iter, test_iter, net, gluon.loss.SoftmaxCrossEntropyLoss(), trainer, ctx, num_epochs,
                 batch_size=batch_size)


def train(train_iter, test_iter, net, loss, trainer, ctx, num_epochs, batch_size=None, checkpoint=None):
    """Train a Gluon model over one or several contexts: each batch is split across them
    (``split_and_load``) and the trainer's KVStore sums their gradients. Returns a History; Ctrl-C returns the
    finished epochs, and ``checkpoint`` saves and resumes as in :func:`train_ch3`."""
    ctxs = as_context_list(ctx)
    if not isinstance(num_epochs, int) or num_epochs < 1:
        raise ValueError(f'num_epochs must be a positive integer, got {num_epochs!r}')
    if batch_size is None:
        print('training on', ctxs)
    history = History()
    saved = Checkpoint(checkpoint, None, trainer, history) if checkpoint else None
    try:
        for epoch in range((saved.resume() if saved else 0) + 1, num_epochs + 1):
            if saved:
                saved.start(epoch)
            _train_epoch(train_iter, test_iter, net, loss, trainer, ctxs, batch_size, epoch, history)
            if saved:
                saved.save(epoch)
    except KeyboardInterrupt:
        _interrupted(history)
    return history


def _train_epoch(train_iter, test_iter, net, loss, trainer, ctxs, batch_size, epoch, history):
    """One epoch of :func:`train`: its book line printed, its numbers appended to ``history``."""
    start = time.time()
    sums = {c: (nd.zeros(1, ctx=c), nd.zeros(1, ctx=c)) for c in ctxs}
    n, lookahead = 0, Lookahead()
    for X, y in train_iter:
        pieces = _split(X, y, ctxs)
        with autograd.record():
            y_hats = [net(Xi) for Xi, _ in pieces]
            ls = [loss(y_hat, yi) for y_hat, (_, yi) in zip(y_hats, pieces)]
        for l in ls:
            l.backward()
            lookahead.push(l)
        trainer.step(batch_size or X.shape[0])
        for (Xi, yi), y_hat, l in zip(pieces, y_hats, ls):
            l_sum, acc_sum = sums[Xi.context]
            l_sum += l.sum()
            acc_sum += (y_hat.argmax(axis=1) == yi.astype('float32', copy=False)).sum()
        n += y.shape[0]
    train_loss = _finite(sum(s[0].asscalar() for s in sums.values()) / n, epoch, None)
    train_acc = sum(s[1].asscalar() for s in sums.values()) / n
    test_acc = evaluate_accuracy(test_iter, net, ctxs)
    history.append(train_loss, train_acc, test_acc, time.time() - start)
    print(f'epoch {epoch}, loss {train_loss:.4f}, train acc {train_acc:.3f}, test acc {test_acc:.3f}, '
          f'time {history.seconds[-1]:.1f} sec', flush=True)
