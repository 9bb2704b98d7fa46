"""gluonbook/cli.py: the help lists every command, and only the command asked for is imported."""
import ast
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
    """The gluonbook.commands modules loaded by ``gluonbook ARGV`` (run in a fresh process), and its exit code."""
    code = (f'import sys\nfrom gluonbook import cli\ntry:\n    code = cli.main({argv!r})\nexcept SystemExit as e:\n'
            f'    code = e.code\nprint(code, sorted(m for m in sys.modules if m.startswith("gluonbook.commands.")))')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout
    return out.splitlines()[-1]


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
    (['search', '--jobs', '0'], "2 ['gluonbook.commands.args', 'gluonbook.commands.search']"),
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


@pytest.mark.parametrize('name', ['launch', 'search', 'args'])
def test_commands_that_need_no_mxnet_do_not_import_it(name):
    assert not {m for m in imports_of(PACKAGE / 'commands' / f'{name}.py') if m.split('.')[0] == 'mxnet'}


def test_version_prints_the_packages_version():
    run = subprocess.run([sys.executable, '-m', 'gluonbook', '--version'], capture_output=True, text=True)
    assert (run.returncode, run.stdout, run.stderr) == (0, f'gluonbook {gluonbook.__version__}\n', '')


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
    """As in ``gluonbook data | head -1``: the reader has gone before the command writes."""
    process = subprocess.Popen([sys.executable, '-m', 'gluonbook', 'data'], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait() == 141 and 'Traceback' not in err and 'BrokenPipeError' not in err, err
