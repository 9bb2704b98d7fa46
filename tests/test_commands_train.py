"""python -m gluonbook train (gluonbook/commands/train.py): arguments and exit codes, and real runs on Fashion-MNIST."""
import argparse
import json
import os
import subprocess
import sys

import mxnet as mx
import pytest
from helpers import epoch_lines, interrupt_at
from mxnet import nd

import gluonbook as gb
from gluonbook import cli, data, models
from gluonbook.commands import args
from gluonbook.commands import train as train_command


def train(*argv):
    return cli.main(['train', *map(str, argv)])


@pytest.mark.parametrize('argv, message', [
    (['nosuch'], "invalid choice: 'nosuch'"),
    (['mlp', '--lr', '-1'], "expected a positive float, got '-1'"),
    (['mlp', '--lr', 'nan'], "expected a positive float, got 'nan'"),
    (['mlp', '--epochs', '0'], "expected a positive int, got '0'"),
    (['mlp', '--hiddens', '256,x'], "got '256,x'"),
    (['mlp-gluon', '--kvstore', 'bogus'], "invalid choice: 'bogus'"),
])
def test_malformed_arguments_exit_2(argv, message, capsys):
    with pytest.raises(SystemExit) as exit:
        train(*argv)
    assert exit.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize('argv, message', [
    (['mlp', '--ctx', 'cpu:0,1'], 'use mlp-gluon for several devices'),
    (['mlp', '--kvstore', 'device'], 'use mlp-gluon for several devices or a kvstore'),
    (['mlp-gluon', '--ctx', 'tpu'], "unknown context 'tpu'"),
    (['mlp-gluon', '--ctx', 'gpu:0'], 'this machine has 0 GPU(s)'),
    (['softmax', '--hiddens', '256'], 'softmax regression has no hidden layers'),
    (['mlp-gluon', '--kvstore', 'dist_sync'], 'python -m gluonbook launch -n 2 -s 1 --'),
])
def test_impossible_combinations_exit_2_saying_what_to_do(argv, message, capsys, monkeypatch):
    if argv[-1] == 'gpu:0' and mx.context.num_gpus():
        pytest.skip('this machine has a GPU')
    monkeypatch.delenv('DMLC_ROLE', raising=False)
    assert train(*argv) == 2
    assert message in capsys.readouterr().err


def refuse_to_load_data(monkeypatch):
    """Loading the data fails the test: what is refused must be refused before any data is read."""
    def load_arrays(train=True, root=None):
        raise AssertionError('the data was loaded before the arguments were checked')
    monkeypatch.setattr(data, 'load_arrays', load_arrays)


@pytest.mark.parametrize('argv, message', [
    (['mlp', '--batch-size', '60001'],
     'error: --batch-size 60001 is larger than the training set (60000 images); use at most 60000'),
    (['mlp', '--batch-size', '1000000000'], 'error: --batch-size 1000000000 is larger than the training set'),
    (['mlp-gluon', '--ctx', 'cpu:0,0'], "error: context 'cpu:0,0' names a device twice; name each device once, "
                                        "e.g. cpu:0,1"),
    (['mlp', '--out', '{file}'], 'error: --out {file} is a file, not a folder; give the path of a folder'),
    (['mlp', '--out', '{file}/sub'], 'error: --out {file}/sub: {file} is a file, so no folder can be made in it'),
    (['mlp', '--out', '/proc/sys/gluonbook'],  # a folder nobody may write in, root included
     'error: --out /proc/sys/gluonbook: the folder /proc/sys cannot be written; give a folder where you can write'),
    (['mlp', '--checkpoint', '{tmp}'], 'error: --checkpoint {tmp} is a folder; give the path of a file, '
                                       'e.g. {tmp}/model.ckpt'),
    (['mlp', '--checkpoint', '{tmp}/no/such/mlp.ckpt'],
     'error: --checkpoint {tmp}/no/such/mlp.ckpt: the folder {tmp}/no/such does not exist; create it first '
     '(mkdir -p {tmp}/no/such)'),
    (['mlp', '--checkpoint', '{file}/mlp.ckpt'], 'error: --checkpoint {file}/mlp.ckpt: {file} is a file, not a '
                                                 'folder'),
    (['mlp', '--out', ''], 'error: --out is empty; give the path of a folder'),
    (['mlp', '--checkpoint', ''], 'error: --checkpoint is empty; give the path of a file'),
    (['mlp', '--out', '{tmp}/new', '--checkpoint', '{tmp}/other/mlp.ckpt'],
     'error: --checkpoint {tmp}/other/mlp.ckpt: the folder {tmp}/other does not exist'),
    (['mlp-gluon', '--kvstore', 'nccl'], 'error: --kvstore nccl sums gradients between GPUs, but --ctx cpu is '
                                         '[cpu(0)]'),
])
def test_arguments_and_paths_are_refused_before_any_work_with_one_line(argv, message, tmp_path, capsys,
                                                                        monkeypatch):
    """Paths that cannot be written are real: a regular file where a folder must be, a path through one, or
    /proc/sys (as root, a folder's permission bits do not stop a write). Nothing is written, nothing is
    trained."""
    if '/proc/sys' in argv and os.access('/proc/sys', os.W_OK):
        pytest.skip('/proc/sys can be written here')
    file = tmp_path / 'taken'
    file.write_text('a file')
    values = {'file': file, 'tmp': tmp_path}
    refuse_to_load_data(monkeypatch)
    monkeypatch.chdir(tmp_path)  # where an empty path would write
    assert train(*[a.format(**values) for a in argv]) == 2
    out, err = capsys.readouterr()
    assert err.splitlines() == [err.strip()] and err.startswith(message.format(**values))
    assert out == ''
    assert sorted(p.name for p in tmp_path.iterdir()) == ['taken'] and file.read_text() == 'a file'


def test_a_refused_path_is_one_line_and_exit_2_from_the_console_command(tmp_path):
    (tmp_path / 'taken').write_text('a file')
    run = subprocess.run([sys.executable, '-m', 'gluonbook', 'train', 'mlp', '--out', str(tmp_path / 'taken')],
                         capture_output=True, text=True)
    assert run.returncode == 2 and run.stdout == ''
    assert run.stderr == f'error: --out {tmp_path / "taken"} is a file, not a folder; give the path of a folder ' \
                         f'(it is created if missing)\n'


def job(*argv):
    parser = argparse.ArgumentParser()
    train_command.add_arguments(parser)
    return train_command.Job(parser.parse_args(list(map(str, argv))))


def test_a_checkpoint_inside_a_new_out_is_accepted(tmp_path):
    """--out creates its folder before the checkpoint is first written into it."""
    out = tmp_path / 'new'
    assert job('mlp', '--out', out, '--checkpoint', out / 'mlp.ckpt').args.checkpoint == str(out / 'mlp.ckpt')
    assert list(tmp_path.iterdir()) == []  # checking creates nothing


@pytest.mark.parametrize('seed', ['-1', '4294967296', '99999999999', '1.5'])
def test_a_seed_mxnet_would_wrap_around_is_one_line_and_exit_2(seed, capsys):
    """MXNet's seeds are 32-bit: -1 would be 4294967295, and 99999999999 would be 1215752191."""
    with pytest.raises(SystemExit) as exit:
        train('mlp', '--seed', seed)
    err = capsys.readouterr().err
    assert exit.value.code == 2 and len(err.splitlines()) == 1
    assert err.startswith('error: argument --seed: expected an integer from 0 to 4294967295') and repr(seed) in err
    assert 'gluonbook train --help' in err


def test_the_seeds_at_both_ends_are_taken():
    assert (job('mlp', '--seed', 0).seed, job('mlp', '--seed', 2**32 - 1).seed) == (0, 4294967295)


def test_a_worker_of_a_cluster_without_a_distributed_kvstore_is_refused(capsys, monkeypatch):
    """Each worker would train a model of its own and write over the others' files."""
    monkeypatch.setenv('DMLC_ROLE', 'worker')
    refuse_to_load_data(monkeypatch)
    assert train('mlp-gluon', '--kvstore', 'local') == 2
    err = capsys.readouterr().err
    assert 'DMLC_ROLE=worker' in err and '--kvstore local is not distributed' in err and '--kvstore dist_sync' in err


def test_the_training_set_size_the_commands_check_against_is_fashion_mnists():
    assert args.TRAIN_SIZE == data.FASHION_MNIST.files['train_labels'].shape[0]


def test_an_unseeded_job_draws_its_seed_and_says_how_to_repeat_it(monkeypatch):
    parser = argparse.ArgumentParser()
    train_command.add_arguments(parser)
    jobs = [train_command.Job(parser.parse_args(['mlp'])) for _ in range(3)]
    assert len({job.seed for job in jobs}) == 3
    assert jobs[0].describe().endswith(f', seed {jobs[0].seed} (drawn at random; --seed {jobs[0].seed} repeats '
                                       f'this run)')
    assert train_command.Job(parser.parse_args(['mlp', '--seed', '7'])).describe().endswith(', seed 7')


def test_the_console_command_exits_2_on_bad_arguments():
    run = subprocess.run([sys.executable, '-m', 'gluonbook', 'train', 'mlp', '--batch-size', 'many'],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "--batch-size: expected a positive int, got 'many'" in run.stderr


def test_missing_data_exits_1_with_the_remedy(capsys, monkeypatch):
    def missing(train=True, root=None):
        raise data.DataError(f'no usable copy of fashion-mnist file train-images-idx3-ubyte.gz. To fix: {data.FIX}.')
    monkeypatch.setattr(data, 'load_arrays', missing)
    assert train('mlp', '--epochs', 1) == 1
    assert 'apt-get install dataset-fashion-mnist' in capsys.readouterr().err


@pytest.mark.parametrize('parse, text, value', [
    (args.hidden_sizes, '256', (256,)), (args.hidden_sizes, '256,128', (256, 128)),
    (args.positive(float), '0.5', 0.5), (args.positive(int), '3', 3), (args.values_of(float), '0.1,2', [0.1, 2.0])])
def test_the_argument_types_parse_the_command_line(parse, text, value):
    assert parse(text) == value


# ---------------------------------------------------------------------------------------------------------------
# Real training runs

def read_history(folder, name='history.json'):
    with open(folder / name) as f:
        return json.load(f)


@pytest.mark.slow
@pytest.mark.realdata
def test_scratch_mlp_trains_prints_the_book_line_and_writes_history_curves_params(real_data, tmp_path, capsys):
    assert train('mlp', '--epochs', 1, '--seed', 1, '--out', tmp_path) == 0
    line, = epoch_lines(capsys.readouterr().out)
    history = read_history(tmp_path)
    assert line.epoch == 1 and line.test_acc >= 0.78  # seed 1: 0.810
    assert history['test_acc'][0] == pytest.approx(line.test_acc, abs=5e-4)
    assert history['loss'][0] == pytest.approx(line.loss, abs=5e-5)
    assert (history['model'], history['hiddens'], history['lr'], history['epochs']) == ('mlp', [256], 0.5, 1)
    assert (tmp_path / 'curves.png').read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    # the saved parameters are the trained model: they score the test accuracy it reported
    params = nd.load(str(tmp_path / 'model.params'))
    assert {k: v.shape for k, v in params.items()} == {'W1': (784, 256), 'b1': (256,), 'W2': (256, 10),
                                                        'b2': (10,)}

    def net(X):
        H = nd.maximum(nd.dot(X.reshape((-1, 784)), params['W1']) + params['b1'], 0)
        return nd.dot(H, params['W2']) + params['b2']
    _, test_iter = gb.load_data_fashion_mnist(256)
    assert gb.evaluate_accuracy(test_iter, net) == pytest.approx(history['test_acc'][0], abs=1e-6)


@pytest.mark.slow
@pytest.mark.realdata
def test_deeper_gluon_mlp_saves_parameters_that_load_parameters_reads(real_data, tmp_path):
    assert train('mlp-gluon', '--hiddens', '128,64', '--epochs', 1, '--seed', 1, '--out', tmp_path) == 0
    history = read_history(tmp_path)
    assert history['hiddens'] == [128, 64] and history['test_acc'][0] >= 0.70
    net = models.gluon_mlp((128, 64))
    net.load_parameters(str(tmp_path / 'model.params'))
    assert [layer.weight.shape for layer in net] == [(128, 784), (64, 128), (10, 64)]
    _, test_iter = gb.load_data_fashion_mnist(256)
    assert gb.evaluate_accuracy(test_iter, net) == pytest.approx(history['test_acc'][0], abs=1e-6)


@pytest.mark.slow
@pytest.mark.realdata
def test_two_devices_reach_the_accuracy_of_one(real_data, tmp_path, capsys):
    """cpu:0,1 runs what two GPUs would: each batch split in two, the kvstore 'device' summing the gradients."""
    assert train('mlp-gluon', '--epochs', 2, '--seed', 1, '--out', tmp_path / 'one') == 0
    assert train('mlp-gluon', '--epochs', 2, '--seed', 1, '--ctx', 'cpu:0,1', '--kvstore', 'device',
                 '--out', tmp_path / 'two') == 0
    assert 'on [cpu(0), cpu(1)], kvstore device' in capsys.readouterr().out
    one, two = read_history(tmp_path / 'one'), read_history(tmp_path / 'two')
    assert two['ctx'] == 'cpu:0,1' and len(two['test_acc']) == 2
    assert one['test_acc'][-1] >= 0.80 and two['test_acc'][-1] >= 0.80  # seed 1: 0.817 and 0.816
    assert abs(one['test_acc'][-1] - two['test_acc'][-1]) <= 0.01
    assert abs(one['train_acc'][-1] - two['train_acc'][-1]) <= 0.01


@pytest.mark.slow
@pytest.mark.realdata
def test_a_diverging_model_exits_3_and_says_so(real_data, capsys):
    assert train('mlp', '--lr', '1e30', '--epochs', 1) == args.DIVERGED == 3
    assert 'diverged. Try a learning rate below 1e+30' in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.realdata
def test_ctrl_c_exits_130_and_keeps_the_finished_epochs(real_data, tmp_path):
    process = subprocess.Popen([sys.executable, '-m', 'gluonbook', 'train', 'mlp', '--epochs', '50',
                                '--out', str(tmp_path)], stdout=subprocess.PIPE, text=True)
    assert interrupt_at(process, 'epoch 1,') == 130
    history = read_history(tmp_path)
    assert 1 <= len(history['test_acc']) < 50 and history['epochs'] == 50


@pytest.mark.slow
@pytest.mark.realdata
def test_checkpoint_is_written_each_epoch_and_resumed_from(real_data, tmp_path, capsys):
    path = tmp_path / 'mlp.ckpt'
    assert train('mlp', '--epochs', 1, '--seed', 1, '--checkpoint', path) == 0
    assert path.exists()
    capsys.readouterr()
    assert train('mlp', '--epochs', 2, '--seed', 1, '--checkpoint', path) == 0
    assert [line.epoch for line in epoch_lines(capsys.readouterr().out)] == [2]  # epoch 1 is not trained again


@pytest.mark.slow
@pytest.mark.realdata
def test_a_checkpoint_inside_a_new_out_folder_is_written_there(real_data, tmp_path):
    out = tmp_path / 'new'
    assert train('softmax', '--epochs', 1, '--seed', 1, '--out', out, '--checkpoint', out / 'softmax.ckpt') == 0
    assert sorted(p.name for p in out.iterdir()) == ['curves.png', 'history.json', 'model.params', 'softmax.ckpt']


@pytest.mark.slow
@pytest.mark.realdata
def test_unseeded_runs_differ_and_the_recorded_seed_repeats_one(real_data, tmp_path, capsys):
    """MXNet's generator starts from the same state in every process: unseeded runs draw a seed of their own."""
    for name in ('a', 'b'):
        assert train('softmax', '--epochs', 1, '--out', tmp_path / name) == 0
    first, second = read_history(tmp_path / 'a'), read_history(tmp_path / 'b')
    assert first['seed'] != second['seed'] and first['loss'] != second['loss']
    assert f"seed {first['seed']} (drawn at random; --seed {first['seed']} repeats this run)" in \
        capsys.readouterr().out.splitlines()[0]
    assert train('softmax', '--epochs', 1, '--seed', first['seed'], '--out', tmp_path / 'again') == 0
    again = read_history(tmp_path / 'again')
    assert (again['seed'], again['loss'], again['test_acc']) == (first['seed'], first['loss'], first['test_acc'])


@pytest.mark.slow
@pytest.mark.realdata
def test_a_diverging_run_is_warned_about_in_one_line_and_goes_on(tmp_path):
    run = subprocess.run([sys.executable, '-m', 'gluonbook', 'train', 'mlp', '--epochs', '2', '--lr', '50',
                          '--seed', '1'], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert run.returncode == 0 and len(epoch_lines(run.stdout)) == 2
    warned = [line for line in run.stderr.splitlines() if line.startswith('warning: ')]
    assert 'times the loss before training' in warned[0] and 'learning rate below 50' in warned[0]
    assert 'at chance' in warned[1] and 'TrainingWarning' not in run.stderr and 'Traceback' not in run.stderr
