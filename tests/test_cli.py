"""gluonbook/cli.py: the help lists every command, and only the command asked for is imported."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

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
