"""Faults provoked for real: a local HTTP server that fails in the known ways, broken caches, broken IDX files,
a diverging model, Ctrl-C. Each test checks the error the user sees and that nothing corrupt or partial is left."""
import dataclasses
import gzip
import http.server
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import mxnet as mx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mxnet.gluon import loss as gloss
from test_data import idx_bytes, tiny_dataset, write_split
from test_training import scratch_mlp

import gluonbook as gb
from gluonbook import data

RNG = np.random.default_rng(1)
IMAGES, LABELS = RNG.integers(0, 256, (30, 28, 28), dtype=np.uint8), np.arange(30, dtype=np.uint8) % 10
TEST_IMAGES, TEST_LABELS = IMAGES[:10], LABELS[:10]
DATASET = tiny_dataset(IMAGES, LABELS, TEST_IMAGES, TEST_LABELS)
SPEC = DATASET.files['train_images']
GOOD = gzip.compress(idx_bytes(IMAGES))


class Server(http.server.ThreadingHTTPServer):
    """Serves, for each path, the next of the behaviours queued for it (the last one repeats)."""
    daemon_threads = True

    def __init__(self):
        super().__init__(('127.0.0.1', 0), Handler)
        self.routes, self.hits = {}, {}
        self.url = f'http://127.0.0.1:{self.server_address[1]}/'


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        queue = self.server.routes.get(self.path, [('status', 404)])
        self.server.hits[self.path] = self.server.hits.get(self.path, 0) + 1
        kind, *args = queue.pop(0) if len(queue) > 1 else queue[0]
        if kind == 'status':
            self.send_error(args[0])
            return
        body = args[0]
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if kind == 'body':
            self.wfile.write(body)
        elif kind == 'short':  # promise the whole body, send half, hang up
            self.wfile.write(body[:len(body) // 2])
        elif kind == 'stall':  # headers, then silence
            time.sleep(args[1])
        elif kind == 'slow':  # the body in small pieces, slowly
            for i in range(0, len(body), 4096):
                self.wfile.write(body[i:i + 4096])
                self.wfile.flush()
                time.sleep(args[1])


@pytest.fixture
def server():
    srv = Server()
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield srv
    srv.shutdown()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty MXNet cache, no other source, and short timeouts."""
    monkeypatch.setenv('MXNET_HOME', str(tmp_path / 'mxnet'))
    monkeypatch.delenv('GLUONBOOK_DATA', raising=False)
    monkeypatch.setattr(data, 'TIMEOUT', 1)
    data._load_split.cache_clear()
    yield tmp_path / 'mxnet' / 'datasets' / 'tiny'
    data._load_split.cache_clear()


def serve(server, *behaviours, name=SPEC.name):
    server.routes['/' + name] = list(behaviours)
    return dataclasses.replace(DATASET, mirrors=[server.url])


def leftovers(folder):
    """Files in the cache other than verified, complete ones: temporary folders and partial files."""
    if not folder.exists():
        return []
    return [p.name for p in folder.iterdir() if p.name.startswith('.') or p.suffix not in ('.gz',)]


def fetched(dataset):
    return data.locate('train_images', dataset=dataset)


# --------------------------------------------------------------------------------------------------- fetching

def test_a_missing_file_fails_at_once_with_the_remedies(server, cache):
    with pytest.raises(data.DataError) as e:
        fetched(serve(server, ('status', 404)))
    message = str(e.value)
    assert '404' in message and SPEC.name in message and 'apt-get install dataset-fashion-mnist' in message
    assert server.hits['/' + SPEC.name] == 1  # a missing file is not asked for again
    assert not (cache / SPEC.name).exists() and leftovers(cache) == []


def test_a_server_error_is_retried(server, cache):
    path, images, where = fetched(serve(server, ('status', 500), ('body', GOOD)))
    assert where == 'download' and server.hits['/' + SPEC.name] == 2
    np.testing.assert_array_equal(images, IMAGES)
    assert path == str(cache / SPEC.name) and leftovers(cache) == []


def test_a_body_cut_short_is_never_kept_and_is_retried(server, cache):
    _, images, _ = fetched(serve(server, ('short', GOOD), ('body', GOOD)))
    np.testing.assert_array_equal(images, IMAGES)
    assert server.hits['/' + SPEC.name] == 2 and leftovers(cache) == []


def test_a_stalled_server_times_out_instead_of_hanging(server, cache):
    start = time.time()
    with pytest.raises(data.DataError, match='(?i)timed? ?out'):
        fetched(serve(server, ('stall', GOOD, 30)))
    assert time.time() - start < 20  # 3 tries of a 1 s timeout, not the server's 30 s silence
    assert not (cache / SPEC.name).exists() and leftovers(cache) == []


def test_a_wrong_file_with_a_valid_header_is_rejected_by_its_hash(server, cache):
    wrong = gzip.compress(idx_bytes(255 - IMAGES))  # same header and size: plain MNIST looks like this
    with pytest.raises(data.DataError, match='sha256'):
        fetched(serve(server, ('body', wrong)))
    assert not (cache / SPEC.name).exists() and leftovers(cache) == []


def test_a_gzip_with_a_bad_crc_is_rejected(server, cache):
    broken = bytearray(GOOD)
    broken[-8] ^= 0xFF  # the CRC32 in the gzip trailer
    with pytest.raises(data.DataError, match='gzip'):
        fetched(serve(server, ('body', bytes(broken))))
    assert not (cache / SPEC.name).exists() and leftovers(cache) == []


def test_a_dead_first_mirror_falls_through_to_the_second(server, cache):
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        dead = f'http://127.0.0.1:{s.getsockname()[1]}/'  # nothing listens there once closed
    dataset = dataclasses.replace(serve(server, ('body', GOOD)), mirrors=[dead, server.url])
    path, images, _ = fetched(dataset)
    np.testing.assert_array_equal(images, IMAGES)


def test_the_download_shows_progress(server, cache, capfd):
    fetched(serve(server, ('body', GOOD)))
    assert '100%' in capfd.readouterr().err  # tqdm's bar, through pooch


KILLED = '''
import dataclasses, sys
sys.path.insert(0, {tests!r})
from test_faults import DATASET
from gluonbook import data
data.locate('train_images', dataset=dataclasses.replace(DATASET, mirrors=[{url!r}]))
'''


def test_a_download_killed_midway_leaves_no_partial_file_and_can_be_restarted(server, cache, monkeypatch):
    serve(server, ('slow', GOOD, 0.5), ('body', GOOD))  # about 3 s for the whole file
    child = subprocess.Popen([sys.executable, '-c', KILLED.format(tests=os.path.dirname(__file__), url=server.url)],
                             env={**os.environ}, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not list(cache.glob('.download-*/*')) and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(0.3)  # some bytes are written
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert not (cache / SPEC.name).exists()  # nothing at the final path
    assert [p.name[:10] for p in cache.iterdir()] == ['.download-']  # only the killed process's temporary folder
    monkeypatch.setattr(data, 'STALE', 0)
    _, images, _ = fetched(dataclasses.replace(DATASET, mirrors=[server.url]))
    np.testing.assert_array_equal(images, IMAGES)
    assert leftovers(cache) == []  # and the leftover is cleaned up


CONCURRENT = '''
import dataclasses, sys
sys.path.insert(0, {tests!r})
from test_faults import DATASET
from gluonbook import data
images = data.locate('train_images', dataset=dataclasses.replace(DATASET, mirrors=[{url!r}]))[1]
print(images.sum())
'''


def test_four_processes_filling_an_empty_cache_all_succeed(server, cache):
    serve(server, ('slow', GOOD, 0.01))
    code = CONCURRENT.format(tests=os.path.dirname(__file__), url=server.url)
    children = [subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 text=True) for _ in range(4)]
    sums = [child.communicate(timeout=300)[0].strip() for child in children]
    assert [child.returncode for child in children] == [0] * 4
    assert sums == [str(IMAGES.sum())] * 4
    assert [p.name for p in cache.iterdir()] == [SPEC.name]  # one copy, no temporary files
    data.read_idx(cache / SPEC.name, SPEC)


# ---------------------------------------------------------------------------------------------------- caching

def test_a_corrupt_file_in_the_cache_is_named_and_replaced_by_a_download(server, cache):
    cache.mkdir(parents=True)
    (cache / SPEC.name).write_bytes(GOOD[:len(GOOD) // 2])  # half a file, as an old downloader could leave
    with pytest.warns(UserWarning, match=f'{cache / SPEC.name}.*not a readable gzip'):
        _, images, where = fetched(serve(server, ('body', GOOD)))
    assert where == 'download'
    data.read_idx(cache / SPEC.name, SPEC)  # the cache now holds the verified copy


def test_a_corrupt_file_in_gluonbook_data_is_named_and_the_next_source_used(tmp_path, cache, monkeypatch):
    bad, good = tmp_path / 'bad', cache
    write_split(bad, 'train', IMAGES[::-1], LABELS)
    write_split(good, 'train', IMAGES, LABELS)
    monkeypatch.setenv('GLUONBOOK_DATA', str(bad))
    with pytest.warns(UserWarning, match=f'{bad / SPEC.name}.*sha256'):
        _, images, where = data.locate('train_images', dataset=DATASET)
    assert where == 'MXNet cache'
    np.testing.assert_array_equal(images, IMAGES)


def test_a_cache_that_cannot_be_written_gives_a_clear_error(tmp_path, monkeypatch, server):
    (tmp_path / 'file').write_text('not a folder')
    monkeypatch.setenv('MXNET_HOME', str(tmp_path / 'file'))
    monkeypatch.delenv('GLUONBOOK_DATA', raising=False)
    with pytest.raises(data.DataError, match='cannot write to the cache folder .*MXNET_HOME'):
        fetched(serve(server, ('body', GOOD)))


# ---------------------------------------------------------------------------------------------------- parsing

def gz(tmp_path, payload):
    path = tmp_path / 'file.gz'
    path.write_bytes(gzip.compress(payload))
    return path


@pytest.mark.parametrize('payload, message', [
    ((2049).to_bytes(4, 'big') + idx_bytes(IMAGES)[4:], 'magic number 2049, expected 2051'),
    (idx_bytes(IMAGES.reshape(30, 784, 1)), r'dimensions \(30, 784, 1\)'),
    (idx_bytes(IMAGES.reshape(15, 56, 28)), r'dimensions \(15, 56, 28\), expected \(30, 28, 28\)'),
    (idx_bytes(IMAGES)[:-100], 'truncated'),
    (idx_bytes(IMAGES) + b'extra', 'truncated or padded'),
    (b'', 'magic number 0'),
])
def test_malformed_idx_files_are_refused_with_what_is_wrong(tmp_path, payload, message):
    with pytest.raises(data.DataError, match=message):
        data.read_idx(gz(tmp_path, payload), SPEC)


def test_a_header_claiming_a_huge_size_is_not_allocated(tmp_path):
    huge = (2051).to_bytes(4, 'big') + b'\xff\xff\xff\xff' * 3 + bytes(1000)
    with pytest.raises(data.DataError, match='dimensions'):
        data.read_idx(gz(tmp_path, huge), data.FASHION_MNIST.files['train_images'])


def test_labels_above_nine_are_refused(tmp_path, monkeypatch):
    labels = LABELS.copy()
    labels[3] = 12
    folder = tmp_path / 'd'
    write_split(folder, 'train', IMAGES, labels)
    write_split(folder, 't10k', TEST_IMAGES, TEST_LABELS)
    monkeypatch.setenv('MXNET_HOME', str(tmp_path))
    data._load_split.cache_clear()
    with pytest.raises(data.DataError, match='labels go up to 12, expected 0..9'):
        data.load_arrays(True, folder, tiny_dataset(IMAGES, labels, TEST_IMAGES, TEST_LABELS))


def test_images_and_labels_of_different_counts_are_refused():
    with pytest.raises(ValueError, match='30 images but 29 labels'):
        data.DataLoader(IMAGES, LABELS[:29], 8)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.binary(max_size=24), body=st.binary(max_size=2000), compress=st.booleans())
def test_random_bytes_give_an_array_or_the_packages_error(tmp_path, header, body, compress):
    path = tmp_path / 'random.gz'
    path.write_bytes(gzip.compress(header + body) if compress else header + body)
    spec = data.IdxFile('random.gz', (4, 5), '0' * 64)
    try:
        array = data.read_idx(path, spec)
    except data.DataError:
        return
    assert array.shape == (4, 5)  # only with the right hash, which random bytes do not have
    raise AssertionError('random bytes passed verification')


# --------------------------------------------------------------------------------------------------- training

@pytest.mark.realdata
def test_a_diverging_model_stops_with_the_epoch_and_a_hint(real_data):
    train_iter, test_iter = gb.load_data_fashion_mnist(256)
    net, params = scratch_mlp()
    with pytest.raises(FloatingPointError, match=r'became (nan|inf) in epoch 1.*learning rate below 1e\+30'):
        gb.train_ch3(net, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 3, 256, params, 1e30)


@pytest.mark.realdata
def test_ctrl_c_returns_the_finished_epochs(real_data, capsys):
    train_iter, test_iter = gb.load_data_fashion_mnist(256)
    net, params = scratch_mlp()
    calls = []

    def interrupted_in_epoch_2(X):
        calls.append(1)
        if len(calls) == 235 + 40 + 100:  # epoch 1's training and test batches, then 100 more
            os.kill(os.getpid(), signal.SIGINT)  # a real Ctrl-C, as the terminal sends it
            time.sleep(1)
        return net(X)
    history = gb.train_ch3(interrupted_in_epoch_2, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 5, 256,
                           params, 0.5)
    assert len(history) == 1 and history.test_acc[0] > 0.7
    assert 'interrupted: returning the history of 1 finished epoch(s)' in capsys.readouterr().err


# -------------------------------------------------------------------------------------------------- arguments

def test_helpers_refuse_bad_arguments_with_the_value():
    net, params = scratch_mlp()
    loss, batches = gloss.SoftmaxCrossEntropyLoss(), []
    cases = [
        (lambda: gb.train_ch3(net, batches, batches, loss, 0, 256, params, 0.5), 'num_epochs.*got 0'),
        (lambda: gb.train_ch3(net, batches, batches, loss, 1, -5, params, 0.5), 'batch_size.*got -5'),
        (lambda: gb.train_ch3(net, batches, batches, loss, 1, 256, params, -0.1), 'lr.*got -0.1'),
        (lambda: gb.train_ch3(net, batches, batches, loss, 1, 256), 'needs either trainer= or both params='),
        (lambda: gb.get_fashion_mnist_labels([3, 11]), '0..9, got 11'),
        (lambda: gb.show_fashion_mnist(np.zeros((2, 20, 20)), ['a', 'b']), r'28x28.*\(2, 20, 20\)'),
        (lambda: gb.load_data_fashion_mnist(0), 'batch_size.*got 0'),
        (lambda: gb.load_data_fashion_mnist(8, resize=2.5), 'resize.*got 2.5'),
        (lambda: gb.devices.parse_ctx('gpu:x'), "unknown context 'gpu:x'"),
    ]
    for call, message in cases:
        with pytest.raises(ValueError, match=message):
            call()
    with pytest.raises(TypeError, match='mx.Context'):
        gb.evaluate_accuracy([], net, ctx=['cpu'])
    if mx.context.num_gpus() == 0:
        with pytest.raises(ValueError, match='this machine has 0 GPU'):
            gb.devices.parse_ctx('gpu:0')


# ------------------------------------------------------------------------------------------------- checkpoints

def same(history):
    return {k: v for k, v in history.to_dict().items() if k != 'seconds'}


@pytest.mark.realdata
def test_a_run_resumed_from_its_checkpoint_ends_where_an_uninterrupted_one_does(real_data, tmp_path, capsys):
    train_iter, test_iter = gb.load_data_fashion_mnist(256)
    loss = gloss.SoftmaxCrossEntropyLoss()
    mx.random.seed(5)
    net, straight = scratch_mlp()
    full = gb.train_ch3(net, train_iter, test_iter, loss, 3, 256, straight, 0.5, checkpoint=tmp_path / 'a.ckpt')
    mx.random.seed(5)
    net, params = scratch_mlp()
    gb.train_ch3(net, train_iter, test_iter, loss, 2, 256, params, 0.5, checkpoint=tmp_path / 'b.ckpt')
    net, params = scratch_mlp()  # a new process would start from other weights: the checkpoint replaces them
    resumed = gb.train_ch3(net, train_iter, test_iter, loss, 3, 256, params, 0.5, checkpoint=tmp_path / 'b.ckpt')
    assert f'resuming from {tmp_path / "b.ckpt"} after epoch 2' in capsys.readouterr().out
    assert same(resumed) == same(full) and len(resumed) == 3
    for a, b in zip(straight, params):
        np.testing.assert_allclose(a.asnumpy(), b.asnumpy(), rtol=1e-6)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['a.ckpt', 'b.ckpt']  # no temporary file left


@pytest.mark.realdata
def test_a_gluon_run_resumes_with_its_trainer_state(real_data, tmp_path):
    from mxnet import gluon, init
    from mxnet.gluon import nn
    train_iter, test_iter = gb.load_data_fashion_mnist(256)

    def run(epochs, path):
        net = nn.Sequential()
        net.add(nn.Dense(64, activation='relu'), nn.Dense(10))
        net.initialize(init.Normal(sigma=0.01))
        trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1, 'momentum': 0.9})
        history = gb.train(train_iter, test_iter, net, gloss.SoftmaxCrossEntropyLoss(), trainer, mx.cpu(), epochs,
                           checkpoint=path)
        return history, net[0].weight.data().asnumpy()
    mx.random.seed(6)
    full, weight = run(2, tmp_path / 'a.ckpt')
    mx.random.seed(6)
    run(1, tmp_path / 'b.ckpt')
    resumed, resumed_weight = run(2, tmp_path / 'b.ckpt')  # momentum restored too, or the weights would differ
    assert same(resumed) == same(full)
    np.testing.assert_allclose(resumed_weight, weight, rtol=1e-5, atol=1e-7)


def test_a_checkpoint_of_another_model_is_refused(tmp_path):
    net, params = scratch_mlp()
    gb.training.Checkpoint(tmp_path / 'c.ckpt', params=params[:2]).save(1, gb.History())
    with pytest.raises(ValueError, match='holds 2 parameters, this model has 4'):
        gb.training.Checkpoint(tmp_path / 'c.ckpt', params=params).resume(gb.History())
