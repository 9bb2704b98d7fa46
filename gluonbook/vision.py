"""The computer-vision chapters' helpers: bounding boxes, the Pikachu detection set, Pascal VOC2012 segmentation.

Boxes are ``(x_min, y_min, x_max, y_max)`` (top left and bottom right corners), in pixels or as fractions of the
image. The data sets are large and downloaded once, verified (see :mod:`gluonbook.datahub`).
"""
import os

import numpy as np
from mxnet import gluon, image, nd

from . import bookdata, datahub

VOC_CLASSES = ['background', 'aeroplane', 'bicycle', 'bird', 'boat',
               'bottle', 'bus', 'car', 'cat', 'chair', 'cow',
               'diningtable', 'dog', 'horse', 'motorbike', 'person',
               'potted plant', 'sheep', 'sofa', 'train', 'tv/monitor']

# The RGB colour of each class of VOC_CLASSES in the segmentation label images, in the same order.
VOC_COLORMAP = [[0, 0, 0], [128, 0, 0], [0, 128, 0], [128, 128, 0],
                [0, 0, 128], [128, 0, 128], [0, 128, 128], [128, 128, 128],
                [64, 0, 0], [192, 0, 0], [64, 128, 0], [192, 128, 0],
                [64, 0, 128], [192, 0, 128], [64, 128, 128], [192, 128, 128],
                [0, 64, 0], [128, 64, 0], [0, 192, 0], [128, 192, 0],
                [0, 64, 128]]


def bbox_to_rect(bbox, color):
    """A matplotlib rectangle (outline, 2 points wide, in ``color``) for the box ``(x_min, y_min, x_max, y_max)``.

    Example::

        >>> img = gb.plt.imread(gb.bookdata.path('catdog.jpg'))
        >>> fig = gb.plt.imshow(img)
        >>> fig.axes.add_patch(gb.bbox_to_rect([60, 45, 378, 516], 'blue'))
        <matplotlib.patches.Rectangle object at ...>
    """
    from matplotlib import pyplot as plt
    return plt.Rectangle(xy=(bbox[0], bbox[1]), width=bbox[2] - bbox[0], height=bbox[3] - bbox[1],
                         fill=False, edgecolor=color, linewidth=2)


def _make_list(obj, default_values=None):
    if obj is None:
        obj = default_values
    elif not isinstance(obj, (list, tuple)):
        obj = [obj]
    return obj


def show_bboxes(axes, bboxes, labels=None, colors=None):
    """Draw boxes on matplotlib ``axes``, each with an optional label in a box of its colour.

    Args:
        axes: where to draw (``gb.plt.imshow(img).axes``).
        bboxes: boxes in pixels, an NDArray ``(n, 4)`` or a list of NDArrays of 4 values.
        labels: a label or a list of labels (the first ``len(labels)`` boxes get one).
        colors: a colour or a list of them, used in turn (default blue, green, red, magenta, cyan).

    Example::

        >>> fig = gb.plt.imshow(gb.plt.imread(gb.bookdata.path('catdog.jpg')))
        >>> gb.show_bboxes(fig.axes, nd.array([[60, 45, 378, 516], [400, 112, 655, 493]]), ['dog', 'cat'])
    """
    labels = _make_list(labels)
    colors = _make_list(colors, ['b', 'g', 'r', 'm', 'c'])
    for i, bbox in enumerate(bboxes):
        color = colors[i % len(colors)]
        rect = bbox_to_rect(bbox.asnumpy() if hasattr(bbox, 'asnumpy') else np.asarray(bbox), color)
        axes.add_patch(rect)
        if labels and len(labels) > i:
            text_color = 'k' if color == 'w' else 'w'
            axes.text(rect.xy[0], rect.xy[1], labels[i], va='center', ha='center', fontsize=9, color=text_color,
                      bbox=dict(facecolor=color, lw=0))


def load_data_pikachu(batch_size, edge_size=256):
    """The Pikachu detection data set (1000 training and 100 validation images with one box each) as MXNet
    ``image.ImageDetIter`` iterators.

    Returns:
        (train_iter, val_iter): each batch has ``data[0]`` of shape ``(batch_size, 3, edge_size, edge_size)``
        and ``label[0]`` of shape ``(batch_size, 1, 5)`` (class, then the box as fractions of the image). The
        training iterator shuffles and crops at random.

    The three files (about 85 MB) are registry entries ``pikachu/train.rec``, ``pikachu/train.idx`` and
    ``pikachu/val.rec``, looked for as every file is (``$GLUONBOOK_DATA``, the book's ``../data/pikachu``,
    MXNet's cache ``~/.mxnet/datasets/pikachu``) and downloaded there once, verified, when there is no copy.
    """
    train_rec, train_idx, val_rec = datahub.paths('pikachu/train.rec', 'pikachu/train.idx', 'pikachu/val.rec')
    train_iter = image.ImageDetIter(
        path_imgrec=train_rec, path_imgidx=train_idx, batch_size=batch_size,
        data_shape=(3, edge_size, edge_size), shuffle=True, rand_crop=1, min_object_covered=0.95, max_attempts=200)
    val_iter = image.ImageDetIter(
        path_imgrec=val_rec, batch_size=batch_size, data_shape=(3, edge_size, edge_size), shuffle=False)
    return train_iter, val_iter


def download_voc_pascal(data_dir='../data'):
    """Pascal VOC2012, unpacked into ``data_dir``; returns its folder ``data_dir/VOCdevkit/VOC2012``.

    If that folder already holds the data it is used as it is. Otherwise the archive (2 GB) comes from
    ``data_dir``, ``$GLUONBOOK_DATA``, the book's ``../data`` or MXNet's cache (``~/.mxnet/datasets/voc``), or is
    downloaded there once, verified (sha1 ``4e443f8a...``), then unpacked."""
    voc_dir = os.path.join(data_dir, 'VOCdevkit', 'VOC2012')
    if os.path.exists(os.path.join(voc_dir, 'ImageSets', 'Segmentation', 'train.txt')):
        return voc_dir
    archive = datahub.locate('voc/VOCtrainval_11-May-2012.tar', data_dir if os.path.isdir(data_dir) else None).path
    bookdata.extract(archive, data_dir)
    return voc_dir


def read_voc_images(root='../data/VOCdevkit/VOC2012', is_train=True):
    """The images and label images of VOC2012's segmentation training (or validation) split.

    Returns:
        (features, labels): two lists of uint8 NDArrays ``(h, w, 3)``, the photographs and their label images
        (each pixel's colour is its class's in :data:`VOC_COLORMAP`)."""
    txt_fname = os.path.join(root, 'ImageSets', 'Segmentation', 'train.txt' if is_train else 'val.txt')
    with open(txt_fname) as f:
        images = f.read().split()
    features, labels = [None] * len(images), [None] * len(images)
    for i, fname in enumerate(images):
        features[i] = image.imread(os.path.join(root, 'JPEGImages', f'{fname}.jpg'))
        labels[i] = image.imread(os.path.join(root, 'SegmentationClass', f'{fname}.png'))
    return features, labels


def voc_colormap2label():
    """The lookup table :func:`voc_label_indices` needs: an NDArray of ``256 ** 3`` entries mapping each colour
    ``(r * 256 + g) * 256 + b`` of :data:`VOC_COLORMAP` to its class index (other colours to 0)."""
    colormap2label = nd.zeros(256 ** 3)
    for i, colormap in enumerate(VOC_COLORMAP):
        colormap2label[(colormap[0] * 256 + colormap[1]) * 256 + colormap[2]] = i
    return colormap2label


def voc_label_indices(colormap, colormap2label):
    """The class index of every pixel of a VOC label image.

    Args:
        colormap: a label image, NDArray ``(h, w, 3)``.
        colormap2label: the lookup table from :func:`voc_colormap2label` (the chapter builds the same one).

    Returns an NDArray ``(h, w)`` of class indices (float32, as the table)."""
    colormap = colormap.astype('int32')
    idx = ((colormap[:, :, 0] * 256 + colormap[:, :, 1]) * 256 + colormap[:, :, 2])
    return colormap2label[idx]


def voc_rand_crop(feature, label, height, width):
    """Crop an image and its label image at the same random place to ``(height, width)``; returns both."""
    feature, rect = image.random_crop(feature, (width, height))
    label = image.fixed_crop(label, *rect)
    return feature, label


class VOCSegDataset(gluon.data.Dataset):
    """VOC2012 semantic segmentation as a Gluon data set, randomly cropped.

    Args:
        is_train: the training split (else the validation split).
        crop_size: ``(height, width)`` of the crops; images smaller than that are left out.
        voc_dir: the folder from :func:`download_voc_pascal`.
        colormap2label: the colour lookup table (see :func:`voc_colormap2label`).

    ``ds[i]`` is ``(X, Y)``: ``X`` float32 ``(3, height, width)``, normalised with ImageNet's channel mean and
    standard deviation; ``Y`` float32 ``(height, width)`` of class indices. Prints how many examples it read.
    """

    def __init__(self, is_train, crop_size, voc_dir, colormap2label):
        self.rgb_mean = nd.array([0.485, 0.456, 0.406])
        self.rgb_std = nd.array([0.229, 0.224, 0.225])
        self.crop_size = crop_size
        data, labels = read_voc_images(root=voc_dir, is_train=is_train)
        self.data = [self.normalize_image(im) for im in self.filter(data)]
        self.labels = self.filter(labels)
        self.colormap2label = colormap2label
        print('read ' + str(len(self.data)) + ' examples')

    def normalize_image(self, data):
        return (data.astype('float32') / 255 - self.rgb_mean) / self.rgb_std

    def filter(self, images):
        return [im for im in images if (im.shape[0] >= self.crop_size[0] and im.shape[1] >= self.crop_size[1])]

    def __getitem__(self, idx):
        data, labels = voc_rand_crop(self.data[idx], self.labels[idx], *self.crop_size)
        return data.transpose((2, 0, 1)), voc_label_indices(labels, self.colormap2label)

    def __len__(self):
        return len(self.data)
