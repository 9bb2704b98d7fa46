"""gluonbook/vision.py: boxes drawn on the book's image, and the VOC helpers on a small stand-in archive."""
import io

import matplotlib
import numpy as np
import pytest
from helpers import stand_in, tar_gz
from mxnet import image, nd
from PIL import Image

import gluonbook as gb
from gluonbook import vision

matplotlib.use('Agg')


def test_bbox_to_rect_and_show_bboxes_on_the_books_image():
    gb.plt.close('all')
    img = image.imread(gb.bookdata.path('catdog.jpg')).asnumpy()
    assert img.shape == (561, 728, 3)
    rect = gb.bbox_to_rect([60, 45, 378, 516], 'blue')
    assert rect.get_xy() == (60, 45) and rect.get_width() == 318 and rect.get_height() == 471
    fig = gb.plt.imshow(img)
    gb.show_bboxes(fig.axes, nd.array([[60, 45, 378, 516], [400, 112, 655, 493]]), ['dog', 'cat'], 'k')
    assert len(fig.axes.patches) == 2 and fig.axes.patches[1].get_edgecolor() == (0, 0, 0, 1)
    assert len(fig.axes.texts) == 2 and fig.axes.texts[1].get_text() == 'cat'
    gb.plt.close('all')


def png(array):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format='PNG')
    return buffer.getvalue()


def jpg(array):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format='JPEG', quality=95)
    return buffer.getvalue()


@pytest.fixture
def voc(book_cache, server, tmp_path, monkeypatch):
    """A VOC2012 stand-in: three 40x50 images (one too small), labels in the class colours."""
    rng = np.random.default_rng(0)
    files = {'VOCdevkit/VOC2012/ImageSets/Segmentation/train.txt': b'a\nb\nsmall\n',
             'VOCdevkit/VOC2012/ImageSets/Segmentation/val.txt': b'a\n'}
    for name, (h, w) in {'a': (40, 50), 'b': (40, 50), 'small': (10, 10)}.items():
        label = np.zeros((h, w, 3), np.uint8)
        label[:, w // 2:] = vision.VOC_COLORMAP[12]  # the right half is a dog
        files[f'VOCdevkit/VOC2012/JPEGImages/{name}.jpg'] = jpg(rng.integers(0, 256, (h, w, 3), dtype=np.uint8))
        files[f'VOCdevkit/VOC2012/SegmentationClass/{name}.png'] = png(label)
    body = tar_gz(files)
    srv = server
    spec = stand_in(monkeypatch, 'voc2012', body, [srv.url])
    srv.routes['/' + spec.name] = [('body', body)]
    yield str(tmp_path / 'data')


def test_the_voc_helpers_end_to_end(voc, capsys):
    voc_dir = gb.download_voc_pascal(data_dir=voc)
    assert gb.download_voc_pascal(data_dir=voc) == voc_dir  # unpacked once
    features, labels = gb.read_voc_images(voc_dir, is_train=True)
    assert len(features) == 3 and features[0].shape == (40, 50, 3) and labels[0].dtype == np.uint8
    colormap2label = vision.voc_colormap2label()
    indices = gb.voc_label_indices(labels[0], colormap2label)
    assert indices.shape == (40, 50) and set(np.unique(indices.asnumpy())) == {0, 12}
    assert gb.VOC_CLASSES[12] == 'dog' and len(gb.VOC_CLASSES) == len(gb.VOC_COLORMAP) == 21
    feature, label = gb.voc_rand_crop(features[0], labels[0], 20, 30)
    assert feature.shape == (20, 30, 3) and label.shape == (20, 30, 3)
    ds = gb.VOCSegDataset(True, (32, 48), voc_dir, colormap2label)
    assert 'read 2 examples' in capsys.readouterr().out and len(ds) == 2
    X, Y = ds[0]
    assert X.shape == (3, 32, 48) and X.dtype == np.float32 and Y.shape == (32, 48)
