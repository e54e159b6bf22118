"""The binary format: vm.binary.decode(data) -> vm.syntax.Module (raises vm.errors.DecodeError)."""

from .decode import decode, decode_names

__all__ = ['decode', 'decode_names']
