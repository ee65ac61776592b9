"""The demo city's responsibility list (任务分解表): for each standard of the sample evaluation system, the lead unit
by its content (the traffic police for traffic order, the city management bureau for sanitation…), the responsible
units, one duty per method, and deadlines around today (three months before the test: some done, some overdue, some
due within two weeks). The demo accounts `unit` (平城区城市管理局) and `unit2` (南关街道办事处) carry several duties
of each kind. Idempotent: nothing happens when the list has rows or the system or units are missing."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from campaign.models import Unit
from core.models import User
from evaluation.models import EvaluationItem, Method, Responsibility, StandardMethod

UNIT = "平城区城市管理局"
UNIT2 = "南关街道办事处"

# content code → (lead unit, responsible units)
LEADS = {
    "P0101": ("大同市公安局平城分局交警大队", ["平城区交通运输局", UNIT, UNIT2, "北关街道办事处"]),
    "P0102": ("平城区市场监督管理局", ["南关农贸市场", "站前农贸市场管理有限公司", UNIT2, "东关街道办事处"]),
    "P0103": ("平城区文化和旅游局", ["平城区卫生健康委员会", UNIT2, "新华街街道办事处"]),
    "P0201": (UNIT, [UNIT2, "北关街道办事处", "东关街道办事处", "大同市环境卫生服务有限公司"]),
    "P0202": (UNIT, ["平城区城市管理综合行政执法大队", UNIT2, "新华街街道办事处"]),
    "P0203": (UNIT, ["大同市环境卫生服务有限公司", UNIT2]),
    "P0204": ("平城区住房和城乡建设局", [UNIT, "中建二局大同御河项目部", "平城建筑工程有限公司"]),
    "P0205": ("平城区园林绿化服务中心", [UNIT, UNIT2]),
    "P0301": ("中共大同市平城区委宣传部", [UNIT, UNIT2, "北关街道办事处", "平城区融媒体中心"]),
    "P0302": ("平城区文明办", ["平城区文化和旅游局", UNIT2, UNIT]),
    "P0401": ("平城区行政审批服务管理局", ["平城区政务服务中心", "中国银行大同平城支行"]),
    "P0402": ("平城区文化和旅游局", ["大同市图书馆", "平城区文化馆", "大同市博物馆"]),
    "P0403": ("平城区文明办", [UNIT2, "北关街道办事处", "东关街道办事处"]),
    "P0501": ("平城区民政局", [UNIT2, "北关街道办事处", "南关社区居民委员会"]),
    "P0502": ("共青团平城区委", [UNIT2, "平城区民政局", "南关社区居民委员会"]),
    "P0601": ("平城区教育局", ["大同市公安局平城分局交警大队", UNIT, "平城区市场监督管理局"]),
    "P0602": ("中共大同市平城区委宣传部", ["大同市博物馆", "平城区教育局"]),
}

TASKS = {
    Method.FIELD: "{content}：开展常态化巡查和自查，发现问题当日整改，建立整改台账",
    Method.MATERIAL: "{content}：整理规范文件、情况说明、实景图片和统计表格，按材料申报要求按时报送",
    Method.QUESTIONNAIRE: "{content}：入户宣传测评要求，提高群众知晓率、支持率和满意度",
    Method.ONLINE: "{content}：做好网络宣传和网上测评题目相关工作的日常维护",
    Method.BRIEFING: "{content}：准备工作汇报材料，梳理亮点工作和数据",
    Method.OBSERVATION: "{content}：保持区域整体面貌整洁有序，做好重点时段值守",
}

# Days from today: the pattern the duties walk through (done ones are in the past).
PATTERN = [("done", -45), ("overdue", -6), ("soon", 6), ("later", 40), ("done", -20), ("soon", 11), ("later", 75)]


def seed(*, rng, stdout) -> None:
    if Responsibility.objects.exists():
        return
    standards = list(
        EvaluationItem.objects.filter(level=EvaluationItem.Level.STANDARD)
        .select_related("parent")
        .order_by("sort_order", "code")
    )
    units = {
        u.name: u for u in Unit.objects.filter(name__in={n for lead, rest in LEADS.values() for n in [lead, *rest]})
    }
    if not standards or UNIT not in units or UNIT2 not in units:
        return
    office = User.objects.filter(username="office").first()
    methods: dict[int, list[str]] = {}
    for standard_id, method in StandardMethod.objects.order_by("method").values_list("standard_id", "method"):
        methods.setdefault(standard_id, []).append(method)
    today = timezone.localdate()
    now = timezone.now()
    step = 0
    created = 0
    with transaction.atomic():
        for order, standard in enumerate(standards, start=1):
            lead_name, responsible = LEADS.get(standard.parent.code[:5], (None, []))
            lead = units.get(lead_name)
            if lead is None:
                continue
            pool = [units[n] for n in responsible if n in units]
            for method in methods.get(standard.pk, [Method.FIELD]):
                state, offset = PATTERN[step % len(PATTERN)]
                step += 1
                chosen = [u for u in pool if rng.random() < 0.75] or pool[:1]
                duty = Responsibility(
                    standard=standard,
                    lead_unit=lead,
                    task=TASKS[method].format(content=standard.parent.text, standard=standard.text[:24]),
                    method=method,
                    deadline=today + timedelta(days=offset + rng.randint(-2, 2)),
                    sort_order=order,
                )
                if state == "done":
                    duty.done_at = now - timedelta(days=-offset - 3, hours=rng.randint(1, 8))
                    duty.done_by = office
                duty._history_user = office
                duty.save()
                duty.units.set(chosen)
                created += 1
    stdout.write(f"evaluation: {created} duties on the responsibility list")
