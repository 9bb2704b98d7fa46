"""The speed table of gluonbook, as a small package: see bench.py (the entry point) for what each module does."""
