# bptools — make demo: run the main job on samples/; make test: lint and the test suite.
# Both set up everything they need: a virtual environment in .venv, and for the tests
# LibreOffice Calc with a CJK font and Chromium (Debian packages), which open the workbooks
# and the HTML report we write as a person would.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
YEAR := 2023
TEMPLATE := templates/项目支出绩效目标表模板.xlsx
DEMO_OUT := out/demo
FUZZ_N ?= 3000
BENCH_SIZES ?= 100,1000,3000

.PHONY: help install office test lint format demo preview bench fuzz template samples clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install bptools with its dev tools

office:  ## install LibreOffice Calc, fonts and Chromium if missing (Debian; root or sudo)
	@if ! command -v soffice >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1 \
			|| ! fc-list :lang=zh 2>/dev/null | grep -q . \
			|| ! fc-match Calibri 2>/dev/null | grep -q Carlito; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
			libreoffice-calc fonts-noto-cjk fonts-crosextra-carlito chromium >/dev/null; \
	fi

test: install office lint  ## lint, then run the test suite
	$(BIN)/pytest -n auto --dist loadgroup

lint: install  ## ruff check and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install  ## reformat and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

demo: install  ## merge samples/ into out/demo/: workbook, web page, feedback, published tables
	$(BIN)/bptools merge "samples/*.xlsx" -o $(DEMO_OUT) --fail-on never
	$(BIN)/bptools publish "samples/*.xlsx" -o $(DEMO_OUT) --fail-on never

preview: install office  ## PNGs of every output's pages, as printed, and of the web page, in out/preview/
	$(BIN)/python -m tests.printing out/preview

fuzz: install  ## damage FUZZ_N workbooks (default 3000), check and merge them; table in docs/fuzz.md
	$(BIN)/python -m tests.fuzz.run --n $(FUZZ_N) --markdown docs/fuzz.md

bench: install  ## naive script, calamine floor, merge and re-merges at BENCH_SIZES workbooks; bench/RESULTS.md
	$(BIN)/python -m bench.run --sizes $(BENCH_SIZES) --results bench/RESULTS.md

template: install  ## regenerate the blank template in templates/
	$(BIN)/python -c "from pathlib import Path; from bptools.template import write_template; \
		write_template(Path('$(TEMPLATE)'), $(YEAR), reproducible=True)"

samples: install  ## regenerate samples/*.xlsx from samples/data/$(YEAR).yaml
	$(BIN)/python -m bptools.samples samples/data/$(YEAR).yaml samples

clean:  ## remove the virtual environment and generated output
	rm -rf $(VENV) out build *.egg-info .pytest_cache .ruff_cache
