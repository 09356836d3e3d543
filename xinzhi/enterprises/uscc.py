"""Synthetic 统一社会信用代码 with valid check characters (GB 32100-2015) for demo data."""

import random

from stdnum.cn import uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WUJIN_DIVISION = "320412"  # 常州市武进区 administrative division code


def make_credit_code(rng: random.Random, division: str = WUJIN_DIVISION) -> str:
    """'91' (工商登记, 企业) + division + 9-character organisation code + check character."""
    body = "91" + division + "".join(rng.choice(ALPHABET) for _ in range(9))
    return body + uscc.calc_check_digit(body)
