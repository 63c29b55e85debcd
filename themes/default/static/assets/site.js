// Press "/" anywhere (outside a text field) to jump to the search box.
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  const box = document.getElementById("search-input") || document.querySelector(".site-search input");
  if (box) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});
