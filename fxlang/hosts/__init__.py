"""Host-side implementations of the `fx` interface (docs/host.md) for the engines `fxc run` drives."""
