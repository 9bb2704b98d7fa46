"""gluonbook/callbacks.py: a reader's own callbacks in the book's trainers and in fit, early stopping, the time
estimate; gluonbook/diagnostics.py: the training warnings as one line in a real notebook."""
import re
import subprocess
import sys

import mxnet as mx
import pytest
from helpers import epoch_lines, linear_model, tiny_batches
from mxnet import gluon, nd
from mxnet.gluon import loss as gloss
from mxnet.gluon import nn

import gluonbook as gb
from gluonbook import callbacks, diagnostics, models, training


class Recorder(gb.callbacks.Callback):
    """Records every hook it is called with."""

    def __init__(self):
        self.calls = []

    def on_train_begin(self):
        self.calls.append(('train_begin', self.loop.num_epochs, self.loop.num_batches))

    def on_epoch_begin(self, epoch):
        self.calls.append(('epoch_begin', epoch))

    def on_batch_end(self, batch, logs):
        self.calls.append(('batch_end', batch, logs['size']))

    def on_epoch_end(self, epoch, logs):
        self.calls.append(('epoch_end', epoch, sorted(logs), logs['test_acc']))

    def on_train_end(self):
        self.calls.append(('train_end', len(self.loop.history)))


def test_a_readers_callback_is_called_at_every_hook_in_order(capsys):
    net, params = linear_model()
    mine = Recorder()
    history = gb.train_ch3(net, tiny_batches(4), tiny_batches(4), gloss.SoftmaxCrossEntropyLoss(), 2, 1, params,
                           0.5, progress=False, plot=False, callbacks=[mine])
    epoch = [('batch_end', i, 1) for i in range(1, 5)]
    keys = ['loss', 'seconds', 'test_acc', 'train_acc']
    assert mine.calls == [('train_begin', 2, 4), ('epoch_begin', 1), *epoch, ('epoch_end', 1, keys,
                          history.test_acc[0]), ('epoch_begin', 2), *epoch, ('epoch_end', 2, keys,
                          history.test_acc[1]), ('train_end', 2)]
    assert len(epoch_lines(capsys.readouterr().out)) == 2  # the book's lines are still printed


class EarlyStopping(gb.callbacks.Callback):
    """Stops when the test accuracy has not improved for ``patience`` epochs (as a reader would write it)."""

    def __init__(self, patience=1):
        self.patience, self.best, self.waited = patience, -1, 0

    def on_epoch_end(self, epoch, logs):
        if logs['test_acc'] > self.best:
            self.best, self.waited = logs['test_acc'], 0
        else:
            self.waited += 1
            self.loop.stop_training = self.waited >= self.patience


def test_early_stopping_written_as_a_readers_callback_ends_the_run(capsys):
    net, params = linear_model()  # learns the tiny data in one epoch: test accuracy 1.0, then no better
    history = gb.train_ch3(net, tiny_batches(), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(), 10, 1, params,
                           0.5, progress=False, plot=False, callbacks=[EarlyStopping(patience=2)])
    assert history.test_acc[0] == 1.0 and len(history) == 3
    assert [line.epoch for line in epoch_lines(capsys.readouterr().out)] == [1, 2, 3]


def test_the_gluon_trainers_take_callbacks_too(capsys):
    for entry in ('train', 'train_ch5'):
        net = nn.Dense(3)
        net.initialize()
        trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
        mine = Recorder()
        if entry == 'train':
            gb.train(tiny_batches(), tiny_batches(), net, gloss.SoftmaxCrossEntropyLoss(), trainer, 'cpu', 2,
                     callbacks=[mine])
        else:
            gb.train_ch5(net, tiny_batches(), tiny_batches(), 1, trainer, 'cpu', 2, callbacks=[mine])
        assert [c[0] for c in mine.calls].count('epoch_end') == 2 and mine.calls[-1] == ('train_end', 2)


def test_fit_is_the_loop_with_only_the_callbacks_given(capsys):
    """fit runs no built-in callback: no line is printed unless a callback prints it."""
    net, params = linear_model()
    mine = Recorder()
    history = training.fit(net, tiny_batches(), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(),
                           lambda n: gb.sgd(params, 0.5, 1), 2, callbacks=[mine])
    assert capsys.readouterr().out == '' and len(history) == 2 and mine.calls[-1] == ('train_end', 2)
    training.fit(net, tiny_batches(), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(),
                 lambda n: gb.sgd(params, 0.5, 1), 1, callbacks=[callbacks.EpochLine(timed=True)])
    line, = epoch_lines(capsys.readouterr().out)
    assert line.epoch == 1 and line.seconds is not None


@pytest.mark.parametrize('given', ['print', [print], [callbacks.Callback, 'x']])
def test_what_is_not_a_callback_is_named(given, capsys):
    net, params = linear_model()
    with pytest.raises(TypeError, match='callbacks must be a list of gb.callbacks.Callback objects'):
        gb.train_ch3(net, tiny_batches(), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(), 1, 1, params, 0.5,
                     callbacks=given)
    assert capsys.readouterr().out == ''


# ---------------------------------------------------------------------------------------------------------------
# The time estimate

@pytest.mark.parametrize('seconds, text', [(0.2, '1 s'), (44.6, '45 s'), (1860, '31 min'), (18600, '5 h 10 min'),
                                           (7200, '2 h')])
def test_durations_read_as_an_estimate(seconds, text):
    assert callbacks.duration(seconds) == text


ESTIMATE = re.compile(r'^epoch 1: about (\d+ (s|min)|\d+ h( \d+ min)?) per epoch, .+ for 3 epochs \(measured on '
                      r'(\d+) batch(es)?\)$', re.M)


def test_the_estimate_is_one_line_early_in_the_first_epoch(capsys):
    net, params = linear_model()
    mine = Recorder()
    shown = callbacks.TimeEstimate(threshold=0)  # every epoch counts as long here
    training.fit(net, tiny_batches(12), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(),
                 lambda n: gb.sgd(params, 0.5, 1), 3, callbacks=[callbacks.EpochLine(), shown, mine])
    out = capsys.readouterr().out.splitlines()
    estimates = [i for i, line in enumerate(out) if ESTIMATE.match(line)]
    assert len(estimates) == 1 and estimates[0] == 0  # once, before the first epoch's line
    assert int(ESTIMATE.match(out[0]).group(4)) <= 5  # on the first few batches
    assert 'about' in shown.text and len(epoch_lines('\n'.join(out))) == 3


def test_a_short_epoch_gets_no_estimate_line_and_a_bar_shows_it(capsys):
    net, params = linear_model()
    gb.train_ch3(net, tiny_batches(12), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(), 3, 1, params, 0.5,
                 progress=False, plot=False)
    assert 'about' not in capsys.readouterr().out  # an epoch of milliseconds: not worth a line
    gb.train_ch3(net, tiny_batches(12), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(), 3, 1, params, 0.5,
                 progress=True, plot=False)
    out, err = capsys.readouterr()
    assert 'about' not in out and re.search(r'about \d+ s per epoch, \d+ s for 3 epochs', err)  # in the bar


def test_the_estimate_in_a_loop_of_ones_own(capsys):
    """What a loop that does not use fit (the RNN chapters, train_ch7) calls."""
    estimate = callbacks.TimeEstimate(threshold=0)
    estimate.start(num_batches=100, num_epochs=4)
    x = nd.ones((50, 50))
    for _ in range(7):
        x = nd.dot(x, x) / 50
        estimate.batch_done()
    line = capsys.readouterr().out
    assert line.startswith('epoch 1: about ') and 'for 4 epochs (measured on ' in line and line.count('\n') == 1


# ---------------------------------------------------------------------------------------------------------------
# The warnings: catchable, and one clean line where shown

def stuck_run(**kwargs):
    w = nd.zeros((3, 3))
    w.attach_grad()
    return gb.train_ch3(lambda X: nd.dot(X, w) * 0, tiny_batches(), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(),
                        3, 1, [w], 0.5, progress=False, plot=False, **kwargs)


def test_the_warnings_are_caught_by_pythons_machinery(capsys):
    with pytest.warns(diagnostics.TrainingWarning, match='at chance for 3 classes'):
        stuck_run()
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('error', diagnostics.TrainingWarning)
        with pytest.raises(diagnostics.TrainingWarning):
            stuck_run()
    assert 'warning:' not in capsys.readouterr().err  # caught, not shown


def test_in_a_script_a_warning_is_one_line_and_pythons_display_is_left_as_it_was():
    code = '''import warnings
import gluonbook as gb
from mxnet import nd
from mxnet.gluon import loss as gloss
w = nd.zeros((3, 3)); w.attach_grad()
batches = [(nd.one_hot(nd.array([i % 3]), 3), nd.array([i % 3])) for i in range(6)]
before = warnings.formatwarning
gb.train_ch3(lambda X: nd.dot(X, w) * 0, batches, batches, gloss.SoftmaxCrossEntropyLoss(), 3, 1, [w], 0.5)
assert warnings.formatwarning is before
warnings.warn('another warning')'''
    run = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    lines = run.stderr.splitlines()
    assert lines[0].startswith('warning: after epoch 2 the accuracy is at chance') and 'TrainingWarning' not in lines[0]
    assert lines[1].endswith('UserWarning: another warning')  # other warnings as Python shows them


@pytest.mark.slow
def test_in_a_notebook_a_training_warning_is_one_clean_line(tmp_path):
    """In a real Jupyter kernel: no temporary file of the kernel, no repeated code line, one line per warning."""
    import nbclient
    import nbformat
    code = '''import gluonbook as gb
from mxnet import nd
from mxnet.gluon import loss as gloss
w = nd.zeros((3, 3)); w.attach_grad()
batches = [(nd.one_hot(nd.array([i % 3]), 3), nd.array([i % 3])) for i in range(6)]
history = gb.train_ch3(lambda X: nd.dot(X, w) * 0, batches, batches, gloss.SoftmaxCrossEntropyLoss(), 3, 1, [w],
                       0.5, plot=False)'''
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbclient.NotebookClient(nb, timeout=120, kernel_name='python3').execute()
    stderr = ''.join(o.text for o in nb.cells[0].outputs if o.get('name') == 'stderr')
    assert stderr.splitlines() == [line for line in stderr.splitlines() if line.startswith('warning: ')]
    assert len(stderr.splitlines()) == 1 and 'at chance for 3 classes' in stderr
    for noise in ('ipykernel', 'TrainingWarning', 'gb.train_ch3', '.py:'):
        assert noise not in stderr


def test_a_warning_from_the_scratch_mlp_names_the_learning_rate_on_real_data_shape():
    """The learning monitor reads the reference loss of the first batch: ln(10) for ten classes at start."""
    mx.random.seed(1)
    X, y = nd.random.uniform(shape=(64, 784)), nd.random.randint(0, 10, shape=(64,)).astype('float32')
    net, params = models.scratch_mlp((16,))
    seen = Recorder()
    gb.train_ch3(net, [(X, y)], [(X, y)], gloss.SoftmaxCrossEntropyLoss(), 1, 64, params, 0.1, progress=False,
                 plot=False, callbacks=[seen])
    assert seen.loop.reference_loss == pytest.approx(2.3026, abs=1e-3) and seen.loop.classes == 10
