"""Small stand-ins for the large files the book downloads, for tests that run its download sections offline.

``make(url, folder)`` writes a file of a few kilobytes (a few MB for the VGG-19 weights) that MXNet or the book's
code reads like the real one: same file name, same format, same layout inside archives, consistent labels. The
bytes depend only on the URL, so a test can register the stand-in's hash (``sha256(path)``) in place of the real
one; compute it when the test runs (JPEG and PNG bytes may differ between Pillow versions). ``URLS`` lists every
URL (as MXNet 1.9.1 and the book's sections request it) that has a stand-in; no two have the same file name.

What is inside (all pictures are flat shapes, the text a few dozen words):

- MNIST (not Fashion-MNIST: gluonbook reads that itself and accepts only the real one): 100 training and
  20 test images (ten of each class), class ``c`` a bar at row ``2 + 2c``;
- CIFAR-10 and CIFAR-100: 50 training and 10 test images, one colour per class;
- model-zoo weights ``resnet18_v2``, ``resnet34_v2``, ``vgg19``: every parameter of the Gluon model of that name
  with its real shape, weights a fixed pseudo-random pattern scaled as He initialisation, the rest as Gluon
  initialises them (the pattern repeats, so the zip stays small);
- GloVe ``glove.6B.zip``: the four ``glove.6B.{50,100,200,300}d.txt`` over :data:`WORDS` (the words of the IMDB
  stand-in and of the similarity and analogy section), random vectors: the neighbours found are arbitrary;
- Pikachu: 32 training and 8 validation 256x256 JPEG images with one box each (class 0);
- VOC2012: 64 training and 32 validation 480x320 images (the smallest the segmentation sections' 320x480 crops
  and batch sizes allow) with palette PNG labels in the VOC colours;
- IMDB: 32 positive and 32 negative reviews in each of train and test;
- hotdog: 8 images of each class in train (the section shows 8), 2 in test;
- the Kaggle dog demo: 3 breeds, 2 training and 1 validation image each, 3 test images.
"""
import gzip
import hashlib
import io
import os
import pathlib
import shutil
import tarfile
import tempfile
import zipfile

import numpy as np
from PIL import Image, ImageDraw

from gluonbook.files import write_atomically

REPO = 'https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/'  # MXNet's default MXNET_GLUON_REPO
BOOK_S3 = 'https://apache-mxnet.s3-accelerate.amazonaws.com/'  # what the book's own sections ask for
BOOK_REPO = 'https://raw.githubusercontent.com/d2l-ai/d2l-en/cfaf60b0a7908798fbf7d510ae9dc1e09ed4eb1a/'

MODELS = {'resnet18_v2': 'a81db45f', 'resnet34_v2': '9d6b80bb', 'vgg19': 'ad2f660d'}  # name: sha1[:8]
MNIST_FILES = ('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz',
               't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz')
PIKACHU_FILES = ('train.rec', 'train.idx', 'val.rec')
GLOVE_DIMS = (50, 100, 200, 300)
DOG_BREEDS = ('affenpinscher', 'afghan_hound', 'african_hunting_dog')

POSITIVE = 'great good wonderful best love loved beautiful excellent fun enjoyed brilliant'.split()
NEGATIVE = 'bad worst boring awful terrible waste poor hated dull stupid horrible'.split()
NEUTRAL = ('this movie film is so the a and of to it was i story acting plot really very one'
           ' time watch characters just').split()
ANALOGY = ('chip baby man woman son daughter beijing china tokyo japan big biggest do did go went'
           ' king queen').split()
# The words of the GloVe stand-in, in a fixed order.
WORDS = tuple(dict.fromkeys(NEUTRAL + POSITIVE + NEGATIVE + ANALOGY))

# VOC2012's class colours (the first 21 entries of the palette of its label PNGs), then the border colour.
VOC_COLORMAP = [[0, 0, 0], [128, 0, 0], [0, 128, 0], [128, 128, 0], [0, 0, 128], [128, 0, 128], [0, 128, 128],
                [128, 128, 128], [64, 0, 0], [192, 0, 0], [64, 128, 0], [192, 128, 0], [64, 0, 128],
                [192, 0, 128], [64, 128, 128], [192, 128, 128], [0, 64, 0], [128, 64, 0], [0, 192, 0],
                [128, 192, 0], [0, 64, 128]]
VOC_BORDER = 255  # palette index of the border colour (224, 224, 192)
VOC_SPLITS = {'train': 64, 'val': 32}
VOC_SIZE = (480, 320)  # width, height


def _rng(name):
    """A random generator seeded by ``name`` (the same numbers on every machine)."""
    return np.random.RandomState(int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], 'little'))


# ---- containers with fixed bytes: no time stamps, owners or file names inside -------------------------------

def _gzip(data):
    buffer = io.BytesIO()
    with gzip.GzipFile(filename='', mode='wb', fileobj=buffer, mtime=0) as f:
        f.write(data)
    return buffer.getvalue()


def _zip(members):
    """A zip archive's bytes from ``(name, bytes)`` pairs (folders are implied by the names)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            z.writestr(info, data)
    return buffer.getvalue()


def _tar(members, compress=False):
    """A tar archive's bytes (gzip-compressed if ``compress``) from ``(name, bytes)`` pairs, with their folders."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w', format=tarfile.GNU_FORMAT) as tar:
        folders = sorted({str(p) for name, _ in members for p in pathlib.PurePosixPath(name).parents} - {'.'})
        for name in folders:
            info = tarfile.TarInfo(name)
            info.type, info.mode = tarfile.DIRTYPE, 0o755
            tar.addfile(info)
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), 0o644
            tar.addfile(info, io.BytesIO(data))
    return _gzip(buffer.getvalue()) if compress else buffer.getvalue()


def _encode(picture, fmt, **options):
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **options)
    return buffer.getvalue()


def _jpeg(picture):
    return _encode(picture, 'JPEG', quality=90)


# ---- data sets read by MXNet's gluon.data.vision -----------------------------------------------------------

def _idx(array):
    """An IDX file (MNIST's format): magic (unsigned byte, number of dimensions), big-endian sizes, the bytes."""
    header = (0x0800 + array.ndim).to_bytes(4, 'big') + b''.join(d.to_bytes(4, 'big') for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


def mnist_file(name):
    """One of MNIST's four gzipped IDX files: ten images of each class (100 for training, 20 for testing); class
    ``c`` is a bar at row ``2 + 2c``, shifted right by a few pixels from one image to the next."""
    labels = np.tile(np.arange(10), 10 if name.startswith('train') else 2)
    images = np.zeros((len(labels), 28, 28), np.uint8)
    for i, c in enumerate(labels):
        images[i, 2 + 2 * c:4 + 2 * c, 2 + i % 5:22 + i % 5] = 255
    return _gzip(_idx(images if 'images' in name else labels))


def _cifar_images(count, start):
    """``count`` 32x32 RGB images (channels first, as CIFAR stores them): image ``i`` is class ``i % 10``, a flat
    colour with a lighter square whose place moves with ``i``."""
    images = np.zeros((count, 3, 32, 32), np.uint8)
    for i in range(count):
        c = (start + i) % 10
        images[i] = np.array([40 + 20 * c, 240 - 20 * c, (97 * c) % 256], np.uint8)[:, None, None]
        k = (start + i) % 16
        images[i, :, k:k + 12, k:k + 12] = 255 - images[i, :, k:k + 12, k:k + 12]
    return images


def _cifar_batch(count, start, fine_and_coarse=False):
    labels = (np.arange(start, start + count) % 10).astype(np.uint8)
    pixels = _cifar_images(count, start).reshape(count, -1)
    columns = [labels[:, None], labels[:, None] * 5] if fine_and_coarse else [labels[:, None]]  # coarse, fine
    return np.concatenate(columns + [pixels], axis=1).tobytes()


def cifar10_archive():
    """``cifar-10-binary.tar.gz`` as MXNet's repository has it: the six ``.bin`` files at the top (10 images
    each), each record a label byte and 3072 pixel bytes."""
    members = [(f'data_batch_{b}.bin', _cifar_batch(10, 10 * (b - 1))) for b in range(1, 6)]
    return _tar(members + [('test_batch.bin', _cifar_batch(10, 0))], compress=True)


def cifar100_archive():
    """``cifar-100-binary.tar.gz``: ``train.bin`` (50 images) and ``test.bin`` (10), each record a coarse label,
    a fine label and 3072 pixel bytes."""
    return _tar([('train.bin', _cifar_batch(50, 0, True)), ('test.bin', _cifar_batch(10, 0, True))], compress=True)


# ---- model-zoo weights ------------------------------------------------------------------------------------

def model_params(name, path):
    """Write to ``path`` the parameter file of the model-zoo network ``name`` with fixed values (see the module
    documentation), its keys the parameter names without the network's prefix, as in the model zoo's files;
    ``net.load_parameters(path)`` accepts it."""
    import mxnet as mx
    from mxnet.gluon.model_zoo import vision
    net = vision.get_model(name)
    outputs = net(mx.sym.var('data'))
    arg_shapes, _, aux_shapes = outputs.infer_shape(data=(1, 3, 224, 224))
    shapes = dict(zip(outputs.list_arguments() + outputs.list_auxiliary_states(), arg_shapes + aux_shapes))
    pattern = _rng(name).standard_normal(4093).astype(np.float32)  # a prime length: no two rows alike
    arrays = {}
    for full_name in net.collect_params():
        shape, size = shapes[full_name], int(np.prod(shapes[full_name]))
        if full_name.endswith('weight'):
            values = np.tile(pattern, size // pattern.size + 1)[:size].reshape(shape)
            values *= np.float32(np.sqrt(2 * shape[0] / size))
        else:  # as Gluon initialises them: batch-norm scales and variances 1, shifts, means and biases 0
            values = np.full(shape, 1 if full_name.endswith(('gamma', 'running_var')) else 0, np.float32)
        arrays[full_name[len(net.prefix):]] = mx.nd.array(values)
    mx.nd.save(path, arrays)


def model_archive(name, path):
    """``{name}-{sha1[:8]}.zip`` holding ``{name}-{sha1[:8]}.params``, as MXNet's model store downloads it."""
    file_name = f'{name}-{MODELS[name]}'
    with tempfile.TemporaryDirectory() as tmp:
        params = os.path.join(tmp, file_name + '.params')
        model_params(name, params)
        with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
            info = zipfile.ZipInfo(file_name + '.params', date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            with open(params, 'rb') as src, z.open(info, 'w') as dst:
                shutil.copyfileobj(src, dst, 1 << 20)


# ---- word vectors --------------------------------------------------------------------------------------------

GLOVE_50D_WORDS = 3400  # the similarity-analogy section looks up the token at index 3367 of the 50-dimensional file


def glove_words(dim):
    """:data:`WORDS`, then for the 50-dimensional file made-up tokens up to :data:`GLOVE_50D_WORDS`."""
    return WORDS + tuple(f'token{i}' for i in range(GLOVE_50D_WORDS - len(WORDS) if dim == 50 else 0))


def glove_text(dim):
    """``glove.6B.{dim}d.txt``: one line per word of :func:`glove_words`, the word then ``dim`` numbers."""
    words = glove_words(dim)
    vectors = _rng(f'glove{dim}').standard_normal((len(words), dim)) * 0.4
    return ''.join(word + ' ' + ' '.join(f'{x:.4f}' for x in row) + '\n'
                   for word, row in zip(words, vectors)).encode()


def glove_archive():
    return _zip([(f'glove.6B.{dim}d.txt', glove_text(dim)) for dim in GLOVE_DIMS])


# ---- the book's own downloads ---------------------------------------------------------------------------------

def pikachu_picture(i):
    """(picture, box): a 256x256 scene with a yellow ellipse, and its box as fractions of the picture."""
    rng = _rng(f'pikachu{i}')
    picture = Image.new('RGB', (256, 256), tuple(int(v) for v in rng.randint(40, 200, 3)))
    w, h = rng.randint(40, 90, 2)
    x, y = rng.randint(0, 256 - w), rng.randint(0, 256 - h)
    ImageDraw.Draw(picture).ellipse([x, y, x + w - 1, y + h - 1], fill=(250, 220, 30))
    return picture, [x / 256, y / 256, (x + w) / 256, (y + h) / 256]


def pikachu_files(folder):
    """Write ``train.rec``, ``train.idx``, ``val.rec`` (and ``val.idx``) into ``folder``: RecordIO records of
    JPEG images with the label ``[2, 5, class, xmin, ymin, xmax, ymax]`` that ``image.ImageDetIter`` reads."""
    from mxnet import recordio
    for split, count in (('train', 32), ('val', 8)):
        records = recordio.MXIndexedRecordIO(os.path.join(folder, f'{split}.idx'),
                                             os.path.join(folder, f'{split}.rec'), 'w')
        for i in range(count):
            picture, box = pikachu_picture(f'{split}{i}')
            label = np.array([2, 5, 0] + box, np.float32)
            records.write_idx(i, recordio.pack(recordio.IRHeader(0, label, i, 0), _jpeg(picture)))
        records.close()


def voc_picture(name):
    """(photo, label): a 480x320 scene of two rectangles of two VOC classes on the background, as a JPEG image
    and as a palette PNG whose pixels are the class numbers (border pixels 255, as in VOC)."""
    rng = _rng(name)
    label = Image.new('P', VOC_SIZE, 0)
    palette = sum(VOC_COLORMAP, []) + [0, 0, 0] * (255 - len(VOC_COLORMAP)) + [224, 224, 192]
    label.putpalette(palette)
    photo = Image.new('RGB', VOC_SIZE, tuple(int(v) for v in rng.randint(0, 255, 3)))
    for cls in rng.choice(np.arange(1, 21), 2, replace=False):
        x, y = rng.randint(0, 320), rng.randint(0, 200)
        box = [x, y, x + rng.randint(60, 160), y + rng.randint(60, 120)]
        ImageDraw.Draw(label).rectangle(box, fill=VOC_BORDER)
        ImageDraw.Draw(label).rectangle([box[0] + 2, box[1] + 2, box[2] - 2, box[3] - 2], fill=int(cls))
        ImageDraw.Draw(photo).rectangle(box, fill=tuple(VOC_COLORMAP[cls]))
    return _jpeg(photo), _encode(label, 'PNG')


def voc_archive():
    """``VOCtrainval_11-May-2012.tar`` with ``VOCdevkit/VOC2012/{JPEGImages,SegmentationClass,ImageSets/
    Segmentation/{train,val}.txt}``."""
    root, members = 'VOCdevkit/VOC2012/', []
    for split, count in VOC_SPLITS.items():
        names = [f'2012_{split}{i:03d}' for i in range(count)]
        for name in names:
            photo, label = voc_picture(name)
            members += [(f'{root}JPEGImages/{name}.jpg', photo), (f'{root}SegmentationClass/{name}.png', label)]
        members.append((f'{root}ImageSets/Segmentation/{split}.txt', ''.join(n + '\n' for n in names).encode()))
    return _tar(members)


def imdb_review(i, positive, split):
    """A review of 35 to 65 words, lower case, no punctuation: a third are sentiment words of its label, the
    rest neutral; it ends with 'this movie is so great' (or 'bad')."""
    rng = _rng(f'imdb{split}{i}{positive}')
    words = rng.choice(NEUTRAL, rng.randint(20, 40)).tolist() + rng.choice(
        POSITIVE if positive else NEGATIVE, rng.randint(10, 20)).tolist()
    rng.shuffle(words)
    return (' '.join(words) + ' this movie is so ' + ('great' if positive else 'bad')).encode()


def imdb_archive():
    """``aclImdb_v1.tar.gz`` with ``aclImdb/{train,test}/{pos,neg}/{id}_{rating}.txt`` (ratings 7-10 and 1-4)."""
    members = []
    for split in ('train', 'test'):
        for label, positive in (('pos', True), ('neg', False)):
            for i in range(32):
                rating = 7 + i % 4 if positive else 1 + i % 4
                members.append((f'aclImdb/{split}/{label}/{i}_{rating}.txt', imdb_review(i, positive, split)))
    return _tar(members, compress=True)


def _png_picture(name, size, shape_color):
    rng = _rng(name)
    picture = Image.new('RGB', size, tuple(int(v) for v in rng.randint(0, 255, 3)))
    w, h = size
    x, y = rng.randint(0, w // 2), rng.randint(0, h // 2)
    ImageDraw.Draw(picture).ellipse([x, y, x + w // 2, y + h // 3], fill=shape_color)
    return picture


def hotdog_archive():
    """``hotdog.zip`` with ``hotdog/{train,test}/{hotdog,not-hotdog}/{i}.png`` (8 of each class in train, 2 in
    test; 96x64 pictures, hot dogs a brown sausage)."""
    members = []
    for split, count in (('train', 8), ('test', 2)):
        for cls, color in (('hotdog', (150, 70, 30)), ('not-hotdog', (60, 160, 60))):
            for i in range(count):
                picture = _png_picture(f'hotdog{split}{cls}{i}', (96, 64), color)
                members.append((f'hotdog/{split}/{cls}/{i}.png', _encode(picture, 'PNG')))
    return _zip(members)


def dog_archive():
    """``train_valid_test_tiny.zip`` (the Kaggle dog-breed demo) with ``train_valid_test_tiny/{train,valid,
    train_valid}/{breed}/{id}.jpg`` and ``train_valid_test_tiny/test/unknown/{id}.jpg``."""
    def picture(key):
        return hashlib.md5(key.encode()).hexdigest() + '.jpg', _jpeg(_png_picture(key, (80, 64), (120, 90, 60)))

    root, members = 'train_valid_test_tiny/', []
    for breed in DOG_BREEDS:
        train = [picture(f'dog{breed}{i}') for i in range(2)]
        valid = [picture(f'dog{breed}2')]
        for split, pictures in (('train', train), ('valid', valid), ('train_valid', train + valid)):
            members += [(f'{root}{split}/{breed}/{name}', data) for name, data in pictures]
    members += [(f'{root}test/unknown/{name}', data) for name, data in (picture(f'dogtest{i}') for i in range(3))]
    return _zip(members)


# ---- URL -> (file name, writer) --------------------------------------------------------------------------------

def _bytes_writer(produce):
    def write(path):
        pathlib.Path(path).write_bytes(produce())
    return write


def _pikachu_writer(name):
    def write(path):
        with tempfile.TemporaryDirectory() as tmp:
            pikachu_files(tmp)
            shutil.copyfile(os.path.join(tmp, name), path)
    return write


def _makers():
    makers = {}
    for name in MNIST_FILES:
        makers[f'{REPO}gluon/dataset/mnist/{name}'] = (name, _bytes_writer(lambda n=name: mnist_file(n)))
    makers[f'{REPO}gluon/dataset/cifar10/cifar-10-binary.tar.gz'] = ('cifar-10-binary.tar.gz',
                                                                      _bytes_writer(cifar10_archive))
    makers[f'{REPO}gluon/dataset/cifar100/cifar-100-binary.tar.gz'] = ('cifar-100-binary.tar.gz',
                                                                        _bytes_writer(cifar100_archive))
    for name, short in MODELS.items():
        makers[f'{REPO}gluon/models/{name}-{short}.zip'] = (
            f'{name}-{short}.zip', lambda path, n=name: model_archive(n, path))
    makers[f'{REPO}gluon/embeddings/glove/glove.6B.zip'] = ('glove.6B.zip', _bytes_writer(glove_archive))
    for name in PIKACHU_FILES:
        makers[f'{BOOK_S3}gluon/dataset/pikachu/{name}'] = (name, _pikachu_writer(name))
    makers[f'{BOOK_S3}gluon/dataset/hotdog.zip'] = ('hotdog.zip', _bytes_writer(hotdog_archive))
    makers['http://host.robots.ox.ac.uk/pascal/VOC/voc2012/VOCtrainval_11-May-2012.tar'] = (
        'VOCtrainval_11-May-2012.tar', _bytes_writer(voc_archive))
    makers['http://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz'] = ('aclImdb_v1.tar.gz',
                                                                              _bytes_writer(imdb_archive))
    makers[f'{BOOK_REPO}data/kaggle_dog/train_valid_test_tiny.zip'] = ('train_valid_test_tiny.zip',
                                                                       _bytes_writer(dog_archive))
    return makers


_MAKERS = _makers()
URLS = tuple(_MAKERS)


def filename(url):
    """The file name MXNet or the book's code saves ``url`` as."""
    return _MAKERS[url][0]


def make(url, folder):
    """Write the stand-in for ``url`` into ``folder`` (created if needed) under the file name MXNet or the book
    saves it as, and return its path. The same URL always gives the same bytes.

    Raises KeyError (naming the URLs it knows) for a URL without a stand-in."""
    if url not in _MAKERS:
        raise KeyError(f'no stand-in for {url}; known: {", ".join(URLS)}')
    name, write = _MAKERS[url]
    os.makedirs(folder, exist_ok=True)
    return pathlib.Path(write_atomically(os.path.join(folder, name), write))
