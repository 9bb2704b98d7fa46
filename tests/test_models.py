"""gluonbook/models.py: the chapter's networks, as the book builds them, and the trainer the train command uses."""
import mxnet as mx
import numpy as np
import pytest
from mxnet import autograd, gluon, nd

from gluonbook import models


def relu(x):
    return np.maximum(x, 0)


def test_scratch_mlp_is_the_book_network():
    mx.random.seed(0)
    net, params = models.scratch_mlp((256, 128), mx.cpu())
    assert [p.shape for p in params] == [(784, 256), (256,), (256, 128), (128,), (128, 10), (10,)]
    assert all(p.grad is not None for p in params)
    assert float(params[0].asnumpy().std()) == pytest.approx(0.01, rel=0.02)
    assert all(not p.asnumpy().any() for p in params[1::2])
    X = nd.random.uniform(shape=(3, 1, 28, 28))
    W1, b1, W2, b2, W3, b3 = (p.asnumpy() for p in params)
    expected = relu(relu(X.asnumpy().reshape(3, 784) @ W1 + b1) @ W2 + b2) @ W3 + b3
    np.testing.assert_allclose(net(X).asnumpy(), expected, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize('build, shapes', [
    (lambda: models.gluon_mlp((256,)), [(256, 784), (10, 256)]),
    (lambda: models.gluon_mlp((128, 64)), [(128, 784), (64, 128), (10, 64)]),
    (models.softmax_regression, [(10, 784)]),
])
def test_gluon_models_are_dense_layers_initialised_normal_001(build, shapes):
    mx.random.seed(0)
    net = build()
    assert net(nd.zeros((2, 1, 28, 28))).shape == (2, 10)
    assert [layer.weight.shape for layer in net] == shapes
    assert float(net[0].weight.data().asnumpy().std()) == pytest.approx(0.01, rel=0.05)
    assert not any(layer.bias.data().asnumpy().any() for layer in net)


def update_operators(trainer, net, ctx, monkeypatch):
    """How many weights each update operator called in one step of ``trainer`` updates, observed as it runs."""
    from mxnet.optimizer import optimizer as module
    called = []
    for name in ('sgd_update', 'multi_sgd_update'):
        def spy(*args, _name=name, _real=getattr(module, name), **kwargs):
            called.append(kwargs.get('num_weights', 1))
            return _real(*args, **kwargs)
        monkeypatch.setattr(module, name, spy)
    ctxs = ctx if isinstance(ctx, list) else [ctx]
    X, y = nd.random.uniform(shape=(4, 784)), nd.array([0, 1, 2, 3])
    pieces = [(X.as_in_context(c), y.as_in_context(c)) for c in ctxs]
    with autograd.record():
        losses = [gluon.loss.SoftmaxCrossEntropyLoss()(net(Xc), yc) for Xc, yc in pieces]
    for loss in losses:
        loss.backward()
    trainer.step(4)
    return called


@pytest.mark.parametrize('ctx', [mx.cpu(), [mx.cpu(0), mx.cpu(1)]])
def test_sgd_trainer_updates_each_parameter_by_itself_on_the_cpu(ctx, monkeypatch):
    net = models.gluon_mlp((8,), ctx)
    trainer = models.sgd_trainer(net, 0.5, ctx)
    called = update_operators(trainer, net, ctx, monkeypatch)
    # one update per parameter (4 parameters) on each copy the trainer updates: none updates several together
    assert called and set(called) == {1} and len(called) % 4 == 0 and trainer.learning_rate == 0.5
    if not isinstance(ctx, list):  # on one device MXNet's default groups them (the KVStore updates key by key)
        mine = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
        assert max(update_operators(mine, net, ctx, monkeypatch)) == min(4, mx.optimizer.SGD().aggregate_num)


def test_sgd_trainer_is_plain_sgd():
    """One step of the trainer is ``w -= lr * grad / batch_size``, like gb.sgd."""
    net = models.gluon_mlp((8,))
    X, y = nd.random.uniform(shape=(4, 784)), nd.array([0, 1, 2, 3])
    net(X)
    trainer = models.sgd_trainer(net, 0.5)
    before = net[0].weight.data().asnumpy()
    with autograd.record():
        loss = gluon.loss.SoftmaxCrossEntropyLoss()(net(X), y)
    loss.backward()
    grad = net[0].weight.grad().asnumpy()
    trainer.step(4)
    np.testing.assert_allclose(net[0].weight.data().asnumpy(), before - 0.5 * grad / 4, rtol=1e-5, atol=1e-7)


def test_a_trainer_created_by_hand_keeps_mxnets_default():
    """Whatever MXNet's default is here (MXNET_OPTIMIZER_AGGREGATION_SIZE sets it), sgd_trainer leaves it alone."""
    net = models.gluon_mlp((8,))
    models.sgd_trainer(net, 0.5)
    default = mx.optimizer.SGD().aggregate_num
    assert gluon.Trainer(net.collect_params(), 'sgd').optimizer.aggregate_num == default
