"""gluonbook/datahub.py: the registry, the locate order, and MXNet's own downloads routed through it.

The routing is installed here as the start-up hook installs it (``mxnet.gluon.utils.download`` and the module
names bound to it replaced for the test), then MXNet's real ``FashionMNIST``, ``MNIST``, ``CIFAR10``, model zoo and
``contrib.text`` run against small generated stand-ins: served by a local HTTP server on 127.0.0.1 for the online
path, from a local folder with no server for the offline one."""
import functools
import gzip
import hashlib
import io
import zipfile

import mxnet as mx
import numpy as np
import pytest
from helpers import idx_bytes, stand_in, tar_gz
from mxnet import gluon, nd
from mxnet.contrib import text
from mxnet.gluon import model_zoo
from mxnet.gluon import utils as gutils
from mxnet.gluon.data.vision import datasets
from mxnet.gluon.model_zoo import model_store

from gluonbook import datahub

DEAD = 'http://127.0.0.1:9/'  # nothing listens there: the offline path


@pytest.fixture
def routed(monkeypatch):
    """MXNet's download routed through the registry, as the start-up hook does it; MXNet's original returned."""
    original = gutils.download
    route = functools.partial(datahub.mxnet_download, original)
    for module in (gutils, datasets, model_store):
        monkeypatch.setattr(module, 'download', route)
    return original


def zipped(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as z:
        for name, body in files.items():
            z.writestr(name, body)
    return buffer.getvalue()


def sha1(body):
    return hashlib.sha1(body).hexdigest()


# ------------------------------------------------------------------------------------------------- the registry

def test_every_entry_is_complete_and_matched_by_the_url_its_caller_asks_for():
    for name, f in datahub.REGISTRY.items():
        assert f.name == name and f.filename and f.url and f.mirrors and f.sections and f.cache_path
        assert f.known_hash.split(':')[0] in ('sha1', 'sha256')
        assert datahub.match(f.url, f.mxnet_sha1) == f
    book = 'https://apache-mxnet.s3-accelerate.amazonaws.com/gluon/dataset/pikachu/train.rec'
    assert datahub.match(book, 'e6bcb6ffba1ac04ff8a9b1115e650af56ee969c8').name == 'pikachu/train.rec'
    assert datahub.match(book, '0' * 40) is None  # another sha1: another file
    assert datahub.match('http://mirror.example/gluon/models/resnet18_v2-a81db45f.zip').name == 'model/resnet18_v2'
    assert datahub.match('http://example.com/unknown.zip') is None


def test_the_models_and_embeddings_are_those_mxnet_knows():
    for name in ('resnet18_v2', 'resnet34_v2', 'vgg19'):
        entry = datahub.REGISTRY[f'model/{name}']
        assert entry.known_hash == 'sha1:' + model_store._model_sha1[name]
        assert entry.filename == model_store.get_model_file.__globals__['short_hash'](name).join(
            [f'{name}-', '.params'])
    glove = datahub.REGISTRY['glove/glove.6B.zip']
    assert glove.url == text.embedding.GloVe._get_pretrained_file_url('glove.6B.50d.txt')
    assert glove.known_hash == 'sha1:' + text.embedding.GloVe.pretrained_archive_name_sha1['glove.6B.zip']


def test_a_name_not_in_the_registry_is_a_key_error_naming_close_ones():
    with pytest.raises(KeyError, match='pikachu/train.rec'):
        datahub.entry('train.rec')


def test_mxnets_cache_is_read_at_call_time(tmp_path, monkeypatch):
    monkeypatch.setenv('MXNET_HOME', str(tmp_path))
    assert datahub.mxnet_home() == str(tmp_path)
    where = dict(datahub.sources(datahub.REGISTRY['model/vgg19']))
    assert where['MXNet cache'] == str(tmp_path / 'models' / datahub.REGISTRY['model/vgg19'].filename)


def test_the_offline_error_is_one_line_with_everything_needed(book_cache):
    entry = datahub.REGISTRY['fashion-mnist/train-images']
    message = str(datahub.missing(entry))
    assert '\n' not in message
    for fact in (entry.filename, '26.4 MB', 'fashion-mnist', entry.url, entry.known_hash,
                 str(book_cache / 'fashion-mnist' / entry.filename),
                 'gluonbook data --fetch fashion-mnist/train-images', 'apt-get install dataset-fashion-mnist'):
        assert fact in message


# ------------------------------------------------------------------------------------------- mxnet_download

def test_a_registered_file_is_downloaded_verified_with_progress(routed, server, book_cache, tmp_path, capfd,
                                                                 monkeypatch):
    entry = stand_in(monkeypatch, 'hotdog.zip', b'hotdogs', [server.url])
    server.routes['/hotdog.zip'] = [('body', b'hotdogs')]
    target = tmp_path / 'data'
    target.mkdir()
    got = datahub.mxnet_download(routed, entry.url, path=str(target), sha1_hash=entry.mxnet_sha1)
    assert got == str(target / 'hotdog.zip') and open(got, 'rb').read() == b'hotdogs'
    assert '100%' in capfd.readouterr().err
    assert open(book_cache / 'hotdog' / 'hotdog.zip', 'rb').read() == b'hotdogs'  # kept for next time
    again = tmp_path / 'elsewhere'
    again.mkdir()
    assert datahub.mxnet_download(routed, entry.url, path=str(again)) == str(again / 'hotdog.zip')
    assert server.hits['/hotdog.zip'] == 1  # the second caller got the local copy


def test_offline_with_no_copy_is_the_packages_one_line_error(routed, book_cache, monkeypatch, tmp_path):
    entry = stand_in(monkeypatch, 'pikachu/train.rec', b'rec', [DEAD])
    with pytest.raises(datahub.DataMissingError) as e:
        datahub.mxnet_download(routed, entry.url, str(tmp_path / 'train.rec'), sha1_hash=entry.mxnet_sha1)
    message = str(e.value)
    assert '\n' not in message and 'gluonbook data --fetch pikachu/train.rec' in message
    assert entry.url in message and entry.known_hash in message and 'object-detection-dataset' in message
    assert not (tmp_path / 'train.rec').exists()


def test_a_local_copy_is_put_where_the_caller_expects_it_and_a_bad_one_replaced(routed, book_cache, tmp_path,
                                                                                monkeypatch):
    entry = stand_in(monkeypatch, 'voc/VOCtrainval_11-May-2012.tar', b'voc', [DEAD])
    share = tmp_path / 'share'
    (share / 'voc').mkdir(parents=True)
    (share / 'voc' / entry.filename).write_bytes(b'voc')
    monkeypatch.setenv('GLUONBOOK_DATA', str(share))
    data_dir = tmp_path / 'data'
    data_dir.mkdir()
    (data_dir / entry.filename).write_bytes(b'half a download')
    got = datahub.mxnet_download(routed, entry.url, str(data_dir), sha1_hash=entry.mxnet_sha1)
    assert got == str(data_dir / entry.filename) and open(got, 'rb').read() == b'voc'


def test_an_unknown_url_goes_to_mxnet_unchanged(routed, server, tmp_path):
    server.routes['/other.bin'] = [('body', b'other')]
    got = datahub.mxnet_download(routed, server.url + 'other.bin', path=str(tmp_path))
    assert got == str(tmp_path / 'other.bin') and open(got, 'rb').read() == b'other'
    assert server.hits['/other.bin'] == 1


# --------------------------------------------------------------------------- MXNet's own classes, routed

def write_idx(folder, stand_ins, arrays):
    for (name, _), array in zip(stand_ins, arrays):
        path = folder / datahub.REGISTRY[name].folder_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(idx_bytes(array), mtime=0))


def idx_stand_ins(monkeypatch, dataset, mirrors, payload, seed=0):
    """Stand-ins for a dataset's four IDX files: 12 training and 4 test images."""
    rng = np.random.default_rng(seed)
    arrays = [rng.integers(0, 256, (12, 28, 28), dtype=np.uint8), np.arange(12, dtype=np.uint8) % 10,
              rng.integers(0, 256, (4, 28, 28), dtype=np.uint8), np.arange(4, dtype=np.uint8)]
    names = [f'{dataset}/{stem}' for stem in ('train-images', 'train-labels', 't10k-images', 't10k-labels')]
    bodies = [gzip.compress(idx_bytes(a), mtime=0) for a in arrays]
    entries = []
    for name, body, array in zip(names, bodies, arrays):
        known = ('sha256:' + hashlib.sha256(idx_bytes(array)).hexdigest()) if payload == 'gunzip' else None
        changes = {'payload': payload, 'debian_path': None} | ({'known_hash': known} if known else {})
        entries.append((name, stand_in(monkeypatch, name, body, mirrors, **changes)))
    return entries, arrays, bodies


def test_mxnets_fashion_mnist_offline_from_a_recompressed_copy(routed, book_cache, tmp_path, monkeypatch):
    entries, arrays, _ = idx_stand_ins(monkeypatch, 'fashion-mnist', [DEAD], 'gunzip')
    share = tmp_path / 'share'
    for (name, _), array in zip(entries, arrays):  # compressed otherwise than the served copy: as Debian does
        path = share / datahub.REGISTRY[name].folder_path
        path.parent.mkdir(parents=True, exist_ok=True)
        with gzip.GzipFile(path, 'wb', compresslevel=1, mtime=12345) as f:
            f.write(idx_bytes(array))
    monkeypatch.setenv('GLUONBOOK_DATA', str(share))
    train = gluon.data.vision.FashionMNIST(root=str(tmp_path / 'mxnet-root'), train=True)
    assert len(train) == 12
    np.testing.assert_array_equal(train[3][0].asnumpy()[:, :, 0], arrays[0][3])
    assert train[3][1] == 3
    assert len(gluon.data.vision.FashionMNIST(root=str(tmp_path / 'mxnet-root'), train=False)) == 4


def test_mxnets_mnist_online_from_the_local_server(routed, server, book_cache, tmp_path, monkeypatch):
    entries, arrays, bodies = idx_stand_ins(monkeypatch, 'mnist', [server.url], 'file')
    for (name, _), body in zip(entries, bodies):
        server.routes['/' + name] = [('body', body)]
    test = gluon.data.vision.MNIST(root=str(tmp_path / 'mnist'), train=False)
    assert len(test) == 4 and test[2][1] == 2
    np.testing.assert_array_equal(test[1][0].asnumpy()[:, :, 0], arrays[2][1])


def test_mxnets_mnist_offline_with_no_copy_is_one_line(routed, book_cache, tmp_path, monkeypatch):
    idx_stand_ins(monkeypatch, 'mnist', [DEAD], 'file')
    with pytest.raises(datahub.DataMissingError, match='gluonbook data --fetch mnist/'):
        gluon.data.vision.MNIST(root=str(tmp_path / 'mnist'), train=True)


def test_mxnets_cifar10_from_the_local_server(routed, server, book_cache, tmp_path, monkeypatch):
    rng = np.random.default_rng(0)
    batches = {}
    for name in [f'data_batch_{i}.bin' for i in range(1, 6)] + ['test_batch.bin']:
        records = rng.integers(0, 256, (3, 3073), dtype=np.uint8)
        records[:, 0] = np.arange(3)
        batches[name] = records.tobytes()
    body = tar_gz(batches)
    entry = stand_in(monkeypatch, 'cifar10/cifar-10-binary.tar.gz', body, [server.url])
    server.routes['/' + entry.name] = [('body', body)]
    test = gluon.data.vision.CIFAR10(root=str(tmp_path / 'cifar10'), train=False)
    assert len(test) == 3 and test[0][0].shape == (32, 32, 3) and test[2][1] == 2
    assert len(gluon.data.vision.CIFAR10(root=str(tmp_path / 'cifar10'), train=True)) == 15


@pytest.fixture
def resnet_params(tmp_path, monkeypatch):
    """A freshly initialised resnet18_v2 saved as MXNet's model zoo file; MXNet told its sha1."""
    net = model_zoo.vision.resnet18_v2()
    net.initialize(mx.init.Xavier())
    net(nd.zeros((1, 3, 32, 32)))
    saved = tmp_path / 'saved.params'
    net.save_parameters(str(saved))
    body = saved.read_bytes()
    monkeypatch.setitem(model_store._model_sha1, 'resnet18_v2', sha1(body))
    filename = f'resnet18_v2-{sha1(body)[:8]}'
    return net, body, filename


def conv_weight(net):
    """The first convolution's weights, drawn at random by Xavier: equal only if loaded from the saved file."""
    return next(p for name, p in net.collect_params().items() if 'conv' in name and 'weight' in name).data().asnumpy()


def test_the_model_zoo_online_from_the_local_server(routed, server, book_cache, resnet_params, monkeypatch):
    net, body, filename = resnet_params
    entry = stand_in(monkeypatch, 'model/resnet18_v2', body, [server.url], filename=filename + '.params',
                     url=f'{datahub.MXNET_REPO}gluon/models/{filename}.zip', known_hash='sha1:' + sha1(body))
    server.routes['/' + entry.name] = [('body', zipped({entry.filename: body}))]  # the zip MXNet's zoo serves
    pretrained = model_zoo.vision.get_model('resnet18_v2', pretrained=True, root=str(book_cache.parent / 'models'))
    np.testing.assert_array_equal(conv_weight(pretrained), conv_weight(net))


def test_the_model_zoo_offline_from_a_classroom_share(routed, book_cache, resnet_params, tmp_path, monkeypatch):
    net, body, filename = resnet_params
    stand_in(monkeypatch, 'model/resnet18_v2', body, [DEAD], filename=filename + '.params',
             url=f'{datahub.MXNET_REPO}gluon/models/{filename}.zip', known_hash='sha1:' + sha1(body))
    (tmp_path / 'share' / 'model').mkdir(parents=True)
    (tmp_path / 'share' / 'model' / (filename + '.params')).write_bytes(body)
    monkeypatch.setenv('GLUONBOOK_DATA', str(tmp_path / 'share'))
    pretrained = model_zoo.vision.resnet18_v2(pretrained=True, root=str(tmp_path / 'models'))
    np.testing.assert_array_equal(conv_weight(pretrained), conv_weight(net))
    monkeypatch.delenv('GLUONBOOK_DATA')
    with pytest.raises(datahub.DataMissingError, match='model/resnet18_v2'):
        model_zoo.vision.resnet18_v2(pretrained=True, root=str(tmp_path / 'other'))


def test_glove_through_contrib_text_from_the_local_server(routed, server, book_cache, tmp_path, monkeypatch):
    vectors = b'the 0.1 0.2 0.3\nbook 1.0 2.0 3.0\n'
    body = zipped({'glove.6B.50d.txt': vectors, 'glove.6B.100d.txt': vectors})
    entry = stand_in(monkeypatch, 'glove/glove.6B.zip', body, [server.url])
    server.routes['/' + entry.name] = [('body', body)]
    glove = text.embedding.create('glove', pretrained_file_name='glove.6B.50d.txt',
                                  embedding_root=str(tmp_path / 'embeddings'))
    np.testing.assert_allclose(glove.get_vecs_by_tokens('book').asnumpy(), [1, 2, 3])


def test_a_flat_file_of_another_data_set_is_not_called_a_bad_copy(book_cache, tmp_path, monkeypatch, recwarn):
    """MNIST's and Fashion-MNIST's files share their names: in a flat folder, each is the other's stranger."""
    idx_stand_ins(monkeypatch, 'fashion-mnist', [DEAD], 'gunzip')
    _, _, mnist_bodies = idx_stand_ins(monkeypatch, 'mnist', [DEAD], 'file', seed=1)
    flat = tmp_path / 'flat'
    flat.mkdir()
    (flat / 'train-images-idx3-ubyte.gz').write_bytes(mnist_bodies[0])
    monkeypatch.setenv('GLUONBOOK_DATA', str(flat))
    assert datahub.find('mnist/train-images').where == 'GLUONBOOK_DATA'
    assert datahub.find('fashion-mnist/train-images') is None and [str(w.message) for w in recwarn] == []
    (flat / 'train-images-idx3-ubyte.gz').write_bytes(b'neither')
    with pytest.warns(datahub.DataWarning, match='train-images-idx3-ubyte.gz: not a readable gzip'):
        datahub.find('fashion-mnist/train-images')


def test_a_file_known_by_its_git_blob_id_is_verified_as_git_computes_it(book_cache, tmp_path, monkeypatch):
    body = b'a tiny archive of dog photographs'
    entry = stand_in(monkeypatch, 'kaggle_dog/train_valid_test_tiny.zip', body, [DEAD], payload='gitblob',
                     known_hash='sha1:' + hashlib.sha1(b'blob %d\0' % len(body) + body).hexdigest())
    book = tmp_path / 'book'
    (book / 'data' / 'kaggle_dog').mkdir(parents=True)
    (book / 'chapter_computer-vision').mkdir()
    copy = book / 'data' / 'kaggle_dog' / entry.filename
    copy.write_bytes(body)
    monkeypatch.chdir(book / 'chapter_computer-vision')
    assert datahub.locate(entry.name, download=False).where == "the book's ../data"
    copy.write_bytes(body + b'!')
    with pytest.warns(datahub.DataWarning, match='sha1 of the git blob'), pytest.raises(datahub.DataMissingError):
        datahub.locate(entry.name, download=False)


def test_a_url_elsewhere_with_a_known_file_name_is_not_taken_without_its_sha1():
    assert datahub.match('https://example.com/some/data/timemachine.txt') is None
    assert datahub.match('https://example.com/data/timemachine.txt', datahub.REGISTRY['timemachine.txt']
                         .known_hash) is None  # a sha256 is not the sha1 a caller passes
    assert datahub.match('https://example.com/pikachu/train.rec',
                         'e6bcb6ffba1ac04ff8a9b1115e650af56ee969c8').name == 'pikachu/train.rec'
