"""Pick MXNet's BLAS kernel before MXNet is loaded.

MXNet 1.9.1 bundles OpenBLAS 0.3.13, built for many CPUs at once (DYNAMIC_ARCH). On recent CPUs it does not
recognise, it falls back to its SSE3 kernel (``Prescott``), which runs ``nd.dot`` about 3x slower than the AVX2
kernel (``Haswell``) those CPUs can run. OpenBLAS reads ``OPENBLAS_CORETYPE`` once, when the library is loaded,
i.e. at the first ``import mxnet``; so this module must run before that and must not import MXNet itself.

A value the user set is never changed. ``tests/test_blas.py`` checks that the chosen kernel gives numpy's results.
"""
import os
import sys

KERNEL = 'Haswell'  # AVX2 + FMA; also what OpenBLAS 0.3.13 uses for Zen and SkylakeX-class CPUs


def cpu_flags(path='/proc/cpuinfo'):
    """The instruction-set flags of the first CPU, as a set (empty where /proc/cpuinfo is absent)."""
    try:
        with open(path) as f:
            for line in f:
                if line.startswith('flags'):
                    return set(line.split(':', 1)[1].split())
    except OSError:
        pass
    return set()


def choose_kernel(environ=os.environ, flags=None, mxnet_loaded=None):
    """Set ``OPENBLAS_CORETYPE`` to the AVX2 kernel where the CPU has AVX2 and FMA and the user set nothing.

    Returns the value now in force (``None`` if OpenBLAS chooses by itself)."""
    if 'OPENBLAS_CORETYPE' in environ:
        return environ['OPENBLAS_CORETYPE']
    if 'mxnet' in sys.modules if mxnet_loaded is None else mxnet_loaded:
        return None  # too late: the library is loaded and has read the environment
    flags = cpu_flags() if flags is None else flags
    if {'avx2', 'fma'} <= flags:
        environ['OPENBLAS_CORETYPE'] = KERNEL
        return KERNEL
    return None


def openblas_core():
    """The kernel MXNet's bundled OpenBLAS is running, e.g. ``'Haswell'`` (``None`` if it cannot be asked)."""
    import ctypes

    import mxnet
    try:
        lib = ctypes.CDLL(os.path.join(os.path.dirname(mxnet.__file__), 'libopenblas.so.0'))
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return lib.openblas_get_corename().decode()
    except (OSError, AttributeError):
        return None
