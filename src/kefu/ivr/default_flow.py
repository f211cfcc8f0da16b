"""The IVR Kefu starts with for hotline 10086 (seeded by ``ivr_seed``).

Menu: 1 this month's bill (own number, no password), 2 detailed bill
(service password), 3 points, 4 balance, arrears and payments, 5 work-order
progress, 9 VIP/agent (VIP customers to queue VIP, others to GEN, one level
up), 0 agent. Missing or wrong keys three times, or a failed identity check,
go to an agent. Texts are what the caller hears, so they are Chinese data.
"""

from __future__ import annotations

HOTLINE = "10086"
NAME = "10086 客服热线"


def _query(node_id, query, next_node="offer", **extra):
    return {"id": node_id, "type": "query", "query": query, "subject": "caller", "timeout": 10, "max_retries": 3,
            "next": next_node, "on_fail": "agent", **extra}


DEFINITION: dict = {
    "start": "welcome",
    "nodes": [
        {"id": "welcome", "type": "play", "name": "欢迎语", "text": "您好，欢迎致电中国移动10086客服热线。",
         "next": "main"},
        {"id": "main", "type": "menu", "name": "主菜单",
         "prompt": "查询本月话费请按1，查询详细账单请按2，查询积分请按3，查询余额、欠费和缴费记录请按4，"
                   "查询工单处理进度请按5，大客户及人工服务请按9，人工服务请按0。",
         "choices": {"1": "q_bill", "2": "q_detail", "3": "q_points", "4": "q_balance", "5": "wo_menu",
                     "9": "vip", "0": "agent"},
         "timeout": 8, "max_retries": 3, "on_fail": "agent", "invalid_text": "对不起，您的输入有误。"},
        _query("q_bill", "bill_current", name="本月话费"),
        _query("q_detail", "bill_detail", name="详细账单", require_password=True),
        _query("q_points", "points", name="积分查询"),
        _query("q_balance", "balance", next_node="q_arrears", name="余额查询"),
        _query("q_arrears", "arrears", next_node="q_payments", name="欠费查询"),
        _query("q_payments", "payments", name="缴费记录"),
        {"id": "wo_menu", "type": "menu", "name": "工单进度菜单",
         "prompt": "查询您最近一张在办工单的进度请按1，按工单编号查询请按2，返回主菜单请按星号键。",
         "choices": {"1": "q_wo_latest", "2": "q_wo_serial", "*": "main"},
         "timeout": 8, "max_retries": 3, "on_fail": "agent", "invalid_text": "对不起，您的输入有误。"},
        _query("q_wo_latest", "workorder", name="最近工单进度", by="latest"),
        _query("q_wo_serial", "workorder", name="按编号查工单", by="serial"),
        {"id": "offer", "type": "offer_send", "name": "发送查询结果",
         "prompt": "如需将查询结果以短信发送到您的手机请按1，发送到139邮箱请按2，回电为您播报请按3，继续请按其他键。",
         "timeout": 6, "next": "more"},
        {"id": "more", "type": "menu", "name": "查询后菜单",
         "prompt": "返回主菜单请按星号键，转人工服务请按0，结束通话请按井号键。",
         "choices": {"*": "main", "0": "agent", "#": "bye"},
         "timeout": 8, "max_retries": 2, "on_fail": "bye", "invalid_text": "对不起，您的输入有误。"},
        {"id": "vip", "type": "transfer", "name": "大客户及人工", "queue": "GEN", "vip_queue": "VIP",
         "priority_boost": 1, "text": "正在为您转接人工服务，请稍候。"},
        {"id": "agent", "type": "transfer", "name": "人工服务", "queue": "GEN",
         "text": "正在为您转接人工服务，请稍候。"},
        {"id": "bye", "type": "hangup", "name": "结束", "text": "感谢您的来电，再见！"},
    ],
}
