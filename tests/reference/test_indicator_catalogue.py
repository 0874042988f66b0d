"""The 2026–2030 catalogue's numbering, confirmed from two sources, and the reading of
indicator cells (units, directions, groups, values) and the group order of the final text."""

from __future__ import annotations

import pytest

from ntm_analysis.reference import criteria as c
from ntm_analysis.reference import indicators as ind


def test_two_sources_list_the_ten_criteria_in_the_catalogues_order():
    names = c.criteria_names(c.XA_NTM, "2026-2030", "vi").sort_values("number")
    assert names.number.tolist() == list(range(1, 11))
    assert len(ind.CRITERIA_AS_LISTED) == 2
    assert ind.order_confirmed(names.name.tolist())
    swapped = names.name.tolist()
    swapped[4], swapped[5] = swapped[5], swapped[4]
    assert not ind.order_confirmed(swapped)


@pytest.mark.parametrize("text,unit,value", [
    ("3,5%", "percent", 3.5), ("96", "percent", 96.0), ("140%", "percent", None),
    ("72.4", "million_vnd_per_person_year", 72.4), ("1.234,5", "million_vnd_per_person_year",
                                                    1234.5),
    ("có", "yes_no", 1.0), ("Chưa đạt", "yes_no", 0.0), ("12", "yes_no", None),
    ("3", "count", 3.0), ("2.5", "count", None), ("ba", "percent", None),
])
def test_a_cell_is_read_in_its_unit_or_not_at_all(text, unit, value):
    assert ind.cell_value(text, unit) == value


@pytest.mark.parametrize("text,group", [("2", 2), ("nhóm 3", 3), ("Xã nhóm 1", 1),
                                        ("4", None), ("nhóm 1, 2", None), ("", None)])
def test_commune_group(text, group):
    assert ind.commune_group(text) == group


@pytest.mark.parametrize("limits,direction,ok", [
    ({1: 90, 2: 80, 3: 60}, "higher", True), ({1: 60, 2: 80, 3: 90}, "higher", False),
    ({1: 1, 2: 2, 3: 4}, "lower", True), ({1: 4, 2: 2, 3: 1}, "lower", False),
    ({1: 95, 2: 95, 3: 90}, "higher", True), ({2: 80}, "higher", True),
])
def test_the_final_texts_group_order(limits, direction, ok):
    assert ind.in_order(limits, direction) is ok


def test_a_draft_document_is_recognised():
    assert ind.is_draft("Dự thảo Bộ tiêu chí 07/2025") and ind.is_draft("DU THAO")
    assert not ind.is_draft("QĐ 51/2025/QĐ-TTg")


@pytest.mark.parametrize("text,code", [("6.1", "6.1"), (" 06 . 01 ", "6.1"), ("10.3", "10.3"),
                                       ("11.1", None), ("0.1", None), ("6", None),
                                       ("6.0", None)])
def test_indicator_code(text, code):
    assert ind.indicator_code(text) == code


def test_a_criterion_is_met_only_when_every_indicator_is_given_and_met():
    import pandas as pd

    def given(*rows):
        return pd.DataFrame(rows, columns=["commune_code", "as_of", "indicator", "value",
                                           "threshold", "direction"])

    day = pd.Timestamp("2026-09-30")
    per_criterion = pd.Series({6: 2, 8: 1})
    status = ind.derived_statuses(given(
        ("1", day, "6.1", 1.0, 2.0, "lower"),                      # 6: one of two, met
        ("2", day, "6.1", 1.0, 2.0, "lower"), ("2", day, "6.2", 96.0, 95.0, "higher"),
        ("3", day, "6.1", 3.0, 2.0, "lower"),                      # one unmet: not met
        ("3", day, "8.1", 1.0, 1.0, "higher")), per_criterion)
    found = {(r.commune_code, r.criterion_number): (r.met, r.unmet)
             for r in status.itertuples()}
    assert found == {("1", 6): (None, ""), ("2", 6): (True, ""), ("3", 6): (False, "6.1"),
                     ("3", 8): (True, "")}
