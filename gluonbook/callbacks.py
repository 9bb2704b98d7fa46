"""What the training loop does around its batches, as callbacks (Keras' ``Callback`` is the model).

:func:`gluonbook.training.fit` calls each callback's hooks in order: ``on_train_begin()``, then per epoch
``on_epoch_begin(epoch)``, ``on_batch_end(batch, logs)`` after every batch and ``on_epoch_end(epoch, logs)``, and
``on_train_end()`` last (also after Ctrl-C or an error). Epochs and batches count from 1, as the book's lines do.
Before the first hook each callback's ``loop`` is set to the :class:`Loop`: the net, the history so far, the number
of epochs and of batches per epoch, and ``stop_training``, which a callback sets to end the run after the current
epoch. The values of a batch are not read in ``on_batch_end`` (reading them would make Python wait for MXNet's
engine at every step); ``on_epoch_end`` gets the epoch's ``loss``, ``train_acc``, ``test_acc`` and ``seconds``.

The book's trainers run these built-in ones, then yours (``gb.train_ch3(..., callbacks=[MyCallback()])``):
:class:`LearningMonitor` (a loss no longer finite, a diverging loss, an accuracy at chance), the checkpoint
(:class:`gluonbook.checkpoint.Checkpoint`), :class:`EpochLine` (the book's line per epoch), :class:`LivePlot` (the
live figure), :class:`ProgressBar` and :class:`TimeEstimate` (how long the epoch and the run will take).

A reader's early stopping, for example::

    class EarlyStopping(gb.callbacks.Callback):
        def __init__(self, patience=2):
            self.patience, self.best, self.waited = patience, 0, 0

        def on_epoch_end(self, epoch, logs):
            if logs['test_acc'] > self.best:
                self.best, self.waited = logs['test_acc'], 0
            else:
                self.waited += 1
                self.loop.stop_training = self.waited >= self.patience
"""
import functools
import sys
import time

from mxnet import nd

from . import diagnostics


class Callback:
    """The hooks of the training loop; each does nothing here: override the ones you need."""

    loop = None  # the Loop being trained, set before on_train_begin

    def set_loop(self, loop):
        self.loop = loop

    def on_train_begin(self):
        pass

    def on_epoch_begin(self, epoch):
        pass

    def on_batch_end(self, batch, logs):
        """``logs``: ``{'size': examples in the batch}``."""

    def on_epoch_end(self, epoch, logs):
        """``logs``: ``{'loss', 'train_acc', 'test_acc', 'seconds'}`` of this epoch, Python floats."""

    def on_train_end(self):
        pass


class Loop:
    """What the callbacks see of a run: ``net``, as the loop runs it (``train_ch5`` and ``train`` run a Sequential
    they hybridize for the run as an ``nn.HybridSequential`` of its layers); ``num_epochs``; ``num_batches`` per
    epoch (None where the iterator has no ``len``); ``history`` (a :class:`gluonbook.training.History`);
    ``epoch``, the current one; ``initial_epoch``, the epochs already finished when the run began (a resumed
    checkpoint's); ``reference_loss`` and ``classes`` (the loss per example before training and the number of
    scores, from the first batch); ``bar``, the progress bar of the current epoch or None; ``stop_training``: set
    it to end the run after this epoch."""

    def __init__(self, net, num_epochs, num_batches, history, callbacks=()):
        self.net, self.num_epochs, self.num_batches, self.history = net, num_epochs, num_batches, history
        self.callbacks = list(callbacks)
        self.epoch = self.initial_epoch = 0
        self.reference_loss = self.classes = self.bar = None
        self.stop_training = False
        for callback in self.callbacks:
            callback.set_loop(self)

    def call(self, hook, *args):
        for callback in self.callbacks:
            getattr(callback, hook)(*args)


def in_notebook():
    """Whether this runs in a Jupyter kernel."""
    shell = sys.modules.get('IPython') and sys.modules['IPython'].get_ipython()
    return shell is not None and 'IPKernelApp' in shell.config


# ---------------------------------------------------------------------------------------------------------------
# The built-in callbacks

class LearningMonitor(Callback):
    """Stops a run whose loss is no longer finite (``FloatingPointError``) and warns, once a run each, of a loss
    more than ten times the loss before training and of an accuracy at chance from epoch 2 on
    (:class:`gluonbook.diagnostics.TrainingWarning`); ``lr`` is named in the messages."""

    def __init__(self, lr=None):
        self.lr, self.warned = lr, set()

    def on_epoch_end(self, epoch, logs):
        diagnostics.check_finite(logs['loss'], epoch, self.lr)
        messages = {'diverging': diagnostics.diverging(epoch, logs['loss'], self.loop.reference_loss, self.lr),
                    'chance': diagnostics.at_chance(epoch, logs['train_acc'], logs['test_acc'], self.loop.classes,
                                                    self.lr)}
        for kind, message in messages.items():
            if message and kind not in self.warned:
                self.warned.add(kind)
                diagnostics.warn(message)


class EpochLine(Callback):
    """The book's line per epoch, ``epoch N, loss L, train acc A, test acc T`` (with ``, time X sec`` if
    ``timed``)."""

    def __init__(self, timed=False):
        self.timed = timed

    def on_epoch_end(self, epoch, logs):
        line = f"epoch {epoch}, loss {logs['loss']:.4f}, train acc {logs['train_acc']:.3f}, test acc " \
               f"{logs['test_acc']:.3f}"
        print(line + (f", time {logs['seconds']:.1f} sec" if self.timed else ''), flush=True)


class LivePlot(Callback):
    """Live curves of the loss and the accuracies (:class:`gluonbook.plotting.Animator`), shown before the first
    epoch's line; the epochs of a resumed checkpoint are drawn first."""

    def on_train_begin(self):
        from .plotting import Animator
        self.animator = Animator(xlabel='epoch', ylabel='loss, accuracy', xlim=[1, self.loop.num_epochs],
                                 legend=['train loss', 'train acc', 'test acc'])
        history = self.loop.history
        for epoch in range(1, len(history) + 1):
            self.animator.add(epoch, (history.loss[epoch - 1], history.train_acc[epoch - 1],
                                      history.test_acc[epoch - 1]))

    def on_epoch_end(self, epoch, logs):
        self.animator.add(epoch, (logs['loss'], logs['train_acc'], logs['test_acc']))


class ProgressBar(Callback):
    """A tqdm bar within each epoch: a widget in a notebook with ipywidgets, else tqdm's text bar (tqdm.auto, in a
    notebook without ipywidgets, would print a warning block first). In a notebook the text bar writes to stdout,
    where the epoch's line replaces it (on stderr, a separate output, it would leave an empty strip behind)."""

    def on_epoch_begin(self, epoch):
        self.loop.bar = _tqdm()(total=self.loop.num_batches, desc=f'epoch {epoch}/{self.loop.num_epochs}',
                                leave=False, unit='batch')

    def on_batch_end(self, batch, logs):
        self.loop.bar.update(1)

    def on_epoch_end(self, epoch, logs):
        self.on_train_end()

    def on_train_end(self):
        if self.loop.bar is not None:
            self.loop.bar.close()
            self.loop.bar = None


def _tqdm():
    if in_notebook():
        try:
            import ipywidgets  # noqa: F401
            from tqdm.notebook import tqdm
            return tqdm
        except ImportError:
            from tqdm.std import tqdm
            return functools.partial(tqdm, file=sys.stdout)
    from tqdm.std import tqdm
    return tqdm


class TimeEstimate(Callback):
    """How long the epoch and the run will take, measured on the first few batches of the first epoch and shown
    once: in the progress bar where there is one, else (when the run will take longer than ``threshold`` seconds)
    as one line, ``epoch 1: about 31 min per epoch, 5 h 10 min for 10 epochs (measured on 5 batches)``.

    The first batch is left out of the measurement (it carries one-time work: checks, shape inference, building
    a hybridized graph); then it measures ``batches`` batches, or fewer if they take more than ``seconds``. Only
    the training batches are counted: evaluating the test set adds a little.

    Outside :func:`gluonbook.training.fit` (a loop of your own)::

        estimate = TimeEstimate()
        estimate.start(num_batches, num_epochs)
        for epoch in ...:
            for batch in ...:
                ...
                estimate.batch_done()
    """

    def __init__(self, batches=5, threshold=30, seconds=2, file=None):
        self.batches, self.threshold, self.seconds, self.file = batches, threshold, seconds, file
        self.text, self.done, self.count, self.began = None, True, 0, None

    def start(self, num_batches, num_epochs, bar=None, epoch=1):
        """Measure the next batches: ``num_batches`` per epoch (None: unknown, nothing shown), ``num_epochs`` to
        run; ``bar``, a tqdm bar to show the estimate in."""
        self.num_batches, self.num_epochs, self.bar, self.epoch = num_batches, num_epochs, bar, epoch
        self.done, self.count, self.began = not num_batches, 0, None

    def batch_done(self):
        """Call after each batch (of the first epoch at least); waits for MXNet's engine twice, once."""
        if self.done:
            return
        self.count += 1
        if self.began is None:
            nd.waitall()  # the first batch: its one-time work left out
            self.began, self.count = time.time(), 0
            return
        if self.count < self.batches and time.time() - self.began < self.seconds:
            return
        nd.waitall()
        per_batch = (time.time() - self.began) / self.count
        self.done = True
        self.show(per_batch * self.num_batches, self.count)

    def show(self, per_epoch, measured_on):
        total = per_epoch * self.num_epochs
        for_all = f', {duration(total)} for {self.num_epochs} epochs' if self.num_epochs > 1 else ''
        self.text = f'about {duration(per_epoch)} per epoch{for_all}'
        if self.bar is not None:
            self.bar.set_postfix_str(self.text)
        elif total >= self.threshold:
            batches = f'{measured_on} batch' + 'es' * (measured_on != 1)
            print(f'epoch {self.epoch}: {self.text} (measured on {batches})', file=self.file or sys.stdout,
                  flush=True)

    def on_epoch_begin(self, epoch):
        if self.text is None and self.done:
            self.start(self.loop.num_batches, self.loop.num_epochs - self.loop.initial_epoch, self.loop.bar, epoch)

    def on_batch_end(self, batch, logs):
        self.batch_done()


def duration(seconds):
    """``'45 s'``, ``'31 min'``, ``'5 h 10 min'``: a duration rounded as a reader reads an estimate."""
    if seconds < 60:
        return f'{max(1, round(seconds))} s'
    minutes = round(seconds / 60)
    if minutes < 60:
        return f'{minutes} min'
    hours, minutes = divmod(minutes, 60)
    return f'{hours} h {minutes} min' if minutes else f'{hours} h'
