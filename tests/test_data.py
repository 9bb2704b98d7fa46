"""gluonbook/data.py: parsing, verification, source order and batches on small IDX files the tests write; downloads
from a local HTTP server that fails in the known ways, broken caches and broken files (the README's table "When
things go wrong"), each checking the error the user sees and that nothing corrupt or partial is left; and the real
Fashion-MNIST as the book uses it."""
import dataclasses
import gzip
import os
import signal
import socket
import subprocess
import sys
import time

import mxnet as mx
import numpy as np
import pooch
import pytest
from helpers import idx_bytes, tiny_dataset, write_split
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mxnet import nd

from gluonbook import data, datahub

N_TRAIN, N_TEST = 50, 20


@pytest.fixture
def arrays():
    rng = np.random.default_rng(0)
    return (rng.integers(0, 256, (N_TRAIN, 28, 28), dtype=np.uint8), np.arange(N_TRAIN, dtype=np.uint8) % 10,
            rng.integers(0, 256, (N_TEST, 28, 28), dtype=np.uint8), np.arange(N_TEST, dtype=np.uint8)[::-1] % 10)


@pytest.fixture
def tiny(tmp_path, arrays, monkeypatch):
    """A folder holding the tiny dataset, with every other source emptied."""
    monkeypatch.setenv('MXNET_HOME', str(tmp_path / 'mxnet'))
    monkeypatch.delenv('GLUONBOOK_DATA', raising=False)
    folder = tmp_path / 'tiny'
    write_split(folder, 'train', *arrays[:2])
    write_split(folder, 't10k', *arrays[2:])
    data._load_split.cache_clear()
    yield folder, tiny_dataset(*arrays)
    data._load_split.cache_clear()


def test_read_idx_returns_the_written_array(tiny, arrays):
    folder, ds = tiny
    images = data.read_idx(folder / 'train-images.gz', ds.files['train_images'])
    assert images.dtype == np.uint8 and images.shape == (N_TRAIN, 28, 28)
    np.testing.assert_array_equal(images, arrays[0])


def test_a_file_with_other_contents_is_rejected_by_its_hash(tiny, arrays):
    folder, ds = tiny
    write_split(folder, 'train', arrays[0] ^ 1, arrays[1])  # same header and size, other pixels
    with pytest.raises(data.DataError, match='sha256'):
        data.read_idx(folder / 'train-images.gz', ds.files['train_images'])


def test_the_real_fashion_mnist_facts_are_consistent():
    files = data.FASHION_MNIST.files
    assert files['train_images'].size == 47040016 and files['train_labels'].size == 60008
    assert files['test_images'].size == 7840016 and files['test_labels'].size == 10008
    assert files['train_images'].magic == 2051 and files['test_labels'].magic == 2049


def test_sources_are_searched_in_the_documented_order(tmp_path, monkeypatch):
    for folder in ('env', 'root'):
        (tmp_path / folder).mkdir()
    monkeypatch.setenv('GLUONBOOK_DATA', str(tmp_path / 'env'))
    monkeypatch.setenv('MXNET_HOME', str(tmp_path / 'mx'))
    name = 'train-images-idx3-ubyte.gz'
    assert data.sources(root=tmp_path / 'root') == [
        ('root argument', str(tmp_path / 'root' / 'fashion-mnist' / name)),
        ('root argument', str(tmp_path / 'root' / name)),
        ('GLUONBOOK_DATA', str(tmp_path / 'env' / 'fashion-mnist' / name)),
        ('GLUONBOOK_DATA', str(tmp_path / 'env' / name)),
        ('MXNet cache', str(tmp_path / 'mx' / 'datasets' / 'fashion-mnist' / name)),
        ('Debian package dataset-fashion-mnist', f'/usr/share/datasets/fashion-mnist/{name}')]


@pytest.mark.parametrize('where', ['root', 'GLUONBOOK_DATA'])
@pytest.mark.parametrize('kind', ['missing', 'file'])
def test_a_data_folder_that_is_missing_or_a_file_is_an_error_not_silence(tmp_path, monkeypatch, where, kind):
    folder = tmp_path / 'given'
    if kind == 'file':
        folder.write_text('not a folder')
    monkeypatch.delenv('GLUONBOOK_DATA', raising=False)
    if where == 'GLUONBOOK_DATA':
        monkeypatch.setenv('GLUONBOOK_DATA', str(folder))
    with pytest.raises(data.DataError, match=f'{where}=? ?{folder} is (a file|not an existing folder)'):
        data.load_data_fashion_mnist(8, root=folder if where == 'root' else None)


def test_the_first_source_holding_a_verified_copy_wins(tmp_path, tiny, arrays, monkeypatch):
    folder, ds = tiny
    other = tmp_path / 'env'
    write_split(other, 'train', *arrays[:2])
    write_split(other, 't10k', *arrays[2:])
    monkeypatch.setenv('GLUONBOOK_DATA', str(other))
    assert data.locate('train_images', root=folder, dataset=ds, download=False)[2] == 'root argument'
    assert data.locate('train_images', dataset=ds, download=False)[2] == 'GLUONBOOK_DATA'
    cache = tmp_path / 'mxnet' / 'datasets' / 'tiny'
    write_split(cache, 'train', *arrays[:2])
    monkeypatch.delenv('GLUONBOOK_DATA')
    assert data.locate('train_images', dataset=ds, download=False) == (
        str(cache / 'train-images.gz'), pytest.approx(arrays[0]), 'MXNet cache')


def test_a_bad_copy_is_named_and_the_next_source_used(tmp_path, tiny, arrays, monkeypatch):
    folder, ds = tiny
    bad = tmp_path / 'bad'
    write_split(bad, 'train', arrays[0][::-1], arrays[1])
    monkeypatch.setenv('GLUONBOOK_DATA', str(folder))
    with pytest.warns(UserWarning, match=f'{bad}/train-images.gz'):
        path, images, where = data.locate('train_images', root=bad, dataset=ds, download=False)
    assert where == 'GLUONBOOK_DATA'
    np.testing.assert_array_equal(images, arrays[0])


def test_no_copy_anywhere_is_one_line_with_the_remedies(tiny):
    _, ds = tiny
    with pytest.raises(data.DataMissingError) as e:
        data.locate('train_images', dataset=ds, download=False)
    message = str(e.value)
    assert '\n' not in message and 'train-images.gz' in message and 'GLUONBOOK_DATA' in message
    assert 'gluonbook data --fetch tiny/train-images' in message and ds.files['train_images'].sha256 in message


@pytest.fixture
def loaders(tiny):
    folder, ds = tiny

    def make(batch_size, ctx=None, resize=None):
        train = data.DataLoader(*data.load_arrays(True, folder, ds), batch_size, shuffle=True, ctx=ctx,
                                resize=resize)
        test = data.DataLoader(*data.load_arrays(False, folder, ds), batch_size, ctx=ctx, resize=resize)
        return train, test
    return make


def test_len_counts_the_last_partial_batch(loaders):
    train, test = loaders(16)
    assert (len(train), len(test)) == (4, 2)  # 50 = 3*16 + 2, 20 = 16 + 4
    assert [X.shape[0] for X, _ in train] == [16, 16, 16, 2]
    assert [y.shape[0] for _, y in test] == [16, 4]


def test_batches_are_scaled_float32_and_labels_compare_with_argmax(loaders, arrays):
    _, test = loaders(8)
    X, y = next(iter(test))
    assert X.shape == (8, 1, 28, 28) and X.dtype == np.float32 and y.dtype == np.float32
    np.testing.assert_allclose(X.asnumpy()[:, 0], arrays[2][:8] / 255, rtol=1e-6)
    np.testing.assert_array_equal(y.asnumpy(), arrays[3][:8])
    scores = nd.one_hot(y, 10)  # a "net" that is always right
    assert (scores.argmax(axis=1) == y).sum().asscalar() == 8


def test_the_training_iterator_reshuffles_every_pass_reproducibly(loaders, arrays):
    train, _ = loaders(10)

    def one_pass():
        return np.concatenate([y.asnumpy() for _, y in train])

    mx.random.seed(7)
    first, second = one_pass(), one_pass()
    mx.random.seed(7)
    again = one_pass()
    assert sorted(first) == sorted(arrays[1]) and sorted(second) == sorted(arrays[1])  # every example, once
    assert not np.array_equal(first, second) and not np.array_equal(first, arrays[1])
    np.testing.assert_array_equal(first, again)


def test_images_stay_paired_with_their_labels_when_shuffled(loaders, arrays):
    train, _ = loaders(10)
    label_of = {arrays[0][i].tobytes(): arrays[1][i] for i in range(N_TRAIN)}
    for X, y in train:
        for image, label in zip((X.asnumpy()[:, 0] * 255).round().astype(np.uint8), y.asnumpy()):
            assert label_of[image.tobytes()] == label


def test_the_test_iterator_never_shuffles(loaders, arrays):
    _, test = loaders(7)
    for _ in range(2):
        np.testing.assert_array_equal(np.concatenate([y.asnumpy() for _, y in test]), arrays[3])


@pytest.mark.parametrize('ctx', [mx.cpu(0), mx.cpu(1)])
def test_batches_are_placed_on_the_given_context(loaders, ctx):
    train, test = loaders(16, ctx=ctx)
    for X, y in list(train) + list(test):
        assert X.context == ctx and y.context == ctx


def test_resize_gives_square_batches_of_that_side(loaders):
    _, test = loaders(4, resize=56)
    X, _ = next(iter(test))
    assert X.shape == (4, 1, 56, 56) and 0 <= X.min().asscalar() and X.max().asscalar() <= 1


def test_a_bad_batch_size_is_refused_with_the_value(loaders):
    with pytest.raises(ValueError, match='batch_size.*got 0'):
        loaders(0)


@pytest.mark.parametrize('resize', [-3, 2.5])
def test_a_bad_resize_is_refused_with_the_value(tiny, resize):
    with pytest.raises(ValueError, match=f'resize.*got {resize}'):
        data.load_data_fashion_mnist(8, resize=resize, root=tiny[0])


def test_the_dataset_object_supports_len_index_and_slices(tiny, arrays, monkeypatch):
    folder, ds = tiny
    mnist = data.FashionMNIST(root=folder, train=False, dataset=ds)
    assert len(mnist) == N_TEST
    image, label = mnist[0]
    assert image.shape == (28, 28, 1) and image.dtype == np.uint8 and label == arrays[3][0]
    images, labels = mnist[0:9]
    assert images.shape == (9, 28, 28, 1)
    np.testing.assert_array_equal(images.asnumpy()[..., 0], arrays[2][:9])
    np.testing.assert_array_equal(labels, arrays[3][:9])


def test_text_labels():
    assert data.get_fashion_mnist_labels([0, 9, 3]) == ['t-shirt', 'ankle boot', 'dress']
    assert data.get_fashion_mnist_labels(nd.array([1, 8])) == ['trouser', 'bag']
    with pytest.raises(ValueError, match='0..9, got 11'):
        data.get_fashion_mnist_labels([3, 11])
    for value in (float('nan'), float('inf'), 2.5, -1):
        with pytest.raises(ValueError, match=f'0..9, got {value}'):
            data.get_fashion_mnist_labels([1, value])


def test_describe_reports_each_file_as_data(tiny, arrays, tmp_path):
    folder, ds = tiny
    (folder / 't10k-labels.gz').unlink()
    statuses = data.describe(folder, ds)
    assert [(s.name, s.verified, s.source) for s in statuses] == [
        ('train-images.gz', True, 'root argument'), ('train-labels.gz', True, 'root argument'),
        ('t10k-images.gz', True, 'root argument'), ('t10k-labels.gz', False, None)]
    assert statuses[0].path == str(folder / 'train-images.gz') and statuses[0].problem is None
    assert 'no verified copy of tiny/t10k-labels' in statuses[3].problem
    assert str(statuses[0]) == f'train-images.gz: verified, from root argument ({folder / "train-images.gz"})'
    assert str(statuses[3]) == 't10k-labels.gz: no verified copy found'


@pytest.mark.realdata
def test_real_fashion_mnist_as_the_book_uses_it(real_data):
    train_iter, test_iter = data.load_data_fashion_mnist(256)
    assert (len(train_iter), len(test_iter)) == (235, 40)
    X, y = next(iter(test_iter))
    assert X.shape == (256, 1, 28, 28) and X.dtype == np.float32
    assert list(y[:10].asnumpy()) == [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]
    images, labels = data.load_arrays(train=True)
    assert list(labels[:10]) == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]
    assert np.bincount(labels).tolist() == [6000] * 10
    assert abs(images.mean() / 255 - 0.2860) < 1e-3 and abs(images.std() / 255 - 0.3530) < 1e-3


def test_nothing_the_data_api_hands_out_can_corrupt_what_later_loaders_give(tiny, arrays):
    folder, ds = tiny
    images, labels = data.load_arrays(False, folder, ds)
    for array in (images, labels):  # the arrays held for the whole process are read-only
        with pytest.raises(ValueError, match='read-only'):
            array[:] = 0
    mnist = data.FashionMNIST(root=folder, train=False, dataset=ds)
    for image, label in (mnist[0], mnist[0:9], mnist.transform_first(lambda x: x)[0]):
        image[:] = 0  # an NDArray: MXNet would write through a view into the shared images
        if isinstance(label, np.ndarray):
            label[:] = 0
    for loader in (data.DataLoader(images, labels, 4), data.DataLoader(images, labels, 4, shuffle=True)):
        for X, y in loader:
            X[:] = 0
            y[:] = 11
    again = data.FashionMNIST(root=folder, train=False, dataset=ds)
    np.testing.assert_array_equal(again[0:N_TEST][0].asnumpy()[..., 0], arrays[2])
    np.testing.assert_array_equal(mnist[0:N_TEST][0].asnumpy()[..., 0], arrays[2])
    test = data.DataLoader(*data.load_arrays(False, folder, ds), N_TEST)
    X, y = next(iter(test))
    np.testing.assert_array_equal((X.asnumpy()[:, 0] * 255).round(), arrays[2])
    np.testing.assert_array_equal(y.asnumpy(), arrays[3])
    np.testing.assert_array_equal(data.load_arrays(False, folder, ds)[0], arrays[2])


@pytest.mark.parametrize('batch_size', [np.int64(16), np.int32(16), 16])
def test_numpy_integers_and_context_strings_are_taken(loaders, batch_size):
    train, test = loaders(batch_size, ctx='cpu:1')
    assert train.batch_size == 16 and type(train.batch_size) is int and len(test) == 2
    assert next(iter(train))[0].context == mx.cpu(1)


@pytest.mark.parametrize('batch_size', [0, -5, 2.5, True, '16', None])
def test_what_is_not_a_positive_integer_batch_size_is_named(loaders, batch_size):
    with pytest.raises(ValueError, match=f'batch_size must be a positive integer, got {batch_size!r}'):
        loaders(batch_size)


# ---------------------------------------------------------------------------------------------------------------
# Downloads, caches and files that go wrong

RNG = np.random.default_rng(1)
IMAGES, LABELS = RNG.integers(0, 256, (30, 28, 28), dtype=np.uint8), np.arange(30, dtype=np.uint8) % 10
TEST_IMAGES, TEST_LABELS = IMAGES[:10], LABELS[:10]
DATASET = tiny_dataset(IMAGES, LABELS, TEST_IMAGES, TEST_LABELS)
SPEC = DATASET.files['train_images']
GOOD = gzip.compress(idx_bytes(IMAGES))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty MXNet cache, no other source, and short timeouts."""
    monkeypatch.setenv('MXNET_HOME', str(tmp_path / 'mxnet'))
    monkeypatch.delenv('GLUONBOOK_DATA', raising=False)
    monkeypatch.setattr(datahub, 'TIMEOUT', 1)
    data._load_split.cache_clear()
    yield tmp_path / 'mxnet' / 'datasets' / 'tiny'
    data._load_split.cache_clear()


def serve(server, *behaviours, name=SPEC.name):
    server.routes['/' + name] = list(behaviours)
    return dataclasses.replace(DATASET, mirrors=[server.url])


def leftovers(folder):
    """Files in the cache other than verified, complete ones: pooch's temporary files, partial files."""
    if not folder.exists():
        return []
    return [p.name for p in folder.iterdir() if p.name.startswith(('.', 'tmp')) or p.suffix not in ('.gz',)]


def fetched(dataset):
    return data.locate('train_images', dataset=dataset)


def test_a_missing_file_fails_at_once_with_the_remedies(server, cache):
    with pytest.raises(data.DataError) as e:
        fetched(serve(server, ('status', 404)))
    message = str(e.value)
    assert '404' in message and SPEC.name in message and 'gluonbook data --fetch' in message and '\n' not in message
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


@pytest.mark.slow
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


def test_a_download_leaves_poochs_logger_at_its_own_level(server, cache):
    logger = pooch.get_logger()
    before = logger.level
    fetched(serve(server, ('status', 500), ('body', GOOD)))  # a retry: pooch logs it (at a level we hide)
    assert logger.level == before


def test_the_download_shows_progress(server, cache, capfd):
    fetched(serve(server, ('body', GOOD)))
    assert '100%' in capfd.readouterr().err  # tqdm's bar, through pooch


FETCH = f'''
from gluonbook import data
spec = data.IdxFile({SPEC.name!r}, {SPEC.shape!r}, {SPEC.sha256!r})
print(data.fetch(spec, {{folder!r}}, [{{url!r}}])[1].sum())
'''  # a process that downloads the tiny dataset's training images into folder


@pytest.mark.slow
def test_a_download_killed_midway_leaves_no_partial_file_and_can_be_restarted(server, cache, monkeypatch):
    serve(server, ('slow', GOOD, 0.5), ('body', GOOD))  # about 3 s for the whole file
    child = subprocess.Popen([sys.executable, '-c', FETCH.format(folder=str(cache), url=server.url)],
                             stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not list(cache.glob('tmp*')) and time.time() < deadline:  # pooch's temporary file, beside the target
        time.sleep(0.1)
    time.sleep(0.3)  # some bytes are written
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert not (cache / SPEC.name).exists()  # nothing at the final path
    assert [p.name[:3] for p in cache.iterdir()] == ['tmp']  # only the killed process's temporary file
    monkeypatch.setattr(datahub, 'STALE', 0)
    _, images, _ = fetched(dataclasses.replace(DATASET, mirrors=[server.url]))
    np.testing.assert_array_equal(images, IMAGES)
    assert leftovers(cache) == []  # and the leftover is cleaned up


@pytest.mark.slow
def test_four_processes_filling_an_empty_cache_all_succeed(server, cache):
    serve(server, ('slow', GOOD, 0.01))
    code = FETCH.format(folder=str(cache), url=server.url)
    children = [subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 text=True) for _ in range(4)]
    sums = [child.communicate(timeout=300)[0].strip() for child in children]
    assert [child.returncode for child in children] == [0] * 4
    assert sums == [str(IMAGES.sum())] * 4
    assert [p.name for p in cache.iterdir()] == [SPEC.name]  # one copy, no temporary files
    data.read_idx(cache / SPEC.name, SPEC)


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


@pytest.mark.parametrize('batch_size', [1, 7, 50, 64])
def test_each_batch_comes_once_whole_passes_or_stopped(loaders, arrays, batch_size):
    """Each batch is requested from MXNet before the one before it is handed over: every batch still comes
    once, in order, the last and a single one too, and a pass can be left early and begun again."""
    train, _ = loaders(batch_size)
    assert sum(len(y) for _, y in train) == N_TRAIN and len(list(train)) == len(train)
    for _ in zip(range(2), train):
        pass
    assert sorted(np.concatenate([y.asnumpy() for _, y in train])) == sorted(arrays[1])
