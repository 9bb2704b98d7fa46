"""gluonbook/training.py: the book's helpers on small arrays; the trainers on the real Fashion-MNIST: the book's
lines, the history, several contexts, a diverging model, Ctrl-C, checkpoints."""
import os
import signal
import subprocess
import sys
import time

import mxnet as mx
import numpy as np
import pytest
from helpers import epoch_lines
from mxnet import autograd, gluon, nd
from mxnet.gluon import loss as gloss
from mxnet.gluon import nn

import gluonbook as gb
from gluonbook import models


def test_sgd_updates_in_place():
    w = nd.array([1.0, 2.0])
    w.attach_grad()
    with autograd.record():
        l = (w * w).sum()
    l.backward()  # grad = 2w
    before = w
    gb.sgd([w], lr=0.5, batch_size=2)
    assert w is before
    np.testing.assert_allclose(w.asnumpy(), [0.5, 1.0])


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


def test_linreg_and_squared_loss():
    X, w, b = nd.array([[1, 2], [3, 4]]), nd.array([[1], [-1]]), nd.array([0.5])
    np.testing.assert_allclose(gb.linreg(X, w, b).asnumpy(), [[-0.5], [-0.5]])
    np.testing.assert_allclose(gb.squared_loss(nd.array([[1], [3]]), nd.array([2, 1])).asnumpy(), [[0.5], [2]])


@pytest.mark.slow
@pytest.mark.realdata
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


@pytest.mark.slow
@pytest.mark.realdata
def test_ten_epochs_of_the_scratch_mlp_reach_the_books_accuracy(real_data, capsys):
    mx.random.seed(1)
    train_iter, test_iter = gb.load_data_fashion_mnist(256)
    net, params = models.scratch_mlp()
    history = gb.train_ch3(net, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 10, 256, params, 0.5)
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
    assert len(reads) == 2 * 3  # per epoch: loss sum, accuracy sum, test accuracy; not once per batch (235)


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
def test_ctrl_c_returns_the_finished_epochs(real_data, capsys):
    train_iter, test_iter = gb.load_data_fashion_mnist(256)
    net, params = models.scratch_mlp()
    calls = []

    def interrupted_in_epoch_2(X):
        calls.append(1)
        if len(calls) == 235 + 40 + 100:  # epoch 1's training and test batches, then 100 more
            os.kill(os.getpid(), signal.SIGINT)  # a real Ctrl-C, as the terminal sends it
            time.sleep(1)
        return net(X)
    history = gb.train_ch3(interrupted_in_epoch_2, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 5, 256,
                           params, 0.5)
    assert len(history) == 1 and history.test_acc[0] > 0.7
    assert 'interrupted: returning the history of 1 finished epoch(s)' in capsys.readouterr().err


def tiny_batches(n=6):
    """Batches of one example each: one-hot rows labelled by their hot index (a linear model can learn them)."""
    return [(nd.one_hot(nd.array([i % 3]), 3), nd.array([i % 3])) for i in range(n)]


def linear_model():
    """``(net, [w])``: scores ``X w`` of a 3x3 weight, with a gradient attached."""
    w = nd.zeros((3, 3))
    w.attach_grad()
    return (lambda X: nd.dot(X, w)), [w]


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


def test_a_checkpoint_of_another_model_is_refused(tmp_path):
    net, params = linear_model()
    loss, path = gloss.SoftmaxCrossEntropyLoss(), tmp_path / 'c.ckpt'
    gb.train_ch3(net, tiny_batches(), tiny_batches(), loss, 1, 1, params, 0.5, checkpoint=path)
    net, params = models.scratch_mlp((4,))
    with pytest.raises(ValueError, match='holds 1 parameters, this model has 4'):
        gb.train_ch3(net, tiny_batches(), tiny_batches(), loss, 2, 1, params, 0.5, checkpoint=path)


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


def test_without_mxnet_the_import_says_what_to_install():
    code = 'import sys; sys.modules["mxnet"] = None; import gluonbook'
    run = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert run.returncode == 1
    assert 'pip install --no-deps mxnet==1.9.1' in run.stderr and 'mxnet-cu112==1.9.1' in run.stderr
