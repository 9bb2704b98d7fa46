"""The convolutional-network chapters' helpers: corr2d, the residual block and ResNet-18."""
from mxnet import nd
from mxnet.gluon import nn


def corr2d(X, K):
    """Two-dimensional cross-correlation of ``X`` ``(h, w)`` with the kernel ``K`` ``(kh, kw)``, no padding,
    stride 1: ``Y[i, j] = (X[i:i + kh, j:j + kw] * K).sum()``.

    Returns an NDArray of shape ``(h - kh + 1, w - kw + 1)``. It is computed as the sum of ``kh * kw`` shifted
    copies of ``X``, each scaled by one kernel entry (gluonbook 0.8.10 summed one window per output element, in
    Python), so it is fast and ``autograd`` differentiates it with respect to ``X`` and ``K``.

    Example::

        >>> X = nd.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
        >>> gb.corr2d(X, nd.array([[0, 1], [2, 3]])).asnumpy().tolist()
        [[19.0, 25.0], [37.0, 43.0]]
    """
    h, w = K.shape
    out_h, out_w = X.shape[0] - h + 1, X.shape[1] - w + 1
    Y = nd.zeros((out_h, out_w), ctx=X.context, dtype=X.dtype)
    for a in range(h):
        for b in range(w):
            Y = Y + X[a:a + out_h, b:b + out_w] * K[a, b]
    return Y


class Residual(nn.HybridBlock):
    """ResNet's residual block: two 3x3 convolutions with batch normalisation, added to the input.

    A ``HybridBlock`` (gluonbook 0.8.10's was a ``Block``): ``net.hybridize()`` runs a ResNet built of them as one
    graph per block, with the same results.

    Args:
        num_channels: output channels of both convolutions.
        use_1x1conv: pass the input through a 1x1 convolution (to change its channels or size) before the sum.
        strides: stride of the first convolution (and of the 1x1 one); 2 halves height and width.

    Input ``(batch, c, h, w)``, output ``(batch, num_channels, h / strides, w / strides)``.

    Example::

        >>> blk = gb.Residual(6, use_1x1conv=True, strides=2)
        >>> blk.initialize()
        >>> blk(nd.random.uniform(shape=(4, 3, 6, 6))).shape
        (4, 6, 3, 3)
    """

    def __init__(self, num_channels, use_1x1conv=False, strides=1, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = nn.Conv2D(num_channels, kernel_size=3, padding=1, strides=strides)
        self.conv2 = nn.Conv2D(num_channels, kernel_size=3, padding=1)
        if use_1x1conv:
            self.conv3 = nn.Conv2D(num_channels, kernel_size=1, strides=strides)
        else:
            self.conv3 = None
        self.bn1 = nn.BatchNorm()
        self.bn2 = nn.BatchNorm()

    def hybrid_forward(self, F, X):
        Y = F.relu(self.bn1(self.conv1(X)))
        Y = self.bn2(self.conv2(Y))
        if self.conv3:
            X = self.conv3(X)
        return F.relu(Y + X)


def resnet18(num_classes):
    """ResNet-18 for small images (a 3x3 first convolution, no max-pooling), as the image-augmentation and
    multi-GPU sections use it on CIFAR-10 and Fashion-MNIST.

    Returns an uninitialised ``nn.Sequential``: input ``(batch, channels, h, w)``, output
    ``(batch, num_classes)``.

    Example::

        >>> net = gb.resnet18(10)
        >>> net.initialize()
        >>> net(nd.random.uniform(shape=(2, 3, 32, 32))).shape
        (2, 10)
    """
    net = nn.Sequential()
    net.add(nn.Conv2D(64, kernel_size=3, strides=1, padding=1), nn.BatchNorm(), nn.Activation('relu'))
    net.add(resnet_block(64, 2, first_block=True), resnet_block(128, 2), resnet_block(256, 2),
            resnet_block(512, 2))
    net.add(nn.GlobalAvgPool2D(), nn.Dense(num_classes))
    return net


def resnet_block(num_channels, num_residuals, first_block=False, residual=Residual):
    """The ResNet section's stage: ``num_residuals`` ``residual`` blocks of ``num_channels`` channels, the first
    halving height and width (with a 1x1 convolution on its shortcut) unless ``first_block``."""
    blk = nn.Sequential()
    for i in range(num_residuals):
        if i == 0 and not first_block:
            blk.add(residual(num_channels, use_1x1conv=True, strides=2))
        else:
            blk.add(residual(num_channels))
    return blk
