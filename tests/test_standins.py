"""The stand-ins of standins.py, read back by MXNet's and the book's own reading code.

MXNet's readers verify the real files' sha1 and download when it differs; here they read local copies only:
``MXNET_GLUON_REPO`` points at a closed port (a download attempt fails at once), the files are placed where the
readers look, and where a reader checks a sha1 the test gives it the stand-in's (a subclass with that one
difference, the reading itself unchanged)."""
import collections
import hashlib
import os
import re
import tarfile
import zipfile

import mxnet as mx
import numpy as np
import pytest
import standins
from mxnet import image
from mxnet.contrib.text import embedding
from mxnet.gluon import data as gdata
from mxnet.gluon.model_zoo import model_store, vision

import gluonbook as gb

REPO = 'https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/'


@pytest.fixture(autouse=True)
def offline(tmp_path, monkeypatch):
    """An empty MXNet home, and a repository no download can reach."""
    monkeypatch.setenv('MXNET_HOME', str(tmp_path / 'mxnet'))
    monkeypatch.setenv('MXNET_GLUON_REPO', 'http://127.0.0.1:9/')


@pytest.fixture(scope='module')
def made(tmp_path_factory):
    """``made(url)``: the stand-in for ``url``, written once for the module."""
    folder, paths = tmp_path_factory.mktemp('standins'), {}

    def get(url):
        if url not in paths:
            paths[url] = standins.make(url, folder / str(len(paths)))
        return paths[url]
    return get


def sha1(path):
    return hashlib.sha1(open(path, 'rb').read()).hexdigest()


def sha256(path):
    return hashlib.sha256(open(path, 'rb').read()).hexdigest()


SMALL = [url for url in standins.URLS if '/gluon/models/' not in url]


@pytest.mark.parametrize('url', SMALL)
def test_a_stand_in_is_small_has_the_downloaded_name_and_the_same_bytes_each_time(url, made, tmp_path):
    path = made(url)
    assert path.name == url.rsplit('/', 1)[1] == standins.filename(url)
    assert 0 < path.stat().st_size < 1_000_000
    assert sha256(standins.make(url, tmp_path)) == sha256(path)


def test_every_stand_in_differs_from_every_other(made):
    hashes = collections.Counter(sha256(made(url)) for url in SMALL)
    assert hashes.most_common(1)[0][1] == 1


def test_the_file_names_differ_so_every_stand_in_fits_in_one_folder():
    names = [standins.filename(url) for url in standins.URLS]
    assert len(set(names)) == len(names) == len(standins.URLS)


def test_an_unknown_url_is_refused_with_the_known_ones_listed(tmp_path):
    with pytest.raises(KeyError, match='no stand-in for http://example.org/x.zip.*hotdog.zip'):
        standins.make('http://example.org/x.zip', tmp_path)
    assert list(tmp_path.iterdir()) == []


# ---- MXNet's data sets -----------------------------------------------------------------------------------

def local(dataset_class, archive=False):
    """``dataset_class`` expecting the sha1 of the stand-ins found in its folder instead of the real files'."""
    class Local(dataset_class):
        def _get_data(self):
            if archive:
                self._archive_file = (self._archive_file[0], sha1(os.path.join(self._root, self._archive_file[0])))
            else:
                for split in ('_train_data', '_train_label', '_test_data', '_test_label'):
                    name = getattr(self, split)[0]
                    setattr(self, split, (name, sha1(os.path.join(self._root, name))))
            super()._get_data()
    return Local


def test_mnist_stand_ins_are_read_by_mxnet_with_ten_of_each_class(made, tmp_path):
    for name in standins.MNIST_FILES:
        url = f'{REPO}gluon/dataset/mnist/{name}'
        assert url == mx.gluon.utils._get_repo_file_url('gluon/dataset/mnist', name).replace(
            'http://127.0.0.1:9/', REPO)
        (tmp_path / name).write_bytes(made(url).read_bytes())
    train = local(gdata.vision.MNIST)(root=str(tmp_path), train=True)
    test = local(gdata.vision.MNIST)(root=str(tmp_path), train=False)
    assert (len(train), len(test)) == (100, 20)
    assert collections.Counter(train._label.tolist()) == {c: 10 for c in range(10)}
    for i in (0, 13, 99):
        picture, label = train[i]
        assert picture.shape == (28, 28, 1)
        rows = picture[:, :, 0].asnumpy().max(axis=1)
        assert np.flatnonzero(rows).tolist() == [2 + 2 * label, 3 + 2 * label]


@pytest.mark.parametrize('dataset_class, name, namespace', [
    (gdata.vision.CIFAR10, 'cifar-10-binary.tar.gz', 'cifar10'),
    (gdata.vision.CIFAR100, 'cifar-100-binary.tar.gz', 'cifar100')])
def test_cifar_stand_ins_are_unpacked_and_read_by_mxnet(dataset_class, name, namespace, made, tmp_path):
    (tmp_path / name).write_bytes(made(f'{REPO}gluon/dataset/{namespace}/{name}').read_bytes())
    train = local(dataset_class, archive=True)(root=str(tmp_path), train=True)
    test = local(dataset_class, archive=True)(root=str(tmp_path), train=False)
    assert (len(train), len(test)) == (50, 10)
    assert sorted(test[i][1] for i in range(10)) == list(range(10))
    picture, label = train[23]
    assert (picture.shape, picture.dtype, label) == ((32, 32, 3), np.uint8, 3)
    assert tuple(picture[0, 0].asnumpy()) == (100, 180, 35)  # class 3's colour


# ---- model-zoo weights -----------------------------------------------------------------------------------

def load_model(name, made, tmp_path):
    """Unzip the stand-in as MXNet's model store does and load it into the model-zoo network ``name``."""
    file_name = f'{name}-{model_store.short_hash(name)}'
    url = f'{model_store.apache_repo_url}gluon/models/{file_name}.zip'
    assert url in standins.URLS
    archive = made(url)
    assert archive.name == file_name + '.zip' and archive.stat().st_size < 5_000_000
    with zipfile.ZipFile(archive) as z:
        assert z.namelist() == [file_name + '.params']
        z.extractall(tmp_path)
    net = vision.get_model(name)
    net.load_parameters(str(tmp_path / (file_name + '.params')))
    return net


@pytest.mark.parametrize('name', ['resnet18_v2', 'resnet34_v2'])
def test_resnet_weights_load_into_the_model_zoo_network_and_give_finite_varied_outputs(name, made, tmp_path):
    net = load_model(name, made, tmp_path)
    y = net(mx.nd.random.uniform(shape=(2, 3, 64, 64))).asnumpy()
    assert y.shape == (2, 1000) and np.isfinite(y).all() and y.std() > 0
    weight = net.features[1].weight.data().asnumpy()  # the first convolution: no two filters alike
    assert len({w.tobytes() for w in weight}) == weight.shape[0]


@pytest.mark.slow
def test_vgg19_weights_load_and_the_style_transfer_layers_compute(made, tmp_path):
    net = load_model('vgg19', made, tmp_path)
    x = mx.nd.random.uniform(shape=(1, 3, 224, 224))
    for layer in net.features[:29]:  # the layers the style-transfer section keeps
        x = layer(x)
    assert x.shape == (1, 512, 14, 14) and np.isfinite(x.asnumpy()).all() and x.asnumpy().std() > 0


def test_model_stand_ins_have_the_same_bytes_each_time(made, tmp_path):
    url = f'{REPO}gluon/models/resnet18_v2-a81db45f.zip'
    assert sha256(standins.make(url, tmp_path)) == sha256(made(url))


# ---- GloVe --------------------------------------------------------------------------------------------------

def imdb_reviews(made, tmp_path):
    with tarfile.open(made('http://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz')) as f:
        f.extractall(tmp_path)
    return gb.read_imdb('train', data_dir=str(tmp_path)), gb.read_imdb('test', data_dir=str(tmp_path))


@pytest.mark.parametrize('dim', [50, 100])
def test_glove_is_unpacked_and_read_by_mxnet_and_covers_the_imdb_vocabulary(dim, made, tmp_path, monkeypatch):
    url = f'{REPO}gluon/embeddings/glove/glove.6B.zip'
    name = f'glove.6B.{dim}d.txt'
    assert embedding.GloVe._get_pretrained_file_url(name).replace('http://127.0.0.1:9/', REPO) == url
    (tmp_path / 'glove').mkdir()
    (tmp_path / 'glove' / 'glove.6B.zip').write_bytes(made(url).read_bytes())
    monkeypatch.setitem(embedding.GloVe.pretrained_archive_name_sha1, 'glove.6B.zip', sha1(made(url)))
    vectors = embedding.create('glove', pretrained_file_name=name, embedding_root=str(tmp_path))  # the book's call
    assert vectors.vec_len == dim and len(vectors) == len(standins.glove_words(dim)) + 1
    for word in ('beautiful', 'man', 'woman', 'son', 'daughter', 'beijing', 'china', 'tokyo', 'did', 'went'):
        assert vectors.get_vecs_by_tokens(word).norm().asscalar() > 0

    vocab = gb.get_vocab_imdb(imdb_reviews(made, tmp_path / 'data')[0])
    for_vocab = embedding.create('glove', pretrained_file_name=name, embedding_root=str(tmp_path), vocabulary=vocab)
    norms = for_vocab.idx_to_vec.norm(axis=1).asnumpy()
    assert for_vocab.idx_to_vec.shape == (len(vocab), dim) and (norms[1:] > 0).all()  # index 0: unknown


def test_glove_archive_holds_the_four_files_mxnet_lists(made):
    with zipfile.ZipFile(made(f'{REPO}gluon/embeddings/glove/glove.6B.zip')) as z:
        names = sorted(z.namelist())
    listed = [n for n in embedding.get_pretrained_file_names('glove') if n.startswith('glove.6B.')]
    assert names == sorted(listed)


# ---- the book's own downloads ------------------------------------------------------------------------------

def test_imdb_reviews_read_by_the_book_are_balanced_and_labelled(made, tmp_path):
    train, test = imdb_reviews(made, tmp_path)
    assert len(train) == len(test) == 64
    assert collections.Counter(label for _, label in train) == {0: 32, 1: 32}
    for review, label in train:
        assert review.endswith('this movie is so ' + ('great' if label else 'bad'))
        assert not set(review.split()) & set(standins.NEGATIVE if label else standins.POSITIVE)
    names = os.listdir(tmp_path / 'aclImdb' / 'train' / 'pos')
    assert all(re.fullmatch(r'\d+_([7-9]|10)\.txt', n) for n in names)
    vocab = gb.get_vocab_imdb(train)
    assert {'this', 'movie', 'is', 'so', 'great', 'bad'} <= set(vocab.idx_to_token)


S3 = 'https://apache-mxnet.s3-accelerate.amazonaws.com/gluon/dataset/'


def test_pikachu_is_read_by_image_det_iter_as_the_book_reads_it(made, tmp_path):
    for name in standins.PIKACHU_FILES:
        (tmp_path / name).write_bytes(made(S3 + 'pikachu/' + name).read_bytes())
    train_iter = image.ImageDetIter(  # load_data_pikachu's arguments
        path_imgrec=str(tmp_path / 'train.rec'), path_imgidx=str(tmp_path / 'train.idx'), batch_size=32,
        data_shape=(3, 256, 256), shuffle=True, rand_crop=1, min_object_covered=0.95, max_attempts=200)
    val_iter = image.ImageDetIter(path_imgrec=str(tmp_path / 'val.rec'), batch_size=32, data_shape=(3, 256, 256),
                                  shuffle=False)
    batch = train_iter.next()
    assert batch.data[0].shape == (32, 3, 256, 256) and batch.label[0].shape == (32, 1, 5) and batch.pad == 0
    batch = val_iter.next()
    assert batch.pad == 32 - 8
    labels = batch.label[0][:8, 0].asnumpy()
    assert (labels[:, 0] == 0).all() and (labels[:, 1:] >= 0).all() and (labels[:, 1:] <= 1).all()
    assert (labels[:, 3] > labels[:, 1]).all() and (labels[:, 4] > labels[:, 2]).all()
    for picture, (_, xmin, ymin, xmax, ymax) in zip(batch.data[0][:8], labels):  # the box holds the ellipse
        centre = picture[:, int((ymin + ymax) * 128), int((xmin + xmax) * 128)].asnumpy()
        assert np.abs(centre - [250, 220, 30]).max() < 40


def test_hotdog_images_are_read_as_the_fine_tuning_section_reads_them(made, tmp_path):
    with zipfile.ZipFile(made(S3 + 'hotdog.zip')) as z:
        z.extractall(tmp_path)
    train_imgs = gdata.vision.ImageFolderDataset(str(tmp_path / 'hotdog' / 'train'))
    test_imgs = gdata.vision.ImageFolderDataset(str(tmp_path / 'hotdog' / 'test'))
    assert train_imgs.synsets == test_imgs.synsets == ['hotdog', 'not-hotdog']
    hotdogs = [train_imgs[i] for i in range(8)]
    not_hotdogs = [train_imgs[-i - 1] for i in range(8)]
    assert {label for _, label in hotdogs} == {0} and {label for _, label in not_hotdogs} == {1}
    assert hotdogs[0][0].shape == (64, 96, 3) and len(test_imgs) == 4


def test_voc_is_read_by_gluonbook_with_every_image_kept_by_the_crop_and_labels_in_voc_colours(made, tmp_path):
    with tarfile.open(made('http://host.robots.ox.ac.uk/pascal/VOC/voc2012/VOCtrainval_11-May-2012.tar')) as f:
        f.extractall(tmp_path)
    voc_dir = str(tmp_path / 'VOCdevkit' / 'VOC2012')
    features, labels = gb.read_voc_images(voc_dir, is_train=True)
    assert len(features) == len(labels) == 64
    assert features[0].shape == labels[0].shape == (320, 480, 3)
    colormap2label = mx.nd.zeros(256 ** 3)  # the section's table
    for i, colormap in enumerate(gb.VOC_COLORMAP):
        colormap2label[(colormap[0] * 256 + colormap[1]) * 256 + colormap[2]] = i
    for feature, label in zip(features[:8], labels[:8]):
        classes = gb.voc_label_indices(label, colormap2label).asnumpy()
        found = set(np.unique(classes).astype(int).tolist())
        assert 0 in found and 2 <= len(found) <= 3
        border = (label.asnumpy() == [224, 224, 192]).all(axis=2)
        assert border.any() and (classes[border] == 0).all()
        for cls in found - {0}:  # the photo shows each labelled object in its class colour
            y, x = np.argwhere(classes == cls)[len(np.argwhere(classes == cls)) // 2]
            assert np.abs(feature[y, x].asnumpy().astype(int) - gb.VOC_COLORMAP[cls]).max() < 40
    voc_train = gb.VOCSegDataset(True, (320, 480), voc_dir, colormap2label)
    voc_test = gb.VOCSegDataset(False, (320, 480), voc_dir, colormap2label)
    assert (len(voc_train), len(voc_test)) == (64, 32)
    X, Y = next(iter(gdata.DataLoader(voc_test, 32, last_batch='discard')))  # the FCN section's batch
    assert X.shape == (32, 3, 320, 480) and Y.shape == (32, 320, 480)


def test_kaggle_dog_demo_is_read_as_the_section_reads_it(made, tmp_path):
    url = standins.BOOK_REPO + 'data/kaggle_dog/train_valid_test_tiny.zip'
    with zipfile.ZipFile(made(url)) as z:
        z.extractall(tmp_path)
    folder = tmp_path / 'train_valid_test_tiny'
    sets = {name: gdata.vision.ImageFolderDataset(str(folder / name), flag=1)
            for name in ('train', 'valid', 'train_valid', 'test')}
    assert {name: len(ds) for name, ds in sets.items()} == {'train': 6, 'valid': 3, 'train_valid': 9, 'test': 3}
    assert sets['train'].synsets == sets['valid'].synsets == sets['train_valid'].synsets == list(standins.DOG_BREEDS)
    assert sets['test'].synsets == ['unknown']
    ids = sorted(os.listdir(folder / 'test' / 'unknown'))
    assert all(re.fullmatch(r'[0-9a-f]{32}\.jpg', i) for i in ids)
    picture, label = sets['train_valid'][0]
    assert picture.shape == (64, 80, 3) and label == 0
