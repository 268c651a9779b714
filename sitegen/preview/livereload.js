// sitegen preview: reloads this page after a rebuild and shows build errors over it.
(() => {
  "use strict";
  const MOUNT = %(mount)s;
  const EVENTS = %(events)s;
  const ASSET = /\.(css|m?js|svg|png|jpe?g|gif|webp|avif|ico|woff2?|ttf|otf)$/i;
  let build = %(build)s;
  let source = null;
  let reloading = false;

  function sitePath(path) {
    if (path === "index.html") return "";
    return path.endsWith("/index.html") ? path.slice(0, -"index.html".length) : path;
  }
  function ownPath() {
    let path = location.pathname;
    try { path = decodeURIComponent(path); } catch (e) { /* keep it encoded */ }
    return sitePath(path.startsWith(MOUNT) ? path.slice(MOUNT.length) : path.slice(1));
  }
  function isNotFoundPage() {
    const nav = performance.getEntriesByType ? performance.getEntriesByType("navigation") : [];
    return nav.length > 0 && nav[0].responseStatus === 404;
  }
  function affected(changed) {
    if (changed === null) return true;
    const own = ownPath();
    return changed.some((path) => sitePath(path) === own || ASSET.test(path) ||
                                  (path === "404.html" && isNotFoundPage()));
  }
  function reload() {
    if (!reloading) { reloading = true; location.reload(); }
  }
  function styled(tag, css) {
    const element = document.createElement(tag);
    element.style.cssText = css;
    return element;
  }
  function showErrors(messages) {
    let overlay = document.getElementById("sitegen-overlay");
    if (messages.length === 0) {
      if (overlay) { overlay.remove(); reload(); }
      return;
    }
    if (!overlay) {
      overlay = styled("div", "position:fixed;top:0;left:0;right:0;z-index:2147483647;" +
        "max-height:100vh;overflow:auto;box-sizing:border-box;margin:0;padding:1rem 1.25rem;" +
        "background:#fff4f4;color:#1a1a1a;border-bottom:4px solid #b00020;" +
        "box-shadow:0 2px 12px rgba(0,0,0,.3);font:16px/1.4 system-ui,sans-serif;" +
        "text-align:left;direction:ltr");
      overlay.id = "sitegen-overlay";
      overlay.setAttribute("role", "alert");
      const heading = styled("h2", "margin:0 0 .5rem;font:bold 1.25rem/1.3 system-ui," +
        "sans-serif;color:#b00020");
      heading.textContent = "Build failed";
      const pre = styled("pre", "margin:0;white-space:pre-wrap;overflow-wrap:anywhere;" +
        "font:14px/1.5 ui-monospace,monospace;color:#1a1a1a;background:none");
      overlay.append(heading, pre);
      (document.body || document.documentElement).appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = messages.join("\n");
  }
  function connect() {
    if (source !== null) return;
    source = new EventSource(EVENTS);
    source.addEventListener("hello", (event) => {
      const hello = JSON.parse(event.data);
      if (hello.build !== build) { reload(); return; }
      if (!hello.errors) showErrors([]);
    });
    source.addEventListener("reload", (event) => {
      build = event.lastEventId;
      if (affected(JSON.parse(event.data))) reload();
    });
    source.addEventListener("errors", (event) => showErrors(JSON.parse(event.data)));
  }
  function disconnect() {
    if (source !== null) { source.close(); source = null; }
  }
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) { disconnect(); } else { connect(); }
  });
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && !document.hidden) connect();
  });
  if (!document.hidden) connect();
})();
