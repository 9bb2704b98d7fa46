"""The process runner: each measurement in a fresh Python process, its result and its peak memory collected.

The parent imports neither MXNet nor gluonbook while it runs them, so it changes nothing in its children's
environment.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

from .work import CHAPTERS, LOOPS

BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'bench.py')  # the children's entry point


def run_child(name, epochs, timeout, env=None, device='auto'):
    """Run one measurement in a fresh process of this Python; returns its result, with ``peak_rss_mb``
    (the largest resident set of the process or any worker it started, as ``/usr/bin/time -v`` reports it)
    and ``wall_s``; or ``{'error': ...}`` saying what went wrong."""
    fd, result_path = tempfile.mkstemp(prefix='bench-', suffix='.json')
    os.close(fd)
    with tempfile.TemporaryFile(mode='w+') as log:
        spawned = time.time()
        proc = subprocess.Popen(
            [sys.executable, BENCH, '--child', name, '--epochs', str(epochs), '--device', device,
             '--spawned', repr(spawned), '--result', result_path],
            stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        timer = threading.Timer(timeout, os.killpg, (proc.pid, signal.SIGKILL))  # its own group: it and its workers
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own rusage, workers included
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.time() - spawned
        log.seek(0)
        output = log.read()
    try:
        with open(result_path) as f:
            result = json.load(f) if proc.returncode == 0 else None
    except (OSError, ValueError):
        result = None
    finally:
        os.remove(result_path)
    if result is None:
        if proc.returncode == -signal.SIGKILL and wall >= timeout:
            error = f'timed out after {timeout:.0f} s (raise --timeout)'
        else:
            lines = [line for line in output.splitlines() if line.strip()]
            error = f'exit code {proc.returncode}: {lines[-1] if lines else "no output"}'
        return {'error': error, 'log_tail': output[-3000:]}
    result.update(peak_rss_mb=usage.ru_maxrss / 1024, wall_s=wall)
    return result


def env_for(name):
    """The book's pipeline runs the stack as the book had it: no BLAS kernel chosen for it (gluonbook_compat's
    start-up hook off)."""
    env = dict(os.environ)
    if name in LOOPS or name in CHAPTERS:
        env['MPLBACKEND'] = 'Agg'
    if name.endswith('-book'):
        env.pop('OPENBLAS_CORETYPE', None)
        env['GLUONBOOK_COMPAT'] = '0'
    return env
