"""The privacy accountant (src/core/privacy/accountant.ts) against Google's dp-accounting, its reference.

For a grid of sampling rates q (1e-4 to 1), noise multipliers σ (0.5 to 20), step counts and δ, the ε our RDP
converts to and the order that gives it agree with `dp_accounting.rdp.RdpAccountant` over the same orders to 1e-6
relative (measured: 4e-9 at most), and so does the RDP at every order, but for a floor: both sum log A_α in log space
from terms near 1, so where A_α is within 1e-10 of 1 (q = 1e-4, σ ≥ 5) the two round differently, by 1e-16 in log A_α
and so by up to 2e-5 relative in an RDP too small to matter. Both use the same conversion (Balle et al. 2020, floored
at 0, with the KL shortcut), so no systematic difference is allowed for. And the noise our `noiseMultiplierFor` picks
meets the target ε by dp-accounting's count, within the search's tolerance below it.
"""

import itertools
import json
import math
import subprocess

import dp_accounting
import pytest
from dp_accounting.rdp.rdp_privacy_accountant import DEFAULT_RDP_ORDERS, compute_epsilon

from conftest import ROOT

SAMPLING_RATES = (1e-4, 1e-3, 256 / 60_000, 0.01, 0.1, 0.5, 0.99, 1.0)
NOISE_MULTIPLIERS = (0.5, 0.8, 1.1, 2.0, 5.0, 20.0)
STEPS = (1, 1_000, 100_000)
DELTAS = (1e-5, 1e-8)
RELATIVE = 1e-6
# What two sums of log-space terms near 1 may differ by when rounded: a few units in the last place of 1.
LOG_A_ROUNDING = 1e-15
# noiseMultiplierFor's default search tolerance on ε (Opacus's epsilon_tolerance).
SEARCH_TOLERANCE = 0.01


def ours(request):
    """Runs scripts/privacy-epsilon.ts on one request and returns its answer."""
    result = subprocess.run(
        ["node", "--import", "tsx", "scripts/privacy-epsilon.ts"],
        cwd=ROOT,
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def reference_rdp(orders, q, sigma):
    """dp-accounting's RDP of one Poisson-sampled Gaussian step at each order (T steps compose to T times it,
    as its RdpAccountant composes them; `compute_epsilon` is the conversion its `get_epsilon` applies)."""
    accountant = dp_accounting.rdp.RdpAccountant(orders)
    accountant.compose(dp_accounting.PoissonSampledDpEvent(q, dp_accounting.GaussianDpEvent(sigma)))
    return accountant.rdp


def close(ours_value, reference_value, abs_tol=0.0):
    """Equal to 1e-6 relative (or `abs_tol`), an infinity (null in our JSON) only to an infinity."""
    if ours_value is None or math.isinf(reference_value):
        return ours_value is None and math.isinf(reference_value)
    return math.isclose(ours_value, reference_value, rel_tol=RELATIVE, abs_tol=abs_tol)


def test_orders_are_dp_accountings_defaults():
    assert ours({})["orders"] == list(DEFAULT_RDP_ORDERS)


def test_rdp_and_epsilon_agree_with_dp_accounting():
    grid = list(itertools.product(SAMPLING_RATES, NOISE_MULTIPLIERS, STEPS, DELTAS))
    answer = ours(
        {"epsilonFor": [{"samplingRate": q, "noiseMultiplier": s, "steps": t, "delta": d} for q, s, t, d in grid]}
    )
    orders = answer["orders"]
    one_step = {pair: reference_rdp(orders, *pair) for pair in itertools.product(SAMPLING_RATES, NOISE_MULTIPLIERS)}
    worst = 0.0
    for (q, sigma, steps, delta), got in zip(grid, answer["epsilonFor"]):
        rdp = steps * one_step[q, sigma]
        case = f"q={q} sigma={sigma} steps={steps} delta={delta}"
        for order, our_rdp, their_rdp in zip(orders, got["rdp"], rdp):
            rounding = steps * LOG_A_ROUNDING / (order - 1)
            assert close(our_rdp, their_rdp, rounding), f"{case}: RDP at {order}: ours {our_rdp}, dp-accounting {their_rdp}"
        epsilon, order = compute_epsilon(orders, rdp, delta)
        assert close(got["epsilon"], epsilon), f"{case}: epsilon ours {got['epsilon']}, dp-accounting {epsilon}"
        assert got["order"] == order, f"{case}: optimal order ours {got['order']}, dp-accounting {order}"
        if got["epsilon"] is not None and epsilon > 0:
            worst = max(worst, abs(got["epsilon"] - epsilon) / epsilon)
    print(f"{len(grid)} cases, largest relative difference in epsilon {worst:.2e}")


@pytest.mark.parametrize(
    "target, q, steps, delta",
    [(3.0, 256 / 60_000, 14_063, 1e-5), (1.0, 0.01, 10_000, 1e-5), (8.0, 0.1, 500, 1e-6), (0.5, 1e-3, 50_000, 1e-8)],
)
def test_noise_multiplier_meets_epsilon_by_dp_accountings_count(target, q, steps, delta):
    (sigma,) = ours({"noiseMultiplierFor": [{"epsilon": target, "delta": delta, "samplingRate": q, "steps": steps}]})[
        "noiseMultiplierFor"
    ]
    epsilon, _ = compute_epsilon(DEFAULT_RDP_ORDERS, steps * reference_rdp(DEFAULT_RDP_ORDERS, q, sigma), delta)
    assert target - SEARCH_TOLERANCE <= epsilon <= target, f"sigma {sigma} gives epsilon {epsilon} for target {target}"
