# Two commands on a fresh machine with python3 and make: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 5000

.PHONY: run test lint translations docs bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d aftersales/translations >/dev/null

run: $(STAMP) translations
	$(BIN)/aftersales db upgrade
	$(BIN)/aftersales outlets load-cities
	$(BIN)/aftersales demo load --if-empty
	@echo "Serving on http://127.0.0.1:$(PORT) (scheduler beside it); Ctrl-C stops both"
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/aftersales scheduler & \
	  $(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 'aftersales:create_app()'

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# The documentation in docs/ (mkdocs.yml), every warning an error: a broken link or anchor,
# or a page left out of the navigation, fails the build and so `make test`.
docs: $(STAMP)
	$(BIN)/mkdocs build --strict --quiet --site-dir build/site

test: lint translations docs
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache build/site

bench: $(STAMP)
	$(BIN)/python -m tests.bench.bench_audit
	$(BIN)/python -m tests.bench.bench_tickets
	$(BIN)/python -m tests.bench.bench_coverage
	$(BIN)/python -m tests.bench.bench_training
	$(BIN)/python -m tests.bench.bench_stamps
	$(BIN)/python -m tests.bench.bench_complaints
	$(BIN)/python -m tests.bench.bench_evidence
	$(BIN)/python -m tests.bench.bench_package
	$(BIN)/python -m tests.bench.bench_calendar
	$(BIN)/python -m tests.bench.bench_throughput
