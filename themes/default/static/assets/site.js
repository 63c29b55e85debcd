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

// A box that scrolls sideways (a wide table, a long line of code, a big chart) joins the tab
// order, so it can be scrolled from the keyboard; one that fits stays out of it.
function focusScrollers() {
  for (const box of document.querySelectorAll(".table-scroll, .chart-figure, .body pre, .body table")) {
    if (box.scrollWidth > box.clientWidth) box.tabIndex = 0;
    else box.removeAttribute("tabindex");
  }
}
focusScrollers();
let resizing = 0;
window.addEventListener("resize", () => {
  cancelAnimationFrame(resizing);
  resizing = requestAnimationFrame(focusScrollers);
});
