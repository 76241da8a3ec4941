"""Net-zero neighbourhood assessment toolkit (``nzn``).

The library is usable without the command line::

    from assessment import assess, validate_input
    loaded = validate_input("sample_inputs/riverside-retrofit.xlsx")
    result = assess(loaded)
"""

__version__ = "0.1.0"

__all__ = ["__version__", "assess", "load_input", "validate_input"]

#: Public names and the module each comes from; imported on first use, so ``import assessment`` (and ``nzn --help``) stays light.
_PUBLIC = {"assess": "assessment.pipeline", "validate_input": "assessment.checks", "load_input": "assessment.io.load"}


def __getattr__(name: str):
    if name in _PUBLIC:
        import importlib  # start-up: the library loads on first use of a public name

        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'assessment' has no attribute {name!r}")
