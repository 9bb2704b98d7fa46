"""Figure formats for the package's own plots, without loading matplotlib or IPython (gluonbook's import stays fast).

``IPython.display.set_matplotlib_formats``, which the book's own code calls and IPython 9 removed, is put back by
the start-up hook whenever ``IPython.display`` is imported (``gluonbook_compat``), not here."""
import os

import gluonbook_compat


def set_matplotlib_formats(*formats, **kwargs):
    """Choose the formats of inline figures in IPython; does nothing outside an IPython shell.

    ``$GLUONBOOK_FIGURE_FORMATS`` (e.g. ``png``) adds formats: the chapter runner gives it to the notebook's kernel
    to save every figure as PNG as well."""
    extra = [f for f in os.environ.get('GLUONBOOK_FIGURE_FORMATS', '').split(',') if f and f not in formats]
    gluonbook_compat.set_matplotlib_formats(*formats, *extra, **kwargs)


def install_ipython_compat():
    """Give ``IPython.display`` back its ``set_matplotlib_formats`` (the start-up hook already does so whenever
    ``IPython.display`` is imported; this imports it, for a process without the hook)."""
    gluonbook_compat.patch_ipython_display()
