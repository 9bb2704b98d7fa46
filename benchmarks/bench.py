"""The speed table: gluonbook against the book's own pipeline and gluonbook 0.8.10, in one run on one machine.

    python benchmarks/bench.py [--epochs 10] [--quick] [--only NAME,...] [--device auto] [--out results.json]

The package ``benchmarks``, one module per job:

- ``work``: what is measured (the MLP chapter's sizes and FLOP counts, the runs and their order);
- ``book``: the reference, gluonbook 0.8.10 fetched with a pinned sha256, and the book's ``train_ch3``;
- ``children``: what each child process measures (the MLP with both pipelines, the matrix-product floor, the data
  load, the RNN and chapter-7 loops, LeNet, the resized input, AlexNet and ResNet-18 steps with their
  convolution floor);
- ``runner``: each measurement in a fresh process, with its peak memory;
- ``targets``: what the table must show; ``table``: the table itself.

This file is the entry point: ``make bench`` runs it with ``--out benchmarks/results.json``. The runs on
``--device`` (LeNet, the resized input, AlexNet, ResNet) use the first GPU when MXNet sees one (``auto``, the
default), and the table says on which device they ran. The machine may be shared: compare the ratios measured in
one run, not absolute times across runs.
"""
import argparse
import json
import os
import sys

if __package__ in (None, ''):  # run as a script: make the package importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.children import child_main  # noqa: E402
from benchmarks.runner import env_for, run_child  # noqa: E402
from benchmarks.table import machine_facts, report, summarize_floor, summarize_training  # noqa: E402
from benchmarks.targets import targets  # noqa: E402
from benchmarks.work import FLOP_FORMULA, FLOP_PER_EPOCH, RUNS  # noqa: E402


def write_json(path, table):
    """Write the results whole or not at all (``gluonbook.files.write_atomically``; imported only now, after every
    child has run, so that this process never imports MXNet before its children start)."""
    from gluonbook.files import write_atomically

    def write(tmp):
        with open(tmp, 'w') as f:
            json.dump(table, f, indent=1)
    write_atomically(path, write)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--epochs', type=int, default=10, help='epochs per training run (default 10)')
    parser.add_argument('--quick', action='store_true', help='a smoke run: 2 epochs, shorter floor measurement')
    parser.add_argument('--only', help=f'comma-separated runs to do, among {",".join(RUNS)} (default: all)')
    parser.add_argument('--out', help='write the results as JSON to this file')
    parser.add_argument('--timeout', type=float, default=1800, help='seconds allowed per run (default 1800)')
    parser.add_argument('--device', default='auto',
                        help='where LeNet, the resized input, AlexNet and ResNet run: auto (the first GPU if MXNet '
                             'sees one, else the CPU), cpu, gpu, gpu:1, ... (default auto)')
    for hidden in ('--child', '--spawned', '--result'):
        parser.add_argument(hidden, help=argparse.SUPPRESS, type=float if hidden == '--spawned' else str)
    args = parser.parse_args(argv)
    if args.child:
        return child_main(args)
    epochs = 2 if args.quick else args.epochs
    if epochs < 1:
        parser.error(f'--epochs must be at least 1, got {epochs}')
    names = RUNS if not args.only else [n.strip() for n in args.only.split(',') if n.strip()]
    unknown = [n for n in names if n not in RUNS]
    if unknown:
        parser.error(f'unknown run(s) {", ".join(unknown)}; choose among {", ".join(RUNS)}')

    machine = machine_facts()
    results = {}
    for name in [n for n in RUNS if n in names]:  # always in the same order: data first, while caches are cold
        print(f'running {name} ...', file=sys.stderr, flush=True)
        result = run_child(name, epochs, args.timeout, env_for(name), args.device)
        if name == 'data':
            results['data-again'] = run_child('data', epochs, args.timeout, env_for(name))
        summarize = summarize_floor if name == 'floor' else (
            summarize_training if name.endswith(('-book', '-gluonbook')) else dict)
        results[name] = summarize(result)
        if 'error' in result:
            print(f'{name} failed: {result["error"]}\n{result.get("log_tail", "")}', file=sys.stderr)
    machine['load_after'] = ' '.join(f'{x:.1f}' for x in os.getloadavg())
    machine['kernels'] = {name: r.get('kernel') for name, r in results.items() if 'kernel' in r}

    lines = report(results, machine, epochs)
    print('\n'.join(lines))
    if args.out:
        table = {'machine': machine, 'epochs': epochs, 'flop_per_epoch': FLOP_PER_EPOCH,
                 'flop_formula': FLOP_FORMULA, 'runs': results,
                 'targets': [{'target': t, 'measured': m, 'result': r} for t, m, r in targets(results, epochs)],
                 'table': lines}
        write_json(args.out, table)
        print(f'results written to {args.out}', file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
