// Starts Pagefind's search UI on the search page. Kept out of the HTML so the pages carry no
// inline script; the UI itself is written by Pagefind into pagefind/ at build time.
//
// The index is made of shards, one Pagefind bundle each (sitegen/search.py); pagefind/shards.json
// lists them by language. The first bundle of the page's language is the primary one (its
// pagefind.js and WebAssembly run the search) and the others are merged into it, so a reader
// searches them as one index: results ranked together, filter counts added up.
window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined" || !window.fetch) {
    return;
  }
  // Absolute paths: Pagefind resolves a relative one against its own script, not the page.
  var root = new URL(element.getAttribute("data-bundle"), document.baseURI);
  var site = new URL("..", root).pathname;

  // The shards of the page's language, as Pagefind picks a language within one bundle:
  // the exact code, else its primary subtag, else the language with the most pages.
  function shardsFor(languages, lang) {
    if (languages[lang]) {
      return languages[lang];
    }
    var primary = lang.split("-")[0];
    if (languages[primary]) {
      return languages[primary];
    }
    var best = null;
    var bestPages = -1;
    Object.keys(languages).forEach(function (key) {
      var pages = languages[key].reduce(function (sum, shard) { return sum + shard.pages; }, 0);
      if (pages > bestPages) {
        best = languages[key];
        bestPages = pages;
      }
    });
    return best || [];
  }

  function start(shards) {
    if (!shards.length) {
      return;
    }
    var paths = shards.map(function (shard) {
      return new URL(shard.bundle, root).pathname;
    });
    element.textContent = "";
    new PagefindUI({
      element: "#search",
      bundlePath: paths[0],
      mergeIndex: paths.slice(1).map(function (path) {
        return { bundlePath: path, baseUrl: site };
      }),
      baseUrl: site,
      showSubResults: false,
      showImages: false,
      resetStyles: false,
    });
    // Pagefind labels its box with a title only; the visible heading names it for everyone.
    var input = element.querySelector("input[type=text], input[type=search]");
    if (input) {
      input.setAttribute("aria-labelledby", "search-title");
    }
  }

  // "no-cache": asked again on every visit (a conditional request), so a cached list never
  // names bundles a newer build has replaced.
  fetch(new URL("shards.json", root), { cache: "no-cache" })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (manifest) {
      if (manifest && manifest.languages) {
        var lang = (document.documentElement.getAttribute("lang") || "unknown").toLowerCase();
        start(shardsFor(manifest.languages, lang));
      }
    })
    .catch(function () {
      // No index (the indexer was missing or failed): the links to browse by stay.
    });
});
