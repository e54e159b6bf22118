"""The name section's content: debug names per index space (a custom section; never validated)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Names:
    """The name section.  Keys may be ints or handles; they are resolved when encoding."""
    module: str | None = None
    funcs: dict = field(default_factory=dict)
    locals: dict = field(default_factory=dict)    # func -> {local index: name}
    labels: dict = field(default_factory=dict)    # func -> {label index: name}
    types: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)
    memories: dict = field(default_factory=dict)
    globals: dict = field(default_factory=dict)
    elems: dict = field(default_factory=dict)
    datas: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)    # type -> {field index: name}
    tags: dict = field(default_factory=dict)
    unknown: list = field(default_factory=list)   # (subsection id, raw bytes) of subsections not listed above

    def space(self, kind: str) -> dict:
        return {'func': self.funcs, 'table': self.tables, 'memory': self.memories,
                'global': self.globals, 'tag': self.tags, 'type': self.types}[kind]

    def clear(self) -> None:
        """Back to empty, in place (the type section keeps a reference to this object)."""
        self.__init__()

    def is_empty(self) -> bool:
        return self.module is None and not any(
            getattr(self, k) for k in ('funcs', 'locals', 'labels', 'types', 'tables', 'memories',
                                       'globals', 'elems', 'datas', 'fields', 'tags', 'unknown'))
