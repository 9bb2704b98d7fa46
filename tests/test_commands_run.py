"""python -m gluonbook run (gluonbook/commands/run.py): finding a chapter, a failing cell, what the kernel sees.
(tests/test_chapters.py runs the chapters themselves.)"""
import base64
import os
import signal
import subprocess
import sys

import nbformat
import pytest
from helpers import alive, interrupt_at

from gluonbook import cli
from gluonbook.commands import run


def tiny_notebook(path, *sources):
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources]), path)
    return path


def test_a_failing_cell_is_named_with_its_error(tmp_path):
    path = tiny_notebook(tmp_path / 'broken.ipynb', 'print("first")', 'x = 1\n1 / 0', 'print("never")')
    run = subprocess.run([sys.executable, '-m', 'gluonbook', 'run', str(path), '--out', str(tmp_path / 'out')],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "cell 1 ('x = 1') failed: ZeroDivisionError: division by zero" in run.stderr
    assert run.stdout.startswith('first')  # printed as it ran
    executed = nbformat.read(tmp_path / 'out' / 'broken.ipynb', as_version=4)
    assert executed.cells[0].outputs[0]['text'] == 'first\n' and executed.cells[2].outputs == []


def sleeping_notebook(tmp_path):
    """A notebook whose second cell sleeps for ten minutes; its first cell writes the kernel's pid to a file."""
    return tiny_notebook(tmp_path / 'slow.ipynb',
                         f'import os\nopen({str(tmp_path / "kernel.pid")!r}, "w").write(str(os.getpid()))\n'
                         f'print("first")',
                         'import time\nprint("sleeping", flush=True)\ntime.sleep(600)',
                         'print("never")')


@pytest.mark.parametrize('sig', [signal.SIGINT, signal.SIGTERM], ids=['ctrl-c', 'sigterm'])
def test_a_signal_stops_the_kernel_keeps_the_executed_part_and_exits_130(sig, tmp_path):
    path, out = sleeping_notebook(tmp_path), tmp_path / 'out'
    process = subprocess.Popen([sys.executable, '-m', 'gluonbook', 'run', str(path), '--out', str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert interrupt_at(process, 'sleeping', sig=sig) == 130
    err = process.stderr.read()
    assert len(err.splitlines()) == 1 and 'Traceback' not in err and 'ZMQ' not in err, err
    assert f'interrupted ({sig.name})' in err and "cell 1 ('import time')" in err and str(out / 'slow.ipynb') in err
    executed = nbformat.read(out / 'slow.ipynb', as_version=4)
    assert [o.get('text') for cell in executed.cells for o in cell.outputs] == ['first\n', 'sleeping\n']
    assert not alive(int((tmp_path / 'kernel.pid').read_text()))


@pytest.mark.slow
def test_a_cell_that_times_out_is_one_line_and_its_kernel_is_stopped(tmp_path):
    path, out = sleeping_notebook(tmp_path), tmp_path / 'out'
    run = subprocess.run([sys.executable, '-m', 'gluonbook', 'run', str(path), '--out', str(out), '--timeout', '3'],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and run.stdout == 'first\nsleeping\n'
    assert len(run.stderr.splitlines()) == 1 and 'Traceback' not in run.stderr, run.stderr
    assert "cell 1 ('import time') did not finish within 3 seconds" in run.stderr and '--timeout' in run.stderr
    assert str(out / 'slow.ipynb') in run.stderr
    assert not alive(int((tmp_path / 'kernel.pid').read_text()))


def test_a_kernel_that_dies_is_one_line(tmp_path):
    path = tiny_notebook(tmp_path / 'dies.ipynb', 'print("first")',
                         'import os, sys\nprint("last words", file=sys.__stderr__, flush=True)\nos._exit(1)')
    run = subprocess.run([sys.executable, '-m', 'gluonbook', 'run', str(path), '--out', str(tmp_path / 'out')],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and len(run.stderr.splitlines()) == 1 and 'Traceback' not in run.stderr, run.stderr
    assert "the kernel died in cell 1 ('import os, sys') (last words)" in run.stderr
    assert nbformat.read(tmp_path / 'out' / 'dies.ipynb', as_version=4).cells[0].outputs[0]['text'] == 'first\n'


def test_an_empty_out_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tiny_notebook(tmp_path / 'mine.ipynb', 'open("ran", "w").write("yes")')
    assert cli.main(['run', path, '--out', '']) == 2
    assert capsys.readouterr().err == 'error: --out is empty; give the path of a folder (it is created if missing)\n'
    assert [p.name for p in tmp_path.iterdir()] == ['mine.ipynb']


def test_an_unknown_chapter_lists_the_chapters():
    run = subprocess.run([sys.executable, '-m', 'gluonbook', 'run', 'no-such-chapter'], capture_output=True, text=True)
    assert run.returncode == 2
    assert 'no chapter' in run.stderr and 'mlp-scratch' in run.stderr


def test_a_name_is_a_chapter_or_a_notebook_path(tmp_path):
    assert run.find('mlp-scratch') == run.CHAPTERS / 'mlp-scratch.ipynb'
    path = tiny_notebook(tmp_path / 'mine.ipynb', 'print(1)')
    assert run.find(str(path)) == path
    with pytest.raises(FileNotFoundError, match='no chapter .* the chapters are: fashion-mnist, '):
        run.find('nope')


def test_the_kernel_saves_figures_as_png_and_the_callers_environment_is_left_alone(tmp_path, monkeypatch):
    monkeypatch.delenv('GLUONBOOK_FIGURE_FORMATS', raising=False)
    path = tiny_notebook(tmp_path / 'env.ipynb', 'import os\nprint(os.environ.get("GLUONBOOK_FIGURE_FORMATS"))')
    nb, _ = run.run(path, tmp_path / 'out', echo=False)
    assert nb.cells[0].outputs[0]['text'] == 'png\n'
    assert 'GLUONBOOK_FIGURE_FORMATS' not in os.environ


def test_a_missing_notebook_file_is_named_as_a_file(tmp_path):
    run = subprocess.run([sys.executable, '-m', 'gluonbook', 'run', str(tmp_path / 'nope.ipynb'),
                          '--out', str(tmp_path / 'out')], capture_output=True, text=True)
    assert run.returncode == 2 and run.stdout == ''
    assert run.stderr.startswith(f'error: no notebook file {tmp_path / "nope.ipynb"}; give the path of an .ipynb '
                                 f'file or a chapter: fashion-mnist, ')
    assert len(run.stderr.splitlines()) == 1 and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize('content, message', [
    ('print("hello")\n', 'is not a Jupyter notebook: it is not JSON'),
    ('[1, 2]', 'is JSON but not a Jupyter notebook (it has no "cells" and "nbformat")'),
    ('{}', 'is JSON but not a Jupyter notebook'),
    ('{"cells": 3, "nbformat": 4, "nbformat_minor": 5, "metadata": {}}', 'is not a valid Jupyter notebook: '),
    (b'\xff\xfe\x00', 'cannot read {path} as a notebook: '),
    (None, 'cannot read {path} as a notebook: [Errno 21] Is a directory'),
], ids=['python', 'json list', 'empty object', 'bad cells', 'binary', 'folder'])
def test_a_file_that_is_not_a_notebook_is_one_error_line(content, message, tmp_path, capsys):
    path = tmp_path / 'bad.ipynb'
    if content is None:
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    assert cli.main(['run', path, '--out', tmp_path / 'out']) == 2
    out, err = capsys.readouterr()
    assert err.startswith('error: ') and len(err.splitlines()) == 1 and out == '', err
    assert message.format(path=path) in err
    assert not (tmp_path / 'out').exists()


def test_an_out_that_is_a_file_is_refused_before_the_notebook_runs(tmp_path, capsys):
    path = tiny_notebook(tmp_path / 'mine.ipynb', 'open("ran", "w").write("yes")')
    (tmp_path / 'taken').write_text('a file')
    assert cli.main(['run', path, '--out', tmp_path / 'taken']) == 2
    assert capsys.readouterr().err.startswith(f'error: --out {tmp_path / "taken"} is a file, not a folder')
    assert sorted(p.name for p in tmp_path.iterdir()) == ['mine.ipynb', 'taken']


def png_output():
    pixel = base64.b64encode(b'\x89PNG\r\n\x1a\n' + b'\0' * 8).decode()
    return nbformat.v4.new_output('display_data', data={'image/png': pixel, 'text/plain': '<Figure>'})


def test_figures_are_named_by_cell_number_and_section(tmp_path):
    cells = [nbformat.v4.new_code_cell('import gluonbook', outputs=[png_output()]),
             nbformat.v4.new_markdown_cell('# The chapter\n\n## 1. The number of hidden units (a long title, cut)'),
             nbformat.v4.new_code_cell('plot()', outputs=[png_output(), png_output()]),
             nbformat.v4.new_markdown_cell('Prose only: the section goes on.'),
             nbformat.v4.new_code_cell('plot()', outputs=[png_output()])]
    paths = run.save_figures(nbformat.v4.new_notebook(cells=cells), tmp_path)
    assert [p.name for p in paths] == ['fig-00-1.png', 'fig-02-1-1-the-number-of-hidden-units-a-long.png',
                                       'fig-02-2-1-the-number-of-hidden-units-a-long.png',
                                       'fig-04-1-1-the-number-of-hidden-units-a-long.png']
    assert all(p.read_bytes().startswith(b'\x89PNG') for p in paths)
