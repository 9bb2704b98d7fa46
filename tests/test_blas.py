"""gluonbook/blas.py: the BLAS kernel choice, made before MXNet loads, never over the user's, with numpy's results."""
import os
import subprocess
import sys

from gluonbook import blas

PROBE = '''
import gluonbook, numpy as np
from mxnet import nd
from gluonbook import blas
a, b = np.random.default_rng(0).standard_normal((2, 512, 784)).astype(np.float32)
err = np.abs(nd.dot(nd.array(a), nd.array(b.T)).asnumpy() - a @ b.T).max()
print(blas.openblas_core(), err)
'''


def probe(**env):
    environ = {k: v for k, v in os.environ.items() if k != 'OPENBLAS_CORETYPE'}
    out = subprocess.run([sys.executable, '-c', PROBE], env={**environ, **env}, capture_output=True, text=True,
                         check=True).stdout.split()
    return out[0], float(out[1])


def test_avx2_cpus_get_the_avx2_kernel_unless_the_user_chose():
    environ = {}
    assert blas.choose_kernel(environ, {'avx2', 'fma', 'sse3'}, False) == 'Haswell' == environ['OPENBLAS_CORETYPE']
    environ = {'OPENBLAS_CORETYPE': 'Prescott'}
    assert blas.choose_kernel(environ, {'avx2', 'fma'}, False) == 'Prescott' == environ['OPENBLAS_CORETYPE']
    for flags, loaded in (({'sse3'}, False), ({'avx2', 'fma'}, True)):  # no AVX2; or MXNet already loaded
        environ = {}
        assert blas.choose_kernel(environ, flags, loaded) is None and environ == {}


def test_the_chosen_kernel_runs_and_gives_numpys_results():
    flags = blas.cpu_flags()
    core, err = probe()
    if {'avx2', 'fma'} <= flags:
        assert core == 'Haswell'
    assert err < 1e-3  # float32 sums of 784 products of unit normals


def test_a_kernel_the_user_set_is_kept():
    core, err = probe(OPENBLAS_CORETYPE='Prescott')
    assert core == 'Prescott' and err < 1e-3
