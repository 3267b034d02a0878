# Two commands on a fresh Debian machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEBS := poppler-utils qpdf libreoffice-writer-nogui python3-uno fonts-liberation2 fonts-dejavu-core libharfbuzz-subset0 fontconfig chromium

.PHONY: demo test lint typecheck debs bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
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
	$(BIN)/raadsvoorstel batch voorbeelden/raadsronde/proposals --out output/voorbeeld-raadsronde
	$(BIN)/raadsvoorstel status voorbeelden/raadsronde/proposals

# Two test processes (a file's tests stay together, so its module fixtures are built once), with branch coverage
# of the package, subprocesses included (see [tool.coverage] in pyproject.toml). TEST_WORKERS=0: one process.
TEST_WORKERS ?= 2
test: $(STAMP) debs
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile --cov --cov-report=term-missing:skip-covered

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(STAMP) debs
	$(BIN)/python -m bench
	$(BIN)/python -m bench.limits
	$(BIN)/python -m bench.preview

clean:
	rm -rf $(VENV) output/*/
