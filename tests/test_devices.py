"""gluonbook/devices.py: contexts on a machine without a GPU, and the Benchmark timer."""
import time

import mxnet as mx
import pytest
from mxnet import nd

import gluonbook as gb
from gluonbook import devices


def test_without_a_gpu_the_cpu_is_used():
    if mx.context.num_gpus():
        pytest.skip('this machine has a GPU')
    assert gb.try_gpu() == mx.cpu() and gb.try_all_gpus() == [mx.cpu()]


@pytest.mark.parametrize('text, ctxs', [('cpu', [mx.cpu(0)]), ('cpu:0,1', [mx.cpu(0), mx.cpu(1)]),
                                         (' GPU:0,1 ', None)])
def test_context_strings(text, ctxs):
    if ctxs is None:  # GPUs: only where there are two
        if mx.context.num_gpus() < 2:
            pytest.skip('this machine has fewer than 2 GPUs')
        ctxs = [mx.gpu(0), mx.gpu(1)]
    assert devices.parse_ctx(text) == ctxs
    assert devices.as_context_list(text) == ctxs


def test_a_context_or_a_list_of_them_is_a_list():
    assert devices.as_context_list(mx.cpu(1)) == [mx.cpu(1)]
    assert devices.as_context_list([mx.cpu(0), mx.cpu(1)]) == [mx.cpu(0), mx.cpu(1)]
    with pytest.raises(TypeError, match='mx.Context'):
        devices.as_context_list(['cpu'])


@pytest.mark.parametrize('text, message', [('tpu', "unknown context 'tpu'"), ('gpu:x', "unknown context 'gpu:x'"),
                                           ('gpu:0', 'asks for GPU 0, but this machine has 0 GPU')])
def test_bad_context_strings_are_refused_with_the_value(text, message):
    if text == 'gpu:0' and mx.context.num_gpus():
        pytest.skip('this machine has a GPU')
    with pytest.raises(ValueError, match=message):
        devices.parse_ctx(text)


def test_benchmark_waits_for_the_work_inside(capsys):
    with gb.Benchmark('dot') as b:
        x = nd.random.uniform(shape=(1000, 1000))
        for _ in range(10):
            x = nd.dot(x, x) / 1000  # queued, not yet computed
        queued = time.time() - b.start
    assert b.seconds > 3 * queued  # __exit__ waited for 20 GFLOP of products, not just for their queueing
    assert capsys.readouterr().out.startswith('dot time: ')
