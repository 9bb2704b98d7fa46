"""gluonbook/data.py on small IDX files the tests write: parsing, verification, source order, batches."""
import dataclasses
import gzip
import hashlib
import os

import mxnet as mx
import numpy as np
import pytest
from mxnet import nd

from gluonbook import data

N_TRAIN, N_TEST = 50, 20


def idx_bytes(array):
    """An IDX file's bytes: magic (unsigned byte, ndim), big-endian dims, payload."""
    header = (0x0800 + array.ndim).to_bytes(4, 'big') + b''.join(d.to_bytes(4, 'big') for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_split(folder, name, images, labels):
    os.makedirs(folder, exist_ok=True)
    for suffix, array in (('images', images), ('labels', labels)):
        with gzip.open(os.path.join(folder, f'{name}-{suffix}.gz'), 'wb') as f:
            f.write(idx_bytes(array))


def tiny_dataset(images, labels, test_images, test_labels):
    """A Dataset spec for the given arrays: same facts as Fashion-MNIST's, small files, their own hashes."""
    def spec(name, array):
        return data.IdxFile(name, array.shape, hashlib.sha256(idx_bytes(array)).hexdigest())
    return dataclasses.replace(data.FASHION_MNIST, name='tiny', mirrors=[], debian_dir=None, files={
        'train_images': spec('train-images.gz', images), 'train_labels': spec('train-labels.gz', labels),
        'test_images': spec('t10k-images.gz', test_images), 'test_labels': spec('t10k-labels.gz', test_labels)})


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
    monkeypatch.setenv('GLUONBOOK_DATA', str(tmp_path / 'env'))
    monkeypatch.setenv('MXNET_HOME', str(tmp_path / 'mx'))
    assert data.sources(root=tmp_path / 'root') == [
        ('root argument', str(tmp_path / 'root')),
        ('GLUONBOOK_DATA', str(tmp_path / 'env')),
        ('MXNet cache', str(tmp_path / 'mx' / 'datasets' / 'fashion-mnist')),
        ('Debian package dataset-fashion-mnist', '/usr/share/datasets/fashion-mnist')]


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


def test_no_copy_anywhere_lists_the_three_remedies(tiny):
    _, ds = tiny
    with pytest.raises(data.DataError) as e:
        data.locate('train_images', dataset=ds, download=False)
    assert 'apt-get install dataset-fashion-mnist' in str(e.value)
    assert 'GLUONBOOK_DATA' in str(e.value) and 'connect' in str(e.value)


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


def test_bad_batch_size_and_resize_are_refused(loaders, tiny):
    with pytest.raises(ValueError, match='batch_size'):
        loaders(0)
    with pytest.raises(ValueError, match='resize'):
        data.load_data_fashion_mnist(8, resize=-3, root=tiny[0])


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
    with pytest.raises(ValueError, match='10'):
        data.get_fashion_mnist_labels([10])


def test_data_iter_covers_every_example_once():
    features, labels = nd.arange(30).reshape((15, 2)), nd.arange(15)
    seen = []
    for X, y in data.data_iter(4, features, labels):
        np.testing.assert_array_equal(X[:, 0].asnumpy(), 2 * y.asnumpy())
        seen += list(y.asnumpy())
    assert sorted(seen) == list(range(15))


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
