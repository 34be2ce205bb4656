"""The agreement metrics against values computed by hand on a small labelled set."""

from __future__ import annotations

import pytest

from interviewer.grading.calibration import metrics as m

# Reference grades and a judge's, eight items.
REF = [1, 2, 3, 4, 5, 3, 2, 4]
GOT = [1, 3, 3, 4, 4, 2, 2, 5]
PAIRS = list(zip(REF, GOT, strict=True))


def test_exact_within_one_and_leniency():
    assert m.exact(PAIRS) == 4 / 8
    assert m.within_one(PAIRS) == 1.0
    # signed errors: 0, +1, 0, 0, -1, -1, 0, +1 -> 0
    assert m.mean_signed_error(PAIRS) == 0.0
    assert m.mean_signed_error([(2, 4), (3, 4)]) == 1.5


def test_confusion_matrix_rows_are_the_reference():
    matrix = m.confusion(PAIRS)
    assert matrix[1] == [0, 1, 1, 0, 0]  # reference 2: judged 2 once, 3 once
    assert matrix[4] == [0, 0, 0, 1, 0]  # reference 5: judged 4
    assert sum(map(sum, matrix)) == 8


def test_quadratic_kappa_by_hand():
    # Two items per cell pattern, k = 3 grades: ref [1,1,2,3], judge [1,2,2,3].
    # weights (i-j)^2/4; observed weighted disagreement: one item off by 1 -> 0.25.
    # Row totals (1:2, 2:1, 3:1), column totals (1:1, 2:2, 3:1), n = 4.
    # Expected: sum_ij w_ij r_i c_j / n = (2*2*.25 + 2*1*1 + 1*1*.25 + 1*1*.25
    #           + 1*1*1 + 1*2*.25) / 4 = (1 + 2 + .25 + .25 + 1 + .5) / 4 = 1.25
    pairs = [(1, 1), (1, 2), (2, 2), (3, 3)]
    assert m.quadratic_kappa(pairs, grades=(1, 2, 3)) == pytest.approx(1 - 0.25 / 1.25)


def test_kappa_edges():
    assert m.quadratic_kappa([(g, g) for g in m.GRADES]) == 1.0
    assert m.quadratic_kappa([(g, 3) for g in m.GRADES]) == 0.0  # a constant judge: chance
    assert m.quadratic_kappa([(g, 6 - g) for g in m.GRADES]) == -1.0
    assert m.quadratic_kappa([]) is None
    assert m.quadratic_kappa([(3, 3), (3, 3)]) is None  # both constant: undefined


def test_spearman_averages_tied_ranks():
    # x ranks [1, 2.5, 2.5, 4], y ranks [1, 2, 3, 4] -> pearson of ranks
    pairs = [(1, 1), (2, 2), (2, 3), (3, 4)]
    # dx = [-1.5, 0, 0, 1.5], dy = [-1.5, -.5, .5, 1.5]; sxy = 4.5, sxx = 4.5, syy = 5
    assert m.spearman(pairs) == pytest.approx(4.5 / (4.5 * 5) ** 0.5)
    assert m.spearman([(1, 3), (2, 3)]) is None


def test_pairwise_order_counts_a_tie_half():
    group = [(1, 1), (3, 2), (5, 2)]
    # pairs: (1,3) right; (1,5) right; (3,5) judge tie -> half. 2.5 / 3
    assert m.pairwise_order([group]) == pytest.approx(2.5 / 3)
    assert m.pairwise_order([[(2, 5), (4, 1)]]) == 0.0
    assert m.pairwise_order([[(3, 1), (3, 5)]]) is None  # equal references: nothing to order


def test_bootstrap_is_seeded_and_brackets_the_value():
    a = m.bootstrap(m.exact, PAIRS, seed=7)
    b = m.bootstrap(m.exact, PAIRS, seed=7)
    assert a == b and a.value == 0.5 and a.n == 8
    assert a.low is not None and a.high is not None and a.low <= 0.5 <= a.high
    assert m.bootstrap(m.exact, []).value is None
