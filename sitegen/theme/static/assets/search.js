// The search page: the search box, the filters and the results, drawn by this script over
// Pagefind's search API (the pagefind.js of the index's bundles). Kept out of the HTML so the
// pages carry no inline script.
//
// Everything that comes out of the index is a writer's text (titles, claimants, topics,
// verdict labels, the words of an excerpt) and is put on the page as text only: textContent
// and DOM nodes, never innerHTML. Pagefind's own UI inserts filter values and excerpts as
// HTML, so a claimant named `<img onerror=...>` ran script on the search page; this script
// replaces it (docs/search.md).
//
// The index is made of shards, one Pagefind bundle each (sitegen/search/); pagefind/shards.json
// lists them by language. The first bundle of the page's language is the primary one (its
// pagefind.js and WebAssembly run the search) and the others are merged into it, so a reader
// searches them as one index: results ranked together, filter counts added up.
window.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var PAGE_SIZE = 10;
  var DEBOUNCE_MS = 300;
  var EXCERPT_WORDS = 30;
  var ZERO_WIDTH_SPACE = "\u200B";

  var element = document.getElementById("search");
  if (!element || !window.fetch || !window.URL || !window.Promise) {
    return;
  }
  // Absolute paths: a bundle's pagefind.js is imported from any page depth.
  var root = new URL(element.getAttribute("data-bundle"), document.baseURI);
  var site = new URL("..", root).pathname;

  function say(name) {
    return element.getAttribute("data-text-" + name) || "";
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

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

  // --- excerpts ------------------------------------------------------------------------------

  // The page's words as Pagefind numbers them (its match locations index these). Pagefind
  // hands over `raw_content`, the text with < and > written as &lt; and &gt; (and, in
  // languages without spaces, zero-width spaces between words), and `content`, the text
  // itself without those spaces. Reading both side by side gives the words as the writer
  // wrote them: a literal "&lt;" in the text stays "&lt;", a "<" is a "<".
  function wordsOf(data) {
    var content = data.content || "";
    var raw = data.raw_content || content;
    var text = "";
    var c = 0;
    for (var r = 0; r < raw.length;) {
      if (raw[r] === ZERO_WIDTH_SPACE && content[c] !== ZERO_WIDTH_SPACE) {
        text += ZERO_WIDTH_SPACE;
        r += 1;
      } else if (raw.startsWith("&lt;", r) && content[c] === "<") {
        text += "<";
        r += 4;
        c += 1;
      } else if (raw.startsWith("&gt;", r) && content[c] === ">") {
        text += ">";
        r += 4;
        c += 1;
      } else {
        text += raw[r];
        r += 1;
        c += 1;
      }
    }
    var spaced = text.indexOf(ZERO_WIDTH_SPACE) === -1;
    return { words: spaced ? text.split(/[\r\n\s]+/g) : text.split(ZERO_WIDTH_SPACE),
             joiner: spaced ? " " : "" };
  }

  // The first word of the EXCERPT_WORDS-long stretch that holds the most matches.
  function excerptStart(locations) {
    var best = 0;
    var bestCount = -1;
    locations.forEach(function (location) {
      var start = Math.max(0, location - 3);
      var count = locations.filter(function (l) {
        return l >= start && l < start + EXCERPT_WORDS;
      }).length;
      if (count > bestCount) {
        best = start;
        bestCount = count;
      }
    });
    return best;
  }

  function excerpt(data) {
    var found = wordsOf(data);
    var locations = (data.locations || []).slice().sort(function (a, b) { return a - b; });
    var marked = {};
    locations.forEach(function (l) { marked[l] = true; });
    var start = excerptStart(locations);
    var paragraph = make("p", "search__excerpt");
    var pending = "";
    var first = true;
    for (var i = start; i < Math.min(found.words.length, start + EXCERPT_WORDS); i += 1) {
      var word = found.words[i];
      if (!word) {
        continue;
      }
      pending += first ? "" : found.joiner;
      first = false;
      if (marked[i]) {
        paragraph.appendChild(document.createTextNode(pending));
        paragraph.appendChild(make("mark", null, word));
        pending = "";
      } else {
        pending += word;
      }
    }
    paragraph.appendChild(document.createTextNode(pending));
    paragraph.normalize();
    return paragraph;
  }

  // --- the page ------------------------------------------------------------------------------

  // The verdict scale the page carries (search.html's <template>), truest first: each
  // verdict's id (what the index holds) and the theme's badge for it, copied where shown.
  function verdictScale() {
    var template = document.getElementById("search-verdicts");
    var scale = { order: [], badges: {} };
    if (!template || !template.content) {
      return scale;
    }
    Array.prototype.forEach.call(template.content.querySelectorAll("[data-verdict]"),
      function (node) {
        var id = node.getAttribute("data-verdict");
        scale.order.push(id);
        scale.badges[id] = node.firstElementChild;
      });
    return scale;
  }

  // `template` with each {name} replaced by the node in `values`, as nodes: a writer's name
  // goes in as the text of its own element, never through a string that is parsed.
  function fillNodes(parent, template, values) {
    var pattern = /\{(\w+)\}/g;
    var last = 0;
    var found;
    while ((found = pattern.exec(template)) !== null) {
      parent.appendChild(document.createTextNode(template.slice(last, found.index)));
      if (values[found[1]]) {
        parent.appendChild(values[found[1]]);
      }
      last = pattern.lastIndex;
    }
    parent.appendChild(document.createTextNode(template.slice(last)));
    return parent;
  }

  // The search box, the filters' pane and the results' pane, in place of the no-script text.
  function layout() {
    element.textContent = "";
    var form = make("form", "search__form");
    form.setAttribute("role", "search");
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    var input = make("input", "search__input");
    input.type = "search";
    input.name = "q";
    input.autocomplete = "off";
    input.spellcheck = false;
    // The visible heading names the box for everyone.
    input.setAttribute("aria-labelledby", "search-title");
    form.appendChild(input);
    element.appendChild(form);

    var panes = make("div", "search__panes");
    var parts = { input: input, filters: make("div", "search__filters"),
                  clear: make("button", "search__clear", say("clear")),
                  message: make("p", "search__message"), list: make("ol", "search__list"),
                  more: make("button", "search__more", say("more")) };
    parts.filters.setAttribute("role", "group");
    parts.filters.setAttribute("aria-label", say("filters"));
    parts.message.setAttribute("role", "status");
    parts.more.type = "button";
    parts.more.hidden = true;
    parts.clear.type = "button";
    parts.clear.hidden = true;
    var results = make("div", "search__results");
    results.appendChild(parts.message);
    results.appendChild(parts.list);
    results.appendChild(parts.more);
    panes.appendChild(parts.filters);
    panes.appendChild(results);
    element.appendChild(panes);
    return parts;
  }

  // --- the address ---------------------------------------------------------------------------

  // A search is an address: ?q=the+words&verdict=false&claimant=..., one parameter per ticked
  // value, so a reader can share, bookmark or come back to it.
  function readAddress() {
    var params = new URLSearchParams(window.location.search);
    var ticked = {};
    params.forEach(function (value, key) {
      if (key !== "q") {
        (ticked[key] = ticked[key] || {})[value] = true;
      }
    });
    return { term: params.get("q") || "", ticked: ticked };
  }

  // The page's address follows the box and the filters (replaced, not pushed: typing a word
  // must not fill the history with its every letter). Parameters of others are kept.
  function writeAddress(term, filters) {
    var address = new URL(window.location.href);
    var params = new URLSearchParams();
    if (term) {
      params.append("q", term);
    }
    Object.keys(filters).forEach(function (group) {
      filters[group].any.forEach(function (value) { params.append(group, value); });
    });
    var query = params.toString();
    address.search = query ? "?" + query : "";
    if (address.href !== window.location.href) {
      window.history.replaceState(window.history.state, "", address.href);
    }
  }

  function start(pagefind, allFilters) {
    var parts = layout();
    var input = parts.input;
    var filterPane = parts.filters;
    var message = parts.message;
    var list = parts.list;
    var more = parts.more;
    var scale = verdictScale();
    var boxes = filterBoxes(filterPane, allFilters, scale);
    filterPane.appendChild(parts.clear);
    var searchId = 0;
    var current = null;
    var shown = 0;

    function chosen() {
      var filters = {};
      boxes.forEach(function (box) {
        if (box.input.checked) {
          (filters[box.group] = filters[box.group] || { any: [] }).any.push(box.value);
        }
      });
      return filters;
    }

    function showCounts(counts) {
      boxes.forEach(function (box) {
        var group = counts[box.group] || {};
        box.count.textContent = " (" + (group[box.value] || 0) + ")";
      });
    }

    function showMore(id) {
      var page = current.results.slice(shown, shown + PAGE_SIZE);
      shown += page.length;
      more.hidden = true;
      return Promise.all(page.map(function (result) { return result.data(); }))
        .then(function (pages) {
          if (id !== searchId) {
            return;
          }
          pages.forEach(function (data) {
            list.appendChild(resultItem(data, scale, say("result-meta")));
          });
          more.hidden = shown >= current.results.length;
        });
    }

    function run() {
      var id = ++searchId;
      var term = input.value.trim();
      var filters = chosen();
      var filtered = Object.keys(filters).length > 0;
      writeAddress(term, filters);
      parts.clear.hidden = !filtered;
      if (!term && !filtered) {
        current = null;
        list.textContent = "";
        message.textContent = "";
        more.hidden = true;
        showCounts(allFilters);
        return;
      }
      // With no words, every page the filters let through, newest first.
      var options = term ? { filters: filters } : { filters: filters, sort: { date: "desc" } };
      pagefind.debouncedSearch(term || null, options, term ? DEBOUNCE_MS : 0)
        .then(function (found) {
          if (found === null || id !== searchId) {
            return null;
          }
          current = found;
          shown = 0;
          list.textContent = "";
          showCounts(found.filters || {});
          var count = found.results.length;
          message.textContent = count ? fill(say("count"), { n: count }) : say("none");
          return showMore(id);
        })
        .catch(function () {
          message.textContent = say("failed");
        });
    }

    input.addEventListener("input", run);
    filterPane.addEventListener("change", run);
    parts.clear.addEventListener("click", function () {
      boxes.forEach(function (box) { box.input.checked = false; });
      run();
      input.focus();
    });
    more.addEventListener("click", function () {
      showMore(searchId).catch(function () { message.textContent = say("failed"); });
    });
    var address = readAddress();
    input.value = address.term;
    tick(boxes, address.ticked);
    showCounts(allFilters);
    if (address.term || Object.keys(address.ticked).length) {
      run();
    }
  }

  // The boxes an address names ticked, and their filters opened to show it.
  function tick(boxes, ticked) {
    boxes.forEach(function (box) {
      if (ticked[box.group] && ticked[box.group][box.value] === true) {
        box.input.checked = true;
        box.block.open = true;
      }
    });
  }

  // The values of a filter in the order a reader looks for them: verdicts in the scale's
  // order (truest first), any other filter alphabetically in the page's language.
  function orderedValues(group, values, scale) {
    var collator = new Intl.Collator(document.documentElement.lang || undefined);
    if (group !== "verdict") {
      return values.sort(collator.compare);
    }
    function rank(value) {
      var at = scale.order.indexOf(value);
      return at === -1 ? scale.order.length : at;
    }
    return values.sort(function (a, b) { return rank(a) - rank(b) || collator.compare(a, b); });
  }

  // One group of check boxes per filter (verdict, claimant, topic), each value a box.
  function filterBoxes(pane, allFilters, scale) {
    var boxes = [];
    var theme = ["verdict", "claimant", "topic"];
    var groups = theme.filter(function (group) { return group in allFilters; }).concat(
      Object.keys(allFilters).filter(function (group) { return theme.indexOf(group) === -1; })
        .sort());
    groups.forEach(function (group) {
      var values = orderedValues(group, Object.keys(allFilters[group]), scale);
      if (!values.length) {
        return;
      }
      var block = make("details", "search__filter search__filter--" + group.replace(/\W/g, "-"));
      var name = say("filter-" + group) || group;
      block.appendChild(make("summary", "search__filter-name", name));
      var options = make("div", "search__filter-options");
      options.setAttribute("role", "group");
      options.setAttribute("aria-label", name);
      values.forEach(function (value) {
        var label = make("label", "search__filter-label");
        var input = make("input", "search__filter-box");
        input.type = "checkbox";
        input.name = group;
        input.value = value;
        var count = make("span", "search__filter-count");
        label.appendChild(input);
        var badge = group === "verdict" && scale.badges[value];
        label.appendChild(badge ? badge.cloneNode(true)
                                : make("span", "search__filter-value", value));
        label.appendChild(count);
        options.appendChild(label);
        boxes.push({ group: group, value: value, input: input, count: count, block: block });
      });
      block.appendChild(options);
      pane.appendChild(block);
    });
    return boxes;
  }

  // A result as a fact-check's card reads: the verdict's badge, the title as a link, who
  // made the claim and when the fact-check was published, then the excerpt.
  function resultItem(data, scale, metaText) {
    var meta = data.meta || {};
    var item = make("li", "search__result");
    var badge = meta.verdict && scale.badges[meta.verdict];
    if (badge) {
      var verdict = make("p", "search__result-verdict");
      verdict.appendChild(badge.cloneNode(true));
      item.appendChild(verdict);
    }
    var heading = make("h2", "search__result-title");
    var link = make("a", "search__result-link", meta.title || data.url);
    link.href = data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    if (meta.claimant || meta.date) {
      var values = { claimant: meta.claimant ? make("bdi", "search__result-claimant",
                                                    meta.claimant) : null,
                     date: meta.date ? make("span", "search__result-date", meta.date) : null };
      var line = meta.claimant && meta.date ? metaText : meta.claimant ? "{claimant}" : "{date}";
      item.appendChild(fillNodes(make("p", "search__result-meta"), line, values));
    }
    item.appendChild(excerpt(data));
    return item;
  }

  function load(shards) {
    if (!shards.length) {
      return null;
    }
    var paths = shards.map(function (shard) {
      return new URL(shard.bundle, root).pathname;
    });
    return import(paths[0] + "pagefind.js").then(function (pagefind) {
      return pagefind.options({ baseUrl: site })
        .then(function () {
          return Promise.all(paths.slice(1).map(function (path) {
            return pagefind.mergeIndex(path, { baseUrl: site });
          }));
        })
        .then(function () { return pagefind.filters(); })
        .then(function (filters) { start(pagefind, filters || {}); });
    });
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
        return load(shardsFor(manifest.languages, lang));
      }
      return null;
    })
    .catch(function () {
      // No index (the indexer was missing or failed): the links to browse by stay.
    });
});
