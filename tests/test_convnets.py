"""gluonbook/convnets.py: cross-correlation, the residual block, ResNet-18."""
import mxnet as mx
import numpy as np
import pytest
from mxnet import autograd, gluon, init, nd

import gluonbook as gb


def naive_corr2d(X, K):  # the definition, one window per output element
    h, w = K.shape
    return np.array([[(X[i:i + h, j:j + w] * K).sum() for j in range(X.shape[1] - w + 1)]
                     for i in range(X.shape[0] - h + 1)])


def test_corr2d_is_the_books_example():
    Y = gb.corr2d(nd.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]]), nd.array([[0, 1], [2, 3]]))
    assert Y.asnumpy().tolist() == [[19, 25], [37, 43]]


def test_corr2d_matches_the_definition_for_other_shapes():
    rng = np.random.default_rng(0)
    X, K = rng.normal(size=(7, 9)).astype(np.float32), rng.normal(size=(3, 2)).astype(np.float32)
    np.testing.assert_allclose(gb.corr2d(nd.array(X), nd.array(K)).asnumpy(), naive_corr2d(X, K), rtol=1e-5,
                               atol=1e-5)


def test_corr2d_is_differentiable_in_the_kernel():
    X, K = nd.random.uniform(shape=(6, 8)), nd.random.uniform(shape=(1, 2))
    K.attach_grad()
    with autograd.record():
        y = gb.corr2d(X, K).sum()
    y.backward()
    np.testing.assert_allclose(K.grad.asnumpy(), [[X[:, :7].sum().asscalar(), X[:, 1:].sum().asscalar()]],
                               rtol=1e-5)


def test_residual_block_shapes():
    X = nd.random.uniform(shape=(4, 3, 6, 6))
    blk = gb.Residual(3)
    blk.initialize()
    assert blk(X).shape == (4, 3, 6, 6)
    blk = gb.Residual(6, use_1x1conv=True, strides=2)
    blk.initialize()
    assert blk(X).shape == (4, 6, 3, 3)


def test_resnet18_outputs_one_score_per_class():
    net = gb.resnet18(10)
    net.initialize()
    assert net(nd.random.uniform(shape=(2, 1, 28, 28))).shape == (2, 10)
    assert len(net) == 9  # stem (3 layers), four stages, pooling, dense


def test_a_hybridized_resnet_gives_the_same_step():
    """Residual is a HybridBlock: the network hybridized computes the same outputs and gradients."""
    X = nd.random.uniform(shape=(4, 1, 32, 32))
    y = nd.array([0, 1, 2, 3])
    results = []
    for hybridize in (False, True):
        mx.random.seed(3)
        net = gb.resnet18(10)
        net.initialize(init.Xavier())
        if hybridize:
            net.hybridize()
        with autograd.record():
            loss = gluon.loss.SoftmaxCrossEntropyLoss()(net(X), y).sum()
        loss.backward()
        results.append((loss.asscalar(), net[0].weight.grad().asnumpy()))
    (loss_a, grad_a), (loss_b, grad_b) = results
    assert loss_a == pytest.approx(loss_b, rel=1e-5)
    np.testing.assert_allclose(grad_a, grad_b, rtol=1e-4, atol=1e-6)
