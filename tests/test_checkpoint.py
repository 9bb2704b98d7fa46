"""gluonbook/checkpoint.py: the settings a checkpoint records, and a resume with other settings refused, from the
Python API and from the train command (on the real Fashion-MNIST)."""
import json

import numpy as np
import pytest
from helpers import epoch_lines, tiny_batches
from mxnet import nd
from mxnet.gluon import loss as gloss

import gluonbook as gb
from gluonbook import cli
from gluonbook.checkpoint import Checkpoint, CheckpointError


def sgd_run(checkpoint, epochs, lr=0.5, batch_size=1):
    w = nd.zeros((3, 3))
    w.attach_grad()
    history = gb.train_ch3(lambda X: nd.dot(X, w), tiny_batches(), tiny_batches(), gloss.SoftmaxCrossEntropyLoss(),
                           epochs, batch_size, [w], lr, checkpoint=checkpoint, progress=False, plot=False)
    return history, w


def settings_of(path):
    with np.load(path) as saved:
        return json.loads(str(saved['meta']))['settings']


@pytest.mark.parametrize('change, name, saved, mine', [
    ({'lr': 0.1}, 'lr', '0.5', '0.1'),
    ({'batch_size': 2}, 'batch_size', '1', '2'),
])
def test_resuming_with_another_learning_rate_or_batch_size_is_refused_naming_it(tmp_path, capsys, change, name,
                                                                               saved, mine):
    path = tmp_path / 'c.ckpt'
    sgd_run(path, 1)
    assert settings_of(path) == {'lr': 0.5, 'batch_size': 1}
    before = path.read_bytes()
    capsys.readouterr()
    with pytest.raises(CheckpointError) as caught:
        sgd_run(path, 2, **change)
    message = str(caught.value)  # the setting, both values, the fix
    for fact in (str(path), f'{name} {saved}', f'this run has {name} {mine}', f'resume with {name} {saved}',
                 'another checkpoint path'):
        assert fact in message
    assert '\n' not in message and path.read_bytes() == before and capsys.readouterr().out == ''


def test_settings_of_ones_own_are_recorded_and_compared(tmp_path, capsys):
    path = tmp_path / 'c.ckpt'
    sgd_run(Checkpoint(path, settings={'dropout': 0.2, 'layers': (256, 128)}), 1)
    assert settings_of(path) == {'dropout': 0.2, 'layers': [256, 128], 'lr': 0.5, 'batch_size': 1}
    capsys.readouterr()
    history, _ = sgd_run(Checkpoint(path, settings={'dropout': 0.2, 'layers': [256, 128]}), 2)  # same: resumes
    assert len(history) == 2 and [line.epoch for line in epoch_lines(capsys.readouterr().out)] == [2]
    with pytest.raises(CheckpointError, match='saved by a run with layers 256,128, but this run has layers 256'):
        sgd_run(Checkpoint(path, settings={'layers': [256]}), 3)


def test_a_default_is_taken_from_the_checkpoint_it_resumes(tmp_path, capsys):
    path = tmp_path / 'c.ckpt'
    sgd_run(Checkpoint(path, defaults={'seed': 7}), 1)
    assert settings_of(path)['seed'] == 7
    resumed = Checkpoint(path, defaults={'seed': 8})  # another seed drawn, never compared: the file's is kept
    sgd_run(resumed, 2)
    assert resumed.settings['seed'] == 7 and settings_of(path)['seed'] == 7


# ---------------------------------------------------------------------------------------------------------------
# The train command

def train(*argv):
    return cli.main(['train', *map(str, argv)])


@pytest.mark.slow
@pytest.mark.realdata
def test_the_train_command_refuses_to_resume_with_other_settings_in_one_line(real_data, tmp_path, capsys):
    path = tmp_path / 'mlp.ckpt'
    assert train('mlp', '--epochs', 1, '--seed', 1, '--checkpoint', path) == 0
    before = path.read_bytes()
    capsys.readouterr()
    for option, value, shown in (('--seed', 2, 'this run has seed 2'), ('--lr', 0.1, 'this run has lr 0.1'),
                                 ('--batch-size', 128, 'this run has batch_size 128'),
                                 ('--hiddens', '128', 'this model has 4 parameters of shapes (784, 128)')):
        assert train('mlp', '--epochs', 2, '--seed', 1, '--checkpoint', path, option, value) == 2, option
        err = capsys.readouterr().err
        assert err.count('\n') == 1 and err.startswith('error: ') and shown in err, err
    assert path.read_bytes() == before


@pytest.mark.slow
@pytest.mark.realdata
def test_a_run_without_seed_resumes_and_records_the_seed_it_started_from(real_data, tmp_path, capsys):
    path = tmp_path / 'mlp.ckpt'
    assert train('mlp', '--epochs', 1, '--seed', 5, '--checkpoint', path) == 0
    assert train('mlp', '--epochs', 2, '--checkpoint', path, '--out', tmp_path / 'out') == 0
    assert [line.epoch for line in epoch_lines(capsys.readouterr().out)] == [1, 2]
    history = json.loads((tmp_path / 'out' / 'history.json').read_text())
    assert history['seed'] == 5 and len(history['loss']) == 2
