"""gluonbook_compat.py: MXNet 1.9.1 on today's numpy and Python, whatever imports it first, with the fast BLAS kernel
and numpy's results; nothing added on MXNet's own stack, and no environment change left behind; nothing done by a
mere probe; the switch; one line on an untested stack; MXNet's downloads through a router; the book's own code
(save_params, d2lzh) on today's MXNet. Each in a fresh interpreter of this environment, where the hook really runs."""
import gzip
import json
import os
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest

import gluonbook_compat as compat

NUMPY = tuple(int(part) for part in np.__version__.split('.')[:2])
ORIGINAL_STACK = NUMPY < (1, 24) and sys.version_info < (3, 12)  # what MXNet 1.9.1 was released for

PROBE = '''
import json, os, sys
import mxnet  # first, as ruff's import sorting puts it, and as the cluster's processes do
import numpy as np
from mxnet import autograd, gluon, nd
import gluonbook_compat
a, b = np.random.default_rng(0).standard_normal((2, 512, 784)).astype(np.float32)
x = nd.array([1.0, 2.0, 3.0])
x.attach_grad()
with autograd.record():
    y = (x * x).sum()
y.backward()
print(json.dumps({'core': gluonbook_compat.openblas_core(),
                  'err': float(np.abs(nd.dot(nd.array(a), nd.array(b.T)).asnumpy() - a @ b.T).max()),
                  'grad': x.grad.asnumpy().tolist(), 'mx_np_sum': float(mxnet.np.array([1, 2]).sum()),
                  'env': os.environ.get('OPENBLAS_CORETYPE'), 'pzero': hasattr(np, 'PZERO')}))
'''


def python(code, ok=True, args=(), cwd=None, **env):
    """Run ``code`` in a fresh interpreter of this environment (the start-up hook runs as Python starts), with
    ``env`` added to a clean environment; the finished process."""
    environ = {k: v for k, v in os.environ.items() if k not in ('OPENBLAS_CORETYPE', 'GLUONBOOK_COMPAT')}
    done = subprocess.run([sys.executable, *args, '-c', textwrap.dedent(code)], env={**environ, **env}, cwd=cwd,
                          capture_output=True, text=True, timeout=300)
    if ok:
        assert done.returncode == 0, done.stderr[-3000:]
    return done


def probe(**env):
    """Run PROBE; returns what it reports."""
    return json.loads(python(PROBE, **env).stdout.splitlines()[-1])


@pytest.mark.parametrize('environ, flags, expected', [
    ({}, {'avx2', 'fma', 'sse3'}, 'Haswell'),
    ({}, {'sse3', 'avx'}, None),  # no AVX2: OpenBLAS chooses
    ({'OPENBLAS_CORETYPE': 'Prescott'}, {'avx2', 'fma'}, None),  # the user's choice stands
])
def test_the_kernel_is_chosen_only_for_avx2_cpus_and_never_over_the_users(environ, flags, expected):
    before = dict(environ)
    assert compat.choose_kernel(environ, flags) == expected
    assert environ == ({**before, 'OPENBLAS_CORETYPE': expected} if expected else before)


def test_mxnet_imported_first_works_with_the_fast_kernel_and_numpys_results():
    seen = probe()
    assert seen['grad'] == [2.0, 4.0, 6.0] and seen['mx_np_sum'] == 3.0
    assert seen['err'] < 1e-3  # float32 sums of 784 products of unit normals
    if {'avx2', 'fma'} <= compat.cpu_flags():
        assert seen['core'] == 'Haswell'
    assert seen['env'] is None  # set while MXNet loaded its OpenBLAS, then removed: numpy and children choose


def test_a_kernel_the_user_set_is_kept():
    seen = probe(OPENBLAS_CORETYPE='Prescott')
    assert seen['core'] == 'Prescott' and seen['env'] == 'Prescott' and seen['err'] < 1e-3


def test_the_hook_is_what_lets_mxnet_import_on_this_stack():
    environ = {**os.environ, 'GLUONBOOK_COMPAT': '0'}
    done = subprocess.run([sys.executable, '-c', 'import mxnet'], env=environ, capture_output=True, text=True,
                          timeout=120)
    if ORIGINAL_STACK:
        assert done.returncode == 0, done.stderr[-2000:]
    else:
        assert done.returncode != 0 and ('numpy' in done.stderr or 'distutils' in done.stderr)


def test_nothing_is_added_to_numpy_on_mxnets_own_stack_and_only_what_is_missing_elsewhere():
    added = compat.patch_numpy()  # already ran when MXNet was imported: a second run adds nothing
    assert added == []
    expected = set()
    if NUMPY >= (1, 24):
        expected |= {'fv', 'ipmt', 'irr', 'mirr', 'nper', 'npv', 'pmt', 'ppmt', 'pv', 'rate'}
    if (1, 24) <= NUMPY < (2, 0):
        expected |= {'bool'}
    if NUMPY >= (2, 0):
        expected |= {'PZERO', 'NZERO', 'PINF', 'NINF', 'NAN', 'NaN', 'Inf', 'alltrue', 'sometrue', 'product',
                     'round_', 'msort', 'compat'}
    if NUMPY >= (2, 4):
        expected |= {'in1d', 'trapz'}
    code = 'import numpy, gluonbook_compat; print(sorted(gluonbook_compat.patch_numpy()))'
    done = subprocess.run([sys.executable, '-c', code], env={**os.environ, 'GLUONBOOK_COMPAT': '0'},
                          capture_output=True, text=True, timeout=60, check=True)
    assert set(eval(done.stdout)) == expected


def test_names_put_back_mean_what_they_meant():
    assert np.PZERO == 0.0 and np.NINF == -np.inf and np.isnan(np.NaN) and np.Inf == np.inf
    assert np.alltrue([True, True]) and np.sometrue([False, True]) and np.product([2, 3]) == 6
    assert np.round_(2.5) == 2.0 and np.msort(np.array([[3, 1], [1, 2]])).tolist() == [[1, 1], [3, 2]]
    assert np.in1d(np.array([[1, 5], [2, 7]]), [1, 2]).tolist() == [True, False, True, False]
    assert np.compat.basestring is str or NUMPY < (2, 0)
    with pytest.raises(RuntimeError, match='numpy_financial'):
        np.npv(0.1, [1, 2])


def test_distutils_version_is_importable_for_mxnet():
    assert compat.patch_distutils() is False  # MXNet is loaded, so it was put in place already where missing
    from distutils.version import LooseVersion
    assert LooseVersion(np.__version__) >= LooseVersion('1.16')


AVX2 = {'avx2', 'fma'} <= compat.cpu_flags()


def test_a_probe_for_mxnet_changes_nothing_until_mxnet_is_imported():
    seen = json.loads(python('''
        import importlib.util, json, os, sys
        found = importlib.util.find_spec('mxnet') is not None  # what availability checks in other libraries do
        seen = {'found': found, 'numpy': 'numpy' in sys.modules, 'env': os.environ.get('OPENBLAS_CORETYPE')}
        import mxnet, gluonbook_compat
        seen.update(core=gluonbook_compat.openblas_core(), after=os.environ.get('OPENBLAS_CORETYPE'),
                    sum=float(mxnet.nd.array([1, 2]).sum().asscalar()))
        print(json.dumps(seen))
    ''').stdout.splitlines()[-1])
    assert seen['found'] and not seen['numpy'] and seen['env'] is None  # numpy untouched, no variable for children
    assert seen['sum'] == 3.0 and seen['after'] is None  # the import still gets everything, and leaves no variable
    if AVX2:
        assert seen['core'] == 'Haswell'


SWITCH = '''
    import importlib.util, json
    from IPython import display
    print(json.dumps([hasattr(display, 'set_matplotlib_formats'), importlib.util.find_spec('d2lzh') is not None]))
'''


@pytest.mark.parametrize('value', ['0', 'false', 'No', 'OFF', ' off '])
def test_gluonbook_compat_off_in_any_spelling_turns_the_hook_off(value):
    assert json.loads(python(SWITCH, GLUONBOOK_COMPAT=value).stdout) == [False, False]  # IPython 9, no d2lzh


@pytest.mark.parametrize('value', ['1', 'yes', 'ON', ''])
def test_gluonbook_compat_on(value):
    assert json.loads(python(SWITCH, GLUONBOOK_COMPAT=value).stdout) == [True, True]


def test_a_value_of_the_switch_that_means_neither_is_one_line_and_the_hook_stays_on():
    done = python('import mxnet', GLUONBOOK_COMPAT='maybe')
    [line] = done.stderr.splitlines()
    assert "GLUONBOOK_COMPAT='maybe'" in line and '0/false/no/off' in line and 'stays on' in line


@pytest.mark.parametrize('python_version, numpy, fix', [
    ((3, 14), '2.3.5', 'Python 3.13'),
    ((3, 12), '2.4.1', 'pip install "numpy>=1.26,<2.4"'),
    ((3, 11), '2.4.0', 'pip install "numpy<1.24"'),
    ((3, 13), '2.3.5', None), ((3, 10), '1.23.5', None), ((3, 12), '1.26.4', None),
])
def test_the_untested_line_names_the_tested_range_and_what_to_install(python_version, numpy, fix):
    line = compat.untested(python_version, numpy)
    if fix is None:
        assert line is None
    else:
        assert 'Python 3.10-3.13' in line and 'numpy 1.23-2.3' in line and fix in line
        assert (f'numpy {numpy}' if python_version < (3, 14) else 'Python 3.14') in line


@pytest.mark.slow
def test_mxnet_on_an_untested_numpy_says_so_in_one_line(tmp_path):
    """numpy 2.4 from the package index, in a folder put first on the path of one process."""
    target = tmp_path / 'numpy'
    pip = subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', '--no-deps', '--only-binary', ':all:',
                          '--target', target, 'numpy>=2.4,<2.5'], capture_output=True, text=True, timeout=600)
    if pip.returncode:
        pytest.skip(f'numpy 2.4 could not be installed here: {pip.stderr.strip().splitlines()[-1:]}')
    done = python('''
        import numpy, mxnet
        print(numpy.__version__, float(mxnet.nd.array([1, 2]).sum().asscalar()))
    ''', PYTHONPATH=str(target))
    assert done.stdout.split()[0].startswith('2.4') and done.stdout.split()[1] == '3.0'
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and 'Traceback' not in done.stderr, done.stderr
    assert 'UntestedStackWarning' in lines[0] and 'Python 3.10-3.13, numpy 1.23-2.3' in lines[0]
    assert 'numpy 2.4' in lines[0] and 'pip install "numpy' in lines[0]


# --- MXNet's downloads through a router ---------------------------------------------------------------------------

ROUTER = '''
"""A router as the start-up hook calls it: records each call; serves the files of SERVE by name; passes the rest to
MXNet's own download."""
import json, os, shutil

def route(download, url, path=None, overwrite=False, sha1_hash=None, retries=5, verify_ssl=True):
    with open(os.environ['ROUTER_LOG'], 'a') as f:
        f.write(json.dumps({'url': url, 'path': path, 'sha1_hash': sha1_hash, 'retries': retries}) + '\\n')
    name = url.split('/')[-1]
    local = os.path.join(os.environ['ROUTER_SERVE'], name)
    if not os.path.exists(local):
        return download(url, path=path, overwrite=overwrite, sha1_hash=sha1_hash, retries=retries,
                        verify_ssl=verify_ssl)
    target = os.path.join(path, name) if path and os.path.isdir(path) else (path or name)  # MXNet's path semantics
    os.makedirs(os.path.dirname(os.path.abspath(target)), exist_ok=True)
    shutil.copyfile(local, target)
    return target
'''


@pytest.fixture
def router(tmp_path):
    """The router module in a folder of its own; the environment a process needs to use it."""
    (tmp_path / 'router').mkdir()
    (tmp_path / 'router' / 'bookrouter.py').write_text(ROUTER)
    (tmp_path / 'serve').mkdir()
    (tmp_path / 'root').mkdir()
    return {'PYTHONPATH': str(tmp_path / 'router'), 'ROUTER_LOG': str(tmp_path / 'calls.jsonl'),
            'ROUTER_SERVE': str(tmp_path / 'serve'), 'ROOT': str(tmp_path / 'root'),
            'NO_PROXY': '127.0.0.1', 'no_proxy': '127.0.0.1'}


def calls(router):
    with open(router['ROUTER_LOG']) as f:
        return [json.loads(line) for line in f]


def test_mxnets_downloads_go_through_the_router_only_when_called(router):
    from helpers import idx_bytes
    serve = router['ROUTER_SERVE']
    images = np.arange(5 * 28 * 28).reshape(5, 28, 28) % 256
    for name, array in (('t10k-images-idx3-ubyte.gz', images), ('t10k-labels-idx1-ubyte.gz', np.arange(5))):
        with gzip.open(os.path.join(serve, name), 'wb') as f:
            f.write(idx_bytes(array))
    with open(os.path.join(serve, 'weights.params'), 'wb') as f:
        f.write(b'weights')
    with zipfile.ZipFile(os.path.join(serve, 'glove.6B.zip'), 'w') as f:
        f.writestr('glove.6B.50d.txt', 'the 0.5 -1.0 2.0\nchip 1.0 0.0 0.25\n')
    seen = json.loads(python('''
        import json, os, sys
        import mxnet
        import gluonbook_compat
        from mxnet.gluon.utils import download
        seen = {'router_imported': 'bookrouter' in sys.modules or 'gluonbook' in sys.modules,
                'original_left': sorted(name for name, module in list(sys.modules.items())
                                        if name.startswith('mxnet') and module is not None
                                        and any(v is download.__wrapped__ for v in vars(module).values()))}
        gluonbook_compat.ROUTER = 'bookrouter:route'
        mnist = mxnet.gluon.data.vision.MNIST(root=os.environ['ROOT'], train=False)  # bound at MXNet's import
        from mxnet.gluon.model_zoo import model_store
        path = model_store.download('https://example.invalid/models/weights.params', path=os.environ['ROOT'])
        from mxnet.contrib import text  # the book's similarity-analogy: it looks the download up when it downloads
        glove = text.embedding.create('glove', pretrained_file_name='glove.6B.50d.txt',
                                      embedding_root=os.environ['ROOT'])
        seen.update(n=len(mnist), label=int(mnist[3][1]), pixel=int(mnist[1][0][0, 1, 0].asscalar()),
                    weights=open(path, 'rb').read().decode(), chip=glove.get_vecs_by_tokens('chip').asnumpy().tolist())
        print(json.dumps(seen))
    ''', **router).stdout.splitlines()[-1])
    assert seen['router_imported'] is False and seen['original_left'] == []
    assert seen['n'] == 5 and seen['label'] == 3 and seen['pixel'] == (28 * 28 + 1) % 256
    assert seen['weights'] == 'weights' and seen['chip'] == [1.0, 0.0, 0.25]
    made = calls(router)
    assert [c['url'].split('/')[-1] for c in made] == ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz',
                                                        'weights.params', 'glove.6B.zip']
    assert made[0]['sha1_hash'] and made[0]['path'] == router['ROOT'] and made[0]['retries'] == 5  # MXNet's call


def test_a_url_the_router_passes_on_reaches_mxnets_own_download(router, server):
    server.routes['/data/notes.txt'] = [('body', b'served by MXNet')]
    done = python(f'''
        import os, gluonbook_compat, mxnet
        gluonbook_compat.ROUTER = 'bookrouter:route'
        path = mxnet.gluon.utils.download('{server.url}data/notes.txt', path=os.environ['ROOT'])
        print(open(path).read())
    ''', **router)
    assert done.stdout.splitlines()[-1] == 'served by MXNet' and server.hits['/data/notes.txt'] == 1
    assert [c['url'] for c in calls(router)] == [f'{server.url}data/notes.txt']


def test_without_an_importable_router_mxnet_downloads_as_it_always_did(router, server):
    server.routes['/data/notes.txt'] = [('body', b'served by MXNet')]
    done = python(f'''
        import os, gluonbook_compat, mxnet
        gluonbook_compat.ROUTER = 'no_such_router_module:route'
        path = mxnet.gluon.utils.download('{server.url}data/notes.txt', path=os.environ['ROOT'])
        print(open(path).read())
    ''', **router)
    assert done.stdout.splitlines()[-1] == 'served by MXNet' and server.hits['/data/notes.txt'] == 1
    assert 'Warning' not in done.stderr and not os.path.exists(router['ROUTER_LOG'])


# --- the book's own code -------------------------------------------------------------------------------------------

READ_WRITE = '''
import warnings
warnings.simplefilter('always')
from mxnet import nd
from mxnet.gluon import nn

class MLP(nn.Block):
    def __init__(self, **kwargs):
        super(MLP, self).__init__(**kwargs)
        self.hidden = nn.Dense(256, activation='relu')
        self.output = nn.Dense(10)

    def forward(self, x):
        return self.output(self.hidden(x))

net = MLP()
net.initialize()
x = nd.random.uniform(shape=(2, 20))
y = net(x)

# Use save_parameters in MXNet of later versions, such as 1.2.1.
net.save_params('mlp.params')

clone = MLP()
# Use load_parameters in MXNet of later versions, such as 1.2.1.
clone.load_params('mlp.params')

yclone = clone(x)
print((yclone == y).min().asscalar())
net.save_parameters('by-save-parameters.params')
print(open('mlp.params', 'rb').read() == open('by-save-parameters.params', 'rb').read())
'''


def test_the_books_save_params_and_load_params_on_a_block_without_name_scope(tmp_path):
    """chapter_deep-learning-computation/read-write.md, as the book has it."""
    done = python(READ_WRITE, cwd=tmp_path)
    assert done.stdout.split() == ['1.0', 'True']  # the clone computes the same; the file is save_parameters'
    assert 'save_params is deprecated. Please use save_parameters' in done.stderr
    assert 'load_params is deprecated' in done.stderr
    if ORIGINAL_STACK:  # without the hook, MXNet 1.9.1's own save_params fails on this block
        done = python(READ_WRITE, ok=False, cwd=tmp_path, GLUONBOOK_COMPAT='0')
        assert "'ValueError' object has no attribute 'message'" in done.stderr


def test_import_d2lzh_gives_gluonbook_where_no_real_d2lzh_is_installed(tmp_path):
    done = python('''
        import importlib.util, sys
        importlib.util.find_spec('d2lzh')
        print('gluonbook' in sys.modules)  # a probe imports nothing
        import d2lzh, gluonbook
        print(sys.modules['d2lzh'] is gluonbook, d2lzh.__spec__.name, callable(d2lzh.train_ch3))
    ''')
    assert done.stdout.split() == ['False', 'True', 'gluonbook', 'True']


def test_a_real_d2lzh_on_the_path_wins(tmp_path):
    (tmp_path / 'd2lzh').mkdir()
    (tmp_path / 'd2lzh' / '__init__.py').write_text('REAL = True\n')
    done = python('''
        import sys, d2lzh
        print(getattr(d2lzh, 'REAL', False), 'gluonbook' in sys.modules)
    ''', PYTHONPATH=str(tmp_path))
    assert done.stdout.split() == ['True', 'False']


def test_gluonbook_says_so_when_the_startup_hook_did_not_run(tmp_path):
    import sysconfig
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    done = python(f'''
        import sys
        sys.path[:0] = [{repo!r}, {sysconfig.get_paths()["purelib"]!r}]
        import gluonbook
        gluonbook.sgd  # the first helper used imports MXNet
    ''', args=['-S'], cwd=tmp_path)
    [line] = [line for line in done.stderr.splitlines() if 'gluonbook_compat.pth did not run' in line]
    assert 'pip install --force-reinstall' in line


def test_a_gpu_that_is_not_there_is_one_line_and_still_an_mxnet_error():
    """The book's use-gpu section on a machine without a GPU: its own try_gpu still falls back to the CPU, and
    the first use of mx.gpu() ends with one line saying what the code needs."""
    done = python('''
        import mxnet as mx
        from mxnet import nd
        def try_gpu():  # the book's
            try:
                ctx = mx.gpu()
                _ = nd.zeros((1,), ctx=ctx)
            except mx.base.MXNetError:
                ctx = mx.cpu()
            return ctx
        print(try_gpu())
        try:
            nd.ones((2, 3), ctx=mx.gpu()).asnumpy()
        except mx.base.MXNetError as e:
            print(e._render_traceback_())  # what a notebook shows
        nd.array([1, 2, 3], ctx=mx.gpu(1))
    ''', ok=False)
    out = done.stdout.splitlines()
    assert out[0] == 'cpu(0)'
    [notebook] = eval(out[1])
    assert notebook.startswith('GPUMissingError: ') and 'mx.cpu()' in notebook and '\n' not in notebook
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith('gluonbook_compat.GPUMissingError: ') and '0 GPUs' in last and 'mxnet-cu' in last
    assert done.returncode == 1


def test_other_mxnet_errors_are_unchanged():
    done = python('''
        from mxnet import nd
        nd.ones((2, 3)) + nd.ones((4, 5))
    ''', ok=False)
    assert 'GPUMissingError' not in done.stderr and 'MXNetError' in done.stderr
