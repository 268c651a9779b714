// Starts Pagefind's search UI on the search page. Kept out of the HTML so the pages carry no
// inline script; the UI itself is written by Pagefind into pagefind/ at build time.
window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  element.textContent = "";
  new PagefindUI({
    element: "#search",
    bundlePath: element.getAttribute("data-bundle"),
    showSubResults: false,
    showImages: false,
    resetStyles: false,
  });
  // Pagefind labels its box with a title only; the visible heading names it for everyone.
  var input = element.querySelector("input[type=text], input[type=search]");
  if (input) {
    input.setAttribute("aria-labelledby", "search-title");
  }
});
