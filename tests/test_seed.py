"""The seed program, `python -m gluonbook train mlp --epochs 10 --seed 1`, gives the same numbers on every stack
(Python 3.10 to 3.13, numpy 1.23 to 2.3): those recorded in tests/data/seed-history.json, on Python 3.11 with
numpy 1.23.5, MXNet's own stack. Same MXNet binary and kernel, same seed: only numpy and Python differ."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

REFERENCE = json.loads((Path(__file__).parent / 'data' / 'seed-history.json').read_text())


@pytest.mark.realdata
@pytest.mark.slow
def test_the_seed_program_gives_the_reference_numbers_on_this_stack(tmp_path):
    done = subprocess.run([sys.executable, '-m', 'gluonbook', 'train', 'mlp', '--epochs', '10', '--seed', '1',
                           '--out', str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    history = json.loads((tmp_path / 'history.json').read_text())  # also: every number in it is JSON
    for key in ('loss', 'train_acc', 'test_acc'):
        assert history[key] == pytest.approx(REFERENCE[key], abs=1e-4), key
    assert history['test_acc'][-1] > 0.86
    assert 'epoch 10, loss 0.3017, train acc 0.889, test acc 0.875' in done.stdout
