"""gluonbook/training.py: the book's helpers on small arrays, and the from-scratch MLP on the real Fashion-MNIST."""
import re

import mxnet as mx
import numpy as np
import pytest
from mxnet import autograd, gluon, nd
from mxnet.gluon import loss as gloss

import gluonbook as gb
from gluonbook import models

LINE = re.compile(r'^epoch (\d+), loss (\d+\.\d{4}), train acc (\d\.\d{3}), test acc (\d\.\d{3})$', re.M)


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


def scratch_mlp(ctx=mx.cpu()):
    """The chapter's from-scratch MLP, 784-256-10: ``(net, params)``."""
    return models.scratch_mlp((256,), ctx)


def gluon_mlp(ctx=mx.cpu()):
    """The same with Gluon, initialised as in the chapter."""
    return models.gluon_mlp((256,), ctx)


@pytest.mark.realdata
def test_one_epoch_of_the_scratch_mlp_prints_the_book_line_and_returns_history(real_data, capsys):
    mx.random.seed(1)  # after one epoch the test accuracy depends on the order of batches: 0.78 to 0.81 over seeds
    train_iter, test_iter = gb.load_data_fashion_mnist(256)
    net, params = scratch_mlp()
    history = gb.train_ch3(net, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 1, 256, params, 0.5)
    (epoch, loss, train_acc, test_acc), = LINE.findall(capsys.readouterr().out)
    assert epoch == '1' and float(test_acc) >= 0.80
    assert len(history) == 1 and history.test_acc[0] == pytest.approx(float(test_acc), abs=5e-4)
    assert history.loss[0] == pytest.approx(float(loss), abs=5e-5) and 0.3 < history.loss[0] < 1.0
    assert history.train_acc[0] == pytest.approx(float(train_acc), abs=5e-4) and history.seconds[0] > 0
    assert history.test_acc[0] == pytest.approx(gb.evaluate_accuracy(test_iter, net))


@pytest.mark.realdata
def test_ten_epochs_of_the_scratch_mlp_reach_the_books_accuracy(real_data, capsys):
    mx.random.seed(1)
    train_iter, test_iter = gb.load_data_fashion_mnist(256)
    net, params = scratch_mlp()
    history = gb.train_ch3(net, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 10, 256, params, 0.5)
    lines = LINE.findall(capsys.readouterr().out)
    assert [int(line[0]) for line in lines] == list(range(1, 11))
    assert history.test_acc[-1] >= 0.86
    assert history.loss[-1] < history.loss[0] and history.train_acc[-1] > history.train_acc[0]


@pytest.mark.realdata
def test_training_reads_values_once_per_epoch_not_per_batch(real_data, monkeypatch):
    train_iter, test_iter = gb.load_data_fashion_mnist(256)
    net, params = scratch_mlp()
    reads = []
    for name in ('asnumpy',):  # asscalar reads through asnumpy
        original = getattr(nd.NDArray, name)
        monkeypatch.setattr(nd.NDArray, name, lambda self, _f=original, _n=name: reads.append(_n) or _f(self))
    gb.train_ch3(net, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 2, 256, params, 0.5)
    assert len(reads) == 2 * 3  # per epoch: loss sum, accuracy sum, test accuracy; not once per batch (235)


@pytest.mark.realdata
def test_train_ch3_with_a_gluon_trainer(real_data):
    mx.random.seed(2)
    train_iter, test_iter = gb.load_data_fashion_mnist(256)
    net = gluon_mlp()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
    history = gb.train_ch3(net, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 1, 256, None, None, trainer)
    assert history.test_acc[0] >= 0.78


@pytest.mark.realdata
def test_train_over_two_contexts_matches_one(real_data, capsys):
    """The multi-device path (split_and_load + KVStore) that several GPUs use, on two CPU contexts."""
    results = {}
    for ctx in ([mx.cpu(0)], [mx.cpu(0), mx.cpu(1)]):
        mx.random.seed(3)
        train_iter, test_iter = gb.load_data_fashion_mnist(256)
        net = gluon_mlp(ctx)
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


@pytest.mark.realdata
def test_train_ch5_on_the_context_it_is_given(real_data, capsys):
    ctx = gb.try_gpu()
    train_iter, test_iter = gb.load_data_fashion_mnist(256, ctx=ctx)
    net = gluon_mlp(ctx)
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
    history = gb.train_ch5(net, train_iter, test_iter, 256, trainer, ctx, 1)
    out = capsys.readouterr().out
    assert out.startswith(f'training on {ctx}') and 'time' in out
    assert history.test_acc[0] >= 0.78


def test_progress_within_an_epoch_is_shown_when_asked(capsys):
    batches = [(nd.one_hot(nd.array([i % 3]), 3), nd.array([i % 3])) for i in range(6)]
    w = nd.zeros((3, 3))
    w.attach_grad()
    gb.train_ch3(lambda X: nd.dot(X, w), batches, batches, gloss.SoftmaxCrossEntropyLoss(), 1, 1, [w], 0.5,
                 progress=True)
    err = capsys.readouterr().err
    assert 'epoch 1/1' in err and '/6 ' in err  # tqdm's bar over the epoch's 6 batches


def test_without_mxnet_the_import_says_what_to_install():
    import subprocess
    import sys
    code = 'import sys; sys.modules["mxnet"] = None; import gluonbook'
    run = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert run.returncode == 1
    assert 'pip install mxnet==1.9.1' in run.stderr and 'mxnet-cu112==1.9.1' in run.stderr
