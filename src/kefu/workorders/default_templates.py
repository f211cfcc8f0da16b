"""The process templates Kefu starts with, one per kind (SPEC §4).

Administrators edit copies of these in the template editor; each edit is a
new version, and running orders keep the version they started with.
Station names are data (Chinese as used on the floor, English alongside).
"""

from __future__ import annotations


def _st(code, name, name_en, actions, holder="assignee", final=False):
    return {"code": code, "name": name, "name_en": name_en, "holder": holder, "final": final, "actions": actions}


CLOSED = _st("closed", "已关闭", "Closed", {"reopen": "@appeal"}, holder="creator", final=True)

DEFAULTS: dict[str, dict] = {
    "complaint": {
        "start": "accept",
        "stations": [
            _st("accept", "受理", "Accept", {"accept": "dispatch", "withdraw": "closed", "urge": "@stay"},
                holder="creator"),
            _st("dispatch", "派单", "Dispatch", {"dispatch": "process", "forward": "@stay", "withdraw": "closed",
                                                "urge": "@stay", "escalate": "@stay"}, holder="province"),
            _st("process", "处理", "Process", {"process": "review", "return": "dispatch", "forward": "@stay",
                                               "urge": "@stay", "escalate": "@stay"}),
            _st("review", "复核", "Review", {"review": "reply", "return": "process", "urge": "@stay"},
                holder="province"),
            _st("reply", "回复客户", "Reply to customer", {"reply": "close", "return": "process", "urge": "@stay"},
                holder="creator"),
            _st("close", "结案", "Close", {"close": "closed", "return": "reply"}, holder="creator"),
            CLOSED,
        ],
    },
    "appeal": {
        "start": "accept",
        "stations": [
            _st("accept", "受理", "Accept", {"accept": "verify", "withdraw": "closed", "urge": "@stay"},
                holder="creator"),
            _st("verify", "核实", "Verify", {"verify": "dispatch", "withdraw": "closed", "urge": "@stay",
                                            "forward": "@stay"}, holder="province"),
            _st("dispatch", "派单", "Dispatch", {"dispatch": "process", "forward": "@stay", "urge": "@stay"},
                holder="province"),
            _st("process", "处理", "Process", {"process": "report", "return": "dispatch", "urge": "@stay",
                                               "escalate": "@stay"}),
            _st("report", "上报", "Report upward", {"report": "reply", "return": "process", "urge": "@stay"},
                holder="province"),
            _st("reply", "回复客户", "Reply to customer", {"reply": "close", "urge": "@stay"}, holder="creator"),
            _st("close", "结案", "Close", {"close": "closed", "return": "reply"}, holder="creator"),
            CLOSED,
        ],
    },
    "suggestion": {
        "start": "accept",
        "stations": [
            _st("accept", "受理", "Accept", {"accept": "review", "withdraw": "closed"}, holder="creator"),
            _st("review", "复核", "Review", {"review": {"valid": "dispatch", "invalid": "closed"},
                                            "withdraw": "closed"}, holder="province"),
            _st("dispatch", "派单", "Dispatch", {"dispatch": "process", "urge": "@stay"}, holder="province"),
            _st("process", "处理", "Process", {"process": "reply", "return": "dispatch", "urge": "@stay"}),
            # 采纳反馈: the adoption (adopted / under study / not adopted) is told to the customer, also later.
            _st("reply", "反馈", "Feedback", {"reply": "closed", "adoption": "@stay"}, holder="creator"),
            _st("closed", "已关闭", "Closed", {"adoption": "@stay"}, holder="creator", final=True),
        ],
    },
    "inquiry": {
        "start": "accept",
        "stations": [
            _st("accept", "受理", "Accept", {"accept": "process", "reply": "closed", "withdraw": "closed"},
                holder="creator"),
            _st("process", "处理", "Process", {"process": "reply", "return": "accept", "forward": "@stay",
                                               "urge": "@stay", "escalate": "@stay"}),
            _st("reply", "回复客户", "Reply to customer", {"reply": "closed", "urge": "@stay"}, holder="creator"),
            CLOSED,
        ],
    },
    "business": {
        "start": "accept",
        "stations": [
            _st("accept", "受理", "Accept", {"accept": "process", "dispatch": "process", "withdraw": "closed"},
                holder="creator"),
            _st("process", "办理", "Carry out", {"process": "reply", "return": "accept", "urge": "@stay",
                                                 "escalate": "@stay", "forward": "@stay"}),
            _st("reply", "回复客户", "Reply to customer", {"reply": "closed", "urge": "@stay"}, holder="creator"),
            CLOSED,
        ],
    },
    "fault": {
        "start": "receive",
        "stations": [
            _st("receive", "受理", "Receive", {"accept": "locate", "dispatch": "locate", "withdraw": "closed"},
                holder="creator"),
            _st("locate", "故障定位", "Locate", {"locate": "repair", "return": "receive", "forward": "@stay",
                                                 "urge": "@stay", "escalate": "@stay"}),
            _st("repair", "修复", "Repair", {"repair": "verify", "return": "locate", "urge": "@stay",
                                             "escalate": "@stay"}),
            _st("verify", "验证", "Verify", {"verify": "notify", "return": "repair", "urge": "@stay"},
                holder="previous"),  # whoever located the fault checks the repair
            _st("notify", "告知客户", "Tell the customer", {"reply": "closed", "urge": "@stay"}, holder="creator"),
            CLOSED,
        ],
    },
    "coordination": {
        "start": "receive",
        "stations": [
            _st("receive", "接收", "Receive", {"accept": "process", "return": "closed"}),
            _st("process", "处理", "Process", {"process": "answer", "forward": "@stay", "urge": "@stay",
                                               "escalate": "@stay"}),
            _st("answer", "答复", "Answer back", {"answer": "closed"}),
            CLOSED,
        ],
    },
}
