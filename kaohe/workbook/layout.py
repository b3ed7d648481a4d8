"""The workbook layout: its sheets and columns, and the words accepted in them.

The reader, the writers, the help sheet and normalise() all work from these tables, so a
column added here is read, written and explained in one go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kaohe.engine.schema import METHOD_LABELS

# Cell kinds: how a cell's content is turned into a scenario value (see cells.py).
TEXT = "text"
NUMBER = "number"
BOOL = "bool"
ENUM = "enum"
LIST = "list"
PARAMS = "params"
RAW = "raw"  # the 值 column of 设置: each row says what it holds

_NOISE = re.compile(r"[\s()（）\[\]【】]+")


def canon(text: str) -> str:
    """The form in which headers, sheet names, setting names and listed words are compared:
    spaces and brackets removed, lower case. So "实际值 actual", "实际值(actual)" and
    "ACTUAL" all match the column 实际值/actual."""
    return _NOISE.sub("", text).lower()


class Vocabulary:
    """The accepted words for an enumerated column: each JSON key, its Chinese label, the two
    written together ("完成率法 completion"), and a few common variants."""

    def __init__(self, what: str, labels: dict[str, str], aliases: dict[str, str] | None = None):
        self.what = what
        self.labels = labels
        self._lookup: dict[str, str] = {}
        for key, label in labels.items():
            for form in (key, label, label + key, key + label):
                self._lookup[canon(form)] = key
        for alias, key in (aliases or {}).items():
            self._lookup[canon(alias)] = key

    def lookup(self, text: str) -> str | None:
        return self._lookup.get(canon(text))

    def label(self, key: str) -> str:
        return self.labels.get(key, key)

    def describe(self) -> str:
        return "、".join(f"{label}({key})" for key, label in self.labels.items())


METHODS = Vocabulary(
    "计分方法",
    dict(METHOD_LABELS),
    {
        "完成率": "completion",
        "功效系数": "efficacy",
        "排位": "rank",
        "对标排位": "external_rank",
        "分档计分": "threshold",
        "分档": "threshold",
        "扣分": "deduction",
        "达标": "binary",
        "直接打分": "manual",
        "增量增速差值排位法": "growth_rank",
        "增量排位法": "growth_rank",
        "评议": "rating",
        "满意度": "satisfaction",
        "满意度评价": "satisfaction",
    },
)
DIRECTIONS = Vocabulary(
    "方向", {"higher": "越高越好", "lower": "越低越好"}, {"正向": "higher", "逆向": "lower", "反向": "lower"}
)
LINES = Vocabulary("主线/加分线", {"main": "主线", "bonus": "1+N加分线"}, {"加分线": "bonus", "1+N": "bonus"})
KINDS = Vocabulary("加减分类型", {"bonus": "加分", "deduction": "扣分", "veto": "一票否决"}, {"否决": "veto"})
SCOPES = Vocabulary(
    "分组方式",
    {"group": "领域+类别", "domain": "领域"},
    {"领域和类别": "group", "按领域+类别": "group", "领域类别": "group", "按领域": "domain"},
)

TRUE_WORDS = frozenset(canon(w) for w in ("是", "true", "1", "yes", "y", "√", "✓"))
FALSE_WORDS = frozenset(canon(w) for w in ("否", "false", "0", "no", "n", "×", "✗"))
YES, NO = "是", "否"

# Common domains (领域), offered in drop-downs; any other text is accepted as well.
DOMAINS: dict[str, str] = {
    "county": "县（市、区）",
    "district": "市辖区",
    "dept": "市直部门",
    "park": "园区、开发区",
    "enterprise": "国有企业",
    "university": "高校",
    "township": "乡镇（街道）",
    "dispatched": "派出机构",
}

# Satisfaction answers when settings give no choices (spec section 2); the Chinese words
# are accepted in 满意度.选项 as long as the key itself is one of the choices in force.
DEFAULT_CHOICES: dict[str, int] = {"satisfied": 100, "fairly_satisfied": 80, "basically_satisfied": 60, "unsatisfied": 0}
CHOICE_LABELS: dict[str, str] = {
    "satisfied": "满意",
    "fairly_satisfied": "比较满意",
    "basically_satisfied": "基本满意",
    "unsatisfied": "不满意",
}

# Headers that are notes for people and never read; a header starting with # is one too.
IGNORED_HEADERS = frozenset(canon(w) for w in ("备注", "说明", "note", "notes", "remark", "remarks", "comment"))
# Sheets that hold help for people: never read (as are sheets named "#..." or "_...").
HELP_SHEET = "说明"
HELP_SHEET_NAMES = frozenset(canon(w) for w in (HELP_SHEET, "help", "readme", "说明 help"))


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = TEXT
    required: bool = False
    vocabulary: Vocabulary | None = None
    aliases: tuple[str, ...] = ()
    width: int = 12
    help_zh: str = ""
    help_en: str = ""
    drop_down: tuple[str, ...] = ()
    # A strict drop-down warns about other text in Excel; a loose one (domains) only offers.
    strict: bool = True
    # A required cell that may stay blank when another column holds a value: a veto's points.
    blank_when: tuple[str, str] | None = None

    @property
    def title(self) -> str:
        """How problems name the column: "实际值(actual)"."""
        return f"{self.label}({self.key})"

    def header_forms(self) -> set[str]:
        forms = {self.key, self.label, self.label + self.key, self.key + self.label, *self.aliases}
        return {canon(f) for f in forms}


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str
    columns: tuple[Column, ...]
    required: bool = False
    help_zh: str = ""
    help_en: str = ""

    @property
    def title(self) -> str:
        return f"{self.name}({self.key})"

    def name_forms(self) -> set[str]:
        return {canon(f) for f in (self.key, self.name, self.name + self.key, self.key + self.name)}

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _id(help_zh: str, help_en: str, *aliases: str) -> Column:
    return Column("id", "编号", TEXT, True, aliases=aliases, help_zh=help_zh, help_en=help_en)


def _ref(key: str, label: str, what_zh: str, what_en: str, required: bool = True) -> Column:
    return Column(
        key, label, TEXT, required, aliases=(f"{label}编号",), width=12,
        help_zh=f"{what_zh}编号，须在“{what_zh}”表中", help_en=f"{what_en} id; must be listed in the {what_en} sheet",
    )


_BOOL_HELP_ZH = "是/否（TRUE/FALSE、1/0 亦可）"
_BOOL_HELP_EN = "yes/no: 是/否, TRUE/FALSE or 1/0"
_LIST_HELP_ZH = "多个用 、 , ; 或换行隔开；空=不限"
_LIST_HELP_EN = "several separated by 、 , ; or line breaks; blank = no restriction"

UNITS = Sheet(
    "units", "单位",
    (
        _id("单位编号，本表内唯一；其他表用它指代单位", "unit id, unique; other sheets refer to units by it", "单位编号"),
        Column("name", "名称", required=True, aliases=("单位名称",), width=24, help_zh="单位名称", help_en="unit name"),
        Column(
            "domain", "领域", required=True, width=14, drop_down=tuple(DOMAINS), strict=False,
            help_zh="考核领域：可从下拉列表选（county 县市区、dept 市直部门、park 园区…），也可自填；同领域同类别的单位一起排名",
            help_en="domain: pick from the list or type your own; units of one domain and category are ranked together",
        ),
        Column(
            "category", "类别", width=12,
            help_zh="类别/赛道（如 山区、平原、工业型乡镇）；可空", help_en="category / track (e.g. mountain, plain); may be blank",
        ),
        Column(
            "leadership_excellent", "领导班子优秀", BOOL, width=14, drop_down=(YES, NO),
            help_zh=f"领导班子考核是否优秀，{_BOOL_HELP_ZH}；空=否；评先进单位时用",
            help_en=f"leadership team rated excellent, {_BOOL_HELP_EN}; blank = no; used for advanced units",
        ),
    ),
    required=True,
    help_zh="考核对象：每行一个被考核单位。", help_en="The assessed units, one per row.",
)

INDICATORS = Sheet(
    "indicators", "指标",
    (
        _id("指标编号，本表内唯一", "indicator id, unique", "指标编号"),
        Column(
            "parent", "上级", aliases=("上级编号", "上级指标"), width=10,
            help_zh="上级指标编号；空=根指标（考卷）", help_en="parent indicator id; blank = a root (exam paper)",
        ),
        Column("name", "名称", required=True, aliases=("指标名称",), width=28, help_zh="指标名称", help_en="indicator name"),
        Column(
            "points", "分值", NUMBER, width=8,
            help_zh="分值；末级指标必填；上级指标可空（即各适用子指标分值之和）",
            help_en="points; required on leaves; a parent may leave it blank (sum of its applicable children)",
        ),
        Column(
            "line", "主线/加分线", ENUM, vocabulary=LINES, width=12, drop_down=tuple(LINES.labels.values()),
            help_zh="仅根指标填：主线(main) 计入总分和排名；1+N加分线(bonus) 单列、不排名；空=主线",
            help_en="roots only: main (counts in the total and ranking) or bonus (the 1+N line); blank = main",
        ),
        Column(
            "method", "计分方法", ENUM, vocabulary=METHODS, width=16, drop_down=tuple(METHODS.labels.values()),
            help_zh="末级指标的计分方法，中文名或英文名均可（见“计分方法”一节）",
            help_en="scoring method of a leaf, Chinese label or English key (see the methods section)",
        ),
        Column(
            "direction", "方向", ENUM, vocabulary=DIRECTIONS, width=10, drop_down=tuple(DIRECTIONS.labels.values()),
            help_zh="越高越好(higher) 或 越低越好(lower)；空=越高越好",
            help_en="higher or lower is better; blank = higher",
        ),
        Column(
            "params", "参数", PARAMS, width=32,
            help_zh="计分参数：cap=1.2; floor=0.5 这样的 名称=值，分号隔开；列表写成 JSON，如 bands=[[90,1],[75,0.8]]；也可整格写一个 JSON 对象",
            help_en='method parameters: name=value pairs separated by ";" (lists as JSON), or one JSON object',
        ),
        Column(
            "domains", "适用领域", LIST, aliases=("applies_to.domains",), width=14,
            drop_down=tuple(DOMAINS), strict=False,
            help_zh=f"只适用于这些领域；{_LIST_HELP_ZH}", help_en=f"applies only to these domains; {_LIST_HELP_EN}",
        ),
        Column(
            "categories", "适用类别", LIST, aliases=("applies_to.categories",), width=12,
            help_zh=f"只适用于这些类别；{_LIST_HELP_ZH}", help_en=f"applies only to these categories; {_LIST_HELP_EN}",
        ),
        Column(
            "units", "适用单位", LIST, aliases=("applies_to.units",), width=12,
            help_zh=f"只适用于这些单位（编号）；{_LIST_HELP_ZH}", help_en=f"applies only to these unit ids; {_LIST_HELP_EN}",
        ),
        Column(
            "exclude_units", "排除单位", LIST, aliases=("applies_to.exclude_units",), width=12,
            help_zh="不适用于这些单位（一单位一策）；多个用 、 , ; 隔开",
            help_en="does not apply to these unit ids (one unit, one policy)",
        ),
        Column("lead_unit", "牵头单位", width=14, help_zh="评分牵头单位", help_en="scoring lead unit"),
        Column("responsible", "责任人", width=10, help_zh="责任人（实绩到人）", help_en="person responsible"),
    ),
    required=True,
    help_zh="指标体系：每行一个指标；根指标（无上级）是考卷，末级指标有分值和计分方法。",
    help_en="The indicator tree, one node per row; roots are exam papers, leaves carry points and a method.",
)

VALUES = Sheet(
    "values", "数据",
    (
        _ref("unit", "单位", "单位", "unit"),
        _ref("indicator", "指标", "指标", "indicator"),
        Column("actual", "实际值", NUMBER, width=12, help_zh="实际完成值（直接评分时为所给分数）", help_en="actual value (the score itself for manual)"),
        Column("target", "目标值", NUMBER, width=12, help_zh="目标值（每个单位可不同）", help_en="target (may differ per unit)"),
        Column("baseline", "基期值", NUMBER, aliases=("基数", "基期"), width=12, help_zh="基期值（增量/增速排位用）", help_en="baseline (for growth_rank)"),
    ),
    help_zh="数据：每行一个单位在一个末级指标上的数值。", help_en="Data: one row per unit and leaf.",
)

RATER_GROUPS = Sheet(
    "rater_groups", "评议组",
    (
        _id("评议组编号，本表内唯一", "rater group id, unique", "评议组编号"),
        Column("name", "名称", required=True, width=16, help_zh="评议组名称（如 领导评议）", help_en="rater group name"),
        Column("weight", "权重", NUMBER, required=True, width=8, help_zh="权重（如 0.4）", help_en="weight (e.g. 0.4)"),
    ),
    help_zh="评议组：评议法中各组评分人及其权重。", help_en="Rater groups of the rating method, with weights.",
)

RATINGS = Sheet(
    "ratings", "评议",
    (
        _ref("indicator", "指标", "指标", "indicator"),
        _ref("unit", "单位", "单位", "unit"),
        _ref("group", "评议组", "评议组", "rater group"),
        Column("rater", "评分人", required=True, width=10, help_zh="评分人编号或姓名", help_en="rater id or name"),
        Column("score", "分数", NUMBER, required=True, width=8, help_zh="评分（0–100）", help_en="score (0-100)"),
    ),
    help_zh="评议：每行一个评分人对一个单位在一个指标上的评分。", help_en="Ratings: one rater's score for one unit on one leaf.",
)

RESPONSES = Sheet(
    "responses", "满意度",
    (
        _ref("indicator", "指标", "指标", "indicator"),
        _ref("unit", "单位", "单位", "unit"),
        Column(
            "choice", "选项", required=True, width=14,
            help_zh="答案选项，须为“满意度选项”表中的选项（默认 满意/比较满意/基本满意/不满意）",
            help_en="answer choice, one of the survey choices (default satisfied / fairly_satisfied / basically_satisfied / unsatisfied)",
        ),
        Column("count", "人数", NUMBER, required=True, width=8, help_zh="选此项的人数", help_en="number of answers"),
    ),
    help_zh="满意度：每行一个单位在一个指标上选某一选项的人数。", help_en="Survey answers: counts per unit, leaf and choice.",
)

ADJUSTMENTS = Sheet(
    "adjustments", "加减分",
    (
        _ref("unit", "单位", "单位", "unit"),
        Column(
            "kind", "类型", ENUM, True, vocabulary=KINDS, width=10, drop_down=tuple(KINDS.labels.values()),
            help_zh="加分(bonus)、扣分(deduction) 或 一票否决(veto)", help_en="bonus, deduction or veto",
        ),
        Column(
            "points", "分值", NUMBER, True, width=8, blank_when=("kind", "veto"),
            help_zh="分值，填正数；一票否决可空", help_en="points, a positive number; may be blank for a veto",
        ),
        Column("reason", "事由", width=30, help_zh="事由（如 省级改革试点、督办提醒函）", help_en="reason"),
    ),
    help_zh="加减分：创新创优加分、两书一函扣分、一票否决。", help_en="Bonus points, deductions and vetoes.",
)

CHOICES = Sheet(
    "choices", "满意度选项",
    (
        Column("choice", "选项", required=True, width=18, help_zh="选项名称，本表内唯一", help_en="choice, unique"),
        Column("value", "分值", NUMBER, required=True, width=8, help_zh="该选项折合的分数（0–100）", help_en="its value (0-100)"),
    ),
    help_zh="满意度选项及其分值；不填则用默认：满意(satisfied)100、比较满意(fairly_satisfied)80、基本满意(basically_satisfied)60、不满意(unsatisfied)0。",
    help_en="Survey choices and their values; blank = the defaults satisfied 100, fairly_satisfied 80, basically_satisfied 60, unsatisfied 0.",
)

GRADES = Sheet(
    "grades", "等次",
    (
        Column("name", "名称", required=True, width=12, help_zh="等次名称，本表内唯一；从好到差排列", help_en="grade name, unique; best first"),
        Column("top_share", "前比例", NUMBER, width=10, help_zh="名次在前此比例内（如 0.3）", help_en="share from the top (e.g. 0.3)"),
        Column("min_total", "最低分", NUMBER, width=10, help_zh="同时总分不低于此分", help_en="and a total of at least this"),
        Column(
            "rest", "其余", BOOL, width=8, drop_down=(YES, NO),
            help_zh="是=其余单位都归此等次（恰好一个等次填是）", help_en="yes = every other unit gets this grade (exactly one)",
        ),
        Column("bottom_share", "后比例", NUMBER, width=10, help_zh="名次在后此比例内（只能是最后一个等次）", help_en="share from the bottom (last grade only)"),
        Column("below_total", "低于分", NUMBER, width=10, help_zh="或总分低于此分（只能是最后一个等次）", help_en="or a total below this (last grade only)"),
    ),
    help_zh="等次：从好到差，每行一个等次；不填则不评等次。",
    help_en="Grades, best first, one per row; none = no grades.",
)

SETTINGS = Sheet(
    "settings", "设置",
    (
        Column("key", "项目", required=True, width=26, help_zh="设置项（见下表）", help_en="setting name (see below)"),
        Column("value", "值", RAW, width=14, help_zh="设置值；空=默认", help_en="its value; blank = the default"),
    ),
    help_zh="其他设置：每行一项；值为空即用默认。", help_en="Other settings, one per row; blank = default.",
)

# Workbook order; the reader also reports problems in this order.
SHEETS: tuple[Sheet, ...] = (UNITS, INDICATORS, VALUES, RATER_GROUPS, RATINGS, RESPONSES, ADJUSTMENTS, CHOICES, GRADES, SETTINGS)
# Keys of the scenario lists, in spec order, each with its sheet.
LISTS: dict[str, Sheet] = {s.key: s for s in (UNITS, INDICATORS, VALUES, RATER_GROUPS, RATINGS, RESPONSES, ADJUSTMENTS)}
APPLIES_TO = ("domains", "categories", "units", "exclude_units")


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    kind: str
    vocabulary: Vocabulary | None = None
    help_zh: str = ""
    help_en: str = ""
    # JSON alternatives to the 等次/满意度选项 sheets are read but not written.
    written: bool = True

    @property
    def title(self) -> str:
        return f"{self.label}({self.key})"

    def name_forms(self) -> set[str]:
        return {canon(f) for f in (self.key, self.label, self.label + self.key, self.key + self.label)}


SETTINGS_ROWS: tuple[Setting, ...] = (
    Setting("bonus_cap", "加分上限", NUMBER, help_zh="加分合计的上限；空=不封顶", help_en="cap on bonus points; blank = no cap"),
    Setting("deduction_cap", "扣分上限", NUMBER, help_zh="扣分合计的上限；空=不封顶", help_en="cap on deductions; blank = no cap"),
    Setting(
        "bonus_line_in_total", "加分线计入总分", BOOL,
        help_zh=f"1+N 加分线得分是否计入总分和排名，{_BOOL_HELP_ZH}；空=否",
        help_en="whether the 1+N bonus line counts in the total and ranking; blank = no",
    ),
    Setting(
        "rank_by", "排名分组", ENUM, SCOPES,
        help_zh="领域+类别(group) 或 领域(domain)；空=领域+类别", help_en="rank within domain+category (group) or domain; blank = group",
    ),
    Setting(
        "grade_scope", "等次范围", ENUM, SCOPES,
        help_zh="在哪个范围内按比例评等次：领域+类别(group) 或 领域(domain)；空=领域+类别",
        help_en="where grade quotas are counted: group or domain; blank = group",
    ),
    Setting(
        "advanced.grade", "先进单位等次", TEXT,
        help_zh="获此等次的单位为先进单位（须为“等次”表中的名称）；空=不评先进",
        help_en="units with this grade are advanced units; blank = none",
    ),
    Setting(
        "advanced.requires_leadership_excellent", "先进单位须领导班子优秀", BOOL,
        help_zh=f"先进单位是否还须领导班子考核优秀，{_BOOL_HELP_ZH}；空=否",
        help_en="advanced units must also have leadership_excellent; blank = no",
    ),
    Setting(
        "choices", "满意度选项", "json", written=False,
        help_zh='（可选写法）JSON 对象，如 {"满意": 100, "不满意": 0}；与“满意度选项”表二选一',
        help_en="(alternative) a JSON object; use either this or the 满意度选项 sheet",
    ),
    Setting(
        "grades", "等次", "json", written=False,
        help_zh="（可选写法）JSON 列表，格式同 spec；与“等次”表二选一",
        help_en="(alternative) a JSON list as in the spec; use either this or the 等次 sheet",
    ),
    Setting(
        "advanced", "先进单位", "json", written=False,
        help_zh='（可选写法）JSON 对象，如 {"grade": "一等次", "requires_leadership_excellent": true}',
        help_en="(alternative) a JSON object; use either this or the two rows above",
    ),
)
