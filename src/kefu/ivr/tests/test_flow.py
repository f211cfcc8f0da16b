"""Flow validation (pure): every problem an editor can make is named, in Chinese by default."""

import copy

import pytest

from kefu.ivr import flow as flowdef
from kefu.ivr.default_flow import DEFINITION


def _problems(definition):
    return flowdef.problems_of(definition)


def _edit(change):
    d = copy.deepcopy(DEFINITION)
    change({n["id"]: n for n in d["nodes"]}, d)
    return d


def test_the_default_10086_flow_is_valid():
    flow = flowdef.parse(DEFINITION)
    assert flow.start == "welcome" and len(flow.nodes) == len(DEFINITION["nodes"])
    assert flowdef.queue_codes(flow) == {"GEN", "VIP"}


@pytest.mark.parametrize("bad", [None, [], {"start": "a"}, {"start": "a", "nodes": "x"}])
def test_a_definition_must_be_an_object_with_nodes(bad):
    assert _problems(bad) == ["流程必须是包含“start”和节点列表“nodes”的对象。"]


def test_an_unreachable_node_is_named():
    d = _edit(lambda n, d: d["nodes"].append({"id": "orphan", "type": "hangup"}))
    assert _problems(d) == ["从起始节点无法到达节点“orphan”。"]


def test_a_choice_to_a_missing_node_is_named():
    d = _edit(lambda n, d: n["main"]["choices"].update({"7": "nowhere"}))
    assert "节点“main”：“7”指向的节点“nowhere”不存在。" in _problems(d)


def test_dead_ends_are_found():
    # A menu whose keys and on-fail only lead back to itself never reaches a transfer or a hang-up.
    def change(n, d):
        d["nodes"].append({"id": "trap", "type": "menu", "prompt": "p", "choices": {"1": "trap"}, "timeout": 5,
                           "max_retries": 2, "on_fail": "trap"})
        n["main"]["choices"]["8"] = "trap"
    assert _problems(_edit(change)) == ["节点“trap”是死胡同：从它出发无法到达转接或挂机。"]


def test_missing_timeouts_and_retries_are_required():
    def change(n, d):
        del n["main"]["timeout"]
        n["main"]["max_retries"] = 0
    problems = _problems(_edit(change))
    assert "节点“main”：必须填写“超时（秒）”。" in problems
    assert "节点“main”：“最多尝试次数”必须是 1 到 9 之间的整数。" in problems


def test_keys_must_be_telephone_keys_and_lead_somewhere():
    problems = _problems(_edit(lambda n, d: n["main"]["choices"].update({"10": "agent", "5": ""})))
    assert "节点“main”：“10”不是电话按键（0-9、* 或 #）。" in problems
    assert "节点“main”：按键“5”没有指向任何节点。" in problems


def test_a_menu_needs_at_least_one_key():
    problems = _problems(_edit(lambda n, d: n["more"].update(choices={})))
    assert "节点“more”：必须填写“按键”。" in problems


def test_ids_types_and_fields_are_checked():
    def change(n, d):
        d["nodes"] += [{"id": "bad id!", "type": "play"}, {"id": "welcome", "type": "play", "text": "x", "next": "main"},
                       {"id": "x1", "type": "dance"}, {"id": "x2", "type": "hangup", "colour": "red"}]
        n["q_bill"]["query"] = "horoscope"
        n["q_bill"]["subject"] = "someone"
        n["agent"]["queue"] = "not a code"
        n["welcome"]["text"] = "长" * 501
    problems = _problems(_edit(change))
    index = len(DEFINITION["nodes"]) + 1
    assert f"第 {index} 个节点：编号只能使用字母、数字、“_”和“-”（最多 32 个字符）。" in problems
    assert "节点编号“welcome”重复。" in problems
    assert "节点“x1”的类型“dance”未知。" in problems
    assert "节点“x2”：未知字段“colour”。" in problems
    assert "节点“q_bill”：“horoscope”不是有效的“查询内容”。" in problems
    assert any(p.startswith("节点“q_bill”：“查询哪个号码”必须是") for p in problems)
    assert "节点“agent”：“队列”必须是队列代码。" in problems
    assert "节点“welcome”：“放音内容”超过 500 个字符。" in problems


def test_a_loop_of_plays_that_never_waits_is_refused():
    d = {"start": "a", "nodes": [
        {"id": "a", "type": "play", "text": "甲", "next": "b"},
        {"id": "b", "type": "play", "text": "乙", "next": "a"},
        {"id": "m", "type": "menu", "prompt": "p", "choices": {"1": "a"}, "timeout": 5, "max_retries": 1,
         "on_fail": "end"},
        {"id": "end", "type": "hangup"},
    ]}
    problems = _problems(d)
    assert "节点 a → b → a 构成了不等待来电者输入的死循环。" in problems


def test_a_loop_through_a_menu_is_fine():
    flowdef.parse({"start": "m", "nodes": [
        {"id": "m", "type": "menu", "prompt": "p", "choices": {"1": "p", "2": "end"}, "timeout": 5,
         "max_retries": 1, "on_fail": "end"},
        {"id": "p", "type": "play", "text": "t", "next": "m"},
        {"id": "end", "type": "hangup"},
    ]})


def test_the_start_must_exist():
    d = copy.deepcopy(DEFINITION)
    d["start"] = "nope"
    assert "起始节点“nope”不存在。" in _problems(d)


def test_empty_terminator_is_a_real_value_and_defaults_fill_unset_fields():
    node = flowdef.Node(id="c", type="collect", data={"terminator": ""})
    assert node.get("terminator") == "" and node.get("timeout") == 8
    assert flowdef.Node(id="c", type="collect", data={}).get("terminator") == "#"


def test_new_nodes_start_with_defaults_for_the_editor():
    node = flowdef.new_node("menu", "m1")
    assert node == {"id": "m1", "type": "menu", "prompt": "", "choices": {}, "timeout": 8, "max_retries": 3,
                    "on_fail": ""}
