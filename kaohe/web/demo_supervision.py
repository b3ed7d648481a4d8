"""The demo city's year of supervision (督查督办), written through the supervision services.

Items from every source in every state, with progress, milestones, verifications, look-back checks (回头看),
letters whose points enter the 2026 cycle's register, a decomposition into three counties, key projects with
their quarterly inspections (a red list and laggards in the latest quarter's bulletin), livelihood projects whose
funds add up to Suining's figures, and the year's inspection plan. Every date is relative to the day the demo is
loaded (gates.today()), so each state shows whatever that day is.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone

from kaohe.indicators.models import Cycle
from kaohe.organisation.models import Unit
from kaohe.supervision import figures
from kaohe.supervision import projects as proj
from kaohe.supervision import services as svc
from kaohe.supervision.models import (Inspection, Item, KeyProject, Letter, LivelihoodProject, State,
                                      Verification)
from kaohe.web.demo_year import clerk, pdf_upload, png_upload

S, St = Item.Source, State
CODE_PREFIX = "DB"  # items DB2026-001…, key projects ZD2026-01…, livelihood projects MS2026-01…
PLAN_ALLOWED = 26  # Suining capped its inspections at 26 a year

# The city's leaders as the items name them (fictional). MAYOR stands for the demo leader's login (市长): it is
# replaced by that person's name, so that the leader's "my items" page has items in every state.
SECRETARY, MAYOR, EXEC_VICE, VICE_WANG, VICE_SUN, VICE_YANG, SECRETARY_GENERAL = (
    "刘建国", "市长", "陈志刚", "王丽", "孙伟", "杨帆", "周涛")


@dataclass(frozen=True)
class Spec:
    """One item: its title, lead unit, responsible units (none: the lead unit answers), leaders, document."""

    title: str
    lead: str
    units: tuple[str, ...]
    leaders: tuple[str, str]
    ref: str
    lookback: str = ""  # for a reopened item: what the look-back check (回头看) found


# Per source, one item for each state, in the order of STATES.
STATES = [St.NOT_STARTED, St.ON_TRACK, St.AT_RISK, St.OVERDUE, St.COMPLETED, St.CLOSED, St.REOPENED]

ITEMS: dict[str, list[Spec]] = {
    S.INSTRUCTION: [
        Spec("落实市政府主要领导关于安澜区老旧小区加装电梯的批示", "B10", ("X02",), (MAYOR, VICE_SUN),
             "市政府主要领导批示〔2026〕31号"),
        Spec("落实市委主要领导关于城镇老旧小区改造“楼道革命”的批示，完成涪川区38个小区改造", "B10", ("X01",),
             (SECRETARY, VICE_SUN), "市委主要领导批示〔2026〕12号"),
        Spec("落实关于老旧小区改造中燃气管网同步更新的批示", "B10", ("X03",), (MAYOR, VICE_SUN),
             "市政府主要领导批示〔2026〕18号"),
        Spec("落实关于城区学校周边上下学交通拥堵治理的批示", "B20", (), (MAYOR, VICE_YANG),
             "市政府主要领导批示〔2026〕9号"),
        Spec("落实关于市城区背街小巷环境整治的批示", "B27", (), (SECRETARY, VICE_SUN), "市委主要领导批示〔2026〕7号"),
        Spec("落实关于老旧小区物业管理“曝光台”问题整改的批示", "B10", (), (MAYOR, VICE_SUN),
             "市政府主要领导批示〔2026〕5号"),
        Spec("落实关于河东新区安置小区房屋渗漏问题的批示", "Y03", (), (SECRETARY, VICE_SUN),
             "市委主要领导批示〔2026〕3号",
             "回头看发现：河东新区安置小区仍有12户反映雨季屋面渗漏，维修未覆盖全部楼栋，整改不彻底。"),
    ],
    S.STANDING_COMMITTEE: [
        Spec("市委常委会会议决定：涪川区建设锂电产业人才公寓", "X01", (), (SECRETARY, EXEC_VICE),
             "市委常委会会议纪要〔2026〕14号"),
        Spec("整治“群众最不满意的10件事”：物业服务管理突出问题专项整治", "B10", (), (SECRETARY, VICE_SUN),
             "市委常委会会议纪要〔2026〕4号"),
        Spec("落实全市乡村振兴重点帮扶村产业项目", "B08", ("X05",), (SECRETARY, VICE_WANG),
             "市委常委会会议纪要〔2026〕6号"),
        Spec("市级机关超标准办公用房清理整改", "B29", (), (SECRETARY_GENERAL, SECRETARY_GENERAL),
             "市委常委会会议纪要〔2026〕2号"),
        Spec("完成党政机关公务用车制度改革后续资产处置", "B03", (), (SECRETARY_GENERAL, EXEC_VICE),
             "市委常委会会议纪要〔2026〕8号"),
        Spec("编制“三中心一枢纽”建设三年行动方案", "B01", (), (SECRETARY, EXEC_VICE),
             "市委常委会会议纪要〔2026〕1号"),
        Spec("耕地保护党政同责：违法占用耕地问题整改", "B12", ("X04",), (SECRETARY, VICE_WANG),
             "市委常委会会议纪要〔2026〕3号",
             "回头看发现：2处已复耕地块再次被堆放建材占用，耕地保护长效机制未落实。"),
    ],
    S.EXECUTIVE_MEETING: [
        Spec("制定城区公共停车收费标准调整方案", "B01", (), (MAYOR, EXEC_VICE), "市政府常务会议纪要〔2026〕21号"),
        Spec("建立统计数据质量核查机制，开展统计造假专项治理", "B06", (), (MAYOR, EXEC_VICE),
             "市政府常务会议纪要〔2026〕10号"),
        Spec("推进市中心医院新院区建设前期工作", "B17", (), (MAYOR, VICE_YANG), "市政府常务会议纪要〔2026〕12号"),
        Spec("清理拖欠中小企业账款", "B02", ("B02", "B03"), (MAYOR, EXEC_VICE), "市政府常务会议纪要〔2026〕5号"),
        Spec("出台支持锂电产业高质量发展十条措施", "B02", ("B02", "Y04"), (MAYOR, EXEC_VICE),
             "市政府常务会议纪要〔2026〕7号"),
        Spec("完成城区防洪堤达标改造汛前工程", "B13", (), (MAYOR, VICE_WANG), "市政府常务会议纪要〔2026〕3号"),
        Spec("整治城区餐饮油烟扰民问题", "B22", ("X02",), (MAYOR, VICE_YANG), "市政府常务会议纪要〔2026〕2号",
             "回头看发现：城区3家餐饮店油烟净化设施停用，夜间油烟扰民投诉反弹。"),
    ],
    S.WORK_REPORT: [
        Spec("建成城市绿道50公里", "B10", (), (MAYOR, VICE_SUN), "2026年《政府工作报告》第17项"),
        # decomposed into three counties below (DECOMPOSE)
        Spec("建设高标准农田12万亩", "B08", (), (MAYOR, VICE_WANG), "2026年《政府工作报告》第9项"),
        Spec("涪川区新增规模以上工业企业20户", "X01", (), (MAYOR, EXEC_VICE), "2026年《政府工作报告》第3项"),
        Spec("新建5G基站1500个", "B02", (), (MAYOR, EXEC_VICE), "2026年《政府工作报告》第6项"),
        Spec("城镇新增就业3.2万人", "B19", (), (MAYOR, VICE_YANG), "2026年《政府工作报告》第21项"),
        Spec("“金通工程”镇村公交全覆盖", "B11", (), (MAYOR, VICE_SUN), "2026年《政府工作报告》第25项"),
        Spec("射江市城市生活污水集中处理率达到97%", "X03", ("X03", "B22"), (MAYOR, VICE_YANG),
             "2026年《政府工作报告》第30项",
             "回头看发现：射江市城区污水处理厂进水浓度偏低，部分片区雨污混流，处理率数据与实际不符。"),
    ],
    S.DEPLOYMENT: [
        Spec("区域职业教育中心：建设职业教育园区二期", "B16", (), (SECRETARY, VICE_YANG), "市第八次党代会重大部署"),
        Spec("世界锂都：锂电产业链补链强链项目招引", "B05", ("B05", "Y04"), (SECRETARY, EXEC_VICE),
             "市第八次党代会重大部署"),
        Spec("陆港型国家物流枢纽申报建设", "B11", ("Y06",), (MAYOR, VICE_SUN), "市第八次党代会重大部署"),
        Spec("东方气都：天然气化工园区基础设施配套", "Y05", (), (MAYOR, EXEC_VICE), "市第八次党代会重大部署"),
        Spec("区域医学医疗中心：组建紧密型城市医疗集团", "B17", (), (SECRETARY, VICE_YANG), "市第八次党代会重大部署"),
        Spec("生态公园名城：环城生态绿廊建设", "B12", (), (MAYOR, VICE_WANG), "市第八次党代会重大部署"),
        Spec("美丽乡村全面振兴：涪川区农村人居环境整治提升", "B08", ("X01",), (MAYOR, VICE_WANG),
             "市第八次党代会重大部署",
             "回头看发现：涪川区4个行政村生活垃圾收运不及时，村内积存垃圾反弹，需重新整改。"),
    ],
    S.KEY_PROJECT: [
        Spec("协调解决卓筒县天然气净化厂二期项目用地报批", "X08", (), (MAYOR, EXEC_VICE), "市级重点推进项目"),
        Spec("射江市锂电材料产业园一期建设", "X03", (), (MAYOR, EXEC_VICE), "市级重点推进项目"),
        Spec("陆港物流园区多式联运中心建设", "Y06", (), (MAYOR, VICE_SUN), "市级重点推进项目"),
        Spec("明月县城市快速通道工程", "X06", (), (EXEC_VICE, VICE_SUN), "市级重点推进项目"),
        Spec("高新区电子信息产业园标准化厂房建设", "Y02", (), (EXEC_VICE, EXEC_VICE), "市级重点推进项目"),
        Spec("市第一人民医院门急诊综合楼建设", "B17", (), (VICE_YANG, VICE_YANG), "市级重点推进项目"),
        Spec("河东新区地下综合管廊工程", "Y03", (), (MAYOR, VICE_SUN), "市级重点推进项目",
             "回头看发现：综合管廊二标段渗水问题未彻底处理，竣工资料不全，不具备销号条件。"),
    ],
    S.LIVELIHOOD: [
        Spec("新建改造城区公共厕所30座", "B27", (), (VICE_SUN, VICE_SUN), "2026年全市30件民生实事第12件"),
        Spec("新建改扩建中小学和幼儿园", "B16", (), (MAYOR, VICE_YANG), "2026年全市30件民生实事第1件"),
        Spec("农村公路提质改造", "B11", (), (MAYOR, VICE_SUN), "2026年全市30件民生实事第5件"),
        Spec("城乡供水一体化", "B13", ("B13", "X07"), (VICE_WANG, VICE_WANG), "2026年全市30件民生实事第6件"),
        Spec("城乡社区养老服务设施建设（涪川区）", "B18", ("X01",), (MAYOR, VICE_YANG),
             "2026年全市30件民生实事第3件"),
        Spec("基层医疗卫生机构服务能力提升", "B17", (), (VICE_YANG, VICE_YANG), "2026年全市30件民生实事第4件"),
        Spec("城镇老旧小区改造（安澜区）", "B10", ("X02",), (MAYOR, VICE_SUN), "2026年全市30件民生实事第2件",
             "回头看发现：安澜区2个已改造小区雨污管网仍有堵塞，居民反映强烈，改造质量不达标。"),
    ],
    S.COMPLAINT: [
        Spec("12345热线：群众反映琼江县某小区二次供水水质浑浊", "X10", (), (VICE_WANG, VICE_WANG),
             "12345工单 2026-0611-0385"),
        Spec("12345热线：反映蓬岭县工业园区企业夜间噪声扰民", "X04", ("X04", "B22"), (VICE_YANG, VICE_YANG),
             "12345工单 2026-0402-1127"),
        Spec("“互联网+督查”平台：反映安澜区建设项目拖欠农民工工资", "B19", ("X02",), (MAYOR, VICE_YANG),
             "国务院“互联网+督查”平台转办件 2026-036"),
        Spec("12345热线：反映涪川区某安置小区不动产权证迟迟未办理", "X01", (), (MAYOR, VICE_SUN),
             "12345工单 2026-0305-0962"),
        Spec("12345热线：反映宝梵县农村客运班线停运", "X07", (), (VICE_SUN, VICE_SUN), "12345工单 2026-0219-0417"),
        Spec("12345热线：反映市城区学校周边无证流动摊贩", "B27", (), (VICE_SUN, VICE_SUN), "12345工单 2026-0113-0208"),
        Spec("“互联网+督查”平台：反映蓬岭县渣土车抛洒污染道路", "X04", (), (MAYOR, VICE_SUN),
             "国务院“互联网+督查”平台转办件 2026-011",
             "回头看发现：蓬岭县渣土车夜间抛洒问题再次被群众投诉5次，属重复投诉。"),
    ],
    S.INSPECTION: [
        Spec("生态环境保护督察交办件：卓筒县河道非法采砂", "X08", (), (VICE_WANG, VICE_WANG),
             "省生态环境保护督察交办件 第0412号"),
        Spec("生态环境保护督察交办件：英川县畜禽养殖污染整治", "X05", ("X05", "B08"), (VICE_WANG, VICE_WANG),
             "省生态环境保护督察交办件 第0376号"),
        Spec("暗访发现：市政务服务大厅“一窗通办”落实不到位", "B15", (), (MAYOR, EXEC_VICE),
             "市委督查室暗访通报〔2026〕2号"),
        Spec("生态环境保护督察交办件：天然气化工园区挥发性有机物治理", "Y05", ("Y05", "B22"), (MAYOR, VICE_YANG),
             "中央生态环境保护督察交办件 第0157号"),
        Spec("安全生产专项督查：城镇燃气管道老化隐患整治", "B23", ("B23", "B10"), (MAYOR, VICE_YANG),
             "安全生产专项督查通报〔2026〕1号"),
        Spec("生态环境保护督察交办件：涪川区城区黑臭水体整治", "X01", (), (MAYOR, VICE_WANG),
             "中央生态环境保护督察交办件 第0093号"),
        Spec("生态环境保护督察交办件：明月县垃圾填埋场渗滤液超标", "X06", (), (MAYOR, VICE_WANG),
             "中央生态环境保护督察交办件 第0121号",
             "回头看发现：明月县垃圾填埋场渗滤液处理站出水氨氮再次超标，整改未巩固。"),
    ],
}

# More livelihood items, so that each of the ten livelihood projects has its own item.
EXTRA_LIVELIHOOD: list[tuple[State, Spec]] = [
    (St.ON_TRACK, Spec("就业创业促进：开发城乡公益性岗位", "B19", (), (MAYOR, VICE_YANG),
                       "2026年全市30件民生实事第8件")),
    (St.ON_TRACK, Spec("新建城市公共停车位和充电桩", "B27", (), (VICE_SUN, VICE_SUN), "2026年全市30件民生实事第15件")),
    (St.CLOSED, Spec("农贸市场标准化改造", "B14", (), (VICE_YANG, VICE_YANG), "2026年全市30件民生实事第18件")),
    (St.COMPLETED, Spec("新建全民健身场地设施", "B09", (), (VICE_YANG, VICE_YANG), "2026年全市30件民生实事第20件")),
]

MILESTONES = {
    S.INSTRUCTION: ("完成现场摸排和实施方案", "完成主体施工"),
    S.STANDING_COMMITTEE: ("印发任务分解表", "完成主要任务并报告市委"),
    S.EXECUTIVE_MEETING: ("方案报市政府审定", "完成阶段任务"),
    S.WORK_REPORT: ("完成上半年目标任务", "完成前三季度目标任务"),
    S.DEPLOYMENT: ("印发年度工作要点", "完成年度重点任务"),
    S.KEY_PROJECT: ("完成前期手续并开工", "主体工程完工"),
    S.LIVELIHOOD: ("完成招标并开工", "完成主体工程"),
    S.COMPLAINT: ("现场核查并答复投诉人", "整改到位并回访"),
    S.INSPECTION: ("建立整改台账并公示", "完成整改并监测达标"),
}

# Progress the units report: (early, half-way, done).
PROGRESS = {
    S.INSTRUCTION: (
        "已传达学习领导批示精神，成立由分管领导任组长的工作专班，制定落实方案，明确责任科室和时间节点。",
        "已完成现场摸排和方案设计，施工单位已进场，完成任务量过半；每周向牵头领导报告进展。",
        "批示事项已全部落实：工程完工并通过联合验收，群众回访满意，资料已归档，申请办结。"),
    S.STANDING_COMMITTEE: (
        "已按会议决定制定任务分解表，报市委办公室备案，召开专题推进会部署落实。",
        "会议确定的主要任务已完成过半，已向市委常委会报告阶段进展，对滞后事项逐项明确补救措施。",
        "会议决定事项全部完成，形成落实情况报告报市委办公室，佐证材料齐全，申请销号。"),
    S.EXECUTIVE_MEETING: (
        "已按市政府常务会议纪要要求细化工作方案，征求相关部门意见，提交分管副市长审定。",
        "方案已印发实施，完成阶段目标任务，正在对接财政、自然资源等部门解决资金和用地问题。",
        "常务会议交办事项已办结，政策文件已印发，落实情况已书面报告市政府办公室。"),
    S.WORK_REPORT: (
        "目标任务已分解到责任科室和县（市、区），建立月调度、季通报机制，一季度完成年度目标的20%。",
        "截至上月底完成年度目标任务的55%，与序时进度基本同步；对进度滞后的区域已发函提醒。",
        "《政府工作报告》确定的年度目标任务已全面完成，完成数据经统计部门核实，申请办结。"),
    S.DEPLOYMENT: (
        "已制定三年行动方案和年度工作要点，建立“牵头市领导+责任市领导+牵头单位+责任单位”责任分工清单。",
        "重点任务有序推进：已签约项目3个、开工2个，完成年度投资的60%；要素保障问题已提请市领导协调。",
        "年度部署任务全部完成，形成总结报告和成效评估，经牵头市领导审定后申请办结。"),
    S.KEY_PROJECT: (
        "项目前期手续办理中：已完成立项和可研批复，正在办理用地预审和环评，计划下季度开工。",
        "项目已开工建设，主体工程完成50%，本季度完成投资与计划基本持平；项目秘书驻点协调解决施工用电问题。",
        "项目主体工程完工并通过竣工验收，全年计划投资全部完成，投资完成额已经统计部门入库核实。"),
    S.LIVELIHOOD: (
        "项目实施方案已经市政府审定，资金已纳入年度预算，完成选址和初步设计，正在开展招标。",
        "项目已开工，完成工程量55%，已下达资金80%、拨付60%；每月在市级媒体公开进展。",
        "项目建成并投入使用，完成竣工验收和资金决算，群众满意度调查满意率96%，申请办结。"),
    S.COMPLAINT: (
        "已接单并联系投诉人核实情况，约定现场查看时间，问题已交由属地街道和主管部门共同办理。",
        "已现场核查，问题属实；已制定整改措施，责任单位正在实施，阶段进展已回复投诉人。",
        "问题已整改到位，已电话回访投诉人，投诉人表示满意；平台工单已办结回复。"),
    S.INSPECTION: (
        "已对交办问题逐项建立整改台账，明确整改责任人、整改措施和完成时限，并在属地公示。",
        "整改推进中：已完成60%的整改点位，第三方监测数据较整改前明显改善，持续开展巡查。",
        "交办问题整改完毕，经现场核查和监测达标，整改材料已公示，申请销号。"),
}
INTERVALS = {S.COMPLAINT: Item.Interval.WEEKLY, S.WORK_REPORT: Item.Interval.QUARTERLY}
VERIFY_ON_SITE = ("督查室会同行业主管部门实地核查：现场查看整改点位，查阅台账和影像资料，随机走访群众10户，"
                  "事项办结、问题整改到位，同意销号。")
VERIFY_ON_PAPER = "经审核佐证材料（验收报告、资金拨付凭证、回访记录），事项已按要求办结，同意销号。"
AFTER_REOPEN = "已按回头看意见重新制定整改方案，明确整改责任人和时限，正在组织实施。"

# Work report task 建设高标准农田12万亩 split into three counties (分解).
DECOMPOSE = (S.WORK_REPORT, St.ON_TRACK, ("X01", "X04", "X05"))
DECOMPOSED_PROGRESS = {
    "X01": (55, "已完成高标准农田建设2.3万亩，占分解任务的55%，田间道路和灌排渠系同步施工。"),
    "X04": (35, "项目已完成招标，1.2万亩开工建设，受雨季影响进度略慢，已增加施工班组。"),
}

# Letters (两书一函 and interviews): (source, state, unit, kind, failing, points, text); points go to the register.
L = Letter.Kind
LETTERS = [
    (S.WORK_REPORT, St.AT_RISK, "X01", L.REMINDER_NOTICE, Letter.Failing.LAGGING, 0,
     "你单位新增规上工业企业培育进度滞后于序时进度，请于5个工作日内报送推进措施。"),
    (S.COMPLAINT, St.OVERDUE, "X01", L.REMINDER_LETTER, Letter.Failing.OVERDUE, 0.2,
     "该投诉件已超过办理时限，请于10日内办结并回复投诉人，同时书面说明逾期原因。"),
    (S.LIVELIHOOD, St.AT_RISK, "B11", L.REMINDER_NOTICE, Letter.Failing.NOT_REPORTED, 0,
     "你单位未按月报送农村公路提质改造项目进展，请立即补报。"),
    (S.COMPLAINT, St.REOPENED, "X04", L.REMINDER_LETTER, Letter.Failing.REPEATED_COMPLAINT, 0.3,
     "渣土车抛洒问题销号后再次被群众重复投诉，请查明原因，建立长效监管机制。"),
    (S.LIVELIHOOD, St.REOPENED, "X02", L.RECTIFICATION_NOTICE, Letter.Failing.RELAPSE, 0.5,
     "回头看发现已改造小区雨污管网堵塞，请于30日内完成返工整改，并报送整改报告。"),
    (S.INSPECTION, St.OVERDUE, "Y05", L.RECTIFICATION_NOTICE, Letter.Failing.RECTIFICATION_FAILED, 0.3,
     "督察交办问题整改逾期且监测数据仍未达标，请制定限期整改方案，每周报送整改进展。"),
    (S.KEY_PROJECT, St.OVERDUE, "X06", L.INTERVIEW, Letter.Failing.OVERDUE, 0.5,
     "城市快速通道工程连续两个季度投资完成率低于80%，约谈项目主责单位主要负责人。"),
    (S.EXECUTIVE_MEETING, St.OVERDUE, "B02", L.INTERVIEW, Letter.Failing.OVERDUE, 0,
     "清理拖欠中小企业账款工作逾期未完成，约谈分管负责同志，督促制定清偿计划。"),
]

# Key projects: (name, unit, total investment, annual plan, how it runs, linked item state) in 万元.
# red: on or ahead of plan and inspected well (红榜); lag: below 80 % of plan (进度滞后); mid: in between.
KEY_PROJECTS = [
    ("射江市锂电材料产业园一期", "X03", 450000, 120000, "red", St.ON_TRACK),
    ("高新区电子信息产业园标准化厂房", "Y02", 180000, 60000, "red", St.COMPLETED),
    ("市第一人民医院门急诊综合楼", "B17", 96000, 32000, "red", St.CLOSED),
    ("陆港物流园区多式联运中心", "Y06", 260000, 70000, "lag", St.AT_RISK),
    ("明月县城市快速通道工程", "X06", 150000, 50000, "lag", St.OVERDUE),
    ("河东新区地下综合管廊工程", "Y03", 120000, 40000, "lag", St.REOPENED),
    ("卓筒县天然气净化厂二期", "X08", 320000, 80000, "mid", St.NOT_STARTED),
    ("涪川区智能制造产业园", "X01", 210000, 65000, "red", None),
    ("锂电产业园正极材料项目", "Y04", 380000, 110000, "red", None),
    ("天然气化工园区LNG储备中心", "Y05", 140000, 42000, "mid", None),
    ("安澜区城市更新片区", "X02", 165000, 48000, "mid", None),
    ("蓬岭县食品饮料产业园", "X04", 90000, 30000, "mid", None),
    ("英川县现代农业园区", "X05", 68000, 22000, "lag", None),
    ("宝梵县文旅康养项目", "X07", 75000, 25000, "mid", None),
    ("灵泉县城乡供水工程", "X09", 58000, 20000, "red", None),
    ("琼江县航电枢纽配套工程", "X10", 230000, 55000, "mid", None),
    ("市职业教育园区二期", "B16", 110000, 36000, "mid", None),
    ("绕城高速公路连接线", "B11", 280000, 75000, "mid", None),
    ("经开区新能源汽车零部件产业园", "Y01", 200000, 62000, "mid", None),
    ("市城区排水防涝工程", "B10", 85000, 28000, "lag", None),
]
QUARTER_SHARE = (Decimal("0.20"), Decimal("0.25"), Decimal("0.30"), Decimal("0.25"))
QUARTER_NOTE = {"red": "项目推进有力，投资完成超计划，现场管理规范，列入红榜。",
                "mid": "总体按计划推进，个别节点略有滞后，请加快要素保障。",
                "lag": "征地拆迁和手续办理滞后，投资完成率低于计划的80%，列入进度滞后通报。"}

# Livelihood projects (万元): budget, issued, paid, and the item followed for it (the livelihood item of that
# state, or the n-th of EXTRA_LIVELIHOOD); the totals are Suining's 32.14 / 34.17 / 32.4 亿元.
LIVELIHOOD: list[tuple[str, str, int, int, int, State | int]] = [
    ("新建改扩建中小学和幼儿园", "B16", 68000, 72500, 70100, St.ON_TRACK),
    ("城乡社区养老服务设施建设", "B18", 24600, 26800, 25200, St.COMPLETED),
    ("农村公路提质改造", "B11", 52000, 55300, 52600, St.AT_RISK),
    ("城乡供水一体化", "B13", 41800, 44000, 41500, St.OVERDUE),
    ("基层医疗卫生机构服务能力提升", "B17", 28500, 30200, 28900, St.CLOSED),
    ("城镇老旧小区改造", "B10", 46000, 49600, 46800, St.REOPENED),
    ("就业创业促进", "B19", 12500, 13100, 12400, 0),
    ("城市公共停车位和充电桩建设", "B27", 9800, 10400, 9600, 1),
    ("农贸市场标准化改造", "B14", 8200, 8600, 8100, 2),
    ("全民健身场地设施建设", "B09", 30000, 31200, 28800, 3),
]
LIVELIHOOD_TOTALS = (321400, 341700, 324000)

# The year's inspections (all within the plan of 26): (month, day, title, kind, units).
K = Inspection.Kind
INSPECTIONS = [
    (2, 24, "春节后复工复产和安全生产专项督查", K.SPECIAL, ("X01", "X02", "X03", "B23")),
    (3, 18, "《政府工作报告》目标任务一季度督查", K.COMPREHENSIVE, ("B01", "B02", "B19")),
    (3, 26, "市级重点推进项目一季度实地督查", K.KEY_PROJECTS, ("X03", "Y02", "Y04", "Y06")),
    (4, 15, "耕地保护党政同责专项督查", K.SPECIAL, ("B12", "X04", "X05")),
    (4, 28, "政务服务“一窗通办”暗访", K.UNANNOUNCED, ("B15",)),
    (5, 20, "民生实事项目上半年推进督查", K.SPECIAL, ("B16", "B11", "B13", "B17")),
    (5, 29, "防汛备汛和地质灾害防治专项督查", K.SPECIAL, ("B13", "B12", "X06", "X07")),
    (6, 17, "中央生态环境保护督察交办件整改督查", K.SPECIAL, ("X01", "X06", "X08", "Y05")),
    (6, 25, "市级重点推进项目二季度实地督查", K.KEY_PROJECTS, ("X06", "Y03", "X01", "X09")),
    (7, 16, "半年目标任务完成情况综合督查", K.COMPREHENSIVE, ("X01", "X02", "X03", "X04", "X05")),
    (7, 30, "12345热线工单办理质量暗访", K.UNANNOUNCED, ("X01", "X04", "B27")),
    (8, 19, "城镇燃气安全隐患整治专项督查", K.SPECIAL, ("B23", "B10")),
    (9, 9, "老旧小区改造质量专项督查", K.SPECIAL, ("B10", "X01", "X02", "X03")),
    (9, 24, "市级重点推进项目三季度实地督查", K.KEY_PROJECTS, ("Y01", "Y05", "X02", "X10")),
    (10, 21, "乡村振兴和农村人居环境整治专项督查", K.SPECIAL, ("B08", "X01", "X05")),
    (10, 29, "餐饮油烟和噪声扰民问题暗访", K.UNANNOUNCED, ("B22", "X02", "X04")),
    (11, 12, "营商环境优化和清理拖欠企业账款专项督查", K.SPECIAL, ("B02", "B03", "B15")),
    (11, 26, "民生实事项目资金执行专项督查", K.SPECIAL, ("B03", "B16", "B18")),
    (12, 10, "年度目标任务完成情况综合督查", K.COMPREHENSIVE, ("X01", "X02", "X03", "Y01", "Y02")),
    (12, 16, "市级重点推进项目四季度实地督查", K.KEY_PROJECTS, ("Y04", "X08", "B16", "B11")),
]


@dataclass
class Supervision:
    """What was built, for the line load_demo prints."""

    states: Counter = field(default_factory=Counter)
    letters: int = 0
    points: float = 0.0
    quarter: int = 0
    red: int = 0
    laggards: int = 0
    key_projects: int = 0
    livelihood: tuple[Decimal, Decimal, Decimal] = (Decimal(0), Decimal(0), Decimal(0))
    allowed: int = 0
    scheduled: int = 0
    reminders: int = 0

    def summary(self) -> str:
        budget, issued, paid = self.livelihood
        states = "、".join(f"{st.label}{self.states[st]}" for st in STATES)
        return (f"督办事项 {sum(self.states.values())} 项（{states}）；督办文书 {self.letters} 份（扣分合计 {self.points:g}）；"
                f"重点项目 {self.key_projects} 个（第{self.quarter}季度红榜 {self.red}、进度滞后 {self.laggards}）；"
                f"民生实事预算 {figures.wan_to_yi(budget)} 亿元、下达 {figures.wan_to_yi(issued)} 亿元"
                f"（{figures.rate(issued, budget)}%）、支付 {figures.wan_to_yi(paid)} 亿元（{figures.rate(paid, budget)}%）；"
                f"督查检查计划 {self.allowed} 次、已安排 {self.scheduled} 次；催办提醒 {self.reminders} 条")


class Backdating:
    """The timestamps the services stamp with now (created_at, reported_at, sent_at, and the milestone dates they set
    to today), moved back so that the history reads as a year of work: demo only. One update per model and field
    at the end (flush). The audit log keeps the real time of the load: its entries are hash-chained and never
    rewritten."""

    def __init__(self) -> None:
        self.rows: defaultdict[tuple[type[models.Model], str], list[models.Model]] = defaultdict(list)

    def set(self, obj: models.Model, name: str, value: object) -> None:
        setattr(obj, name, value)
        self.rows[(type(obj), name)].append(obj)

    def flush(self) -> None:
        for (model, name), objs in self.rows.items():
            model.objects.bulk_update(objs, [name], batch_size=200)
        self.rows.clear()


def finished_quarters(year: int, today: dt.date) -> int:
    """How many quarters of the year were over by today; at least one, so that the bulletin always has a quarter
    (the demo cycle is in its year-end phase whatever the day, see demo_year.phases)."""
    if today.year > year:
        return 4
    if today.year < year:
        return 1
    return max(1, (today.month - 1) // 3)


def build_supervision(*, cycle: Cycle, office: User, leader_name: str, people_by_unit_code: dict[str, User],
                      today: dt.date) -> Supervision:
    """The year of supervision of the demo cycle's year; people_by_unit_code: the unit logins (others get clerks)."""
    year = cycle.year
    clear(year)
    units = {u.code: u for u in Unit.objects.all()}
    people = dict(people_by_unit_code)
    back = Backdating()

    def person(code: str) -> User:
        if code not in people:
            people[code] = clerk(units[code])
        return people[code]

    def at(days: int, minute: int = 0) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(9, 30)) +
                                   dt.timedelta(minutes=minute))

    for specs in ITEMS.values():  # the clerks first, so that they get the notices of their new items
        for spec in specs:
            for code in spec.units or (spec.lead,):
                person(code)
    indicator = cycle.indicators.filter(code="E5").first()  # 重点推进项目和民生实事（按期完成率）
    made: dict[tuple[str, State], Item] = {}
    serial = iter(range(1, 1000))

    def one(source: str, state: State, spec: Spec, k: int) -> Item:
        return _item(source=source, state=state, spec=spec, k=k, year=year, cycle=cycle, office=office,
                     code=f"{CODE_PREFIX}{year}-{next(serial):03d}", units=units, person=person, at=at, back=back,
                     leaders=tuple(leader_name if n == MAYOR else n for n in spec.leaders),
                     indicator=indicator if source in (S.KEY_PROJECT, S.LIVELIHOOD) else None)

    for k, (source, specs) in enumerate(ITEMS.items()):
        for state, spec in zip(STATES, specs, strict=True):
            made[(source, state)] = one(source, state, spec, k)
    extra = [one(S.LIVELIHOOD, state, spec, 9 + n) for n, (state, spec) in enumerate(EXTRA_LIVELIHOOD)]

    source, state, counties = DECOMPOSE
    parent = made[(source, state)]
    subs = svc.decompose_item(by=office, item=parent, units=[units[c] for c in counties])
    for sub in subs:
        back.set(sub, "created_at", at(-60))
        if sub.lead_unit.code in DECOMPOSED_PROGRESS:
            percent, text = DECOMPOSED_PROGRESS[sub.lead_unit.code]
            p = svc.report_progress(by=person(sub.lead_unit.code), item=sub, text=text, percent=percent)
            back.set(p, "reported_at", at(-9))

    letters = []
    for n, (src, st, code, kind, failing, points, text) in enumerate(LETTERS):
        letter = svc.send_letter(by=office, item=made[(src, st)], unit=units[code], kind=kind, failing=failing,
                                 points=points, text=text)
        back.set(letter, "sent_at", max(at(-3 - n), at(0).replace(month=1, day=1)))
        letters.append(letter)

    quarter = finished_quarters(year, today)
    key = _key_projects(year=year, office=office, units=units, made=made, quarter=quarter)
    lp = _livelihood(year=year, office=office, units=units, made=made, extra=extra)
    proj.set_plan(by=office, year=year, allowed=PLAN_ALLOWED,
                  note="经市委、市政府审定的年度督查检查计划：全年不超过26项，未列入计划的督查检查须报批。")
    for month, day, title, kind, codes in INSPECTIONS:
        inspection = proj.schedule_inspection(by=office, title=title, kind=kind, day=dt.date(year, month, day),
                                              units=[units[c] for c in codes])
        back.set(inspection, "created_at", min(timezone.make_aware(dt.datetime(year, 1, 20, 10)), at(-1)))

    back.flush()  # before the daily job, which reads when items were created and last reported on
    counts = svc.run_daily(day=today)
    items = Item.objects.filter(year=year, code__startswith=f"{CODE_PREFIX}{year}-").prefetch_related("milestones")
    shown = [figures.quarter_figures([(r.quarter, r.planned, r.completed, r.score) for r in kp.quarters.all()], quarter)
             for kp in key]
    return Supervision(
        states=Counter(i.state_on(today) for i in items), letters=len(letters),
        points=sum(lt.points for lt in letters), quarter=quarter, key_projects=len(key),
        red=sum(figures.on_red_list(f) for f in shown), laggards=sum(figures.lagging(f) for f in shown),
        livelihood=tuple(sum((getattr(p, f) for p in lp), Decimal(0)) for f in ("budget", "issued", "paid")),
        allowed=PLAN_ALLOWED, scheduled=len(INSPECTIONS), reminders=sum(v for k, v in counts.items()
                                                                        if k != "marked_overdue"))


def _item(*, source: str, state: State, spec: Spec, k: int, year: int, cycle: Cycle, office: User, code: str,
          units: dict[str, Unit], person, at, back: Backdating, leaders: tuple[str, ...], indicator) -> Item:
    """Create one item and take it, through the services, to the state it shows today (dates relative to today).

    k varies the dates from item to item. What the services stamp with now is moved back (Backdating, demo only).
    """
    m1, m2 = MILESTONES[source]
    early, middle, done = PROGRESS[source]
    # (created, deadline, milestones as (title, due)) and progress as (day, percent, text, milestone to mark done)
    if state == St.NOT_STARTED:
        created, deadline, ms = -(3 + k), 40 + 5 * k, [(m1, 15 + 2 * k), (m2, 30 + 4 * k)]
        steps = []
    elif state == St.ON_TRACK:
        created, deadline, ms = -(80 + 3 * k), 50 + 6 * k, [(m1, -(20 + k)), (m2, 20 + 3 * k)]
        steps = [(-(60 + k), 20 + k, early, None), (-(25 + k), 50 + k, middle, 0)]
    elif state == St.AT_RISK and k % 2 == 0:  # a milestone passed and not done
        created, deadline, ms = -(90 + 2 * k), 35 + 3 * k, [(m1, -(8 + k)), (m2, 20 + 3 * k)]
        steps = [(-(45 + k), 20 + k, early, None)]
    elif state == St.AT_RISK:  # the deadline within a week and the work far from done
        created, deadline, ms = -(100 + 2 * k), 4 + k % 3, [(m1, -(40 + k))]
        steps = [(-(50 + k), 30, early, 0), (-6, 60 + k, middle, None)]
    elif state == St.OVERDUE:
        created, deadline, ms = -(150 + 4 * k), -(10 + 3 * k), [(m1, -(90 + k)), (m2, -(30 + k))]
        steps = [(-(100 + k), 30, early, 0), (-(35 + k), 60 + k, middle, None)]
    elif state == St.COMPLETED:
        created, deadline, ms = -(120 + 3 * k), 10 + 2 * k, [(m1, -(70 + k)), (m2, -(10 + k))]
        steps = [(-(75 + k), 45, early, 0), (-(12 + k), 80, middle, 1), (-(2 + k % 3), 100, done, None)]
    elif state == St.CLOSED:
        created, deadline, ms = -(210 + 4 * k), -(30 + 2 * k), [(m1, -(150 + k)), (m2, -(70 + k))]
        steps = [(-(160 + k), 50, early, 0), (-(75 + k), 100, done, 1)]
    else:  # reopened: done, verified and closed, then a look-back check found the problem back
        created, deadline, ms = -(240 + 4 * k), -(90 + 2 * k), [(m1, -(180 + k))]
        steps = [(-(185 + k), 60, early, 0), (-(120 + k), 100, done, None)]
    day = lambda n: at(n).date()  # noqa: E731
    item = svc.create_item(by=office, year=year, code=code, title=spec.title, source=source, source_ref=spec.ref,
                           lead_unit=units[spec.lead], responsible_units=[units[c] for c in spec.units],
                           deadline=day(deadline), cycle=cycle, lead_leader=leaders[0],
                           responsible_leader=leaders[1], indicator=indicator,
                           report_interval=INTERVALS.get(source, Item.Interval.MONTHLY),
                           milestones=[(t, day(d)) for t, d in ms])
    back.set(item, "created_at", at(created))
    milestones = list(item.milestones.order_by("due", "id"))
    reporter = person((spec.units or (spec.lead,))[0])
    for n, (when, percent, text, m) in enumerate(steps):
        uploads = []
        if percent == 100 and k % 3 == 0:  # the closing report carries its evidence
            uploads = [pdf_upload(f"{code} acceptance", f"{code}-验收材料"), png_upload(f"{code}-现场照片")]
        p = svc.report_progress(by=reporter, item=item, text=text, percent=percent,
                                milestone=milestones[m] if m is not None else None, milestone_done=m is not None,
                                uploads=uploads)
        back.set(p, "reported_at", at(when, n))
        if m is not None:
            back.set(milestones[m], "done_at", day(when))
    if state in (St.COMPLETED, St.CLOSED, St.REOPENED):
        svc.mark_completed(by=reporter, item=item, text="已按要求完成，申请核验销号。")
    if state in (St.CLOSED, St.REOPENED):
        on_site = k % 2 == 0
        svc.close_item(by=office, item=item, verification=VERIFY_ON_SITE if on_site else VERIFY_ON_PAPER,
                       on_site=on_site)
        closed_on = steps[-1][0] + 10
        back.set(item.verifications.get(), "verified_at", at(closed_on, 30))
    if state == St.REOPENED:
        svc.reopen_item(by=office, item=item, verification=spec.lookback, on_site=True, deadline=day(40 + 3 * k))
        back.set(item.verifications.get(kind=Verification.Kind.LOOKBACK), "verified_at", at(-(12 + k)))
        if k % 2 == 0:
            p = svc.report_progress(by=reporter, item=item, text=AFTER_REOPEN, percent=20)
            back.set(p, "reported_at", at(-(5 + k % 3)))
    return item


def _key_projects(*, year: int, office: User, units: dict[str, Unit], made: dict, quarter: int) -> list[KeyProject]:
    """The key projects with their plan by quarter and, for each quarter over by today, completion and score."""
    result = []
    for i, (name, code, total, annual, kind, state) in enumerate(KEY_PROJECTS):
        plan = [(Decimal(annual) * share).quantize(Decimal(1)) for share in QUARTER_SHARE]
        project = proj.create_key_project(by=office, year=year, code=f"ZD{year}-{i + 1:02d}", name=name,
                                          lead_unit=units[code], total_investment=Decimal(total), quarterly_plan=plan,
                                          item=made[(S.KEY_PROJECT, state)] if state else None)
        for q in range(1, quarter + 1):
            if kind == "red":
                factor, score = Decimal("1.04") + Decimal("0.03") * ((i + q) % 4), 91 + (i + q) % 6
            elif kind == "lag":
                factor, score = Decimal("0.55") + Decimal("0.05") * ((i + q) % 4), 62 + (i + q) % 9
            else:
                factor, score = Decimal("0.84") + Decimal("0.03") * ((i + q) % 5), 80 + (3 * i + q) % 10
            proj.record_quarter(by=office, project=project, quarter=q,
                                completed=(plan[q - 1] * factor).quantize(Decimal(1)), score=float(score),
                                note=QUARTER_NOTE[kind])
        result.append(project)
    return result


def _livelihood(*, year: int, office: User, units: dict[str, Unit], made: dict,
                extra: list[Item]) -> list[LivelihoodProject]:
    if tuple(sum(row[n] for row in LIVELIHOOD) for n in (2, 3, 4)) != LIVELIHOOD_TOTALS:
        raise ValueError("the demo's livelihood funds must add up to 32.14 / 34.17 / 32.40 亿元")
    result = []
    for i, (name, code, budget, issued, paid, link) in enumerate(LIVELIHOOD):
        item = extra[link] if isinstance(link, int) else made[(S.LIVELIHOOD, link)]
        project = proj.create_livelihood_project(by=office, year=year, code=f"MS{year}-{i + 1:02d}", name=name,
                                                 lead_unit=units[code], budget=Decimal(budget), item=item)
        result.append(proj.record_funds(by=office, project=project, issued=Decimal(issued), paid=Decimal(paid)))
    return result


def clear(year: int) -> None:
    """Remove the supervision data an earlier load of the demo left (its cycle is gone after --reset)."""
    items = Item.objects.filter(year=year, code__startswith=f"{CODE_PREFIX}{year}-")
    letters = Letter.objects.filter(item__in=items)
    files = [lt.pdf.name for lt in letters if lt.pdf]
    letters.delete()  # letters hold their items (PROTECT); the rest of an item goes with it
    items.delete()
    KeyProject.objects.filter(year=year, code__startswith=f"ZD{year}-").delete()
    LivelihoodProject.objects.filter(year=year, code__startswith=f"MS{year}-").delete()
    Inspection.objects.filter(year=year, title__in=[row[2] for row in INSPECTIONS]).delete()

    def forget() -> None:
        for name in files:
            Letter.pdf.field.storage.delete(name)

    transaction.on_commit(forget)
