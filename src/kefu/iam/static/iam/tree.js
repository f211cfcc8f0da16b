// Permission-tree editor: a ticked node covers its subtree, so ticking a
// parent ticks its children and unticking a child unticks its ancestors.
// Locked (disabled) boxes are never touched: the server keeps them as they are.
(function () {
  function own(li) { return li.querySelector(":scope > label > input[type=checkbox]"); }
  function refresh(tree) {
    tree.querySelectorAll("li").forEach((li) => {
      const box = own(li);
      const below = li.querySelectorAll(":scope > ul input[type=checkbox]");
      if (!box || !below.length) return;
      const some = Array.from(below).some((c) => c.checked);
      box.indeterminate = !box.checked && some;
    });
  }
  document.addEventListener("change", (ev) => {
    const box = ev.target;
    const tree = box.closest && box.closest(".perm-tree");
    if (!tree || box.type !== "checkbox") return;
    const li = box.closest("li");
    li.querySelectorAll(":scope > ul input[type=checkbox]").forEach((c) => { if (!c.disabled) c.checked = box.checked; });
    if (!box.checked) {
      let up = li.parentElement.closest("li");
      while (up) { const b = own(up); if (b && !b.disabled) b.checked = false; up = up.parentElement.closest("li"); }
    }
    refresh(tree);
  });
  document.addEventListener("click", (ev) => {
    const btn = ev.target.closest("[data-tree-all], [data-tree-none]");
    if (!btn) return;
    const tree = btn.closest(".perm-tree");
    const on = btn.hasAttribute("data-tree-all");
    tree.querySelectorAll("input[type=checkbox]").forEach((c) => { if (!c.disabled) c.checked = on; });
    refresh(tree);
  });
  document.addEventListener("DOMContentLoaded", () => document.querySelectorAll(".perm-tree").forEach(refresh));
})();
