"""The package as a reader installs it: a wheel built from this repository, installed with the README's command into a
fresh environment outside the repository, runs a chapter there (the chapters ship inside the package), and MXNet
imports there whatever is imported first (the wheel carries gluonbook_compat.pth); an editable install from this
repository (``pip install -e .``, as the Makefile does) gets the start-up hook as well."""
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

import gluonbook

REPO = Path(__file__).resolve().parent.parent


def run(*command, **kwargs):
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=1200, **kwargs)
    assert done.returncode == 0, f'{command} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}'
    return done


@pytest.fixture(scope='module')
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp('wheel')
    run(sys.executable, '-m', 'pip', 'wheel', '--no-deps', '-q', '-w', out, REPO)
    [path] = out.glob('gluonbook-*.whl')
    return path


def test_the_wheel_holds_the_package_the_chapters_and_the_startup_hook(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert f'gluonbook-{gluonbook.__version__}-py3-none-any.whl' == wheel.name
    assert {'gluonbook_compat.pth', 'gluonbook_compat.py', 'gluonbook/__init__.py',
            'gluonbook/chapters/mlp-scratch.ipynb'} <= set(names)
    assert not [n for n in names if n.startswith(('tests/', 'benchmarks/'))]
    assert zipfile.ZipFile(wheel).read('gluonbook_compat.pth').decode().startswith('import gluonbook_compat;')
    metadata = zipfile.ZipFile(wheel).read(f'gluonbook-{gluonbook.__version__}.dist-info/METADATA').decode()
    assert 'Requires-Python: >=3.10' in metadata and 'Provides-Extra: notebooks' in metadata


@pytest.mark.slow
@pytest.mark.realdata
def test_a_wheel_installed_elsewhere_runs_a_chapter(wheel, tmp_path):
    env = tmp_path / 'env'
    venv.create(env, with_pip=True)
    python = env / 'bin' / 'python'
    run(python, '-m', 'pip', 'install', '-q', '--only-binary', 'numpy', f'{wheel}[notebooks]')  # the README's
    run(python, '-m', 'pip', 'install', '-q', '--no-deps', 'mxnet==1.9.1')  # two steps, as a reader types them
    here = tmp_path / 'elsewhere'
    here.mkdir()
    # MXNet first, as a reader's script or `ruff`-sorted imports have it: the hook prepares numpy before it loads
    done = run(python, '-c', 'import mxnet, gluonbook; print(gluonbook.__file__)', cwd=here)
    assert str(env) in done.stdout
    done = run(env / 'bin' / 'gluonbook', 'run', 'mlp-scratch', '--out', here / 'out', cwd=here)
    assert 'epoch 10, loss' in done.stdout and (here / 'out' / 'mlp-scratch.ipynb').exists()


@pytest.mark.slow
def test_an_editable_install_gets_the_startup_hook(tmp_path):
    env = tmp_path / 'env'
    venv.create(env, with_pip=True)
    python = env / 'bin' / 'python'
    run(python, '-m', 'pip', 'install', '-q', '--no-deps', '-e', REPO)  # as the Makefile does, with build isolation
    [pth] = env.glob('lib/python3.*/site-packages/gluonbook_compat.pth')
    record = next(env.glob('lib/python3.*/site-packages/gluonbook-*.dist-info/RECORD')).read_text()
    assert 'gluonbook_compat.pth,sha256=' in record  # pip uninstall removes it too
    # the hook runs as Python starts (its d2lzh finder answers a probe), with no numpy or MXNet installed yet
    done = run(python, '-c', 'import importlib.util, sys; print(importlib.util.find_spec("d2lzh") is not None, '
                             '"numpy" in sys.modules)', cwd=tmp_path)
    assert done.stdout.split() == ['True', 'False']
    run(python, '-m', 'pip', 'uninstall', '-q', '-y', 'gluonbook')
    assert not pth.exists()
