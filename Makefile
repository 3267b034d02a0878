# Two commands on a fresh Debian machine: `make demo` and `make test`.
# The interpreter for .venv: the fastest CPython >= 3.11 on the machine. The distribution's own build comes first,
# newest version first (Debian builds CPython with profile-guided optimisation and LTO: 8-11% less CPU per PDF
# than pyenv's builds of 3.11-3.13, see docs/performance.md), then python3.13 ... python3 on PATH; a
# candidate without venv support (ensurepip) is passed over. `make PYTHON=/pad/naar/python` chooses another.
PYTHON_CANDIDATES := /usr/bin/python3.13 /usr/bin/python3.12 /usr/bin/python3.11 /usr/bin/python3 \
	python3.13 python3.12 python3.11 python3
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for p in $(PYTHON_CANDIDATES); do command -v $$p >/dev/null 2>&1 && \
	$$p -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
endif
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The interpreter .venv was made with: another choice (a new Python on the machine, PYTHON=...) remakes .venv.
INTERPRETER := $(VENV)/.interpreter
DEBS := poppler-utils qpdf libreoffice-writer-nogui python3-uno fonts-liberation2 fonts-dejavu-core libharfbuzz-subset0 fontconfig chromium

.PHONY: demo test lint typecheck debs bench clean python FORCE mutate

python:
	@echo "Python: $(PYTHON) ($$($(PYTHON) -c 'import platform; print(platform.python_version())'))"

$(INTERPRETER): FORCE
	@test -z "$(PYTHON)" && { echo "Geen Python 3.11 of nieuwer gevonden (met venv); geef er een op: make PYTHON=..."; exit 1; } || true
	@if [ -d $(VENV) ] && [ "$$(cat $@ 2>/dev/null)" != "$(PYTHON)" ]; then rm -f $(STAMP); fi

$(STAMP): pyproject.toml $(INTERPRETER)
	@echo "Python voor $(VENV): $(PYTHON) ($$($(PYTHON) -c 'import platform; print(platform.python_version())'))"
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	echo "$(PYTHON)" > $(INTERPRETER)
	touch $(STAMP)

# Debian packages: installed when missing and we are root (CI, fresh machines). Without root they are listed
# and the tests that need them are skipped with the reason (CI sets RAADSVOORSTEL_ALLE_TESTS=1: no skips).
debs:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  else echo "Let op: niet geïnstalleerd:$$missing (als root: apt-get install$$missing);" \
	    "de tests die ze nodig hebben, worden overgeslagen."; fi; \
	fi

demo: $(STAMP) debs
	$(BIN)/raadsvoorstel validate proposals/impuls-sociale-infrastructuur
	$(BIN)/raadsvoorstel batch proposals --out output
	# A fictional region through a whole round: one council adopted with an amendment, one offered, one in concept.
	$(BIN)/raadsvoorstel batch voorbeelden/raadsronde/proposals --out output/voorbeeld-raadsronde --publiceer
	$(BIN)/raadsvoorstel status voorbeelden/raadsronde/proposals

# One test process per core: the suite is bound by processor time (coverage's tracer slows every Python render),
# and a third process on two cores only added contention (measured: 90 s with three, 82 s with two). A file's
# tests stay together, so its module fixtures are built once; the example build is shared by all processes
# (tests/conftest.py). Branch coverage of the package, subprocesses included (see [tool.coverage] in
# pyproject.toml). TEST_WORKERS=0: one process.
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
test: $(STAMP) debs
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --cov --cov-report=term-missing:skip-covered

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP) debs
	@echo "Python: $$(cat $(INTERPRETER) 2>/dev/null || echo '?') → $$($(BIN)/python -c 'import platform, sys; print(sys.executable, platform.python_version())')"
	$(BIN)/python -m bench
	$(BIN)/python -m bench.limits
	$(BIN)/python -m bench.preview
	$(BIN)/python -m bench.editor
	$(BIN)/python -m bench.writers --herhalingen 1

# Mutation testing with mutmut (not part of `make test`; see docs/testing.md, "Mutatietests"). mutmut copies the
# package into mutants/, mutates generator/document/, resolve/ and writers/ ([tool.mutmut] in pyproject.toml) and
# runs, per mutant, the fast test selection's tests that reach the mutated function. MUTATE picks the mutants
# (mutmut name patterns): by default three modules, minutes on 2 cores; widen it, e.g.
# make mutate MUTATE='generator.document.* generator.resolve.*' (about 3,300 mutants, an hour or more) or
# MUTATE='generator.*' (writers too). The score per module comes from tools/mutation_score.py.
MUTATE ?= generator.document.local.* generator.document.footnotes.* generator.resolve.merge.*
MUTATE_JOBS ?= 2
mutate: $(STAMP)
	$(BIN)/mutmut run --max-children $(MUTATE_JOBS) $(foreach m,$(MUTATE),'$(m)')
	$(BIN)/python tools/mutation_score.py $(foreach m,$(MUTATE),'$(m)')

clean:
	rm -rf $(VENV) output/*/

# The editor's accessibility test runs axe-core (npm) in the test's browser: installed here, into a folder of the
# project, never fetched while the tests run.
# (npm from Debian only where no npm is on the PATH: a Node.js that brings its own npm conflicts with Debian's.)
AXE := .cache/npm/node_modules/axe-core/axe.min.js
$(AXE):
	command -v npm >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq npm; }
	npm install --prefix .cache/npm --no-audit --no-fund --no-save axe-core@4
test: $(AXE)
