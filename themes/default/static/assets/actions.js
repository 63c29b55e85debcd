// Live filtering of action-item tables. Without JavaScript the form stays hidden and the
// per-owner and per-team pages do the filtering; with it, rows are shown or hidden in place.
const UNFINISHED = new Set(["open", "in-progress", "blocked"]);

function matches(row, form) {
  const status = form.elements.status.value;
  const flags = (row.dataset.flags || "").split(" ");
  if (status === "unfinished" && !UNFINISHED.has(row.dataset.status)) return false;
  if (["overdue", "past-sla", "no-due"].includes(status) && !flags.includes(status)) return false;
  if (UNFINISHED.has(status) || status === "done" || status === "wont-do") {
    if (row.dataset.status !== status) return false;
  }
  const priority = form.elements.priority.value;
  if (priority && row.dataset.priority !== priority) return false;
  const severity = form.elements.severity.value;
  if (severity && row.dataset.severity !== severity) return false;
  const team = form.elements.team ? form.elements.team.value : "";
  if (team && !(row.dataset.teams || "").split("\n").includes(team)) return false;
  const text = form.elements.text.value.trim().toLowerCase();
  return !text || row.textContent.toLowerCase().includes(text);
}

function setUp(form) {
  const table = form.parentElement.querySelector("table[data-filterable]");
  if (!table) return;
  const rows = Array.from(table.tBodies[0].rows);
  const output = form.querySelector("output");
  const apply = () => {
    let shown = 0;
    for (const row of rows) {
      const show = matches(row, form);
      row.hidden = !show;
      if (show) shown += 1;
    }
    output.textContent = shown === rows.length ? "" : `Showing ${shown} of ${rows.length} items`;
  };
  form.addEventListener("input", apply);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.hidden = false;
}

document.querySelectorAll("form[data-filters]").forEach(setUp);
