"""python -m gluonbook search (gluonbook/commands/search.py): trials, results file, resuming, leaderboard."""
import argparse
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from helpers import interrupt_at

from gluonbook import cli
from gluonbook.commands import search


def parse(*argv):
    parser = argparse.ArgumentParser()
    search.add_arguments(parser)
    return parser.parse_args(list(map(str, argv)))


def test_the_grid_is_every_combination_and_samples_draw_from_it():
    args = parse('--lr', '0.1,0.5', '--hiddens', '256', '128,128', '--epochs', '1,2')
    grid = search.trials(args)
    assert len(grid) == 8
    assert {(t['lr'], tuple(t['hiddens']), t['epochs']) for t in grid} == {
        (lr, h, e) for lr in (0.1, 0.5) for h in ((256,), (128, 128)) for e in (1, 2)}
    assert all(t['model'] == 'mlp' and t['batch_size'] == 256 and t['seed'] == 1 for t in grid)
    sampled = search.trials(parse('--lr', '0.1,0.5', '--hiddens', '256', '128,128', '--epochs', '1,2',
                                  '--samples', 3))
    assert len(sampled) == 3 and all(t in grid for t in sampled)
    assert len({search.trial_id(t) for t in sampled}) == 3
    assert sampled == search.trials(parse('--lr', '0.1,0.5', '--hiddens', '256', '128,128', '--epochs', '1,2',
                                          '--samples', 3))
    assert len(search.trials(parse('--samples', 50))) == 2  # the default grid has 2 trials
    assert len(search.trials(parse('--lr', '0.1,0.1', '--hiddens', '256', '256'))) == 1


def test_a_trial_is_a_train_command_and_its_id_depends_only_on_its_values():
    trial = search.trials(parse('--lr', '0.3', '--hiddens', '128,64', '--epochs', '2'))[0]
    assert search.command(trial, 'out/x')[1:] == ['-m', 'gluonbook', 'train', 'mlp', '--lr', '0.3', '--epochs', '2',
                                                  '--batch-size', '256', '--seed', '1', '--out', 'out/x',
                                                  '--hiddens', '128,64']
    assert search.trial_id(dict(reversed(list(trial.items())))) == search.trial_id(trial)
    assert search.trial_id({**trial, 'lr': 0.5}) != search.trial_id(trial)
    softmax, = search.trials(parse('--model', 'softmax', '--lr', '0.1'))
    assert '--hiddens' not in search.command(softmax, 'o') and softmax['hiddens'] == []


def result(trial, test_acc, status='ok'):
    return {'id': search.trial_id(trial), 'trial': trial, 'status': status, 'test_acc': test_acc, 'train_acc': 0.5,
            'error': 'error: the training loss became nan in epoch 1; the model diverged.'}


def test_results_file_is_appended_and_a_cut_last_line_is_ignored(tmp_path):
    path = str(tmp_path / 'results.jsonl')
    a, b = search.trials(parse('--lr', '0.1,0.5'))
    search.append_result(path, result(a, 0.8))
    with open(path, 'a') as f:
        f.write('{"id": "cut sh')  # what a kill in the middle of a write would leave
    assert list(search.load_results(path)) == [search.trial_id(a)]
    assert search.load_results(str(tmp_path / 'none.jsonl')) == {}


def test_leaderboard_ranks_by_test_accuracy_with_failed_trials_last_and_shows_each_folder():
    a, b, c = search.trials(parse('--lr', '0.1,0.5,9'))
    lines = search.leaderboard([result(c, None, 'failed'), result(a, 0.7), result(b, 0.85)], 'out')
    assert [line.split()[:2] for line in lines[1:]] == [['1', '0.8500'], ['2', '0.7000'], ['3', 'failed']]
    assert lines[0].split()[-1] == 'folder'
    assert 'lr 0.5 ' in lines[1] and 'diverged' in lines[3]
    assert [line.split()[-1] for line in lines[1:3]] == [f'out/trials/{search.trial_id(t)}' for t in (b, a)]
    assert f'out/trials/{search.trial_id(c)}  (error: ' in lines[3]


def test_a_diverged_trial_is_a_failed_result_and_any_other_exit_code_an_error(tmp_path, monkeypatch):
    exits = {0.1: 'print("epoch 1, loss nan"); print("error: the model diverged."); raise SystemExit(3)',
             0.2: 'print("error: no usable copy of fashion-mnist"); raise SystemExit(1)'}
    monkeypatch.setattr(search, 'command', lambda trial, out: [sys.executable, '-c', exits[trial['lr']]])
    failed, error = search.trials(parse('--lr', '0.1,0.2'))
    runner = search.Runner(str(tmp_path), threads=1)
    assert runner.run(failed) == {'id': search.trial_id(failed), 'trial': failed, 'exit_code': 3,
                                  'seconds': pytest.approx(0, abs=30), 'status': 'failed',
                                  'error': 'error: the model diverged.'}
    assert runner.run(error)['status'] == 'error'
    assert (tmp_path / 'trials' / search.trial_id(failed) / 'log.txt').read_text().startswith('epoch 1, loss nan')


def test_a_trial_that_could_not_run_is_not_recorded_and_runs_again(tmp_path, monkeypatch, capsys):
    """A trial that failed for want of data (train exits 1) is no result: the next run tries it again; a diverged
    one (exit 3) is a result, kept."""
    exits = {0.1: 'print("error: the training loss became nan in epoch 1; the model diverged."); raise SystemExit(3)',
             0.2: 'print("error: no usable copy of fashion-mnist file t10k-images.gz"); raise SystemExit(1)'}
    monkeypatch.setattr(search, 'command', lambda trial, out: [sys.executable, '-c', exits[trial['lr']]])
    argv = ['search', '--lr', '0.1,0.2', '--jobs', 1, '--out', tmp_path]
    assert cli.main(argv) == 1
    out = capsys.readouterr().out
    diverged, missing = search.trials(parse('--lr', '0.1,0.2'))
    assert list(search.load_results(str(tmp_path / 'results.jsonl'))) == [search.trial_id(diverged)]
    assert (f'could not run (exit code 1: error: no usable copy of fashion-mnist file t10k-images.gz); '
            f'not recorded, it runs again next time; see {tmp_path}/trials/{search.trial_id(missing)}/log.txt') in out
    assert 'failed: error: the training loss became nan in epoch 1; the model diverged.' in out
    assert cli.main(argv) == 1
    again = capsys.readouterr().out
    assert '1 trial(s) already in' in again and '1 to run' in again and 'could not run' in again


def test_an_out_that_is_a_file_is_refused_before_any_trial(tmp_path, capsys):
    (tmp_path / 'taken').write_text('a file')
    assert cli.main(['search', '--out', tmp_path / 'taken']) == 2
    assert capsys.readouterr().err == f'error: --out {tmp_path / "taken"} is a file, not a folder; give the path ' \
                                      f'of a folder (it is created if missing)\n'
    assert cli.main(['search', '--out', tmp_path / 'taken' / 'search']) == 2
    assert 'is a file, so no folder can be made in it' in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ['taken'] and (tmp_path / 'taken').read_text() == 'a file'


def test_ctrl_c_says_how_to_resume(tmp_path):
    """A real SIGINT to a search whose trial sleeps (the trial stands in for a long training run)."""
    code = ('import sys\nfrom gluonbook import cli\nfrom gluonbook.commands import search\n'
            'search.command = lambda trial, out: [sys.executable, "-c", "import time; time.sleep(60)"]\n'
            f'sys.exit(cli.main(["search", "--lr", "0.1", "--out", {str(tmp_path)!r}]))')
    process = subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    assert interrupt_at(process, '0 trial(s) already in') == 130
    # interrupt_at has read up to the line it waited for; the rest of the output is still in the pipe
    assert (f'interrupted: 0 finished trial(s) are kept in {tmp_path}/results.jsonl; to resume, run the same '
            f'command again (the finished trials are not run again)') in process.stdout.read()


def test_each_trial_gets_its_threads_and_one_mxnet_worker_thread(tmp_path, monkeypatch):
    """OMP_NUM_THREADS=2 with MXNET_CPU_WORKER_NTHREADS=2 hangs MXNet's OpenBLAS in nd.dot (seen here with the
    from-scratch mlp), so the second stays 1 whatever the environment says."""
    monkeypatch.setenv('MXNET_CPU_WORKER_NTHREADS', '2')
    show = 'import os; print(os.environ["OMP_NUM_THREADS"], os.environ["MXNET_CPU_WORKER_NTHREADS"])'
    monkeypatch.setattr(search, 'command', lambda trial, out: [sys.executable, '-c', show + '; raise SystemExit(3)'])
    trial, = search.trials(parse('--lr', '0.1'))
    assert search.Runner(str(tmp_path), threads=2).run(trial)['error'] == '2 1'


@pytest.mark.parametrize('argv', [['--lr', '0.1,x'], ['--jobs', '0'], ['--hiddens', '0'], ['--epochs', '1.5'],
                                  ['--samples', '-2'], ['--model', 'resnet']])
def test_bad_arguments_exit_2(argv):
    with pytest.raises(SystemExit) as exit:
        cli.main(['search', *argv])
    assert exit.value.code == 2


@pytest.mark.parametrize('argv, message', [
    (['--batch-size', '256,60001'], 'error: --batch-size 60001 is larger than the training set (60000 images); use '
                                    'at most 60000'),
    (['--batch-size', '60001,256', '--samples', '1', '--seed', '3'], 'error: --batch-size 60001 is larger'),
    (['--model', 'softmax', '--hiddens', '256', '128'], 'error: softmax regression has no hidden layers, but '
                                                        '--hiddens 256 was given'),
    (['--seed', '-1'], 'error: argument --seed: expected an integer from 0 to 4294967295'),
    (['--out', ''], 'error: --out is empty'),
])
def test_every_trial_is_checked_before_the_first_runs_in_one_line(argv, message, tmp_path, monkeypatch, capsys):
    """Trials that train would refuse are refused by the search, once, before it writes anything."""
    monkeypatch.chdir(tmp_path)
    try:
        code = cli.main(['search', '--lr', '0.1,0.5', '--out', tmp_path / 'search', *argv])
    except SystemExit as exit:  # argparse's own refusal
        code = exit.code
    out, err = capsys.readouterr()
    assert code == 2 and out == '' and err.splitlines() == [err.strip()] and err.startswith(message), err
    assert list(tmp_path.iterdir()) == []


def fake_train(monkeypatch, seconds=0):
    """Each trial: a process that sleeps, then writes the history a training run writes (test acc = its lr)."""
    def command(trial, out):
        write = (f'import json, time\ntime.sleep({seconds})\n'
                 f'json.dump({{"loss": [1.0], "train_acc": [0.5], "test_acc": [{trial["lr"]}]}}, '
                 f'open({os.path.join(out, "history.json")!r}, "w"))')
        return [sys.executable, '-c', write]
    monkeypatch.setattr(search, 'command', command)


def test_a_cut_last_line_of_the_results_is_removed_with_a_warning_and_its_trial_runs_again(tmp_path, monkeypatch,
                                                                                             capsys):
    path = tmp_path / 'results.jsonl'
    kept, cut = search.trials(parse('--lr', '0.1,0.2'))
    search.append_result(str(path), result(kept, 0.1))
    with open(path, 'a') as f:
        f.write(json.dumps(result(cut, 0.2))[:30])  # a search killed in the middle of writing this line
    fake_train(monkeypatch)
    assert cli.main(['search', '--lr', '0.1,0.2', '--jobs', 1, '--out', tmp_path]) == 0
    out, err = capsys.readouterr()
    assert f'warning: {path}: removed line(s) 2' in err and 'their trials run again' in err
    assert '1 trial(s) already in' in out and '1 to run' in out
    lines = path.read_text().splitlines()
    assert [json.loads(line)['id'] for line in lines] == [search.trial_id(kept), search.trial_id(cut)]
    assert cli.main(['search', '--lr', '0.1,0.2', '--jobs', 1, '--out', tmp_path]) == 0
    assert 'warning' not in capsys.readouterr().err and path.read_text().splitlines() == lines


def test_a_whole_last_line_without_its_newline_is_completed_silently(tmp_path):
    path = tmp_path / 'results.jsonl'
    a, b = search.trials(parse('--lr', '0.1,0.2'))
    path.write_text(json.dumps(result(a, 0.1)) + '\n' + json.dumps(result(b, 0.2)))
    assert search.repair_results(str(path)) == []
    assert path.read_text().endswith('\n') and list(search.load_results(str(path))) == [search.trial_id(a),
                                                                                         search.trial_id(b)]


def test_a_second_search_on_the_same_folder_is_refused_in_one_line(tmp_path, monkeypatch):
    """A real search whose trial sleeps holds the folder; the second one says so and runs nothing."""
    code = ('import sys\nfrom gluonbook import cli\nfrom gluonbook.commands import search\n'
            'search.command = lambda trial, out: [sys.executable, "-c", "import time; time.sleep(600)"]\n'
            f'sys.exit(cli.main(["search", "--lr", "0.1", "--out", {str(tmp_path)!r}]))')
    first = subprocess.Popen([sys.executable, '-c', code], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True)
    try:
        assert first.stdout.readline().startswith('0 trial(s) already in')
        second = subprocess.run([sys.executable, '-m', 'gluonbook', 'search', '--lr', '0.1', '--out', str(tmp_path)],
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 2 and second.stdout == '' and len(second.stderr.splitlines()) == 1
        assert f'another search is running on --out {tmp_path} (process {first.pid})' in second.stderr
        assert len(list((tmp_path / 'trials').iterdir())) == 1  # the first search's trial only
    finally:
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=60) == 130
    assert not (tmp_path / 'results.jsonl').exists()
    fake_train(monkeypatch)  # the folder is free again once the first search has ended
    assert cli.main(['search', '--lr', '0.1', '--out', tmp_path]) == 0


# ---------------------------------------------------------------------------------------------------------------
# Real searches

def run_search(*argv):
    return subprocess.run([sys.executable, '-m', 'gluonbook', 'search', *map(str, argv)], capture_output=True,
                          text=True, timeout=300)


def read_results(out):
    with open(out / 'results.jsonl') as f:
        return [json.loads(line) for line in f]


@pytest.mark.slow
@pytest.mark.realdata
def test_parallel_search_records_each_trial_ranks_them_and_plots(real_data, tmp_path):
    """Two MLPs in parallel, and a trial already in the results file (a made-up accuracy), which is not rerun."""
    prefilled = search.trials(parse('--lr', '0.5', '--hiddens', '64', '--epochs', '1'))[0]
    search.append_result(str(tmp_path / 'results.jsonl'), result(prefilled, 0.1234))
    run = run_search('--lr', '0.5', '--hiddens', '256', '128,64', '64', '--epochs', 1, '--jobs', 2,
                     '--out', tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert '1 trial(s) already in' in run.stdout and '2 to run, 2 at a time with 1 thread(s) each' in run.stdout
    assert not (tmp_path / 'trials' / search.trial_id(prefilled)).exists()
    results = read_results(tmp_path)
    assert [r['trial']['hiddens'] for r in results[1:]] in ([[256], [128, 64]], [[128, 64], [256]])
    for r in results[1:]:
        history = json.loads((tmp_path / 'trials' / r['id'] / 'history.json').read_text())
        assert r['status'] == 'ok' and r['test_acc'] == history['test_acc'][-1] >= 0.70
    board = run.stdout[run.stdout.index('rank  test acc'):].splitlines()
    assert board[3].split()[:2] == ['3', '0.1234'] and 'hiddens 64 ' in board[3]
    assert float(board[1].split()[1]) >= float(board[2].split()[1]) > 0.1234
    assert (tmp_path / 'search.png').read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'


@pytest.mark.slow
@pytest.mark.realdata
def test_an_interrupted_search_resumes_without_rerunning_finished_trials(real_data, tmp_path):
    argv = ['--model', 'mlp', '--hiddens', '64', '--lr', '0.1,0.2,0.3', '--epochs', 1, '--jobs', 1, '--threads', 1,
            '--out', tmp_path]
    process = subprocess.Popen([sys.executable, '-m', 'gluonbook', 'search', *map(str, argv)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert interrupt_at(process, '[1/3]') == 130
    first = read_results(tmp_path)
    assert len(first) == 1 and first[0]['status'] == 'ok'
    time.sleep(0.5)
    assert not [line for line in subprocess.run(['ps', '-eo', 'args'], capture_output=True, text=True)
                .stdout.splitlines() if str(tmp_path) in line], 'a trial outlived the interrupted search'

    run = run_search(*argv)
    assert run.returncode == 0, run.stdout + run.stderr
    assert '1 trial(s) already in' in run.stdout and '2 to run, 1 at a time with 1 thread(s) each' in run.stdout
    results = read_results(tmp_path)
    assert results[0] == first[0] and len(results) == 3
    assert sorted(r['trial']['lr'] for r in results) == [0.1, 0.2, 0.3]
    assert all(0.5 <= r['test_acc'] <= 0.9 for r in results)

    again = run_search(*argv)
    assert '3 trial(s) already in' in again.stdout and '0 to run' in again.stdout
    assert read_results(tmp_path) == results
