"""The command line: python -m gluonbook COMMAND (also installed as gluonbook).

Each command lives in gluonbook/commands/COMMAND.py; only the module of the command asked for is imported, so
launch or search do not load what train needs. Exit codes: 0 success, 1 the job failed (bad data, a failed
chapter), 2 bad arguments (one line "error: ..." saying what to change), 3 a trained model diverged (train),
130 interrupted, 141 the reader of the output went away (as in "gluonbook data | head -1").
"""
import argparse
import importlib
import os
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
EPILOG = '''Run "gluonbook COMMAND --help" for the options of one command.

exit codes: 0 success; 1 the job failed (missing data, a failed chapter cell); 2 bad arguments; 3 the model
diverged (train); 130 interrupted; 141 the output's reader went away.'''


def command_module(name):
    """The module of one command, imported now."""
    return importlib.import_module(f'gluonbook.commands.{name}')


def version():
    """This package's version, as ``gluonbook --version`` prints it."""
    from . import __version__
    return f'gluonbook {__version__}'


def main(argv=None):
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    parser = argparse.ArgumentParser(prog='gluonbook', description=__doc__.splitlines()[0], epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--version', action='version', version=version())
    sub = parser.add_subparsers(dest='command', required=True, metavar='COMMAND')
    parsers = {name: sub.add_parser(name, help=summary, description=summary,
                                    formatter_class=argparse.RawDescriptionHelpFormatter)
               for name, summary in COMMANDS.items()}
    chosen = argv[0] if argv and argv[0] in COMMANDS else None
    if chosen:
        module = command_module(chosen)
        parsers[chosen].description = module.__doc__
        module.add_arguments(parsers[chosen])
    args = parser.parse_args(argv)  # without a known command: the help listing them, or the error naming them
    try:
        code = module.main(args)
        sys.stdout.flush()  # here, where a reader that went away is handled below
        return code
    except KeyboardInterrupt:
        print('interrupted', file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of our output stopped reading (| head): stop quietly, and let nothing flush to the closed pipe
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == '__main__':
    sys.exit(main())
