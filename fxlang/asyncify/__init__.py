"""Asyncify-style lowering of WasmFX to standard Wasm (see docs/asyncify.md)"""
