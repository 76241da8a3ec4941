"""Net-zero neighbourhood assessment toolkit (``nzn``).

The library is usable without the command line::

    from assessment import load_input
    model = load_input("sample_inputs/riverside-retrofit.xlsx").model
"""

__version__ = "0.1.0"

from assessment.io.load import load_input  # noqa: E402

__all__ = ["__version__", "load_input"]
