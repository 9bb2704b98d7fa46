# make run: the from-scratch MLP chapter end to end on Fashion-MNIST. make test: ruff and the test suite; make
# test-fast: the tests not marked slow (no training on the real data; under a minute). They create the virtual
# environment if it is missing, install the package, and make sure the data is there. PYTHON picks the interpreter
# (3.10 to 3.13), e.g. make run PYTHON=python3.13; a venv made with another Python is made anew.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MXNET ?= mxnet==1.9.1
PYVERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
ifeq ($(PYVERSION),)
$(error PYTHON=$(PYTHON) is not a Python interpreter that runs here; give its path, e.g. PYTHON=/usr/bin/python3.12)
endif
INSTALLED := $(VENV)/.installed-$(PYVERSION)
# the compatibility suite: the data layer, training, the book's programs, the docstring examples, one chapter
# executed, the seed program
COMPAT_TESTS := tests/test_compat.py tests/test_data.py tests/test_datahub.py tests/test_training.py tests/test_book_compat.py \
	tests/test_docstrings.py \
	tests/test_seed.py "tests/test_chapters.py::test_the_mlp_beats_softmax_regression_and_reaches_the_books_accuracy"

.PHONY: run test test-fast test-compat lint bench data clean

# MXNet goes in last and without its declared dependencies: its metadata says numpy<2, which has no wheels for
# Python 3.13; gluonbook declares what MXNet needs. --only-binary: numpy is never built from source.
$(INSTALLED): pyproject.toml setup.py
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --only-binary numpy -e ".[notebooks,test]"
	$(PY) -m pip install -q --no-deps $(MXNET)
	touch $@

data: $(INSTALLED)
	$(PY) -m gluonbook data --fetch fashion-mnist

run: data
	$(PY) -m gluonbook run mlp-scratch

lint: $(INSTALLED)
	$(PY) -m ruff check gluonbook gluonbook_compat.py setup.py tests benchmarks

test: lint data
	$(PY) -m pytest -q

test-fast: lint data
	$(PY) -m pytest -q -m "not slow"

test-compat: data
	$(PY) -m pytest -q $(COMPAT_TESTS)

bench: data
	$(PY) benchmarks/bench.py --out benchmarks/results.json

clean:
	rm -rf .venv .venv-* out search dist
