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


def test_context_strings():
    assert devices.parse_ctx('cpu') == [mx.cpu(0)]
    assert devices.parse_ctx('cpu:0,1') == [mx.cpu(0), mx.cpu(1)]
    assert devices.as_context_list(mx.cpu(1)) == [mx.cpu(1)]
    with pytest.raises(ValueError, match="'tpu'"):
        devices.parse_ctx('tpu')


def test_benchmark_waits_for_the_work_inside(capsys):
    with gb.Benchmark('dot') as b:
        x = nd.random.uniform(shape=(1000, 1000))
        for _ in range(10):
            x = nd.dot(x, x) / 1000  # queued, not yet computed
        queued = time.time() - b.start
    assert b.seconds > 3 * queued  # __exit__ waited for 20 GFLOP of products, not just for their queueing
    assert capsys.readouterr().out.startswith('dot time: ')
