"""The whole book: every section with code of both editions runs as a reader runs it, offline, from a folder laid
out like the book's repository, and either runs to its end with the book's numbers, or ends with one line of the
package's own saying what it needs: a named download and the command that fetches it, or a GPU. With local copies
of the downloads placed by ``gluonbook data --from DIR``, the download sections run offline.

The sections are read from the book's own repository at test time (``book_source.py``: ``GLUONBOOK_BOOK_EN`` and
``GLUONBOOK_BOOK_ZH`` name clones of d2l-ai/d2l-en and d2l-ai/d2l-zh; without them these tests are skipped and say
so). Each section runs in its own Python through ``book_runner.py`` (cell by cell, the caps on epochs and batches in
its tables), from ``ROOT/chapter_xxx/`` where ``ROOT/data`` and ``ROOT/img`` are the book's own folders, with an
empty MXNet cache and every HTTP(S) connection refused except to 127.0.0.1. The Chinese sections whose code is the
English one's, token for token once ``d2l`` reads ``gb``, run once, in English.
"""
import atexit
import hashlib
import os
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import book_source
import numpy as np
import pytest

TESTS = Path(__file__).parent
RUNNER = TESTS / 'book_runner.py'
OFFLINE = {'HTTP_PROXY': 'http://127.0.0.1:9', 'HTTPS_PROXY': 'http://127.0.0.1:9', 'ALL_PROXY': 'http://127.0.0.1:9',
           'NO_PROXY': '127.0.0.1,localhost'}  # a closed port: nothing leaves this machine, the local server works


def programs():
    """``en/chapter_xxx/section`` and ``zh/...`` for every section with code of the editions present here (the
    Chinese ones that are the English ones left out); a skipped placeholder for an edition that is not."""
    found = []
    for edition in book_source.EDITIONS.values():
        if edition.why_not():
            found.append(pytest.param(f'{edition.name}/absent', marks=pytest.mark.skip(reason=edition.why_not())))
            continue
        found += [f'{edition.name}/{s}' for s in edition.sections()
                  if edition is book_source.EN or not book_source.same_as_english(s)]
    return found


PROGRAMS = programs()
NAMES = [p for p in PROGRAMS if isinstance(p, str)]


def select(keep):
    """The programs whose section ``keep(section)`` accepts, with the placeholders of the editions not here."""
    return [p for p in PROGRAMS if not isinstance(p, str) or keep(section(p))]

# sections (chapter folder/section, either edition) whose code names a GPU itself (mx.gpu(...))
GPU = {'chapter_deep-learning-computation/use-gpu', 'chapter_computational-performance/auto-parallelism',
       'chapter_computational-performance/multiple-gpus', 'chapter_computational-performance/multiple-gpus-gluon'}
# sections that download a file the package does not ship (MXNet's data sets and model zoo, the book's own
# download functions, contrib.text's embeddings): offline with no copy they end with the package's one line
DOWNLOADS = {
    'chapter_crashcourse/naive-bayes', 'chapter_computer-vision/image-augmentation',
    'chapter_computer-vision/fine-tuning', 'chapter_computer-vision/object-detection-dataset',
    'chapter_computer-vision/ssd', 'chapter_computer-vision/semantic-segmentation-and-dataset',
    'chapter_computer-vision/fcn', 'chapter_computer-vision/neural-style', 'chapter_computer-vision/kaggle-gluon-dog',
    'chapter_natural-language-processing/similarity-analogy',
    'chapter_natural-language-processing/sentiment-analysis-rnn',
    'chapter_natural-language-processing/sentiment-analysis-cnn',
}
# sections reading the real Fashion-MNIST (skipped where it is absent, except under CI)
FASHION = {'chapter_deep-learning-basics/' + s for s in (
    'fashion-mnist', 'softmax-regression-scratch', 'softmax-regression-gluon', 'mlp-scratch', 'mlp-gluon',
    'dropout')} | {'chapter_convolutional-neural-networks/' + s for s in (
        'lenet', 'alexnet', 'vgg', 'nin', 'googlenet', 'batch-norm', 'resnet', 'densenet')}


def section(program):
    """``chapter_xxx/section`` of ``en/chapter_xxx/section``."""
    return program.split('/', 1)[1]


def laid_out(edition):
    """The edition's ``data/`` and ``img/`` as its repository has them, laid out once per test session. A file the
    clone lacks (a partial clone leaves out large files: the Kaggle dog demo archive) is a generated stand-in,
    where there is one."""
    import standins

    from gluonbook import datahub
    if edition.name not in _LAID_OUT:
        folder = Path(os.environ.get('PYTEST_BOOK_LAYOUT', '/tmp')) / f'gluonbook-book-{edition.name}-{os.getpid()}'
        shutil.rmtree(folder, ignore_errors=True)
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        for path in edition.lay_out(folder):
            known = [e for e in datahub.REGISTRY.values() if e.book_path == path and e.url in standins.URLS]
            if known:
                (folder / path).parent.mkdir(parents=True, exist_ok=True)
                shutil.move(standins.make(known[0].url, folder / 'standins'), folder / path)
        _LAID_OUT[edition.name] = folder
    return _LAID_OUT[edition.name]


def book_layout(edition, root):
    """The edition's ``data/`` and ``img/`` (:func:`laid_out`) linked into ``root``."""
    for name in ('data', 'img'):
        shutil.copytree(laid_out(edition) / name, Path(root) / name, copy_function=os.link)


_LAID_OUT = {}


def run(program, tmp_path, setup=None, timeout=900):
    """Run one section as a reader would, offline; returns the finished process (stdout, stderr, returncode)."""
    edition, name = book_source.EDITIONS[program.split('/')[0]], section(program)
    chapter = tmp_path / 'book' / name.split('/')[0]
    chapter.mkdir(parents=True)
    book_layout(edition, chapter.parent)
    source = chapter / f'{name.split("/")[1]}.py'
    source.write_text(edition.program(name), encoding='utf-8')
    env = {key: value for key, value in os.environ.items() if key not in ('GLUONBOOK_DATA',)}
    env.update(OFFLINE, MPLBACKEND='Agg', MXNET_HOME=str(tmp_path / 'mxnet'))
    command = [sys.executable, str(RUNNER), source.name] + (['--setup', str(setup)] if setup else [])
    return subprocess.run(command, cwd=chapter, env=env, capture_output=True, text=True, timeout=timeout)


def last_line(stderr):
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else ''


@pytest.mark.parametrize('edition', list(book_source.EDITIONS))
def test_every_section_with_code_of_both_editions_is_here(edition):
    edition = book_source.EDITIONS[edition]
    if edition.why_not():
        pytest.skip(edition.why_not())
    counts = {'en': 81, 'zh': 71}  # sections with code: d2l-en at cfaf60b0, d2l-zh at v1.0.0
    assert len(edition.sections()) == counts[edition.name]
    assert all(edition.cells(s) for s in edition.sections())
    if edition is book_source.ZH:  # 32 run once, in English
        assert sum(map(book_source.same_as_english, edition.sections())) == 32


def test_every_table_names_sections_of_the_book():
    import book_runner
    if not NAMES:
        pytest.skip(book_source.EN.why_not())
    sections = {section(p) for p in NAMES}
    for table in (GPU, DOWNLOADS, FASHION, set(CHECKS), set(book_runner.CAPS), book_runner.FEW):
        assert set(table) <= sections, set(table) - sections


# ---------------------------------------------------------------------------------- the book's numbers, where kept

LOSS = re.compile(r'^loss: ([\d.]+), [\d.]+ sec per epoch$', re.M)
PERPLEXITY = re.compile(r'^epoch (\d+), perplexity ([\d.]+), time [\d.]+ sec$', re.M)
EPOCH = re.compile(r'^epoch (\d+), loss ([\d.]+), train acc ([\d.]+), test acc ([\d.]+)', re.M)


def check_trace(out, lines, curves):
    """The optimization chapter: the two-variable traces are deterministic (the book's printed end points); each
    loss curve (train_ch7, train_gluon_ch7) ends near the book's 0.243."""
    for line in lines:
        assert line in out.splitlines()
    losses = [float(x) for x in LOSS.findall(out)]
    assert len(losses) == curves
    assert all(0.235 < loss < 0.26 for loss in losses), out  # the book: between 0.243 and 0.25 for every optimizer


def check_perplexity(out, epochs, below, runs, prefixes):
    """The RNN chapter: each training run prints at the capped epochs, its perplexity falls (from about the vocabulary
    size), and each prediction is the prefix and 50 characters."""
    found, current = [], []
    for epoch, perplexity in PERPLEXITY.findall(out):
        if current and int(epoch) <= current[-1][0]:
            found.append(current)
            current = []
        current.append((int(epoch), float(perplexity)))
    found.append(current)
    assert len(found) == runs
    for lines in found:
        assert [epoch for epoch, _ in lines] == epochs
        assert lines[-1][1] < lines[0][1] and lines[-1][1] < below, out
    predictions = [line[3:] for line in out.splitlines() if line.startswith(' - ')]
    assert predictions and all(any(p.startswith(prefix) and len(p) == len(prefix) + 50 for prefix in prefixes)
                               for p in predictions), predictions


def check_epochs(out, epochs, at_least):
    found = EPOCH.findall(out)
    assert [int(e[0]) for e in found] == list(range(1, epochs + 1)), out
    assert float(found[-1][3]) >= at_least, out
    assert float(found[-1][1]) < float(found[0][1]) or epochs == 1


def check_shapes(out, shapes):
    for shape in shapes:
        assert shape in out.splitlines(), shape


def check_anchor(out):
    assert out.startswith('561 728\n(1, 2042040, 4)\n')
    assert '[0.06 0.07 0.63 0.82]' in out
    assert '[[0. 1. 2. 0. 2.]]' in out  # the anchors' classes
    assert '[[0. 0. 0. 0. 1. 1. 1. 1. 1. 1. 1. 1. 0. 0. 0. 0. 1. 1. 1. 1.]]' in out  # the masks
    detections = out[out.rindex('[[['):]
    rows = [[float(x) for x in row.split()] for row in re.findall(r'\[\s*(-?[\d.]+(?:\s+-?[\d.]+){5})\]', detections)]
    np.testing.assert_allclose(rows[:4], [[0, 0.9, 0.1, 0.08, 0.52, 0.92], [1, 0.9, 0.55, 0.2, 0.9, 0.88],
                                          [-1, 0.8, 0.08, 0.2, 0.56, 0.95], [-1, 0.7, 0.15, 0.3, 0.62, 0.91]])


def check_house_price(out, edition, chapter):
    """Five folds of 100 epochs end near the book's 0.17 root-mean-square log error; the submission is written."""
    assert '(1460, 81)\n(1459, 80)' in out and ('(2919, 353)' if edition == 'en' else '(2919, 330)') in out
    folds = re.findall(r'^fold (\d), train rmse:? ([\d.]+), valid rmse:? ([\d.]+)$', out, re.M)
    assert [int(f[0]) for f in folds] == [0, 1, 2, 3, 4]
    average = re.search(r'5-fold validation: avg train rmse:? ([\d.]+), avg valid rmse:? ([\d.]+)', out)
    assert 0.1 < float(average.group(1)) < 0.2 and 0.1 < float(average.group(2)) < 0.22, out  # the book: 0.17, 0.17
    submission = (chapter / 'submission.csv').read_text().splitlines()
    assert submission[0] == 'Id,SalePrice' and len(submission) == 1460


def check_linear_regression(out, edition):
    """The learned parameters are the true ones, w = (2, -3.4) and b = 4.2, to within 0.05."""
    if edition == 'en':  # it prints the errors
        w, b = re.findall(r'Error in estimating (?:w|b) \n\[+([^\]]*)\]', out)
        w, b = [float(x) for x in w.split()], float(b)
    else:  # it shows the true values beside the learned ones
        w = [float(x) for x in re.findall(r'-?\d+\.\d+', re.search(r'\(\[2, -3\.4\], \n(.*?)<NDArray', out, re.S)[1])]
        w, b = np.subtract(w, [2, -3.4]), float(re.search(r'\(4\.2, \n\[([^\]]+)\]', out)[1]) - 4.2
    np.testing.assert_allclose(w, [0, 0], atol=0.05)
    assert abs(b) < 0.05


def check_weight_decay(out):
    norms = [float(x) for x in re.findall(r'L2 norm of w: ([\d.e+-]+)', out, re.I)]
    assert len(norms) == 4
    scratch, scratch_wd, gluon, gluon_wd = norms
    assert scratch > 5 and scratch_wd < scratch / 50 and gluon > 5 and gluon_wd < gluon / 50


def check_polynomial(out, edition):
    """The third-order fit recovers the coefficients (1.2, -3.4, 5.6 and the bias 5), the linear fit underfits."""
    if edition == 'en':  # the bias is the weight of the feature 1
        weights = [[float(x) for x in w.split()] for w in re.findall(r'weight: \[\[([^\]]+)\]\]', out)]
        losses = [tuple(map(float, m)) for m in re.findall(r'train loss ([\d.e-]+) test loss ([\d.e-]+)', out)]
    else:
        found = re.findall(r'weight: \[\[([^\]]+)\]\]\s*\nbias: \[([^\]]+)\]', out)
        weights = [[float(b)] + [float(x) for x in w.split()] for w, b in found]
        losses = [tuple(map(float, m)) for m in re.findall(r'train loss ([\d.e-]+) test loss ([\d.e-]+)', out)]
    assert len(weights) == 3 and len(losses) == 3, out
    np.testing.assert_allclose(weights[0], [5, 1.2, -3.4, 5.6], atol=0.25)
    assert losses[0][1] < 0.1 < losses[1][1]  # the linear fit underfits


def rnn(epochs, runs, below):
    """The check of an RNN section: English predicts the time machine (43 characters), Chinese Jay Chou's lyrics
    (1027 characters: a uniform guess has that perplexity)."""
    prefixes = {'en': ['traveller', 'time traveller'], 'zh': ['分开', '不分开']}
    return lambda out, edition, _: check_perplexity(out, epochs, below[edition], runs, prefixes[edition])


OPT = 'chapter_optimization/'
RNN = 'chapter_recurrent-neural-networks/'
CNN = 'chapter_convolutional-neural-networks/'
BASICS = 'chapter_deep-learning-basics/'
# section -> check(out, edition, its chapter folder); the values are the book's printed ones
CHECKS = {
    OPT + 'gd-sgd': lambda out, *_: check_trace(out, ['epoch 20, x1 -0.057646, x2 -0.000073'], 0),
    OPT + 'momentum': lambda out, *_: check_trace(out, [
        'epoch 20, x1 -0.943467, x2 -0.000073', 'epoch 20, x1 -0.387814, x2 -1673.365109',
        'epoch 20, x1 -0.062843, x2 0.001202', 'epoch 20, x1 0.007188, x2 0.002553'], 4),
    OPT + 'adagrad': lambda out, *_: check_trace(out, ['epoch 20, x1 -2.382563, x2 -0.158591',
                                                      'epoch 20, x1 -0.002295, x2 -0.000000'], 2),
    OPT + 'rmsprop': lambda out, *_: check_trace(out, ['epoch 20, x1 -0.010599, x2 0.000000'], 2),
    OPT + 'adadelta': lambda out, *_: check_trace(out, [], 2),
    OPT + 'adam': lambda out, *_: check_trace(out, [], 2),
    OPT + 'minibatch-sgd': lambda out, *_: check_trace(out, [], 4),
    RNN + 'rnn-scratch': rnn([10, 20], 2, below={'en': 15, 'zh': 260}),
    RNN + 'rnn-gluon': rnn([30, 60], 1, below={'en': 8, 'zh': 100}),
    RNN + 'gru': rnn([5, 10], 2, below={'en': 20, 'zh': 350}),
    RNN + 'lstm': rnn([5, 10], 2, below={'en': 20, 'zh': 350}),
    CNN + 'channels': lambda out, *_: check_shapes(out, ['[[ 56.  72.]', ' [104. 120.]]', '(3, 2, 2, 2)']),
    CNN + 'alexnet': lambda out, *_: check_shapes(out, [
        'conv0 output shape:\t (1, 96, 54, 54)', 'pool2 output shape:\t (1, 256, 5, 5)',
        'dense0 output shape:\t (1, 4096)', 'dense2 output shape:\t (1, 10)']),
    CNN + 'vgg': lambda out, *_: check_shapes(out, [
        'sequential1 output shape:\t (1, 64, 112, 112)', 'sequential5 output shape:\t (1, 512, 7, 7)',
        'dense2 output shape:\t (1, 10)']),
    CNN + 'resnet': lambda out, *_: check_shapes(out, [
        '(4, 3, 6, 6)', '(4, 6, 3, 3)', 'pool0 output shape:\t (1, 64, 56, 56)',
        'sequential4 output shape:\t (1, 512, 7, 7)', 'dense0 output shape:\t (1, 10)']),
    CNN + 'lenet': lambda out, *_: check_shapes(out, ['dense2 output shape:\t (1, 10)', 'cpu(0)']),
    'chapter_computer-vision/anchor': lambda out, *_: check_anchor(out),
    BASICS + 'softmax-regression-scratch': lambda out, *_: check_epochs(out, 2, 0.78),
    BASICS + 'softmax-regression-gluon': lambda out, *_: check_epochs(out, 2, 0.78),
    BASICS + 'mlp-scratch': lambda out, *_: check_epochs(out, 2, 0.8),
    BASICS + 'mlp-gluon': lambda out, *_: check_epochs(out, 2, 0.8),
    BASICS + 'linear-regression-scratch': lambda out, edition, _: check_linear_regression(out, edition),
    BASICS + 'linear-regression-gluon': lambda out, edition, _: check_linear_regression(out, edition),
    BASICS + 'weight-decay': lambda out, *_: check_weight_decay(out),
    BASICS + 'underfit-overfit': lambda out, edition, _: check_polynomial(out, edition),
    BASICS + 'kaggle-house-price': check_house_price,
}


# ------------------------------------------------------------------------------------------------- every section

# the deep-learning basics (chapter 3) are in test_book_compat.py, the compatibility suite
@pytest.mark.slow  # a section of the book, in its own Python
@pytest.mark.parametrize('program', select(lambda name: not name.startswith(BASICS)))
def test_the_section_runs_or_says_in_one_line_what_it_needs(program, tmp_path, request):
    name = section(program)
    if name in FASHION:
        request.getfixturevalue('real_data')
    done = run(program, tmp_path)
    line = last_line(done.stderr)
    if name in GPU:  # the package's one line for a GPU that is not there, naming the remedy
        assert done.returncode == 1, done.stdout[-3000:]
        assert line.startswith('gluonbook_compat.GPUMissingError: '), done.stderr[-3000:]
        assert 'MXNet sees 0 GPUs' in line and 'mx.cpu()' in line and 'mxnet-cu' in line, line
    elif name in DOWNLOADS:
        assert done.returncode == 1, done.stdout[-3000:]
        check_data_missing(line, name, done.stderr)
    else:
        assert done.returncode == 0, done.stderr[-3000:]
        if name in CHECKS:
            CHECKS[name](done.stdout, program.split('/')[0], tmp_path / 'book' / name.split('/')[0])


def check_data_missing(line, name, stderr):
    """The last line is the package's DataMissingError, one line naming a file the section needs, its URL, and the
    command that fetches it."""
    from gluonbook import datahub
    assert line.startswith('gluonbook.datahub.DataMissingError: '), stderr[-3000:]
    fetch = re.search(r'gluonbook data --fetch (\S+)', line)
    assert fetch, line
    entry = datahub.REGISTRY[fetch.group(1).rstrip('.,;)')]
    assert uses(entry, name) and entry.url in line, line


def uses(entry, name):
    """Whether a registry entry names this section (its ``sections`` may spell it with or without the chapter)."""
    stem = name.split('/')[-1]
    return any(s.rstrip('/').split('/')[-1].removesuffix('.md') in (stem, name) for s in entry.sections)


# ------------------------------------------------------------------------------- downloads, from local copies

def needed(program):
    """The registry's entries the program's section downloads (not the small files the package ships or the
    book's folder holds), and which of them have no stand-in."""
    import standins

    from gluonbook import datahub
    book = laid_out(book_source.EDITIONS[program.split('/')[0]])
    entries = [e for e in datahub.REGISTRY.values() if uses(e, section(program)) and not e.shipped
               and not (e.book_path and (book / e.book_path).exists())]
    return [e for e in entries if e.url in standins.URLS], [e.name for e in entries if e.url not in standins.URLS]


SETUP = '''\
import dataclasses

from mxnet.gluon.model_zoo import model_store

from gluonbook import cli, datahub

stand_in_sha1 = {{}}  # MXNet checks the weights it unpacks against its own sha1: the stand-in's answers for it
for name, digest, sha1, url in {copies!r}:
    real = datahub.REGISTRY[name]
    datahub.register(dataclasses.replace(real, known_hash='sha256:' + digest, payload='file', mirrors=(url,)))
    if name.startswith('model/'):
        stand_in_sha1[real.known_hash.partition(':')[2]] = sha1
check_sha1 = model_store.check_sha1
model_store.check_sha1 = lambda path, sha1_hash: check_sha1(path, stand_in_sha1.get(sha1_hash, sha1_hash))
code = cli.main(['data', '--from', {folder!r}])
assert not code, f'gluonbook data --from ended with {{code}}'
'''


def digests(entry, path):
    """The sha256 and sha1 a stand-in is registered with: of the file, or for the model zoo (served as a zip) of
    the weights inside it, which is what is verified."""
    data = path.read_bytes()
    if entry.served_as == 'zip':
        with zipfile.ZipFile(path) as z:
            data = z.read(entry.filename)
    return hashlib.sha256(data).hexdigest(), hashlib.sha1(data).hexdigest()


@pytest.mark.slow  # sections of the book, in their own Python
@pytest.mark.parametrize('program', select(lambda name: name in DOWNLOADS))
def test_the_download_sections_run_offline_with_copies_placed_by_gluonbook_data_from(program, tmp_path):
    """Small generated stand-ins of each file the section downloads, registered with their own hashes and a local
    mirror, placed with ``gluonbook data --from DIR``; the section then runs offline to its end."""
    import standins
    entries, missing = needed(program)
    assert entries and not missing, f'no stand-in for {missing}'
    folder = tmp_path / 'copies'
    folder.mkdir()
    server = ThreadingHTTPServer(('127.0.0.1', 0), partial(SimpleHTTPRequestHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        copies = []
        for entry in entries:
            path = standins.make(entry.url, folder)
            copies.append((entry.name, *digests(entry, path), f'http://127.0.0.1:{server.server_address[1]}/{path.name}'))
        setup = tmp_path / 'setup.py'
        setup.write_text(SETUP.format(copies=copies, folder=str(folder)))
        done = run(program, tmp_path, setup=setup)
    finally:
        server.shutdown()
    assert done.returncode == 0, done.stderr[-3000:]
