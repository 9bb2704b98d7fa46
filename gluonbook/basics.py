"""The basics of chapter 3, as the book writes them: the linear-regression reader, model and loss, mini-batch SGD,
the accuracy of a classifier, and a timer.

>>> from mxnet import nd
>>> X, w, b = nd.array([[1, 2], [3, 4]]), nd.array([[1], [-1]]), nd.array([0.5])
>>> linreg(X, w, b).asnumpy().ravel().tolist()
[-0.5, -0.5]
>>> float(squared_loss(nd.array([[1], [3]]), nd.array([2, 1])).sum().asscalar())
2.5
"""
import time

from mxnet import nd


def data_iter(batch_size, features, labels):
    """Random mini-batches ``(X, y)`` of the given examples (the book's linear-regression reader); the last batch
    may be smaller."""
    n = len(features)
    order = nd.random.shuffle(nd.arange(n)).as_in_context(features.context)
    for i in range(0, n, batch_size):
        j = order[i:min(i + batch_size, n)]
        yield features.take(j), labels.take(j)


def linreg(X, w, b):
    """The linear regression model."""
    return nd.dot(X, w) + b


def squared_loss(y_hat, y):
    """Squared loss, halved."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """Mini-batch stochastic gradient descent: ``param -= lr * grad / batch_size``, in place."""
    for param in params:  # one MXNet operator per parameter (the book's line takes three)
        nd.sgd_update(param, param.grad, lr=lr, rescale_grad=1 / batch_size, out=param)


def accuracy(y_hat, y):
    """The fraction of labels ``y`` equal to the predictions ``y_hat.argmax(axis=1)``; every element of ``y``
    counts, so per-pixel labels ``(b, h, w)`` against scores ``(b, classes, h, w)`` give the pixel accuracy."""
    return (y_hat.argmax(axis=1) == y.astype('float32', copy=False)).sum().asscalar() / y.size


class Benchmark:
    """Time a block, waiting for MXNet's asynchronous work inside it to finish; prints ``PREFIX time: S sec`` and
    keeps the seconds in ``seconds``."""

    def __init__(self, prefix=None):
        self.prefix = prefix + ' ' if prefix else ''

    def __enter__(self):
        self.start = time.time()
        return self

    def __exit__(self, *args):
        nd.waitall()
        self.seconds = time.time() - self.start
        print(f'{self.prefix}time: {self.seconds:.4f} sec')
