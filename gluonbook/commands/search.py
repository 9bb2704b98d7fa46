"""Search learning rate, epochs, layers and units for the best test accuracy, trials running in parallel.

  python -m gluonbook search --lr 0.1,0.5 --hiddens 256 128,128 --epochs 5 --jobs 2 --out search

tries every combination of the values given (a grid), or with --samples N, N combinations of that grid drawn at
random (seeded by --seed). Every trial's arguments are checked before the first trial runs: a --batch-size larger
than the training set, or --hiddens for softmax, is one error line, and nothing is written. Each trial is a
"python -m gluonbook train" process; --jobs of them run at once, each with --threads OpenMP threads
(OMP_NUM_THREADS, default: cores/jobs) and MXNET_CPU_WORKER_NTHREADS=1, so parallel trials share the cores
instead of oversubscribing them. The folder is locked while the search runs (OUT/.lock, which the system releases
when the search ends, however it ends): a second search on the same --out is refused.

Each result is appended to OUT/results.jsonl (one JSON object a line, flushed as the trial ends): a trial that
trained, or one whose model diverged (a result too: that learning rate is too large). Run the same search again
and it resumes: a trial in the results file is never run again. A trial that could not run (the data is missing,
the environment is broken: any other exit code) is not a result: it is not recorded, its log says why, and it runs
again next time; so does a trial that was interrupted, and one whose line in the results file was cut short (a
search killed while writing it: the line is removed, with a warning). At the end it prints the leaderboard of
every trial in the results file, with each trial's folder (OUT/trials/ID: its log, history and parameters), and
plots test accuracy against each hyperparameter (OUT/search.png).

Exit codes: 0 every trial has a result; 1 a trial could not run (its log says why); 2 bad arguments, or another
search running on --out; 130 interrupted, by Ctrl-C or SIGTERM (the finished trials are kept: run the same
command again to resume).
"""
import argparse
import concurrent.futures
import fcntl
import hashlib
import itertools
import json
import math
import os
import random
import subprocess
import sys
import threading
import time

from .. import files
from . import processes
from .args import DIVERGED, MODELS, check_folder, hidden_sizes, positive, seed, training_problem, values_of


def add_arguments(parser):
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument('--model', choices=MODELS, default='mlp', help='the model to tune (default mlp)')
    parser.add_argument('--lr', type=values_of(positive(float)), default=[0.1, 0.5],
                        help='learning rates, comma-separated (default 0.1,0.5)')
    parser.add_argument('--hiddens', type=hidden_sizes, nargs='+', default=None, metavar='WIDTHS',
                        help='hidden layers of the MLPs to try, each comma-separated: --hiddens 256 128,128 '
                             '(default 256)')
    parser.add_argument('--epochs', type=values_of(positive(int)), default=[5],
                        help='numbers of epochs, comma-separated (default 5)')
    parser.add_argument('--batch-size', type=values_of(positive(int)), default=[256],
                        help='batch sizes, comma-separated (default 256)')
    parser.add_argument('--samples', type=positive(int), default=None,
                        help='try N combinations drawn at random from the grid instead of all of them')
    parser.add_argument('--seed', type=seed, default=1, help='seed of every trial and of --samples (default 1)')
    parser.add_argument('--jobs', type=positive(int), default=2, help='trials run at once (default 2)')
    parser.add_argument('--threads', type=positive(int), default=None,
                        help='OpenMP threads per trial (default: cores/jobs, at least 1)')
    parser.add_argument('--out', default='search', help='folder of the results (default ./search)')


# ---------------------------------------------------------------------------------------------------------------
# Trials

def trials(args):
    """The trials to run: every combination of the values given, or ``--samples`` of them at random."""
    hiddens = args.hiddens or [() if args.model == 'softmax' else (256,)]  # softmax with --hiddens: refused
    grid = [{'model': args.model, 'lr': lr, 'hiddens': list(h), 'epochs': epochs, 'batch_size': batch_size,
             'seed': args.seed}
            for lr, h, epochs, batch_size in itertools.product(args.lr, hiddens, args.epochs, args.batch_size)]
    grid = list({trial_id(t): t for t in grid}.values())  # a value given twice is one trial
    if args.samples is not None and args.samples < len(grid):
        grid = random.Random(args.seed).sample(grid, args.samples)
    return grid


def problem(args):
    """Why the search cannot run, or None: its --out, then the arguments of every trial of the grid (sampled or
    not) as train checks them."""
    problems = [check_folder(args.out, '--out')]
    problems += [training_problem(args.model, hiddens, batch_size)
                 for hiddens in args.hiddens or [()] for batch_size in args.batch_size]
    return next(filter(None, problems), None)


def trial_id(trial):
    """A short name that is the same for the same hyperparameters, in any run."""
    return hashlib.sha1(json.dumps(trial, sort_keys=True).encode()).hexdigest()[:10]


def command(trial, out):
    """The ``gluonbook train`` command line of one trial."""
    cmd = [sys.executable, '-m', 'gluonbook', 'train', trial['model'], '--lr', str(trial['lr']),
           '--epochs', str(trial['epochs']), '--batch-size', str(trial['batch_size']),
           '--seed', str(trial['seed']), '--out', out]
    if trial['hiddens']:
        cmd += ['--hiddens', ','.join(map(str, trial['hiddens']))]
    return cmd


class Runner:
    """Runs trials as ``gluonbook train`` processes, each with a bounded number of threads; can stop them all."""

    def __init__(self, out, threads):
        self.out, self.threads = out, threads
        self.running, self.lock, self.stopping = set(), threading.Lock(), False

    def run(self, trial):
        """Run one trial; its result: ``status`` ok or failed (it diverged), both recorded, or error (it could not
        run: not a result, so not recorded)."""
        folder = trial_folder(self.out, trial)
        os.makedirs(folder, exist_ok=True)
        # one MXNet operator at a time (MXNet's default), each on `threads` OpenMP threads; more than one of both
        # makes MXNet's bundled OpenBLAS 0.3.13 hang
        env = {**os.environ, 'OMP_NUM_THREADS': str(self.threads), 'MXNET_CPU_WORKER_NTHREADS': '1'}
        start = time.time()
        with open(os.path.join(folder, 'log.txt'), 'w') as log:
            with self.lock:
                if self.stopping:
                    return {'id': trial_id(trial), 'trial': trial, 'status': 'error', 'exit_code': None}
                process = processes.start(command(trial, folder), stdout=log, stderr=subprocess.STDOUT, env=env)
                self.running.add(process)
            returncode = process.wait()
            with self.lock:
                self.running.discard(process)
        result = {'id': trial_id(trial), 'trial': trial, 'exit_code': returncode,
                  'seconds': round(time.time() - start, 1)}
        if returncode == 0:
            with open(os.path.join(folder, 'history.json')) as f:
                history = json.load(f)
            return {**result, 'status': 'ok', 'test_acc': history['test_acc'][-1],
                    'train_acc': history['train_acc'][-1], 'loss': history['loss'][-1],
                    'history': {k: history[k] for k in ('loss', 'train_acc', 'test_acc')}}
        if returncode == DIVERGED:  # that is a result too: these hyperparameters do not train
            return {**result, 'status': 'failed', 'error': last_line(os.path.join(folder, 'log.txt'))}
        return {**result, 'status': 'error', 'error': last_line(os.path.join(folder, 'log.txt'))}

    def stop(self):
        """Stop the running trials (each trial's process group) and start no more."""
        with self.lock:
            self.stopping, running = True, list(self.running)
        processes.stop(running)


def last_line(path):
    with open(path) as f:
        lines = [line.strip() for line in f if line.strip()]
    return lines[-1] if lines else ''


# ---------------------------------------------------------------------------------------------------------------
# Results

def load_results(path):
    """The trials recorded in a results file, by id (a missing file holds none); a line that is not a whole
    result (a last line cut short by a kill) is skipped: :func:`repair_results` removes it."""
    results = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                result = parse_result(line)
                if result:
                    results[result['id']] = result
    return results


def parse_result(line):
    """The result one line of the results file holds, or None if it is not a whole one."""
    try:
        result = json.loads(line)
    except json.JSONDecodeError:
        return None
    return result if isinstance(result, dict) and 'id' in result else None


def repair_results(path):
    """Remove from the results file every line that is not a whole result, such as a last line cut short when a
    search was killed while writing it (the next result would be appended to it, and its trial never counted).
    Returns the numbers of the lines removed (none if the file was whole); the file is rewritten in one step."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        lines = f.readlines()
    kept = [line if line.endswith('\n') else line + '\n' for line in lines if parse_result(line)]
    removed = [n for n, line in enumerate(lines, 1) if not parse_result(line)]
    if removed or kept != lines:
        files.write_atomically(path, lambda tmp: _write_lines(tmp, kept))
    return removed


def _write_lines(path, lines):
    with open(path, 'w') as f:
        f.writelines(lines)


def lock(out):
    """Hold ``out/.lock`` for as long as the returned file is open (the operating system releases it when this
    process ends, however it ends); ``(None, problem)`` if another search holds it."""
    f = open(os.path.join(out, '.lock'), 'a+')
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.seek(0)
        holder = f.read().strip()
        f.close()
        return None, (f'another search is running on --out {out} (process {holder or "unknown"}); wait for it to '
                      f'end, or give another --out')
    f.truncate(0)
    f.write(str(os.getpid()))
    f.flush()
    return f, None


def append_result(path, result):
    """Append one result to the results file and make sure it is on disk before going on."""
    with open(path, 'a') as f:
        f.write(json.dumps(result) + '\n')
        f.flush()
        os.fsync(f.fileno())


def describe(trial):
    hiddens = ','.join(map(str, trial['hiddens'])) or '-'
    return f"lr {trial['lr']:<6g} hiddens {hiddens:<12} epochs {trial['epochs']:<3} batch {trial['batch_size']}"


def trial_folder(out, trial):
    """Where one trial's log, history and parameters are."""
    return os.path.join(out, 'trials', trial_id(trial))


def leaderboard(results, out):
    """The results, best test accuracy first (failed trials last), each with its folder, as printable lines."""
    ranked = sorted(results, key=lambda r: -r['test_acc'] if r['status'] == 'ok' else math.inf)
    lines = [f"{'rank':>4}  {'test acc':>8}  {'train acc':>9}  {'hyperparameters':<52}  folder"]
    for i, r in enumerate(ranked, 1):
        folder = trial_folder(out, r['trial'])
        if r['status'] == 'ok':
            lines.append(f"{i:>4}  {r['test_acc']:>8.4f}  {r['train_acc']:>9.4f}  {describe(r['trial']):<52}  "
                         f"{folder}")
        else:
            lines.append(f"{i:>4}  {'failed':>8}  {'':>9}  {describe(r['trial']):<52}  {folder}  ({r['error']})")
    return lines


def plot(results, path):
    """Test accuracy against learning rate, epochs, hidden layers and hidden units (PNG)."""
    from matplotlib.figure import Figure
    ok = [r for r in results if r['status'] == 'ok']
    axes_of = [('learning rate', lambda t: t['lr'], 'log'), ('epochs', lambda t: t['epochs'], 'linear'),
               ('hidden layers', lambda t: len(t['hiddens']), 'linear'),
               ('hidden units (all layers)', lambda t: sum(t['hiddens']), 'linear')]
    fig = Figure(figsize=(12, 3.2))
    for ax, (label, value, scale) in zip(fig.subplots(1, len(axes_of), sharey=True), axes_of):
        xs = [value(r['trial']) for r in ok]
        ax.scatter(xs, [r['test_acc'] for r in ok])
        ax.set_xscale(scale)
        ax.set_xticks(sorted(set(xs)), [f'{x:g}' for x in sorted(set(xs))])  # the values tried
        ax.minorticks_off()
        ax.set_xlabel(label)
        ax.grid(True)
    fig.axes[0].set_ylabel('test accuracy')
    fig.tight_layout()
    fig.savefig(path, format='png', dpi=100)


# ---------------------------------------------------------------------------------------------------------------
# The search

def search(args):
    """Run the trials not yet in the results file, recording each as it ends; returns the exit code.

    Every argument of every trial is checked before the first one runs, and the folder is locked: a second search
    on the same --out is refused, rather than running the same trials twice."""
    refused = problem(args)
    if refused:
        print(f'error: {refused}', file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)
    held, busy = lock(args.out)
    if busy:
        print(f'error: {busy}', file=sys.stderr)
        return 2
    with held:
        return run_trials(args, trials(args))


def run_trials(args, wanted):
    path = os.path.join(args.out, 'results.jsonl')
    removed = repair_results(path)
    if removed:
        print(f'warning: {path}: removed line(s) {", ".join(map(str, removed))}, not whole results (a search '
              f'stopped while writing); their trials run again', file=sys.stderr, flush=True)
    done = load_results(path)
    todo = [t for t in wanted if trial_id(t) not in done]
    threads = args.threads or processes.threads_per_job(args.jobs)
    runner, code = Runner(args.out, threads), 0
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs)
    try:
        print(f'{len(wanted) - len(todo)} trial(s) already in {path}, {len(todo)} to run, '
              f'{args.jobs} at a time with {threads} thread(s) each', flush=True)
        futures = {pool.submit(runner.run, trial): trial for trial in todo}
        for n, future in enumerate(concurrent.futures.as_completed(futures), 1):
            trial, result = futures[future], future.result()
            if result['status'] == 'error':
                code = 1
                print(f"[{n}/{len(todo)}] {describe(trial)}: could not run (exit code {result['exit_code']}: "
                      f"{result['error'] or 'no output'}); not recorded, it runs again next time; see "
                      f"{os.path.join(trial_folder(args.out, trial), 'log.txt')}", flush=True)
                continue
            append_result(path, result)
            done[result['id']] = result
            outcome = (f"test acc {result['test_acc']:.4f}" if result['status'] == 'ok'
                       else f"failed: {result['error']}")
            print(f"[{n}/{len(todo)}] {describe(trial)}: {outcome} ({result['seconds']:.0f} sec)", flush=True)
    except KeyboardInterrupt:
        print(f'interrupted: {len(done)} finished trial(s) are kept in {path}; to resume, run the same command '
              f'again (the finished trials are not run again)', file=sys.stderr, flush=True)
        code = 130
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        runner.stop()
        pool.shutdown(wait=True)
    report(list(done.values()), args.out)
    return code


def report(results, out):
    if not results:
        return
    print('\n'.join(leaderboard(results, out)))
    if any(r['status'] == 'ok' for r in results):
        plot(results, os.path.join(out, 'search.png'))
        print(f"wrote {os.path.join(out, 'search.png')}")


def main(args):
    with processes.interrupts():  # SIGTERM too stops the trials and keeps the finished ones
        return search(args)
