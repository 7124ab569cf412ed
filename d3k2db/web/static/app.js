/* d3k2db: the pages work without this file. With it, the search and the meal answer as you type:
   it asks the server for the part of the page that changes (/fragments/…, rendered by the same
   templates as the whole page) and swaps it in, the htmx pattern. It formats nothing itself: no
   figure, unit, flag or sentence is written here, so the page has one renderer, the server's. */
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;  /* bench/web_load.py reads this line: its typists wait as long */

  /* The server's HTML (escaped by its templates) in place of the target's children: parsed as an
     inert document, where no script runs and no image loads, then moved in. The one place HTML is
     read; none is ever written here. */
  function swap(target, html) {
    var parsed = new DOMParser().parseFromString(html, "text/html");
    target.replaceChildren.apply(target, Array.prototype.slice.call(parsed.body.childNodes));
  }
  function offline(target) {
    var line = document.createElement("p");
    line.className = "error";
    line.textContent = document.body.getAttribute("data-offline") || "";
    target.replaceChildren(line);
  }
  function isHtml(response) {
    return /^text\/html/.test(response.headers.get("Content-Type") || "");
  }

  /* One request at a time wins: a keystroke's request goes out only after DEBOUNCE_MS without
     another keystroke, and a newer request aborts the one still in flight (AbortController), so
     the server is not left answering questions nobody will read. An answer older than the newest
     request is dropped all the same. ask(null) only cancels: the timer and the request in flight. */
  function latest(target, swapped) {
    var seq = 0;
    var timer = null;
    var inFlight = null;
    function cancel() {
      clearTimeout(timer);
      if (inFlight) { inFlight.abort(); inFlight = null; }
      seq++;
    }
    return function (url, immediate) {
      clearTimeout(timer);
      if (url === null) { cancel(); return; }
      timer = setTimeout(function () {
        cancel();
        var mine = seq;
        var controller = new AbortController();
        inFlight = controller;
        fetch(url, { headers: { Accept: "text/html" }, signal: controller.signal })
          .then(function (r) {
            return r.text().then(function (body) { return { html: isHtml(r), body: body }; });
          })
          .then(function (res) {
            if (mine !== seq) return;
            inFlight = null;
            if (res.html) swap(target, res.body); else offline(target);
            if (swapped) swapped();
          })
          .catch(function () { if (mine === seq) { inFlight = null; offline(target); } });
      }, immediate ? 0 : DEBOUNCE_MS);
    };
  }
  /* One Latin letter ('n') would match most names; it is not worth a request. One character of
     another script (蛋, egg) is a word, and is asked for. */
  function tooShort(q) { return /^[A-Za-z]$/.test(q); }
  function params(pairs) {
    var q = new URLSearchParams();
    Object.keys(pairs).forEach(function (k) { if (pairs[k] !== "" && pairs[k] !== null) q.set(k, pairs[k]); });
    return q.toString();
  }
  /* the address bar keeps ?lang= only when the page's own address had it */
  function keepLang(pairs) {
    var lang = new URLSearchParams(location.search).get("lang");
    if (lang) pairs.lang = lang;
    return pairs;
  }
  /* a part of the page is asked for in the page's own language, whatever the cookie says by now */
  function inLang(pairs) {
    pairs.lang = document.documentElement.lang || "en";
    return pairs;
  }

  /* ------------------------------------------------------------------ search as you type */
  function searchPage() {
    var input = document.getElementById("q");
    var form = document.getElementById("form-filter");
    var category = document.getElementById("category-filter");
    var answer = document.getElementById("search-answer");
    var tooShortAnswer = document.getElementById("search-too-short");
    if (!input || !answer) return;
    var selected = -1;

    function items() { return answer.querySelectorAll("li.result"); }
    /* index -1 (Escape, a new answer) selects nothing */
    function select(index) {
      var all = items();
      selected = all.length && index >= 0 ? Math.min(index, all.length - 1) : -1;
      for (var i = 0; i < all.length; i++) {
        all[i].setAttribute("aria-selected", i === selected ? "true" : "false");
      }
      if (selected < 0) { input.removeAttribute("aria-activedescendant"); return; }
      input.setAttribute("aria-activedescendant", all[selected].id);
      if (all[selected].scrollIntoView) all[selected].scrollIntoView({ block: "nearest" });
    }
    function swapped() {
      select(-1);
      input.setAttribute("aria-expanded", items().length ? "true" : "false");
    }
    var ask = latest(answer, swapped);
    function refresh() {
      var q = input.value.trim();
      var query = { q: q, form: form ? form.value : "", category: category ? category.value : "" };
      history.replaceState(null, "", "/?" + params(keepLang(Object.assign({}, query))));
      if (tooShort(q)) {
        ask(null);
        answer.replaceChildren(tooShortAnswer.content.cloneNode(true));
        swapped();
        return;
      }
      ask("/fragments/search?" + params(inLang(query)));
    }
    input.addEventListener("input", refresh);
    if (form) form.addEventListener("change", refresh);
    if (category) category.addEventListener("change", refresh);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); select(selected + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); select(selected <= 0 ? 0 : selected - 1); }
      else if (event.key === "Escape") { select(-1); }
      else if (event.key === "Enter" && selected >= 0) {
        event.preventDefault();
        var link = items()[selected].querySelector("a.food-link");
        if (link) location.href = link.href;
      }
    });
  }

  /* ------------------------------------------------------------------ the meal builder */
  function mealPage() {
    var input = document.getElementById("meal-input");
    var dose = document.getElementById("d3");
    var answer = document.getElementById("meal-answer");
    if (!input || !answer) return;
    var avoid = document.getElementById("avoid");
    var like = document.getElementById("like");

    function choices() {
      var diets = [];
      document.querySelectorAll("#plan-prefs input[name=diet]").forEach(function (box) {
        if (box.checked) diets.push(box.value);
      });
      return { diet: diets.join(","), avoid: avoid ? avoid.value.trim() : "", like: like ? like.value.trim() : "" };
    }
    var ask = latest(answer);
    function refresh(immediate) {
      var query = Object.assign({ q: input.value.trim(), d3: dose ? dose.value.trim() : "" }, choices());
      history.replaceState(null, "", "/meal?" + params(keepLang(Object.assign({}, query))));
      ask("/fragments/meal?" + params(inLang(query)), immediate);
    }
    input.addEventListener("input", function () { refresh(false); });
    if (dose) dose.addEventListener("input", function () { refresh(false); });
    document.querySelectorAll("#plan-prefs input").forEach(function (field) {
      field.addEventListener(field.type === "checkbox" ? "change" : "input", function () { refresh(false); });
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); refresh(true); }
    });
  }

  /* ------------------------------------------------------------------ your own foods (--allow-edits) */
  /* A change is sent as JSON (origin.py's rule); the answer is HTML: what was done and the page to
     go to next (data-go), or why not, shown where the status goes. */
  function change(method, url, body, status) {
    var init = { method: method, headers: { Accept: "text/html" } };
    if (body) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    fetch(url, init).then(function (r) {
      return r.text().then(function (html) {
        if (!isHtml(r)) { offline(status); return; }
        swap(status, html);
        var next = r.ok ? status.querySelector("[data-go]") : null;
        if (next) location.href = next.getAttribute("data-go");
      });
    }).catch(function () { offline(status); });
  }
  function editPages() {
    var status = document.getElementById("edit-status");
    var form = document.getElementById("add-food");
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var food = { aliases: [] };
        Array.prototype.forEach.call(form.elements, function (field) {
          var value = (field.value || "").trim();
          if (!field.name || value === "") return;
          if (field.name === "aliases") food.aliases = value.split(",").map(function (a) { return a.trim(); }).filter(Boolean);
          else food[field.name] = field.type === "number" ? Number(value) : value;
        });
        change("POST", form.getAttribute("action") + "?" + params(inLang({})), food, status);
      });
    }
    var remove = document.getElementById("remove-food");
    if (remove) {
      remove.addEventListener("click", function () {
        if (!window.confirm(remove.getAttribute("data-confirm"))) return;
        change("DELETE", remove.getAttribute("data-remove") + "?" + params(inLang({})), null, status);
      });
    }
  }

  function start() {
    var page = document.body.getAttribute("data-page");
    if (page === "search") searchPage();
    if (page === "meal") mealPage();
    if (page === "add" || page === "food") editPages();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
