"""The command line: ``python -m gluonbook COMMAND`` (also installed as ``gluonbook``).

Each command lives in the module that does its work; this file only gathers them. Exit codes: 0 success,
1 the job failed (bad data, a failed chapter, a diverged model), 2 bad arguments, 130 interrupted.
"""
import argparse
import importlib
import sys

# command name -> module defining add_arguments(parser) and main(args) -> exit code
COMMANDS = {
    'data': 'gluonbook.datacmd',
    'run': 'gluonbook.chapters',
    'train': 'gluonbook.jobs',
    'launch': 'gluonbook.cluster',
    'search': 'gluonbook.search',
}


def main(argv=None):
    parser = argparse.ArgumentParser(prog='gluonbook', description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest='command', required=True, metavar='COMMAND')
    modules = {}
    for name, module_name in COMMANDS.items():
        module = modules[name] = importlib.import_module(module_name)
        module.add_arguments(sub.add_parser(name, help=module.__doc__.splitlines()[0],
                                            description=module.__doc__))
    args = parser.parse_args(argv)
    try:
        return modules[args.command].main(args)
    except KeyboardInterrupt:
        print('interrupted', file=sys.stderr)
        return 130


if __name__ == '__main__':
    sys.exit(main())
