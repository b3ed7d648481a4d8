"""The 说明 (help) sheet: every sheet, column, method and setting explained, in Chinese and English."""

from __future__ import annotations

from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .layout import DOMAINS, METHODS, SETTINGS_ROWS, SHEETS
from .xlsx import HEADER_FILL, HEADER_FONT, SECTION_FONT, TITLE_FONT, set_widths, styled

# Inputs and parameters (with defaults) of each method, from spec section 2.
METHOD_NOTES: dict[str, tuple[str, str]] = {
    "completion": ("实际值、目标值", "cap=1（上限倍数，1.2 即超额激励 20%）; floor=0（完成率低于此得 0 分）"),
    "efficacy": ("实际值", "base=60; best、worst（满意值/不允许值，默认同组最好/最差值）; peer=group"),
    "rank": ("实际值", "floor=0.6（末位得分比例）; peer=group"),
    "external_rank": ("实际值=外部排名（1 起）", "bar（必填，前几名得满分）; step（必填，每落后一名扣分）; floor=0"),
    "threshold": ("实际值（basis=rate 时还要目标值）", "bands=[[门槛, 得分比例], …]（必填）; basis=value 或 rate"),
    "deduction": ("实际值=问题个数", "per_item（必填，每个扣分）; floor=0"),
    "binary": ("实际值、目标值", "partial=0（未达标时的得分比例）"),
    "manual": ("实际值=所给分数", "cap=1"),
    "growth_rank": ("实际值、基期值、目标值", 'weights={"increment":0.4,"growth":0.3,"gap":0.3}; floor=0.6; peer=group'),
    "rating": ("“评议”表", "trim_min=5（不少于几个评分才去掉最高最低分）; groups=[评议组编号…]（默认全部）"),
    "satisfaction": ("“满意度”表", "min_responses=30; peer=group"),
}

GENERAL: tuple[tuple[str, str], ...] = (
    (
        "每个工作表的第一行是列名。列名可写中文、英文或两者，如“实际值”“actual”“实际值 actual”“实际值(actual)”，不分大小写，空格和括号不计。表头上方可以有标题行（在前 10 行内找表头）。",
        "The first row of each sheet holds the column names: Chinese, English or both; case, spaces and brackets do not matter. Title rows above the header are allowed (the header is looked for in the first 10 rows).",
    ),
    (
        "以 # 开头的列和“备注”“说明”列不读取；以 # 或 _ 开头的工作表和本“说明”表不读取。其他不认识的列或工作表会报错，免得数据被悄悄漏掉。",
        "Columns named #… or 备注/说明 and sheets named #…, _… or 说明 are not read; any other unknown column or sheet is an error, so that no data is silently lost.",
    ),
    (
        "空行跳过。合并单元格按其左上角的值计入它覆盖的每一行。只有“单位”“指标”两表必须有，其他表可以删去。",
        "Blank rows are skipped; a merged cell counts for every row it covers. Only 单位 and 指标 are required; other sheets may be removed.",
    ),
    (
        "数字列填数字；“1,250”“６.３”这样的数字文本也可以，“95%”这样的文本不行。是/否列填 是/否、TRUE/FALSE 或 1/0。列表列（适用领域等）多个值用 、 , ; 或换行隔开。",
        "Number columns take numbers (numbers stored as text are accepted, '95%' text is not). Yes/no columns take 是/否, TRUE/FALSE or 1/0. List columns separate values with 、 , ; or line breaks.",
    ),
    (
        "参数写成 名称=值，多个用分号隔开，如 cap=1.2; floor=0.5；列表和对象写成 JSON，如 bands=[[90,1],[75,0.8],[60,0.5]]；文字可直接写，如 peer=all；也可以整格写一个 JSON 对象，如 {\"cap\": 1.2}。",
        'Params: name=value pairs separated by ";" (cap=1.2; floor=0.5); lists and objects as JSON (bands=[[90,1],[75,0.8]]); plain words as they are (peer=all); or one JSON object ({"cap": 1.2}).',
    ),
    (
        "读取时发现的所有问题会一次列出（工作表、行号、列名和原因），改好后再导入。",
        "Reading lists every problem at once (sheet, row, column, reason); nothing is imported until all are fixed.",
    ),
)


def write_help(ws: WriteOnlyWorksheet) -> None:
    set_widths(ws, (14, 20, 24, 8, 70, 70))

    def section(title: str, *headers: str) -> None:
        ws.append([])
        ws.append([styled(ws, title, font=SECTION_FONT)])
        if headers:
            ws.append([styled(ws, h, font=HEADER_FONT, fill=HEADER_FILL) for h in headers])

    ws.append([styled(ws, "考核工作簿说明 Assessment workbook guide", font=TITLE_FONT)])
    ws.append(["本工作簿是一套考核数据（scenario）的 Excel 形式：每个工作表是一张清单。This workbook is the Excel form of an assessment scenario: one sheet per list."])

    section("通用规则 General rules", "", "", "", "", "规则", "Rule")
    for zh, en in GENERAL:
        ws.append([None, None, None, None, styled(ws, zh, wrap=True), styled(ws, en, wrap=True)])

    section("工作表和列 Sheets and columns", "工作表 sheet", "列名 column", "English", "必填", "说明", "Description")
    for sheet in SHEETS:
        ws.append(
            [
                styled(ws, sheet.name, font=HEADER_FONT), styled(ws, sheet.key, font=HEADER_FONT), None,
                "是" if sheet.required else "", styled(ws, sheet.help_zh, wrap=True), styled(ws, sheet.help_en, wrap=True),
            ]
        )
        for column in sheet.columns:
            ws.append(
                [
                    None, column.label, column.key, "是" if column.required else "",
                    styled(ws, column.help_zh, wrap=True), styled(ws, column.help_en, wrap=True),
                ]
            )
    ws.append([None, "说明", "note", "", "设置表的第三列，只给人看", "the third column of 设置, for people only"])

    section("计分方法 Scoring methods", "", "计分方法", "method", "", "需要的数据 inputs", "参数（默认值） params (defaults)")
    for key, label in METHODS.labels.items():
        inputs, params = METHOD_NOTES[key]
        ws.append([None, label, key, None, styled(ws, inputs, wrap=True), styled(ws, params, wrap=True)])
    ws.append([None, "所有数据类方法", "all data methods", None, "", "missing=zero：缺数据时记 0 分并警告，而不是报错"])

    section("设置项 Settings (设置 sheet)", "", "项目", "key", "", "说明", "Description")
    for setting in SETTINGS_ROWS:
        ws.append([None, setting.label, setting.key, None, styled(ws, setting.help_zh, wrap=True), styled(ws, setting.help_en, wrap=True)])

    section("常用领域 Common domains（可自填其他 others allowed）", "", "领域", "domain")
    for key, label in DOMAINS.items():
        ws.append([None, label, key])
