"""Deterministic synthetic data for a fictional demo province (示范省).

Pure: no I/O, no clock, no global random state. The same arguments always give the same
Province, in the same order, in any process (string seeds for random.Random are hashed with
SHA-512, not with the per-process salted hash()). Benchmarks scale it up, so the case loop is
kept to a handful of random draws per case.
"""
from __future__ import annotations

import calendar
import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from itertools import product

PROVINCE_CODE = "44"
PROVINCE_NAME = "示范省"
PROVINCE_ABBREVIATION = "示"

# （2026）示0101民初123号: year in full-width parentheses, province abbreviation, court code
# without the province prefix (empty for the high court: （2026）示民终1号), type word, sequence.
case_number_pattern: re.Pattern[str] = re.compile(
    r"\A（(?P<year>\d{4})）(?P<province>[\u4e00-\u9fff])(?P<court_code>\d*)"
    r"(?P<type_word>[\u4e00-\u9fff]{1,4}?)(?P<sequence>[1-9]\d*)号\Z"
)

# (case_type, procedure) -> type word (类型代字) in the case number. A case heard under the
# simplified procedure keeps the first-instance word (民初): the procedure is not in the number.
CASE_TYPE_WORDS: dict[tuple[str, str], str] = {
    ("civil", "first_instance_ordinary"): "民初",
    ("civil", "simplified"): "民初",
    ("civil", "second_instance"): "民终",
    ("criminal", "first_instance_ordinary"): "刑初",
    ("criminal", "first_instance"): "刑初",
    ("administrative", "first_instance_ordinary"): "行初",
    ("administrative", "first_instance"): "行初",
    ("execution", "enforcement"): "执",
}
FILING_WINDOW_MONTHS = 8  # > the 6-month civil limit, so some demo cases are already overdue


class CourtLevel(StrEnum):
    HIGH = "high"
    INTERMEDIATE = "intermediate"
    BASIC = "basic"


class Role(StrEnum):
    JUDGE = "judge"
    JUDGE_ASSISTANT = "judge_assistant"
    CLERK = "clerk"
    DIVISION_HEAD = "division_head"
    VICE_PRESIDENT = "vice_president"
    PRESIDENT = "president"
    TRIAL_MANAGEMENT = "trial_management"
    AUDITOR = "auditor"
    SYSTEM_ADMIN = "system_admin"


@dataclass(frozen=True, slots=True)
class Court:
    court_id: str
    name: str
    level: CourtLevel
    parent_id: str | None
    region_id: str
    abbreviation: str  # what goes in case numbers: "示0101", "示01", "示" for the high court


@dataclass(frozen=True, slots=True)
class Department:
    court_id: str
    department_id: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class User:
    username: str
    display_name: str
    role: Role
    court_id: str
    department_id: str | None  # None for court leaders, who sit above the departments
    mobile: str


@dataclass(frozen=True, slots=True)
class CaseSeed:
    request_id: str
    court_id: str
    department_id: str
    case_number: str
    case_type: str
    procedure: str
    cause: str
    parties: tuple[str, ...]
    handler: str
    filing_date: date
    custody: bool


@dataclass(frozen=True, slots=True)
class Province:
    name: str
    abbreviation: str
    courts: tuple[Court, ...]
    departments: tuple[Department, ...]
    users: tuple[User, ...]
    cases: tuple[CaseSeed, ...]


# (slug, name, kind, staffed with judges/assistants/clerks and a division head, levels)
_ALL = frozenset(CourtLevel)
_UPPER = frozenset({CourtLevel.HIGH, CourtLevel.INTERMEDIATE})
_DEPARTMENTS = (
    ("filing", "立案庭", "filing", True, _ALL),
    ("civil1", "民事审判第一庭", "civil", True, _ALL),
    ("civil2", "民事审判第二庭", "civil", True, _ALL),
    ("criminal", "刑事审判庭", "criminal", True, _ALL),
    ("administrative", "行政审判庭", "administrative", True, _ALL),
    ("retrial", "审判监督庭", "retrial", True, _UPPER),
    ("execution", "执行局", "execution", True, _ALL),
    ("trial_management", "审判管理办公室", "trial_management", False, _ALL),
    ("office", "办公室", "office", False, _ALL),  # seats the court's auditor and system admin
)
_CIVIL_SLUGS = ("civil1", "civil2")
_TRIAL_SLUGS = ("civil1", "civil2", "criminal", "administrative")  # divisions that get demo cases

# Fictional place names: hand-picked first, then generated pairs for large benchmark provinces,
# skipping pairs known to be real places (the province must not look like a real one).
_CITIES = ("东江", "西岭", "云岫", "澄川", "望澜", "临溪", "星湾", "雁汀", "鹤原", "瑶浦", "凌波", "栖梧")
_REAL_PLACES = frozenset({"东川", "西江", "澄江", "望江", "临江", "临川", "雁江", "云岭"})
_DISTRICTS = ("青山", "白沙", "临湖", "松岗", "柳岸", "桃源", "石门", "清溪", "枫林", "龙潭")
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯峰晨欣怡佳雪梅琳婷倩颖慧博志海波亮成林瑞祥德荣春燕晓东丹新宏振俊鑫泽瀚嘉思雨涵"
_BRANDS = ("云帆", "恒泰", "鑫源", "华盛", "瑞丰", "宏图", "嘉禾",
           "锦程", "德润", "安泰", "永盛", "汇通", "博远", "天合")

# cause, weight, plaintiff kind, defendant kinds; a kind is person, bank, insurer or a company trade.
_CAUSES = (
    ("民间借贷纠纷", 18, "person", ("person",)),
    ("买卖合同纠纷", 14, "贸易", ("商贸",)),
    ("金融借款合同纠纷", 10, "bank", ("person",)),
    ("离婚纠纷", 10, "person", ("person",)),
    ("机动车交通事故责任纠纷", 9, "person", ("person", "insurer")),
    ("劳动争议", 7, "person", ("餐饮管理",)),
    ("物业服务合同纠纷", 7, "物业服务", ("person",)),
    ("房屋租赁合同纠纷", 6, "person", ("person",)),
    ("信用卡纠纷", 6, "bank", ("person",)),
    ("建设工程施工合同纠纷", 5, "建筑工程", ("房地产开发",)),
    ("追索劳动报酬纠纷", 4, "person", ("建筑劳务",)),
    ("法定继承纠纷", 4, "person", ("person", "person")),
)
_CAUSE_CUM = [sum(c[1] for c in _CAUSES[: i + 1]) for i in range(len(_CAUSES))]
# criminal charge, weight, defendants (被告人)
_CHARGES = (
    ("危险驾驶罪", 20, 1), ("盗窃罪", 18, 1), ("诈骗罪", 12, 1), ("帮助信息网络犯罪活动罪", 12, 2),
    ("故意伤害罪", 9, 1), ("交通肇事罪", 7, 1), ("开设赌场罪", 6, 2), ("寻衅滋事罪", 6, 2),
    ("掩饰、隐瞒犯罪所得罪", 5, 1), ("非法吸收公众存款罪", 5, 2),
)
_CHARGE_CUM = [sum(c[1] for c in _CHARGES[: i + 1]) for i in range(len(_CHARGES))]
# administrative cause, weight, plaintiff kind, defendant organ (被告行政机关, city level)
_ADMIN_CAUSES = (
    ("行政处罚", 25, "person", "公安局"), ("工伤认定", 15, "person", "人力资源和社会保障局"),
    ("政府信息公开", 15, "person", "人民政府"), ("行政强制拆除", 10, "person", "城市管理和综合执法局"),
    ("房屋征收补偿决定", 10, "person", "人民政府"), ("行政许可", 10, "房地产开发", "自然资源局"),
    ("市场监管行政处罚", 15, "商贸", "市场监督管理局"),
)
_ADMIN_CUM = [sum(c[1] for c in _ADMIN_CAUSES[: i + 1]) for i in range(len(_ADMIN_CAUSES))]
CUSTODY_SHARE = 0.7  # criminal defendants held in custody (羁押) while tried

# What the demo courts file, as (case_type, procedure, weight, trial department slugs, basic-court
# load, intermediate-court load). Civil work dominates; the simplified procedure is for basic courts
# only; first-instance administrative cases go to the basic courts with an administrative division
# (集中管辖) and to the intermediate courts. Cases of every kind are needed to show time limits that
# lock (简易程序、刑事、行政 审限) beside the ordinary civil limit, which only warns.
CASE_KINDS: tuple[tuple[str, str, int, tuple[str, ...], float, float], ...] = (
    ("civil", "first_instance_ordinary", 48, ("civil1", "civil2"), 1.0, 0.25),
    ("civil", "simplified", 30, ("civil1", "civil2"), 1.0, 0.0),
    ("criminal", "first_instance_ordinary", 14, ("criminal",), 1.0, 0.25),
    ("administrative", "first_instance_ordinary", 8, ("administrative",), 1.0, 0.5),
)
_KIND_CUM = [sum(k[2] for k in CASE_KINDS[: i + 1]) for i in range(len(CASE_KINDS))]


def _place_names(curated: tuple[str, ...], n: int) -> list[str]:
    """n distinct two-character names: the curated ones, then pairs of their characters."""
    names = list(curated)
    for a, b in product([c[0] for c in curated], [c[1] for c in curated]):
        if len(names) >= n:
            break
        if a + b not in names and a + b not in _REAL_PLACES:
            names.append(a + b)
    return names[:n]


def _person(rng: random.Random) -> str:
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(_SURNAMES) + given


def _party(rng: random.Random, kind: str, city: str) -> str:
    if kind == "person":
        return _person(rng)
    if kind == "bank":
        return f"{PROVINCE_NAME}农村商业银行股份有限公司{city}支行"
    if kind == "insurer":
        return f"{rng.choice(_BRANDS)}财产保险股份有限公司{city}中心支公司"
    return f"{city}市{rng.choice(_BRANDS)}{kind}有限公司"


def _months_before(d: date, months: int) -> date:
    year, month = divmod(d.year * 12 + d.month - 1 - months, 12)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def _check_count(name: str, value: object, upper: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if upper is not None and value > upper:
        raise ValueError(f"{name} must be at most {upper} (two-digit court codes), got {value}")


def generate_province(
    *,
    seed: int = 1,
    intermediate_courts: int = 3,
    basic_courts_per_intermediate: int = 3,
    cases: int = 300,
    reference_date: date,
    judges_per_department: int = 2,
) -> Province:
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError(f"seed must be an integer, got {seed!r}")
    _check_count("intermediate_courts", intermediate_courts, 99)
    _check_count("basic_courts_per_intermediate", basic_courts_per_intermediate, 99)
    _check_count("cases", cases)
    _check_count("judges_per_department", judges_per_department)
    if isinstance(reference_date, datetime) or not isinstance(reference_date, date):
        raise ValueError(f"reference_date must be a date, got {reference_date!r}")

    # Separate streams: scaling `cases` must not reshuffle the organisation or its people.
    org_rng = random.Random(f"courtflow-org:{seed}")
    case_rng = random.Random(f"courtflow-cases:{seed}")

    courts = [Court(PROVINCE_CODE, f"{PROVINCE_NAME}高级人民法院", CourtLevel.HIGH, None,
                    PROVINCE_CODE, PROVINCE_ABBREVIATION)]
    city_of: dict[str, str] = {}
    districts = _place_names(_DISTRICTS, basic_courts_per_intermediate)
    for i, city in enumerate(_place_names(_CITIES, intermediate_courts), start=1):
        mid = f"{PROVINCE_CODE}{i:02d}"
        courts.append(Court(mid, f"{city}市中级人民法院", CourtLevel.INTERMEDIATE, PROVINCE_CODE,
                            mid, PROVINCE_ABBREVIATION + mid[2:]))
        city_of[mid] = city
        for j, district in enumerate(districts, start=1):
            cid = f"{mid}{j:02d}"
            suffix = "县" if j % 3 == 0 else "区"
            courts.append(Court(cid, f"{city}市{district}{suffix}人民法院", CourtLevel.BASIC, mid,
                                mid, PROVINCE_ABBREVIATION + cid[2:]))
            city_of[cid] = city

    departments: list[Department] = []
    users: list[User] = []
    judges_of: dict[str, list[str]] = {}  # trial department_id -> judge usernames
    mobile_mult, mobile_base, mobile_space = 2_654_435_761, org_rng.randrange(7 * 10**9), 7 * 10**9

    def add_user(username: str, role: Role, court_id: str, department_id: str | None) -> None:
        # An affine map with a multiplier coprime to the space is a bijection: unique numbers
        # that still look scattered. 1 + [3-9] + 9 digits, the shape Chinese mobiles validate as.
        n = (mobile_mult * len(users) + mobile_base) % mobile_space
        mobile = f"1{3 + n // 10**9}{n % 10**9:09d}"
        users.append(User(username, _person(org_rng), role, court_id, department_id, mobile))

    for court in courts:
        c = court.court_id
        for slug, name, kind, trial, levels in _DEPARTMENTS:
            # 行政案件集中管辖: only every third basic court (first in each region) hears them.
            if court.level not in levels or (
                slug == "administrative" and court.level is CourtLevel.BASIC
                and int(c[-2:]) % 3 != 1
            ):
                continue
            dept = f"{c}-{slug}"
            departments.append(Department(c, dept, name, kind))
            if trial:
                add_user(f"head.{c}.{slug}", Role.DIVISION_HEAD, c, dept)
                for k in range(1, judges_per_department + 1):
                    add_user(f"judge.{c}.{slug}.{k}", Role.JUDGE, c, dept)
                    add_user(f"assistant.{c}.{slug}.{k}", Role.JUDGE_ASSISTANT, c, dept)
                    add_user(f"clerk.{c}.{slug}.{k}", Role.CLERK, c, dept)
                if slug in _TRIAL_SLUGS:
                    judges_of[dept] = [f"judge.{c}.{slug}.{k}"
                                       for k in range(1, judges_per_department + 1)]
            elif slug == "trial_management":
                add_user(f"trial_management.{c}", Role.TRIAL_MANAGEMENT, c, dept)
            else:
                add_user(f"auditor.{c}", Role.AUDITOR, c, dept)
                admin = "admin" if c == PROVINCE_CODE else f"admin.{c}"
                add_user(admin, Role.SYSTEM_ADMIN, c, dept)
        add_user(f"president.{c}", Role.PRESIDENT, c, None)
        add_user(f"vice_president.{c}", Role.VICE_PRESIDENT, c, None)

    # Where cases land: basic courts carry most first-instance work, with uneven load;
    # intermediate courts get the occasional large or serious case; the high court none.
    load_of = {court.court_id: (1.0 + 2.0 * org_rng.random()) for court in courts
               if court.level is not CourtLevel.HIGH}
    department_ids = {d.department_id for d in departments}
    slots_of: list[list[tuple[str, str]]] = []
    cum_of: list[list[float]] = []
    for _, _, _, slugs, basic_load, intermediate_load in CASE_KINDS:
        slots, cum, total = [], [], 0.0
        for court in courts:
            factor = {CourtLevel.BASIC: basic_load, CourtLevel.INTERMEDIATE: intermediate_load}.get(court.level, 0.0)
            for slug in slugs:
                dept = f"{court.court_id}-{slug}"
                if factor and dept in department_ids:
                    total += load_of[court.court_id] * factor
                    slots.append((court.court_id, dept))
                    cum.append(total)
        slots_of.append(slots)
        cum_of.append(cum)
    kinds = case_rng.choices(range(len(CASE_KINDS)), cum_weights=_KIND_CUM, k=cases)
    placed_by_kind = [iter(case_rng.choices(slots_of[k], cum_weights=cum_of[k], k=kinds.count(k)))
                      for k in range(len(CASE_KINDS))]

    start = _months_before(reference_date, FILING_WINDOW_MONTHS)
    # Courts file on working days. Weekends only: a holiday calendar would tie a pure generator
    # to a data package that stops at its last published year.
    days = (start + timedelta(days=n) for n in range((reference_date - start).days + 1))
    workdays = [d for d in days if d.weekday() < 5]
    drafts = []
    for i, kind in enumerate(kinds):
        case_type, procedure = CASE_KINDS[kind][:2]
        court_id, dept = next(placed_by_kind[kind])
        filed = case_rng.choice(workdays)
        city = city_of[court_id]
        custody = False
        if case_type == "criminal":
            cause, _, defendants = _CHARGES[case_rng.choices(range(len(_CHARGES)), cum_weights=_CHARGE_CUM)[0]]
            parties = tuple(f"被告人 {_person(case_rng)}" for _ in range(defendants))
            custody = case_rng.random() < CUSTODY_SHARE
        elif case_type == "administrative":
            cause, _, plaintiff, organ = _ADMIN_CAUSES[
                case_rng.choices(range(len(_ADMIN_CAUSES)), cum_weights=_ADMIN_CUM)[0]]
            parties = (f"原告 {_party(case_rng, plaintiff, city)}", f"被告 {city}市{organ}")
        else:
            cause, _, plaintiff, defendants = _CAUSES[
                case_rng.choices(range(len(_CAUSES)), cum_weights=_CAUSE_CUM)[0]]
            parties = (f"原告 {_party(case_rng, plaintiff, city)}",
                       *(f"被告 {_party(case_rng, d, city)}" for d in defendants))
        handler = case_rng.choice(judges_of[dept])
        drafts.append((court_id, filed, i, dept, case_type, procedure, cause, parties, handler, custody))

    # Numbers are handed out at filing, so within a court, year and type word they follow filing order.
    numbers: dict[int, str] = {}
    sequence: dict[tuple[str, int, str], int] = {}
    abbreviation = {c.court_id: c.abbreviation for c in courts}
    for court_id, filed, i, _, case_type, procedure, *_ in sorted(drafts, key=lambda d: (d[0], d[1], d[2])):
        type_word = CASE_TYPE_WORDS[(case_type, procedure)]
        key = (court_id, filed.year, type_word)
        sequence[key] = sequence.get(key, 0) + 1
        numbers[i] = f"（{filed.year}）{abbreviation[court_id]}{type_word}{sequence[key]}号"

    case_seeds = tuple(
        CaseSeed(f"demo-{seed}-{i}", court_id, dept, numbers[i], case_type, procedure, cause,
                 parties, handler, filed, custody)
        for court_id, filed, i, dept, case_type, procedure, cause, parties, handler, custody in drafts
    )
    return Province(PROVINCE_NAME, PROVINCE_ABBREVIATION, tuple(courts), tuple(departments),
                    tuple(users), case_seeds)
