"""IPython 9's missing ``IPython.display.set_matplotlib_formats``, put back by the start-up hook for the book's own code
(without ``import gluonbook``); gluonbook/display.py's formats for the package's plots; nothing done outside an
IPython shell, the real formatters set inside one. Each in a fresh interpreter of this environment."""
import json
import os
import subprocess
import sys
import textwrap

import gluonbook_compat


def python(code, **env):
    environ = {k: v for k, v in os.environ.items() if k not in ('GLUONBOOK_COMPAT', 'GLUONBOOK_FIGURE_FORMATS')}
    done = subprocess.run([sys.executable, '-c', textwrap.dedent(code)], env={**environ, **env}, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def test_the_books_own_call_works_without_gluonbook_and_does_nothing_outside_a_shell():
    seen = python('''
        import json, sys
        from IPython import display
        display.set_matplotlib_formats('svg')  # the book's use_svg_display, before or without import gluonbook
        import matplotlib.pyplot as plt
        print(json.dumps(['gluonbook' in sys.modules, plt.get_backend().lower()]))
    ''', MPLBACKEND='Agg')
    assert seen == [False, 'agg']


FORMATTERS = '''
    import json, matplotlib
    from IPython.testing.globalipapp import start_ipython
    from matplotlib.figure import Figure
    shell = start_ipython()
    {call}
    formats = [mime for mime, formatter in shell.display_formatter.formatters.items()
               if Figure in formatter.type_printers]
    print(json.dumps(sorted(formats)))
'''


def test_in_an_ipython_shell_the_books_call_sets_the_inline_figure_formats():
    call = "from IPython import display; display.set_matplotlib_formats('svg')"
    assert python(FORMATTERS.format(call=call)) == ['image/svg+xml']


def test_the_packages_plots_add_the_chapter_runners_formats():
    call = "import gluonbook as gb; gb.use_svg_display()"
    assert python(FORMATTERS.format(call=call)) == ['image/svg+xml']
    assert python(FORMATTERS.format(call=call), GLUONBOOK_FIGURE_FORMATS='png') == ['image/png', 'image/svg+xml']


def test_install_ipython_compat_still_puts_it_back_where_the_hook_is_off():
    seen = python('''
        import json
        from IPython import display
        before = hasattr(display, 'set_matplotlib_formats')
        from gluonbook.display import install_ipython_compat
        install_ipython_compat()
        print(json.dumps([before, display.set_matplotlib_formats.__module__]))
    ''', GLUONBOOK_COMPAT='0')
    assert seen == [False, gluonbook_compat.__name__]
