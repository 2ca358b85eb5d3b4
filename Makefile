# Two commands on a fresh machine with python3 and make: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 5000

.PHONY: run test lint translations docs bench bench-scale clean

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
	$(BIN)/python -m tests.bench.bench_sheets
	$(BIN)/python -m tests.bench.bench_calendar
	$(BIN)/python -m tests.bench.bench_throughput

# Every figure at one enterprise's full size, on the PostgreSQL database named by
# AFTERSALES_DATABASE_URL (generated first when it holds no work order: ~10 minutes), the
# output kept in build/bench/<date>.log and docs/benchmarks.md's figures table rewritten
# from its `figure:` lines (docs/benchmarks.md says how to start a PostgreSQL for it).
# A benchmark that fails does not stop the ones after it: its figures are missing from the table.
BENCH_LOG := build/bench/$(shell date +%F).log
bench-scale: $(STAMP)
	@case "$$AFTERSALES_DATABASE_URL" in postgresql*) ;; *) echo "bench-scale measures on PostgreSQL: set AFTERSALES_DATABASE_URL=postgresql+psycopg://… (docs/benchmarks.md)"; exit 2;; esac
	mkdir -p build/bench
	{ $(BIN)/python -m tests.bench.generate --size full --if-empty && { \
	  $(BIN)/python -m tests.bench.bench_startup; \
	  $(BIN)/python -m tests.bench.bench_complaints; \
	  $(BIN)/python -m tests.bench.bench_tickets; \
	  $(BIN)/python -m tests.bench.bench_evidence; \
	  $(BIN)/python -m tests.bench.bench_audit; \
	  $(BIN)/python -m tests.bench.bench_package; \
	  $(BIN)/python -m tests.bench.bench_sheets; \
	  $(BIN)/python -m tests.bench.bench_training; \
	  $(BIN)/python -m tests.bench.bench_calendar; \
	  $(BIN)/python -m tests.bench.bench_stamps; \
	  $(BIN)/python -m tests.bench.bench_coverage; \
	  $(BIN)/python -m tests.bench.bench_pages --runs 3; \
	  $(BIN)/python -m tests.bench.bench_throughput; }; } 2>&1 | tee $(BENCH_LOG)
	$(BIN)/python -m tests.bench.figures_table $(BENCH_LOG)
