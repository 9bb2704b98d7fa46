"""gluonbook/resize.py: bilinear resizing as two matrix products, the pixels of MXNet's BilinearResize2D."""
import mxnet as mx
import numpy as np
import pytest
from mxnet import nd

import gluonbook as gb
from gluonbook import resize


def mxnet_resize(X, height, width):
    return nd.contrib.BilinearResize2D(X, height=height, width=width).asnumpy()


@pytest.mark.parametrize('shape, height, width', [
    ((5, 1, 28, 28), 96, 96),      # Fashion-MNIST for ResNet
    ((3, 1, 28, 28), 224, 224),    # Fashion-MNIST for AlexNet, VGG
    ((2, 3, 28, 20), 50, 33),      # channels, not square, odd sizes
    ((4, 2, 28, 28), 14, 9),       # smaller
    ((1, 1, 7, 5), 1, 1),          # one pixel
    ((1, 1, 1, 1), 4, 6),          # from one pixel
])
def test_the_pixels_of_mxnets_bilinear_resize(shape, height, width):
    X = nd.random.uniform(shape=shape)
    out = resize.bilinear(X, height, width)
    assert out.shape == shape[:2] + (height, width) and out.dtype == np.float32
    np.testing.assert_allclose(out.asnumpy(), mxnet_resize(X, height, width), rtol=1e-5, atol=1e-5)


def test_scale_multiplies_every_pixel():
    X = nd.array(np.random.default_rng(0).integers(0, 256, (6, 1, 28, 28)))
    np.testing.assert_allclose(resize.bilinear(X, 96, 96, scale=1 / 255).asnumpy(), mxnet_resize(X / 255, 96, 96),
                               rtol=1e-5, atol=1e-6)


def test_corners_are_aligned_and_rows_sum_to_one():
    R = resize.interpolation_matrix(28, 96)
    assert R.shape == (96, 28)
    np.testing.assert_allclose(R.sum(axis=1), 1)
    assert R[0, 0] == 1 and R[-1, -1] == 1  # the first and last pixels map onto each other
    np.testing.assert_allclose(resize.interpolation_matrix(2, 3), [[1, 0], [0.5, 0.5], [0, 1]])


def test_the_result_is_on_the_batchs_context():
    ctx = mx.cpu(1)  # another context than the default one, as a GPU would be
    X = nd.random.uniform(shape=(2, 1, 28, 28), ctx=ctx)
    out = resize.bilinear(X, 40, 40)
    assert out.context == ctx
    np.testing.assert_allclose(out.asnumpy(), mxnet_resize(X, 40, 40), rtol=1e-5, atol=1e-5)


def test_a_batch_of_another_size_after_the_first():  # a loader's last batch is smaller
    for n in (8, 3, 8):
        X = nd.random.uniform(shape=(n, 1, 28, 28))
        np.testing.assert_allclose(resize.bilinear(X, 32, 32).asnumpy(), mxnet_resize(X, 32, 32), atol=1e-5)


def test_not_a_batch_of_images_is_refused_with_its_shape():
    with pytest.raises(ValueError, match=r'\(28, 28\)'):
        resize.bilinear(nd.zeros((28, 28)), 96, 96)


@pytest.mark.usefixtures('real_data')
@pytest.mark.parametrize('size', [96, 224])
def test_load_data_fashion_mnist_resizes_as_mxnet_does(size):
    _, test_iter = gb.load_data_fashion_mnist(100, resize=size)
    _, plain = gb.load_data_fashion_mnist(100)
    batches = list(zip(test_iter, plain))
    assert len(batches) == 100
    for (X, y), (X28, y28) in (batches[0], batches[-1]):
        assert X.shape == (100, 1, size, size) and X.dtype == np.float32
        np.testing.assert_array_equal(y.asnumpy(), y28.asnumpy())
        np.testing.assert_allclose(X.asnumpy(), mxnet_resize(X28, size, size), rtol=1e-5, atol=1e-6)
