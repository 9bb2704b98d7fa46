"""python -m gluonbook run (gluonbook/commands/run.py): finding a chapter, a failing cell, what the kernel sees.
(tests/test_chapters.py runs the chapters themselves.)"""
import os
import subprocess
import sys

import nbformat
import pytest

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
