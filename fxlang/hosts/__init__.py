"""Host-side code for the engines `fxc run` drives: wasi_run.mjs runs a WASI command on node (node:wasi);
the VM's WASI implementation is vm.wasi (docs/host.md)."""
