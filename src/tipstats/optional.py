"""Optional dependencies: which extra brings each, and the one-line error when one is missing.

``pip install tipstats`` brings pandas, pandera and numpy: every dataset loads. The rest is optional
(``pyproject.toml``, ``[project.optional-dependencies]``); a feature that needs a missing package raises
:class:`MissingDependency`, an ``ImportError`` whose message is one line naming the package and the extra:

>>> str(MissingDependency("matplotlib", "tipstats.figures"))
"tipstats.figures needs matplotlib, which is not installed: pip install 'tipstats[figures]'"
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: The extra of ``pyproject.toml`` that brings each optional module (its import name).
EXTRA_OF = {
    "matplotlib": "figures",
    "seaborn": "figures",
    "statsmodels": "analysis",
    "scipy": "analysis",
    "nbclient": "notebooks",
    "nbconvert": "notebooks",
    "nbformat": "notebooks",
    "pyarrow": "export",
    "xlsxwriter": "export",
}


class MissingDependency(ImportError):
    """An optional package is not installed; the message names it and the extra that brings it."""

    def __init__(self, module: str, feature: str):
        self.module, self.feature, self.extra = module, feature, EXTRA_OF[module]
        super().__init__(
            f"{feature} needs {module}, which is not installed: pip install 'tipstats[{self.extra}]'",
            name=module,
        )


def require(module: str, feature: str) -> ModuleType:
    """Import ``module`` (a key of :data:`EXTRA_OF`) for ``feature``, or raise :class:`MissingDependency`."""
    top = module.split(".")[0]
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and exc.name.split(".")[0] != top:
            raise  # the package is there but one of its own dependencies is broken: not ours to rename
        raise MissingDependency(top, feature) from None
