"""The demo city's questionnaires and survey rounds: four versions (A residents, B merchants, C students, D visitors)
with realistic questions of every kind feeding all four rates and linked to the sample system's standards; three
monthly rounds (two closed, the current one open with a public self-fill link) with quotas over the communities of
five streets × the four groups, the `surveyor` account covering those of its own two streets. Responses come from
evaluation/surveys/demo.py (after this). Idempotent: nothing happens when questionnaire A exists."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from campaign.models import Region
from core.models import User
from evaluation.models import EvaluationItem, Questionnaire, RespondentGroup, SurveyQuota, SurveyRound

from . import services

# (kind, rate, text, standard codes, rule, target, options): rule is the minimum positive rating (rating) or the
# positive answer (yes/no); options "A 文字*" (* = positive).
SATISFIED = ["A 非常满意*", "B 比较满意*", "C 一般", "D 不太满意", "E 很不满意"]
QUESTIONNAIRES = [
    (
        "A",
        "城市居民问卷",
        RespondentGroup.RESIDENTS,
        "您好！我们正在开展全国文明城市创建工作满意度调查，耽误您几分钟时间。问卷匿名填写，答案无对错之分。",
        [
            ("yes_no", "awareness", "您是否知道本市正在创建全国文明城市？", ["P040301"], True, 0.95, []),
            (
                "single",
                "awareness",
                "您是通过哪种渠道最早了解到创建全国文明城市工作的？",
                ["P030101"],
                None,
                0.90,
                ["A 社区宣传栏、公益广告*", "B 电视、报纸、网络*", "C 志愿者入户宣传*", "D 没有了解过"],
            ),
            (
                "multiple",
                "awareness",
                "您知道以下哪些内容属于社会主义核心价值观？（可多选）",
                ["P030101", "P030201"],
                None,
                0.90,
                ["A 富强、民主、文明、和谐*", "B 自由、平等、公正、法治*", "C 爱国、敬业、诚信、友善*", "D 都不清楚"],
            ),
            (
                "single",
                "support",
                "您是否支持本市创建全国文明城市？",
                ["P040301"],
                None,
                0.95,
                ["A 非常支持*", "B 支持*", "C 无所谓", "D 不支持"],
            ),
            (
                "yes_no",
                "support",
                "您是否愿意遵守垃圾分类、文明养犬等文明公约？",
                ["P020102"],
                True,
                0.92,
                [],
            ),
            (
                "rating",
                "satisfaction",
                "您对所居住小区的环境卫生是否满意？（1–5分）",
                ["P050102", "P020101"],
                4,
                0.85,
                [],
            ),
            (
                "single",
                "satisfaction",
                "您对小区物业管理服务（保安、保洁、保绿、保修）是否满意？",
                ["P050102"],
                None,
                0.85,
                SATISFIED,
            ),
            ("rating", "satisfaction", "您对周边道路交通秩序是否满意？（1–5分）", ["P010101", "P010102"], 4, 0.85, []),
            ("single", "satisfaction", "总体来看，您对本市城市文明程度是否满意？", ["P040301"], None, 0.90, SATISFIED),
            (
                "yes_no",
                "participation",
                "过去一年，您是否参加过志愿服务或社区文明实践活动？",
                ["P050201", "P050101"],
                True,
                0.60,
                [],
            ),
            (
                "multiple",
                "participation",
                "您参加过以下哪些创建活动？（可多选）",
                ["P050202"],
                None,
                0.60,
                ["A 清洁家园行动*", "B 文明交通劝导*", "C 邻里互助*", "D 都没有参加过"],
            ),
            ("single", "", "您在本社区居住了多长时间？", [], None, None, ["A 不到1年", "B 1–5年", "C 5年以上"]),
            ("text", "", "您对创建文明城市工作还有哪些意见和建议？", [], None, None, []),
        ],
    ),
    (
        "B",
        "沿街商户问卷",
        RespondentGroup.MERCHANTS,
        "您好！这是面向沿街商户、市场经营户的文明城市创建问卷，约需3分钟。",
        [
            ("yes_no", "awareness", "您是否知道本市正在创建全国文明城市？", ["P040301"], True, 0.95, []),
            (
                "single",
                "awareness",
                "您是否了解“门前三包”责任制度的内容？",
                ["P020201", "P010201"],
                None,
                0.90,
                ["A 非常了解*", "B 基本了解*", "C 听说过但不了解", "D 不知道"],
            ),
            ("yes_no", "awareness", "您是否知道店外经营、占道经营属于违规行为？", ["P010201"], True, 0.95, []),
            (
                "single",
                "support",
                "您是否支持对占道经营、乱堆乱放进行集中整治？",
                ["P010201", "P020202"],
                None,
                0.90,
                ["A 非常支持*", "B 支持*", "C 无所谓", "D 不支持"],
            ),
            ("yes_no", "support", "您是否愿意在店内设置公益广告或文明宣传标语？", ["P030101"], True, 0.85, []),
            ("rating", "satisfaction", "您对所在街道的环境卫生是否满意？（1–5分）", ["P020101"], 4, 0.85, []),
            ("single", "satisfaction", "您对市场（街区）的管理服务是否满意？", ["P010202"], None, 0.85, SATISFIED),
            (
                "rating",
                "satisfaction",
                "您对城管、市场监管等部门的执法服务是否满意？（1–5分）",
                ["P010201"],
                4,
                0.80,
                [],
            ),
            ("yes_no", "participation", "您的店铺是否落实了“门前三包”责任？", ["P020201"], True, 0.90, []),
            (
                "multiple",
                "participation",
                "您参加过以下哪些活动？（可多选）",
                ["P050202"],
                None,
                0.50,
                ["A 文明诚信经营承诺*", "B 志愿服务活动*", "C 垃圾分类宣传*", "D 都没有参加"],
            ),
            ("single", "", "您的经营类型是？", [], None, None, ["A 餐饮", "B 零售", "C 农贸摊位", "D 其他服务"]),
            ("text", "", "您对改善经营环境有什么建议？", [], None, None, []),
        ],
    ),
    (
        "C",
        "在校学生问卷",
        RespondentGroup.STUDENTS,
        "同学你好！这份问卷了解同学们对文明城市创建和校园周边环境的看法，请如实作答。",
        [
            ("yes_no", "awareness", "你是否知道我们的城市正在创建全国文明城市？", ["P040301"], True, 0.95, []),
            (
                "multiple",
                "awareness",
                "以下哪些属于文明行为？（可多选）",
                ["P030201"],
                None,
                0.90,
                ["A 过马路走斑马线*", "B 公共场所不大声喧哗*", "C 排队不插队*", "D 随地扔垃圾"],
            ),
            (
                "single",
                "awareness",
                "你是否学习过《未成年人文明行为规范》相关内容？",
                ["P060102"],
                None,
                0.85,
                ["A 系统学习过*", "B 听老师讲过*", "C 没有学过"],
            ),
            (
                "single",
                "support",
                "你是否支持学校开展文明城市创建主题活动？",
                ["P040301"],
                None,
                0.95,
                ["A 支持*", "B 无所谓", "C 不支持"],
            ),
            ("rating", "satisfaction", "你对学校周边的交通秩序是否满意？（1–5分）", ["P060101"], 4, 0.85, []),
            (
                "rating",
                "satisfaction",
                "你对学校周边的环境卫生是否满意？（1–5分）",
                ["P060101", "P020101"],
                4,
                0.85,
                [],
            ),
            (
                "single",
                "satisfaction",
                "学校周边是否有流动摊贩、网吧等让你感到困扰？",
                ["P060101"],
                None,
                0.85,
                ["A 没有*", "B 偶尔有", "C 经常有"],
            ),
            ("yes_no", "participation", "本学期你是否参加过志愿服务活动？", ["P050201"], True, 0.70, []),
            (
                "multiple",
                "participation",
                "你参加过以下哪些活动？（可多选）",
                ["P050202", "P060201"],
                None,
                0.70,
                ["A 参观爱国主义教育基地*", "B 社区志愿服务*", "C 文明交通劝导*", "D 都没有"],
            ),
            ("single", "", "你所在的学段是？", [], None, None, ["A 小学", "B 初中", "C 高中", "D 大学及以上"]),
            ("text", "", "你希望我们的城市在哪些方面变得更文明？", [], None, None, []),
        ],
    ),
    (
        "D",
        "外来游客问卷",
        RespondentGroup.VISITORS,
        "欢迎来到本市！请花两分钟告诉我们您在本市的感受，帮助我们做得更好。",
        [
            ("yes_no", "awareness", "您是否注意到本市正在创建全国文明城市？", ["P040301"], True, 0.85, []),
            (
                "single",
                "awareness",
                "您在本市是否看到过“讲文明、树新风”等公益广告？",
                ["P030101"],
                None,
                0.85,
                ["A 经常看到*", "B 偶尔看到*", "C 没有看到"],
            ),
            (
                "single",
                "support",
                "您认为创建文明城市对本市旅游形象有帮助吗？",
                ["P040301"],
                None,
                0.90,
                ["A 很有帮助*", "B 有一些帮助*", "C 没什么帮助"],
            ),
            ("rating", "satisfaction", "您对车站、景区等窗口单位的服务是否满意？（1–5分）", ["P040101"], 4, 0.85, []),
            ("rating", "satisfaction", "您对公共厕所的卫生和管理是否满意？（1–5分）", ["P020301"], 4, 0.80, []),
            (
                "single",
                "satisfaction",
                "您对本市市民的文明素质是否满意？",
                ["P040301", "P010301"],
                None,
                0.85,
                SATISFIED,
            ),
            (
                "yes_no",
                "satisfaction",
                "在本市游览期间，您是否遇到过问路、求助时得到热情帮助？",
                ["P040101", "P040102"],
                True,
                0.85,
                [],
            ),
            ("yes_no", "participation", "您是否愿意向亲友推荐来本市旅游？", ["P040301"], True, 0.85, []),
            (
                "multiple",
                "participation",
                "您在本市使用过以下哪些便民服务？（可多选）",
                ["P040102"],
                None,
                0.50,
                ["A 游客服务中心*", "B 志愿服务站点*", "C 共享单车*", "D 都没有使用"],
            ),
            (
                "single",
                "",
                "您此次来本市的目的是？",
                [],
                None,
                None,
                ["A 旅游观光", "B 商务出差", "C 探亲访友", "D 其他"],
            ),
            ("text", "", "您对本市的城市文明还有什么印象或建议？", [], None, None, []),
        ],
    ),
]
# The streets whose communities get quotas, and who covers them (campaign.demo: the surveyor's group covers streets
# 3 and 4; the supervisor's group streets 0, 1 and 2).
QUOTA_STREETS = {
    "新华街街道": "surveyor",
    "老平旺街道": "surveyor",
    "南关街道": "supervisor",
    "北关街道": "supervisor",
    "东关街道": "supervisor",
}
TARGETS = {
    RespondentGroup.RESIDENTS: 12,
    RespondentGroup.MERCHANTS: 6,
    RespondentGroup.STUDENTS: 4,
    RespondentGroup.VISITORS: 4,
}


def _options(lines):
    options = []
    for line in lines:
        code, text = line.split(" ", 1)
        options.append({"code": code, "text": text.rstrip("*"), "is_positive": text.endswith("*")})
    return options


def _month_start(day, back: int):
    first = day.replace(day=1)
    for _ in range(back):
        first = (first - timedelta(days=1)).replace(day=1)
    return first


def _month_end(first):
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def create_questionnaires(*, office) -> list[Questionnaire]:
    """The four demo questionnaires (A–D) with their questions, linked to the standards of the system loaded (codes it
    lacks are left out)."""
    standards = {s.code: s for s in EvaluationItem.objects.filter(level=EvaluationItem.Level.STANDARD)}
    questionnaires = []
    for code, title, group, intro, questions in QUESTIONNAIRES:
        questionnaire = services.questionnaire_create(actor=office, code=code, title=title, group=group, intro=intro)
        for number, (kind, rate, text, codes, rule, target, options) in enumerate(questions, start=1):
            services.question_create(
                actor=office,
                questionnaire=questionnaire,
                number=number,
                text=text,
                kind=kind,
                rate=rate,
                standards=[standards[c] for c in codes if c in standards],
                positive_min_rating=rule if kind == "rating" else None,
                positive_answer=rule if kind == "yes_no" else None,
                target=services.parse_target(target) if target else None,
                is_required=kind != "text",
                options=_options(options),
            )
        questionnaires.append(questionnaire)
    return questionnaires


def seed(*, rng, stdout):
    if Questionnaire.objects.filter(code="A").exists():
        stdout.write("evaluation: the demo questionnaires are already there")
        return
    office = User.objects.filter(username="office").first()
    if office is None or not EvaluationItem.objects.exists():
        stdout.write("evaluation: no office account or evaluation system yet: no questionnaires")
        return
    questionnaires = create_questionnaires(office=office)

    accounts = {u.username: u for u in User.objects.filter(username__in=set(QUOTA_STREETS.values()))}
    surveyors = list(accounts.values())
    today = timezone.localdate()
    communities = list(
        Region.objects.filter(level=Region.Level.COMMUNITY, parent__name__in=list(QUOTA_STREETS))
        .select_related("parent")
        .order_by("path")
    )
    rounds = []
    for back in (2, 1, 0):
        first = _month_start(today, back)
        survey_round = services.round_create(
            actor=office,
            name=f"{first.year}年{first.month}月模拟测评问卷调查",
            start_date=first,
            end_date=_month_end(first),
            questionnaires=questionnaires,
            surveyors=surveyors,
            source_weights={"interview": 70, "fieldworker": 30},
            min_seconds=60,
            area_radius_m=2000,
        )
        quotas = [
            SurveyQuota(
                round=survey_round,
                region=community,
                group=group,
                target=target + rng.randint(0, 2) * (group == RespondentGroup.RESIDENTS),
                surveyor=accounts.get(QUOTA_STREETS[community.parent.name]),
            )
            for community in communities
            for group, target in TARGETS.items()
        ]
        SurveyQuota.objects.bulk_create(quotas)
        services.round_open(actor=office, round=survey_round)
        if back:
            services.round_close(actor=office, round=survey_round)
        else:
            services.round_public_link(actor=office, round=survey_round, enabled=True)
        rounds.append(survey_round)
    stdout.write(
        f"evaluation: {len(questionnaires)} questionnaires, {len(rounds)} survey rounds "
        f"({SurveyQuota.objects.filter(round__in=rounds).count()} quotas, the last open: "
        f"{SurveyRound.objects.filter(status=SurveyRound.Status.OPEN).count()} open)"
    )
