"""The chapter's models on Fashion-MNIST: softmax regression, the MLP from scratch and the MLP with Gluon.

Each builds the network exactly as the chapter does (weights normal(0.01), zero biases, ReLU), for any hidden layer
widths. The train command, the tests and the benchmark all take their models from here.
"""
import mxnet as mx
from mxnet import gluon, init, nd
from mxnet.gluon import nn

from .devices import as_context, as_context_list

NUM_INPUTS, NUM_OUTPUTS = 784, 10  # 28x28 images, 10 classes


def scratch_mlp(hiddens=(256,), ctx=None):
    """The book's MLP from scratch: ``(net, params)``.

    ``params`` is ``[W1, b1, W2, b2, ...]`` (weights normal(0.01) of shape ``(fan_in, fan_out)``, zero biases),
    each with a gradient attached, on ``ctx`` (default: the CPU; a string such as ``'cpu:1'`` too); ``net(X)``
    takes a batch ``(b, 1, 28, 28)`` (or ``(b, 784)``) and returns the scores ``(b, 10)``, with ReLU as
    ``nd.maximum`` between the layers."""
    ctx = as_context(ctx)
    sizes = (NUM_INPUTS, *hiddens, NUM_OUTPUTS)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        params += [nd.random.normal(scale=0.01, shape=(fan_in, fan_out), ctx=ctx), nd.zeros(fan_out, ctx=ctx)]
    for param in params:
        param.attach_grad()

    def net(X):
        H = X.reshape((-1, NUM_INPUTS))
        for W, b in zip(params[:-2:2], params[1:-2:2]):
            H = nd.maximum(nd.dot(H, W) + b, 0)
        return nd.dot(H, params[-2]) + params[-1]
    return net, params


def gluon_mlp(hiddens=(256,), ctx=None):
    """The same network with Gluon, initialised normal(0.01) on ``ctx`` (a context, a list, a string such as
    ``'cpu:0,1'``; default the CPU): ``Dense(h, activation='relu')`` per hidden layer, then ``Dense(10)``. With
    ``hiddens=()`` it is softmax regression, the concise way (one ``Dense(10)``)."""
    net = nn.Sequential()
    for h in hiddens:
        net.add(nn.Dense(h, activation='relu'))
    net.add(nn.Dense(NUM_OUTPUTS))
    net.initialize(init.Normal(sigma=0.01), ctx=as_context_list(ctx or mx.cpu()))
    return net


def softmax_regression(ctx=None):
    """Softmax regression, the concise way: one ``nn.Dense(10)``, weights normal(0.01)."""
    return gluon_mlp((), ctx)


def sgd_trainer(net, lr, ctx=None, kvstore='device'):
    """A ``gluon.Trainer`` running plain SGD at ``lr`` on ``net``'s parameters.

    Where every context is a CPU, each parameter is updated by its own ``sgd_update``: the optimizer's public
    ``aggregate_num`` set to 0 instead of MXNet's default, which groups four parameters per ``multi_sgd_update``
    and is slower on the CPU (Gluon MLP: 0.90 -> 0.80 s per epoch, same results). Only this trainer is changed:
    nothing global is set, so a ``gluon.Trainer`` you create yourself keeps MXNet's defaults."""
    optimizer = mx.optimizer.SGD(learning_rate=lr)
    if all(c.device_type == 'cpu' for c in as_context_list(ctx or mx.cpu())):
        optimizer.aggregate_num = 0
    return gluon.Trainer(net.collect_params(), optimizer, kvstore=kvstore)
