"""Demo seed of the knowledge base: ~30 articles and ~15 cases (idempotent).

Called by the demo seeding (``kefu seed``). Everything goes through the
services, so the demo data is indexed, versioned and audited like real data.
"""

from __future__ import annotations

from datetime import timedelta

from kefu.core import clock

from .models import Article, Case
from .seed_articles import ARTICLES
from .services.articles import ArticleData, article_create
from .services.cases import CaseData, case_create

SYSTEM = "demo-seed"
#: The promotion is the one article with a validity window.
PROMOTION = "夏季流量半价优惠活动"

# (title, category, sub-category, situation, solution)
CASES = [
    ("日本漫游无法上网", "procedure", "国际漫游", "客户在日本东京，可以接打电话但无法使用流量，已开通国际漫游。",
     "指导客户在手机设置中打开“数据漫游”开关，并手动选择当地运营商网络，重启后恢复。"),
    ("境外高额漫游流量费争议", "tariff", "国际漫游", "客户出国一周回国后收到1200元流量费账单，称未收到任何提醒。",
     "核实系统已发送漫游提醒及每日封顶短信，但封顶前未订购流量包；按首次投诉规则减免50%，并为客户订购多国流量包以备下次使用。"),
    ("套餐变更当月未生效", "tariff", "5G套餐", "客户月中将128元套餐改为198元，当月流量仍按128元套餐计算，认为被多收费。",
     "解释套餐变更次月生效的规则，当月超出流量按原套餐计费；客户接受解释，为其临时赠送5GB当月流量包安抚。"),
    ("携号转网因合约未到期被拒", "procedure", "携号转网", "客户申请携号转网，授权码查询提示存在在约合约，客户称不知道有合约。",
     "查询入网时参加了“预存话费送手机”活动，合约期24个月尚余5个月；告知可选择支付剩余违约金后转网，或合约到期后办理，并介绍挽留优惠。"),
    ("宽带频繁掉线", "other", "宽带", "客户家宽带每天晚上掉线多次，重启光猫后可暂时恢复。",
     "派单上门检测发现光猫老化、光功率偏低，更换光猫并重新熔接光纤后测试正常，回访客户满意。"),
    ("积分兑换的礼品未收到", "product", "积分", "客户一个月前用积分兑换了电饭煲，至今未收到，积分已扣除。",
     "联系积分商城供应商查询物流，发现地址填写不完整被退回；与客户核对地址后重新寄出，并赠送500积分致歉。"),
    ("服务密码被锁定无法自助查询", "procedure", "服务密码", "客户连续三次输错服务密码被锁定，急需查询话费。",
     "告知次日自动解锁；客户急用的，引导通过手机营业厅人脸识别重置服务密码，当场恢复自助查询。"),
    ("要求查询配偶号码的通话详单", "procedure", "详单", "客户要求查询其配偶名下号码的通话记录，称有家庭纠纷需要证据。",
     "按通信秘密保护规定婉拒，说明详单仅限机主本人查询，司法需要可由法院依法调取；客户理解。"),
    ("副卡突然被停机", "product", "副卡", "客户副卡无法拨打电话，副卡账户并无欠费。",
     "查询主卡欠费导致副卡同步停机，告知规则并引导主卡缴费，缴费后主副卡30分钟内恢复。"),
    ("未订购彩铃却被扣费", "product", "彩铃", "客户发现每月被扣5元彩铃费，称从未订购。",
     "查询订购记录为某第三方渠道订购，无客户确认记录；为客户退订并退还近6个月费用，登记违规订购投诉追查渠道。"),
    ("新小区手机信号弱", "other", "网络", "客户新搬入小区，家中室内信号只有一格，经常掉话。",
     "登记网络质量投诉派往网络运维部门，测试确认室内覆盖不足，已列入新建室分计划；期间为客户开通VoLTE并建议使用WiFi通话。"),
    ("频繁接到推销骚扰电话", "other", "防骚扰", "客户每天接到多个贷款推销电话，要求运营商处理。",
     "为客户开通防骚扰拦截功能，登记骚扰号码举报，并告知可向12321举报；一周后回访客户骚扰电话明显减少。"),
    ("补卡后收不到银行验证码", "procedure", "SIM卡", "客户补换SIM卡后，银行转账验证码短信收不到。",
     "确认号码短信功能正常，解释部分银行在换卡后会限制短信服务；引导客户联系银行重新验证手机号后恢复。"),
    ("企业发票抬头开错", "procedure", "发票", "企业客户申请电子发票时抬头少写一个字，要求重开。",
     "确认在当月内，将原发票作废，按正确抬头和纳税人识别号重新开具并发送到客户邮箱。"),
    ("VIP客户投诉处理超时", "other", "VIP", "VIP客户投诉网络问题，称两天没人联系。",
     "核实工单在城市分公司工位停留超时，立即催办并上报值班长；当日由客户经理上门致歉，问题解决后回访满意。"),
]


def _articles() -> int:
    existing = set(Article.objects.filter(title__in=[a[0] for a in ARTICLES]).values_list("title", flat=True))
    now = clock.now()
    made = 0
    for title, category, subcategory, tags, body in ARTICLES:
        if title in existing:
            continue
        window = {"valid_from": now - timedelta(days=30), "valid_to": now + timedelta(days=180)} \
            if title == PROMOTION else {}
        article_create(actor=SYSTEM, data=ArticleData(title=title, body=body, category=category,
                                                      subcategory=subcategory, tags=tags, **window),
                       publish=True, note="初始版本")
        made += 1
    return made


def _cases() -> int:
    existing = set(Case.objects.filter(title__in=[c[0] for c in CASES]).values_list("title", flat=True))
    made = 0
    for title, category, subcategory, situation, solution in CASES:
        if title in existing:
            continue
        case_create(actor=SYSTEM, data=CaseData(title=title, situation=situation, solution=solution,
                                                category=category, subcategory=subcategory), publish=True)
        made += 1
    return made


def knowledge_seed() -> dict[str, int]:
    """Create the demo articles and cases that do not exist yet; returns how
    many were made (0 and 0 on a second run)."""
    return {"articles": _articles(), "cases": _cases()}
