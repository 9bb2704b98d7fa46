"""Train a chapter's model on Fashion-MNIST (softmax, mlp, mlp-gluon), on one device, several, or a cluster.

Models:
  softmax    softmax regression, the concise way: one gluon nn.Dense(10), weights normal(0.01)
  mlp        the multilayer perceptron from scratch: 784-256-10 (--hiddens), weights normal(0.01), zero
             biases, ReLU as nd.maximum, trained by gb.train_ch3 with gb.sgd; one context only
  mlp-gluon  the same network with nn.Sequential, nn.Dense and gluon.Trainer

The Gluon models train with gb.train: each batch is split over the --ctx devices and the Trainer's KVStore
(--kvstore) sums their gradients. --batch-size is always the global batch: split over devices, and over workers
with --kvstore dist_sync, where each worker reads its own shard of the training data (start the cluster with
"python -m gluonbook launch").

The first line printed names the model, the settings and the seed; without --seed one is drawn at random and
shown, so --seed N repeats the run. Then the book's line per epoch. --out DIR writes history.json (with the seed),
curves.png and the trained parameters (model.params); on a cluster each file name carries the worker's rank
(history-worker0.json, ...). A worker of a cluster (DMLC_ROLE=worker) needs a dist_* --kvstore: without one,
each worker would train a model of its own and write over the others' files. Every argument and every path to be
written is checked before training starts.

Exit codes: 0 trained; 1 the job failed (the data is missing, a file could not be written); 2 bad arguments;
3 the model diverged (its loss became NaN or infinite); 130 interrupted (Ctrl-C or SIGTERM).
"""
import argparse
import json
import os
import sys
import warnings

import mxnet as mx
from mxnet import nd
from mxnet.gluon import loss as gloss

from .. import data, models, training
from ..checkpoint import Checkpoint
from ..devices import parse_ctx
from ..files import write_atomically
from .args import DIVERGED, MODELS, check_file, check_folder, hidden_sizes, positive, seed, training_problem

KVSTORES = ('device', 'local', 'nccl', 'dist_sync', 'dist_device_sync', 'dist_async')


def add_arguments(parser):
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument('model', choices=MODELS, help='which model to train')
    parser.add_argument('--hiddens', type=hidden_sizes, default=None,
                        help='hidden layer widths of the MLPs, comma-separated (default 256; e.g. 256,256)')
    parser.add_argument('--epochs', type=positive(int), default=10, help='number of epochs (default 10)')
    parser.add_argument('--lr', type=positive(float), default=None,
                        help='learning rate (default 0.5 for the MLPs, 0.1 for softmax)')
    parser.add_argument('--batch-size', type=positive(int), default=256, help='global batch size (default 256)')
    parser.add_argument('--seed', type=seed, default=None,
                        help="seed MXNet's random generator (default: a seed drawn at random, printed and saved)")
    parser.add_argument('--ctx', default='cpu', help="device(s): cpu, gpu, gpu:0,1 or cpu:0,1 (default cpu)")
    parser.add_argument('--kvstore', choices=KVSTORES, default=None,
                        help='how gradients are summed (Gluon models; default device); dist_* needs a cluster')
    parser.add_argument('--checkpoint', metavar='PATH',
                        help='save the model here after every epoch, and resume from it if it exists')
    parser.add_argument('--out', metavar='DIR', help='write history.json, curves.png and model.params here')


# ---------------------------------------------------------------------------------------------------------------
# The job

class Job:
    """What to train and where: the checked arguments, the contexts and, on a cluster, this worker's place."""

    def __init__(self, args):
        self.args, self.model = args, args.model
        self.hiddens = () if args.model == 'softmax' else (args.hiddens or (256,))
        self.lr = args.lr or (0.1 if args.model == 'softmax' else 0.5)
        self.distributed = (args.kvstore or '').startswith('dist')
        problem = training_problem(args.model, args.hiddens, args.batch_size)
        if problem:
            raise ValueError(problem)
        self.ctxs = parse_ctx(args.ctx)
        if args.model == 'mlp' and (len(self.ctxs) > 1 or args.kvstore):
            raise ValueError(f'the from-scratch mlp trains on one context with gb.sgd (got --ctx {args.ctx}'
                             f'{" --kvstore " + args.kvstore if args.kvstore else ""}); '
                             f'use mlp-gluon for several devices or a kvstore')
        if args.kvstore == 'nccl' and any(ctx.device_type != 'gpu' for ctx in self.ctxs):
            raise ValueError(f'--kvstore nccl sums gradients between GPUs, but --ctx {args.ctx} is {self.ctxs} '
                             f'(this machine has {mx.context.num_gpus()} GPU(s) usable by MXNet); use --ctx gpu:0,1 '
                             f'with nccl, or --kvstore device (the default)')
        if self.distributed and 'DMLC_ROLE' not in os.environ:
            raise ValueError(f'--kvstore {args.kvstore} needs a parameter-server cluster: start it with '
                             f'`python -m gluonbook launch -n 2 -s 1 -- python -m gluonbook train ...`, '
                             f'or set the DMLC_* variables (see the README)')
        if not self.distributed and os.environ.get('DMLC_ROLE') == 'worker':
            raise ValueError(f'this process is a worker of a parameter-server cluster (DMLC_ROLE=worker), but '
                             f'--kvstore {args.kvstore or "device (the default)"} is not distributed: each worker '
                             f'would train a model of its own and overwrite the others\' files; add --kvstore '
                             f'dist_sync')
        creates = [args.out] if args.out else []  # --out is made before the checkpoint is first written
        problems = [check_file(args.checkpoint, '--checkpoint', creates) if args.checkpoint is not None else None,
                    check_folder(args.out, '--out') if args.out is not None else None]
        if any(problems):
            raise ValueError(next(p for p in problems if p))
        self.seed = args.seed if args.seed is not None else draw_seed()
        self.kv, self.rank, self.num_workers = None, 0, 1

    def join_cluster(self):
        """On a cluster, create the dist KVStore: it tells this worker's rank and the number of workers."""
        if self.distributed:
            self.kv = mx.kv.create(self.args.kvstore)
            self.rank, self.num_workers = self.kv.rank, self.kv.num_workers
            if self.args.batch_size % self.num_workers:
                raise ValueError(f'--batch-size {self.args.batch_size} does not split evenly over '
                                 f'{self.num_workers} workers; use a multiple of {self.num_workers}')

    def path(self, path):
        """``path``, with the worker's rank in its name on a cluster: ``out/history-worker0.json``."""
        if not self.distributed:
            return path
        stem, ext = os.path.splitext(path)
        return f'{stem}-worker{self.rank}{ext}'

    def describe(self):
        layers = '-'.join(map(str, (models.NUM_INPUTS, *self.hiddens, models.NUM_OUTPUTS)))
        where = f'{self.ctxs}' + (f', kvstore {self.args.kvstore}' if self.args.kvstore else '')
        if self.distributed:
            where += f', worker {self.rank} of {self.num_workers}'
        seed = f'seed {self.seed}' + ('' if self.args.seed is not None else
                                      f' (drawn at random; --seed {self.seed} repeats this run)')
        return (f'training {self.model} ({layers}), lr {self.lr}, batch size {self.args.batch_size}, on {where}, '
                f'{seed}')


def draw_seed():
    """A seed from the operating system's randomness: MXNet's generator starts from the same state in every
    process, so an unseeded run would otherwise repeat the last one exactly."""
    return int.from_bytes(os.urandom(4), 'big') % 1_000_000


def load_data(job):
    """``(train_iter, test_iter)`` on the first context; on a cluster, this worker's shard of the training set.

    Every shard has the same size (a few images may be left out), so all workers take the same number of steps:
    dist_sync waits at each step for every worker's gradient."""
    args, ctx = job.args, job.ctxs[0]
    images, labels = data.load_arrays(train=True)
    batch_size = args.batch_size // job.num_workers
    if job.distributed:
        size = len(labels) // job.num_workers
        images, labels = images[job.rank::job.num_workers][:size], labels[job.rank::job.num_workers][:size]
    train_iter = data.DataLoader(images, labels, batch_size, shuffle=True, ctx=ctx)
    test_iter = data.DataLoader(*data.load_arrays(train=False), args.batch_size, ctx=ctx)
    return train_iter, test_iter


def train(job):
    """Train the job's model; returns ``(history, parameters)`` with the parameters as a name -> NDArray dict.

    On a cluster the servers sum the gradients of all workers' batches, so the step is normalised by the global
    batch size (``trainer.step(batch_size)``): each worker contributes ``batch_size / num_workers`` examples."""
    args = job.args
    train_iter, test_iter = load_data(job)
    loss = gloss.SoftmaxCrossEntropyLoss()
    saved = {}
    if args.checkpoint:  # its folder exists, or is --out (checked before)
        os.makedirs(os.path.dirname(args.checkpoint) or '.', exist_ok=True)
    if job.model == 'mlp':
        net, params = models.scratch_mlp(job.hiddens, job.ctxs[0])
        if args.checkpoint:
            saved['checkpoint'] = checkpoint(job)
        history = _finished(lambda: training.train_ch3(net, train_iter, test_iter, loss, args.epochs,
                                                       args.batch_size, params, job.lr, **saved))
        names = [f'{kind}{i // 2 + 1}' for i, kind in enumerate('Wb' * (len(params) // 2))]
        job.seed = saved['checkpoint'].settings['seed'] if saved else job.seed
        return history, dict(zip(names, params))
    net = models.gluon_mlp(job.hiddens, job.ctxs)
    trainer = models.sgd_trainer(net, job.lr, job.ctxs, kvstore=job.kv or args.kvstore or 'device')
    if args.checkpoint:
        saved['checkpoint'] = checkpoint(job)
    history = _finished(lambda: training.train(train_iter, test_iter, net, loss, trainer, job.ctxs, args.epochs,
                                               args.batch_size, **saved))
    job.seed = saved['checkpoint'].settings['seed'] if saved else job.seed
    # named as net.save_parameters names them, so net.load_parameters reads the file
    return history, {f'{i}.{name}': getattr(layer, name).data(job.ctxs[0])
                     for i, layer in enumerate(net) for name in ('weight', 'bias')}


def checkpoint(job):
    """The --checkpoint, recording the settings: a run resuming it with another model, --hiddens, --seed, --lr or
    --batch-size is refused. A run without --seed takes the seed of the checkpoint it resumes (history.json
    records that one)."""
    settings = {'model': job.model, 'hiddens': list(job.hiddens)}
    if job.args.seed is not None:
        settings['seed'] = job.seed
    return Checkpoint(job.path(job.args.checkpoint), settings=settings, defaults={'seed': job.seed})


def _finished(run):
    """The history of ``run()``; on Ctrl-C, of its finished epochs (main exits 130)."""
    try:
        return run()
    except KeyboardInterrupt as e:  # the training loop's, with the finished epochs
        if not hasattr(e, 'history'):
            raise
        return e.history


def save(job, history, params, out):
    """Write the history (JSON), its curves (PNG) and the parameters into ``out``; returns the paths."""
    os.makedirs(out, exist_ok=True)
    args = job.args
    record = {'model': job.model, 'hiddens': list(job.hiddens), 'lr': job.lr, 'batch_size': args.batch_size,
              'epochs': args.epochs, 'seed': job.seed, 'ctx': args.ctx, 'kvstore': args.kvstore,
              'rank': job.rank, 'num_workers': job.num_workers, **history.to_dict()}
    paths = [job.path(os.path.join(out, name)) for name in ('history.json', 'model.params', 'curves.png')]
    write_atomically(paths[0], lambda tmp: _write_json(tmp, record))
    write_atomically(paths[1], lambda tmp: nd.save(tmp, params))
    if not len(history):
        return paths[:2]
    from ..plotting import plot_history
    write_atomically(paths[2], lambda tmp: plot_history(history).savefig(tmp, format='png', dpi=100))
    return paths


def _write_json(path, record):
    with open(path, 'w') as f:
        json.dump(record, f, indent=1)


def _warn(message, category, filename, lineno, file=None, line=None):
    print(f'warning: {message}', file=sys.stderr, flush=True)


def main(args):
    try:
        job = Job(args)
        mx.random.seed(job.seed)
        job.join_cluster()
    except ValueError as e:
        print(f'error: {e}', file=sys.stderr)
        return 2
    print(job.describe(), flush=True)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _warn  # the training loop's warnings as one line, like the errors
            history, params = train(job)
    except FloatingPointError as e:
        print(f'error: {e}', file=sys.stderr)
        return DIVERGED
    except (data.DataError, mx.MXNetError, OSError) as e:  # DataError before ValueError, which it is a kind of
        print(f'error: {e}', file=sys.stderr)
        return 1
    except ValueError as e:  # the training loop refused an argument, e.g. a checkpoint of another model
        print(f'error: {e}', file=sys.stderr)
        return 2
    if args.out:
        try:
            paths = save(job, history, params, args.out)
        except OSError as e:
            print(f'error: could not write the results to --out {args.out}: {e}', file=sys.stderr)
            return 1
        for path in paths:
            print(f'wrote {path}')
    return 130 if len(history) < args.epochs else 0  # fewer epochs: interrupted by Ctrl-C
