"""gluonbook/training.py: the book's helpers on small arrays; the trainers on the real Fashion-MNIST: the book's
lines, the history, several contexts, a diverging model, Ctrl-C, checkpoints."""
import itertools
import json
import os
import signal
import subprocess
import sys
import time

import mxnet as mx
import numpy as np
import pytest
from helpers import epoch_lines, interrupt_at, linear_model, tiny_batches
from mxnet import gluon, init, nd
from mxnet.gluon import loss as gloss
from mxnet.gluon import nn

import gluonbook as gb
from gluonbook import models, training


def test_accuracy_and_evaluate_accuracy():
    y_hat = nd.array([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    assert gb.accuracy(y_hat, nd.array([2, 2])) == 1.0
    assert gb.accuracy(y_hat, nd.array([0, 2], dtype='int32')) == 0.5
    X = nd.one_hot(nd.array([0, 1, 2, 1, 0]), 3)
    y = nd.array([0, 1, 2, 2, 2])

    def identity(X):
        return X
    batches = [(X[:2], y[:2]), (X[2:], y[2:])]
    assert gb.evaluate_accuracy(batches, identity) == pytest.approx(3 / 5)
    assert gb.evaluate_accuracy(batches, identity, [mx.cpu(0), mx.cpu(1)]) == pytest.approx(3 / 5)


def test_one_epoch_of_the_scratch_mlp_prints_the_book_line_and_returns_history(real_data, capsys):
    mx.random.seed(1)  # after one epoch the test accuracy depends on the order of batches: 0.78 to 0.81 over seeds
    train_iter, test_iter = gb.load_data_fashion_mnist(256)
    net, params = models.scratch_mlp()
    history = gb.train_ch3(net, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 1, 256, params, 0.5)
    line, = epoch_lines(capsys.readouterr().out)
    assert line.epoch == 1 and line.test_acc >= 0.80 and line.seconds is None
    assert len(history) == 1 and history.test_acc[0] == pytest.approx(line.test_acc, abs=5e-4)
    assert history.loss[0] == pytest.approx(line.loss, abs=5e-5) and 0.3 < history.loss[0] < 1.0
    assert history.train_acc[0] == pytest.approx(line.train_acc, abs=5e-4) and history.seconds[0] > 0
    assert history.test_acc[0] == pytest.approx(gb.evaluate_accuracy(test_iter, net))


def scratch_mlp_history(num_epochs, lr):
    """The book's MLP from scratch trained on the real data from seed 1; its History."""
    mx.random.seed(1)
    train_iter, test_iter = gb.load_data_fashion_mnist(256)
    net, params = models.scratch_mlp()
    return gb.train_ch3(net, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), num_epochs, 256, params, lr)


@pytest.mark.slow
@pytest.mark.realdata
def test_ten_epochs_of_the_scratch_mlp_reach_the_books_accuracy(real_data, capsys, recwarn):
    history = scratch_mlp_history(10, 0.5)
    assert [w for w in recwarn if w.category is training.TrainingWarning] == []
    assert [line.epoch for line in epoch_lines(capsys.readouterr().out)] == list(range(1, 11))
    assert history.test_acc[-1] >= 0.86
    assert history.loss[-1] < history.loss[0] and history.train_acc[-1] > history.train_acc[0]


@pytest.mark.slow
@pytest.mark.realdata
def test_training_reads_values_once_per_epoch_not_per_batch(real_data, monkeypatch):
    train_iter, test_iter = gb.load_data_fashion_mnist(256)
    net, params = models.scratch_mlp()
    reads, read = [], nd.NDArray.asnumpy
    monkeypatch.setattr(nd.NDArray, 'asnumpy', lambda self: reads.append(self.shape) or read(self))  # and asscalar
    gb.train_ch3(net, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 2, 256, params, 0.5)
    # a few reads per epoch (the sums, the test accuracy) and one of the first batch: fewer than one per batch
    assert 0 < len(reads) < len(train_iter)


@pytest.mark.slow
@pytest.mark.realdata
def test_train_ch3_with_a_gluon_trainer(real_data):
    mx.random.seed(2)
    train_iter, test_iter = gb.load_data_fashion_mnist(256)
    net = models.gluon_mlp()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
    history = gb.train_ch3(net, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 1, 256, None, None, trainer)
    assert history.test_acc[0] >= 0.78


@pytest.mark.slow
@pytest.mark.realdata
def test_train_over_two_contexts_matches_one(real_data, capsys):
    """The multi-device path (split_and_load + KVStore) that several GPUs use, on two CPU contexts."""
    results = {}
    for ctx in ([mx.cpu(0)], [mx.cpu(0), mx.cpu(1)]):
        mx.random.seed(3)
        train_iter, test_iter = gb.load_data_fashion_mnist(256)
        net = models.gluon_mlp(ctx=ctx)
        trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5}, kvstore='device')
        history = gb.train(train_iter, test_iter, net, gloss.SoftmaxCrossEntropyLoss(), trainer, ctx, 3)
        weight = net[0].weight
        assert len(weight.list_ctx()) == len(ctx)
        for copy in weight.list_data()[1:]:  # every device holds the same parameters after each step
            np.testing.assert_allclose(copy.asnumpy(), weight.list_data()[0].asnumpy())
        results[len(ctx)] = history
    assert 'training on [cpu(0), cpu(1)]' in capsys.readouterr().out
    one, two = results[1], results[2]
    assert one.test_acc[-1] >= 0.80 and abs(one.test_acc[-1] - two.test_acc[-1]) <= 0.02
    assert one.loss[-1] == pytest.approx(two.loss[-1], abs=0.01)


@pytest.mark.slow
@pytest.mark.realdata
def test_train_ch5_on_the_context_it_is_given(real_data, capsys):
    ctx = gb.try_gpu()
    train_iter, test_iter = gb.load_data_fashion_mnist(256, ctx=ctx)
    net = models.gluon_mlp(ctx=ctx)
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
    history = gb.train_ch5(net, train_iter, test_iter, 256, trainer, ctx, 1)
    out = capsys.readouterr().out
    assert out.startswith(f'training on {ctx}\n') and epoch_lines(out)[0].seconds > 0
    assert history.test_acc[0] >= 0.78


# ---------------------------------------------------------------------------------------------------------------
# Faults: a diverging model, Ctrl-C, bad arguments

@pytest.mark.slow
@pytest.mark.realdata
def test_a_diverging_model_stops_with_the_epoch_and_a_hint(real_data):
    train_iter, test_iter = gb.load_data_fashion_mnist(256)
    net, params = models.scratch_mlp()
    with pytest.raises(FloatingPointError, match=r'became (nan|inf) in epoch 1.*learning rate below 1e\+30'):
        gb.train_ch3(net, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 3, 256, params, 1e30)


@pytest.mark.slow
@pytest.mark.realdata
def test_ctrl_c_outside_a_notebook_raises_with_the_finished_epochs(real_data, capsys):
    train_iter, test_iter = gb.load_data_fashion_mnist(256)
    net, params = models.scratch_mlp()
    calls = []

    def interrupted_in_epoch_2(X):
        calls.append(1)
        if len(calls) == 235 + 40 + 100:  # epoch 1's training and test batches, then 100 more
            os.kill(os.getpid(), signal.SIGINT)  # a real Ctrl-C, as the terminal sends it
            time.sleep(1)
        return net(X)
    with pytest.raises(KeyboardInterrupt) as caught:
        gb.train_ch3(interrupted_in_epoch_2, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 5, 256, params,
                     0.5)
    history = caught.value.history
    assert len(history) == 1 and history.test_acc[0] > 0.7
    assert 'interrupted in epoch 2: 1 finished epoch' in capsys.readouterr().err


SCRIPT = """import sys
import gluonbook as gb
from gluonbook import models
from mxnet.gluon import loss as gloss
train_iter, test_iter = gb.load_data_fashion_mnist(256)
for run in range(3):
    print(f'run {run}', flush=True)
    net, params = models.scratch_mlp()
    gb.train_ch3(net, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 50, 256, params, 0.5,
                 checkpoint=f'{sys.argv[1]}/run{run}.ckpt')
"""


@pytest.mark.slow
@pytest.mark.realdata
def test_ctrl_c_stops_a_script_of_several_runs_with_the_checkpoint_saved(real_data, tmp_path):
    process = subprocess.Popen([sys.executable, '-c', SCRIPT, str(tmp_path)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    assert interrupt_at(process, 'epoch 1,') == -signal.SIGINT  # Python's own exit on an unhandled Ctrl-C
    out, err = process.stdout.read(), process.stderr.read()
    assert 'run 1' not in out  # the loop over runs stopped too
    assert 'interrupted in epoch ' in err and str(tmp_path / 'run0.ckpt') in err and 'KeyboardInterrupt' in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ['run0.ckpt']
    with np.load(tmp_path / 'run0.ckpt') as saved:
        meta = json.loads(str(saved['meta']))
    assert meta['epoch'] >= 1 and len(meta['history']['loss']) == meta['epoch']


@pytest.mark.slow
@pytest.mark.realdata
def test_ctrl_c_in_a_notebook_returns_the_history_of_the_finished_epochs(real_data):
    """A real Jupyter kernel, interrupted as the notebook's stop button does (SIGINT to the kernel)."""
    from jupyter_client.manager import start_new_kernel
    km, kc = start_new_kernel(kernel_name='python3')
    try:
        code = ("import gluonbook as gb\nfrom gluonbook import models\nfrom mxnet.gluon import loss as gloss\n"
                "train_iter, test_iter = gb.load_data_fashion_mnist(256)\nnet, params = models.scratch_mlp()\n"
                "history = gb.train_ch3(net, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 50, 256, "
                "params, 0.5, plot=False)")
        msg_id, streams, interrupted = kc.execute(code), {'stdout': '', 'stderr': ''}, False
        while True:
            msg = kc.get_iopub_msg(timeout=300)
            if msg['parent_header'].get('msg_id') != msg_id:
                continue
            if msg['msg_type'] == 'stream':
                streams[msg['content']['name']] += msg['content']['text']
                if 'epoch 1,' in streams['stdout'] and not interrupted:
                    km.interrupt_kernel()
                    interrupted = True
            if msg['msg_type'] == 'status' and msg['content']['execution_state'] == 'idle':
                break
        reply = kc.get_shell_msg(timeout=60)
        assert reply['content']['status'] == 'ok'  # no KeyboardInterrupt traceback: the cell ended normally
        assert 'interrupted: returning the history of' in streams['stderr']
        shown = []
        kc.execute_interactive('print(len(history), len(history.loss), history.test_acc[0] > 0.7)', timeout=60,
                               output_hook=lambda m: shown.append(m['content'].get('text', '')))
        finished, losses, learned = ''.join(shown).split()
        assert 1 <= int(finished) < 50 and losses == finished and learned == 'True'
        assert len(epoch_lines(streams['stdout'])) == int(finished)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.mark.parametrize('epochs, batch_size, params, lr, message', [
    (0, 256, True, 0.5, 'num_epochs.*got 0'),
    (1, -5, True, 0.5, 'batch_size.*got -5'),
    (1, 256, True, -0.1, 'lr.*got -0.1'),
    (1, 256, False, None, 'needs either trainer= or both params='),
])
def test_train_ch3_refuses_bad_arguments_with_the_value(epochs, batch_size, params, lr, message):
    net, weights = linear_model()
    with pytest.raises(ValueError, match=message):
        gb.train_ch3(net, [], [], gloss.SoftmaxCrossEntropyLoss(), epochs, batch_size, weights if params else None,
                     lr)


def test_evaluate_accuracy_refuses_a_context_that_is_not_one():
    net, _ = linear_model()
    with pytest.raises(TypeError, match='mx.Context'):
        gb.evaluate_accuracy(tiny_batches(), net, ctx=['cpu'])


def test_train_ch3_on_tiny_data_learns_prints_and_returns_the_history(capsys):
    net, params = linear_model()
    history = gb.train_ch3(net, tiny_batches(), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(), 3, 1, params, 0.5,
                           progress=False, plot=False)
    lines = epoch_lines(capsys.readouterr().out)
    assert [line.epoch for line in lines] == [1, 2, 3] and history.test_acc[-1] == lines[-1].test_acc == 1.0
    assert history.loss == sorted(history.loss, reverse=True) and len(history.seconds) == 3


def test_accuracy_counts_every_label_element_of_per_pixel_labels():
    """Segmentation: scores (b, classes, h, w) against labels (b, h, w) give the fraction of pixels right."""
    y = nd.array([[[0, 1], [1, 1]], [[0, 0], [2, 1]]])  # 2 images of 2x2 pixels
    y_hat = nd.one_hot(nd.array([[[0, 1], [1, 0]], [[0, 0], [0, 0]]]), 3).transpose((0, 3, 1, 2))
    assert gb.accuracy(y_hat, y) == pytest.approx(5 / 8)
    assert gb.evaluate_accuracy([(y_hat, y)], lambda X: X) == pytest.approx(5 / 8)
    net = nn.Conv2D(3, kernel_size=1)  # a per-pixel classifier
    net.initialize()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    history = gb.train_ch3(net, [(y_hat, y)], [(y_hat, y)], gloss.SoftmaxCrossEntropyLoss(axis=1), 1, 2, None, None,
                           trainer, progress=False, plot=False)
    assert 0 <= history.train_acc[0] <= 1 and 0 <= history.test_acc[0] <= 1


def test_importing_the_training_helpers_changes_no_environment_variable():
    code = ('import os; before = dict(os.environ); import gluonbook.training; '
            'print(sorted(set(os.environ.items()) - set(before.items())))')
    run = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True,
                         env={k: v for k, v in os.environ.items() if k != 'OPENBLAS_CORETYPE'})
    assert run.stdout == '[]\n'  # (OPENBLAS_CORETYPE is set only while MXNet loads its library)


# ---------------------------------------------------------------------------------------------------------------
# Checkpoints

def same(history):
    return {k: v for k, v in history.to_dict().items() if k != 'seconds'}


@pytest.mark.slow
@pytest.mark.realdata
def test_a_run_resumed_from_its_checkpoint_ends_where_an_uninterrupted_one_does(real_data, tmp_path, capsys):
    train_iter, test_iter = gb.load_data_fashion_mnist(256)
    loss = gloss.SoftmaxCrossEntropyLoss()
    mx.random.seed(5)
    net, straight = models.scratch_mlp()
    full = gb.train_ch3(net, train_iter, test_iter, loss, 3, 256, straight, 0.5, checkpoint=tmp_path / 'a.ckpt')
    mx.random.seed(5)
    net, params = models.scratch_mlp()
    gb.train_ch3(net, train_iter, test_iter, loss, 2, 256, params, 0.5, checkpoint=tmp_path / 'b.ckpt')
    net, params = models.scratch_mlp()  # a new process would start from other weights: the checkpoint replaces them
    resumed = gb.train_ch3(net, train_iter, test_iter, loss, 3, 256, params, 0.5, checkpoint=tmp_path / 'b.ckpt')
    assert f'resuming from {tmp_path / "b.ckpt"} after epoch 2' in capsys.readouterr().out
    assert same(resumed) == same(full) and len(resumed) == 3
    for a, b in zip(straight, params):
        np.testing.assert_allclose(a.asnumpy(), b.asnumpy(), rtol=1e-6)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['a.ckpt', 'b.ckpt']  # no temporary file left


@pytest.mark.slow
@pytest.mark.realdata
def test_a_gluon_run_resumes_with_its_trainer_state(real_data, tmp_path):
    from mxnet import init
    train_iter, test_iter = gb.load_data_fashion_mnist(256)

    def run(epochs, path):
        net = nn.Sequential()
        net.add(nn.Dense(64, activation='relu'), nn.Dense(10))
        net.initialize(init.Normal(sigma=0.01))
        trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1, 'momentum': 0.9})
        history = gb.train(train_iter, test_iter, net, gloss.SoftmaxCrossEntropyLoss(), trainer, mx.cpu(), epochs,
                           checkpoint=path)
        return history, net[0].weight.data().asnumpy()
    mx.random.seed(6)
    full, weight = run(2, tmp_path / 'a.ckpt')
    mx.random.seed(6)
    run(1, tmp_path / 'b.ckpt')
    resumed, resumed_weight = run(2, tmp_path / 'b.ckpt')  # momentum restored too, or the weights would differ
    assert same(resumed) == same(full)
    np.testing.assert_allclose(resumed_weight, weight, rtol=1e-5, atol=1e-7)


def test_a_checkpoint_of_another_model_is_refused_naming_both(tmp_path, capsys):
    net, params = linear_model()
    loss, path = gloss.SoftmaxCrossEntropyLoss(), tmp_path / 'c.ckpt'
    gb.train_ch3(net, tiny_batches(), tiny_batches(), loss, 1, 1, params, 0.5, checkpoint=path)
    saved = path.read_bytes()
    net, params = models.scratch_mlp((4,))
    before = [p.asnumpy() for p in params]
    with pytest.raises(training.CheckpointError) as caught:
        gb.train_ch3(net, tiny_batches(), tiny_batches(), loss, 2, 1, params, 0.5, checkpoint=path)
    for fact in (str(path), 'another model', '1 parameter of shape (3, 3)',  # the file's model, this one, the fix
                 '4 parameters of shapes (784, 4), (4,), (4, 10), (10,)', 'another checkpoint path'):
        assert fact in str(caught.value)
    assert isinstance(caught.value, ValueError) and path.read_bytes() == saved
    for a, b in zip(before, params):
        np.testing.assert_array_equal(a, b.asnumpy())
    assert 'epoch 2' not in capsys.readouterr().out


def test_a_checkpoint_of_another_optimizer_is_refused(tmp_path):
    path, net = tmp_path / 'c.ckpt', gluon_dense()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1, 'momentum': 0.9})
    gb.train(batches_of_4(), batches_of_4(), net, gloss.SoftmaxCrossEntropyLoss(), trainer, 'cpu', 1,
             checkpoint=path)
    net = gluon_dense()
    trainer = gluon.Trainer(net.collect_params(), 'adam')
    with pytest.raises(training.CheckpointError, match=r'holds 2 parameters of shapes \(3, 3\), \(3,\), trained '
                                                       r'with sgd; this model has .* \(3, \?\), \(3,\), trained '
                                                       r'with adam'):
        gb.train(batches_of_4(), batches_of_4(), net, gloss.SoftmaxCrossEntropyLoss(), trainer, 'cpu', 2,
                 checkpoint=path)


def test_a_checkpoint_needs_the_parameters_of_the_model():
    net, _ = linear_model()
    trainer = gluon.Trainer(models.gluon_mlp((4,)).collect_params(), 'sgd')
    with pytest.raises(ValueError, match='needs the parameters to save'):
        gb.train_ch3(net, tiny_batches(), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(), 1, 1, trainer=trainer,
                     checkpoint='never-written.ckpt')


def test_progress_within_an_epoch_is_shown_when_asked(capsys):
    net, params = linear_model()
    gb.train_ch3(net, tiny_batches(), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(), 1, 1, params, 0.5,
                 progress=True)
    err = capsys.readouterr().err
    assert 'epoch 1/1' in err and '/6 ' in err  # tqdm's bar over the epoch's 6 batches


# ---------------------------------------------------------------------------------------------------------------
# Checkpoints that explain themselves

def batches_of_4(n=8, ctx=None):
    """Batches of four one-hot rows, labelled by their hot index (so they split over two contexts)."""
    out = []
    for i in range(n):
        y = nd.array([(4 * i + j) % 3 for j in range(4)], ctx=ctx or mx.cpu())
        out.append((nd.one_hot(y, 3), y))
    return out


def gluon_dense(ctx=None):
    """One ``nn.Dense(3)`` layer, its input size inferred at the first batch."""
    net = nn.Dense(3)
    net.initialize(mx.init.Normal(0.1), ctx=ctx or mx.cpu())
    return net


def sgd_run(path, epochs, ctx=mx.cpu(0)):
    """``train_ch3`` of the linear model on ``ctx`` with a checkpoint; ``(history, params)``."""
    w = nd.zeros((3, 3), ctx=ctx)
    w.attach_grad()
    history = gb.train_ch3(lambda X: nd.dot(X, w), tiny_batches(), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(),
                           epochs, 1, [w], 0.5, checkpoint=path, progress=False, plot=False)
    return history, [w]


@pytest.mark.parametrize('name, content, message', [
    ('truncated', lambda data: data[:len(data) // 2], r'is damaged or truncated \(File is not a zip file\); delete'),
    ('corrupt', lambda data: data[:300] + bytes(50) + data[350:], r'is damaged or truncated \(Bad CRC-32'),
    ('text', lambda data: b'epoch 1, loss 0.5\n', r'is not a gluonbook checkpoint \(it does not start as one\)'),
    ('empty', lambda data: b'', r'is not a gluonbook checkpoint \(an empty file\)'),
    ('npz', None, r'is not a gluonbook checkpoint \(a zip file without its record\)'),
])
def test_a_damaged_or_foreign_file_is_refused_and_left_as_it_is(tmp_path, capsys, name, content, message):
    good = tmp_path / 'good.ckpt'
    sgd_run(good, 1)
    path = tmp_path / name
    if content:
        path.write_bytes(content(good.read_bytes()))
    else:
        np.savez(path, weights=np.zeros(3))
        path = tmp_path / 'npz.npz'
    before = path.read_bytes()
    with pytest.raises(training.CheckpointError, match=message) as caught:
        sgd_run(path, 2)
    for raw in ('BadZipFile', 'allow_pickle', 'AssertionError', 'broadcast', 'Traceback'):
        assert raw not in str(caught.value)
    assert str(path) in str(caught.value) and path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(['good.ckpt', path.name])
    assert 'epoch 1, loss' in capsys.readouterr().out.split('\n', 1)[0]  # only the good run's line


def test_a_folder_or_a_missing_folder_is_refused_before_training(tmp_path, capsys):
    with pytest.raises(training.CheckpointError) as caught:
        sgd_run(tmp_path, 1)
    message = str(caught.value)  # the path, what is wrong with it, and a path that would do
    assert f'{tmp_path} is a folder' in message and str(tmp_path / 'model.ckpt') in message
    with pytest.raises(training.CheckpointError) as caught:
        sgd_run(tmp_path / 'no' / 'c.ckpt', 1)
    assert f'{tmp_path / "no"} does not exist' in str(caught.value) and 'mkdir -p' in str(caught.value)
    assert capsys.readouterr().out == '' and list(tmp_path.iterdir()) == []
    with pytest.raises(training.CheckpointError, match='is a folder'):  # for a command to check before it works
        training.check_checkpoint_path(tmp_path)
    training.check_checkpoint_path(tmp_path / 'new.ckpt')


@pytest.mark.skipif(os.geteuid() == 0, reason='root can write to any folder')
def test_a_folder_that_cannot_be_written_is_refused_before_training(tmp_path):
    folder = tmp_path / 'ro'
    folder.mkdir(mode=0o500)
    with pytest.raises(training.CheckpointError, match='cannot be written'):
        sgd_run(folder / 'c.ckpt', 1)


def test_a_checkpoint_of_more_epochs_than_asked_for_says_so(tmp_path, capsys):
    path = tmp_path / 'c.ckpt'
    full, _ = sgd_run(path, 3)
    saved = path.read_bytes()
    capsys.readouterr()
    with pytest.raises(training.CheckpointError) as caught:
        sgd_run(path, 2)
    for fact in (str(path), 'holds 3 finished epochs', 'asks for 2', 'ask for 3 epochs or more'):
        assert fact in str(caught.value)
    assert path.read_bytes() == saved and capsys.readouterr().out == ''
    same_length, params = sgd_run(path, 3)  # exactly as many: the saved run, nothing trained
    out = capsys.readouterr().out
    assert same(same_length) == same(full) and f'resuming from {path} after epoch 3' in out and 'epoch 3,' not in out


def test_a_checkpoint_written_on_one_context_resumes_on_another(tmp_path, capsys):
    full, straight = sgd_run(tmp_path / 'a.ckpt', 2, mx.cpu(0))
    sgd_run(tmp_path / 'b.ckpt', 1, mx.cpu(0))
    resumed, params = sgd_run(tmp_path / 'b.ckpt', 2, mx.cpu(1))
    assert params[0].context == mx.cpu(1) and same(resumed) == same(full)
    np.testing.assert_allclose(params[0].asnumpy(), straight[0].asnumpy(), rtol=1e-6)


def test_a_gluon_checkpoint_of_two_contexts_resumes_on_one(tmp_path, capsys):
    def run(epochs, path, ctx):
        net = gluon_dense([mx.cpu(0)] if ctx == 'cpu' else ctx)
        trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1, 'momentum': 0.9})
        history = gb.train(batches_of_4(), batches_of_4(), net, gloss.SoftmaxCrossEntropyLoss(), trainer, ctx,
                           epochs, checkpoint=path)
        return history, net
    two = [mx.cpu(0), mx.cpu(1)]
    mx.random.seed(7)
    full, straight = run(2, tmp_path / 'a.ckpt', two)
    mx.random.seed(7)
    run(1, tmp_path / 'b.ckpt', two)
    resumed, net = run(2, tmp_path / 'b.ckpt', 'cpu')  # momentum restored on the one context too
    assert net.weight.list_ctx() == [mx.cpu(0)] and resumed.loss == pytest.approx(full.loss, rel=1e-5)
    np.testing.assert_allclose(net.weight.data().asnumpy(), straight.weight.data(mx.cpu(0)).asnumpy(), rtol=1e-5,
                               atol=1e-7)


# ---------------------------------------------------------------------------------------------------------------
# Divergence told apart from bad luck

@pytest.mark.slow
@pytest.mark.realdata
def test_a_finite_loss_far_above_the_untrained_one_is_a_warning_naming_the_learning_rate(real_data, capsys):
    with pytest.warns(training.TrainingWarning) as caught:
        history = scratch_mlp_history(2, 50)
    diverging, chance = (str(w.message) for w in caught if w.category is training.TrainingWarning)
    assert history.loss[0] > 1e5 and max(history.test_acc) < 0.15  # measured: 1.3e7, then 13; acc 0.100
    assert diverging.startswith(f'the training loss {history.loss[0]:.4g} in epoch 1 is ')
    assert 'times the loss before training (2.3' in diverging
    assert diverging.endswith('the model is diverging. Try a learning rate below 50.')
    assert chance.startswith('after epoch 2 the accuracy is at chance for 10 classes (train 0.')
    assert 'Try another learning rate (50 now)' in chance
    assert len(epoch_lines(capsys.readouterr().out)) == 2  # it trains on: a warning, not an error


def test_a_loss_that_grows_tenfold_is_a_warning_once(capsys):
    mx.random.seed(1)
    X, y = nd.random.uniform(shape=(160, 784)), nd.random.randint(0, 10, shape=(160,)).astype('float32')
    batches = [(X[i:i + 32], y[i:i + 32]) for i in range(0, 160, 32)]
    net, params = models.scratch_mlp((16,))
    with pytest.warns(training.TrainingWarning) as caught:
        history = gb.train_ch3(net, batches, batches, gloss.SoftmaxCrossEntropyLoss(), 3, 32, params, 50,
                               progress=False, plot=False)
    diverging = [str(w.message) for w in caught if 'diverging' in str(w.message)]
    assert len(diverging) == 1 and history.loss[0] > 100 and len(history) == 3  # measured: 884, 20, 20
    for fact in (f'{history.loss[0]:.4g} in epoch 1', f'{history.loss[0] / 2.3026:.3g} times', '(2.303)',
                 'learning rate below 50'):  # the loss, how far above the untrained one, the fix
        assert fact in diverging[0]


def test_an_accuracy_at_chance_after_two_epochs_is_a_warning(recwarn):
    w = nd.zeros((3, 3))
    w.attach_grad()

    def stuck(X):  # the same scores for every example, as a network whose units all died
        return nd.dot(X, w) * 0
    history = gb.train_ch3(stuck, tiny_batches(), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(), 3, 1, [w], 0.5,
                           progress=False, plot=False)
    messages = [str(w.message) for w in recwarn if w.category is training.TrainingWarning]
    assert history.test_acc == [pytest.approx(1 / 3)] * 3
    assert len(messages) == 1  # once, from epoch 2 on
    for fact in ('after epoch 2', 'at chance for 3 classes', 'train 0.333, test 0.333', 'another learning rate '
                 '(0.5 now)', 'labels'):
        assert fact in messages[0]


def test_a_model_that_learns_gets_no_warning(recwarn):
    net, params = linear_model()
    gb.train_ch3(net, tiny_batches(), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(), 3, 1, params, 0.5,
                 progress=False, plot=False)
    assert [w for w in recwarn if w.category is training.TrainingWarning] == []


def test_an_empty_training_iterator_has_its_own_error(capsys):
    net, params = linear_model()
    with pytest.raises(ValueError) as caught:
        gb.train_ch3(net, [], tiny_batches(), gloss.SoftmaxCrossEntropyLoss(), 2, 1, params, 0.5)
    for fact in ('training data iterator gave no batch', 'already used up', 'pass a list of batches or a '
                 'DataLoader'):
        assert fact in str(caught.value)
    assert not isinstance(caught.value, FloatingPointError) and capsys.readouterr().out == ''
    with pytest.raises(ValueError, match='gave no batch: it is empty, or was already used up'):
        gb.train_ch3(net, (batch for batch in tiny_batches()), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(), 2,
                     1, params, 0.5)
    assert [line.epoch for line in epoch_lines(capsys.readouterr().out)] == [1]


# ---------------------------------------------------------------------------------------------------------------
# The Python API takes what users pass

def test_numpy_numbers_are_taken_wherever_numbers_go(capsys):
    net, params = linear_model()
    history = gb.train_ch3(net, tiny_batches(), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(), np.int64(2),
                           np.int64(1), params, np.float32(0.5), progress=False, plot=False)
    assert len(history) == 2 and history.test_acc[-1] == 1.0
    net = gluon_dense()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': np.float32(0.5)})
    history = gb.train(batches_of_4(), batches_of_4(), net, gloss.SoftmaxCrossEntropyLoss(), trainer, 'cpu',
                       np.int64(2), np.int32(4))
    assert len(history) == 2
    history = gb.train_ch5(net, batches_of_4(), batches_of_4(), np.int64(4), trainer, 'cpu', np.int64(1))
    assert len(history) == 1 and capsys.readouterr().out.count('training on') == 2


def test_context_strings_are_taken_wherever_a_context_goes(capsys):
    net = gluon_dense()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
    gb.train_ch5(net, batches_of_4(), batches_of_4(), 4, trainer, 'cpu', 1)
    assert capsys.readouterr().out.startswith('training on cpu(0)\n')
    gb.train(batches_of_4(), batches_of_4(), net, gloss.SoftmaxCrossEntropyLoss(), trainer, 'cpu:0', 1)
    assert capsys.readouterr().out.startswith('training on [cpu(0)]\n')
    assert gb.evaluate_accuracy(batches_of_4(), net, 'cpu') == gb.evaluate_accuracy(batches_of_4(), net)


@pytest.mark.skipif(mx.context.num_gpus() > 0, reason='needs a machine without a GPU')
@pytest.mark.parametrize('entry', ['train', 'train_ch5', 'evaluate_accuracy'])
@pytest.mark.parametrize('ctx', [mx.gpu(0), 'gpu'])
def test_a_gpu_that_is_not_there_is_named_by_every_entry_point(capsys, entry, ctx):
    net = gluon_dense()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
    calls = {'train': lambda: gb.train(batches_of_4(), batches_of_4(), net, gloss.SoftmaxCrossEntropyLoss(),
                                       trainer, ctx, 1),
             'train_ch5': lambda: gb.train_ch5(net, batches_of_4(), batches_of_4(), 4, trainer, ctx, 1),
             'evaluate_accuracy': lambda: gb.evaluate_accuracy(batches_of_4(), net, ctx)}
    with pytest.raises(ValueError, match=r'gpu\(0\) is not available: this machine has 0 GPU\(s\) usable by MXNet'):
        calls[entry]()
    assert capsys.readouterr().out == ''


def test_params_that_are_not_a_list_of_ndarrays_with_gradients_are_named():
    loss = gloss.SoftmaxCrossEntropyLoss()
    net, (w,) = linear_model()
    with pytest.raises(TypeError, match=r'params must be a list of NDArrays .* got NDArray'):
        gb.train_ch3(net, tiny_batches(), tiny_batches(), loss, 1, 1, w, 0.5)
    with pytest.raises(TypeError, match=r'got a list holding float'):
        gb.train_ch3(net, tiny_batches(), tiny_batches(), loss, 1, 1, [w, 0.5], 0.5)
    with pytest.raises(TypeError, match=r'got ParameterDict: for a Gluon net, pass trainer=gluon.Trainer'):
        gb.train_ch3(net, tiny_batches(), tiny_batches(), loss, 1, 1, gluon_dense().collect_params(), 0.5)
    with pytest.raises(ValueError, match=r'params\[1\] \(shape \(3,\)\) has no gradient attached: call '
                                         r'attach_grad\(\)'):
        gb.train_ch3(net, tiny_batches(), tiny_batches(), loss, 1, 1, [w, nd.zeros(3)], 0.5)


@pytest.mark.parametrize('entry', ['train_ch3', 'train', 'train_ch5'])
def test_a_trainer_that_is_not_a_gluon_trainer_is_named(entry, capsys):
    net = gluon_dense()
    calls = {'train_ch3': lambda: gb.train_ch3(net, batches_of_4(), batches_of_4(), gloss.SoftmaxCrossEntropyLoss(),
                                               1, 4, trainer='sgd'),
             'train': lambda: gb.train(batches_of_4(), batches_of_4(), net, gloss.SoftmaxCrossEntropyLoss(), 'sgd',
                                       'cpu', 1),
             'train_ch5': lambda: gb.train_ch5(net, batches_of_4(), batches_of_4(), 4, 'sgd', 'cpu', 1)}
    with pytest.raises(TypeError, match=r"trainer must be a gluon.Trainer, such as .* got str 'sgd'"):
        calls[entry]()
    assert capsys.readouterr().out == ''


@pytest.mark.parametrize('scores, message', [
    (lambda X, w: nd.dot(X, w)[:, :2], r'the labels of the first batch go from 0 to 2, but the net returns 2 scores '
                                       r'per example \(classes 0..1\): give its last layer 3 outputs'),
    (lambda X, w: nd.dot(X, w)[:2], r"the net's output does not fit the labels: for a batch X of shape \(4, 3\) and "
                                    r'labels y of shape \(4,\) it returned shape \(2, 3\), expected \(4, classes\); '
                                    r'a classifier returns one row of scores per example'),
    (lambda X, w: nd.dot(X, w).sum(axis=1), r'it returned shape \(4,\), expected \(4, classes\); a classifier '
                                            r'returns scores \(batch, classes\) for labels \(batch,\)'),
])
def test_a_net_whose_output_does_not_fit_the_labels_is_stopped_at_the_first_batch(scores, message, capsys):
    w = nd.random.normal(shape=(3, 3))
    w.attach_grad()
    before = w.asnumpy()
    with pytest.raises(ValueError, match=message):
        gb.train_ch3(lambda X: scores(X, w), batches_of_4(), batches_of_4(), gloss.SoftmaxCrossEntropyLoss(), 1, 4,
                     [w], 0.5)
    np.testing.assert_array_equal(w.asnumpy(), before)  # no update
    layer = nn.Dense(3, in_units=3)
    layer.initialize()
    trainer = gluon.Trainer(layer.collect_params(), 'sgd', {'learning_rate': 0.5})
    before = layer.weight.data().asnumpy()
    with pytest.raises(ValueError, match=message):
        gb.train(batches_of_4(), batches_of_4(), lambda X: scores(X, layer.weight.data().T),
                 gloss.SoftmaxCrossEntropyLoss(), trainer, 'cpu', 1)
    np.testing.assert_array_equal(layer.weight.data().asnumpy(), before)
    assert 'epoch 1' not in capsys.readouterr().out


# ---------------------------------------------------------------------------------------------------------------
# Progress and the live figure

@pytest.mark.parametrize('entry', ['train', 'train_ch5'])
def test_the_gluon_trainers_show_the_same_progress_bar(entry, capsys):
    net = gluon_dense()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
    if entry == 'train':
        gb.train(batches_of_4(), batches_of_4(), net, gloss.SoftmaxCrossEntropyLoss(), trainer, 'cpu', 1,
                 progress=True)
    else:
        gb.train_ch5(net, batches_of_4(), batches_of_4(), 4, trainer, 'cpu', 1, progress=True)
    err = capsys.readouterr().err
    assert 'epoch 1/1' in err and '/8 ' in err  # tqdm's bar over the epoch's 8 batches


def test_the_live_figure_is_shown_before_the_first_epoch_line(monkeypatch, capsys):
    from gluonbook import plotting

    class Shown:
        def __init__(self, **kwargs):
            print('[figure]')

        def add(self, x, ys):
            print(f'[point {x}]')
    monkeypatch.setattr(plotting, 'Animator', Shown)
    net, params = linear_model()
    gb.train_ch3(net, tiny_batches(), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(), 2, 1, params, 0.5,
                 progress=False, plot=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == '[figure]' and lines[1].startswith('epoch 1,') and lines[2] == '[point 1]'


@pytest.mark.slow
def test_in_a_notebook_without_ipywidgets_progress_is_a_plain_bar_after_the_figure(tmp_path):
    """In a real Jupyter kernel: no 'IProgress not found' warning block, the figure above the first epoch line."""
    import nbclient
    import nbformat
    code = '''import sys; sys.modules['ipywidgets'] = None  # as on a machine without ipywidgets
import gluonbook as gb
from mxnet import nd
from mxnet.gluon import loss as gloss
w = nd.zeros((3, 3)); w.attach_grad()
batches = [(nd.one_hot(nd.array([i % 3]), 3), nd.array([i % 3])) for i in range(6)]
history = gb.train_ch3(lambda X: nd.dot(X, w), batches, batches, gloss.SoftmaxCrossEntropyLoss(), 2, 1, [w], 0.5,
                       progress=True)'''
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbclient.NotebookClient(nb, timeout=120, kernel_name='python3').execute()
    outputs = nb.cells[0].outputs
    kinds = [o.output_type if o.output_type != 'stream' else o.name for o in outputs]
    text = {name: ''.join(o.text for o in outputs if o.get('name') == name) for name in ('stdout', 'stderr')}
    assert 'stderr' not in kinds  # no warning block, and no bar left behind as an empty strip of its own
    assert 'epoch 1/2' in text['stdout']  # tqdm's text bar, on stdout, where the epoch's line replaces it
    shown = [line.rsplit('\r', 1)[-1] for line in text['stdout'].split('\n')]  # what a notebook shows
    assert [line.split(',')[0] for line in shown if line.strip()] == ['epoch 1', 'epoch 2']
    assert kinds.index('display_data') < kinds.index('stdout')


# ---------------------------------------------------------------------------------------------------------------
# Hybridized for the run

class Probe(nn.HybridBlock):
    """An identity layer that records what it is called with: symbols while a graph is built (hybridized), arrays
    when it runs imperatively."""

    def __init__(self):
        super().__init__()
        self.kinds = []

    def hybrid_forward(self, F, x):
        self.kinds.append('graph' if isinstance(x, mx.sym.Symbol) else 'array')
        return x


def lenet(probe):
    """LeNet as the book's chapter builds it (an nn.Sequential of hybrid layers), after a probe."""
    net = nn.Sequential()
    net.add(probe, nn.Conv2D(channels=6, kernel_size=5, activation='sigmoid'), nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(channels=16, kernel_size=5, activation='sigmoid'), nn.MaxPool2D(pool_size=2, strides=2),
            nn.Dense(120, activation='sigmoid'), nn.Dense(84, activation='sigmoid'), nn.Dense(10))
    return net


@pytest.mark.slow
@pytest.mark.realdata
def test_lenet_hybridized_for_the_run_gives_the_losses_of_the_imperative_run(real_data, capsys):
    mx.random.seed(0)
    train_iter, test_iter = gb.load_data_fashion_mnist(256)
    batches, tests = list(itertools.islice(train_iter, 12)), list(itertools.islice(test_iter, 4))
    runs = {}
    for hybridize in (True, False):
        mx.random.seed(1)
        probe = Probe()
        net = lenet(probe)
        net.initialize(init.Xavier())
        trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.9})
        runs[hybridize] = gb.train_ch5(net, batches, tests, 256, trainer, 'cpu', 2, hybridize=hybridize)
        # hybridized: the graph built once (training and testing shapes), then run by MXNet; else per batch
        assert ('graph' in probe.kinds) is hybridize and (len(probe.kinds) < 12) is hybridize
        probe.kinds.clear()
        net(batches[0][0])
        assert probe.kinds == ['array']  # imperative again after the run
    assert runs[True].loss == pytest.approx(runs[False].loss, rel=1e-5)
    assert runs[True].train_acc == pytest.approx(runs[False].train_acc, abs=1e-6)
    assert runs[True].test_acc == pytest.approx(runs[False].test_acc, abs=1e-6)


def test_a_net_the_reader_hybridized_is_left_hybridized(capsys):
    probe = Probe()
    net = nn.HybridSequential()
    net.add(probe, nn.Dense(3))
    net.initialize()
    net.hybridize()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
    gb.train_ch5(net, batches_of_4(), batches_of_4(), 4, trainer, 'cpu', 1)
    probe.kinds.clear()
    net(batches_of_4()[0][0])
    assert 'array' not in probe.kinds  # still a graph: not returned to imperative mode by the trainer
