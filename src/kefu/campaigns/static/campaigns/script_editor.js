// The campaign script editor: steps (what to say, a question) kept as JSON in the form's hidden field.
(function () {
  "use strict";
  const form = document.getElementById("campaign-form");
  if (!form) return;
  const list = document.getElementById("script-steps");
  const tpl = document.getElementById("tpl-step");
  const hidden = form.querySelector("input[name=script]");

  function add(step) {
    const li = tpl.content.firstElementChild.cloneNode(true);
    li.querySelector("[data-part=text]").value = (step && step.text) || "";
    li.querySelector("[data-part=question]").value = (step && step.question) || "";
    list.append(li);
    return li;
  }
  function collect() {
    return Array.from(list.children).map((li) => ({
      text: li.querySelector("[data-part=text]").value.trim(),
      question: li.querySelector("[data-part=question]").value.trim(),
    })).filter((s) => s.text || s.question);
  }

  let steps = [];
  try { steps = JSON.parse(JSON.parse(document.getElementById("script-data").textContent) || "[]"); } catch (e) { steps = []; }
  (Array.isArray(steps) ? steps : []).forEach(add);
  if (!list.children.length) add();

  document.getElementById("script-add").addEventListener("click", () => add().querySelector("textarea").focus());
  list.addEventListener("click", (ev) => {
    const btn = ev.target.closest("[data-step]");
    if (!btn) return;
    const li = btn.closest("li");
    if (btn.dataset.step === "remove") li.remove();
    if (btn.dataset.step === "up" && li.previousElementSibling) list.insertBefore(li, li.previousElementSibling);
  });
  form.addEventListener("submit", () => { hidden.value = JSON.stringify(collect()); });
})();
