"""The command line: ``python -m gluonbook COMMAND`` (also installed as ``gluonbook``).

Each command lives in ``gluonbook/commands/COMMAND.py``; only the module of the command asked for is imported, so
``launch`` or ``search`` do not load what ``train`` needs. Exit codes: 0 success, 1 the job failed (bad data, a
failed chapter, a diverged model), 2 bad arguments, 130 interrupted.
"""
import argparse
import importlib
import sys

# command -> its one-line summary for the help; the module gluonbook.commands.COMMAND defines
# add_arguments(parser) and main(args) -> exit code (tests/test_cli.py checks each summary against its module)
COMMANDS = {
    'data': 'Report where Fashion-MNIST was found and whether it verified; with --fetch, get it if it is missing.',
    'run': 'Run a chapter notebook: execute it, stream what it prints, save the executed notebook and its figures.',
    'train': "Train a chapter's model on Fashion-MNIST (softmax, mlp, mlp-gluon), on one device, several, or a "
             'cluster.',
    'launch': 'Run COMMAND on the workers of a local MXNet parameter-server cluster (scheduler, servers, workers).',
    'search': 'Search learning rate, epochs, layers and units for the best test accuracy, trials running in '
              'parallel.',
}


def command_module(name):
    """The module of one command, imported now."""
    return importlib.import_module(f'gluonbook.commands.{name}')


def main(argv=None):
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    parser = argparse.ArgumentParser(prog='gluonbook', description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest='command', required=True, metavar='COMMAND')
    parsers = {name: sub.add_parser(name, help=summary, description=summary) for name, summary in COMMANDS.items()}
    chosen = argv[0] if argv and argv[0] in COMMANDS else None
    if chosen:
        module = command_module(chosen)
        parsers[chosen].description = module.__doc__
        module.add_arguments(parsers[chosen])
    args = parser.parse_args(argv)  # without a known command: the help listing them, or the error naming them
    try:
        return module.main(args)
    except KeyboardInterrupt:
        print('interrupted', file=sys.stderr)
        return 130


if __name__ == '__main__':
    sys.exit(main())
