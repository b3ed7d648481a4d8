"""Write the four example scenarios into examples/: JSON always, .xlsx when kaohe.workbook imports.

Each scenario follows one of the source documents (see examples/README.md) and draws its data
from its own seeded generator, so running this script twice gives the same files. Names of
places and people are invented; structures and key numbers are the documents'.
"""

from __future__ import annotations

import json
import math
import random
import re
import sys
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

Json = dict[str, Any]
UnitFn = Callable[[Json], float]

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵")
GIVEN = ("伟芳敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚华建国志海文红英玲斌宁波云峰林晨浩宇辉鹏鑫俊婷倩雪"
         "琳颖晓慧欣佳亮成春东立新忠勤瑶睿哲凯琦萍燕彬")

# Combined into invented county names; real Zhejiang county names are kept out on purpose.
PLACE_FIRST = "清溪岚枫栖桑桂柳梅竹松杉樟楠荷莲芦石岩屏碧翠金银宝瑞祥和丰泰康永长广德仁明光华兴昌盛隆双"
PLACE_SECOND = "溪江川山源泉城阳安宁平化昌兴林田港湖桥浦口门塘渚岭"
REAL_NAMES = {"安吉", "永嘉", "云和", "松阳", "泰顺", "平阳", "龙泉", "嘉善", "德清", "兰溪", "宁海", "海宁",
              "江山", "武义", "象山", "文成", "玉环", "仙居", "景宁", "庆元", "开化", "淳安", "建德", "常山",
              "遂昌", "缙云", "长兴", "浦江", "东阳", "义乌", "磐安", "三门", "瑞安", "乐清", "苍南", "永康",
              "龙游", "嵊州", "新昌", "诸暨", "上虞", "慈溪", "余姚", "奉化", "临海", "温岭", "平湖", "桐乡",
              "海盐", "岱山", "金华", "丽水", "衢州", "台州", "湖州", "嘉兴", "宁波", "温州", "绍兴", "舟山",
              "杭州", "青田", "临安", "富阳", "桐庐", "天台", "洞头", "黄岩", "路桥", "椒江", "莲都", "松溪",
              "清溪", "石门", "金山", "宝山", "长宁", "华宁", "永平", "广安", "德阳", "长兴", "昌平", "兴化",
              "金门", "金湖", "石林", "丰城", "瑞昌", "兴宁", "泰安", "康平", "长安", "德兴", "永安", "广宁",
              "屏山", "宁安", "和平", "林口", "宝安", "长江", "金川", "盛泽", "金塘", "岩溪", "明光", "华安"}


class Builder:
    """Collects one scenario; each unit's latent strength drives all of its data."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.units: list[Json] = []
        self.indicators: list[Json] = []
        self.values: list[Json] = []
        self.rater_groups: list[Json] = []
        self.ratings: list[Json] = []
        self.responses: list[Json] = []
        self.adjustments: list[Json] = []
        self.settings: Json = {}
        self.strength: dict[str, float] = {}
        self._nodes: dict[str, Json] = {}
        self._children: dict[str, list[str]] = {}
        self._names_used: set[str] = set()
        self._applicable: dict[tuple[str, int], list[Json]] = {}

    # -- people and units ---------------------------------------------------------------

    def person(self) -> str:
        """An invented person's name, unique within the scenario."""
        while True:
            n = self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))
            if n not in self._names_used:
                self._names_used.add(n)
                return n

    def unit(self, uid: str, name: str, domain: str, category: str = "", *, strength: float | None = None) -> Json:
        """Add a unit; its strength is drawn from N(0, 1) unless given."""
        u = {"id": uid, "name": name, "domain": domain, "category": category}
        self.units.append(u)
        self.strength[uid] = self.rng.gauss(0, 1) if strength is None else strength
        return u

    def ids(self, names: Iterable[str]) -> list[str]:
        """Unit ids for unit names (each name must exist)."""
        by_name = {u["name"]: u["id"] for u in self.units}
        return [by_name[n] for n in names]

    def uid(self, name: str) -> str:
        return self.ids([name])[0]

    def set_leadership(self, share: float, weight: float = 0.75) -> None:
        """Mark about `share` of units' leadership teams excellent, more often the strong ones."""
        latent = {u["id"]: weight * self.strength[u["id"]] + math.sqrt(1 - weight**2) * self.rng.gauss(0, 1)
                  for u in self.units}
        cut = sorted(latent.values(), reverse=True)[max(0, round(share * len(latent)) - 1)]
        for u in self.units:
            u["leadership_excellent"] = latent[u["id"]] >= cut

    def perf(self, u: Json, w: float = 0.8) -> float:
        """One draw of the unit's performance on an indicator: its strength plus noise."""
        return w * self.strength[u["id"]] + math.sqrt(1 - w**2) * self.rng.gauss(0, 1)

    # -- the indicator tree -------------------------------------------------------------

    def node(self, iid: str, name: str, *, parent: str | None = None, points: float | None = None,
             line: str | None = None, applies: Json | None = None) -> str:
        """Add a non-leaf (a paper when it has no parent)."""
        ind: Json = {"id": iid}
        if parent:
            ind["parent"] = parent
        ind["name"] = name
        if points is not None:
            ind["points"] = points
        if parent is None:
            ind["line"] = line or "main"
        if applies:
            ind["applies_to"] = applies
        return self._add(ind)

    def leaf(self, iid: str, parent: str, name: str, points: float, method: str, *, params: Json | None = None,
             lower: bool = False, applies: Json | None = None, lead: str | None = None) -> str:
        """Add a leaf with its method, params, scope, lead unit and an invented responsible person."""
        ind: Json = {"id": iid, "parent": parent, "name": name, "points": points, "method": method,
                     "direction": "lower" if lower else "higher"}
        if params:
            ind["params"] = params
        if applies:
            ind["applies_to"] = applies
        if lead:
            ind["lead_unit"] = lead
            ind["responsible"] = self.person()
        return self._add(ind)

    def _add(self, ind: Json) -> str:
        assert ind["id"] not in self._nodes, ind["id"]
        self.indicators.append(ind)
        self._nodes[ind["id"]] = ind
        self._children.setdefault(ind["id"], [])
        if "parent" in ind:
            self._children[ind["parent"]].append(ind["id"])
        return ind["id"]

    def in_scope(self, ind: Json, u: Json) -> bool:
        a = ind.get("applies_to") or {}
        return ((not a.get("domains") or u["domain"] in a["domains"])
                and (not a.get("categories") or u["category"] in a["categories"])
                and (not a.get("units") or u["id"] in a["units"])
                and u["id"] not in a.get("exclude_units", ()))

    def applicable(self, iid: str) -> list[Json]:
        """Units to which the node and all its ancestors apply (units are all added before the tree)."""
        key = (iid, len(self.units))
        if key not in self._applicable:
            self._applicable[key] = self._find_applicable(iid)
        return self._applicable[key]

    def _find_applicable(self, iid: str) -> list[Json]:
        chain = []
        cur: str | None = iid
        while cur:
            chain.append(self._nodes[cur])
            cur = self._nodes[cur].get("parent")
        return [u for u in self.units if all(self.in_scope(ind, u) for ind in chain)]

    def effective_points(self, iid: str, u: Json) -> float:
        """The points a node counts for a unit (spec section 3), for the build's own checks."""
        ind = self._nodes[iid]
        if "method" in ind:
            return ind["points"]
        kids = [k for k in self._children[iid] if any(v is u for v in self.applicable(k))]
        return ind["points"] if "points" in ind else sum(self.effective_points(k, u) for k in kids)

    def declared_sum(self, iid: str) -> float:
        """Sum of all children's points, a child without points counting as its own children's."""
        return sum(self._nodes[k]["points"] if "points" in self._nodes[k] else self.declared_sum(k)
                   for k in self._children[iid])

    # -- data ---------------------------------------------------------------------------

    def fill_completion(self, iid: str, target: UnitFn, *, mean: float = 1.02, sd: float = 0.06,
                        nd: int = 2, lower: bool = False, w: float = 0.8) -> None:
        """Actual = target × rate, the rate centred on `mean` (lower: actual = target / rate)."""
        for u in self.applicable(iid):
            t = round(target(u), nd)
            r = max(0.55, mean + sd * self.perf(u, w))
            a = t / r if lower else t * r
            self.values.append({"unit": u["id"], "indicator": iid, "actual": round(a, nd), "target": t})

    def fill_count_vs(self, iid: str, target: Callable[[Json], int], *, miss: float = 0.1) -> None:
        """Tasks done out of tasks assigned: weak units leave a few undone."""
        for u in self.applicable(iid):
            t = target(u)
            short = round(t * miss * max(0.0, 0.3 - self.perf(u)) + self.rng.uniform(-0.4, 0.4))
            short = min(round(0.4 * t), max(0, short))
            self.values.append({"unit": u["id"], "indicator": iid, "actual": t - short, "target": t})

    def fill_level(self, iid: str, center: float | UnitFn, spread: float, *, nd: int = 2, lower: bool = False,
                   lo: float | None = None, hi: float | None = None, w: float = 0.8) -> None:
        """Actual = center ± spread × performance, clamped (efficacy, rank, threshold)."""
        for u in self.applicable(iid):
            c = center(u) if callable(center) else center
            x = c + (-spread if lower else spread) * self.perf(u, w)
            if lo is not None:
                x = max(lo, x)
            if hi is not None:
                x = min(hi, x)
            self.values.append({"unit": u["id"], "indicator": iid, "actual": round(x, nd)})

    def fill_count(self, iid: str, lam: float, *, k: float = 0.7) -> None:
        """Number of failings (deduction): Poisson, fewer for strong units."""
        for u in self.applicable(iid):
            self.values.append({"unit": u["id"], "indicator": iid,
                                "actual": self._poisson(lam * math.exp(-k * max(-1.5, self.perf(u))))})

    def _poisson(self, lam: float) -> int:
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def fill_binary(self, iid: str, gen: Callable[[Json, bool], tuple[float, float]], *, fail: float = 0.1) -> None:
        """Achieved or not; about `fail` of units (the weaker ones, mostly) miss."""
        cut = _normal_quantile(fail)
        for u in self.applicable(iid):
            actual, target = gen(u, self.perf(u, 0.7) >= cut)
            self.values.append({"unit": u["id"], "indicator": iid, "actual": actual, "target": target})

    def fill_manual(self, iid: str, *, mean: float = 0.9, sd: float = 0.05, lo: float = 0.55) -> None:
        """A score in points given by the lead unit, within [lo × P, P]."""
        p = self._nodes[iid]["points"]
        for u in self.applicable(iid):
            share = min(1.0, max(lo, mean + sd * self.perf(u)))
            self.values.append({"unit": u["id"], "indicator": iid, "actual": round(p * share, 2)})

    def fill_growth(self, iid: str, baseline: UnitFn, *, growth: float, sd: float, target_growth: float,
                    nd: int = 2) -> None:
        """Baseline (same period last year), actual and target for 增量/增速/差值排位法."""
        for u in self.applicable(iid):
            b = round(baseline(u), nd)
            g = growth + sd * self.perf(u)
            tg = target_growth + self.rng.uniform(-0.01, 0.01)
            self.values.append({"unit": u["id"], "indicator": iid, "actual": round(b * (1 + g), nd),
                                "target": round(b * (1 + tg), nd), "baseline": b})

    def fill_external(self, iid: str, *, center: float = 8.0, spread: float = 4.5, places: int = 21) -> None:
        """The unit's place in an outside (province-wide) ranking of `places`."""
        for u in self.applicable(iid):
            place = round(center - spread * self.perf(u) + self.rng.uniform(-1, 1))
            self.values.append({"unit": u["id"], "indicator": iid, "actual": min(places, max(1, place))})

    def fill_rating(self, iid: str, raters: dict[str, Callable[[Json], list[str]]], *, base: float = 87.0,
                    spread: float = 4.0, noise: float = 3.0) -> None:
        """Scores 0–100 from each group's raters; now and then one rater is far off the others."""
        for u in self.applicable(iid):
            level = base + spread * self.perf(u, 0.85)
            for gid, who in raters.items():
                for rater in who(u):
                    s = level + self.rng.gauss(0, noise)
                    if self.rng.random() < 0.06:
                        s += self.rng.choice((-12, -8, 6))
                    self.ratings.append({"indicator": iid, "unit": u["id"], "group": gid, "rater": rater,
                                         "score": round(min(100.0, max(55.0, s)))})

    def fill_satisfaction(self, iid: str, count: Callable[[Json], int], *, satisfied: float = 0.78,
                          spread: float = 0.06, unsatisfied: float = 0.02) -> None:
        """Answers per choice: the satisfied share follows the unit's strength."""
        for u in self.applicable(iid):
            n = count(u)
            p = self.perf(u, 0.7)
            s1 = min(0.97, max(0.35, satisfied + spread * p))
            s4 = min(0.15, max(0.001, unsatisfied * math.exp(-0.6 * p)))
            rest = max(0.0, 1 - s1 - s4)
            shares = {"satisfied": s1, "fairly_satisfied": rest * 0.72, "basically_satisfied": rest * 0.28,
                      "unsatisfied": s4}
            counts = {c: round(n * s) for c, s in shares.items()}
            counts["satisfied"] += n - sum(counts.values())
            for choice, c in counts.items():
                if c > 0:
                    self.responses.append({"indicator": iid, "unit": u["id"], "choice": choice, "count": c})

    def adjust(self, uid: str, kind: str, points: float, reason: str) -> None:
        self.adjustments.append({"unit": uid, "kind": kind, "points": points, "reason": reason})

    # -- output -------------------------------------------------------------------------

    def check(self, total: float | None = 100.0, *, mismatch: Iterable[str] = ()) -> None:
        """The build's own sanity checks: sums of points (but `mismatch`), every unit's papers add up."""
        for ind in self.indicators:
            if "method" not in ind and "points" in ind and ind["id"] not in mismatch:
                s = self.declared_sum(ind["id"])
                assert abs(s - ind["points"]) < 1e-9, (ind["id"], s, ind["points"])
        if total is None:
            return
        roots = [i["id"] for i in self.indicators if "parent" not in i and i["line"] == "main"]
        for u in self.units:
            got = sum(self.effective_points(r, u) for r in roots if any(v is u for v in self.applicable(r)))
            assert abs(got - total) < 1e-9, (u["id"], got)

    def scenario(self) -> Json:
        out: Json = {"units": self.units, "indicators": self.indicators, "values": self.values}
        if self.rater_groups:
            out["rater_groups"] = self.rater_groups
        if self.ratings:
            out["ratings"] = self.ratings
        if self.responses:
            out["responses"] = self.responses
        if self.adjustments:
            out["adjustments"] = self.adjustments
        out["settings"] = self.settings
        return out


def _normal_quantile(p: float) -> float:
    """Inverse standard normal CDF (bisection; only used for a handful of cut points)."""
    lo, hi = -8.0, 8.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if 0.5 * (1 + math.erf(mid / math.sqrt(2))) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def dom(*domains: str, categories: Iterable[str] = (), units: Iterable[str] = (),
        exclude: Iterable[str] = ()) -> Json:
    """An applies_to object with only its non-empty lists."""
    a: Json = {}
    if domains:
        a["domains"] = list(domains)
    if categories:
        a["categories"] = list(categories)
    if units:
        a["units"] = list(units)
    if exclude:
        a["exclude_units"] = list(exclude)
    return a


def place_names(rng: random.Random, n: int) -> list[str]:
    """n invented two-character place names."""
    names: list[str] = []
    while len(names) < n:
        s = rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND)
        if s[0] != s[1] and s not in REAL_NAMES and s not in names:
            names.append(s)
    return names


# =======================================================================================
# 1. A province, Zhejiang style (seed 003): 429 units in 5 domains, three exam papers
# =======================================================================================

PROVINCE_CITIES = ["钱塘市", "明州市", "瓯江市", "苕溪市", "禾城市", "越州市", "婺州市", "三衢市", "东海市", "台岳市",
                   "括苍市"]
PROVINCE_PARTY = ["省纪委监委机关", "省委办公厅", "省委组织部", "省委宣传部", "省委统战部", "省委政法委", "省委政策研究室",
                  "省委改革办", "省委网信办", "省委编办", "省委外办", "省委台办", "省直机关工委", "省委老干部局", "省委党校",
                  "省委机要局", "省委社会工作部", "省委金融办", "省委党史研究室", "省人大常委会办公厅", "省政协办公厅",
                  "省档案馆", "省总工会", "团省委", "省妇联", "省科协", "省侨联", "省文联", "省作协", "省社科联", "省残联",
                  "省红十字会", "省工商联", "省贸促会"]
PROVINCE_GOV = ["省政府办公厅", "省发展改革委", "省经信厅", "省教育厅", "省科技厅", "省民宗委", "省公安厅", "省民政厅",
                "省司法厅", "省财政厅", "省人力社保厅", "省自然资源厅", "省生态环境厅", "省建设厅", "省交通运输厅", "省水利厅",
                "省农业农村厅", "省商务厅", "省文化和旅游厅", "省卫生健康委", "省退役军人事务厅", "省应急管理厅", "省审计厅",
                "省国资委", "省市场监管局", "省体育局", "省统计局", "省医保局", "省信访局", "省机关事务局", "省数据局",
                "省林业局", "省粮食物资局", "省能源局", "省药监局", "省人防办", "省金融管理局", "省文物局", "省监狱管理局",
                "省戒毒管理局", "省中医药管理局", "省知识产权局", "省港航管理中心", "省公共资源交易中心", "省消防救援总队",
                "省政府研究室", "省海洋经济发展局", "省乡村振兴局"]
PROVINCE_OTHER = ["省高级人民法院", "省人民检察院", "省社会科学院", "省农业科学院", "省地质勘查局", "省供销社", "省气象局",
                  "省通信管理局", "省邮政管理局", "省测绘地理信息局", "省疾病预防控制中心", "省血液中心", "省图书馆",
                  "省博物馆", "省科技信息研究院", "省经济信息中心", "省建筑科学设计研究院", "省水文管理中心", "省地震局",
                  "省大数据发展中心", "省广播电视局", "省海洋监测预报中心"]
PROVINCE_SOE_FUNC = ["省国有资本运营公司", "省交通投资集团", "省能源集团", "省海港集团", "省机场集团", "省水务集团",
                     "省农村发展集团"]
PROVINCE_SOE_COMP = ["省建设投资集团", "省物产集团", "省国际贸易集团", "省旅游投资集团", "省农业发展集团", "省机电集团",
                     "省医药健康产业集团", "省产业投资集团", "省文化产业投资集团", "省商业集团", "省盐业集团"]
PROVINCE_UNI_TOP = ["之江工业大学", "之江师范大学", "明州大学", "钱塘理工大学", "东海电子科技大学", "之江工商大学",
                    "东南美术学院", "之江计量大学", "之江中医药大学", "之江财经大学", "瓯江医科大学", "之江农林大学"]
PROVINCE_UNI = ["东海海洋大学", "之江科技大学", "之江传媒学院", "之江外国语学院", "之江音乐学院", "钱塘师范大学", "瓯江大学",
                "越州文理学院", "苕溪师范学院", "禾城大学", "台岳学院", "括苍学院", "三衢学院", "之江警察学院",
                "之江水利水电学院", "明州万里学院", "钱塘城市学院", "钱塘理工学院", "之江树人学院", "瓯江理工学院", "婺州学院",
                "东海海事学院"]
PROVINCE_VOC = ["之江金融职业学院", "之江机电职业技术大学", "之江交通职业技术学院", "之江建设职业技术学院",
                "之江经贸职业技术学院", "之江工贸职业技术学院", "之江医药高等专科学校", "之江商业职业技术学院",
                "之江旅游职业学院", "之江警官职业学院", "之江艺术职业学院", "之江经济职业技术学院", "之江农业商贸职业学院",
                "之江同济科技职业学院", "之江特殊教育职业学院", "之江体育职业技术学院", "东海海运职业技术学院",
                "之江安防职业技术学院", "之江长征职业技术学院", "之江育英职业技术学院", "之江宇翔职业技术学院",
                "之江电力职业技术学院"]


def province() -> Json:
    """之江省 (a Zhejiang-style province): 5 domains, 429 units, three exam papers, 一单位一策."""
    b = Builder(3)
    rng = b.rng
    size: dict[str, float] = {}

    # -- units: 101 cities and counties, 104 departments, 18 enterprises, 56 universities, 150 zones
    places = place_names(rng, 90)
    mountain, plain = places[:26], places[26:]
    for i, name in enumerate(PROVINCE_CITIES, 1):
        u = b.unit(f"SX{i:03d}", name, "county", "设区市")
        size[u["id"]] = rng.uniform(4.0, 9.0) if i > 2 else rng.uniform(12.0, 16.0)
    n = len(PROVINCE_CITIES)
    for name in mountain:
        n += 1
        u = b.unit(f"SX{n:03d}", name + "县", "county", "山区县", strength=rng.gauss(-0.1, 1))
        size[u["id"]] = rng.uniform(0.5, 1.3)
    for name in plain:
        n += 1
        u = b.unit(f"SX{n:03d}", name + rng.choice("市区县区市"), "county", "非山区县")
        size[u["id"]] = rng.uniform(1.2, 3.5)
    n = 0
    for cat, names in (("党群部门", PROVINCE_PARTY), ("政府部门", PROVINCE_GOV), ("其他省直单位", PROVINCE_OTHER)):
        for name in names:
            n += 1
            b.unit(f"BM{n:03d}", name, "dept", cat)
    n = 0
    for cat, names in (("功能类", PROVINCE_SOE_FUNC), ("竞争类", PROVINCE_SOE_COMP)):
        for name in names:
            n += 1
            u = b.unit(f"QY{n:02d}", name, "enterprise", cat)
            size[u["id"]] = rng.uniform(0.5, 3.0)
    n = 0
    for cat, names in (("高水平大学建设高校", PROVINCE_UNI_TOP), ("本科高校", PROVINCE_UNI), ("高职院校", PROVINCE_VOC)):
        for name in names:
            n += 1
            u = b.unit(f"GX{n:02d}", name, "university", cat)
            size[u["id"]] = {"高水平大学建设高校": 3.0, "本科高校": 1.2, "高职院校": 0.5}[cat] * rng.uniform(0.7, 1.4)
    zones: list[tuple[str, str]] = []
    for c in PROVINCE_CITIES:
        zones += [(c[:-1] + "经济技术开发区", "国家级开发区"), (c[:-1] + "高新技术产业开发区", "国家级开发区")]
    for name in plain[:18]:
        zones.append((name + "经济技术开发区", "国家级开发区"))
    for name in plain[18:] + mountain:
        zones.append((name + "经济开发区", "省级开发区"))
    for name in plain[:20]:
        zones.append((name + "高新技术产业园区", "省级开发区"))
    for name in mountain[:20]:
        zones.append((name + "产业集聚区", "省级开发区"))
    for name in plain[18:28]:
        zones.append((name + "临港产业园区", "省级开发区"))
    zones = zones[:150]
    for i, (name, cat) in enumerate(zones, 1):
        u = b.unit(f"KF{i:03d}", name, "park", cat)
        size[u["id"]] = rng.uniform(2.0, 5.0) if cat == "国家级开发区" else rng.uniform(0.5, 2.0)
    assert len(b.units) == 429, len(b.units)

    def sz(u: Json) -> float:
        return size[u["id"]]

    b.rater_groups = [
        {"id": "leaders", "name": "省领导评价", "weight": 0.4},
        {"id": "team", "name": "综合考核组评价", "weight": 0.35},
        {"id": "cadres", "name": "干部群众民主测评", "weight": 0.25},
    ]
    leaders = [f"省领导{k:02d}" for k in range(1, 13)]

    def pick(prefix: str, pool: int, k: int) -> Callable[[Json], list[str]]:
        return lambda u: [f"{prefix}{x:02d}" for x in sorted(rng.sample(range(1, pool + 1), k))]

    def team_of(u: Json) -> list[str]:
        team = 1 + int(u["id"][2:]) % 13  # 13 综合考核组 cover every unit
        return [f"考核组{team:02d}-{k}" for k in range(1, 6)]

    # == Paper 1: 党的建设 (30 points for every unit) ==
    b.node("A", "党的建设考卷")
    b.node("A1", "贯彻落实习近平总书记重要指示批示精神（第一指标）", parent="A", points=8)
    b.leaf("A101", "A1", "重要指示批示精神贯彻落实评价", 5, "rating", params={"groups": ["team", "leaders"]},
           lead="省委考核办")
    b.fill_rating("A101", {"team": team_of, "leaders": lambda u: rng.sample(leaders, 5)}, base=88)
    b.leaf("A102", "A1", "督查反馈问题未按期整改", 3, "deduction", params={"per_item": 0.5}, lower=True, lead="省委办公厅")
    b.fill_count("A102", 0.5)
    b.node("A2", "领导班子建设", parent="A", points=8)
    b.leaf("A201", "A2", "领导班子政治建设调研分析", 5, "rating", params={"groups": ["cadres"]}, lead="省委组织部")
    b.fill_rating("A201", {"cadres": pick("测评人", 60, 7)}, base=89, noise=4)
    b.leaf("A202", "A2", "选人用人工作专项检查", 3, "binary", params={"partial": 0.5}, lead="省委组织部")
    b.fill_binary("A202", lambda u, ok: (1, 1) if ok else (0, 1), fail=0.08)
    b.node("A3", "全面从严治党", parent="A", points=8)
    b.leaf("A301", "A3", "班子成员及干部违纪违法案件", 4, "deduction", params={"per_item": 1}, lower=True,
           lead="省纪委监委机关")
    b.fill_count("A301", 0.35)
    b.leaf("A302", "A3", "巡视巡察反馈问题整改", 4, "completion", lead="省委巡视办")
    b.fill_count_vs("A302", lambda u: rng.randint(12, 40))
    b.node("A4", "领域党建", parent="A")
    domain_party = [
        ("county", "A41", "抓党建促共同富裕", [("基层党组织建设考核得分", "threshold"), ("党建引领共同富裕实践", "manual")]),
        ("dept", "A42", "机关党建", [("模范机关创建考评得分", "threshold"), ("清廉机关建设", "manual")]),
        ("enterprise", "A43", "国企党建", [("党建引领生产经营", "manual"), ("党委前置研究重大事项", "binary")]),
        ("university", "A44", "高校党建和思政工作", [("思想政治工作测评得分", "threshold"), ("党委领导下的校长负责制落实", "manual")]),
        ("park", "A45", "两新组织党建", [("两新组织党组织覆盖率", "threshold"), ("党建引领服务企业", "manual")]),
    ]
    for domain, gid, gname, leaves in domain_party:
        b.node(gid, gname, parent="A4", points=6, applies=dom(domain))
        for k, (lname, method) in enumerate(leaves, 1):
            lid = f"{gid}{k}"
            if method == "threshold":
                b.leaf(lid, gid, lname, 3, "threshold", lead="省委组织部",
                       params={"bands": [[95, 1.0], [90, 0.9], [85, 0.8], [80, 0.65], [70, 0.5]]})
                b.fill_level(lid, 90.5, 3.5, nd=1, hi=100)
            elif method == "manual":
                b.leaf(lid, gid, lname, 3, "manual", lead="省委组织部")
                b.fill_manual(lid, mean=0.88, sd=0.06)
            else:
                b.leaf(lid, gid, lname, 3, "binary", params={"partial": 0.5}, lead="省国资委")
                b.fill_binary(lid, lambda u, ok: (1, 1) if ok else (0, 1), fail=0.1)

    # == Paper 2: 高质量发展绩效 (50 points for every unit, differentiated by domain and track) ==
    b.node("B", "高质量发展绩效考卷")
    # -- cities and counties
    b.node("B1", "市县高质量发展绩效", parent="B", applies=dom("county"))
    b.node("B11", "经济发展", parent="B1", points=12)
    b.leaf("B111", "B11", "地区生产总值增速", 3, "rank", lead="省统计局")
    b.fill_level("B111", lambda u: 6.2 if u["category"] == "设区市" else 6.0, 0.9)
    b.leaf("B112", "B11", "一般公共预算收入", 2, "completion", params={"cap": 1.2}, lead="省财政厅")
    b.fill_completion("B112", lambda u: 95 * sz(u), mean=1.02, sd=0.05)
    b.leaf("B113", "B11", "固定资产投资", 2, "completion", params={"cap": 1.2}, lead="省发展改革委")
    b.fill_completion("B113", lambda u: 420 * sz(u), mean=1.01, sd=0.06)
    b.leaf("B114", "B11", "规上工业增加值增速", 2, "efficacy", lead="省经信厅")
    b.fill_level("B114", 7.5, 2.2)
    b.leaf("B115", "B11", "社会消费品零售总额增速", 1.5, "efficacy", lead="省商务厅")
    b.fill_level("B115", 6.5, 1.5)
    b.leaf("B116", "B11", "规上工业企业新增数", 1.5, "completion", params={"cap": 1.2}, lead="省经信厅")
    b.fill_completion("B116", lambda u: max(8, round(60 * sz(u))), nd=0, mean=1.05, sd=0.12)
    b.node("B12", "创新深化", parent="B1", points=8)
    b.leaf("B121", "B12", "研发经费投入强度", 2.5, "efficacy", lead="省科技厅")
    b.fill_level("B121", lambda u: {"设区市": 3.1, "山区县": 1.8, "非山区县": 2.7}[u["category"]], 0.45, lo=0.6)
    b.leaf("B122", "B12", "数字经济核心产业增加值", 2, "completion", params={"cap": 1.2}, lead="省经信厅")
    b.fill_completion("B122", lambda u: 70 * sz(u), mean=1.03, sd=0.07)
    b.leaf("B123", "B12", "新认定高新技术企业数", 1.5, "completion", params={"cap": 1.2}, lead="省科技厅")
    b.fill_completion("B123", lambda u: max(10, round(85 * sz(u))), nd=0, mean=1.06, sd=0.12)
    b.leaf("B124", "B12", "高技术制造业投资增速", 2, "rank", lead="省发展改革委")
    b.fill_level("B124", 11.0, 5.5)
    b.node("B13", "改革攻坚", parent="B1", points=6)
    b.leaf("B131", "B13", "营商环境评价得分", 2, "threshold", lead="省发展改革委",
           params={"bands": [[90, 1.0], [85, 0.9], [80, 0.8], [75, 0.65], [0, 0.5]]})
    b.fill_level("B131", 86.0, 3.5, nd=1)
    b.leaf("B132", "B13", "重大改革突破和最佳实践", 2, "manual", lead="省委改革办")
    b.fill_manual("B132", mean=0.85, sd=0.08)
    b.leaf("B133", "B13", "数字化改革评价得分", 2, "threshold", lead="省数据局",
           params={"bands": [[90, 1.0], [85, 0.85], [80, 0.7], [0, 0.5]]})
    b.fill_level("B133", 87.0, 3.5, nd=1)
    b.node("B14", "开放提升", parent="B1", points=4)
    b.leaf("B141", "B14", "货物贸易出口额", 2, "completion", params={"cap": 1.2}, lead="省商务厅")
    b.fill_completion("B141", lambda u: 260 * sz(u), mean=1.02, sd=0.08)
    b.leaf("B142", "B14", "实际使用外资", 2, "completion", params={"cap": 1.2}, lead="省商务厅")
    b.fill_completion("B142", lambda u: 2.2 * sz(u), mean=1.0, sd=0.12)
    b.node("B15", "共同富裕", parent="B1", points=6)
    b.leaf("B151", "B15", "城乡居民收入倍差", 2, "efficacy", lower=True, lead="省统计局")
    b.fill_level("B151", lambda u: 1.72 if u["category"] == "山区县" else 1.62, 0.07, lower=True, lo=1.4)
    b.leaf("B152", "B15", "居民人均可支配收入增速", 1.5, "rank", lead="省统计局")
    b.fill_level("B152", 5.8, 0.6)
    b.leaf("B153", "B15", "十方面民生实事完成", 1.5, "binary", lead="省发展改革委")
    b.fill_binary("B153", lambda u, ok: (10, 10) if ok else (9, 10), fail=0.06)
    b.leaf("B154", "B15", "低收入农户人均可支配收入增速", 1, "efficacy", lead="省农业农村厅")
    b.fill_level("B154", 12.5, 1.5)
    b.node("B16", "安全与生态", parent="B1", points=6)
    b.leaf("B161", "B16", "较大及以上生产安全事故", 2, "deduction", params={"per_item": 0.5}, lower=True,
           lead="省应急管理厅")
    b.fill_count("B161", 0.6)
    b.leaf("B162", "B16", "PM2.5平均浓度（微克/立方米）", 2, "efficacy", lower=True, lead="省生态环境厅")
    b.fill_level("B162", lambda u: 21.0 if u["category"] == "山区县" else 26.0, 2.5, nd=1, lower=True)
    b.leaf("B163", "B16", "耕地保有量和永久基本农田保护", 2, "binary", lead="省自然资源厅")
    b.fill_binary("B163", lambda u, ok: (round(60 * sz(u) * (1.002 if ok else 0.996), 2), round(60 * sz(u), 2)),
                  fail=0.05)
    b.node("B17", "分类考核指标", parent="B1")
    b.node("B171", "设区市：中心城市能级", parent="B17", points=8, applies=dom(categories=["设区市"]))
    b.leaf("B1711", "B171", "常住人口净流入", 4, "efficacy", lead="省统计局")
    b.fill_level("B1711", 9.0, 5.0, nd=1)
    b.leaf("B1712", "B171", "十项重大工程年度投资", 4, "completion", params={"cap": 1.2}, lead="省发展改革委")
    b.fill_completion("B1712", lambda u: 180 * sz(u), mean=1.04, sd=0.06)
    b.node("B172", "山区县：跨越式高质量发展", parent="B17", points=8, applies=dom(categories=["山区县"]))
    b.leaf("B1721", "B172", "生态系统生产总值（GEP）增长", 3, "efficacy", lead="省生态环境厅")
    b.fill_level("B1721", 5.5, 1.2)
    b.leaf("B1722", "B172", "山海协作产业飞地税收", 3, "completion", params={"cap": 1.2}, lead="省发展改革委")
    b.fill_completion("B1722", lambda u: round(rng.uniform(0.3, 1.2), 2), mean=1.02, sd=0.12)
    b.leaf("B1723", "B172", "出境断面水质达标", 2, "binary", lead="省生态环境厅")
    b.fill_binary("B1723", lambda u, ok: (100, 100) if ok else (rng.choice((83.3, 91.7)), 100), fail=0.1)
    b.node("B173", "非山区县：亩均效益和结对帮扶", parent="B17", points=8, applies=dom(categories=["非山区县"]))
    b.leaf("B1731", "B173", "规上工业亩均税收（万元/亩）", 3, "efficacy", lead="省经信厅")
    b.fill_level("B1731", 32.0, 6.0, nd=1)
    b.leaf("B1732", "B173", "单位GDP能耗（吨标准煤/万元）", 3, "completion", lower=True, lead="省能源局")
    b.fill_completion("B1732", lambda u: round(rng.uniform(0.32, 0.48), 3), nd=3, mean=1.01, sd=0.03)
    b.leaf("B1733", "B173", "结对帮扶山区县成效", 2, "manual", lead="省发展改革委")
    b.fill_manual("B1733", mean=0.9, sd=0.05)

    # -- provincial departments (一单位一策: exclusions and a special item for a few units)
    asian_games = b.ids(["省体育局", "省公安厅", "省卫生健康委", "省文化和旅游厅", "省建设厅", "省交通运输厅"])
    no_project = b.ids(["省委机要局", "省委党史研究室", "省档案馆", "省作协", "省委老干部局"])
    no_service = b.ids(["省委政策研究室", "省委机要局", "省委改革办"])
    b.node("B2", "省直部门单位履职绩效", parent="B", points=50, applies=dom("dept"))
    b.node("B21", "省委省政府中心任务", parent="B2", points=20)
    b.leaf("B211", "B21", "省委省政府重点工作任务完成", 7, "completion", lead="省委考核办")
    b.fill_count_vs("B211", lambda u: rng.randint(6, 30))
    b.leaf("B212", "B21", "三个“一号工程”和十项重大工程推进", 5, "manual", applies=dom(exclude=no_project),
           lead="省发展改革委")
    b.fill_manual("B212", mean=0.88, sd=0.06)
    b.leaf("B213", "B21", "重大改革任务落实", 4, "manual", lead="省委改革办")
    b.fill_manual("B213", mean=0.88, sd=0.06)
    b.leaf("B214", "B21", "亚运会（亚残运会）筹办专项考核", 4, "manual", applies=dom(units=asian_games),
           lead="省委考核办")
    b.fill_manual("B214", mean=0.93, sd=0.04)
    b.node("B22", "职能职责履行", parent="B2", points=16)
    b.leaf("B221", "B22", "年度职能目标完成", 5, "completion", params={"cap": 1.2}, lead="省委考核办")
    b.fill_completion("B221", lambda u: 100, nd=1, mean=1.04, sd=0.05)
    b.leaf("B222", "B22", "行政复议纠错和行政诉讼败诉", 3, "deduction", params={"per_item": 1}, lower=True,
           lead="省司法厅")
    b.fill_count("B222", 0.3)
    b.leaf("B223", "B22", "政务服务“一网通办”评价", 3, "threshold", applies=dom(exclude=no_service),
           params={"bands": [[95, 1.0], [90, 0.85], [85, 0.7], [0, 0.5]]}, lead="省数据局")
    b.fill_level("B223", 92.0, 3.0, nd=1, hi=100)
    b.leaf("B224", "B22", "数字化改革评价得分", 3, "threshold",
           params={"bands": [[90, 1.0], [85, 0.85], [80, 0.7], [0, 0.5]]}, lead="省数据局")
    b.fill_level("B224", 87.0, 3.5, nd=1)
    b.leaf("B225", "B22", "政策文件制定程序瑕疵", 2, "deduction", params={"per_item": 0.5}, lower=True, lead="省司法厅")
    b.fill_count("B225", 0.25)
    b.node("B23", "履职效能", parent="B2", points=14)
    b.leaf("B231", "B23", "部门预算执行率（%）", 4, "threshold",
           params={"bands": [[95, 1.0], [90, 0.8], [85, 0.6], [0, 0.4]]}, lead="省财政厅")
    b.fill_level("B231", 95.0, 2.5, nd=1, hi=100)
    b.leaf("B232", "B23", "审计发现问题整改", 4, "completion", lead="省审计厅")
    b.fill_count_vs("B232", lambda u: rng.randint(3, 15))
    b.leaf("B233", "B23", "人均机关运行经费增长率（%）", 3, "binary", lower=True, params={"partial": 0.5},
           lead="省机关事务局")
    b.fill_binary("B233", lambda u, ok: (round(rng.uniform(-8, -1), 1) if ok else round(rng.uniform(0.5, 4), 1), 0),
                  fail=0.12)
    b.leaf("B234", "B23", "信访积案和负面舆情", 3, "deduction", params={"per_item": 0.5}, lower=True, lead="省信访局")
    b.fill_count("B234", 0.4)

    # -- state enterprises
    no_overseas = b.ids(["省旅游投资集团", "省盐业集团", "省商业集团"])
    b.node("B3", "省属企业经营绩效", parent="B", points=50, applies=dom("enterprise"))
    b.node("B31", "经营业绩", parent="B3", points=22)
    b.leaf("B311", "B31", "利润总额（亿元）", 6, "completion", params={"cap": 1.2}, lead="省国资委")
    b.fill_completion("B311", lambda u: 18 * sz(u), mean=1.04, sd=0.08)
    b.leaf("B312", "B31", "净资产收益率（%）", 5, "efficacy", params={"peer": "domain"}, lead="省国资委")
    b.fill_level("B312", 6.5, 1.8)
    b.leaf("B313", "B31", "营业收入（亿元）", 4, "completion", params={"cap": 1.2}, lead="省国资委")
    b.fill_completion("B313", lambda u: 600 * sz(u), mean=1.03, sd=0.06)
    b.leaf("B314", "B31", "全员劳动生产率（万元/人）", 4, "rank", params={"peer": "domain"}, lead="省国资委")
    b.fill_level("B314", 62.0, 15.0, nd=1)
    b.leaf("B315", "B31", "经济增加值（EVA，亿元）", 3, "completion", params={"cap": 1.2}, lead="省国资委")
    b.fill_completion("B315", lambda u: 6 * sz(u), mean=1.03, sd=0.1)
    b.node("B32", "高质量发展", parent="B3", points=18)
    b.leaf("B321", "B32", "研发经费投入强度（%）", 5, "efficacy", params={"peer": "domain"}, lead="省国资委")
    b.fill_level("B321", 2.4, 0.7, lo=0.5)
    b.leaf("B322", "B32", "战略性新兴产业投资（亿元）", 5, "completion", params={"cap": 1.2}, lead="省发展改革委")
    b.fill_completion("B322", lambda u: 40 * sz(u), mean=1.04, sd=0.08)
    b.leaf("B323", "B32", "境外营业收入（亿元）", 4, "completion", params={"cap": 1.2}, applies=dom(exclude=no_overseas),
           lead="省商务厅")
    b.fill_completion("B323", lambda u: 45 * sz(u), mean=1.02, sd=0.1)
    b.leaf("B324", "B32", "资产负债率（%）", 4, "binary", lower=True, params={"partial": 0.5}, lead="省国资委")
    b.fill_binary("B324", lambda u, ok: (round(rng.uniform(55, 64.5) if ok else rng.uniform(65.2, 69), 1), 65),
                  fail=0.12)
    b.node("B33", "风险防控", parent="B3", points=10)
    b.leaf("B331", "B33", "生产安全责任事故", 4, "deduction", params={"per_item": 2}, lower=True, lead="省应急管理厅")
    b.fill_count("B331", 0.25)
    b.leaf("B332", "B33", "带息负债增长率（%）", 3, "threshold", lower=True,
           params={"bands": [[0, 1.0], [5, 0.8], [10, 0.5]]}, lead="省国资委")
    b.fill_level("B332", 3.0, 4.0, nd=1, lower=True)
    b.leaf("B333", "B33", "国有资产保值增值率（%）", 3, "threshold",
           params={"bands": [[106, 1.0], [103, 0.85], [100, 0.6]]}, lead="省国资委")
    b.fill_level("B333", 105.0, 2.5, nd=1)

    # -- universities
    b.node("B4", "高校办学绩效", parent="B", points=50, applies=dom("university"))
    b.node("B41", "人才培养", parent="B4", points=16)
    b.leaf("B411", "B41", "毕业生去向落实率（%）", 5, "threshold",
           params={"bands": [[96, 1.0], [94, 0.9], [92, 0.8], [90, 0.7], [0, 0.5]]}, lead="省教育厅")
    b.fill_level("B411", 94.5, 1.6, nd=1, hi=100)
    b.leaf("B412", "B41", "国家级一流专业和一流课程", 5, "completion", params={"cap": 1.2}, lead="省教育厅")
    b.fill_completion("B412", lambda u: max(2, round(6 * sz(u))), nd=0, mean=1.05, sd=0.15)
    b.leaf("B413", "B41", "学生学科竞赛获奖指数", 6, "rank", lead="省教育厅")
    b.fill_level("B413", lambda u: 60 * sz(u), 12.0, nd=1, lo=1)
    b.node("B42", "学科建设和科学研究", parent="B4", points=18)
    b.leaf("B421", "B42", "一流学科和高水平专业群建设", 5, "manual", lead="省教育厅")
    b.fill_manual("B421", mean=0.86, sd=0.07)
    b.leaf("B422", "B42", "科研经费到账（亿元）", 5, "completion", params={"cap": 1.2}, lead="省科技厅")
    b.fill_completion("B422", lambda u: 2.5 * sz(u), mean=1.04, sd=0.1)
    b.leaf("B423", "B42", "高水平科研成果指数", 4, "efficacy", lead="省教育厅")
    b.fill_level("B423", 70.0, 10.0, nd=1)
    b.leaf("B424", "B42", "省部级以上科研平台新增", 4, "completion", params={"cap": 1.2}, lead="省科技厅")
    b.fill_completion("B424", lambda u: max(1, round(4 * sz(u))), nd=0, mean=1.05, sd=0.2)
    b.node("B43", "社会服务", parent="B4", points=10)
    b.leaf("B431", "B43", "科技成果转化收入（万元）", 5, "completion", params={"cap": 1.2}, lead="省科技厅")
    b.fill_completion("B431", lambda u: 3000 * sz(u), nd=0, mean=1.03, sd=0.12)
    b.leaf("B432", "B43", "服务地方发展", 5, "manual", lead="省教育厅")
    b.fill_manual("B432", mean=0.88, sd=0.06)
    b.node("B44", "治理和安全", parent="B4", points=6)
    b.leaf("B441", "B44", "校园安全稳定事件", 3, "deduction", params={"per_item": 1}, lower=True, lead="省委教育工委")
    b.fill_count("B441", 0.3)
    b.leaf("B442", "B44", "审计和财务检查重大问题", 3, "binary", lower=True, lead="省审计厅")
    b.fill_binary("B442", lambda u, ok: (0, 0) if ok else (rng.randint(1, 2), 0), fail=0.07)

    # -- development zones
    b.node("B5", "开发区（园区）发展绩效", parent="B", points=50, applies=dom("park"))
    b.node("B51", "产业发展", parent="B5", points=20)
    b.leaf("B511", "B51", "规上工业增加值（亿元）", 5, "completion", params={"cap": 1.2}, lead="省商务厅")
    b.fill_completion("B511", lambda u: 110 * sz(u), mean=1.02, sd=0.06)
    b.leaf("B512", "B51", "规上工业亩均税收（万元/亩）", 4, "efficacy", lead="省经信厅")
    b.fill_level("B512", 35.0, 7.0, nd=1)
    b.leaf("B513", "B51", "制造业投资（亿元）", 4, "completion", params={"cap": 1.2}, lead="省发展改革委")
    b.fill_completion("B513", lambda u: 45 * sz(u), mean=1.03, sd=0.08)
    b.leaf("B514", "B51", "高新技术产业增加值增速（%）", 4, "rank", lead="省科技厅")
    b.fill_level("B514", 9.0, 3.0)
    b.leaf("B515", "B51", "规上工业亩均增加值（万元/亩）", 3, "efficacy", lead="省经信厅")
    b.fill_level("B515", 160.0, 30.0, nd=1)
    b.node("B52", "创新发展", parent="B5", points=12)
    b.leaf("B521", "B52", "规上工业研发费用占营业收入比重（%）", 6, "efficacy", lead="省科技厅")
    b.fill_level("B521", 2.6, 0.5, lo=0.8)
    b.leaf("B522", "B52", "新认定高新技术企业数", 6, "completion", params={"cap": 1.2}, lead="省科技厅")
    b.fill_completion("B522", lambda u: max(5, round(25 * sz(u))), nd=0, mean=1.05, sd=0.12)
    b.node("B53", "开放和营商环境", parent="B5", points=10)
    b.leaf("B531", "B53", "实际使用外资（亿美元）", 4, "completion", params={"cap": 1.2}, lead="省商务厅")
    b.fill_completion("B531", lambda u: 0.8 * sz(u), mean=1.0, sd=0.12)
    b.leaf("B532", "B53", "企业开办和项目审批评价", 3, "threshold",
           params={"bands": [[90, 1.0], [85, 0.85], [80, 0.7], [0, 0.5]]}, lead="省发展改革委")
    b.fill_level("B532", 87.0, 3.5, nd=1)
    b.leaf("B533", "B53", "货物贸易出口额（亿元）", 3, "completion", params={"cap": 1.2}, lead="省商务厅")
    b.fill_completion("B533", lambda u: 90 * sz(u), mean=1.02, sd=0.08)
    b.node("B54", "绿色和安全", parent="B5", points=8)
    b.leaf("B541", "B54", "单位工业增加值能耗（吨标准煤/万元）", 4, "completion", lower=True, lead="省能源局")
    b.fill_completion("B541", lambda u: round(rng.uniform(0.45, 0.75), 3), nd=3, mean=1.01, sd=0.04)
    b.leaf("B542", "B54", "生产安全事故", 4, "deduction", params={"per_item": 1}, lower=True, lead="省应急管理厅")
    b.fill_count("B542", 0.4)

    # == Paper 3: 满意度评价 (20 points): 上评下 recognition, 下评上 satisfaction ==
    b.node("C", "满意度评价考卷")
    b.leaf("C1", "C", "上评下：省领导认可度", 8, "rating", params={"groups": ["leaders"]}, lead="省委考核办")
    b.fill_rating("C1", {"leaders": lambda u: rng.sample(leaders, 6)}, base=88)
    b.node("C2", "下评上：服务对象满意度", parent="C")
    # The 11 cities' survey on the ten livelihood projects drew 14.8 million answers, >99% approval.
    city_answers = _split(14_800_000, len(PROVINCE_CITIES), rng)
    surveys: list[tuple[str, str, str, Callable[[Json], int], float, float, float]] = [
        ("county", "C21", "民生实事群众满意度",
         lambda u: city_answers[int(u["id"][2:]) - 1] if u["category"] == "设区市" else rng.randint(18000, 90000),
         0.86, 0.04, 0.004),
        ("dept", "C22", "服务对象满意度", lambda u: rng.randint(180, 1500), 0.74, 0.07, 0.02),
        ("enterprise", "C23", "职工和服务对象满意度", lambda u: rng.randint(800, 6000), 0.72, 0.07, 0.02),
        ("university", "C24", "师生和社会满意度", lambda u: rng.randint(1500, 12000), 0.75, 0.06, 0.02),
        ("park", "C25", "入驻企业满意度", lambda u: rng.randint(60, 900), 0.7, 0.08, 0.02),
    ]
    for domain, lid, name, count, satisfied, spread, unsatisfied in surveys:
        b.leaf(lid, "C2", name, 12, "satisfaction", params={"min_responses": 30}, applies=dom(domain),
               lead="省统计局")
        b.fill_satisfaction(lid, count, satisfied=satisfied, spread=spread, unsatisfied=unsatisfied)
    # Two small departments whose survey fell short: scored with their peers' mean, with a warning.
    for row in b.responses:
        if row["indicator"] == "C22" and row["unit"] in b.ids(["省委党史研究室", "省委台办"]):
            row["count"] = max(1, row["count"] // 60)

    # -- adjustments: reform and award bonuses, sanctions, one veto

    b.adjust(b.uid("钱塘市"), "bonus", 1.0, "省改革突破奖金奖")
    b.adjust(b.uid("省医保局"), "bonus", 1.0, "高值医用耗材集中带量采购改革获国家肯定")
    b.adjust(b.uid("省海港集团"), "bonus", 0.5, "港口货物吞吐量连续15年全球第一")
    b.adjust(b.uid("钱塘理工大学"), "bonus", 0.5, "学科评估获评A+")
    b.adjust(b.uid("省人力社保厅"), "bonus", 0.5, "稳就业创新创优项目")
    plain_ids = [u["id"] for u in b.units if u["category"] == "非山区县"]
    b.adjust(plain_ids[18], "deduction", 1.0, "国务院督查通报问题，扣减年度考核分")
    b.adjust(b.uid(zones[60][0]), "veto", 0, "发生较大生产安全事故，一票否决")

    b.set_leadership(0.5)
    b.settings = {
        "bonus_cap": 2,
        "rank_by": "group",
        "grade_scope": "domain",
        "grades": [
            {"name": "一等次", "top_share": 0.3},
            {"name": "二等次", "rest": True},
            {"name": "三等次", "bottom_share": 0.1},
        ],
        "advanced": {"grade": "一等次", "requires_leadership_excellent": True},
    }
    b.check(100.0)
    return b.scenario()


def _split(total: int, n: int, rng: random.Random) -> list[int]:
    """`total` split into n uneven parts."""
    w = [rng.uniform(0.6, 1.6) for _ in range(n)]
    parts = [int(total * x / sum(w)) for x in w]
    parts[0] += total - sum(parts)
    return parts


# =======================================================================================
# 2. A county, Qingshen style (seed 000): 23 key-work items, 四位一体 ratings, 1+N
# =======================================================================================

QS_TOWNS = ["竹林镇", "江湾镇", "岷阳镇", "中岩镇", "桂花镇", "东岳镇", "兰沟镇", "柳溪乡", "石桥乡", "白鹤乡"]
QS_ECON = ["县发展改革局", "县经济科技和信息化局", "县财政局", "县商务和经济合作局", "县投资促进局", "县自然资源局",
           "县住房城乡建设局", "县交通运输局", "县农业农村局", "县水利局", "县文化广播电视和旅游局", "县统计局",
           "县市场监督管理局", "县行政审批局", "县竹产业发展中心", "县机械产业园区管委会", "县枇杷产业服务中心"]
QS_SOCIAL = ["县教育和体育局", "县卫生健康局", "县民政局", "县人力资源和社会保障局", "县公安局", "县司法局",
             "县应急管理局", "县生态环境局", "县退役军人事务局", "县医疗保障局", "县审计局", "县综合行政执法局",
             "县信访局", "县林业局"]
QS_PARTY = ["县委办公室", "县政府办公室", "县纪委监委机关", "县委组织部", "县委宣传部", "县委统战部", "县委政法委",
            "县委编办", "县总工会", "团县委", "县妇联", "县科协", "县工商联", "县融媒体中心"]


def qingshen_county() -> Json:
    """A Qingshen-style county: townships and departments, 23 key-work items, 四位一体, 1+N."""
    b = Builder(0)
    rng = b.rng
    for i, name in enumerate(QS_TOWNS, 1):
        b.unit(f"XZ{i:02d}", name, "township")
    n = 0
    for cat, names in (("经济部门", QS_ECON), ("社会事业部门", QS_SOCIAL), ("党群部门", QS_PARTY)):
        for name in names:
            n += 1
            b.unit(f"BM{n:02d}", name, "dept", cat)
    towns = [u for u in b.units if u["domain"] == "township"]
    depts = [u for u in b.units if u["domain"] == "dept"]
    weight = {u["id"]: (rng.uniform(0.8, 1.6) if u["domain"] == "township" else
                        {"经济部门": rng.uniform(0.6, 1.2), "社会事业部门": rng.uniform(0.3, 0.7),
                         "党群部门": rng.uniform(0.15, 0.4)}[u["category"]]) for u in b.units}

    def wt(u: Json) -> float:
        return weight[u["id"]]

    # 四位一体: functional units and county leaders, units rating each other, society, townships rating departments
    b.rater_groups = [
        {"id": "leaders", "name": "职能部门和县领导评分", "weight": 0.4},
        {"id": "peers", "name": "单位互评", "weight": 0.2},
        {"id": "society", "name": "社会评价", "weight": 0.2},
        {"id": "townships", "name": "乡镇评部门", "weight": 0.2},
    ]
    county_leaders = [f"县领导{k:02d}" for k in range(1, 16)]

    def peers_of(u: Json) -> list[str]:
        same = [v["id"] for v in (towns if u["domain"] == "township" else depts) if v["id"] != u["id"]]
        return sorted(rng.sample(same, min(len(same), 6 if u["domain"] == "dept" else 9)))

    # == 重点工作: 30 items cut to 23; 特色产业 is 17% of the key-work points ==
    key_points = 60
    b.node("K", "重点工作", points=key_points)
    special = round(0.17 * key_points, 2)
    b.node("K01", "特色产业（机械、竹编、枇杷）专项", parent="K", points=special)
    third = round(special / 3, 2)
    b.leaf("K011", "K01", "机械产业项目投资和服务", third, "completion", params={"cap": 1.2}, lead="县经济科技和信息化局")
    b.fill_completion("K011", lambda u: round(3000 * wt(u)), nd=0, mean=1.01, sd=0.06)
    b.leaf("K012", "K01", "竹编产业产值和竹编技艺培训", third, "completion", params={"cap": 1.2}, lead="县竹产业发展中心")
    b.fill_completion("K012", lambda u: round(800 * wt(u)), nd=0, mean=1.01, sd=0.06)
    b.leaf("K013", "K01", "枇杷产业基地和品牌推广", third, "completion", params={"cap": 1.2}, lead="县农业农村局")
    b.fill_completion("K013", lambda u: round(500 * wt(u)), nd=0, mean=1.0, sd=0.06)
    town, dept = dom("township"), dom("dept")
    items: list[tuple[str, str, float, Json | None, str, str]] = [
        ("K02", "重大项目推进（考核跟着项目走）", 3.5, None, "completion", "县发展改革局"),
        ("K03", "招商引资到位资金", 3, None, "completion", "县投资促进局"),
        ("K04", "向上争取资金和项目", 2.5, None, "completion", "县财政局"),
        ("K05", "重大会议和重大活动保障", 2, None, "manual", "县委办公室"),
        ("K06", "监督跟着项目走：项目监督发现问题", 2, None, "deduction", "县纪委监委机关"),
        ("K07", "固定资产投资", 3, town, "completion", "县发展改革局"),
        ("K08", "乡村振兴考评", 3, town, "threshold", "县农业农村局"),
        ("K09", "巩固拓展脱贫攻坚成果", 2.5, town, "binary", "县农业农村局"),
        ("K10", "城乡环境综合治理考评", 2, town, "threshold", "县住房城乡建设局"),
        ("K11", "防汛减灾和森林防火", 1.5, town, "binary", "县应急管理局"),
        ("K12", "财源建设和协税护税", 2, town, "completion", "县财政局"),
        ("K13", "营商环境评价", 2.5, dept, "threshold", "县发展改革局"),
        ("K14", "“放管服”改革事项办结", 2, dept, "binary", "县行政审批局"),
        ("K15", "行业监管问题", 2, dept, "deduction", "县委编办"),
        ("K16", "部门下沉服务乡镇网格", 2, dept, "manual", "县委组织部"),
        ("K17", "依法行政问题", 2, dept, "deduction", "县司法局"),
        ("K18", "生态环境保护问题", 2.5, None, "deduction", "县生态环境局"),
        ("K19", "安全生产事故和隐患", 2, None, "deduction", "县应急管理局"),
        ("K20", "信访维稳和平安建设问题", 2, None, "deduction", "县委政法委"),
        ("K21", "民生实事完成", 2.5, None, "completion", "县政府办公室"),
        ("K22", "人才引进和培育", 1.5, None, "completion", "县委组织部"),
        ("K23", "政务信息和数字政府评价", 1.8, None, "threshold", "县政府办公室"),
    ]
    for iid, name, points, applies, method, lead in items:
        if method == "completion":
            cap = 1 if iid == "K21" else 1.2
            b.leaf(iid, "K", name, points, "completion", params={"cap": cap} if cap != 1 else None, applies=applies,
                   lead=lead)
            if iid == "K21":
                b.fill_count_vs(iid, lambda u: rng.randint(3, 12))
            else:
                b.fill_completion(iid, lambda u: round(rng.uniform(800, 5000) * wt(u)), nd=0, mean=1.0, sd=0.05)
        elif method == "manual":
            b.leaf(iid, "K", name, points, "manual", applies=applies, lead=lead)
            b.fill_manual(iid, mean=0.9, sd=0.05)
        elif method == "deduction":
            b.leaf(iid, "K", name, points, "deduction", params={"per_item": 0.5}, lower=True, applies=applies,
                   lead=lead)
            b.fill_count(iid, 0.6)
        elif method == "threshold":
            b.leaf(iid, "K", name, points, "threshold", applies=applies, lead=lead,
                   params={"bands": [[95, 1.0], [90, 0.9], [85, 0.8], [80, 0.7], [0, 0.5]]})
            b.fill_level(iid, 90.0, 3.5, nd=1, hi=100)
        else:
            b.leaf(iid, "K", name, points, "binary", params={"partial": 0.5}, applies=applies, lead=lead)
            b.fill_binary(iid, lambda u, ok: (1, 1) if ok else (0, 1), fail=0.1)
    assert len(b._children["K"]) == 23

    # == 排位分: 服务项目、服务群众、服务企业 (new in 2019) ==
    b.node("P", "排位分（三服务）", points=10)
    for iid, name, points in (("P1", "服务项目", 4), ("P2", "服务群众", 3), ("P3", "服务企业", 3)):
        b.leaf(iid, "P", name + "评价得分排位", points, "rank", lead="县目标绩效办")
        b.fill_level(iid, 88.0, 4.0, nd=1, hi=100)

    # == 四位一体评议 ==
    b.node("R", "四位一体评议", points=30)
    b.leaf("R1", "R", "四位一体综合评议", 30, "rating", lead="县目标绩效办")
    raters: dict[str, Callable[[Json], list[str]]] = {
        "leaders": lambda u: sorted(rng.sample(county_leaders, 7)),
        "peers": peers_of,
        "society": lambda u: [f"社会评议员{k:02d}" for k in sorted(rng.sample(range(1, 41), 8))],
        "townships": lambda u: [t["id"] for t in towns] if u["domain"] == "dept" else [],
    }
    b.fill_rating("R1", raters, base=88, spread=3.5)

    # == 1+N: 共性工作 scored as bonus points, not ranked ==
    b.node("N", "共性工作和职能工作（1+N，奖励计分不排位）", line="bonus")
    for iid, name, points, lead in (("N1", "党的建设", 3, "县委组织部"), ("N2", "党风廉政建设", 2, "县纪委监委机关"),
                                    ("N3", "意识形态和宣传工作", 1.5, "县委宣传部"),
                                    ("N4", "目标管理和信息报送", 1.5, "县目标绩效办"), ("N5", "机关作风和效能建设", 2, "县委编办")):
        b.leaf(iid, "N", name, points, "manual", lead=lead)
        b.fill_manual(iid, mean=0.92, sd=0.05, lo=0.6)


    b.adjust(b.uid("县竹产业发展中心"), "bonus", 1.0, "竹编技艺获评国家级非遗生产性保护示范基地")
    b.adjust(b.uid("中岩镇"), "bonus", 0.5, "获评省级乡村振兴示范镇")
    b.adjust(b.uid("县行政审批局"), "bonus", 0.5, "“最多跑一次”改革获市级推广")
    b.adjust(b.uid("县住房城乡建设局"), "deduction", 1.0, "干部受警告处分，按比例扣减")
    b.adjust(b.uid("柳溪乡"), "deduction", 0.5, "县委督查室通报：重点项目进度滞后")

    b.settings = {
        "bonus_cap": 2,
        "rank_by": "group",
        "grade_scope": "domain",
        "grades": [
            {"name": "优秀", "top_share": 0.3},
            {"name": "良好", "rest": True},
            {"name": "一般", "bottom_share": 0.1},
        ],
    }
    b.check(100.0)
    return b.scenario()


# =======================================================================================
# 3. Dazhou dispatched units (seed 001): county department 30% + pilot township 70%
# =======================================================================================

DZ_TOWNS = [("金石镇", "工业主导型"), ("铁山镇", "工业主导型"), ("巴山镇", "文化旅游型"), ("峨城镇", "文化旅游型"),
            ("月湾镇", "现代农业型"), ("稻香镇", "现代农业型"), ("渠港镇", "商贸物流型")]
DZ_STATIONS = [("派出所", "县公安局"), ("司法所", "县司法局"), ("市场监管所", "县市场监督管理局"),
               ("自然资源所", "县自然资源局"), ("税务分局", "县税务局"), ("供电所", "县供电公司"), ("卫生院", "县卫生健康局"),
               ("中心学校", "县教育局"), ("畜牧兽医站", "县农业农村局"), ("林业站", "县林业局"), ("交警中队", "县公安局交警大队")]


def dazhou_dispatched() -> Json:
    """Dazhou-style dispatched units: each on a 100-point county sheet (30%) and township sheet (70%)."""
    b = Builder(1)
    rng = b.rng
    n = 0
    for town, kind in DZ_TOWNS:
        stations = DZ_STATIONS[:9] + [s for s in DZ_STATIONS[9:] if rng.random() < 0.6]
        for station, _ in stations:
            n += 1
            b.unit(f"PZ{n:02d}", town + station, "dispatched", kind)
    # One station ignored the township's dispatch all year: the kind of case the 70% weight is for.
    weak = next(u for u in b.units if u["name"] == "铁山镇自然资源所")
    b.strength[weak["id"]] = -3.6

    b.rater_groups = [
        {"id": "county_dept", "name": "县级主管部门评议", "weight": 0.3},
        {"id": "township", "name": "乡镇党委评议", "weight": 0.7},
    ]

    # == 县级部门考核: 30 points, scored on a 100-point sheet (points_mismatch on purpose) ==
    b.node("DEPT", "县级部门考核（占30%）", points=30)
    b.leaf("D1", "DEPT", "年度业务目标任务完成", 30, "completion", lead="县级主管部门")
    b.fill_count_vs("D1", lambda u: rng.randint(8, 20))
    b.leaf("D2", "DEPT", "专项业务工作", 20, "manual", lead="县级主管部门")
    b.fill_manual("D2", mean=0.88, sd=0.06)
    b.leaf("D3", "DEPT", "队伍建设和作风纪律问题", 10, "deduction", params={"per_item": 2}, lower=True, lead="县级主管部门")
    b.fill_count("D3", 0.4)
    b.leaf("D4", "DEPT", "业务学习培训和执法规范达标", 10, "binary", params={"partial": 0.5}, lead="县级主管部门")
    b.fill_binary("D4", lambda u, ok: (round(rng.uniform(90, 100)), 90) if ok else (round(rng.uniform(70, 89)), 90),
                  fail=0.1)
    b.leaf("D5", "DEPT", "县级主管部门班子评议", 30, "rating", params={"groups": ["county_dept"]}, lead="县级主管部门")
    b.fill_rating("D5", {"county_dept": lambda u: [f"主管部门班子成员{k}" for k in range(1, rng.randint(5, 7) + 1)]},
                  base=86)

    # == 试点镇考核: 70 points, scored on a 100-point sheet ==
    b.node("TOWN", "试点镇考核（占70%）", points=70)
    b.leaf("T1", "TOWN", "服从乡镇统筹调度", 20, "manual", lead="试点镇党委")
    b.fill_manual("T1", mean=0.88, sd=0.07, lo=0.3)
    b.leaf("T2", "TOWN", "参与乡镇中心工作任务完成", 25, "completion", lead="试点镇党委")
    b.fill_count_vs("T2", lambda u: rng.randint(10, 24))
    b.leaf("T3", "TOWN", "属地管理事项落实率", 15, "threshold", lead="试点镇综合执法办",
           params={"basis": "rate", "bands": [[1.0, 1.0], [0.95, 0.85], [0.9, 0.7], [0.8, 0.5]]})
    for u in b.applicable("T3"):
        t = rng.randint(8, 30)  # of the 119 属地管理 matters, those that need this station
        done = min(t, max(0, round(t * (0.97 + 0.04 * b.perf(u)))))
        b.values.append({"unit": u["id"], "indicator": "T3", "actual": done, "target": t})
    b.leaf("T4", "TOWN", "服务乡镇主导产业（工业园区、景区、农业园区、物流园区）", 10, "manual", lead="试点镇党委")
    b.fill_manual("T4", mean=0.87, sd=0.07, lo=0.3)
    b.leaf("T5", "TOWN", "乡镇党委班子评议", 20, "rating", params={"groups": ["township"]}, lead="试点镇党委")
    b.fill_rating("T5", {"township": lambda u: [f"党委委员{k}" for k in range(1, 8)]}, base=86, spread=5)
    b.leaf("T6", "TOWN", "辖区群众满意度", 10, "satisfaction", params={"min_responses": 30}, lead="试点镇党政办")
    b.fill_satisfaction("T6", lambda u: rng.randint(36, 160), satisfied=0.7, spread=0.08, unsatisfied=0.03)

    for row in b.responses:  # a station few residents deal with: too few answers, peer mean and a warning
        if row["unit"] == b.uid("渠港镇税务分局"):
            row["count"] = max(1, row["count"] // 5)


    b.adjust(b.uid("金石镇派出所"), "bonus", 1.0, "获评全省“枫桥式公安派出所”")
    b.adjust(b.uid("巴山镇市场监管所"), "bonus", 0.5, "景区消费维权工作获市级通报表扬")
    b.adjust(b.uid("月湾镇畜牧兽医站"), "deduction", 1.0, "派驻干部被县纪委监委通报批评")

    b.settings = {
        "bonus_cap": 2,
        "rank_by": "group",
        "grade_scope": "group",
        "grades": [
            {"name": "优秀", "top_share": 0.2},
            {"name": "合格", "rest": True},
            {"name": "不合格", "below_total": 70},
        ],
    }
    b.check(total=None, mismatch=("DEPT", "TOWN"))
    return b.scenario()


# =======================================================================================
# 4. A city, Suining style (seeds 002/004): counties and parks, departments on province rank
# =======================================================================================

SN_COUNTIES = ["涪川区", "安澜区", "射江市", "蓬岭县", "英川县", "明月县", "宝梵县", "卓筒县", "灵泉县", "琼江县"]
SN_PARKS = ["市经济技术开发区", "市高新技术产业园区", "河东新区", "锂电产业园", "天然气化工园区", "陆港物流园区"]
SN_ECON = ["市发展和改革委员会", "市经济和信息化局", "市财政局", "市商务局", "市投资促进局", "市统计局", "市科学技术局",
           "市农业农村局", "市文化广播电视和旅游局", "市住房和城乡建设局", "市交通运输局", "市自然资源和规划局", "市水利局",
           "市市场监督管理局", "市行政审批局"]
SN_SOCIAL = ["市教育局", "市卫生健康委员会", "市民政局", "市人力资源和社会保障局", "市公安局", "市司法局", "市生态环境局",
             "市应急管理局", "市医疗保障局", "市退役军人事务局", "市审计局", "市城市管理综合行政执法局", "市信访局",
             "市机关事务服务中心"]
SN_PARTY = ["市委办公室", "市政府办公室", "市委组织部", "市委宣传部", "市委统战部", "市委政法委", "市委政策研究室",
            "市委编办", "市直机关工委", "市总工会", "团市委", "市妇联"]


def suining_city() -> Json:
    """A Suining-style city: 15 differentiated indicators, quarterly growth ranks, departments vs the province."""
    b = Builder(4)
    rng = b.rng
    size: dict[str, float] = {}
    for i, name in enumerate(SN_COUNTIES, 1):
        u = b.unit(f"X{i:02d}", name, "county")
        size[u["id"]] = rng.uniform(0.7, 1.6) if i > 1 else 1.9
    b.strength["X01"] = 0.9  # the main urban district: strong, but not flawless (see adjustments)
    for i, name in enumerate(SN_PARKS, 1):
        u = b.unit(f"Y{i:02d}", name, "park")
        size[u["id"]] = rng.uniform(0.4, 1.1)
    n = 0
    for cat, names in (("经济发展部门", SN_ECON), ("社会管理部门", SN_SOCIAL), ("党群部门", SN_PARTY)):
        for name in names:
            n += 1
            b.unit(f"B{n:02d}", name, "dept", cat)
    counties_parks = [u["id"] for u in b.units if u["domain"] in ("county", "park")]

    def sz(u: Json) -> float:
        return size[u["id"]]

    b.rater_groups = [
        {"id": "leaders", "name": "市领导评价", "weight": 0.4},
        {"id": "office", "name": "市委绩效办评审", "weight": 0.3},
        {"id": "grassroots", "name": "县（市、区）和园区评部门", "weight": 0.3},
    ]
    city_leaders = [f"市领导{k:02d}" for k in range(1, 12)]

    # == 对标竞进目标: one set of 15 indicators, weighted differently for counties and parks ==
    # (name, park name, county points, park points, method, lead unit); parks carry less social work.
    fifteen: list[tuple[str, str, float, float, str, str]] = [
        ("地区生产总值（亿元）", "园区经济总量（亿元）", 8, 9, "completion", "市统计局"),
        ("规上工业增加值（亿元）", "规上工业增加值（亿元）", 6, 9, "completion", "市经济和信息化局"),
        ("全社会固定资产投资（亿元）", "固定资产投资（亿元）", 5, 6, "completion", "市发展和改革委员会"),
        ("产业项目投资（亿元）", "产业项目投资（亿元）", 4, 6, "completion", "市发展和改革委员会"),
        ("招商引资到位资金（亿元）", "招商引资到位资金（亿元）", 4, 6, "completion", "市投资促进局"),
        ("一般公共预算收入（亿元）", "一般公共预算收入（亿元）", 5, 4, "completion", "市财政局"),
        ("社会消费品零售总额增速（%）", "社会消费品零售总额增速（%）", 4, 1, "efficacy", "市商务局"),
        ("外贸进出口总额（亿元）", "外贸进出口总额（亿元）", 3, 4, "completion", "市商务局"),
        ("城乡居民人均可支配收入增速（%）", "园区从业人员人均收入增速（%）", 4, 1, "rank", "市统计局"),
        ("研发经费投入强度（%）", "研发经费投入强度（%）", 3, 4, "efficacy", "市科学技术局"),
        ("“三都”特色产业产值（锂电、天然气、食品饮料，亿元）", "“三都”特色产业产值（锂电、天然气、食品饮料，亿元）", 3, 4,
         "completion", "市经济和信息化局"),
        ("乡村振兴考评得分", "园区配套乡村振兴项目", 4, 1, "threshold", "市农业农村局"),
        ("PM2.5平均浓度（微克/立方米）", "PM2.5平均浓度（微克/立方米）", 3, 2, "efficacy_lower", "市生态环境局"),
        ("生产安全事故", "生产安全事故", 2, 2, "deduction", "市应急管理局"),
        ("营商环境和民生实事评价", "营商环境评价", 2, 1, "threshold", "市发展和改革委员会"),
    ]
    scale = {0: 620, 1: 190, 2: 420, 3: 210, 4: 160, 5: 38, 7: 55, 10: 160}
    park_scale = {0: 280, 1: 160, 2: 150, 3: 120, 4: 90, 5: 9, 7: 40, 10: 210}
    for root, domain, label, col in (("A", "county", "县（市、区）", 2), ("B", "park", "市直园区", 3)):
        b.node(root, f"对标竞进目标（{label}，15项差异化指标）", points=60, applies=dom(domain))
        for k, row in enumerate(fifteen):
            iid = f"{root}{k + 1:02d}"
            name = row[0] if domain == "county" else row[1]
            points, method, lead = row[col], row[4], row[5]
            if method == "completion":
                b.leaf(iid, root, name, points, "completion", params={"cap": 1.2}, lead=lead)
                base = (scale if domain == "county" else park_scale)[k]
                b.fill_completion(iid, lambda u, base=base: base * sz(u), mean=1.02, sd=0.05)
            elif method == "efficacy":
                b.leaf(iid, root, name, points, "efficacy", lead=lead)
                b.fill_level(iid, 9.5 if k == 6 else 1.9, 1.6 if k == 6 else 0.5, lo=0.3)
            elif method == "efficacy_lower":
                b.leaf(iid, root, name, points, "efficacy", lower=True, lead=lead)
                b.fill_level(iid, 33.0, 3.0, nd=1, lower=True)
            elif method == "rank":
                b.leaf(iid, root, name, points, "rank", lead=lead)
                b.fill_level(iid, 6.8, 0.7)
            elif method == "threshold":
                b.leaf(iid, root, name, points, "threshold", lead=lead,
                       params={"bands": [[95, 1.0], [90, 0.9], [85, 0.8], [80, 0.65], [0, 0.5]]})
                b.fill_level(iid, 90.0, 3.5, nd=1, hi=100)
            else:
                b.leaf(iid, root, name, points, "deduction", params={"per_item": 1}, lower=True, lead=lead)
                b.fill_count(iid, 0.35)

    # == 季度考核: 10+ economic indicators by increment, growth and gap-to-target ranks ==
    b.node("Q", "季度经济指标考核（增量、增速、目标差值排位）", points=25, applies=dom("county", "park"))
    quarterly: list[tuple[str, float, str, float, bool]] = [
        ("地区生产总值", 3, "市统计局", 300, True),
        ("规上工业增加值", 3, "市经济和信息化局", 95, False),
        ("全社会固定资产投资", 2.5, "市发展和改革委员会", 210, False),
        ("工业投资", 2, "市经济和信息化局", 90, False),
        ("社会消费品零售总额", 2, "市商务局", 150, True),
        ("一般公共预算收入", 2.5, "市财政局", 18, False),
        ("外贸进出口总额", 2, "市商务局", 25, False),
        ("招商引资到位资金", 2.5, "市投资促进局", 80, False),
        ("城乡居民人均可支配收入（元）", 2, "市统计局", 32000, True),
        ("规上工业企业营业收入", 2, "市经济和信息化局", 420, False),
        ("高新技术产业营业收入", 1.5, "市科学技术局", 160, False),
    ]
    for k, (name, points, lead, base, county_only) in enumerate(quarterly, 1):
        iid = f"Q{k:02d}"
        b.leaf(iid, "Q", name, points, "growth_rank", applies=dom("county") if county_only else None, lead=lead)
        nd = 0 if base > 10000 else 2
        b.fill_growth(iid, lambda u, base=base: base * sz(u) * rng.uniform(0.9, 1.1) if base < 10000
                      else base * rng.uniform(0.9, 1.15), growth=0.075, sd=0.03, target_growth=0.08, nd=nd)

    # == 职能职责对标提升目标任务: departments against the top 7 of the province ==
    b.node("E", "职能职责对标提升目标任务（以全省前7位为标尺）", points=70, applies=dom("dept"))
    b.leaf("E1", "E", "主责经济指标全省排位", 20, "external_rank", params={"bar": 7, "step": 1.5, "floor": 0.4},
           applies=dom(categories=["经济发展部门"]), lead="市统计局")
    b.fill_external("E1", center=9.0, spread=4.5)
    b.leaf("E2", "E", "省级对口部门年度考核全省排位", 15, "external_rank", params={"bar": 7, "step": 1, "floor": 0.4},
           lead="市委绩效办")
    b.fill_external("E2", center=9.0, spread=4.5)
    b.leaf("E3", "E", "省考核目标任务完成（牵头和配合，任务共担）", 12, "completion", lead="市委绩效办")
    b.fill_count_vs("E3", lambda u: rng.randint(2, 9))
    b.leaf("E4", "E", "市委市政府重点工作（超额激励）", 10, "completion", params={"cap": 1.2}, lead="市委绩效办")
    b.fill_completion("E4", lambda u: 100, nd=1, mean=1.01, sd=0.05)
    key_project_depts = b.ids(["市发展和改革委员会", "市经济和信息化局", "市住房和城乡建设局", "市交通运输局",
                                  "市自然资源和规划局", "市水利局", "市教育局", "市卫生健康委员会", "市民政局",
                                  "市人力资源和社会保障局", "市生态环境局", "市城市管理综合行政执法局"])
    b.leaf("E5", "E", "重点推进项目和民生实事（按期完成率）", 8, "threshold", applies=dom(units=key_project_depts),
           params={"basis": "rate", "bands": [[1.0, 1.0], [0.9, 0.8], [0.8, 0.6]]}, lead="市委督查室")
    for u in b.applicable("E5"):
        t = rng.randint(3, 9)
        b.values.append({"unit": u["id"], "indicator": "E5", "target": t,
                         "actual": min(t, max(0, round(t * (0.96 + 0.06 * b.perf(u)))))})
    b.leaf("E6", "E", "依法行政和政务服务问题（扣分从严）", 5, "deduction", params={"per_item": 1}, lower=True,
           lead="市司法局")
    b.fill_count("E6", 0.4)

    # == 党的建设目标: 省定动作 + 自选动作, for every unit ==
    b.node("D", "党的建设目标（省定动作+自选动作）", points=15)
    b.leaf("D1", "D", "省定党务目标完成", 6, "completion", lead="市委组织部")
    b.fill_count_vs("D1", lambda u: rng.randint(4, 12))
    b.leaf("D2", "D", "自选动作评审", 5, "rating", params={"groups": ["leaders", "office"]}, lead="市委绩效办")
    b.fill_rating("D2", {"leaders": lambda u: sorted(rng.sample(city_leaders, 7)),
                         "office": lambda u: [f"评审专家{k}" for k in range(1, 6)]}, base=87)
    b.leaf("D3", "D", "党风廉政建设问题", 4, "deduction", params={"per_item": 1}, lower=True, lead="市纪委监委机关")
    b.fill_count("D3", 0.3)

    # == 满意度评价 for departments: 下评上 ==
    b.node("S", "满意度评价", points=15, applies=dom("dept"))
    b.leaf("S1", "S", "服务对象满意度测评", 9, "satisfaction", params={"min_responses": 30}, lead="市统计局")
    b.fill_satisfaction("S1", lambda u: rng.randint(34, 120), satisfied=0.72, spread=0.07)
    for row in b.responses:  # too few answers: peer mean, with a warning
        if row["unit"] == b.uid("市委政策研究室"):
            row["count"] = max(1, row["count"] // 6)
    b.leaf("S2", "S", "县（市、区）和园区评部门", 6, "rating", params={"groups": ["grassroots"]}, lead="市委绩效办")
    b.fill_rating("S2", {"grassroots": lambda u: counties_parks}, base=86, spread=4.5)


    # 创新创优 bonuses (capped at 3), 两书一函 deductions, one veto
    b.adjust("X01", "bonus", 1.5, "创新创优：物业管理“五级处理”机制全国推广")
    b.adjust("X01", "deduction", 0.2, "两书一函：提醒敦促函（民生实事进度滞后）")
    b.adjust(b.uid("市住房和城乡建设局"), "bonus", 2.0, "创新创优：“共建美好家园”经验全国交流")
    b.adjust(b.uid("市住房和城乡建设局"), "bonus", 1.5, "省级表彰：城市更新试点")
    b.adjust(b.uid("锂电产业园"), "bonus", 1.0, "创新创优：锂电产业大会成功举办")
    b.adjust(b.uid("射江市"), "bonus", 1.0, "国务院大督查激励措施")
    b.adjust(b.uid("市行政审批局"), "bonus", 1.0, "创新创优：企业开办压缩至6小时")
    b.adjust(b.uid("市发展和改革委员会"), "bonus", 0.5, "第三季度省重点项目进“红榜”")
    letters = ["蓬岭县", "卓筒县", "市水利局", "市交通运输局", "陆港物流园区", "市信访局"]
    for name in letters:
        b.adjust(b.uid(name), "deduction", 0.2, "两书一函：提醒敦促函")
    notices = ["琼江县", "琼江县", "灵泉县", "宝梵县", "英川县", "河东新区", "市自然资源和规划局", "市生态环境局",
               "市城市管理综合行政执法局", "市农业农村局", "市民政局", "市交通运输局", "市商务局", "陆港物流园区",
               "市卫生健康委员会"]
    reasons = ["重推项目推进缓慢", "环保督察交办件整改滞后", "“互联网+督查”问题未按期办结", "民生实事资金拨付滞后"]
    for k, name in enumerate(notices):
        b.adjust(b.uid(name), "deduction", 0.5, f"两书一函：整改通知书（{reasons[k % len(reasons)]}）")
    b.adjust(b.uid("琼江县"), "deduction", 1.0, "两书一函：约谈（重点项目连续两季度未达进度）")
    b.adjust(b.uid("市信访局"), "deduction", 1.0, "两书一函：约谈（信访积案化解不力）")
    b.adjust(b.uid("天然气化工园区"), "veto", 0, "发生较大生产安全事故，一票否决")

    b.set_leadership(0.45)
    b.settings = {
        "bonus_cap": 3,
        "rank_by": "group",
        "grade_scope": "group",
        "grades": [
            {"name": "优秀", "top_share": 0.3, "min_total": 85},
            {"name": "良好", "rest": True},
            {"name": "一般", "bottom_share": 0.1, "below_total": 70},
        ],
        "advanced": {"grade": "优秀", "requires_leadership_excellent": True},
    }
    b.check(100.0)
    return b.scenario()


EXAMPLES: dict[str, Callable[[], Json]] = {
    "province": province,
    "qingshen_county": qingshen_county,
    "dazhou_dispatched": dazhou_dispatched,
    "suining_city": suining_city,
}


# Office files carry their creation time; pinning it keeps a rebuild byte-for-byte identical.
_PINNED_TIME = "2024-01-01T00:00:00Z"


def pin_xlsx(path: Path) -> None:
    """Rewrite an .xlsx with fixed zip entry times and fixed document created/modified stamps."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for filename, data in entries:
            if filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + _PINNED_TIME.encode(), data)
            zout.writestr(zipfile.ZipInfo(filename, date_time=(2024, 1, 1, 0, 0, 0)), data,
                          compress_type=zipfile.ZIP_DEFLATED)


def main() -> int:
    try:
        from kaohe.workbook import write_workbook
    except ImportError:
        write_workbook = None
        print("kaohe.workbook is not importable: writing JSON only", file=sys.stderr)
    for name, build in EXAMPLES.items():
        scenario = build()
        path = HERE / f"{name}.json"
        path.write_text(json.dumps(scenario, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if write_workbook is not None:
            write_workbook(scenario, HERE / f"{name}.xlsx")
            pin_xlsx(HERE / f"{name}.xlsx")
        print(f"{path.name}: {len(scenario['units'])} units, {len(scenario['indicators'])} indicators, "
              f"{len(scenario['values'])} values, {len(scenario.get('ratings', []))} ratings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
