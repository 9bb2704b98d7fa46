"""What installing gluonbook changes in every Python process of the environment, and why: MXNet 1.9.1 and the book's
own code on today's Python, numpy and IPython.

This module is gluonbook's only place with process-wide effects. It imports neither MXNet nor gluonbook. Installing
gluonbook installs ``gluonbook_compat.pth``, which Python runs as it starts: it calls :func:`install_hook`, which only
puts two import finders in ``sys.meta_path`` (a millisecond; nothing is imported). Nothing else happens until a
program really imports one of the modules below: a mere probe (``importlib.util.find_spec('mxnet')``, as other
libraries' availability checks do) changes nothing. ``GLUONBOOK_COMPAT=0`` (or ``false``, ``no``, ``off``, any case)
turns all of it off; ``import gluonbook`` then still prepares MXNet (effects 1 to 4) when it imports it first.

When MXNet's module is executed (the first ``import mxnet`` of a program, a DataLoader worker, a parameter-server
scheduler started as ``python -c "import mxnet"``), before its code runs:

1. **numpy names MXNet uses, where the running numpy lacks them** (:data:`_numpy_names`). MXNet 1.9.1 was written
   for numpy < 1.24 and binds these at import (``mxnet/numpy/utils.py``, ``mxnet/numpy/fallback.py``,
   ``mxnet/numpy_dispatch_protocol.py``) or uses them at run time (``mxnet/numpy/multiarray.py``,
   ``mxnet/ndarray/numpy/_op.py``). A name numpy still has is never replaced, so on MXNet's own stack (numpy < 1.24,
   Python < 3.12) this adds nothing: user code only sees names come back that numpy removed, with their old meaning.
2. **distutils** (removed in Python 3.12): MXNet imports ``distutils.version``; setuptools provides it.
3. **The BLAS kernel** (``OPENBLAS_CORETYPE``): MXNet's bundled OpenBLAS 0.3.13 falls back to its SSE3 kernel on
   CPUs it does not recognise, 3x slower than the AVX2 kernel they can run. Where the CPU has AVX2 and FMA and the
   user has not set the variable, it is set to ``Haswell`` while MXNet's module executes and removed again (in a
   ``finally``) as soon as it has: numpy and child processes keep choosing their own kernel. Set
   ``OPENBLAS_CORETYPE`` yourself to choose another.
4. **One line on an untested stack**: on numpy >= 2.4 or Python >= 3.14 a :class:`UntestedStackWarning` names the
   tested range (Python 3.10-3.13, numpy 1.23-2.3) and what to install, once, instead of an ``AttributeError`` deep
   inside MXNet later.

Once MXNet's module has executed:

5. **MXNet's downloads go through the book's data registry**: ``mxnet.gluon.utils.download`` and every name in
   MXNet's loaded modules bound to it (``gluon.model_zoo.model_store``, ``gluon.data.vision.datasets``,
   ``gluon.contrib.data.text``; modules imported later bind the replacement, ``contrib.text.embedding`` looks it up
   when it downloads) become a thin wrapper that, when called, imports the router named by :data:`ROUTER` and calls
   ``router(mxnet_download, url, path=..., overwrite=..., sha1_hash=..., retries=..., verify_ssl=...)``: a file the
   registry knows is served from a verified local copy (or downloaded, verified), any other URL goes to MXNet's own
   download unchanged. If the router cannot be imported, MXNet's own download runs. MXNet's function stays at
   ``mxnet.gluon.utils.download.__wrapped__``; ``gluonbook_compat.ROUTER = None`` turns routing off in a program.
6. **``Block.save_params``** does what it did in MXNet 1.2.0, the book's: MXNet 1.9.1's ends in ``AttributeError:
   'ValueError' object has no attribute 'message'`` for a block built without ``name_scope`` (the book's ``MLP``).
   It now saves what ``save_parameters`` saves, with MXNet's deprecation warning; ``load_params`` (MXNet's) reads
   that file and the old format alike.
7. **A GPU that is not there is named in one line**: the book's own code writes ``mx.gpu()`` itself (``use-gpu``,
   ``multiple-gpus``, ...); on a machine where MXNet sees no GPU, MXNet's error for it (``GPU is not enabled``,
   ``Operator _ones is not implemented for GPU``, a CUDA message, with a C++ stack) becomes a
   :class:`GPUMissingError`, a subclass of ``MXNetError`` (so the book's ``except mx.base.MXNetError`` in
   ``try_gpu`` still catches it), whose message is one line saying what the code needs and what to do; a notebook
   shows only that line. Any other MXNet error is unchanged.

And whenever the module is imported:

8. **``IPython.display.set_matplotlib_formats``**, removed in IPython 9 and called by the book's
   ``use_svg_display``, is put back where missing (:func:`set_matplotlib_formats`): in an IPython shell it sets the
   formats of inline figures through ``matplotlib_inline``; elsewhere it does nothing, as no figure is shown inline.
9. **``import d2lzh``** (the Chinese edition's package) gives gluonbook, from a finder at the end of
   ``sys.meta_path``: a real ``d2lzh`` found on ``sys.path`` wins.
"""
import os
import sys

KERNEL = 'Haswell'  # AVX2 + FMA; also what OpenBLAS 0.3.13 uses for Zen and SkylakeX-class CPUs
ROUTER = 'gluonbook.datahub:mxnet_download'  # module:function that MXNet's downloads go through (None: not at all)
TESTED = 'Python 3.10-3.13, numpy 1.23-2.3'
OFF = ('0', 'false', 'no', 'off')
ON = ('', '1', 'true', 'yes', 'on')
_state = {'pth': False}  # whether gluonbook_compat.pth ran in this process


class UntestedStackWarning(UserWarning):
    """MXNet 1.9.1 is imported on a Python or numpy newer than the ones gluonbook is tested with."""


def enabled(environ=os.environ):
    """Whether the hook is on: ``GLUONBOOK_COMPAT`` is not one of ``0``, ``false``, ``no``, ``off`` (any case)."""
    return environ.get('GLUONBOOK_COMPAT', '').strip().lower() not in OFF


# ---------------------------------------------------------------------------------------------------------------
# The hook: finders only, until a watched module is executed


def install_hook():
    """Watch for MXNet, ``IPython.display`` and ``d2lzh`` (called by ``gluonbook_compat.pth`` as Python starts)."""
    _state['pth'] = True
    if enabled():
        _add_hook()


def _add_hook(extras=True):
    if not any(isinstance(finder, _Hook) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Hook(extras))
    if extras:
        if not any(isinstance(finder, _D2lzh) for finder in sys.meta_path):
            sys.meta_path.append(_D2lzh())
        if 'IPython.display' in sys.modules:
            patch_ipython_display(sys.modules['IPython.display'])


def remove_hook():
    """Take the finders out of ``sys.meta_path`` (what is already done stays done)."""
    sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, (_Hook, _D2lzh))]


def import_mxnet():
    """``import mxnet`` on today's stack, whatever the switch says (what ``import gluonbook`` runs); returns it.

    Warns if the start-up hook is missing (``gluonbook_compat.pth`` did not run): a program that imports MXNet before
    gluonbook then fails on numpy >= 1.24, and MXNet's downloads bypass the data registry."""
    if not _state['pth'] and enabled():
        _state['pth'] = True  # said once per process
        _warn('gluonbook\'s start-up hook gluonbook_compat.pth did not run in this process (not installed, or '
              'python -S): a program that imports mxnet before gluonbook fails on numpy >= 1.24 and MXNet\'s '
              'downloads bypass the data registry; reinstall gluonbook: pip install --force-reinstall --no-deps '
              'PATH-OR-WHEEL')
    if 'mxnet' in sys.modules:
        if enabled():
            after_mxnet()
    else:
        _add_hook(extras=enabled())
    import mxnet
    return mxnet


class _Hook:
    """Finds MXNet and ``IPython.display`` as the other finders would, with a loader that acts around their code."""

    def __init__(self, extras):
        self.extras = extras  # False: only MXNet's preparation (import_mxnet with the switch off)
        self.watched = {'mxnet': _MXNetLoader, **({'IPython.display': _IPythonDisplayLoader} if extras else {})}

    def find_spec(self, name, path=None, target=None):
        if name not in self.watched:
            return None
        for finder in sys.meta_path:
            find_spec = getattr(finder, 'find_spec', None)
            if isinstance(finder, _Hook) or find_spec is None:
                continue
            spec = find_spec(name, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = self.watched[name](spec.loader, self)
                return spec
        return None

    def done(self, name):
        self.watched.pop(name, None)
        if not self.watched and self in sys.meta_path:
            sys.meta_path.remove(self)


class _Loader:
    """The module's own loader, with :meth:`before` and :meth:`after` run around its ``exec_module``."""

    def __init__(self, loader, hook):
        self.loader, self.hook = loader, hook

    def __getattr__(self, name):
        return getattr(self.loader, name)

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        undo = self.before()
        try:
            self.loader.exec_module(module)
        finally:
            undo()
            module.__loader__ = self.loader  # no trace of this wrapper stays
            if module.__spec__ is not None:
                module.__spec__.loader = self.loader
        self.hook.done(module.__name__)
        self.after(module)

    def before(self):
        return lambda: None

    def after(self, module):
        pass


class _MXNetLoader(_Loader):
    def before(self):
        prepare()
        warn_untested()
        kernel = choose_kernel()
        return (lambda: os.environ.pop('OPENBLAS_CORETYPE', None)) if kernel else (lambda: None)

    def after(self, module):
        if self.hook.extras:
            after_mxnet()


class _IPythonDisplayLoader(_Loader):
    def after(self, module):
        patch_ipython_display(module)


class _D2lzh:
    """``import d2lzh`` gives gluonbook where no other finder finds a real ``d2lzh``."""

    def find_spec(self, name, path=None, target=None):
        if name != 'd2lzh':
            return None
        from importlib.machinery import ModuleSpec
        return ModuleSpec(name, self)

    def create_module(self, spec):
        import importlib
        gluonbook = importlib.import_module('gluonbook')
        self.spec = gluonbook.__spec__  # the import system sets d2lzh's on the module it is given
        return gluonbook

    def exec_module(self, module):
        module.__spec__ = self.spec


# ---------------------------------------------------------------------------------------------------------------
# Before MXNet's code runs: numpy names, distutils, the BLAS kernel, the untested-stack line


def _expired(name):
    def removed(*args, **kwargs):
        raise RuntimeError(f'numpy.{name} was removed from numpy in 1.20; use the numpy_financial package')
    removed.__name__ = name
    return removed


def _numpy_names(np):
    """``{name: value}`` of every name below, with the value it had (or the function that replaced it)."""
    import math
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
    import importlib
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


def prepare():
    """Everything MXNet needs before it loads, but the kernel: numpy names, distutils. Never imports MXNet."""
    patch_numpy()
    patch_distutils()


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

    Returns what this call set (``'Haswell'``), or ``None`` where it left the environment as it was. Called just
    before MXNet's module executes (MXNet's OpenBLAS reads the variable as the library loads)."""
    if 'OPENBLAS_CORETYPE' in environ:
        return None  # the user's choice
    if {'avx2', 'fma'} <= (cpu_flags() if flags is None else flags):
        environ['OPENBLAS_CORETYPE'] = KERNEL
        return KERNEL
    return None


def untested(python=None, numpy=None):
    """The line that says this Python or numpy is newer than the tested ones (``None`` where both are tested)."""
    import re
    python = tuple(sys.version_info[:2]) if python is None else tuple(python)
    if numpy is None:
        import numpy as np
        numpy = np.__version__
    numbers = tuple(int(n) for n in re.match(r'(\d+)\.(\d+)', numpy).groups())
    if python >= (3, 14):
        where, fix = f'Python {python[0]}.{python[1]}', 'make the environment with Python 3.13 (or 3.10 to 3.12)'
    elif numbers >= (2, 4):
        where = f'numpy {numpy}'
        fix = 'pip install "numpy>=1.26,<2.4"' if python >= (3, 12) else 'pip install "numpy<1.24"'
    else:
        return None
    return (f'gluonbook is tested with MXNet 1.9.1 on {TESTED}, not on {where}; if MXNet or the book\'s code '
            f'fails, {fix}')


_warned = {}


def _warn(message, category=UserWarning):
    """One line on stderr (no source line), once per process."""
    import warnings
    warnings.warn_explicit(message, category, 'gluonbook_compat', 0, registry=_warned)


def warn_untested():
    """:func:`untested`'s line as an :class:`UntestedStackWarning`, once; and a value of the switch it ignores."""
    line = untested()
    if line:
        _warn(line, UntestedStackWarning)
    value = os.environ.get('GLUONBOOK_COMPAT', '').strip().lower()
    if value not in ON + OFF:
        _warn(f'GLUONBOOK_COMPAT={value!r} is neither off ({"/".join(OFF)}) nor on ({"/".join(ON[1:])}); '
              'the hook stays on')


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


# ---------------------------------------------------------------------------------------------------------------
# After MXNet's code ran: downloads through the registry, save_params as the book knew it


def after_mxnet():
    """Effects 5 to 7 of the module's docstring (nothing twice); a failure here is one line, not a failed import."""
    try:
        route_downloads()
        restore_save_params()
        name_missing_gpus()
    except Exception as e:  # MXNet itself imported: it stays usable as MXNet made it
        _warn(f'gluonbook_compat could not adapt MXNet for the book ({type(e).__name__}: {e}); MXNet runs unchanged')


NO_GPU = ('GPU is not enabled', 'is not implemented for GPU', 'no CUDA-capable device', 'CUDA driver version is '
          'insufficient', 'Compile with USE_CUDA=1')  # how MXNet 1.9.1 says that a GPU context cannot be used


def name_missing_gpus():
    """Effect 7: MXNet's error for a GPU context on a machine where it sees no GPU becomes one line of
    :class:`GPUMissingError`. MXNet builds every error of its C library in ``mxnet.base.get_last_ffi_error``."""
    import mxnet
    base = mxnet.base
    original = base.get_last_ffi_error
    if getattr(original, '_gluonbook_gpu', False):
        return

    def get_last_ffi_error():
        error = original()
        text = str(error)
        if any(marker in text for marker in NO_GPU) and mxnet.context.num_gpus() == 0:
            return _gpu_error_class(base.MXNetError)(
                'this code uses a GPU (mx.gpu()), and MXNet sees 0 GPUs on this machine (a CPU build of MXNet, or no '
                'CUDA device): run it where there is a GPU, with the mxnet-cuXXX build that matches its CUDA, or '
                'give it mx.cpu() instead (gb.try_gpu() picks a GPU only where there is one)')
        return error
    get_last_ffi_error._gluonbook_gpu = True
    base.get_last_ffi_error = get_last_ffi_error
    ctypes_function = sys.modules.get('mxnet._ffi._ctypes.function')
    if ctypes_function is not None and getattr(ctypes_function, 'get_last_ffi_error', None) is original:
        ctypes_function.get_last_ffi_error = get_last_ffi_error


def _gpu_error_class(mxnet_error):
    """:class:`GPUMissingError`, made once MXNet's ``MXNetError`` exists (this module never imports MXNet itself)."""
    global GPUMissingError
    if GPUMissingError is None:
        def _render_traceback_(self):  # IPython shows an exception with this method as these lines only
            return [f'{type(self).__name__}: {self}']
        GPUMissingError = type('GPUMissingError', (mxnet_error,), {
            '__module__': __name__, '_render_traceback_': _render_traceback_,
            '__doc__': 'A GPU context was used on a machine where MXNet sees no GPU (an MXNetError).'})
    return GPUMissingError


GPUMissingError = None  # the class, once MXNet is imported (see _gpu_error_class)


def route_downloads():
    """Replace ``mxnet.gluon.utils.download`` and every name in MXNet's loaded modules bound to it with
    :func:`_routed`'s wrapper; returns the wrapper."""
    original = sys.modules['mxnet.gluon.utils'].download
    if getattr(original, '_gluonbook_routed', False):
        return original
    wrapper = _routed(original)
    for name, module in list(sys.modules.items()):
        if (name == 'mxnet' or name.startswith('mxnet.')) and module is not None:
            for attr, value in list(vars(module).items()):
                if value is original:
                    setattr(module, attr, wrapper)
    return wrapper


def _routed(original):
    import functools

    @functools.wraps(original)
    def download(url, path=None, overwrite=False, sha1_hash=None, retries=5, verify_ssl=True):
        router = _router()
        if router is None:
            return original(url, path=path, overwrite=overwrite, sha1_hash=sha1_hash, retries=retries,
                            verify_ssl=verify_ssl)
        return router(original, url, path=path, overwrite=overwrite, sha1_hash=sha1_hash, retries=retries,
                      verify_ssl=verify_ssl)
    download._gluonbook_routed = True
    return download


def _router():
    """The function :data:`ROUTER` names, or ``None`` (no router set, or its module cannot be imported)."""
    import importlib
    if not ROUTER:
        return None
    module_name, _, attr = ROUTER.partition(':')
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        if not (e.name and (module_name + '.').startswith(e.name + '.')):  # an error inside it, not its absence
            _warn(f'MXNet downloads without the data registry: {module_name} could not be imported ({e})')
        return None
    router = getattr(module, attr, None)
    if router is None:
        _warn(f'MXNet downloads without the data registry: {module_name} has no {attr}')
    return router


def restore_save_params():
    """``Block.save_params`` saves what ``save_parameters`` saves, with MXNet's deprecation warning."""
    from mxnet.gluon import Block
    if getattr(Block.save_params, '_gluonbook', False):
        return

    def save_params(self, filename):
        """[Deprecated] Please use save_parameters. Saves what save_parameters saves (as MXNet 1.2.0 did);
        load_params and load_parameters read it."""
        import warnings
        warnings.warn('save_params is deprecated. Please use save_parameters.', stacklevel=2)
        self.save_parameters(filename)
    save_params._gluonbook = True
    Block.save_params = save_params


# ---------------------------------------------------------------------------------------------------------------
# IPython 9


def set_matplotlib_formats(*formats, **kwargs):
    """IPython 7's ``IPython.display.set_matplotlib_formats``, which IPython 9 removed: in an IPython shell, the
    formats of inline figures (``matplotlib_inline``); outside one it does nothing (no figure is shown inline)."""
    ipython = sys.modules.get('IPython')  # an IPython shell has imported it; importing it here costs 0.2 s
    if ipython is None or ipython.get_ipython() is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats as set_formats
    set_formats(*formats, **kwargs)


def patch_ipython_display(display=None):
    """Give ``IPython.display`` (imported if not given) its ``set_matplotlib_formats`` back where it lacks it."""
    if display is None:
        try:
            from IPython import display
        except ImportError:
            return
    if not hasattr(display, 'set_matplotlib_formats'):
        display.set_matplotlib_formats = set_matplotlib_formats
