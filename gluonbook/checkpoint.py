"""Checkpoints: the training state after each epoch, in one file written atomically, to resume a run from."""
import io
import json
import os
import tempfile
import zipfile

import mxnet as mx
import numpy as np
from mxnet import gluon, nd

from .callbacks import Callback
from .files import file_problem, write_atomically


class CheckpointError(ValueError):
    """A checkpoint path that cannot be resumed from or written: a folder, a damaged file or another file, the
    checkpoint of another model or of other settings, more epochs than the run asks for."""


class Checkpoint(Callback):
    """The training state at the end of an epoch, in one file written atomically, to resume a run from.

    It holds the parameters (a ``params`` list of NDArrays, as ``nd.save`` writes them, or a Gluon ``net``'s, as
    ``net.save_parameters`` writes them), a ``trainer``'s state (``trainer.save_states``: momentum, update
    count), the number of finished epochs, their history, a record of the model it belongs to (each parameter's
    name and shape, the optimizer's name) and the run's ``settings`` (a dict: the trainers record ``lr`` and
    ``batch_size``; the train command adds ``model``, ``hiddens`` and ``seed``). Both are checked before anything
    is loaded: another model's checkpoint, a setting with another value, a damaged file, a file that is not a
    checkpoint and a folder are each refused with a :class:`CheckpointError`, and the model is left as it was.
    (A setting the file has and this run does not name is taken from the file, into ``settings``; ``defaults``
    are settings taken from the file where it has them, never compared: the train command's seed drawn at random,
    so that a run without ``--seed`` resumes any checkpoint and records the seed it started from.) The parameters
    are loaded onto the contexts the model is on now, whichever they were saved from.

    Every epoch starts by seeding MXNet's generator with ``seed + epoch``; ``seed`` is drawn once from the
    generator (so ``mx.random.seed`` before training fixes it) and kept in the file. So a run stopped and
    resumed ends where the same run with the same checkpoint path ends uninterrupted; a run without a
    checkpoint draws its batches otherwise and ends elsewhere.

    As a callback of :func:`gluonbook.training.fit`: ``on_train_begin`` resumes, ``on_epoch_begin`` seeds,
    ``on_epoch_end`` saves. ``gb.train_ch3(..., checkpoint=PATH)`` creates one; pass
    ``checkpoint=Checkpoint(PATH, settings={...})`` to record settings of your own."""

    FORMAT = 'gluonbook checkpoint 2'
    KEYS = ('format', 'epoch', 'seed', 'params', 'optimizer', 'history')

    def __init__(self, path, net=None, params=None, trainer=None, settings=None, defaults=None):
        self.path, self.settings, self.defaults = os.fspath(path), dict(settings or {}), dict(defaults or {})
        self.seed = int(nd.random.randint(0, 2 ** 30, shape=(1,)).asscalar())
        self.net = self.params = self.trainer = self.reference_loss = None
        if net is not None or params is not None:
            self.bind(net, params, trainer)

    def bind(self, net, params=None, trainer=None):
        """The model whose state the file holds: ``params`` (a list of NDArrays) or a Gluon ``net``, and the
        ``trainer`` if there is one."""
        if params is None and not isinstance(net, gluon.Block):
            raise ValueError(f'a checkpoint needs the parameters to save: params= (a list of NDArrays) or a Gluon '
                             f'net (a gluon.Block), got net={net!r}')
        self.net, self.params, self.trainer = net, params, trainer
        return self

    def record(self, **settings):
        """Add settings of this run that are not set yet (None values are left out)."""
        for key, value in settings.items():
            if value is not None:
                self.settings.setdefault(key, value)
        return self

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

    # the callback's hooks
    def on_train_begin(self):
        self.loop.initial_epoch = self.resume(self.loop.history, self.loop.num_epochs)
        self.loop.reference_loss = self.reference_loss

    def on_epoch_begin(self, epoch):
        mx.random.seed(self.seed + epoch)

    def on_epoch_end(self, epoch, logs):
        self.save(epoch, self.loop.history, self.loop.reference_loss)

    def resume(self, history, num_epochs=None):
        """Load the file if it exists, appending its epochs to ``history``; returns their number (0 without a
        file). A file of more epochs than ``num_epochs``, of another model or other settings is refused, and
        nothing is loaded."""
        self.check_path()
        if not os.path.exists(self.path):
            self.record(**self.defaults)
            return 0
        meta, files = self._read()
        saved, mine = (meta['params'], meta['optimizer']), self.describe()
        if not _same_model(saved, mine):
            raise CheckpointError(f'the checkpoint {self.path} belongs to another model: it holds {_model(*saved)}; '
                                  f'this model has {_model(*mine)}. Give another checkpoint path, or delete '
                                  f'{self.path} to train this model afresh')
        self._compare(meta.get('settings', {}))
        epochs = meta['epoch']
        if num_epochs is not None and epochs > num_epochs:
            raise CheckpointError(f'the checkpoint {self.path} holds {epochs} finished epochs, but this run asks '
                                  f'for {num_epochs}: ask for {epochs} epochs or more to continue from it ({epochs} '
                                  f'returns its history without training), or give another checkpoint path to '
                                  f'start afresh')
        self._load(files)
        self.seed, self.reference_loss = meta['seed'], meta.get('reference_loss')
        self.record(**meta.get('settings', {}), **{k: v for k, v in self.defaults.items()
                                                    if k not in meta.get('settings', {})})
        for key, values in meta['history'].items():
            getattr(history, key).extend(values)
        print(f'resuming from {self.path} after epoch {epochs}', flush=True)
        return epochs

    def _compare(self, saved):
        """A :class:`CheckpointError` naming the first setting whose value differs between the file and this run."""
        mine = json.loads(json.dumps(self.settings))  # as the file holds them: tuples as lists
        for key, value in saved.items():
            if key in mine and mine[key] != value:
                raise CheckpointError(f'the checkpoint {self.path} was saved by a run with {key} {_show(value)}, '
                                      f'but this run has {key} {_show(mine[key])}: resume with {key} '
                                      f'{_show(value)}, or give another checkpoint path (or delete {self.path}) '
                                      f'to start afresh')

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
                'reference_loss': self.reference_loss, 'settings': self.settings, 'history': history.to_dict()}
        buffer = io.BytesIO()
        np.savez(buffer, meta=np.array(json.dumps(meta)), **files)
        write_atomically(self.path, lambda tmp: _write_bytes(tmp, buffer.getvalue()))


def _write_bytes(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def _show(value):
    return ','.join(map(str, value)) if isinstance(value, list) else f'{value:g}' if isinstance(value, float) \
        else str(value)


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
