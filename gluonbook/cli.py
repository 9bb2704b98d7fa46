"""The command line: python -m gluonbook COMMAND (also installed as gluonbook).

Each command lives in gluonbook/commands/COMMAND.py; only the module of the command asked for is imported, so
launch or search do not load what train needs. Exit codes: 0 success, 1 the job failed (bad data, a failed
chapter, MXNet missing), 2 bad arguments (one line "error: ..." saying what to change), 3 a trained model
diverged (train), 130 interrupted (Ctrl-C or SIGTERM). When the reader of the output goes away (as in "gluonbook
data | head -1"), the command stops quietly with exit code 0: the reader had what it wanted.
"""
import argparse
import importlib
import os
import sys

# command -> its one-line summary for the help; the module gluonbook.commands.COMMAND defines
# add_arguments(parser) and main(args) -> exit code (tests/test_cli.py checks each summary against its module)
COMMANDS = {
    'data': 'Every data set and model the book uses: verified, bad copy or missing, and where; --fetch, --from, --to.',
    'run': 'Run a chapter notebook: execute it, stream what it prints, save the executed notebook and its figures.',
    'train': "Train a chapter's model on Fashion-MNIST (softmax, mlp, mlp-gluon), on one device, several, or a "
             'cluster.',
    'launch': 'Run COMMAND on the workers of a local MXNet parameter-server cluster (scheduler, servers, workers).',
    'search': 'Search learning rate, epochs, layers and units for the best test accuracy, trials running in '
              'parallel.',
}
EPILOG = '''Run "gluonbook COMMAND --help" for the options of one command.

exit codes: 0 success (also when the output's reader went away, as with | head); 1 the job failed (missing data,
a failed chapter cell, MXNet missing); 2 bad arguments; 3 the model diverged (train); 130 interrupted (Ctrl-C or
SIGTERM).'''


class Parser(argparse.ArgumentParser):
    """argparse, with a bad argument as one line, ``error: ...`` and the command whose --help lists the options."""

    def error(self, message):
        self.exit(2, f'error: {message}; see {self.prog} --help\n')


def command_module(name):
    """The module of one command, imported now."""
    return importlib.import_module(f'gluonbook.commands.{name}')


def version():
    """This package's version, as ``gluonbook --version`` prints it."""
    from . import __version__
    return f'gluonbook {__version__}'


def main(argv=None):
    """Run the command ``argv`` names (default: this process's arguments); returns its exit code."""
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    try:
        return run(argv)
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM while the command ran, before it could stop on its own
        print('interrupted', file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of our output stopped reading (| head): whether that happens before or after our last write
        # is a race, so both end the same way: quietly, exit code 0, and nothing more flushed to the closed pipe
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def run(argv):
    parser = Parser(prog='gluonbook', description=__doc__.splitlines()[0], epilog=EPILOG,
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--version', action='version', version=version())
    sub = parser.add_subparsers(dest='command', required=True, metavar='COMMAND')
    parsers = {name: sub.add_parser(name, help=summary, description=summary,
                                    formatter_class=argparse.RawDescriptionHelpFormatter)
               for name, summary in COMMANDS.items()}
    chosen = argv[0] if argv and argv[0] in COMMANDS else None
    if chosen:
        try:
            module = command_module(chosen)
        except ImportError as e:  # what the command needs is not installed: MXNet, most likely
            print(f'error: {missing(e)}', file=sys.stderr)
            return 1
        parsers[chosen].description = module.__doc__
        module.add_arguments(parsers[chosen])
    args = parser.parse_args(argv)  # without a known command: the help listing them, or the error naming them
    from .commands.processes import interrupts
    with interrupts():  # SIGTERM stops a command as Ctrl-C does
        code = module.main(args)
        sys.stdout.flush()  # here, where a reader that went away is handled in main
    return code


def missing(error):
    """What to install, for the ImportError of a command's module."""
    if (getattr(error, 'name', None) or '').partition('.')[0] == 'mxnet':
        from . import MXNET_MISSING
        return MXNET_MISSING.format(error=error)
    return f'{error}: a package gluonbook needs is missing; install gluonbook again, with its dependencies'


if __name__ == '__main__':
    sys.exit(main())
