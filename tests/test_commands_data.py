"""python -m gluonbook data: the table of the whole registry, --fetch (from a local HTTP server, or failing
offline), --from and --to (the offline classroom in two commands), and each bad input as one line."""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

import pytest
from helpers import stand_in

from gluonbook import cli, datahub

DEAD = 'http://127.0.0.1:9/'
PIKACHU = {'pikachu/train.rec': b'train records', 'pikachu/train.idx': b'0\t0\n', 'pikachu/val.rec': b'val'}


@pytest.mark.realdata
def test_the_table_lists_every_file_of_the_registry_with_its_status(real_data):
    run = subprocess.run([sys.executable, '-m', 'gluonbook', 'data'], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].split()[:4] == ['name', 'size', 'status', 'used']
    rows = {line.split()[0]: line for line in lines[1:]}
    assert list(rows) == list(datahub.REGISTRY)
    assert all(' verified ' in rows[f'fashion-mnist/{stem}'] for stem in ('train-images', 't10k-labels'))
    assert ' verified ' in rows['timemachine.txt'] and '179.0 kB' in rows['timemachine.txt']
    assert '52.6 kB' in rows['jaychou_lyrics.txt.zip'] and 'rnn-scratch' in rows['jaychou_lyrics.txt.zip']
    assert '170.1 MB' in rows['cifar10/cifar-10-binary.tar.gz'] and 'image-augmentation' in rows[
        'cifar10/cifar-10-binary.tar.gz']


def test_no_fashion_mnist_anywhere_names_the_remedies(tmp_path):
    env = {'MXNET_HOME': str(tmp_path), 'PATH': '/usr/bin:/bin'}
    code = ('import dataclasses, sys; from gluonbook import datahub as d, cli; '
            '[d.register(dataclasses.replace(f, debian_path=None)) for f in list(d.REGISTRY.values())]; '
            'sys.exit(cli.main(["data"]))')
    run = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert run.returncode == 1
    assert ' missing ' in [line for line in run.stdout.splitlines() if line.startswith('fashion-mnist/t10k')][0]
    assert 'apt-get install dataset-fashion-mnist' in run.stderr and 'GLUONBOOK_DATA' in run.stderr


def test_a_root_that_is_not_a_folder_is_refused(tmp_path, capsys):
    (tmp_path / 'taken').write_text('a file')
    for root in (tmp_path / 'taken', tmp_path / 'none'):
        assert cli.main(['data', '--root', root]) == 2
        out, err = capsys.readouterr()
        assert out == '' and err.startswith(f'error: --root {root} is not a folder') and err.count('\n') == 1


@pytest.mark.parametrize('kind', ['missing', 'file'])
def test_gluonbook_data_naming_no_folder_is_one_line_exit_2(tmp_path, monkeypatch, capsys, kind):
    given = tmp_path / 'given'
    if kind == 'file':
        given.write_text('x')
    monkeypatch.setenv('GLUONBOOK_DATA', str(given))
    assert cli.main(['data']) == 2
    out, err = capsys.readouterr()
    assert out == '' and err.count('\n') == 1 and f'GLUONBOOK_DATA={given} is ' in err


def test_a_name_not_in_the_registry_is_one_line_exit_2(capsys):
    assert cli.main(['data', '--fetch', 'pikachu/train.rec', 'no-such-data']) == 2
    out, err = capsys.readouterr()
    assert out == '' and err.count('\n') == 1 and 'no-such-data' in err and 'pikachu' in err


def serve_pikachu(monkeypatch, server, mirrors=None):
    for name, body in PIKACHU.items():
        stand_in(monkeypatch, name, body, mirrors or [server.url])
        server.routes['/' + name] = [('body', body)]


def test_fetch_a_group_downloads_each_file_verified_with_progress(server, book_cache, monkeypatch, capfd):
    serve_pikachu(monkeypatch, server)
    assert cli.main(['data', '--fetch', 'pikachu']) == 0
    out, err = capfd.readouterr()
    assert '100%' in err and out.count(': verified, download: ') == 3
    for name, body in PIKACHU.items():
        assert (book_cache / name).read_bytes() == body
    assert cli.main(['data', '--fetch', 'pikachu/val.rec']) == 0 and server.hits['/pikachu/val.rec'] == 1


def test_fetch_offline_is_one_error_line_per_file_and_exit_1(book_cache, monkeypatch, capsys):
    for name, body in PIKACHU.items():
        stand_in(monkeypatch, name, body, [DEAD])
    assert cli.main(['data', '--fetch', 'pikachu']) == 1
    err = capsys.readouterr().err.splitlines()
    errors = [line for line in err if line.startswith('error: ')]
    assert len(errors) == 3 and all('gluonbook data --fetch pikachu/' in line for line in errors)
    assert not any('Traceback' in line for line in err)


def test_a_bad_copy_is_one_warning_line_without_a_source_line(server, book_cache, tmp_path, monkeypatch, capfd):
    serve_pikachu(monkeypatch, server)
    share = tmp_path / 'share'
    (share / 'pikachu').mkdir(parents=True)
    (share / 'pikachu' / 'val.rec').write_bytes(b'damaged')
    monkeypatch.setenv('GLUONBOOK_DATA', str(share))
    assert cli.main(['data', '--fetch', 'pikachu/val.rec']) == 0
    err = capfd.readouterr().err.splitlines()
    warnings = [line for line in err if 'skipping a bad copy' in line]
    assert len(warnings) == 1 and warnings[0].startswith(
        f'warning: skipping a bad copy: {share / "pikachu" / "val.rec"}: contents do not match pikachu/val.rec')
    assert not any('UserWarning' in line or 'warnings.warn' in line or 'locate(' in line for line in err)


@pytest.fixture
def apt_get(tmp_path, monkeypatch):
    """An ``apt-get`` first on PATH that exits with the code asked for, as apt does when a package cannot be
    installed (or says it is installed): Fashion-MNIST is then looked for where Debian's package puts it."""
    def install(code):
        folder = tmp_path / 'bin'
        folder.mkdir()
        (folder / 'apt-get').write_text(f'#!/bin/sh\necho "$@" >> {tmp_path / "apt.log"}\nexit {code}\n')
        (folder / 'apt-get').chmod(0o755)
        monkeypatch.setenv('PATH', f'{folder}:{os.environ["PATH"]}')
        for name in [n for n in datahub.REGISTRY if n.startswith('fashion-mnist/')]:
            stand_in(monkeypatch, name, b'idx', [DEAD], debian_path=str(tmp_path / 'debian' / name))
        return tmp_path / 'apt.log'
    if os.geteuid() != 0:
        pytest.skip('--fetch installs Debian packages only as root')
    return install


def test_fetch_checks_apt_gets_exit_code(apt_get, book_cache, capsys):
    log = apt_get(100)
    assert cli.main(['data', '--fetch', 'fashion-mnist/train-labels']) == 1
    err = capsys.readouterr().err
    assert 'apt-get install dataset-fashion-mnist failed' in err
    assert 'install -y -q dataset-fashion-mnist' in log.read_text() and 'update' in log.read_text()


def test_fetch_does_not_advise_installing_what_apt_just_installed(apt_get, book_cache, capsys):
    apt_get(0)
    assert cli.main(['data', '--fetch', 'fashion-mnist/train-labels']) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith('error: ')]
    assert len(errors) == 1 and 'fashion-mnist/train-labels' in errors[0]
    assert 'apt-get install' not in errors[0]


def test_an_offline_classroom_in_two_commands(server, book_cache, tmp_path, monkeypatch, capsys):
    """On a machine online: --fetch all of a group and --to a USB stick; on the offline one: --from the stick."""
    serve_pikachu(monkeypatch, server)
    stick = tmp_path / 'usb'
    assert cli.main(['data', '--fetch', 'pikachu', '--to', stick]) == 0
    assert sorted(p.name for p in (stick / 'pikachu').iterdir()) == ['train.idx', 'train.rec', 'val.rec']
    assert 'gluonbook data --from' in capsys.readouterr().out
    offline = tmp_path / 'offline'
    monkeypatch.setenv('MXNET_HOME', str(offline))
    for name, body in PIKACHU.items():
        stand_in(monkeypatch, name, body, [DEAD])
    assert cli.main(['data', '--from', stick]) == 0
    for name, body in PIKACHU.items():
        assert (offline / 'datasets' / name).read_bytes() == body
        assert datahub.locate(name, download=False).where == 'MXNet cache'
    hits = dict(server.hits)
    assert cli.main(['data', '--from', stick]) == 0 and 'already in' in capsys.readouterr().out
    assert server.hits == hits


def test_from_takes_files_as_mxnet_or_the_book_names_them_and_skips_a_wrong_one(book_cache, tmp_path,
                                                                              monkeypatch, capsys):
    for name, body in PIKACHU.items():
        stand_in(monkeypatch, name, body, [DEAD])
    hotdog = stand_in(monkeypatch, 'hotdog.zip', b'hotdogs', [DEAD])
    folder = tmp_path / 'share'
    (folder / 'data' / 'pikachu').mkdir(parents=True)
    (folder / 'data' / 'pikachu' / 'train.rec').write_bytes(PIKACHU['pikachu/train.rec'])  # the book's layout
    (folder / 'val.rec').write_bytes(b'not the validation records')  # a wrong file
    (folder / hotdog.filename).write_bytes(b'hotdogs')  # flat, as the book's code saves it
    (folder / 'notes.txt').write_text('ignored')
    assert cli.main(['data', '--from', folder]) == 2
    out, err = capsys.readouterr()
    assert (book_cache / 'pikachu' / 'train.rec').read_bytes() == PIKACHU['pikachu/train.rec']
    assert (book_cache / 'hotdog' / 'hotdog.zip').read_bytes() == b'hotdogs'
    assert not (book_cache / 'pikachu' / 'val.rec').exists()
    assert err.splitlines() == [line for line in err.splitlines() if line.startswith('warning: skipped ')]
    assert len(err.splitlines()) == 1 and str(folder / 'val.rec') in err
    assert '2 file(s) verified and in place, 1 wrong file(s) skipped' in out


def test_from_and_to_refuse_what_is_not_a_folder(tmp_path, capsys):
    (tmp_path / 'file').write_text('x')
    assert cli.main(['data', '--from', tmp_path / 'none']) == 2
    assert cli.main(['data', '--to', tmp_path / 'file']) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(line.startswith('error: --') for line in err)


FULL_DISK = '''
import resource, signal, sys
from helpers import stand_in
import pytest
from gluonbook import cli
mp = pytest.MonkeyPatch()
stand_in(mp, 'hotdog.zip', open({source!r}, 'rb').read(), ['http://127.0.0.1:9/'])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (100000, 100000))  # no file above 100 kB: as a full disk refuses it
sys.exit(cli.main(['data', '--from', {folder!r}]))
'''


def test_a_full_disk_is_one_line_and_leaves_nothing_half_written(tmp_path):
    if not os.path.isdir('/dev/shm') or os.stat('/dev/shm').st_dev == os.stat(tmp_path).st_dev:
        pytest.skip('needs a second file system, so that the copy is not a hard link')
    folder = tempfile.mkdtemp(dir='/dev/shm')
    try:
        source = os.path.join(folder, 'hotdog.zip')
        with open(source, 'wb') as f:
            f.write(hashlib.sha256(b'x').digest() * 10000)  # 320 kB
        env = {**os.environ, 'MXNET_HOME': str(tmp_path / 'mxnet'),
               'PYTHONPATH': os.path.dirname(os.path.abspath(__file__))}
        env.pop('GLUONBOOK_DATA', None)
        run = subprocess.run([sys.executable, '-c', FULL_DISK.format(source=source, folder=folder)],
                             capture_output=True, text=True, env=env, cwd=tmp_path)
    finally:
        shutil.rmtree(folder)
    assert run.returncode == 1, run.stderr
    assert run.stderr.count('\n') == 1 and run.stderr.startswith('error: cannot write ')
    assert 'MXNET_HOME' in run.stderr
    hotdog = tmp_path / 'mxnet' / 'datasets' / 'hotdog'
    assert not hotdog.exists() or list(hotdog.iterdir()) == []
