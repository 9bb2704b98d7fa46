"""Run COMMAND on the workers of a local MXNet parameter-server cluster (scheduler, servers, workers).

  python -m gluonbook launch -n 2 -s 1 -- python -m gluonbook train mlp-gluon --kvstore dist_sync

starts, on 127.0.0.1 and a free port, a scheduler and S servers (each just "import mxnet" with DMLC_ROLE set,
which serves until the workers finish) and N workers running COMMAND, with the DMLC_* variables that
mx.kv.create('dist_sync') reads. Worker i gets kv.rank i. Each line a worker prints is shown prefixed with
its rank ("[worker 0] epoch 1, ..."). Unless set, each worker gets OMP_NUM_THREADS=cores/N, so the workers
share the machine instead of oversubscribing it. A "gluonbook train" without --kvstore dist_sync (or another
dist_* KVStore) is refused before anything starts: its workers would each train a model of their own and write
over each other's files.

When every worker has finished, or as soon as one fails, everything still running is stopped (SIGTERM, then
SIGKILL), grandchildren included. Exit code: 0 when all workers succeed, else the first failing worker's
(128 + N for a worker killed by signal N); 1 when the scheduler or a server fails; 2 bad arguments;
130 interrupted.
"""
import argparse
import os
import socket
import subprocess
import sys
import threading
import time

from . import processes
from .processes import GRACE, exit_code

SERVE = [sys.executable, '-c', 'import mxnet']  # with DMLC_ROLE=scheduler or server, importing mxnet serves


def add_arguments(parser):
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument('-n', '--workers', type=int, default=2, help='number of workers (default 2)')
    parser.add_argument('-s', '--servers', type=int, default=1, help='number of servers (default 1)')
    parser.add_argument('worker_command', nargs=argparse.REMAINDER, metavar='COMMAND',
                        help='the command each worker runs, after --')


def main(args):
    command = args.worker_command[1:] if args.worker_command[:1] == ['--'] else args.worker_command
    if not command or args.workers < 1 or args.servers < 1:
        print(f'error: launch needs at least one worker and one server (got -n {args.workers} -s {args.servers}) '
              f'and a command after --, e.g. launch -n 2 -s 1 -- python -m gluonbook train mlp-gluon '
              f'--kvstore dist_sync', file=sys.stderr)
        return 2
    problem = unshared_training(command)
    if problem:
        print(f'error: {problem}', file=sys.stderr)
        return 2
    return Cluster(command, args.workers, args.servers).run()


def unshared_training(command):
    """Why ``command`` is a ``gluonbook train`` that would not share its training over the cluster, or None.

    Without a dist KVStore every worker would train a model of its own on all the data, and all of them would
    write the same files in --out; that is refused rather than given a folder per worker, because N copies of
    one run are never what a cluster is started for."""
    for i, word in enumerate(command[:-1]):
        if os.path.basename(word) == 'gluonbook' and command[i + 1] == 'train':  # gluonbook or python -m gluonbook
            options = command[i + 2:]
            break
    else:
        return None
    kvstore = None
    for j, option in enumerate(options):
        name, equals, value = option.partition('=')
        if len(name) > 3 and '--kvstore'.startswith(name):  # argparse takes --kvstore, --kvstore=X and --kv X
            kvstore = value if equals else (options[j + 1] if j + 1 < len(options) else None)
    if kvstore and kvstore.startswith('dist'):
        return None
    has = f'--kvstore {kvstore}' if kvstore else 'no --kvstore'
    return (f'the train command has {has}, so each worker would train a model of its own and overwrite the '
            f'others\' files; add --kvstore dist_sync (or dist_async) to it, so that the workers train one model '
            f'together')


def free_ports(n, host='127.0.0.1'):
    """``n`` distinct TCP ports that are free on ``host`` right now, in increasing order."""
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind((host, 0))
        return sorted(s.getsockname()[1] for s in sockets)
    finally:
        for s in sockets:
            s.close()


def cluster_env(role, root_port, workers, servers, host='127.0.0.1'):
    """The DMLC_* variables of one node of the cluster."""
    return {'DMLC_ROLE': role, 'DMLC_PS_ROOT_URI': host, 'DMLC_PS_ROOT_PORT': str(root_port),
            'DMLC_NUM_WORKER': str(workers), 'DMLC_NUM_SERVER': str(servers), 'DMLC_NODE_HOST': host}


class Cluster:
    """A scheduler, servers and workers on this machine, started, watched and stopped together."""

    def __init__(self, command, workers=2, servers=1, host='127.0.0.1', out=None):
        self.command, self.num_workers, self.num_servers, self.host = list(command), workers, servers, host
        self.out = out or sys.stdout
        self.scheduler, self.servers, self.workers, self.readers = None, [], [], []
        self.lock, self.stopped = threading.Lock(), False

    @property
    def processes(self):
        return [p for p in [self.scheduler, *self.servers, *self.workers] if p is not None]

    def start(self):
        """Start every node. ps-lite ranks the workers of one host by their port, so worker i gets the i-th
        smallest port (variable PORT) and hence kv.rank i."""
        root_port, *worker_ports = free_ports(1 + self.num_workers, self.host)
        threads = str(processes.threads_per_job(self.num_workers))
        base = cluster_env(None, root_port, self.num_workers, self.num_servers, self.host)
        self.scheduler = self._spawn('scheduler', SERVE, {**base, 'DMLC_ROLE': 'scheduler'})
        self.servers = [self._spawn(f'server {i}', SERVE, {**base, 'DMLC_ROLE': 'server'})
                        for i in range(self.num_servers)]
        for rank, port in enumerate(worker_ports):
            env = {**base, 'DMLC_ROLE': 'worker', 'PORT': str(port), 'PYTHONUNBUFFERED': '1',
                   'OMP_NUM_THREADS': os.environ.get('OMP_NUM_THREADS', threads)}
            self.workers.append(self._spawn(f'worker {rank}', self.command, env))

    def _spawn(self, name, command, env):
        """Start one node in its own session (so it and its children can be stopped as a group); its output is
        copied to ours, each line prefixed with ``[name]``."""
        process = processes.start(command, env={**os.environ, **env}, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, errors='replace', bufsize=1)
        reader = threading.Thread(target=self._copy, args=(name, process.stdout), daemon=True)
        reader.start()
        self.readers.append(reader)
        return process

    def _copy(self, name, stream):
        for line in stream:
            with self.lock:
                print(f'[{name}] {line.rstrip()}', file=self.out, flush=True)

    def wait(self):
        """Wait for the workers; the exit code (see the module's help)."""
        while True:
            failed = [w for w in self.workers if w.poll() not in (None, 0)]
            if failed:
                rank = self.workers.index(failed[0])
                self._say(f'worker {rank} failed with exit code {exit_code(failed[0].returncode)}; '
                          f'stopping the cluster')
                return exit_code(failed[0].returncode)
            if all(w.returncode == 0 for w in self.workers):
                return 0
            broken = [p for p in [self.scheduler, *self.servers] if p.poll() not in (None, 0)]
            if broken:
                self._say(f'the {"scheduler" if broken[0] is self.scheduler else "server"} stopped with exit code '
                          f'{exit_code(broken[0].returncode)} before the workers finished; stopping the cluster')
                return 1
            time.sleep(0.1)

    def stop(self, linger=0):
        """Give the scheduler and servers ``linger`` seconds to finish on their own, then SIGTERM every node's
        process group (the node and anything it started), then SIGKILL what is left; waits for all of them."""
        if self.stopped:
            return
        self.stopped = True
        processes.wait_all(self.processes, linger)
        processes.stop(self.processes)
        for reader in self.readers:
            reader.join(timeout=GRACE)

    def run(self):
        """Start the cluster, wait for the workers, stop everything; returns the exit code.

        SIGTERM (and Ctrl-C) stop the whole cluster too, before this process ends."""
        with processes.interrupts():
            try:
                try:
                    self.start()
                except OSError as e:
                    self._say(f'cannot start {self.command[0]!r}: {e}; check the command after --')
                    return 2
                code = self.wait()
                self.stop(linger=GRACE if code == 0 else 0)
                return code
            finally:
                self.stop()

    def _say(self, message):
        with self.lock:
            print(f'[launch] {message}', file=self.out, flush=True)
