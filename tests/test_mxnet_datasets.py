"""gluonbook/mxnet_datasets.py: MXNet's own FashionMNIST class, offline, on the verified local copy."""
import numpy as np
import pytest
from helpers import tiny_dataset, write_split
from mxnet.gluon import data as gdata
from mxnet.gluon.data.vision import datasets

import gluonbook  # noqa: F401 - importing it installs the class
from gluonbook import data, mxnet_datasets


def test_importing_gluonbook_puts_the_class_in_mxnets_namespace():
    assert gdata.vision.FashionMNIST is mxnet_datasets.FashionMNIST is datasets.FashionMNIST
    assert issubclass(gdata.vision.FashionMNIST, gdata.Dataset)
    assert mxnet_datasets.MXNetFashionMNIST.__module__.startswith('mxnet.')  # MXNet's own, kept


def test_it_reads_through_load_arrays_with_mxnets_shapes_and_dtypes(tmp_path):
    rng = np.random.default_rng(0)
    images, labels = rng.integers(0, 256, (12, 28, 28), dtype=np.uint8), np.arange(12, dtype=np.uint8) % 10
    test_images, test_labels = images[:4], labels[:4]
    folder = tmp_path / 'root'
    write_split(folder, 'train', images, labels)
    write_split(folder, 't10k', test_images, test_labels)
    tiny = tiny_dataset(images, labels, test_images, test_labels)
    data._load_split.cache_clear()
    try:
        ds = gdata.vision.FashionMNIST(root=str(folder), train=True, dataset=tiny)
        assert len(ds) == 12
        X, y = ds[3]
        assert X.shape == (28, 28, 1) and X.dtype == np.uint8 and y == 3 and y.dtype == np.int32
        np.testing.assert_array_equal(X.asnumpy()[:, :, 0], images[3])
        test = gdata.vision.FashionMNIST(root=str(folder), train=False, dataset=tiny)
        test = test.transform_first(lambda x: x.astype('float32'))
        assert len(test) == 4 and test[0][0].dtype == np.float32
    finally:
        data._load_split.cache_clear()


@pytest.mark.realdata
def test_the_real_data_offline_as_mxnet_gives_it(real_data, monkeypatch):
    monkeypatch.setattr('mxnet.gluon.utils.download', lambda *a, **k: pytest.fail('MXNet tried to download'))
    train = gdata.vision.FashionMNIST(train=True)
    images, labels = data.load_arrays(train=True)
    assert len(train) == 60000
    X, y = train[0:9]
    np.testing.assert_array_equal(X.asnumpy()[:, :, :, 0], images[:9])
    assert y.tolist() == [9, 0, 0, 3, 0, 2, 7, 2, 5]
