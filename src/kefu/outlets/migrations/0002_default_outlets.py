"""The four outlets every site has (SMS through the recorded gateway until a real one is set) and starter
templates in Simplified Chinese."""

from django.db import migrations

OUTLETS = [
    # code, name, kind, rate/s, burst, gateway
    ("sms", "短信", "sms", 50.0, 100, "recorded"),
    ("email", "电子邮件", "email", 10.0, 20, ""),
    ("inapp", "App 站内信", "inapp", 100.0, 200, ""),
    ("call", "外呼语音通知", "call", 5.0, 5, ""),
]

TEMPLATES = [
    ("sms", "bill_notice", "月度话费通知", "",
     "尊敬的客户，您{{ month }}的话费为{{ amount }}元，请于{{ due }}前缴纳。回复TD退订。"),
    ("sms", "arrears_notice", "欠费通知", "",
     "尊敬的客户，您的号码{{ number }}已欠费{{ amount }}元，为免影响使用，请及时缴费。回复TD退订。"),
    ("sms", "workorder_reply", "工单处理结果", "",
     "您好，您的工单{{ serial }}已处理完毕：{{ answer }}。如有疑问请致电客服热线。"),
    ("email", "bill_notice", "月度账单邮件", "您{{ month }}的账单",
     "尊敬的客户：\n\n您{{ month }}的话费为{{ amount }}元，请于{{ due }}前缴纳。\n\n客户服务中心"),
]


def create(apps, schema_editor):
    Outlet = apps.get_model("outlets", "Outlet")
    Template = apps.get_model("outlets", "Template")
    by_code = {}
    for code, name, kind, rate, burst, gateway in OUTLETS:
        by_code[code], _created = Outlet.objects.get_or_create(code=code, defaults={
            "name": name, "kind": kind, "rate_per_second": rate, "burst": burst, "tokens": float(burst),
            "gateway": gateway})
    for outlet, code, name, subject, body in TEMPLATES:
        Template.objects.get_or_create(outlet=by_code[outlet], code=code,
                                       defaults={"name": name, "subject": subject, "body": body})


class Migration(migrations.Migration):
    dependencies = [("outlets", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
