"""The command-line tools, one module per command: ``python -m gluonbook COMMAND``.

  data    where Fashion-MNIST was found and whether it verified (commands/data.py)
  run     execute a chapter notebook (commands/run.py)
  train   train a chapter's model (commands/train.py)
  launch  run a command on a local parameter-server cluster (commands/launch.py)
  search  search hyperparameters with parallel train processes (commands/search.py)

Each module has ``add_arguments(parser)`` and ``main(args) -> exit code``; ``gluonbook/cli.py`` imports only the
one that is asked for. Nothing else in the package imports these modules. What they share: ``args.py`` (argument
types, exit codes, the checks made before any work), ``processes.py`` (SIGTERM as Ctrl-C, child process groups and
their stopping, cores per job) and ``gluonbook/files.py`` (files written whole, paths checked).
"""
