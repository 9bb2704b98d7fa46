# make run: the from-scratch MLP chapter end to end on Fashion-MNIST. make test: the test suite; make test-fast:
# the tests not marked slow (no training on the real data; under a minute). They create .venv if it is
# missing, install the package, and make sure the data is there.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test test-fast lint bench data clean

$(VENV)/.installed: setup.py pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[cpu,test]"
	touch $@

data: $(VENV)/.installed
	$(PY) -m gluonbook data --fetch

run: data
	$(PY) -m gluonbook run mlp-scratch

lint: $(VENV)/.installed
	$(PY) -m ruff check gluonbook tests benchmarks

test: lint data
	$(PY) -m pytest -q

test-fast: lint data
	$(PY) -m pytest -q -m "not slow"

bench: data
	$(PY) benchmarks/bench.py --out benchmarks/results.json

clean:
	rm -rf $(VENV) out
