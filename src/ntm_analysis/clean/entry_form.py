"""Filled data-entry forms (``ntm template``): criterion statuses and the tally they add up to.

A form sheet (:mod:`raw.entry_form`) names its unit by the codes the tool wrote in it, so
its rows go through the criterion-sheet rules (:mod:`.criteria`) with those codes, after the
rules only a form has:

- a criterion row needs a date: its own, or the sheet's (``form_no_date``, naming the sheet);
- the date must fall in the era and the criteria period the form was made for (a form of a
  2025 commune dated 2024 is about a unit that did not exist yet);
- the status must be one of the dropdown's values, in any case or without accents; a cell
  left empty or pasted over with anything else is rejected, never read as "not met".

An indicator row (a 2026–2030 form made with the office's thresholds) needs a value; a blank
one is rejected (``form_blank_indicator``) and the others go through the values-sheet rules
(:mod:`.indicators`) with the sheet's commune group, where each value is checked against its
unit and the criterion statuses against the indicators.

The sheet's tally row becomes the tally ``met/total`` at the sheet's date, through the
tally-sheet rules (:mod:`.tallies`), when every criterion of the sheet was accepted on one
date; otherwise it is rejected with the number of criteria missing. When a status of the sheet
is later rejected for contradicting its indicators (:func:`contradicted_forms`), the count is
rejected with it: it counted that status. So a form cleans to
exactly what was typed in it, and the ledger counts every criterion row and the tally row.
"""

from __future__ import annotations

import pandas as pd

from ..messages import msg
from ..raw.entry_form import MET, UNMET
from ..reference.criteria import period_of
from ..reference.eras import eras_on
from ..text import fold
from .cells import parse_as_of
from .columnar import apply_unique, blank_cells, column_of
from .criteria import criteria_candidates
from .indicators import indicator_candidates
from .ledger import Ledger
from .tallies import tally_candidates

#: the dropdown's values, folded: the only statuses a form accepts
_CHOICES = {fold(MET): MET, fold(UNMET): UNMET}


def form_candidates(ledger: Ledger, rows: pd.DataFrame) -> None:
    """Validate the rows of one form sheet into ``ledger.criteria``, ``ledger.tallies`` and
    ``ledger.indicator_values``."""
    indicators = rows[rows.row_kind == "indicator"]
    if not indicators.empty:
        blank = blank_cells(column_of(indicators, "value"))
        ledger.problem(indicators, blank, "value", "form_blank_indicator")
        indicator_candidates(ledger, indicators[~blank])
    criteria = rows[rows.row_kind == "criterion"]
    tally = rows[rows.row_kind == "tally"]
    form_era, form_period = rows.form_era.iloc[0], rows.form_period.iloc[0]

    no_date = blank_cells(column_of(criteria, "as_of"))
    ledger.problem(criteria, no_date, "as_of", "form_no_date", sheet=criteria.raw_sheet)
    parsed = apply_unique(column_of(criteria, "as_of"), parse_as_of, ("day", "precision",
                                                                       "error"))
    day = pd.to_datetime(parsed.day)
    dated = ~no_date & parsed.error.isna()  # a bad date is the criterion rules' to reject
    wrong_era = dated & (eras_on(day) != form_era)
    ledger.problem(criteria, wrong_era, "as_of", "form_era_mismatch",
                   era_vi=msg(f"era_{form_era}", lang="vi"),
                   era_en=msg(f"era_{form_era}", lang="en"))
    period = apply_unique(day, lambda d: period_of(d) if pd.notna(d) else None)
    wrong_period = dated & ~wrong_era & (period != form_period)
    ledger.problem(criteria, wrong_period, "as_of", "form_period_mismatch",
                   period=form_period)
    undated = no_date | wrong_era | wrong_period

    status = column_of(criteria, "status")
    blank = blank_cells(status)
    ledger.problem(criteria, ~undated & blank, "status", "form_blank_status")
    choice = apply_unique(status, lambda v: _CHOICES.get(fold(v)))
    pasted = ~undated & ~blank & choice.isna()
    ledger.problem(criteria, pasted, "status", "form_bad_status",
                   suggestion=pd.Series(f"{MET}, {UNMET}", index=criteria.index))

    before = len(ledger.criteria)
    criteria_candidates(ledger, criteria[~(undated | blank | pasted)])
    accepted = (ledger.criteria[before] if len(ledger.criteria) > before
                else pd.DataFrame(columns=["as_of", "met"]))
    _tally(ledger, tally, criteria, accepted)


def _tally(ledger: Ledger, tally: pd.DataFrame, criteria: pd.DataFrame,
           accepted: pd.DataFrame) -> None:
    """The sheet's tally row: ``met/total`` when every criterion was accepted on one date."""
    everything = pd.Series(True, index=tally.index)
    missing = len(criteria) - len(accepted)
    if missing:
        ledger.problem(tally, everything, "tally", "form_incomplete", n=missing,
                       total=len(criteria))
        return
    if accepted.as_of.nunique() != 1:
        ledger.problem(tally, everything, "as_of", "form_mixed_dates")
        return
    first = accepted.index[0]
    tally_candidates(ledger, tally.assign(
        tally=f"{int(accepted.met.sum())}/{len(criteria)}",
        as_of=criteria.as_of[first]))



def contradicted_forms(ledger: Ledger, tallies: pd.DataFrame, typed: pd.DataFrame,
                       kept: pd.DataFrame) -> pd.DataFrame:
    """``tallies`` without the counts of the form sheets whose statuses (``typed``) lost one
    to the indicators (``kept`` is what remains): each rejected, naming the reason."""
    def sheets(frame: pd.DataFrame) -> set[tuple]:
        return set(zip(frame.raw_file.astype(str), frame.raw_sheet.astype(str), frame.index,
                       strict=True))

    lost = {(f, s) for f, s, _ in sheets(typed) - sheets(kept)}
    if not lost or tallies.empty:
        return tallies
    mask = pd.Series([(f, s) in lost for f, s in zip(tallies.raw_file.astype(str),
                                                     tallies.raw_sheet.astype(str),
                                                     strict=True)], index=tallies.index)
    ledger.problem(tallies, mask, "tally", "form_contradicted")
    return tallies[~mask]
