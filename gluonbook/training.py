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
import numbers
import os
import sys
import tempfile
import time
import warnings
import zipfile

import mxnet as mx
import numpy as np
from mxnet import autograd, gluon, nd

from .data import positive_int
from .devices import as_context, as_context_list
from .files import file_problem, write_atomically


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
        """The sums over all devices, as Python floats: one read of each device's sums. (Python floats before they
        are divided: numpy 2 would keep float32 scalars in float32, numpy 1 gave float64.)"""
        return [sum(float(sums[i].asscalar()) for sums in self.on.values()) for i in range(self.size)]


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
    (a context, a list of them or a string such as ``'cpu'``; by default they stay where the iterator puts
    them)."""
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


class TrainingWarning(RuntimeWarning):
    """A run that trains but does not learn: a loss that has grown far above the untrained model's, or an
    accuracy at chance. (A loss that is no longer finite is a ``FloatingPointError`` instead.)"""


class CheckpointError(ValueError):
    """A checkpoint path that cannot be resumed from or written: a folder, a damaged file or another file, the
    checkpoint of another model, more epochs than the run asks for."""


class FirstBatch:
    """What the first batch of a run tells, before its update.

    :meth:`check_output` compares the shapes of the net's scores and the labels (no value read);
    :meth:`read` reads, in one go, the labels' range (checked against the number of scores) and the loss per
    example of the model as it was before this run's first update (``loss``, ``classes``): the reference a
    diverging loss is told apart by."""

    def __init__(self):
        self.loss, self.classes = None, None

    @staticmethod
    def check_output(X, y, y_hat):
        if not isinstance(y_hat, nd.NDArray):
            raise ValueError(f'the net returned {type(y_hat).__name__}, expected an NDArray of scores of shape '
                             f'(batch, classes)')
        if y_hat.ndim == y.ndim + 1 and y_hat.shape[0] == y.shape[0] and y_hat.shape[2:] == y.shape[1:]:
            return
        expected = ', '.join([str(y.shape[0]), 'classes', *map(str, y.shape[1:])])
        hint = ('one row of scores per example: reshape with -1 (X.reshape((-1, 784))), not a fixed batch size'
                if y_hat.ndim and y_hat.shape[0] != y.shape[0] else
                'scores (batch, classes) for labels (batch,): one score per class')
        raise ValueError(f"the net's output does not fit the labels: for a batch X of shape {X.shape} and labels "
                         f'y of shape {y.shape} it returned shape {y_hat.shape}, expected ({expected}); a '
                         f'classifier returns {hint}')

    def read(self, y_hat, y, l):
        values = [y.min(), y.max(), l]
        low, high, total = nd.concat(*[v.astype('float32').reshape((1,)).as_in_context(l.context) for v in values],
                                     dim=0).asnumpy().tolist()
        classes = y_hat.shape[1]
        if low < 0 or high >= classes:
            raise ValueError(f'the labels of the first batch go from {low:g} to {high:g}, but the net returns '
                             f'{classes} scores per example (classes 0..{classes - 1}): give its last layer '
                             f'{int(high) + 1} outputs, or check the labels')
        self.loss, self.classes = total / y.shape[0], classes


def train_epoch(net, batches, loss, update, ctxs=None, first=None):
    """One pass over ``batches``: per batch, forward and backward on each context's piece, then ``update(n)``
    with ``n`` the batch's number of examples. Returns ``(loss per example, accuracy)``, read once. With a
    :class:`FirstBatch` as ``first``, the first batch is checked before its update."""
    sums, n, size, lookahead = _Sums(2), 0, 0, Lookahead()
    for X, y in batches:
        pieces = _split(X, y, ctxs)
        with autograd.record():
            y_hats = [net(Xi) for Xi, _ in pieces]
            if first:
                first.check_output(*pieces[0], y_hats[0])
            ls = [loss(y_hat, yi).sum() for y_hat, (_, yi) in zip(y_hats, pieces)]
        if first:
            first.read(y_hats[0], pieces[0][1], ls[0])
            first = None
        for l in ls:
            l.backward()
        update(X.shape[0])
        for l, y_hat, (_, yi) in zip(ls, y_hats, pieces):
            sums.add(l, _correct(y_hat, yi))
            lookahead.push(l)
        n, size = n + y.shape[0], size + y.size
    if n == 0:
        raise ValueError(f'the training data iterator gave no batch: {_EMPTY}')
    loss_sum, correct = sums.read()
    return loss_sum / n, correct / size


def fit(net, train_iter, test_iter, loss, update, num_epochs, ctxs=None, checkpoint=None, timed=False, lr=None,
        progress=False, plot=False):
    """The epochs of a training run around :func:`train_epoch`; returns a :class:`History`.

    The live figure (``plot``) is shown first; the first batch is checked (:class:`FirstBatch`); then the book's
    line per epoch (with ``, time X sec`` when ``timed``). A loss no longer finite stops the run with
    ``FloatingPointError`` naming ``lr``; a loss far above the untrained model's, or an accuracy at chance after
    two epochs, is a :class:`TrainingWarning`. Ctrl-C returns the finished epochs; with a :class:`Checkpoint`,
    the run resumes after its last epoch and saves after every epoch."""
    history, animator = History(), _animator(plot, num_epochs)
    first, warned = FirstBatch(), set()
    try:
        done = checkpoint.resume(history, num_epochs) if checkpoint else 0
        for epoch in range(1, done + 1):
            if animator:
                animator.add(epoch, (history.loss[epoch - 1], history.train_acc[epoch - 1],
                                     history.test_acc[epoch - 1]))
        for epoch in range(done + 1, num_epochs + 1):
            if checkpoint:
                checkpoint.start(epoch)
            start = time.time()
            train_loss, train_acc = train_epoch(net, _progress(train_iter, epoch, num_epochs, progress), loss,
                                                update, ctxs, first if epoch == done + 1 else None)
            _check_finite(train_loss, epoch, lr)
            test_acc = evaluate_accuracy(test_iter, net, ctxs)
            history.append(train_loss, train_acc, test_acc, time.time() - start)
            line = f'epoch {epoch}, loss {train_loss:.4f}, train acc {train_acc:.3f}, test acc {test_acc:.3f}'
            print(line + (f', time {history.seconds[-1]:.1f} sec' if timed else ''), flush=True)
            if animator:
                animator.add(epoch, (train_loss, train_acc, test_acc))
            reference = checkpoint.reference_loss if checkpoint and checkpoint.reference_loss else first.loss
            _warn_if_not_learning(epoch, history, reference, first.classes, lr, warned)
            if checkpoint:
                checkpoint.save(epoch, history, reference)
    except KeyboardInterrupt:
        print(f'interrupted: returning the history of {len(history)} finished epoch(s)', file=sys.stderr)
    return history


def _check_finite(value, epoch, lr):
    if not math.isfinite(value):
        raise FloatingPointError(f'the training loss became {value} in epoch {epoch}; the model diverged. '
                                 f'Try {_smaller(lr)}.')


def _smaller(lr):
    return f'a learning rate below {lr:g}' if lr else 'a smaller learning rate'


DIVERGING = 10  # a mean loss this many times the loss before training is a model diverging, not bad luck
CHANCE_MARGIN = 0.05  # an accuracy less than this above chance (1 / classes), after two epochs, is not learning


def _warn_if_not_learning(epoch, history, reference, classes, lr, warned):
    """A :class:`TrainingWarning` (each kind once a run): a finite loss far above ``reference``, the loss per
    example before training; train and test accuracy at chance from epoch 2 on."""
    loss, train_acc, test_acc = history.loss[-1], history.train_acc[-1], history.test_acc[-1]
    if 'diverging' not in warned and reference and reference > 0 and loss > DIVERGING * reference:
        warned.add('diverging')
        warnings.warn(f'the training loss {loss:.4g} in epoch {epoch} is {loss / reference:.3g} times the loss '
                      f'before training ({reference:.4g}): the model is diverging. Try {_smaller(lr)}.',
                      TrainingWarning, stacklevel=4)
    if 'chance' not in warned and epoch >= 2 and classes and max(train_acc, test_acc) < 1 / classes + CHANCE_MARGIN:
        warned.add('chance')
        now = f' ({lr:g} now)' if lr else ''
        warnings.warn(f'after epoch {epoch} the accuracy is at chance for {classes} classes (train {train_acc:.3f}, '
                      f'test {test_acc:.3f}, chance {1 / classes:.3f}): the model is not learning. Try another '
                      f'learning rate{now}: one too large can leave a network stuck for good, one too small barely '
                      f'moves it; and check that the labels belong to the inputs.', TrainingWarning, stacklevel=4)


def _progress(batches, epoch, num_epochs, progress):
    """The batches, with a tqdm bar when asked for or (``progress=None``) when stderr is a terminal."""
    if progress is None:
        progress = sys.stderr.isatty() and not _in_notebook()
    if not progress:
        return batches
    return _tqdm()(batches, desc=f'epoch {epoch}/{num_epochs}', leave=False, unit='batch')


def _tqdm():
    """tqdm's widget bar in a notebook with ipywidgets; elsewhere its text bar (tqdm.auto, in a notebook without
    ipywidgets, would print a warning block first)."""
    if _in_notebook():
        try:
            import ipywidgets  # noqa: F401
            from tqdm.notebook import tqdm
            return tqdm
        except ImportError:
            pass
    from tqdm.std import tqdm
    return tqdm


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
    count), the number of finished epochs, their history, and a record of the model it belongs to (each
    parameter's name and shape, the optimizer's name), checked before anything is loaded: another model's
    checkpoint, a damaged file, a file that is not a checkpoint and a folder are each refused with a
    :class:`CheckpointError`, and the model is left as it was. The parameters are loaded onto the contexts the
    model is on now, whichever they were saved from.

    Every epoch starts by seeding MXNet's generator with ``seed + epoch``; ``seed`` is drawn once from the
    generator (so ``mx.random.seed`` before training fixes it) and kept in the file. So a run stopped and
    resumed ends where the same run with the same checkpoint path ends uninterrupted; a run without a
    checkpoint draws its batches otherwise and ends elsewhere."""

    FORMAT = 'gluonbook checkpoint 2'
    KEYS = ('format', 'epoch', 'seed', 'params', 'optimizer', 'history')

    def __init__(self, path, net=None, params=None, trainer=None):
        if params is None and not isinstance(net, gluon.Block):
            raise ValueError(f'a checkpoint needs the parameters to save: params= (a list of NDArrays) or a Gluon '
                             f'net (a gluon.Block), got net={net!r}')
        self.path, self.net, self.params, self.trainer = os.fspath(path), net, params, trainer
        self.seed = int(nd.random.randint(0, 2 ** 30, shape=(1,)).asscalar())
        self.reference_loss = None  # the loss per example before training, for telling a diverging run

    def describe(self):
        """What the file records of the model: ``([[name, shape], ...], optimizer name)``; a shape may hold 0
        for a size a Gluon layer infers at its first batch."""
        if self.params is not None:
            shapes = [[f'params[{i}]', list(p.shape)] for i, p in enumerate(self.params)]
        else:
            shapes = [[name, list(p.shape)] for name, p in self.net.collect_params().items()]
        optimizer = type(self.trainer.optimizer).__name__.lower() if self.trainer is not None else 'gb.sgd'
        return shapes, optimizer

    def check_path(self):
        check_checkpoint_path(self.path)

    def resume(self, history, num_epochs=None):
        """Load the file if it exists, appending its epochs to ``history``; returns their number (0 without a
        file). A file of more epochs than ``num_epochs`` is refused, and nothing is loaded."""
        self.check_path()
        if not os.path.exists(self.path):
            return 0
        meta, files = self._read()
        saved, mine = (meta['params'], meta['optimizer']), self.describe()
        if not _same_model(saved, mine):
            raise CheckpointError(f'the checkpoint {self.path} belongs to another model: it holds {_model(*saved)}; '
                                  f'this model has {_model(*mine)}. Give another checkpoint path, or delete '
                                  f'{self.path} to train this model afresh')
        epochs = meta['epoch']
        if num_epochs is not None and epochs > num_epochs:
            raise CheckpointError(f'the checkpoint {self.path} holds {epochs} finished epochs, but this run asks '
                                  f'for {num_epochs}: ask for {epochs} epochs or more to continue from it ({epochs} '
                                  f'returns its history without training), or give another checkpoint path to '
                                  f'start afresh')
        self._load(files)
        self.seed, self.reference_loss = meta['seed'], meta.get('reference_loss')
        for key, values in meta['history'].items():
            getattr(history, key).extend(values)
        print(f'resuming from {self.path} after epoch {epochs}', flush=True)
        return epochs

    def _read(self):
        """The file's record and arrays, or a ``CheckpointError`` saying what the file is."""
        not_one = 'give the path of a checkpoint, or a new path to start afresh (the file is left as it is)'
        try:
            with open(self.path, 'rb') as f:
                head = f.read(4)
        except OSError as e:
            raise CheckpointError(f'cannot read the checkpoint {self.path}: {e.strerror}') from None
        if head != b'PK\x03\x04':  # a checkpoint is an .npz file: a zip archive
            what = 'an empty file' if not head else 'it does not start as one'
            raise CheckpointError(f'{self.path} is not a gluonbook checkpoint ({what}): {not_one}')
        try:
            with np.load(self.path) as saved:
                if 'meta' not in saved.files:
                    raise CheckpointError(f'{self.path} is not a gluonbook checkpoint (a zip file without its '
                                          f'record): {not_one}')
                meta = json.loads(str(saved['meta']))
                files = {name: saved[name] for name in ('params', 'trainer') if name in saved.files}
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as e:
            if isinstance(e, CheckpointError):
                raise
            raise CheckpointError(self._damaged(e)) from None
        if not isinstance(meta, dict) or meta.get('format') != self.FORMAT or not all(k in meta for k in self.KEYS):
            raise CheckpointError(f'{self.path} is not a checkpoint this gluonbook can read (its record is not '
                                  f'{self.FORMAT!r}; an older gluonbook wrote another): {not_one}')
        return meta, files

    def _damaged(self, error):
        return (f'the checkpoint {self.path} is damaged or truncated ({error}); delete it '
                f'to start afresh, or give another path')

    def _load(self, files):
        with tempfile.TemporaryDirectory() as folder:
            paths = {name: os.path.join(folder, name) for name in files}
            for name, path in paths.items():
                files[name].tofile(path)
            try:
                if self.params is None:
                    self.net.load_parameters(paths['params'])  # on the contexts the net is (or will be) on
                else:
                    values = nd.load(paths['params'])
                    for param, value in zip(self.params, values):
                        param[:] = value.as_in_context(param.context)
                if self.trainer is not None:
                    self.trainer.load_states(paths['trainer'])
            except (mx.MXNetError, AssertionError, ValueError, KeyError, OSError, EOFError) as e:
                raise CheckpointError(self._damaged(e)) from None

    def start(self, epoch):
        mx.random.seed(self.seed + epoch)

    def save(self, epoch, history, reference_loss=None):
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
        shapes, optimizer = self.describe()
        self.reference_loss = reference_loss or self.reference_loss
        meta = {'format': self.FORMAT, 'epoch': epoch, 'seed': self.seed, 'params': shapes, 'optimizer': optimizer,
                'reference_loss': self.reference_loss, 'history': history.to_dict()}
        buffer = io.BytesIO()
        np.savez(buffer, meta=np.array(json.dumps(meta)), **files)
        write_atomically(self.path, lambda tmp: _write_bytes(tmp, buffer.getvalue()))


def _write_bytes(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def check_checkpoint_path(path):
    """A :class:`CheckpointError` unless ``path`` names a file that can be written (or created): not a folder, in a
    folder that exists and can be written to. (Whether an existing file is a checkpoint of the model is checked
    when it is resumed from.)"""
    problem = file_problem(path, 'the checkpoint')
    if problem:
        raise CheckpointError(problem)


def _same_model(saved, mine):
    """Whether two ``(shapes, optimizer)`` records describe one model: same optimizer, same number of
    parameters, same shapes in order (a size not yet inferred, 0, matches any)."""
    (saved_shapes, saved_optimizer), (shapes, optimizer) = saved, mine
    return saved_optimizer == optimizer and len(saved_shapes) == len(shapes) and all(
        len(a) == len(b) and all(y <= 0 or x == y for x, y in zip(a, b))
        for (_, a), (_, b) in zip(saved_shapes, shapes))


def _model(shapes, optimizer, most=6):
    """``'2 parameters of shapes (3, 3), (3,), trained with gb.sgd'``"""
    def shape(dims):
        text = ', '.join(str(d) if d > 0 else '?' for d in dims)
        return f'({text},)' if len(dims) == 1 else f'({text})'
    listed = ', '.join(shape(dims) for _, dims in shapes[:most]) + (', ...' if len(shapes) > most else '')
    plural = 's' * (len(shapes) != 1)
    return f'{len(shapes)} parameter{plural} of shape{plural} {listed}, trained with {optimizer}'


# ---------------------------------------------------------------------------------------------------------------
# The book's trainers

def _check_args(num_epochs, batch_size=None, lr=None):
    """``(num_epochs, batch_size, lr)`` as Python numbers (numpy's are taken too), or a ``ValueError`` naming the
    one that is wrong."""
    num_epochs = positive_int(num_epochs, 'num_epochs')
    batch_size = None if batch_size is None else positive_int(batch_size, 'batch_size')
    if lr is not None:
        if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not (lr > 0 and math.isfinite(lr)):
            raise ValueError(f'lr must be a positive number, got {lr!r}')
        lr = float(lr)
    return num_epochs, batch_size, lr


def _check_params(params):
    """``params`` as a list, if it is a list or tuple of NDArrays with gradients attached."""
    if not isinstance(params, (list, tuple)) or not all(isinstance(p, nd.NDArray) for p in params):
        hint = (': for a Gluon net, pass trainer=gluon.Trainer(net.collect_params(), ...) instead'
                if isinstance(params, gluon.ParameterDict) else '')
        raise TypeError(f'params must be a list of NDArrays (the parameters gb.sgd updates, such as [W, b]), got '
                        f'{_kind(params)}{hint}')
    for i, param in enumerate(params):
        if param.grad is None:
            raise ValueError(f'params[{i}] (shape {param.shape}) has no gradient attached: call attach_grad() on '
                             f'each parameter before training (for param in params: param.attach_grad())')
    return list(params)


def _check_trainer(trainer):
    if not isinstance(trainer, gluon.Trainer):
        raise TypeError(f"trainer must be a gluon.Trainer, such as gluon.Trainer(net.collect_params(), 'sgd', "
                        f"{{'learning_rate': 0.1}}), got {_kind(trainer)}")
    try:
        lr = trainer.learning_rate  # for the messages of a diverging run
    except (UserWarning, AttributeError):
        return None
    if isinstance(lr, np.generic):
        # MXNet writes the rate into its update operator's arguments as text, and numpy 2 writes a numpy scalar
        # as 'np.float32(0.5)', which the operator refuses: the same rate, as a Python float
        lr = float(lr)
        trainer.set_learning_rate(lr)
    return lr


def _kind(value):
    if isinstance(value, (list, tuple)):
        wrong = [type(v).__name__ for v in value if not isinstance(v, nd.NDArray)]
        return f'a {type(value).__name__} holding {wrong[0]}' if wrong else f'a {type(value).__name__}'
    if value is None or isinstance(value, (str, numbers.Number)):
        return f'{type(value).__name__} {value!r}'[:120]
    return type(value).__name__


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
            the file: see :class:`Checkpoint`). Needs ``params``, or a Gluon ``net`` (its ``collect_params()``).

    The first batch is checked before any update: the net's output must be scores ``(batch, classes)`` (one
    row per example) for labels ``(batch,)``, the labels in ``0..classes-1``. A loss growing to more than
    ten times its value before training, or an accuracy at chance from the second epoch on, gives a
    :class:`TrainingWarning` naming the learning rate.

    Returns:
        A :class:`History`: lists ``loss``, ``train_acc``, ``test_acc`` and ``seconds`` (Python floats), one
        entry per finished epoch. On Ctrl-C, the epochs finished so far.

    Raises:
        ValueError: ``num_epochs`` or ``batch_size`` not a positive integer, ``lr`` not a positive number, neither
            a ``trainer`` nor ``params`` and ``lr``, a parameter without a gradient, an empty ``train_iter``, a
            net whose output does not fit the labels.
        TypeError: ``params`` not a list of NDArrays, ``trainer`` not a ``gluon.Trainer``.
        CheckpointError (a ValueError): the checkpoint path is a folder or in no folder, the file is damaged,
            not a checkpoint, another model's, or holds more epochs than ``num_epochs``.
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
    num_epochs, batch_size, lr = _check_args(num_epochs, batch_size, lr if trainer is None else None)
    if trainer is None and (params is None or lr is None):
        raise ValueError('train_ch3 needs either trainer= or both params= and lr= (for gb.sgd)')
    if trainer is None:
        params = _check_params(params)
    else:
        lr = _check_trainer(trainer)
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


def train_ch5(net, train_iter, test_iter, batch_size, trainer, ctx, num_epochs, progress=None):
    """Train a Gluon model on one context (chapter 5: a context or a string such as ``'cpu'``), with
    SoftmaxCrossEntropyLoss, printing ``training on`` and the book's line per epoch; returns a History. Checks
    and warns as :func:`train_ch3` does; ``progress`` as there."""
    num_epochs, batch_size, _ = _check_args(num_epochs, batch_size)
    ctx, lr = as_context(ctx), _check_trainer(trainer)
    print('training on', ctx)
    return fit(net, train_iter, test_iter, gluon.loss.SoftmaxCrossEntropyLoss(), lambda n: trainer.step(batch_size),
               num_epochs, [ctx], timed=True, lr=lr, progress=progress)


def train(train_iter, test_iter, net, loss, trainer, ctx, num_epochs, batch_size=None, checkpoint=None,
          progress=None):
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
            trainer's state (momentum) too; a checkpoint saved on other contexts resumes on these.
        progress (bool): a progress bar within each epoch, as in :func:`train_ch3`.

    The first batch is checked and a run that does not learn warned about, as in :func:`train_ch3`.

    Returns:
        A :class:`History` (``loss``, ``train_acc``, ``test_acc``, ``seconds`` per finished epoch); on Ctrl-C,
        the epochs finished so far.

    Raises:
        ValueError: ``num_epochs`` or ``batch_size`` not a positive integer, a GPU that is not there, a net whose
            output does not fit the labels, an empty ``train_iter``.
        TypeError: ``ctx`` neither a context nor a list of them, ``trainer`` not a ``gluon.Trainer``.
        CheckpointError (a ValueError): a checkpoint that cannot be used, as in :func:`train_ch3`.
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
    num_epochs, batch_size, _ = _check_args(num_epochs, batch_size)
    lr = _check_trainer(trainer)
    saved = Checkpoint(checkpoint, net, None, trainer) if checkpoint else None
    if saved:
        saved.check_path()
    print('training on', ctxs)
    return fit(net, train_iter, test_iter, loss, lambda n: trainer.step(batch_size or n), num_epochs, ctxs, saved,
               timed=True, lr=lr, progress=progress)
