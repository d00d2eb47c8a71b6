"""The registry of issuing bodies: national bodies by every name a text gives them, local bodies of every
province and provincial capital, and a body the registry lacks kept as written."""

from __future__ import annotations

import pytest

from policywatch import places
from policywatch.extract.agencies import agency_ids, issuing_bodies, resolve_issuers
from policywatch.extract.official import issuers_in
from policywatch.registry import agencies, agency

# (id, Chinese full name, Chinese short forms, English names and descriptions journalists use)
BODIES = [
    ("state-council", "国务院", ["国务院办公厅"], ["State Council", "China's cabinet"]),
    ("mfa", "外交部", [], ["Ministry of Foreign Affairs", "foreign ministry"]),
    ("mnd", "国防部", [], ["Ministry of National Defense", "Defence Ministry"]),
    ("ndrc", "国家发展和改革委员会", ["国家发展改革委", "发展改革委办公厅", "发改委"],
     ["National Development and Reform Commission", "NDRC", "the top economic planner", "China's state planner"]),
    ("moe", "教育部", [], ["Ministry of Education"]),
    ("most", "科学技术部", ["科技部"], ["Ministry of Science and Technology", "MOST"]),
    ("miit", "工业和信息化部", ["工信部", "工业和信息化部办公厅"],
     ["Ministry of Industry and Information Technology", "MIIT", "the top industry regulator"]),
    ("neac", "国家民族事务委员会", ["国家民委"], ["National Ethnic Affairs Commission"]),
    ("mps", "公安部", [], ["Ministry of Public Security"]),
    ("mss", "国家安全部", [], ["Ministry of State Security"]),
    ("mca", "民政部", [], ["Ministry of Civil Affairs"]),
    ("moj", "司法部", [], ["Ministry of Justice"]),
    ("mof", "财政部", [], ["Ministry of Finance", "finance ministry"]),
    ("mohrss", "人力资源和社会保障部", ["人力资源社会保障部", "人社部"], ["Ministry of Human Resources and Social Security"]),
    ("mnr", "自然资源部", [], ["Ministry of Natural Resources"]),
    ("mee", "生态环境部", [], ["Ministry of Ecology and Environment"]),
    ("mohurd", "住房和城乡建设部", ["住房城乡建设部", "住建部"], ["Ministry of Housing and Urban-Rural Development"]),
    ("mot", "交通运输部", [], ["Ministry of Transport"]),
    ("mwr", "水利部", [], ["Ministry of Water Resources"]),
    ("mara", "农业农村部", [], ["Ministry of Agriculture and Rural Affairs"]),
    ("mofcom", "商务部", [], ["Ministry of Commerce", "MOFCOM"]),
    ("mct", "文化和旅游部", ["文旅部"], ["Ministry of Culture and Tourism"]),
    ("nhc", "国家卫生健康委员会", ["国家卫生健康委", "国家卫健委"], ["National Health Commission"]),
    ("mva", "退役军人事务部", [], ["Ministry of Veterans Affairs"]),
    ("mem", "应急管理部", [], ["Ministry of Emergency Management"]),
    ("pboc", "中国人民银行", ["人民银行", "央行"], ["People's Bank of China", "PBOC", "the central bank"]),
    ("nao", "审计署", [], ["National Audit Office"]),
    ("sasac", "国务院国有资产监督管理委员会", ["国务院国资委", "国资委"], ["SASAC", "the state assets regulator"]),
    ("gac", "海关总署", [], ["General Administration of Customs"]),
    ("sta", "国家税务总局", ["税务总局"], ["State Taxation Administration"]),
    ("samr", "国家市场监督管理总局", ["市场监管总局"],
     ["State Administration for Market Regulation", "the market regulator", "China's antitrust regulator"]),
    ("nfra", "国家金融监督管理总局", ["金融监管总局"], ["National Financial Regulatory Administration"]),
    ("csrc", "中国证券监督管理委员会", ["中国证监会", "证监会"], ["China Securities Regulatory Commission"]),
    ("cbirc", "中国银行保险监督管理委员会", ["银保监会"], ["China Banking and Insurance Regulatory Commission"]),
    ("nrta", "国家广播电视总局", ["广电总局"], ["National Radio and Television Administration"]),
    ("gasc", "国家体育总局", ["体育总局"], ["General Administration of Sport of China"]),
    ("nbs", "国家统计局", [], ["National Bureau of Statistics"]),
    ("cnipa", "国家知识产权局", [], ["China National Intellectual Property Administration"]),
    ("cidca", "国家国际发展合作署", [], ["China International Development Cooperation Agency"]),
    ("nhsa", "国家医疗保障局", ["国家医保局"], ["National Healthcare Security Administration"]),
    ("counsellors-office", "国务院参事室", [], ["Counsellors' Office of the State Council"]),
    ("ngoa", "国家机关事务管理局", ["国管局"], ["National Government Offices Administration"]),
    ("nfsra", "国家粮食和物资储备局", [], ["National Food and Strategic Reserves Administration"]),
    ("nea", "国家能源局", [], ["National Energy Administration"]),
    ("sastind", "国家国防科技工业局", ["国防科工局"], ["SASTIND"]),
    ("stma", "国家烟草专卖局", [], ["State Tobacco Monopoly Administration"]),
    ("nia", "国家移民管理局", [], ["National Immigration Administration"]),
    ("nfga", "国家林业和草原局", ["国家林草局"], ["National Forestry and Grassland Administration"]),
    ("nra", "国家铁路局", [], ["National Railway Administration"]),
    ("caac", "中国民用航空局", ["民航局"], ["Civil Aviation Administration of China"]),
    ("spb", "国家邮政局", [], ["State Post Bureau"]),
    ("ncha", "国家文物局", [], ["National Cultural Heritage Administration"]),
    ("natcm", "国家中医药管理局", [], ["National Administration of Traditional Chinese Medicine"]),
    ("ndcpa", "国家疾病预防控制局", ["国家疾控局"], ["National Disease Control and Prevention Administration"]),
    ("nmsa", "国家矿山安全监察局", [], ["National Mine Safety Administration"]),
    ("fire-rescue", "国家消防救援局", [], ["National Fire and Rescue Administration"]),
    ("safe", "国家外汇管理局", ["外汇局"], ["State Administration of Foreign Exchange"]),
    ("nmpa", "国家药品监督管理局", ["国家药监局"], ["National Medical Products Administration"]),
    ("nda", "国家数据局", [], ["National Data Administration"]),
    ("tariff-commission", "国务院关税税则委员会", ["税委会"],
     ["State Council Tariff Commission", "the State Council's Tariff Commission"]),
    ("anti-monopoly-commission", "国务院反垄断委员会", ["国务院反垄断反不正当竞争委员会"],
     ["Anti-Monopoly Commission of the State Council", "State Council Anti-Monopoly Commission"]),
    ("fsdc", "国务院金融稳定发展委员会", ["国务院金融委"], ["Financial Stability and Development Committee"]),
    ("npc", "全国人民代表大会", ["全国人大"], ["National People's Congress"]),
    ("npcsc", "全国人民代表大会常务委员会", ["全国人大常委会"],
     ["NPC Standing Committee", "National People's Congress Standing Committee", "the country's top legislature"]),
    ("npc-constitution-law", "全国人民代表大会宪法和法律委员会", ["全国人大宪法和法律委员会"],
     ["Constitution and Law Committee of the National People's Congress"]),
    ("npc-financial-economic", "全国人民代表大会财政经济委员会", ["全国人大财经委"],
     ["Financial and Economic Affairs Committee of the National People's Congress"]),
    ("npcsc-lac", "全国人民代表大会常务委员会法制工作委员会", ["全国人大常委会法工委"],
     ["Legislative Affairs Commission of the NPC Standing Committee"]),
    ("ccp-central-committee", "中共中央", ["中共中央办公厅"], ["CPC Central Committee"]),
    ("cac", "国家互联网信息办公室", ["中央网信办", "国家网信办"],
     ["Cyberspace Administration of China", "the cyberspace regulator"]),
    ("cmc", "中央军事委员会", ["中央军委"], ["Central Military Commission"]),
    ("ccdi", "中央纪律检查委员会", ["中央纪委"], ["Central Commission for Discipline Inspection"]),
]


@pytest.mark.parametrize(("body_id", "full", "short", "english"), BODIES, ids=[b[0] for b in BODIES])
def test_a_body_by_every_name(body_id: str, full: str, short: list[str], english: list[str]) -> None:
    assert agencies()[body_id].name_zh == full
    for name in [full, *short]:
        assert agency_ids(f"{name}关于印发实施方案的通知") == [body_id], name
        assert resolve_issuers(name) == [body_id], name
    for name in english:
        assert resolve_issuers(name) == [body_id], name
        assert agency_ids(f"On Monday {name} said it would issue new rules.") == [body_id], name


def test_registry_ids_are_unique_and_keep_the_gold_ids() -> None:
    registry = agencies()
    for gold_id in ("state-council", "ccp-central-committee", "npc", "npcsc", "miit", "ndrc", "cac", "pboc", "sasac",
                    "tc260", "caict", "ai-governance-committee", "cria", "phirda"):
        assert gold_id in registry
    assert all(a.parent in registry or a.parent == "" for a in registry.values())


def test_short_forms_inside_other_words_are_no_body() -> None:
    assert agency_ids("各省、自治区、直辖市财政部门和商务部门") == []
    assert agency_ids("中央行政机关带头落实") == []
    assert agency_ids("城市金融委员会") == []


PROVINCE_BODIES = [("发展和改革委员会", "ndrc"), ("人民政府", "government"), ("人民政府办公厅", "government"),
                   ("工业和信息化厅", "miit"), ("数据局", "nda"), ("市场监督管理局", "samr"), ("能源局", "nea"),
                   ("互联网信息办公室", "cac"), ("知识产权局", "cnipa"), ("药品监督管理局", "nmpa"),
                   ("人民政府国有资产监督管理委员会", "sasac"), ("地方金融监督管理局", "nfra"), ("统计局", "nbs"),
                   ("人民代表大会常务委员会", "npcsc")]
CAPITALS = ["石家庄", "太原", "呼和浩特", "沈阳", "长春", "哈尔滨", "南京", "杭州", "合肥", "福州", "南昌", "济南", "郑州",
            "武汉", "长沙", "广州", "南宁", "海口", "成都", "贵阳", "昆明", "拉萨", "西安", "兰州", "西宁", "银川", "乌鲁木齐",
            "深圳", "大连", "青岛", "宁波", "厦门", "苏州"]


@pytest.mark.parametrize("province", [p for p in places.places() if p.level == "provincial"], ids=lambda p: p.slug)
def test_bodies_of_every_province(province: places.Place) -> None:
    for body, counterpart in PROVINCE_BODIES:
        assert agency_ids(province.name + body) == [f"{province.slug}-{counterpart}"], province.name + body
    assert agency_ids(f"{province.english} Development and Reform Commission") == [f"{province.slug}-ndrc"]
    assert agency(f"{province.slug}-government").name_zh == province.name + "人民政府"  # type: ignore[union-attr]


@pytest.mark.parametrize("city", CAPITALS)
def test_bodies_of_provincial_capitals_and_major_cities(city: str) -> None:
    place = places.by_name()[city]
    for body, counterpart in [("市人民政府", "government"), ("市工业和信息化局", "miit"), ("市数据局", "nda"),
                              ("市发展和改革委员会", "ndrc"), ("市市场监督管理局", "samr")]:
        assert agency_ids(city + body) == [f"{place.slug}-{counterpart}"], city + body
    assert agency_ids(f"{place.english} Municipal People's Government") == [f"{place.slug}-government"]
    assert agency(f"{place.slug}-government").level == "municipal"  # type: ignore[union-attr]


def test_a_body_without_its_place_takes_the_documents() -> None:
    jiangsu = places.by_name()["江苏"]
    assert issuers_in("省发展改革委 省数据局", jiangsu) == ["jiangsu-ndrc", "jiangsu-nda"]
    assert issuers_in("省发展改革委", None) == []  # no NDRC hidden in a provincial body
    assert agency_ids("国家税务总局江苏省税务局") == ["jiangsu-sta"]


def test_an_unknown_body_is_kept_as_written() -> None:
    assert resolve_issuers("国务院促进某某产业发展工作领导小组办公室") == ["国务院促进某某产业发展工作领导小组办公室"]
    assert [b.id for b in issuing_bodies("工业和信息化部 某某产业促进委员会关于印发")] == ["miit", "某某产业促进委员会"]
    assert issuers_in("江苏省某某服务中心", None) == ["江苏省某某服务中心"]
    assert agency("江苏省某某服务中心").level == "provincial"  # type: ignore[union-attr]
    assert resolve_issuers("the Ministry of Ocean Affairs") == ["Ministry of Ocean Affairs"]
    # a registered body's own office or department is that body, not an unknown one
    assert resolve_issuers("工业和信息化部运行监测协调局") == ["miit"]
    assert resolve_issuers("国家发展改革委办公厅") == ["ndrc"]
    assert resolve_issuers("各有关部门") == []


def test_an_unknown_body_in_an_official_notice(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from policywatch import api

    path = tmp_path / "notice.txt"
    path.write_text("国务院某某工作领导小组关于印发《某某产业高质量发展行动方案》的通知\n某领发〔2024〕3号\n\n"
                    "各省、自治区、直辖市人民政府：\n现将《某某产业高质量发展行动方案》印发给你们，请认真贯彻执行。\n\n"
                    "国务院某某工作领导小组\n2024年5月6日\n", encoding="utf-8")
    _, analysis = api.extract(path)
    (plan,) = [m for _, m in analysis.mentions]
    assert plan.issuers == ["国务院某某工作领导小组"]


@pytest.mark.parametrize(("old_name", "body_id"), [("交通部", "mot"), ("对外贸易经济合作部", "mofcom"), ("国家计委", "ndrc"),
                                                   ("劳动和社会保障部", "mohrss"), ("信息产业部", "miit")])
def test_a_body_by_the_name_older_rules_are_signed_with(old_name: str, body_id: str) -> None:
    assert agency_ids(f"{old_name}令") == [body_id]
    assert not agency_ids(f"各级{old_name[:-1]}部门")  # 交通部门 (transport departments) names no body
