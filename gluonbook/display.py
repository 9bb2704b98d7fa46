"""Display set-up for Jupyter on IPython 9, without loading matplotlib (gluonbook's import stays fast)."""
import os


def set_matplotlib_formats(*formats, **kwargs):
    """Choose the formats of inline figures in IPython; does nothing outside an IPython shell.

    IPython 9 removed ``IPython.display.set_matplotlib_formats``; this is its replacement (it delegates to
    ``matplotlib_inline``). ``$GLUONBOOK_FIGURE_FORMATS`` (e.g. ``png``) adds formats, which the chapter
    runner uses to save every figure as PNG as well."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    if get_ipython() is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats as _set
    extra = [f for f in os.environ.get('GLUONBOOK_FIGURE_FORMATS', '').split(',') if f and f not in formats]
    _set(*formats, *extra, **kwargs)


def install_ipython_compat():
    """Give ``IPython.display`` back its ``set_matplotlib_formats``, so chapter code written for IPython 7
    (``display.set_matplotlib_formats('svg')``) runs unchanged once gluonbook is imported."""
    try:
        from IPython import display
    except ImportError:
        return
    if not hasattr(display, 'set_matplotlib_formats'):
        display.set_matplotlib_formats = set_matplotlib_formats
