# Two commands for a fresh Linux or macOS machine with Python 3:
#   make lab    set up (first time only) and open the workshop in JupyterLab
#   make test   set up (first time only) and run the whole test suite
#   make lab-fr the same as make lab, on the French edition
# For maintainers: make check  lint, import contract and unit tests, under two minutes
#                  make lock   write requirements/lock.txt again after a change of pyproject.toml
# Both create or reuse the virtual environment in .venv/, with exactly the versions of
# requirements/lock.txt (pip's constraints; pyproject.toml declares only ranges).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8888
# The tested versions of every package, indirect ones included (docs/architecture.md,
# "Dependencies"). Every install below is constrained to it.
LOCK   := requirements/lock.txt
# Older releases for the laptops whose wheels the newest ones lack (Intel Macs): make lock reads it.
PLATFORM_CONSTRAINTS := requirements/platform-constraints.txt
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check --constraint $(LOCK)
# uv writes the lock (universal: every platform and Python from 3.11), in its own venv.
UV_VERSION := 0.13.9
UV_DIR := .cache/uv-$(UV_VERSION)
UV     := $(UV_DIR)/bin/uv
# Extra options for uv, e.g. make lock LOCK_OPTIONS="--upgrade-package tornado" (or --upgrade).
LOCK_OPTIONS ?=
# This computer's wheels of the locked dependencies, for the USB-stick test
# (tests/test_usb_kit.py installs from them with no network). Downloaded once;
# without network that test skips locally, and fails under CI=true.
WHEELHOUSE := .cache/wheelhouse/.complete
# axe-core for the accessibility tests, pinned in tests/browser/package-lock.json.
# npm writes node_modules/.package-lock.json on every install: a fresh stamp.
AXE    := tests/browser/node_modules/.package-lock.json
# The class hub's tests (tests/hub/) start workshop/hub/ for real, as root: its own environment,
# readable by the participants' accounts (so not from a Python under /root), and the proxy.
HUB_PYTHON ?= $(firstword $(wildcard /usr/bin/python3) $(PYTHON))
HUB_ENV := .cache/hub-env
HUB_SOURCES := $(shell find src/tiktok_lab notebooks -type f -not -path '*/__pycache__/*' 2>/dev/null)
HUB_PROXY := workshop/hub/node_modules/.package-lock.json
HUB := $(if $(filter 0,$(shell id -u)),$(HUB_ENV)/.installed $(HUB_PROXY))

.PHONY: lab lab-fr test check doctor lock clean-venv

lab: $(VENV)/.installed-runtime
	$(BIN)/tiktok-lab lab --port $(PORT)

# The French edition (notebooks/fr/), JupyterLab's menus in French.
lab-fr: $(VENV)/.installed-runtime
	$(BIN)/tiktok-lab lab --lang fr --port $(PORT)

# The whole suite in three runs: the unit tests on every core (as `make check`); the lessons'
# notebooks on every core (each notebook whole on one worker: --dist loadfile); then every test
# that starts kernels, servers, browsers or hubs, once and in order (conftest.py marks them:
# run side by side, a hub test's cells timed out under the load).
test: $(VENV)/.installed-test $(AXE) $(WHEELHOUSE) $(HUB)
	$(BIN)/python -m pytest tests --ignore=tests/browser -m "not slow and not browser" -n auto
	$(BIN)/python -m pytest notebooks workshop/trainer -n auto --dist loadfile
	$(BIN)/python -m pytest tests -m "slow or browser"

# The maintainer's fast loop (under two minutes): lint, the import contract and
# the unit tests; no browser, no notebook runs, nothing marked slow.
check: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/lint-imports
	$(BIN)/python -m pytest tests --ignore=tests/browser -m "not slow and not browser" -q -n auto

doctor: $(VENV)/.installed-runtime
	$(BIN)/tiktok-lab doctor

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "tiktok-lab needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	  echo "Install a newer Python, or name one: make $(MAKECMDGOALS) PYTHON=python3.12"; exit 1; }
	@echo "==> Creating the virtual environment in $(VENV)/"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: pyproject.toml $(LOCK) | $(BIN)/python
	@echo "==> Installing tiktok-lab and the tested versions of its dependencies (about a minute the first time)"
	$(PIP_INSTALL) -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) | $(BIN)/python
	@echo "==> Installing tiktok-lab with its test tools (about a minute the first time)"
	$(PIP_INSTALL) -e ".[test,hub]"
	@touch $(VENV)/.installed-runtime $@

$(AXE): tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  echo "==> Installing axe-core for the accessibility tests (npm ci, a few seconds)"; \
	  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error; \
	else \
	  echo "==> npm not found: the accessibility tests will be skipped (they fail when CI=true)."; \
	  echo "    Install Node.js 18 or newer (it brings npm) to run them."; \
	fi

$(WHEELHOUSE): pyproject.toml $(LOCK) | $(VENV)/.installed-test
	@echo "==> Downloading this computer's wheels for the USB-stick test into .cache/wheelhouse/ (first time only)"
	@$(BIN)/python -m tiktok_lab.kit.usb wheelhouse $(@D) || [ "$$CI" != true ] || exit 1; \
	[ -f $@ ] || echo "    Not downloaded: the USB-stick install test will be skipped (it fails when CI=true)."

$(HUB_ENV)/.installed: pyproject.toml $(LOCK) $(HUB_SOURCES)
	@echo "==> Installing the class hub's environment in $(HUB_ENV)/ for tests/hub/ (first time: about a minute)"
	@[ -x $(HUB_ENV)/bin/python ] || $(HUB_PYTHON) -m venv $(HUB_ENV)
	$(HUB_ENV)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(HUB_ENV)/bin/python -m pip install --quiet --disable-pip-version-check --constraint $(LOCK) ".[hub]"
	@touch $@

$(HUB_PROXY): workshop/hub/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  echo "==> Installing the class hub's proxy (npm ci in workshop/hub/, a few seconds)"; \
	  npm ci --prefix workshop/hub --no-audit --no-fund --loglevel=error; \
	else \
	  echo "==> npm not found: the class hub's tests will be skipped (they fail when CI=true)."; \
	fi

# Write the lock again from pyproject.toml. Versions already in the lock are kept (uv prefers
# them) unless LOCK_OPTIONS says otherwise; then run make test, which installs the new lock.
lock: $(UV)
	$(UV) pip compile pyproject.toml --all-extras --universal --python-version 3.11 \
	  --constraint $(PLATFORM_CONSTRAINTS) --custom-compile-command "make lock" --quiet \
	  $(LOCK_OPTIONS) --output-file $(LOCK)

$(UV):
	$(PYTHON) -m venv $(UV_DIR)
	$(UV_DIR)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

clean-venv:
	rm -rf $(VENV)
