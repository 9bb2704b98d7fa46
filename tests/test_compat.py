"""gluonbook_compat.py: MXNet 1.9.1 on today's numpy and Python, whatever imports it first, with the fast BLAS kernel
and numpy's results; nothing added on MXNet's own stack, and no environment change left behind."""
import json
import os
import subprocess
import sys

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


def probe(**env):
    """Run PROBE in a fresh interpreter of this environment; returns what it reports."""
    environ = {k: v for k, v in os.environ.items() if k not in ('OPENBLAS_CORETYPE', 'GLUONBOOK_COMPAT')}
    done = subprocess.run([sys.executable, '-c', PROBE], env={**environ, **env}, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize('environ, flags, expected', [
    ({}, {'avx2', 'fma', 'sse3'}, 'Haswell'),
    ({}, {'sse3', 'avx'}, None),  # no AVX2: OpenBLAS chooses
    ({'OPENBLAS_CORETYPE': 'Prescott'}, {'avx2', 'fma'}, None),  # the user's choice stands
])
def test_the_kernel_is_chosen_only_for_avx2_cpus_and_never_over_the_users(environ, flags, expected, monkeypatch):
    monkeypatch.delitem(sys.modules, 'mxnet')  # as before MXNet loads
    before = dict(environ)
    assert compat.choose_kernel(environ, flags) == expected
    assert environ == ({**before, 'OPENBLAS_CORETYPE': expected} if expected else before)


def test_no_kernel_is_chosen_once_mxnet_is_loaded():
    assert 'mxnet' in sys.modules
    environ = {}
    assert compat.choose_kernel(environ, {'avx2', 'fma'}) is None and environ == {}


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
