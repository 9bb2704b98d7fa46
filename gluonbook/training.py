"""The book's training loops: evaluate_accuracy, train_ch3, train_ch5, train, and the one loop behind them.

:func:`train_epoch` runs the batches of an epoch (each split over the contexts, where there are several) and
:func:`fit` runs the epochs around it, calling its callbacks (:mod:`gluonbook.callbacks`: the book's line per
epoch, the live figure, the progress bar and time estimate, the learning monitor, the checkpoint, and yours).
Running sums stay on the device and are read once per epoch: reading a value (``asscalar``) after every batch
would make Python wait for MXNet's engine at every step. What is checked lives in :mod:`gluonbook.checks` (the
arguments), :mod:`gluonbook.diagnostics` (the first batch, a diverging loss, an accuracy at chance) and
:mod:`gluonbook.checkpoint`; the chapter-3 basics (``sgd``, ``accuracy``, ...) in :mod:`gluonbook.basics`.
"""
import collections
import contextlib
import sys
import time

from mxnet import autograd, gluon, nd
from mxnet.gluon import nn

from .basics import accuracy, linreg, sgd, squared_loss  # noqa: F401 (the book's names, also here)
from .callbacks import EpochLine, LearningMonitor, LivePlot, Loop, ProgressBar, TimeEstimate, in_notebook
from .checkpoint import Checkpoint, CheckpointError, check_checkpoint_path  # noqa: F401
from .checks import check_args, check_callbacks, check_params, check_trainer
from .devices import as_context, as_context_list
from .diagnostics import FirstBatch, TrainingWarning  # noqa: F401


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
        """The sums over all devices, as Python floats: one read of each device's sums. (Python floats before they
        are divided: numpy 2 would keep float32 scalars in float32, numpy 1 gave float64.)"""
        return [sum(float(sums[i].asscalar()) for sums in self.on.values()) for i in range(self.size)]


def _correct(y_hat, y):
    """How many predictions are right, as a one-element NDArray on ``y_hat``'s device (not read)."""
    return (y_hat.argmax(axis=1) == y.astype('float32', copy=False)).sum()


def _split(X, y, ctxs):
    """``(X, y)`` pieces, one per context (the whole batch where ``ctxs`` is None or one context); a batch of fewer
    examples than contexts goes to as many contexts as it has examples."""
    if ctxs is None:
        return [(X, y)]
    if len(ctxs) == 1:
        return [(X.as_in_context(ctxs[0]), y.as_in_context(ctxs[0]))]
    used = ctxs[:X.shape[0]]
    return list(zip(gluon.utils.split_and_load(X, used, even_split=False),
                    gluon.utils.split_and_load(y, used, even_split=False)))


def evaluate_accuracy(data_iter, net, ctx=None):
    """The accuracy of ``net`` over ``data_iter``, counting every label element; batches are split over ``ctx``
    (a context, a list of them or a string such as ``'cpu'``; by default they stay where the iterator puts
    them). A batch of fewer examples than contexts is split over as many contexts as it has examples.

    Example, a net that returns its input as the scores (it predicts class 1, then class 0)::

        >>> gb.evaluate_accuracy([(nd.array([[0.1, 0.9], [0.8, 0.2]]), nd.array([1, 1]))], lambda X: X)
        0.5
    """
    ctxs = as_context_list(ctx) if ctx is not None else None
    sums, size, lookahead = _Sums(1), 0, Lookahead()
    for batch in data_iter:
        for X, y in _split(*batch, ctxs):
            correct = _correct(net(X), y)
            sums.add(correct)
            lookahead.push(correct)
            size += y.size
    if size == 0:
        raise ValueError(f'evaluate_accuracy got no batch from the data iterator: {_EMPTY}')
    return sums.read()[0] / size


_EMPTY = ('it is empty, or was already used up (a generator can be iterated once): pass a list of batches or a '
          'DataLoader, which can be iterated again')


def train_epoch(net, batches, loss, update, ctxs=None, first=None, on_batch_end=None):
    """One pass over ``batches``: per batch, forward and backward on each context's piece, then ``update(n)``
    with ``n`` the batch's number of examples, then ``on_batch_end(i, {'size': n})`` (``i`` from 1). Returns
    ``(loss per example, accuracy)``, read once. With a :class:`gluonbook.diagnostics.FirstBatch` as ``first``,
    the first batch is checked before its update.

    A batch of fewer examples than contexts (a small last batch) is split over the contexts that get examples;
    each other context runs one example with its loss multiplied by 0, so its gradient is a fresh zero (Gluon's
    Trainer needs a gradient from every context it updates) and the update is the one a single device makes."""
    sums, n, size, lookahead = _Sums(2), 0, 0, Lookahead()
    for i, (X, y) in enumerate(batches, 1):
        pieces = _split(X, y, ctxs)
        fillers = [(pieces[0][0][:1].as_in_context(c), pieces[0][1][:1].as_in_context(c))
                   for c in (ctxs[len(pieces):] if ctxs else [])]
        with autograd.record():
            y_hats = [net(Xi) for Xi, _ in pieces]
            if first:
                first.check_output(*pieces[0], y_hats[0])
            ls = [loss(y_hat, yi).sum() for y_hat, (_, yi) in zip(y_hats, pieces)]
            zeros = [loss(net(Xf), yf).sum() * 0 for Xf, yf in fillers]
        if first:
            first.read(y_hats[0], pieces[0][1], ls[0])
            first = None
        for l in ls + zeros:
            l.backward()
        update(X.shape[0])
        for l, y_hat, (_, yi) in zip(ls, y_hats, pieces):
            sums.add(l, _correct(y_hat, yi))
            lookahead.push(l)
        n, size = n + y.shape[0], size + y.size
        if on_batch_end:
            on_batch_end(i, {'size': X.shape[0]})
    if n == 0:
        raise ValueError(f'the training data iterator gave no batch: {_EMPTY}')
    loss_sum, correct = sums.read()
    return loss_sum / n, correct / size


def fit(net, train_iter, test_iter, loss, update, num_epochs, ctxs=None, callbacks=None):
    """The epochs of a training run around :func:`train_epoch`, with ``callbacks`` (a list of
    :class:`gluonbook.callbacks.Callback`: only those given, none built in); returns a :class:`History`.

    Each epoch trains on ``train_iter`` (``update(n)`` after each batch's backward pass), measures the accuracy on
    ``test_iter``, appends to the history and calls ``on_epoch_end``. The first batch of the run is checked before
    its update (:class:`gluonbook.diagnostics.FirstBatch`): its loss per example is ``loop.reference_loss`` (unless
    a resumed checkpoint set it) and its number of scores ``loop.classes``. A callback that sets
    ``loop.stop_training`` ends the run after the epoch.

    Ctrl-C: in a notebook or at an interactive prompt (IPython, Python's own), the run stops and the history of
    the finished epochs is returned, after one line on stderr; in a script, the ``KeyboardInterrupt`` is raised
    again after one line on stderr, with the history of the finished epochs as its ``history`` attribute, so a
    script (or a shell loop) that trains several runs stops; a checkpoint holds the last finished epoch."""
    history = History()
    loop = Loop(net, num_epochs, _length(train_iter), history, check_callbacks(callbacks))
    first = FirstBatch()
    try:
        loop.call('on_train_begin')
        for epoch in range(loop.initial_epoch + 1, num_epochs + 1):
            loop.epoch = epoch
            loop.call('on_epoch_begin', epoch)
            start = time.time()
            train_loss, train_acc = train_epoch(net, train_iter, loss, update, ctxs,
                                                first if epoch == loop.initial_epoch + 1 else None,
                                                lambda i, logs: loop.call('on_batch_end', i, logs))
            loop.reference_loss, loop.classes = loop.reference_loss or first.loss, first.classes
            test_acc = evaluate_accuracy(test_iter, net, ctxs)
            history.append(train_loss, train_acc, test_acc, time.time() - start)
            loop.call('on_epoch_end', epoch, {'loss': history.loss[-1], 'train_acc': history.train_acc[-1],
                                              'test_acc': history.test_acc[-1], 'seconds': history.seconds[-1]})
            if loop.stop_training:
                break
    except KeyboardInterrupt as e:
        if _interactive():
            print(f'interrupted: returning the history of {len(history)} finished epoch(s)', file=sys.stderr)
            return history
        saved = [c.path for c in loop.callbacks if isinstance(c, Checkpoint)]
        where = f', saved in the checkpoint {saved[0]}' if saved and len(history) else ''
        print(f'interrupted in epoch {loop.epoch}: {len(history)} finished epoch(s){where}', file=sys.stderr)
        e.history = history
        raise
    finally:
        loop.call('on_train_end')
    return history


def _length(batches):
    try:
        return len(batches)
    except TypeError:
        return None


def _interactive():
    """A Jupyter notebook or an interactive prompt (IPython's or Python's own), rather than a script."""
    shell = sys.modules.get('IPython') and sys.modules['IPython'].get_ipython()
    return shell is not None or hasattr(sys, 'ps1')


def _callbacks(lr, timed=False, progress=None, plot=False, checkpoint=None, yours=None):
    """The built-in callbacks of the book's trainers, then ``yours``."""
    if progress is None:
        progress = sys.stderr.isatty() and not in_notebook()
    if plot is None:
        plot = in_notebook()
    # the bar first: it is closed before anything else prints at the end of an epoch (a line, a warning), so what
    # is printed is not appended to the bar's line
    built_in = [ProgressBar() if progress else None, LearningMonitor(lr), checkpoint, EpochLine(timed),
                LivePlot() if plot else None, TimeEstimate()]
    return [c for c in built_in if c is not None] + check_callbacks(yours)  # (checked before anything runs)


def _checkpoint(checkpoint, net, params=None, trainer=None, **settings):
    """A :class:`Checkpoint` of the model (from a path, or the one given), recording ``settings``; its path is
    checked before anything runs."""
    if checkpoint is None:
        return None
    saved = checkpoint if isinstance(checkpoint, Checkpoint) else Checkpoint(checkpoint)
    saved.bind(net, params, trainer).record(**settings).check_path()
    return saved


@contextlib.contextmanager
def _hybridized(net, hybridize):
    """The net to run: ``net`` hybridized, where it is a ``HybridBlock`` not hybridized yet; for an ``nn.Sequential``
    of such blocks (the book's LeNet), an ``nn.HybridSequential`` of the same layers (the same parameters), so that
    the whole network runs as one graph (LeNet, a training step on a batch of 256, two shared CPU cores: 26 against
    29 ms imperatively, 60 against 73 ms under heavy load; hybridizing each layer alone gains less). Afterwards
    ``net`` is imperative again, as it was; a ``net`` you hybridized yourself is run as it is."""
    layers = [net[i] for i in range(len(net))] if isinstance(net, nn.Sequential) else [net]
    # MXNet has no public way to ask whether a block is hybridized: a reader's own hybridize() is left alone
    if not hybridize or not all(isinstance(b, gluon.HybridBlock) and not getattr(b, '_active', False)
                                for b in layers):
        yield net
        return
    run = net
    if isinstance(net, nn.Sequential):
        run = nn.HybridSequential(prefix=net.prefix)
        run.add(*layers)
    run.hybridize()
    try:
        yield run
    finally:
        run.hybridize(False)


def _context_of(net, params):
    """Where the model's parameters live (batches are moved there), or None if that cannot be told."""
    if params:
        return params[0].context
    if isinstance(net, gluon.Block):
        for param in net.collect_params().values():
            return param.list_ctx()[0]
    return None


def train_ch3(net, train_iter, test_iter, loss, num_epochs, batch_size, params=None, lr=None, trainer=None,
              progress=None, plot=None, checkpoint=None, callbacks=None):
    """Train and evaluate a classifier (chapter 3), printing the book's line per epoch.

    Each epoch runs forward, backward and an update on every batch of ``train_iter``, then measures the
    accuracy on ``test_iter``, and prints ``epoch N, loss L, train acc A, test acc T`` (the mean loss per
    example, the accuracies as fractions). Batches are moved to the context of the model's parameters.

    Args:
        net: the model: a function or a Gluon block mapping a batch ``X`` to scores ``(b, classes)`` (or
            ``(b, classes, ...)`` for labels with more axes, such as per-pixel ones).
        train_iter, test_iter: re-iterable ``(X, y)`` batches, as :func:`load_data_fashion_mnist` returns them.
        loss: ``loss(y_hat, y)`` giving one loss per example, e.g. ``gluon.loss.SoftmaxCrossEntropyLoss()``.
        num_epochs (int): epochs to train, at least 1 (numpy integers too).
        batch_size (int): the examples per batch, by which the gradient is divided.
        params (list of NDArray): the parameters (with ``attach_grad()``) to update with :func:`sgd`...
        lr (float): ... at this learning rate. Both are needed unless a ``trainer`` is given.
        trainer (gluon.Trainer): updates the parameters of a Gluon ``net`` instead (``trainer.step``).
        progress (bool): a progress bar within each epoch; default: where stderr is a terminal (in a notebook,
            only when asked: a widget with ipywidgets, else a text bar).
        plot (bool): live curves of the loss and accuracies, shown before the first epoch's line; default: in a
            Jupyter notebook.
        checkpoint (str or path): a file to save the state to after every epoch; a run that finds it resumes
            after its last epoch, to the same result as the same run uninterrupted (each epoch is seeded from
            the file: see :class:`gluonbook.checkpoint.Checkpoint`). Needs ``params``, or a Gluon ``net`` (its
            ``collect_params()``). The file records ``lr`` and ``batch_size``: resuming with another value is
            refused. A ``Checkpoint(path, settings={...})`` records settings of your own too.
        callbacks (list): your own :class:`gluonbook.callbacks.Callback` s, called after the built-in ones (the
            learning monitor, the checkpoint, the book's line, the figure, the progress bar, the time estimate).

    The first batch is checked before any update: the net's output must be scores ``(batch, classes)`` (one
    row per example) for labels ``(batch,)``, the labels in ``0..classes-1``. A loss growing to more than
    ten times its value before training, or an accuracy at chance from the second epoch on, gives a
    :class:`gluonbook.diagnostics.TrainingWarning` naming the learning rate, shown as one line ``warning: ...``.
    An epoch that will take more than 30 seconds is announced after its first batches: ``epoch 1: about 31 min
    per epoch, 5 h 10 min for 10 epochs`` (in the progress bar, where there is one).

    Ctrl-C: in a notebook (or at an interactive prompt) the run stops and returns the history of the finished
    epochs; in a script the ``KeyboardInterrupt`` goes on, carrying that history as its ``history`` attribute, so
    a script training several runs stops (a checkpoint holds the last finished epoch).

    Returns:
        A :class:`History`: lists ``loss``, ``train_acc``, ``test_acc`` and ``seconds`` (Python floats), one
        entry per finished epoch.

    Raises:
        ValueError: ``num_epochs`` or ``batch_size`` not a positive integer, ``lr`` not a positive number, neither
            a ``trainer`` nor ``params`` and ``lr``, a parameter without a gradient, an empty ``train_iter``, a
            net whose output does not fit the labels.
        TypeError: ``params`` not a list of NDArrays, ``trainer`` not a ``gluon.Trainer``.
        CheckpointError (a ValueError): the checkpoint path is a folder or in no folder, the file is damaged,
            not a checkpoint, another model's or another ``lr``'s or ``batch_size``'s, or holds more epochs than
            ``num_epochs``.
        FloatingPointError: the loss became NaN or infinite (the model diverged; the message suggests a learning
            rate below ``lr``).

    Example (an illustration: it trains for several seconds; the digits are those of one run on this machine)::

        mx.random.seed(1)
        train_iter, test_iter = gb.load_data_fashion_mnist(256)
        W = nd.random.normal(scale=0.01, shape=(784, 10)); b = nd.zeros(10)
        W.attach_grad(); b.attach_grad()
        net = lambda X: nd.dot(X.reshape((-1, 784)), W) + b
        history = gb.train_ch3(net, train_iter, test_iter, gluon.loss.SoftmaxCrossEntropyLoss(), 3, 256,
                               [W, b], 0.1)
        # epoch 1, loss 0.7856, train acc 0.749, test acc 0.793
        # epoch 2, loss 0.5709, train acc 0.813, test acc 0.814
        # epoch 3, loss 0.5259, train acc 0.825, test acc 0.820
        history.test_acc[-1]   # 0.8196
    """
    num_epochs, batch_size, lr = check_args(num_epochs, batch_size, lr if trainer is None else None)
    if trainer is None and (params is None or lr is None):
        raise ValueError('train_ch3 needs either trainer= or both params= and lr= (for gb.sgd)')
    if trainer is None:
        params = check_params(params)
    else:
        lr = check_trainer(trainer)
    ctx = _context_of(net, params if trainer is None else None)
    if trainer is None:
        def update(n):
            sgd(params, lr, batch_size)
    else:
        def update(n):
            trainer.step(batch_size)
    saved = _checkpoint(checkpoint, net, params if trainer is None else None, trainer, lr=lr, batch_size=batch_size)
    return fit(net, train_iter, test_iter, loss, update, num_epochs, None if ctx is None else [ctx],
               _callbacks(lr, False, progress, plot, saved, callbacks))


def train_ch5(net, train_iter, test_iter, batch_size, trainer, ctx, num_epochs, progress=None, callbacks=None,
              hybridize=True):
    """Train a Gluon model on one context (chapter 5: a context or a string such as ``'cpu'``), with
    SoftmaxCrossEntropyLoss, printing ``training on`` and the book's line per epoch; returns a History. Checks,
    warns, estimates and answers Ctrl-C as :func:`train_ch3` does; ``progress`` and ``callbacks`` as there.

    A ``net`` that is a ``HybridBlock``, or an ``nn.Sequential`` of them (LeNet as the book builds it), and that
    you have not hybridized, is hybridized for the run (it runs as one MXNet graph: the same results, to float
    rounding, in less time; a Sequential's layers are run by an ``nn.HybridSequential`` holding them, which the
    callbacks see as ``loop.net``) and is imperative again afterwards; ``hybridize=False`` keeps it imperative
    (for a block whose forward uses Python control flow on values, which a graph cannot hold)."""
    num_epochs, batch_size, _ = check_args(num_epochs, batch_size)
    ctx, lr = as_context(ctx), check_trainer(trainer)
    callbacks = _callbacks(lr, True, progress, False, None, callbacks)
    print('training on', ctx)
    with _hybridized(net, hybridize) as run:
        return fit(run, train_iter, test_iter, gluon.loss.SoftmaxCrossEntropyLoss(),
                   lambda n: trainer.step(batch_size), num_epochs, [ctx], callbacks)


def train(train_iter, test_iter, net, loss, trainer, ctx, num_epochs, batch_size=None, checkpoint=None,
          progress=None, callbacks=None, hybridize=True):
    """Train a Gluon model on one context or several, printing ``training on`` and the book's line per epoch.

    Each batch is split across the contexts (``gluon.utils.split_and_load``), each piece runs forward and backward
    on its own device, and the trainer's KVStore sums the gradients before the update. The line per epoch is
    ``epoch N, loss L, train acc A, test acc T, time X sec``. A batch of fewer examples than contexts (a small
    last batch) is split over the contexts that get examples, to the update and accuracy of one device.

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
            trainer's state (momentum) too; a checkpoint saved on other contexts resumes on these.
        progress (bool): a progress bar within each epoch, as in :func:`train_ch3`.
        callbacks (list): your own :class:`gluonbook.callbacks.Callback` s, as in :func:`train_ch3`.
        hybridize (bool): hybridize a ``net`` you have not hybridized for the run, as :func:`train_ch5` does.

    The first batch is checked, a run that does not learn warned about, the time estimated and Ctrl-C answered as
    in :func:`train_ch3`.

    Returns:
        A :class:`History` (``loss``, ``train_acc``, ``test_acc``, ``seconds`` per finished epoch).

    Raises:
        ValueError: ``num_epochs`` or ``batch_size`` not a positive integer, a GPU that is not there, a net whose
            output does not fit the labels, an empty ``train_iter``.
        TypeError: ``ctx`` neither a context nor a list of them, ``trainer`` not a ``gluon.Trainer``.
        CheckpointError (a ValueError): a checkpoint that cannot be used, as in :func:`train_ch3`.
        FloatingPointError: the loss became NaN or infinite.

    Example, the same code path as two GPUs on a CPU-only machine (an illustration: it trains for seconds)::

        ctx = [mx.cpu(0), mx.cpu(1)]
        net = nn.Sequential(); net.add(nn.Dense(256, activation='relu'), nn.Dense(10))
        net.initialize(init.Normal(sigma=0.01), ctx=ctx)
        trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
        history = gb.train(train_iter, test_iter, net, gluon.loss.SoftmaxCrossEntropyLoss(), trainer, ctx, 2)
        # training on [cpu(0), cpu(1)]
        # epoch 1, loss 0.7844, train acc 0.705, test acc 0.806, time 1.1 sec
        # epoch 2, loss 0.4841, train acc 0.821, test acc 0.758, time 1.0 sec
    """
    ctxs = as_context_list(ctx)
    num_epochs, batch_size, _ = check_args(num_epochs, batch_size)
    lr = check_trainer(trainer)
    saved = _checkpoint(checkpoint, net, None, trainer, lr=lr, batch_size=batch_size)
    callbacks = _callbacks(lr, True, progress, False, saved, callbacks)
    print('training on', ctxs)
    with _hybridized(net, hybridize) as run:
        return fit(run, train_iter, test_iter, loss, lambda n: trainer.step(batch_size or n), num_epochs, ctxs,
                   callbacks)
