"""Article and case services: versions, states, validation, cleaning, audit, index."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kefu.audit.models import AuditEntry
from kefu.core import clock
from kefu.core.errors import Conflict, ValidationFailed
from kefu.knowledge.cleaning import ID_MASK, MOBILE_MASK
from kefu.knowledge.models import Article, ArticleStatus, Case, SearchEntry
from kefu.knowledge.services.articles import (
    ArticleData,
    article_create,
    article_delete,
    article_publish,
    article_retire,
    article_update,
    normalise_tags,
)
from kefu.knowledge.services.cases import (
    CaseData,
    case_delete,
    case_from_order,
    case_set_published,
    case_update,
)

from .conftest import make_article, make_case

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def data(**kw):
    base = {"title": "积分兑换规则", "body": "积分可兑换话费。", "category": "tariff"}
    return ArticleData(**{**base, **kw})


def audits(obj):
    return list(AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
                .order_by("id").values_list("action", flat=True))


def test_a_draft_has_no_version_and_publishing_makes_version_one(db, editor):
    article = article_create(actor=editor, data=data(tags="积分, 兑换，积分"))
    assert article.status == ArticleStatus.DRAFT and article.version == 0 and article.tags == "积分,兑换"
    assert article.created_by == editor and not article.versions.exists()
    clock.freeze(T0)
    article = article_publish(actor=editor, article=article, note="首次发布")
    (v1,) = article.versions.all()
    assert (v1.number, v1.title, v1.note, v1.published_by, v1.published_at) == (1, "积分兑换规则", "首次发布", editor, T0)
    assert article.status == ArticleStatus.PUBLISHED and article.version == 1 and article.published_at == T0
    assert audits(article) == ["create", "update"]


def test_editing_a_published_article_publishes_the_next_version_and_keeps_the_old(db, editor):
    article = article_create(actor=editor, data=data(), publish=True)
    article = article_update(actor=editor, article=article, data=data(body="积分可兑换视频会员。"), note="新增权益")
    assert article.version == 2 and article.status == ArticleStatus.PUBLISHED
    assert [(v.number, v.body) for v in article.versions.order_by("number")] == [
        (1, "积分可兑换话费。"), (2, "积分可兑换视频会员。")]
    entry = AuditEntry.objects.filter(object_type="knowledge.article", object_id=str(article.pk)).first()
    assert entry.changes["body"] == ["8 chars", "10 chars"] and entry.changes["version"] == [1, 2]
    assert entry.note == "新增权益"


def test_editing_a_draft_makes_no_version_and_an_unchanged_edit_writes_nothing(db, editor):
    article = article_create(actor=editor, data=data())
    article = article_update(actor=editor, article=article, data=data(body="改过的正文。"))
    assert article.version == 0 and article.revision == 2
    count = AuditEntry.objects.count()
    same = article_update(actor=editor, article=article, data=data(body="改过的正文。"))
    assert same.revision == 2 and AuditEntry.objects.count() == count


def test_a_stale_revision_is_refused(db, editor):
    article = article_create(actor=editor, data=data())
    article_update(actor=editor, article=article, data=data(body="第一位编辑的修改。"), revision=1)
    with pytest.raises(Conflict) as exc:
        article_update(actor=editor, article=article, data=data(body="第二位编辑的修改。"), revision=1)
    assert exc.value.code == "stale"
    assert Article.objects.get(pk=article.pk).body == "第一位编辑的修改。"


def test_titles_are_unique(db, editor):
    article_create(actor=editor, data=data())
    with pytest.raises(Conflict) as exc:
        article_create(actor=editor, data=data(body="另一篇。"))
    assert exc.value.code == "duplicate_title"
    other = article_create(actor=editor, data=data(title="积分规则"))
    with pytest.raises(Conflict):
        article_update(actor=editor, article=other, data=data(title="积分兑换规则"))


@pytest.mark.parametrize(("change", "field"), [
    ({"title": "  "}, "title"),
    ({"body": ""}, "body"),
    ({"category": "video"}, "category"),
    ({"title": "长" * 201}, "title"),
    ({"tags": "好" * 31}, "tags"),
    ({"valid_from": T0, "valid_to": T0}, "valid_to"),
])
def test_invalid_content_is_refused_with_the_field_named(db, editor, change, field):
    with pytest.raises(ValidationFailed) as exc:
        article_create(actor=editor, data=data(**change))
    assert field in exc.value.details
    assert not Article.objects.exists() and not SearchEntry.objects.exists()


def test_an_expired_article_cannot_be_published(db, editor):
    clock.freeze(T0)
    article = article_create(actor=editor, data=data(valid_to=T0 - timedelta(days=1), valid_from=T0 - timedelta(days=9)))
    with pytest.raises(ValidationFailed) as exc:
        article_publish(actor=editor, article=article)
    assert exc.value.code == "expired"
    assert Article.objects.get(pk=article.pk).status == ArticleStatus.DRAFT


def test_retire_then_republish_and_the_states_that_refuse(db, editor):
    article = article_create(actor=editor, data=data())
    with pytest.raises(Conflict):
        article_retire(actor=editor, article=article)
    article = article_publish(actor=editor, article=article)
    with pytest.raises(Conflict):
        article_publish(actor=editor, article=article)
    article = article_retire(actor=editor, article=article)
    assert article.status == ArticleStatus.RETIRED and article.retired_at is not None
    assert not SearchEntry.objects.get(doc_type="article", doc_id=article.pk).live
    article = article_publish(actor=editor, article=article)
    assert article.version == 2 and article.retired_at is None
    assert SearchEntry.objects.get(doc_type="article", doc_id=article.pk).live


def test_only_a_never_published_draft_can_be_deleted(db, editor):
    draft = article_create(actor=editor, data=data())
    article_delete(actor=editor, article=draft)
    assert not Article.objects.exists() and not SearchEntry.objects.exists()
    published = article_create(actor=editor, data=data(), publish=True)
    with pytest.raises(Conflict) as exc:
        article_delete(actor=editor, article=published)
    assert exc.value.code == "was_published"


def test_a_failed_change_leaves_the_index_untouched(db, editor):
    article = make_article("积分兑换规则", "积分可兑换话费。")
    make_article("积分规则", "别的文章。")
    entry = SearchEntry.objects.get(doc_type="article", doc_id=article.pk)
    with pytest.raises(Conflict):
        article_update(actor=editor, article=article, data=data(title="积分规则", body="新正文不应进入索引。"))
    assert SearchEntry.objects.get(pk=entry.pk).body_tokens == entry.body_tokens


def test_normalise_tags():
    assert normalise_tags(["5G", "套餐；资费", " 5G "]) == "5G,套餐,资费"
    assert normalise_tags("") == ""


# --- cases -----------------------------------------------------------------------


def test_a_case_from_a_closed_order_is_cleaned_and_linked(db, editor, closed_order):
    case = case_from_order(actor=editor, order=closed_order)
    assert case.source_order == closed_order and case.source_serial == closed_order.serial
    assert case.title == "陈**投诉国际漫游费用过高"
    assert "13800138000" not in case.situation and MOBILE_MASK in case.situation
    assert "440106199001011234" not in case.situation and ID_MASK in case.situation
    assert "陈大文" not in case.situation and "大文" not in case.situation
    assert case.solution == f"核实为未开通漫游流量包，按规则减免50%流量费。\n已致电{MOBILE_MASK}告知陈先生减免结果，客户满意。"
    assert case.category == "tariff" and not case.published and case.created_by == editor
    assert audits(case) == ["create"]
    assert SearchEntry.objects.filter(doc_type="case", doc_id=case.pk, live=False).exists()


def test_a_case_from_an_order_takes_the_given_title_solution_and_category(db, editor, closed_order):
    case = case_from_order(actor=editor, order=closed_order, title="漫游高额流量费减免", category="procedure",
                           solution="按规则减免，联系人陈大文 13800138000。", publish=True)
    assert (case.title, case.category, case.published) == ("漫游高额流量费减免", "procedure", True)
    assert case.solution == f"按规则减免，联系人陈** {MOBILE_MASK}。"


def test_one_case_per_order_and_only_closed_orders(db, editor, closed_order):
    case_from_order(actor=editor, order=closed_order)
    with pytest.raises(Conflict) as exc:
        case_from_order(actor=editor, order=closed_order)
    assert exc.value.code == "duplicate_case"
    from kefu.workorders.models import WorkOrder

    WorkOrder.objects.filter(pk=closed_order.pk).update(state="open")
    Case.objects.all().delete()
    closed_order.refresh_from_db()
    with pytest.raises(ValidationFailed) as exc:
        case_from_order(actor=editor, order=closed_order)
    assert exc.value.code == "order_not_closed"


def test_an_order_without_result_needs_a_solution(db, editor, closed_order):
    from kefu.workorders.models import WorkOrder

    WorkOrder.objects.filter(pk=closed_order.pk).update(result="", reply_text="")
    closed_order.refresh_from_db()
    with pytest.raises(ValidationFailed) as exc:
        case_from_order(actor=editor, order=closed_order)
    assert "solution" in exc.value.details


def test_editing_a_case_cleans_again_and_publishing_toggles(db, editor, closed_order):
    case = case_from_order(actor=editor, order=closed_order)
    case = case_update(actor=editor, case=case, data=CaseData(
        title=case.title, situation="客户陈大文再次来电 13900000001。", solution=case.solution, category="tariff"))
    assert case.situation == f"客户陈**再次来电 {MOBILE_MASK}。" and case.revision == 2
    case = case_set_published(actor=editor, case=case, published=True)
    assert case.published and SearchEntry.objects.get(doc_type="case", doc_id=case.pk).live
    with pytest.raises(Conflict):
        case_set_published(actor=editor, case=case, published=True)
    case = case_set_published(actor=editor, case=case, published=False)
    assert not SearchEntry.objects.get(doc_type="case", doc_id=case.pk).live
    assert audits(case) == ["create", "update", "update", "update"]


def test_a_hand_written_case_is_cleaned_too_and_can_be_deleted(db, editor):
    case = make_case(situation="客户13800138000反映无法上网。", actor=editor)
    assert MOBILE_MASK in case.situation
    case_delete(actor=editor, case=case)
    assert not Case.objects.exists() and not SearchEntry.objects.exists()
    assert AuditEntry.objects.filter(object_type="knowledge.case", action="delete").count() == 1
