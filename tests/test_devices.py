"""gluonbook/devices.py: contexts on a machine without a GPU; several devices and a batch smaller than their number."""
import itertools
import json

import mxnet as mx
import numpy as np
import pytest
from mxnet import gluon
from mxnet.gluon import loss as gloss

import gluonbook as gb
from gluonbook import cli, devices, models


def test_without_a_gpu_the_cpu_is_used():
    if mx.context.num_gpus():
        pytest.skip('this machine has a GPU')
    assert gb.try_gpu() == mx.cpu() and gb.try_all_gpus() == [mx.cpu()]


@pytest.mark.parametrize('given, expected', [
    ('cpu', [mx.cpu(0)]), ('cpu:0,1', [mx.cpu(0), mx.cpu(1)]), (mx.cpu(1), [mx.cpu(1)]),
    ([mx.cpu(0), mx.cpu(1)], [mx.cpu(0), mx.cpu(1)]), (' CPU:1 ', [mx.cpu(1)]),
])
def test_contexts_from_strings_contexts_and_lists(given, expected):
    assert devices.as_context_list(given) == expected


@pytest.mark.parametrize('given, error, message', [
    ('tpu', ValueError, "unknown context 'tpu'"),
    ('gpu:x', ValueError, "unknown context 'gpu:x'"),
    ('cpu:0,0', ValueError, 'names a device twice'),
    ([mx.cpu(0), mx.cpu(0)], ValueError, 'names a device twice'),
    ([], TypeError, 'mx.Context'),
    (['cpu'], TypeError, 'mx.Context'),
    (0, TypeError, 'mx.Context'),
])
def test_bad_contexts_are_named(given, error, message):
    with pytest.raises(error, match=message):
        devices.as_context_list(given)


@pytest.mark.skipif(mx.context.num_gpus() > 0, reason='this machine has a GPU')
@pytest.mark.parametrize('given', ['gpu', 'gpu:0', mx.gpu(), [mx.cpu(), mx.gpu(0)]])
def test_a_gpu_that_is_not_there_is_a_clear_error_before_mxnet_fails(given):
    with pytest.raises(ValueError, match=r'not available: this machine has 0 GPU\(s\).*mx.cpu\(\)'):
        devices.as_context_list(given)


def test_one_context_where_one_is_expected():
    assert devices.as_context(None) == mx.cpu() and devices.as_context('cpu:1') == mx.cpu(1)
    with pytest.raises(ValueError, match='expected one device'):
        devices.as_context('cpu:0,1')


# ---------------------------------------------------------------------------------------------------------------
# Several devices and a batch of fewer examples than devices, on the real Fashion-MNIST

TWO = [mx.cpu(0), mx.cpu(1)]


def gluon_run(ctx, train_iter, test_iter, epochs=1, batch_size=None, seed=3):
    """``(history, net)`` of the Gluon MLP trained by gb.train on ``ctx`` from the weights of ``seed``."""
    mx.random.seed(seed)
    net = models.gluon_mlp(ctx=ctx)
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5}, kvstore='device')
    history = gb.train(train_iter, test_iter, net, gloss.SoftmaxCrossEntropyLoss(), trainer, ctx, epochs,
                       batch_size)
    return history, net


@pytest.mark.slow
@pytest.mark.realdata
def test_batches_of_one_example_on_two_devices_train_as_on_one(real_data, capsys):
    mx.random.seed(0)
    train_iter, test_iter = gb.load_data_fashion_mnist(1)
    batches, tests = list(itertools.islice(train_iter, 60)), list(itertools.islice(test_iter, 25))
    one, net_one = gluon_run([mx.cpu(0)], batches, tests, 2)
    two, net_two = gluon_run(TWO, batches, tests, 2)
    assert one.loss == pytest.approx(two.loss, rel=1e-5) and one.test_acc == two.test_acc
    assert one.loss[1] < one.loss[0]  # it learns
    for copy in net_two[0].weight.list_data():  # both devices hold the weights one device reaches
        np.testing.assert_allclose(copy.asnumpy(), net_one[0].weight.data().asnumpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.slow
@pytest.mark.realdata
@pytest.mark.parametrize('batch_size, rel, acc', [
    (59999, 1e-3, 2e-3),  # a last training batch of 1 example: 2 steps, the same to float rounding
    (99, 0.05, 0.01),  # a last test batch of 1; 606 steps, over which the rounding of two devices' sums grows
])
def test_a_last_batch_smaller_than_the_devices_gives_the_accuracy_of_one_device(real_data, batch_size, rel, acc,
                                                                                  capsys):
    train_iter, test_iter = gb.load_data_fashion_mnist(batch_size)
    one, _ = gluon_run([mx.cpu(0)], train_iter, test_iter, batch_size=batch_size)
    two, net = gluon_run(TWO, train_iter, test_iter, batch_size=batch_size)
    assert two.loss[0] == pytest.approx(one.loss[0], rel=rel) and abs(two.test_acc[0] - one.test_acc[0]) <= acc
    assert gb.evaluate_accuracy(test_iter, net, TWO) == pytest.approx(gb.evaluate_accuracy(test_iter, net, 'cpu:0'))


@pytest.mark.slow
@pytest.mark.realdata
@pytest.mark.parametrize('batch_size, rel, acc', [(59999, 1e-3, 2e-3), (99, 0.05, 0.01)])
def test_the_train_command_on_two_devices_with_a_small_last_batch(real_data, batch_size, rel, acc, tmp_path, capsys):
    for name, ctx in (('one', 'cpu'), ('two', 'cpu:0,1')):
        assert cli.main(['train', 'mlp-gluon', '--epochs', '1', '--seed', '1', '--batch-size', str(batch_size),
                         '--ctx', ctx, '--out', str(tmp_path / name)]) == 0
    assert 'error' not in capsys.readouterr().err
    one, two = (json.loads((tmp_path / name / 'history.json').read_text()) for name in ('one', 'two'))
    assert abs(one['test_acc'][0] - two['test_acc'][0]) <= acc and two['loss'][0] == pytest.approx(one['loss'][0],
                                                                                                  rel=rel)
