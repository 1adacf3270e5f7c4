"""Country-name spellings -> ISO3 codes, from the reviewed mapping (dataset ``country_names``).

The mapping is a reviewed data file (``data/reference/country_names.csv``), built into the
``country_names`` dataset; this module only applies it. A name that the mapping does not list
is an error, never a guess.

>>> import pandas as pd
>>> from tipstats.countries import name_to_iso3
>>> mapping = pd.DataFrame({"name": ["Swaziland", "Eswatini", "European Union"],
...                         "iso3": ["SWZ", "SWZ", None]})
>>> name_to_iso3(pd.Series(["Eswatini", "European Union", "Swaziland"]), file="example.csv",
...              column="participant", mapping=mapping).tolist()
['SWZ', nan, 'SWZ']
"""

from __future__ import annotations

import pandas as pd

from tipstats.errors import DataValidationError, Failure, row_number

CHECK = "name is listed in country_names (data/reference/country_names.csv)"


def load_name_map() -> pd.DataFrame:
    """The ``country_names`` dataset: one row per spelling, with its iso3 and entity type.

    >>> from tipstats.countries import load_name_map
    >>> names = load_name_map().set_index("name")
    >>> names.loc["The former Yugoslav Republic of Macedonia", "iso3"]
    'MKD'
    >>> names.loc["European Union", "entity_type"]
    'regional_organisation'
    """
    from tipstats.loaders import load

    return load("country_names")


def name_to_iso3(
    names: pd.Series,
    *,
    file: str,
    column: str,
    mapping: pd.DataFrame | None = None,
    failures: list[Failure] | None = None,
) -> pd.Series:
    """Map each spelling in ``names`` to its iso3 code (missing for a name that is not a country).

    ``names`` should keep the index of the raw frame it comes from (0-based data rows), so that
    an unknown name is reported with its spreadsheet row. Every unknown name (and every empty
    cell) is collected, then raised once as :class:`~tipstats.errors.DataValidationError`,
    one :class:`~tipstats.errors.Failure` per cell (file, row, column, value).

    ``mapping`` needs the columns ``name`` and ``iso3``; by default the ``country_names`` dataset.
    With ``failures`` (a list), the failures are appended to it instead and an unknown name maps
    to a missing code, so that a builder can go on and report its other problems too.

    >>> import pandas as pd
    >>> mapping = pd.DataFrame({"name": ["Turkey", "Türkiye"], "iso3": ["TUR", "TUR"]})
    >>> try:
    ...     name_to_iso3(pd.Series(["Turkey", "Turkei"]), file="x.csv", column="country", mapping=mapping)
    ... except Exception as exc:
    ...     print(exc.failures[0].as_line())
    x.csv, row 3, column 'country': value 'Turkei' fails name is listed in country_names (data/reference/country_names.csv)
    """
    if mapping is None:
        mapping = load_name_map()
    duplicated = mapping["name"][mapping["name"].duplicated()]
    if len(duplicated):
        raise ValueError(f"mapping lists a spelling twice: {sorted(set(duplicated))}")
    lookup = dict(zip(mapping["name"], mapping["iso3"], strict=True))
    known = names.isin(list(lookup))
    found = [
        Failure(file, row_number(index), column, CHECK, None if pd.isna(value) else value, kind="rule")
        for index, value in names[~known].items()
    ]
    if failures is not None:
        failures += found
    elif found:
        raise DataValidationError(found)
    return names.map(lookup).astype("str")
