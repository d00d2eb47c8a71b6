"""Write src/policywatch/data/places.csv from an administrative-division list (adcode,name,...).

The source used is the adcodes.csv of the MIT-licensed `cpca` package (National Bureau of Statistics codes):
    pip download --no-deps cpca && unzip -o cpca-*.whl 'cpca/resources/adcodes.csv'
    python scripts/make_places.py cpca/resources/adcodes.csv
Provinces, prefecture-level divisions and county-level divisions are kept; the grouping rows ("市辖区", "县")
are not. Slugs are pypinyin's reading of the short name, with the exceptions in SLUG; policywatch derives slugs the
same way for names not in the list (policywatch/places.py).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ETHNIC = r"(?:蒙古|维吾尔|哈萨克|柯尔克孜|朝鲜|土家|傈僳|布依|景颇|哈尼|仡佬|毛南|仫佬|塔吉克|锡伯|达斡尔|鄂温克|鄂伦春|" \
         r"撒拉|保安|东乡|裕固|纳西|拉祜|佤|普米|怒|独龙|黎|畲|水|瑶|[壮回藏苗彝羌傣白侗])族?"
SUFFIXES = [re.compile(rf"(?:{ETHNIC})+自治(?:州|区|县|旗)$"),
            re.compile(r"(?:特别行政区|自治区|地区|新区|林区|省|市|盟|县|区|旗|州)$")]
# One-character abbreviations of the provincial-level divisions, as used in document numbers (苏工信…〔2021〕).
ABBREV = {"北京": "京", "天津": "津", "河北": "冀", "山西": "晋", "内蒙古": "蒙", "辽宁": "辽", "吉林": "吉", "黑龙江": "黑",
          "上海": "沪", "江苏": "苏", "浙江": "浙", "安徽": "皖", "福建": "闽", "江西": "赣", "山东": "鲁", "河南": "豫",
          "湖北": "鄂", "湖南": "湘", "广东": "粤", "广西": "桂", "海南": "琼", "重庆": "渝", "四川": "川", "贵州": "黔",
          "云南": "滇", "西藏": "藏", "陕西": "陕", "甘肃": "甘", "青海": "青", "宁夏": "宁", "新疆": "新", "台湾": "台",
          "香港": "港", "澳门": "澳"}


# Where pypinyin's reading of a place name is not the one the place uses (polyphonic characters), or where
# the official romanisation differs (Shaanxi keeps its double a to differ from Shanxi).
SLUG = {"陕西": "shaanxi", "长治": "changzhi", "朝阳": "chaoyang", "漯河": "luohe", "昌都": "changdu", "六安": "luan",
        "长兴": "changxing", "长垣": "changyuan", "长葛": "changge", "长乐": "changle", "长丰": "changfeng"}


def slug(name: str) -> str:
    from pypinyin import lazy_pinyin

    return SLUG.get(name) or "".join(lazy_pinyin(name)).lower().replace("ü", "v")


def short(name: str) -> str:
    """The name without its suffix: 广西壮族自治区 -> 广西, 内蒙古自治区 -> 内蒙古, 延边朝鲜族自治州 -> 延边."""
    for suffix in SUFFIXES:
        stripped = suffix.sub("", name)
        if stripped != name and len(stripped) >= 2:
            return stripped
    return name


def main(source: str) -> None:
    with open(source, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out = []
    for r in rows:
        code, name = r["adcode"][:6], r["name"]
        if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划") or not code.isdigit():
            continue
        if code[2:] == "0000":
            level, parent = "provincial", ""
        elif code[4:] == "00":
            level, parent = "municipal", code[:2] + "0000"
        else:
            level, parent = "county", code[:4] + "00"
        s = short(name)
        out.append({"adcode": code, "name": name, "short": s, "level": level, "parent": parent,
                    "abbrev": ABBREV.get(s, "") if level == "provincial" else "", "slug": slug(s)})
    out.sort(key=lambda r: r["adcode"])
    target = Path(__file__).resolve().parents[1] / "src" / "policywatch" / "data" / "places.csv"
    with open(target, "w", encoding="utf-8", newline="") as handle:
        handle.write("# Administrative divisions of China (provincial, prefecture and county level), from the adcodes of\n"
                     "# the MIT-licensed cpca package; regenerate with scripts/make_places.py.\n")
        writer = csv.DictWriter(handle, fieldnames=["adcode", "name", "short", "level", "parent", "abbrev", "slug"])
        writer.writeheader()
        writer.writerows(out)
    print(f"{target}: {len(out)} places")


if __name__ == "__main__":
    main(sys.argv[1])
