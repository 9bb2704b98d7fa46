"""MXNet's own ``gluon.data.vision.FashionMNIST``, working offline on a verified local copy.

Why: the book's Fashion-MNIST and AlexNet sections call ``gdata.vision.FashionMNIST(train=True)`` directly. MXNet
checks each ``.gz`` file against the sha1 of *its* compressed copy, so Debian's package (the same images,
re-compressed: ``/usr/share/datasets/fashion-mnist``) is refused and MXNet goes to the network, which is
unreachable offline. A copy that MXNet would accept cannot be made from Debian's, since the gzip bytes differ.

What :func:`install` does (called once by ``import gluonbook``; the only change it makes to MXNet): it puts
:class:`FashionMNIST` in place of ``mxnet.gluon.data.vision.FashionMNIST`` (and of the same name in
``mxnet.gluon.data.vision.datasets``). It is :class:`gluonbook.data.FashionMNIST` (a Gluon ``Dataset``, built on
MXNet's public API only) with MXNet's constructor: ``root`` (default MXNet's cache folder, searched first),
``train`` and ``transform``. The arrays come from :func:`gluonbook.data.load_arrays`, which looks in ``root``,
``$GLUONBOOK_DATA``, MXNet's cache and Debian's folder, verifies each file by the sha256 of its decompressed
contents (so every good copy passes and a wrong one never does), and downloads with a hash check only when there
is no copy. Items are what MXNet's class gives: ``ds[i]`` is a uint8 NDArray ``(28, 28, 1)`` and an int32 label;
``len``, slices and ``transform_first`` work the same. Code that imported MXNet's class by name before gluonbook
was imported keeps MXNet's original.
"""
import os

import mxnet as mx
from mxnet import gluon
from mxnet.gluon.data.vision import datasets

from . import data

MXNetFashionMNIST = datasets.FashionMNIST  # MXNet's own class, as shipped


class FashionMNIST(data.FashionMNIST):
    """``mxnet.gluon.data.vision.FashionMNIST`` reading a verified local copy (see the module's docstring).

    Args (MXNet's): ``root`` (default ``$MXNET_HOME/datasets/fashion-mnist``, searched first), ``train``
    (the 60,000 training or the 10,000 test images), ``transform`` (a function of ``(data, label)``).

    Example::

        >>> import gluonbook
        >>> from mxnet.gluon import data as gdata
        >>> mnist_train = gdata.vision.FashionMNIST(train=True)
        >>> len(mnist_train), mnist_train[0][0].shape, mnist_train[0][1]
        (60000, (28, 28, 1), 9)
    """

    def __init__(self, root=os.path.join(mx.base.data_dir(), 'datasets', 'fashion-mnist'), train=True,
                 transform=None, dataset=data.FASHION_MNIST):
        super().__init__(root=root, train=train, transform=transform, dataset=dataset)


def install():
    """Make ``gluon.data.vision.FashionMNIST`` the verified, offline-first :class:`FashionMNIST`; idempotent."""
    gluon.data.vision.FashionMNIST = FashionMNIST
    datasets.FashionMNIST = FashionMNIST
