"""What must happen before MXNet 1.9.1 loads, so that it runs on today's Python and numpy, fast.

This module is gluonbook's only place with process-wide effects. It imports neither MXNet nor gluonbook, because it
must run before either: installing gluonbook installs ``gluonbook_compat.pth``, which calls :func:`install_hook` as
Python starts, so the first ``import mxnet`` of any program in that environment (a reader's script that imports
MXNet first, a DataLoader worker, a parameter-server scheduler started as ``python -c "import mxnet"``) runs
:func:`prepare` first. ``import gluonbook`` runs it as well, for environments where the hook is not installed.
Set ``GLUONBOOK_COMPAT=0`` to turn the hook off (MXNet then fails to import on numpy >= 1.24 or Python >= 3.12).

Each effect, and why:

1. **numpy names MXNet uses, where the running numpy lacks them** (:data:`NUMPY_NAMES`). MXNet 1.9.1 was written for
   numpy < 1.24 and binds these at import (``mxnet/numpy/utils.py``, ``mxnet/numpy/fallback.py``,
   ``mxnet/numpy_dispatch_protocol.py``) or uses them at run time (``mxnet/numpy/multiarray.py``,
   ``mxnet/ndarray/numpy/_op.py``). A name numpy still has is never replaced, so on MXNet's own stack (numpy < 1.24,
   Python < 3.12) this adds nothing, and nothing numpy already does changes: user code only sees names come back
   that numpy removed, with their old meaning.
2. **distutils** (removed in Python 3.12): MXNet imports ``distutils.version`` (``mxnet/numpy_op_fallback.py`` at
   import, ``numpy_dispatch_protocol.py`` at run time). setuptools provides it; where setuptools' own hook is off,
   importing setuptools puts its copy in place.
3. **The BLAS kernel** (``OPENBLAS_CORETYPE``): MXNet's bundled OpenBLAS 0.3.13 falls back to its SSE3 kernel on
   CPUs it does not recognise, 3x slower than the AVX2 kernel they can run. Where the CPU has AVX2 and FMA and the
   user has not set the variable, it is set to ``Haswell`` while MXNet loads its library, and removed again once
   MXNet is imported: numpy and child processes keep choosing their own kernel. ``tests/test_compat.py`` checks the
   kernel's results against numpy.
"""
import importlib.abc
import importlib.util
import math
import os
import sys

KERNEL = 'Haswell'  # AVX2 + FMA; also what OpenBLAS 0.3.13 uses for Zen and SkylakeX-class CPUs


def _expired(name):
    def removed(*args, **kwargs):
        raise RuntimeError(f'numpy.{name} was removed from numpy in 1.20; use the numpy_financial package')
    removed.__name__ = name
    return removed


def _numpy_names(np):
    """``{name: value}`` of every name below, with the value it had (or the function that replaced it)."""
    names = {
        # removed in numpy 1.24 (numpy 2 has np.bool again, as numpy's own bool type): mxnet/numpy/utils.py,
        # multiarray.py (dtype=np.bool at run time)
        'bool': bool,
        # removed in numpy 2.0: constants bound in mxnet/numpy/utils.py; np.Inf in gluon/contrib/estimator
        'PZERO': 0.0, 'NZERO': -0.0, 'PINF': math.inf, 'NINF': -math.inf, 'NAN': math.nan, 'NaN': math.nan,
        'Inf': math.inf,
        # removed in numpy 2.0: functions bound by name in mxnet/numpy/fallback.py and numpy_dispatch_protocol.py
        'alltrue': np.all, 'sometrue': np.any, 'product': np.prod, 'round_': np.round,
        'msort': lambda a: np.sort(a, axis=0),
        # removed in numpy 2.4: fallback.py binds them by name
        'in1d': lambda ar1, ar2, assume_unique=False, invert=False: np.isin(
            ar1, ar2, assume_unique=assume_unique, invert=invert).ravel(),
        'trapz': getattr(np, 'trapezoid', None),
    }
    # removed in numpy 1.20; numpy < 1.25 answered with a function that raises, as these do: fallback.py binds them
    names.update({name: _expired(name) for name in ('fv', 'ipmt', 'irr', 'mirr', 'nper', 'npv', 'pmt', 'ppmt',
                                                    'pv', 'rate')})
    return names


def _numpy_compat():
    """A stand-in for ``numpy.compat`` (removed in numpy 2.0): MXNet's ``_op.py`` asks it for ``basestring``."""
    import types
    module = types.ModuleType('numpy.compat', 'What MXNet 1.9.1 uses of numpy.compat, removed in numpy 2.0.')
    module.basestring = str
    return module


def patch_numpy():
    """Give numpy back the names MXNet 1.9.1 uses that it lacks; returns the names added (none on numpy < 1.24)."""
    import numpy as np
    added = []
    for name, value in _numpy_names(np).items():
        if value is not None and not _has(np, name):
            setattr(np, name, value)
            added.append(name)
    if not _has(np, 'compat'):
        np.compat = sys.modules['numpy.compat'] = _numpy_compat()
        added.append('compat')
    return added


def _has(module, name):
    """Whether ``module.name`` exists (numpy answers removed names with an AttributeError, or a warning)."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        try:
            getattr(module, name)
        except AttributeError:
            return False
    return True


def patch_distutils():
    """Make ``distutils.version`` importable (Python >= 3.12 has no distutils); returns whether it had to act."""
    try:
        import distutils.version  # noqa: F401
        return False
    except ImportError:
        pass
    try:
        importlib.import_module('setuptools')  # importing it puts its own distutils in place
        importlib.import_module('distutils.version')
    except ImportError as e:
        raise ImportError(f'MXNet 1.9.1 needs distutils, which Python {sys.version_info.major}.'
                          f'{sys.version_info.minor} does not have; install setuptools (pip install setuptools)'
                          ) from e
    return True


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


def choose_kernel(environ=os.environ, flags=None):
    """Set ``OPENBLAS_CORETYPE`` to the AVX2 kernel where the CPU has AVX2 and FMA and the user set nothing.

    Returns what this call set (``'Haswell'``), or ``None`` where it left the environment as it was."""
    if 'OPENBLAS_CORETYPE' in environ or 'mxnet' in sys.modules:
        return None  # the user's choice, or too late: the library is loaded and has read the environment
    if {'avx2', 'fma'} <= (cpu_flags() if flags is None else flags):
        environ['OPENBLAS_CORETYPE'] = KERNEL
        return KERNEL
    return None


def prepare():
    """Everything MXNet needs before it loads, but the kernel: numpy names, distutils. Never imports MXNet."""
    patch_numpy()
    patch_distutils()


def import_mxnet():
    """``import mxnet`` on today's stack (:func:`prepare`, the fast BLAS kernel while it loads); returns it."""
    if 'mxnet' not in sys.modules:
        _add_hook()
    import mxnet
    return mxnet


class _Hook(importlib.abc.MetaPathFinder):
    """At the first ``import mxnet``: :func:`prepare`, the kernel chosen, then MXNet's own spec; then steps aside."""

    def find_spec(self, name, path=None, target=None):
        if name != 'mxnet':
            return None
        remove_hook()
        prepare()  # imports numpy before the kernel is chosen: numpy's own OpenBLAS never sees it
        spec = importlib.util.find_spec(name)
        if spec is not None and choose_kernel():
            spec.loader = _UnsetKernelAfter(spec.loader)
        return spec


class _UnsetKernelAfter:
    """MXNet's loader, which removes ``OPENBLAS_CORETYPE`` again once MXNet (and its OpenBLAS) is loaded."""

    def __init__(self, loader):
        self._loader = loader

    def __getattr__(self, name):
        return getattr(self._loader, name)

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        try:
            self._loader.exec_module(module)
        finally:
            os.environ.pop('OPENBLAS_CORETYPE', None)


def install_hook():
    """Run :func:`prepare` at the first ``import mxnet`` of this process (called by ``gluonbook_compat.pth``)."""
    if os.environ.get('GLUONBOOK_COMPAT', '1') != '0' and 'mxnet' not in sys.modules:
        _add_hook()


def _add_hook():
    if not any(isinstance(finder, _Hook) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Hook())


def remove_hook():
    sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, _Hook)]


def openblas_core():
    """The kernel MXNet's bundled OpenBLAS is running, e.g. ``'Haswell'`` (``None`` if it cannot be asked)."""
    import ctypes
    mxnet = import_mxnet()
    try:
        lib = ctypes.CDLL(os.path.join(os.path.dirname(mxnet.__file__), 'libopenblas.so.0'))
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return lib.openblas_get_corename().decode()
    except (OSError, AttributeError):
        return None
