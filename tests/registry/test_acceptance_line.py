"""How the flat's card says the last acceptance: never "not passed" beside a deposit
returned, when the faults were settled from the deposit."""

from __future__ import annotations

import pytest

from fieldkit.i18n import set_language
from fieldkit.services.renovation import Acceptance, acceptance_line

CRACK = {"zh": "墙面开裂", "en": "Cracked wall"}


@pytest.mark.parametrize(
    ("lang", "said"),
    [("zh", "验收（12-01）：未通过，修复费用从押金中扣除 — 发现问题：墙面开裂 · "
            "押金扣除 800 元后退还（原因：修补墙面）"),
     ("en", "Acceptance (12-01): not passed; repairs paid from the deposit — found: Cracked wall · "
            "deposit returned less 800 yuan (why: 修补墙面)")],
)  # fmt: skip
def test_faults_settled_by_a_deduction_read_as_settled(lang, said):
    set_language(lang)
    result = Acceptance("i1", passed=False, deposit_returnable=True, open_violations=0,
                        problems=1, decision="return_part", deduction=800.0,
                        reason="修补墙面", faults=(CRACK,))  # fmt: skip
    assert acceptance_line(result, "12-01") == said


def test_open_violations_still_read_as_not_passed():
    set_language("zh")
    result = Acceptance("i1", passed=False, deposit_returnable=False, open_violations=2,
                        problems=0, decision="withhold", reason="违规未整改",
                        reinspect_on="2026-12-10")  # fmt: skip
    line = acceptance_line(result, "12-01")
    assert line.startswith("验收（12-01）：未通过 — 还有2项违规未整改 · 押金暂不退还")
    assert line.endswith("，复查日期 2026-12-10")


def test_the_deposit_to_return_is_this_permits_acceptance_s():
    """The card's permit line says how much goes back only after this permit's acceptance
    decided it; an acceptance from the flat's earlier renovation decides nothing."""
    from fieldkit.model import localtime
    from fieldkit.model.registry import RenovationPermit
    from fieldkit.services.registry import AcceptanceView, _to_return

    permit = RenovationPermit(id="p2", site_id="s", unit_id="u", start="2026-11-20",
                              end="2027-01-31", deposit=3000)  # fmt: skip
    part = Acceptance("i1", passed=False, deposit_returnable=True, open_violations=0,
                      problems=1, decision="return_part", deduction=800.0)  # fmt: skip
    after = localtime.epoch(localtime.local(0).date().replace(2026, 12, 5))
    before = localtime.epoch(localtime.local(0).date().replace(2026, 6, 1))
    assert _to_return(permit, AcceptanceView("i1", after, part)) == 2200
    assert _to_return(permit, AcceptanceView("i0", before, part)) is None  # an earlier permit
    held = Acceptance("i1", passed=False, deposit_returnable=False, open_violations=2,
                      problems=0, decision="withhold")  # fmt: skip
    assert _to_return(permit, AcceptanceView("i1", after, held)) is None
    permit.deposit_state = "returned"  # the office has paid it back: nothing more to say
    assert _to_return(permit, AcceptanceView("i1", after, part)) is None
