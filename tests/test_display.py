"""gluonbook/display.py: figure formats in Jupyter on IPython 9, and nothing done outside an IPython shell."""
import subprocess
import sys

from IPython import display as ipython_display

import gluonbook as gb
from gluonbook import display


def test_importing_gluonbook_gives_ipython_back_set_matplotlib_formats():
    assert ipython_display.set_matplotlib_formats is display.set_matplotlib_formats


def test_outside_an_ipython_shell_setting_formats_does_nothing(monkeypatch):
    calls = []
    monkeypatch.setattr('matplotlib_inline.backend_inline.set_matplotlib_formats', lambda *a, **k: calls.append(a))
    ipython_display.set_matplotlib_formats('svg')  # the book's own use_svg_display, on IPython 9
    gb.use_svg_display()
    assert calls == []


def test_in_an_ipython_shell_the_formats_reach_matplotlib_inline_with_the_runners_extra_ones():
    code = '''
import os, matplotlib_inline.backend_inline as inline
from IPython.testing.globalipapp import start_ipython
start_ipython()
calls = []
inline.set_matplotlib_formats = lambda *formats, **kwargs: calls.append(formats)
from gluonbook import display
display.set_matplotlib_formats('svg')
os.environ['GLUONBOOK_FIGURE_FORMATS'] = 'png'
display.set_matplotlib_formats('svg')
print(calls)
'''
    run = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert run.stdout.strip().splitlines()[-1] == "[('svg',), ('svg', 'png')]", run.stderr[-2000:]
