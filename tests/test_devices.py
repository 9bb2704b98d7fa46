"""gluonbook/devices.py: contexts on a machine without a GPU; several devices and a batch smaller than their number."""
import mxnet as mx
import pytest

import gluonbook as gb
from gluonbook import devices


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
