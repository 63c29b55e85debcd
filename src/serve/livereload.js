// hindsight serve: reloads the page when the site is rebuilt, and shows build errors on top
// of the page until they are fixed. Injected by the dev server only, never into `build` output.
(() => {
  const loaded = window.__hindsightGeneration;
  const overlay = (errors) => {
    let box = document.getElementById("hindsight-overlay");
    if (!errors.length) { box?.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "hindsight-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "background:#2b0b0b;color:#ffe9e9;font:14px/1.5 ui-monospace,monospace;padding:1rem 1.25rem;" +
        "border-top:4px solid #ff5c5c;white-space:pre-wrap";
      document.body.append(box);
    }
    box.replaceChildren();
    const title = document.createElement("strong");
    title.textContent = `hindsight: ${errors.length} error${errors.length === 1 ? "" : "s"}; the last good version is shown\n`;
    box.append(title);
    for (const e of errors) {
      const line = document.createElement("div");
      line.className = "hindsight-error";
      line.textContent = `${e.position}: ${e.code}: ${e.message}${e.help ? `\n  help: ${e.help}` : ""}`;
      box.append(line);
    }
  };
  const apply = (status) => {
    window.__hindsightConnected = true;
    if (!status.errors.length && status.generation !== loaded) { location.reload(); return; }
    overlay(status.errors);
  };
  // The first message is the status at the moment of connecting, so a rebuild that finished
  // while this page loaded is not missed: the page reloads, or shows its errors.
  const events = new EventSource("/__hindsight/events");
  events.onmessage = (message) => apply(JSON.parse(message.data));
})();
