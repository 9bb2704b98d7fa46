"""The chapters in chapters/, executed on the real Fashion-MNIST by gluonbook's runner, and what they produced."""
import re

import nbformat
import pytest
from helpers import epoch_lines

from gluonbook.commands import run as chapters

EXECUTED = {}


@pytest.fixture
def executed(real_data, tmp_path_factory):
    """Run a chapter once per test session; returns (notebook, figure paths, everything it printed)."""
    def run(name):
        if name not in EXECUTED:
            nb, figures = chapters.run(chapters.find(name), tmp_path_factory.mktemp(name), echo=False)
            text = ''.join(o.get('text', '') for c in nb.cells for o in c.get('outputs', [])
                           if o.get('output_type') == 'stream')
            EXECUTED[name] = nb, figures, text
        return EXECUTED[name]
    return run


def test_the_chapters_are_all_there():
    assert chapters.available() == ['fashion-mnist', 'mlp-exercises', 'mlp-gluon', 'mlp-scratch',
                                    'softmax-regression-scratch']


@pytest.mark.parametrize('name', chapters.available())
def test_notebooks_are_stored_with_outputs_cleared(name):
    nb = nbformat.read(chapters.find(name), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == 'code':
            assert cell.outputs == [] and cell.execution_count is None


def final_test_accuracy(text):
    return epoch_lines(text)[-1].test_acc


def assert_png(path):
    data = path.read_bytes()
    assert data.startswith(b'\x89PNG\r\n\x1a\n') and len(data) > 5000


@pytest.mark.slow
@pytest.mark.realdata
@pytest.mark.parametrize('name', chapters.available())
def test_every_chapter_runs_without_errors(executed, name):
    nb, figures, _ = executed(name)
    errors = [o for c in nb.cells for o in c.get('outputs', []) if o.get('output_type') == 'error']
    assert errors == []
    for path in figures:
        assert_png(path)
    drawn = [o['data'] for c in nb.cells for o in c.get('outputs', []) if 'image/png' in o.get('data', {})]
    assert all('image/svg+xml' in d for d in drawn)  # every figure is SVG in the notebook (PNG for the files)


@pytest.mark.slow
@pytest.mark.realdata
def test_the_mlp_beats_softmax_regression_and_reaches_the_books_accuracy(executed):
    _, figures, text = executed('mlp-scratch')
    lines = epoch_lines(text)
    assert [line.epoch for line in lines] == list(range(1, 11)) * 2  # the baseline's epochs, then the MLP's
    mlp, linear = re.search(r'test accuracy after 10 epochs: MLP ([\d.]+), softmax regression ([\d.]+)', text).groups()
    assert lines[-1].test_acc == float(mlp) >= 0.85 and lines[9].test_acc == float(linear)
    assert float(mlp) > float(linear) >= 0.80
    assert len(figures) >= 2  # training curves, and the row of predictions


@pytest.mark.slow
@pytest.mark.realdata
def test_softmax_regression_from_scratch(executed):
    _, _, text = executed('softmax-regression-scratch')
    assert 0.80 <= final_test_accuracy(text) < 0.87
    assert re.search(r'softmax regression: test accuracy 0\.8\d\d after 10 epochs', text)


@pytest.mark.slow
@pytest.mark.realdata
def test_the_gluon_mlp(executed):
    _, _, text = executed('mlp-gluon')
    assert final_test_accuracy(text) >= 0.85


@pytest.mark.slow
@pytest.mark.realdata
def test_the_data_chapter_drew_its_grid_and_timed_an_epoch(executed):
    nb, figures, text = executed('fashion-mnist')
    assert len(figures) == 2  # the 2x9 grid and the book's row
    assert 'batches per epoch: 235 training, 40 test' in text
    assert re.search(r'one epoch of batches: \d+\.\d\d sec', text)
    assert '9 ankle boot' in text and ': verified, from ' in text
    assert 'image: (28, 28, 1) uint8\nlabel: 9 int32\n' in text  # what the prose after the cell says
    assert 'X: (256, 1, 28, 28) float32  y: (256,) float32\n' in text
    shown = text + ''.join(o.get('data', {}).get('text/plain', '') for c in nb.cells for o in c.get('outputs', []))
    assert "<class '" not in shown and 'dtype(' not in shown  # no raw reprs the prose does not explain


@pytest.mark.slow
@pytest.mark.realdata
def test_the_exercises_produced_their_tables(executed):
    nb, figures, text = executed('mlp-exercises')
    tables = [o['data']['text/markdown'] for c in nb.cells for o in c.get('outputs', [])
              if 'text/markdown' in o.get('data', {})]
    assert [t.splitlines()[0].split('|')[1].strip() for t in tables] == [
        'hidden units', 'hidden layers', 'learning rate', 'rank']
    assert [len(t.splitlines()) - 2 for t in tables] == [4, 4, 5, 6]  # rows measured
    best = float(re.search(r'best test accuracy ([\d.]+)', text).group(1))
    ranked = [float(row.split('|')[2]) for row in tables[3].splitlines()[2:]]
    assert best == ranked[0] == max(ranked) >= 0.85
    assert [f.name for f in figures] == ['fig-04-1-1-the-number-of-hidden-units.png',
                                         'fig-09-1-3-the-learning-rate.png']
    # each training run reports itself as it ends, inside the long cells: one line per row of the tables
    runs = re.findall(r'^hidden layers [\d-]+, (?:normal|xavier) initial weights, lr [\d.]+, \d+ epochs: '
                      r'(?:test acc \d\.\d{3} \(\d+ sec\)|diverged)$', text, re.M)
    assert len(runs) == 4 + 4 + 5 + 6
    # what the prose says of them
    rows = [row.split('|')[1:-1] for row in tables[2].splitlines()[2:]]  # learning rate, train loss, test acc
    acc = {float(lr): float(a) for lr, _, a in rows}
    assert acc[0.01] < acc[0.1] < acc[0.5] and acc[2.0] == acc[10.0] == 0.1
    assert all(abs(float(loss) - 2.30) < 0.1 for lr, loss, _ in rows if float(lr) >= 2)
    rates = nb.cells[8]  # the learning-rate cell: one warning each for lr 2 and 10, about the accuracy at chance
    warned = ''.join(o.get('text', '') for o in rates.outputs if o.get('name') == 'stderr')
    assert len(re.findall(r'after epoch 2 the accuracy is at chance', warned)) == 2
    assert 'diverging' not in warned
    layers = [row.split('|')[1:-1] for row in tables[1].splitlines()[2:]]  # layers, weights, train loss, test acc
    assert float(layers[1][2]) > 1 and float(layers[1][3]) < float(layers[0][3])  # 256-256, normal(0.01): behind
    ranked = [row.split('|')[1:-1] for row in tables[3].splitlines()[2:]]  # rank, test acc, lr, epochs, layers, units
    epochs = [int(row[3]) for row in ranked]
    assert epochs[0] == 10 and epochs[1:3] == [5, 5]
