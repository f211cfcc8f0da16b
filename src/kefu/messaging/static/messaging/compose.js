// The compose page's people picker: a found person's button adds their 工号 to the people field.
document.addEventListener("click", (ev) => {
  const btn = ev.target.closest("[data-add-employee]");
  if (!btn) return;
  const field = document.querySelector(btn.dataset.target);
  if (!field) return;
  const words = field.value.split(/[\s,，]+/).filter(Boolean);
  if (!words.includes(btn.dataset.addEmployee)) words.push(btn.dataset.addEmployee);
  field.value = words.join(", ");
});
