"""benchmarks/: the speed table's pieces (the pinned reference, the runner, the convolution floor, the targets and
the table), each on small inputs; no timing is asserted."""
import io
import json
import os
import sys
import tarfile

import mxnet as mx
import pytest
from mxnet.gluon import nn

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the repository: `benchmarks`

from benchmarks import bench, book, children, runner, table, targets  # noqa: E402


def sdist(path, utils=b'VERSION = "0.8.10"\n'):
    """A source archive laid out as gluonbook 0.8.10's, holding ``utils``."""
    with tarfile.open(path, 'w:gz') as tar:
        info = tarfile.TarInfo(book.MEMBER)
        info.size = len(utils)
        tar.addfile(info, io.BytesIO(utils))
    return path


def test_the_reference_is_refused_when_its_hash_is_not_the_pinned_one(tmp_path):
    archive = sdist(tmp_path / book.SDIST)
    with pytest.raises(RuntimeError) as e:
        book.extract_utils(archive, tmp_path / 'out')
    assert book.SHA256 in str(e.value) and book.sha256(archive) in str(e.value)
    assert not (tmp_path / 'out' / 'utils.py').exists()


def test_the_reference_is_extracted_when_its_hash_is_the_pinned_one(tmp_path, monkeypatch):
    archive = sdist(tmp_path / book.SDIST, b'def train_ch5(): pass\n')
    monkeypatch.setattr(book, 'SHA256', book.sha256(archive))
    path = book.extract_utils(archive, tmp_path / 'out')
    assert open(path, 'rb').read() == b'def train_ch5(): pass\n'
    monkeypatch.setenv('GLUONBOOK_0810', str(tmp_path / 'out'))
    assert hasattr(book.book_0810(), 'train_ch5')


def test_the_pinned_hash_is_a_sha256():
    assert len(book.SHA256) == 64 and int(book.SHA256, 16) >= 0


def test_a_child_that_fails_is_reported_with_its_error():
    result = runner.run_child('no-such-run', 1, timeout=120)
    assert 'error' in result and 'no-such-run' in result['error'] and 'exit code 1' in result['error']


@pytest.mark.parametrize('device, expected', [('cpu', mx.cpu()), ('cpu:1', mx.cpu(1)), ('gpu:2', mx.gpu(2))])
def test_device_names(device, expected):
    assert children.device_context(device) == expected


def test_a_device_name_that_is_not_one_is_refused():
    with pytest.raises(ValueError, match='gpu:1'):
        children.device_context('tpu')


def test_the_convolutions_of_a_network_and_their_flop():
    net = nn.Sequential()
    net.add(nn.Conv2D(4, kernel_size=3, padding=1), nn.Conv2D(8, kernel_size=3, strides=2))
    net.initialize()
    convs = children.convolutions(net, mx.nd.zeros((2, 1, 8, 8)))
    assert [shape for shape, _ in convs] == [(2, 1, 8, 8), (2, 4, 8, 8)]
    first = 2 * 2 * 4 * 8 * 8 * 1 * 9  # forward: 2 * n * out channels * out pixels * in channels * kernel
    second = 2 * 2 * 8 * 3 * 3 * 4 * 9  # 8x8, 3x3 kernel, stride 2: 3x3 outputs
    assert children.conv_flop(*convs[0], first=True) == 2 * first  # forward and weight gradient
    assert children.conv_flop(*convs[1], first=False) == 3 * second  # and the input gradient


def test_the_convolution_floor_runs_on_the_context_it_is_given():
    """The GPU path of the table, exercised with another CPU context."""
    net = nn.Conv2D(4, kernel_size=3)
    net.initialize(ctx=mx.cpu(1))
    convs = children.convolutions(net, mx.nd.zeros((2, 3, 8, 8), ctx=mx.cpu(1)))
    assert children.conv_floor(convs, mx.cpu(1), repeats=1) > 0


RESULTS = {
    'resized-input': {'ms_per_batch': {'gluonbook': [2.0, 2.1, 1.9], 'gluonbook-0.8.10': [25.0, 24.0, 26.0],
                                       'BilinearResize2D': [9.0, 9.0, 9.0], 'read and sum only': [1.0]},
                      'device': 'cpu(0)', 'what': '96x96 batches of 128'},
    'lenet': {'seconds': {'gluonbook': [3.0, 3.0], 'gluonbook-0.8.10': [4.5, 4.5]},
              'test_acc': {'gluonbook': 0.71, 'gluonbook-0.8.10': 0.7}, 'device': 'cpu(0)', 'what': 'LeNet',
              'floor': {'value': 2.5, 'what': 'the network alone'}},  # so at most 1.8x: the 2x cannot be reached
    'alexnet-step': {'step_s': {'hybridized': 3.0, 'imperative': 4.0}, 'conv_flop': 600e9, 'floor_s': 2.0,
                     'device': 'cpu(0)', 'what': 'AlexNet step'},
    'rnn-loop': {'error': 'exit code 1: boom'},
    'ch7-loop': {'seconds': {'gluonbook': [6.0, 6.5, 7.0], 'gluonbook-0.8.10': [13.0, 13.0, 13.0]},
                 'loss': {'gluonbook': 0.25, 'gluonbook-0.8.10': 0.24}, 'what': 'train_ch7',
                 'floor': {'value': 2.6, 'what': "the chapter's sgd alone"}},  # at most 5x: 3x could be reached
    'scratch-gluonbook': {'end_to_end_s': 12.0, 'epoch_s': [1.0] * 10, 'network_epoch_s': 0.5},
    'scratch-book': {'end_to_end_s': 33.0},  # at most 33 / (2 + 10 * 0.5) = 4.7x: 5x cannot be reached
    'gluon-gluonbook': {'end_to_end_s': 12.0, 'epoch_s': [1.0] * 10, 'network_epoch_s': 0.1},
    'gluon-book': {'end_to_end_s': 33.0},  # at most 11x
}


def test_the_targets_of_the_chapters():
    rows = {target.split(' >=')[0]: (measured, result) for target, measured, result in targets.targets(RESULTS, 10)}
    assert rows['resized input (96x96, batch 128) per batch'] == ('12.50x', 'PASS')
    assert rows['LeNet epoch'] == ('1.50x (at most 1.80x)', 'LIMIT')
    assert rows['GRU loop'] == ('run failed', 'FAIL')
    assert rows['train_ch7, batch 1'] == ('2.00x', 'FAIL')
    assert rows['from-scratch MLP: 10 epochs end to end'] == ('2.75x (at most 4.71x)', 'LIMIT')
    assert rows['Gluon MLP: 10 epochs end to end'] == ('2.75x', 'FAIL')
    assert rows['from-scratch MLP: s/epoch <= 1.1'] == ('-', 'n/a')  # not run: not judged


def test_the_table_shows_each_chapter_against_the_reference():
    machine = {'date': 'today', 'cpu': 'a CPU', 'cores': 2, 'mxnet': '1.9.1', 'numpy': '1.23.5', 'python': '3.11',
               'load_before': '0.0', 'load_after': '0.1'}
    chapters = {name: r for name, r in RESULTS.items() if not name.startswith(('scratch-', 'gluon-'))}
    lines = table.report(chapters, machine, 10)
    text = '\n'.join(lines)
    assert 'on cpu(0)' in text
    resized = next(line for line in lines if line.startswith('resized-input'))
    assert '2.00 ms' in resized and '25.00 ms' in resized and '12.50x' in resized and '9.00 ms' in resized
    alexnet = next(line for line in lines if line.startswith('alexnet-step'))
    assert '1.33x' in alexnet and '200 GFLOP/s' in alexnet and '67% of the floor' in alexnet
    assert 'FAILED: exit code 1: boom' in text
    ch7 = next(line for line in lines if line.startswith('ch7-loop'))
    assert '2.00x' in ch7 and "the chapter's sgd alone: 2.60 s, so at most 5.00x" in ch7
    lenet = next(line for line in lines if line.startswith('lenet'))
    assert 'the network alone: 2.50 s, so at most 1.80x' in lenet
    assert any(line.startswith('LIMIT: ') for line in lines)


def test_the_results_are_written_whole(tmp_path):
    path = tmp_path / 'results.json'
    bench.write_json(path, {'runs': {'lenet': 1}})
    assert json.loads(path.read_text()) == {'runs': {'lenet': 1}}
    with pytest.raises(TypeError):
        bench.write_json(path, {'runs': object()})  # cannot be written: the old file stays
    assert json.loads(path.read_text()) == {'runs': {'lenet': 1}}
    assert os.listdir(tmp_path) == ['results.json']
