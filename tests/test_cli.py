"""gluonbook/cli.py: the help lists every command, and only the command asked for is imported."""
import ast
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

import gluonbook
from gluonbook import cli

PACKAGE = Path(cli.__file__).parent
COMMAND_MODULES = {f'gluonbook.commands.{name}' for name in cli.COMMANDS}


def imported(argv):
    """The command modules loaded by ``gluonbook ARGV`` (run in a fresh process), and its exit code."""
    code = (f'import sys\nfrom gluonbook import cli\ntry:\n    code = cli.main({argv!r})\nexcept SystemExit as e:\n'
            f'    code = e.code\nprint(code, sorted(m for m in sys.modules if m in {sorted(COMMAND_MODULES)!r}))')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout
    return out.splitlines()[-1]


def without_mxnet(*argv, code=None):
    """``python -m gluonbook ARGV`` (or the Python ``code``) in a process where MXNet cannot be imported."""
    block = 'import sys\nsys.modules["mxnet"] = None  # import mxnet now fails, as where it is not installed\n'
    run = code or (f'import runpy\nsys.argv = ["gluonbook", *{list(argv)!r}]\n'
                   f'runpy.run_module("gluonbook", run_name="__main__")')
    return subprocess.run([sys.executable, '-c', block + run], capture_output=True, text=True)


@pytest.mark.parametrize('name', cli.COMMANDS)
def test_each_summary_is_the_first_line_of_its_modules_docstring(name):
    assert cli.command_module(name).__doc__.splitlines()[0] == cli.COMMANDS[name]


def test_the_help_lists_every_command_without_importing_them(capsys):
    with pytest.raises(SystemExit) as exit:
        cli.main(['--help'])
    assert exit.value.code == 0
    out = capsys.readouterr().out
    assert all(f'    {name} ' in out for name in cli.COMMANDS)
    assert imported(['--help']) == '0 []'


@pytest.mark.parametrize('argv, loaded', [
    (['launch'], "2 ['gluonbook.commands.launch']"),  # launch without a command: exit 2
    (['search', '--jobs', '0'], "2 ['gluonbook.commands.search']"),
    (['nosuch'], '2 []'),
])
def test_only_the_command_asked_for_is_imported(argv, loaded):
    assert imported(argv) == loaded


def imports_of(path):
    """The absolute names of the modules a file of the package imports."""
    package = '.'.join(('gluonbook', *path.relative_to(PACKAGE).parent.parts))
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit('.', node.level - 1)[0] if node.level else ''
            module = '.'.join(filter(None, (base, node.module)))
            names |= {module} | {f'{module}.{alias.name}' for alias in node.names}
    return names


@pytest.mark.parametrize('path', sorted(p for p in PACKAGE.rglob('*.py') if p.name != 'cli.py'),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_but_cli_imports_a_command_module(path):
    assert not imports_of(path) & COMMAND_MODULES


@pytest.mark.parametrize('name', ['launch', 'search', 'args', 'processes'])
def test_commands_that_need_no_mxnet_do_not_import_it(name):
    assert not {m for m in imports_of(PACKAGE / 'commands' / f'{name}.py') if m.split('.')[0] == 'mxnet'}


def test_version_prints_the_packages_version():
    run = subprocess.run([sys.executable, '-m', 'gluonbook', '--version'], capture_output=True, text=True)
    assert (run.returncode, run.stdout, run.stderr) == (0, f'gluonbook {gluonbook.__version__}\n', '')


def test_version_and_help_work_without_mxnet():
    version = without_mxnet('--version')
    assert (version.returncode, version.stdout, version.stderr) == (0, f'gluonbook {gluonbook.__version__}\n', '')
    helps = without_mxnet('--help')
    assert helps.returncode == 0 and all(f'    {name} ' in helps.stdout for name in cli.COMMANDS), helps.stderr
    assert without_mxnet('search', '--help').returncode == 0


def test_a_command_that_needs_mxnet_says_how_to_install_it_in_one_line():
    run = without_mxnet('train', 'mlp')
    assert run.returncode == 1 and run.stdout == ''
    assert run.stderr.startswith('error: gluonbook needs MXNet 1.9.1') and len(run.stderr.splitlines()) == 1
    assert 'pip install --no-deps mxnet==1.9.1' in run.stderr


def test_importing_gluonbook_loads_neither_mxnet_nor_ipython_nor_matplotlib():
    code = ('import sys, gluonbook\n'
            'print(sorted(m for m in ("mxnet", "IPython", "matplotlib", "numpy") if m in sys.modules))')
    assert subprocess.run([sys.executable, '-c', code], capture_output=True, text=True).stdout == '[]\n'


def test_a_helper_used_without_mxnet_raises_one_import_error_with_the_advice():
    run = without_mxnet(code='import gluonbook as gb\ngb.train_ch3')
    assert run.returncode == 1
    assert run.stderr.count('Traceback') == 1 and 'During handling' not in run.stderr, run.stderr
    assert 'the above exception' not in run.stderr.lower()
    last = run.stderr.splitlines()[-1]
    assert last.startswith('ImportError: gluonbook needs MXNet 1.9.1') and 'pip install --no-deps mxnet==1.9.1' in last


def test_every_book_name_resolves_is_listed_and_is_kept():
    """Each name of the table comes from its module on first use, then is an attribute like any other."""
    for name in gluonbook.__all__:
        value = getattr(gluonbook, name)
        assert getattr(importlib.import_module(f'gluonbook.{gluonbook.NAMES[name]}'), name) is value
        assert gluonbook.__dict__[name] is value
    assert set(gluonbook.__all__) <= set(dir(gluonbook)) and 'bookdata' in dir(gluonbook)
    star = {}
    exec('from gluonbook import *', star)
    assert set(gluonbook.__all__) <= set(star) and star['train_ch3'] is gluonbook.train_ch3
    assert gluonbook.bookdata is importlib.import_module('gluonbook.bookdata')
    with pytest.raises(AttributeError, match="has no attribute 'nosuch'"):
        gluonbook.nosuch  # noqa: B018


@pytest.mark.parametrize('argv', [[], *([name] for name in cli.COMMANDS)], ids=lambda argv: ' '.join(argv) or 'top')
def test_each_help_is_plain_text_laid_out_as_written(argv, capsys):
    with pytest.raises(SystemExit) as exit:
        cli.main([*argv, '--help'])
    assert exit.value.code == 0
    out = capsys.readouterr().out
    assert not re.search(r'`|:(func|class|meth):|\.\. ', out), out  # no Markdown or reStructuredText markup
    if argv:
        # the docstring's own lines, not rewrapped: its first example or paragraph line appears as written
        doc = cli.command_module(argv[0]).__doc__.splitlines()
        assert all(line in out.splitlines() for line in doc[2:5] if line), out
    else:
        assert out.splitlines()[2] == 'The command line: python -m gluonbook COMMAND (also installed as gluonbook).'
        assert '3 the model\ndiverged (train)' in out or '3 the model diverged (train)' in out


def test_output_to_a_closed_pipe_ends_quietly():
    """The reader has gone before the command writes: it stops quietly, exit code 0."""
    process = subprocess.Popen([sys.executable, '-m', 'gluonbook', 'data'], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait() == 0 and 'Traceback' not in err and 'BrokenPipeError' not in err, err


def test_data_piped_into_head_exits_0_every_time():
    """``gluonbook data | head -1``: whether head leaves before or after the last line is written, the same exit
    code (with pipefail, the pipeline's is the command's)."""
    command = f'set -o pipefail; {sys.executable} -m gluonbook data | head -1'
    for _ in range(3):
        run = subprocess.run(['bash', '-c', command], capture_output=True, text=True)
        assert run.returncode == 0 and len(run.stdout.splitlines()) == 1 and 'Traceback' not in run.stderr, run
