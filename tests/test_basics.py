"""gluonbook/basics.py: the chapter-3 basics on small arrays and the Benchmark timer."""
import threading

import mxnet as mx
import numpy as np
import pytest
from mxnet import autograd, nd

import gluonbook as gb
from gluonbook import basics, data


def test_the_book_names_come_from_the_basics_module():
    for name in ('linreg', 'squared_loss', 'sgd', 'accuracy', 'data_iter', 'Benchmark'):
        assert getattr(gb, name) is getattr(basics, name)
    assert not hasattr(data, 'data_iter')


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


def test_linreg_and_squared_loss():
    X, w, b = nd.array([[1, 2], [3, 4]]), nd.array([[1], [-1]]), nd.array([0.5])
    np.testing.assert_allclose(gb.linreg(X, w, b).asnumpy(), [[-0.5], [-0.5]])
    np.testing.assert_allclose(gb.squared_loss(nd.array([[1], [3]]), nd.array([2, 1])).asnumpy(), [[0.5], [2]])


def test_data_iter_gives_every_example_once_in_a_random_order():
    mx.random.seed(0)
    features, labels = nd.arange(20).reshape((10, 2)), nd.arange(10)
    batches = list(gb.data_iter(3, features, labels))
    assert [len(y) for _, y in batches] == [3, 3, 3, 1]
    seen = np.concatenate([y.asnumpy() for _, y in batches])
    assert sorted(seen.tolist()) == list(range(10)) and seen.tolist() != list(range(10))
    for X, y in batches:  # each row stays with its label
        np.testing.assert_array_equal(X.asnumpy()[:, 0], 2 * y.asnumpy())


class Slow(mx.operator.CustomOp):
    """An operator that MXNet runs on its own thread, later than Python queues it; it records that it ran."""
    ran = threading.Event()

    def forward(self, is_train, req, in_data, out_data, aux):
        threading.Event().wait(0.5)
        self.assign(out_data[0], req[0], in_data[0])
        Slow.ran.set()


@mx.operator.register('gluonbook_test_slow')
class SlowProp(mx.operator.CustomOpProp):
    def create_operator(self, ctx, shapes, dtypes):
        return Slow()


def test_benchmark_waits_for_the_work_inside(capsys):
    Slow.ran.clear()
    with gb.Benchmark('slow') as b:
        nd.Custom(nd.ones(3), op_type='gluonbook_test_slow')  # queued; runs on MXNet's thread
    assert Slow.ran.is_set()  # leaving the block waited for it
    assert b.seconds > 0 and capsys.readouterr().out.startswith('slow time: ')


@pytest.mark.parametrize('y_hat, y, expected', [
    ([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]], [2, 2], 1.0),
    ([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]], [0, 2], 0.5),
])
def test_accuracy(y_hat, y, expected):
    assert gb.accuracy(nd.array(y_hat), nd.array(y, dtype='int32')) == expected
