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
