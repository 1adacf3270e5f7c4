"""Facts of the world that several parts of tipstats use, each stated once, with where it comes from.

Nothing here is computed from data: these are the treaty's own calendar and articles, the
conventions of the sources (the '<5' mark of dataUNODC) and the labels the analysis uses. A test
checks each dated fact against the file that states it (``tests/test_core.py``).
"""

from __future__ import annotations

import pandas as pd

# -- the Protocol's calendar ---------------------------------------------------------------------
# Both dates are stated in the UNTC record of the Protocol, data/raw/treaty/XVIII-12-a.en.xml:
# "New York, 15 November 2000" and "Entry into force 25 December 2003".
TIP_PROTOCOL_ADOPTED = pd.Timestamp("2000-11-15")
TIP_PROTOCOL_IN_FORCE = pd.Timestamp("2003-12-25")

# Article 16 (the TreatyNote of the same file): open for signature "from 12 to 15 December 2000 at
# the Palazzi di Giustizia in Palermo, Italy, and thereafter at United Nations Headquarters in New
# York until 12 December 2002". A signature outside these days cannot be true.
TIP_PROTOCOL_SIGNATURE_OPENS = pd.Timestamp("2000-12-12")
TIP_PROTOCOL_SIGNATURE_CLOSES = pd.Timestamp("2002-12-12")

# Article 17(1): the Protocol enters into force on the ninetieth day after the deposit of the
# fortieth instrument. Article 17(2): for a State joining later, on the thirtieth day after its
# deposit (or on the Protocol's own entry into force, if later). Same file, articles section.
FIRST_ENTRY_INTO_FORCE_INSTRUMENTS = 40
FIRST_ENTRY_INTO_FORCE_DAYS = 90
ENTRY_INTO_FORCE_DAYS = 30

# The treaties of the UNTC tables: the Trafficking in Persons Protocol (XVIII-12-a), the Smuggling of
# Migrants Protocol (XVIII-12-b) and the Convention against Transnational Organized Crime (XVIII-12).
TREATIES = ("tip_protocol", "som_protocol", "untoc")

# The actions by which a State becomes a party (UNTC's column headings and footnote vocabulary,
# data/raw/treaty/tip_protocol_participants.csv); a signature alone does not.
JOINING_ACTIONS = ("ratification", "accession", "acceptance", "approval", "succession", "formal confirmation")

# How a UNTC status table marks the kind of instrument after the date of the action cell ("15 Aug
# 2014 a"): no mark for a ratification (data/raw/treaty/README.md, "action_type").
UNTC_ACTION_MARKS = {
    "": "ratification",
    "a": "accession",
    "A": "acceptance",
    "AA": "approval",
    "d": "succession",
    "c": "formal confirmation",
}

# -- bounds of the sources -----------------------------------------------------------------------
# Latest plausible date of any event in the sources (their newest pages date from 2026): a fixed
# date rather than today's, so that whether a file is valid does not depend on the day of the build.
LATEST_SOURCE_DATE = pd.Timestamp("2026-12-31")

# -- dataUNODC's suppression mark (data/raw/glotip/README.md: counts below five are shown as '<5') --
SUPPRESSED_TEXT = "<5"
SUPPRESSED_FLAG = "suppressed_lt5"
# The counts a '<5' cell can stand for: 0 to 4 (whole persons).
SUPPRESSED_MIN = 0
SUPPRESSED_MAX = 4

# -- money -----------------------------------------------------------------------------------------
# The trust fund's figures are in US dollars; "USD million" is a scale of that unit.
USD_SCALE = {"USD": 1.0, "USD million": 1e6}

# -- the convictions analysis' cohorts (by the year a country fully criminalised trafficking) -----
# 2003 is the year the Protocol entered into force; A/76/120 paragraph 6 compares countries that
# legislated before it with the others.
PROTOCOL_YEAR = int(TIP_PROTOCOL_IN_FORCE.year)
EARLY_COHORT_LAST_YEAR = 2008
COHORT_BEFORE = "before 2003"
COHORT_EARLY = "2003-2008"
COHORT_LATE = "2009 or later"
COHORT_NONE = "none or unknown"
COHORTS: tuple[str, ...] = (COHORT_BEFORE, COHORT_EARLY, COHORT_LATE, COHORT_NONE)
COHORT_LATER = "2003 or later"  # the pooled contrast: 2003-2008 and 2009 or later together
COHORT_ALL = "all"
