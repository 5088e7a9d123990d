"""The demo's people as a reader of its language writes their names: 张伟 on a Chinese demo,
Zhang Wei on an English one (surname first, as the demo's own staff are named there). Names
are drawn by index from the same lists in either language, so a demo made in English holds
the same people, the same choices, as one made in Chinese."""

from __future__ import annotations

import random

#: Surnames and given names the demo's residents are drawn from, with their pinyin.
SURNAMES = (("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"),
            ("杨", "Yang"), ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"),
            ("徐", "Xu"), ("孙", "Sun"), ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"),
            ("郭", "Guo"), ("何", "He"), ("林", "Lin"), ("罗", "Luo"), ("高", "Gao"))  # fmt: skip
GIVEN = (("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("秀英", "Xiuying"), ("敏", "Min"),
         ("静", "Jing"), ("丽", "Li"), ("强", "Qiang"), ("磊", "Lei"), ("军", "Jun"),
         ("洋", "Yang"), ("勇", "Yong"), ("艳", "Yan"), ("杰", "Jie"), ("涛", "Tao"),
         ("明", "Ming"), ("超", "Chao"), ("秀兰", "Xiulan"), ("霞", "Xia"), ("平", "Ping"),
         ("刚", "Gang"), ("桂英", "Guiying"), ("建华", "Jianhua"), ("志强", "Zhiqiang"),
         ("海燕", "Haiyan"))  # fmt: skip
#: The person signed in on each demo device, as a zh and an en reader would write the name.
PEOPLE: dict[str, dict[str, str]] = {
    "patrol": {"zh": "张伟", "en": "Zhang Wei"},
    "renovation": {"zh": "李强", "en": "Li Qiang"},
    "emergency": {"zh": "王敏", "en": "Wang Min"},
    "desk": {"zh": "刘洋", "en": "Liu Yang"},
    "office": {"zh": "陈静", "en": "Chen Jing"},
}
#: The staff and speakers of the demo's history, with their English names: the devices'
#: people first (the inspector's rounds read 李强 on an English demo: nc23).
FIXED = {person["zh"]: person["en"] for person in PEOPLE.values()} | {
    "周芳": "Zhou Fang", "张师傅": "Mr Zhang", "王师傅": "Mr Wang", "赵刚": "Zhao Gang",
    "孙阿姨": "Mrs Sun", "钱师傅": "Mr Qian", "王秀英": "Wang Xiuying",
    "李建国": "Li Jianguo", "张丽": "Zhang Li", "刘伟": "Liu Wei", "杨志强": "Yang Zhiqiang",
    "赵敏": "Zhao Min", "黄海": "Huang Hai", "吴斌": "Wu Bin",
    "居委会调解员": "the committee's mediator",
}  # fmt: skip


def named(name: str, lang: str) -> str:
    """A fixed name of the demo (staff, speakers) in ``lang``."""
    return FIXED.get(name, name) if lang == "en" else name


def resident_name(rng: random.Random, lang: str) -> str:
    """A resident's name drawn from the lists (two draws whatever the language)."""
    surname = rng.choice(SURNAMES)
    given = rng.choice(GIVEN)
    return f"{surname[1]} {given[1]}" if lang == "en" else surname[0] + given[0]


def master(rng: random.Random, lang: str) -> str:
    """A renovation worker as people call one: 李师傅, Mr Li."""
    surname = rng.choice(SURNAMES)
    return f"Mr {surname[1]}" if lang == "en" else surname[0] + "师傅"
