/* d3k2db: the pages work without this file; it refreshes them as you type through /api/.
   DOM is built with createElement and textContent only (no HTML strings at all), and every
   visible string comes from the page's <script type="application/json" id="strings"> block. */
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;  /* bench/web_load.py reads this line: its typists wait as long */
  var SVG = "http://www.w3.org/2000/svg";
  var S = {};
  try {
    S = JSON.parse(document.getElementById("strings").textContent || "{}");
  } catch (e) {
    S = {};
  }
  function t(key) { return S[key] || key; }
  /* '{amount} g' with {amount: '50'}: a message of the catalog, filled as Python's format fills it */
  function fill(template, fields) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return fields[name] !== undefined ? fields[name] : all;
    });
  }
  /* The data's own words in the page's language, as the server writes them (d3k2db/vocabulary.py):
     a category code, a unit, a serving label ('1 large' → '1 大'), a flag 'kind: reason'. */
  /* a label and the space before what it introduces; a full-width colon carries its own (app.py) */
  function lead(label) { return /：$/.test(label) ? label : label + " "; }
  function categoryName(code) { return (S.categories || {})[code] || String(code || "").replace(/_/g, " "); }
  /* the MK-4 / MK-7 tag as a reader must read it (vocabulary.tag_text): 'MK-7 · main MK-9' with the
     main measured form (the tag alone when they are the same), else 'long-chain (MK-7…MK-10)' for MK-7 and 'MK-4' for MK-4 */
  function tagText(tag, mainForm) {
    if (!tag) return t("dash");
    if (mainForm === tag) return tag;
    if (mainForm) return fill(t("tag_main"), { tag: tag, form: mainForm });
    return tag === "MK-7" ? t("long_chain") : tag;
  }
  /* the alias a search hit was found through, unless it is the name shown (render.found_alias) */
  function foundAlias(food) {
    var alias = food.matched_alias;
    if (!alias) return "";
    var key = function (s) { return String(s).toLowerCase().replace(/\s+/g, " ").trim(); };
    return key(alias) === key(food.name) ? "" : alias;
  }
  function unitWord(unit) { return (S.units || {})[unit] || unit; }
  function servingLabel(text) {
    if (!S.units || !Object.keys(S.units).length) return text;  /* English: as stored */
    var found = /^(\d+(?:\.\d+)?) (.+)$/.exec(text);
    if (!found) return unitWord(text);
    if (found[2] === "g") return fill(t("grams_tpl"), { amount: found[1] });
    return found[1] + " " + unitWord(found[2]);
  }
  function flagText(text) {
    var at = text.indexOf(": ");
    if (at < 0) return text;
    var kind = text.slice(0, at);
    var reason = text.slice(at + 2);
    var generated = (S.flag_reasons || []).some(function (pair) {
      var found = new RegExp(pair[0]).exec(reason);
      if (!found) return false;
      var fields = found.groups || {};
      if (fields.group) fields.group = categoryName(fields.group);
      reason = fill(pair[1], fields);
      return true;
    });
    /* a curated reason in the page's language (data/flag_texts.csv), else as stored */
    if (!generated && Object.prototype.hasOwnProperty.call(S.flag_texts || {}, reason)) reason = S.flag_texts[reason];
    return fill(t("flag"), { kind: (S.flag_kinds || {})[kind] || kind, reason: reason });
  }

  /* Figures exactly as the CLI and the server's pages print them (output/render.py ug, grams,
     serving, iu; figures.fmt_number). Python's format rounds an exact tie (2.25 → '2.2') to even
     where toFixed rounds it up; fixed() does as Python does, so both renders agree to the digit. */
  function fixed(v, digits) {
    var exact = Math.abs(v).toFixed(100);  /* the double's exact decimal expansion */
    var cut = exact.indexOf(".") + 1 + digits;
    if (/^50*$/.test(exact.slice(cut))) {
      var kept = exact.slice(0, digits ? cut : cut - 1);
      if (Number(kept.charAt(kept.length - 1)) % 2 === 0) return (v < 0 ? "-" : "") + kept;
    }
    return v.toFixed(digits);
  }
  function ug(v) {
    if (v === null || v === undefined) return t("dash");
    if (v === 0) return "0";
    return Math.abs(v) < 1 ? fixed(v, 2) : fixed(v, 1);
  }
  function fmtNumber(v) {
    return v === Math.trunc(v) ? String(v) : fixed(v, 2).replace(/0+$/, "").replace(/\.$/, "");
  }
  function grams(v) { return fmtNumber(Number(fixed(v, 1))); }
  function iu(v) { return fill(t("iu_tpl"), { amount: Number(fixed(v, 0)).toLocaleString("en-US") }); }
  function serving(stored, weight) {
    var shown = servingLabel(stored);
    return /\sg$/.test(stored) ? shown :
      fill(t("with_weight"), { label: shown, weight: fill(t("grams_tpl"), { amount: grams(weight) }) });
  }
  function marked(value, flags, note) {
    return ug(value) + (flags && flags.length ? "!" : "") + (note ? "‡" : "");
  }
  /* Text as the server shows it (text.printable): a control, bidirectional or invisible character
     (only a database older than the plain-text rule holds one) is shown as its escape ('\u202e'),
     never obeyed; a zero-width joiner between two pictographs is part of an emoji and stays. */
  var NOT_TEXT = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
  var ESCAPES = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };
  function shown(text) {
    return String(text).replace(NOT_TEXT, function (c, at, all) {
      if (c === "\u200d" && /\p{So}[\ufe0f\u{1F3FB}-\u{1F3FF}]{0,3}$/u.test(all.slice(0, at)) &&
          /^\p{So}/u.test(all.slice(at + 1))) return c;
      if (ESCAPES[c]) return ESCAPES[c];
      var hex = c.codePointAt(0).toString(16);
      var width = hex.length <= 2 ? 2 : hex.length <= 4 ? 4 : 8;
      return (width === 2 ? "\\x" : width === 4 ? "\\u" : "\\U") + "00000000".slice(hex.length, width) + hex;
    });
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = shown(text);
    return node;
  }
  /* name: as shown in the page's language; english: the food's own name, its address */
  function foodLink(name, english) {
    var a = el("a", "food-link", name);
    a.href = "/food/" + encodeURIComponent(english || name);
    if (english && english !== name) a.title = shown(english);
    return a;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function flagNotes(container, flags, note) {
    (flags || []).forEach(function (flag) {
      container.appendChild(el("span", "flag doubtful", "! " + flagText(flag)));  /* 'doubtful: …': the kind is in it */
    });
    if (note) container.appendChild(el("span", "flag partial", "‡ " + fill(t("flag"), { kind: t("partial"), reason: note })));
  }

  /* One request at a time wins: a keystroke's request goes out only after DEBOUNCE_MS without
     another keystroke, and a newer request aborts the one still in flight (AbortController), so
     the server is not left answering questions nobody will read. A response older than the newest
     request is dropped all the same. ask(null) only cancels: the timer and the request in flight. */
  function latest(onData, onError) {
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
        var controller = window.AbortController ? new AbortController() : null;
        inFlight = controller;
        fetch(url, { headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined })
          .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
          .then(function (res) {
            if (mine !== seq) return;
            inFlight = null;
            if (res.ok) onData(res.body); else onError(res.body);
          })
          .catch(function () { if (mine === seq) { inFlight = null; onError({ error: t("error") }); } });
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
  function keepLang(pairs) {
    var lang = new URLSearchParams(location.search).get("lang");
    if (lang) pairs.lang = lang;
    return pairs;
  }
  /* the API answers in the page's own language, whatever the cookie says by now */
  function inLang(pairs) {
    pairs.lang = document.documentElement.lang || "en";
    return pairs;
  }

  /* ------------------------------------------------------------------ search as you type */
  function searchPage() {
    var input = document.getElementById("q");
    var form = document.getElementById("form-filter");
    var category = document.getElementById("category-filter");
    var results = document.getElementById("results");
    var empty = document.getElementById("no-results");
    var status = document.getElementById("status");
    if (!input || !results) return;
    var selected = -1;

    function items() { return results.querySelectorAll("li.result"); }
    function select(index) {
      var all = items();
      if (!all.length) { selected = -1; input.removeAttribute("aria-activedescendant"); return; }
      selected = Math.max(0, Math.min(index, all.length - 1));
      for (var i = 0; i < all.length; i++) {
        all[i].setAttribute("aria-selected", i === selected ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", all[selected].id);
      if (all[selected].scrollIntoView) all[selected].scrollIntoView({ block: "nearest" });
    }
    function row(food, index) {
      var li = el("li", "result");
      li.id = "result-" + index;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var name = el("span", "name");
      name.appendChild(foodLink(food.name, food.name_en));
      if (food.is_custom) { name.appendChild(document.createTextNode(" ")); name.appendChild(el("span", "custom", t("custom"))); }
      var alias = foundAlias(food);
      if (alias) { name.appendChild(document.createTextNode(" ")); name.appendChild(el("span", "alias", fill(t("alias_tpl"), { alias: alias }))); }
      name.appendChild(document.createTextNode(" "));
      name.appendChild(el("span", "category", categoryName(food.category)));
      li.appendChild(name);
      var tag = el("span", "tag", tagText(food.tag, food.main_form));
      tag.title = t("tag");
      li.appendChild(tag);
      li.appendChild(el("span", "forms", "MK-4 " + ug(food.mk4) + " · MK-7 " + ug(food.mk7)));
      var per100 = el("span", "k2-100g");
      per100.appendChild(el("strong", null, marked(food.k2_total, food.flags, food.coverage_note)));
      per100.appendChild(document.createTextNode(" " + t("per_100g")));
      li.appendChild(per100);
      li.appendChild(el("span", "k2-serving", ug(food.k2_per_serving) + " " + t("per_serving") + " " +
        serving(food.serving_label, food.serving_g)));
      var flags = el("span", "flags");
      flagNotes(flags, food.flags, food.coverage_note);
      li.appendChild(flags);
      return li;
    }
    function show(foods, message) {
      clear(results);
      foods.forEach(function (food, i) { results.appendChild(row(food, i)); });
      selected = -1;
      input.removeAttribute("aria-activedescendant");
      input.setAttribute("aria-expanded", foods.length ? "true" : "false");
      empty.hidden = foods.length > 0;
      empty.textContent = shown(message || t("no_results"));
      status.textContent = foods.length + " " + t("foods_found");
    }
    var ask = latest(
      function (data) { show(data.foods || [], data.message); },
      function (err) { show([], err && err.error); }
    );
    function refresh() {
      var q = input.value.trim();
      var query = { q: q, form: form ? form.value : "", category: category ? category.value : "" };
      history.replaceState(null, "", "/?" + params(keepLang(Object.assign({}, query))));
      if (!q) query.limit = 50;
      if (tooShort(q)) {
        ask(null);
        show([], t("keep_typing"));
        status.textContent = t("keep_typing");
        return;
      }
      ask("/api/search?" + params(inLang(query)));
    }
    input.addEventListener("input", refresh);
    if (form) form.addEventListener("change", refresh);
    if (category) category.addEventListener("change", refresh);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); select(selected + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); select(selected <= 0 ? 0 : selected - 1); }
      else if (event.key === "Escape") { select(-1); selected = -1; }
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
    var body = document.querySelector("#meal-items tbody");
    if (!input || !body) return;
    var total = document.getElementById("meal-total");
    var needed = document.getElementById("k2-needed");
    var coverage = document.getElementById("coverage");
    var gap = document.getElementById("close-gap");
    var gapTitle = document.getElementById("close-gap-title");
    var planError = document.getElementById("plan-error");
    var planLink = document.getElementById("plan-link");
    var planLinkLine = document.getElementById("plan-link-line");
    var avoidInput = document.getElementById("avoid");
    var likeInput = document.getElementById("like");
    var chart = document.getElementById("share-chart");
    var notes = document.getElementById("meal-notes");
    var problem = document.getElementById("meal-error");
    var kinds = { exact: t("match_exact"), alias: t("match_alias"), generic: t("match_generic"), typo: t("match_typo") };

    function itemRow(item) {
      var tr = el("tr", "meal-item");
      var name = el("td", "item-name");
      name.appendChild(foodLink(item.food, item.name_en));
      if (item.is_custom) name.appendChild(el("span", "custom", " " + t("custom")));
      tr.appendChild(name);
      var how = el("td", "interpretation", item.interpretation + (item.fallback ? "†" : ""));
      if (item.fallback) how.appendChild(el("span", "note", " † " + item.fallback));
      tr.appendChild(how);
      var kind = el("td", "match-kind", kinds[item.match] || item.match);
      kind.setAttribute("data-match", item.match);
      if (item.match_note) kind.appendChild(el("span", "note", " [" + item.match_note + "]"));
      tr.appendChild(kind);
      var k2 = el("td", "item-k2 num", marked(item.k2, item.flags, item.coverage_note));
      if ((item.flags && item.flags.length) || item.coverage_note) {
        var why = el("span", "flags");
        flagNotes(why, item.flags, item.coverage_note);
        k2.appendChild(document.createTextNode(" "));
        k2.appendChild(why);
      }
      tr.appendChild(k2);
      return tr;
    }
    function refusedRow(typed, reason) {
      var tr = el("tr", "meal-refused");
      tr.appendChild(el("td", "item-name", typed || t("dash")));
      var cell = el("td", "reason", fill(t("flag"), { kind: t("refused"), reason: reason }));
      cell.colSpan = 3;
      tr.appendChild(cell);
      return tr;
    }
    /* The same geometry as the server's chart (web/charts.py), read from the <svg>'s data-*. */
    function drawChart(items, sum) {
      clear(chart);
      var num = function (name) { return Number(chart.getAttribute("data-" + name)); };
      var width = num("width"), rowH = num("row"), space = num("bar-space");
      var largest = 0;
      items.forEach(function (item) { if (item.k2 > largest) largest = item.k2; });
      items.forEach(function (item, i) {
        var g = document.createElementNS(SVG, "g");
        g.setAttribute("class", "bar" + (item.k2 === null ? " missing" : ""));
        g.setAttribute("transform", "translate(0 " + i * rowH + ")");
        var text = item.k2 === null ? t("dash") : marked(item.k2, item.flags, item.coverage_note) + " " + t("ug") +
          (sum > 0 ? " (" + fixed(100 * item.k2 / sum, 0) + "%)" : "");
        var title = document.createElementNS(SVG, "title");
        title.textContent = shown(fill(t("named"), { food: item.food, interpretation: text }));
        g.appendChild(title);
        var label = document.createElementNS(SVG, "text");
        label.setAttribute("class", "label");
        label.setAttribute("x", 0);
        label.setAttribute("y", num("label-y"));
        label.textContent = shown(item.food.length > 44 ? item.food.slice(0, 43) + "…" : item.food);
        g.appendChild(label);
        var barW = item.k2 && largest ? Math.round(10 * space * item.k2 / largest) / 10 : 0;
        if (barW > 0) {
          var rect = document.createElementNS(SVG, "rect");
          rect.setAttribute("x", 0);
          rect.setAttribute("y", num("bar-y"));
          rect.setAttribute("width", barW);
          rect.setAttribute("height", num("bar-height"));
          g.appendChild(rect);
        }
        var value = document.createElementNS(SVG, "text");
        value.setAttribute("class", "value");
        value.setAttribute("x", barW + 6);
        value.setAttribute("y", num("value-y"));
        value.textContent = text;
        g.appendChild(value);
        chart.appendChild(g);
      });
      var height = items.length * rowH + 4;
      chart.setAttribute("viewBox", "0 0 " + width + " " + height);
      chart.setAttribute("height", height);
    }
    /* The plans that would close the gap, as the server's _plans.html writes them (output.plans). */
    function planTitle(number, plan, data) {
      var fields = { number: number, k2: ug(plan.k2), need: ug(data.k2_to_plan_ug), short: ug(plan.shortfall_ug),
        total: ug(plan.total_k2), d3: iu(plan.pairs_with_d3_iu) };
      var template = !plan.reaches_target ? "plan_title_short" : data.eaten ? "plan_title_left" : "plan_title";
      return fill(t(template), fields);
    }
    function planItem(item) {
      var li = el("li", "plan-item");
      li.appendChild(foodLink(item.food, item.name_en));
      var amount = item.amount + (item.fallback ? "†" : "");
      var line = fill(t("plan_item"), { amount: amount, k2: ug(item.k2) });
      var marks = (item.flags && item.flags.length ? "!" : "") + (item.coverage_note ? "‡" : "");
      li.appendChild(document.createTextNode(shown(fill(t("named"), { food: "", interpretation: line }) + marks)));
      if (marks) {
        var why = el("span", "flags");
        flagNotes(why, item.flags, item.coverage_note);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(why);
      }
      if (item.fallback) {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(el("span", "note", shown("† " + item.fallback)));
      }
      return li;
    }
    function showGap(data) {
      clear(gap);
      planError.hidden = true;
      (data.plans || []).forEach(function (plan, i) {
        var li = el("li", "plan" + (plan.reaches_target ? "" : " short"));
        li.setAttribute("data-k2", plan.k2);
        li.appendChild(el("p", "plan-title", planTitle(i + 1, plan, data)));
        var items = el("ul", "plan-items");
        plan.items.forEach(function (item) { items.appendChild(planItem(item)); });
        li.appendChild(items);
        gap.appendChild(li);
      });
      gapTitle.hidden = !gap.firstChild;
      planLinkLine.hidden = false;
    }
    function hideGap(err) {
      clear(gap);
      gapTitle.hidden = true;
      planLinkLine.hidden = !err;
      planError.textContent = err && err.error ? err.error : "";
      planError.hidden = !(err && err.error);
    }
    function choices() {
      var diets = [];
      document.querySelectorAll("#plan-prefs input[name=diet]").forEach(function (box) {
        if (box.checked) diets.push(box.value);
      });
      return { diet: diets.join(","), avoid: avoidInput ? avoidInput.value.trim() : "",
        like: likeInput ? likeInput.value.trim() : "" };
    }
    var askGap = latest(showGap, hideGap);
    function showMeal(data) {
      clear(body);
      problem.hidden = true;
      data.items.forEach(function (item) { body.appendChild(itemRow(item)); });
      data.skipped.forEach(function (item) { body.appendChild(refusedRow(item.typed, item.reason)); });
      total.setAttribute("data-ug", data.total.k2);
      total.textContent = lead(t("k2_total")) + ug(data.total.k2) + " " + t("ug") +
        (data.partial ? " " + t("partial_total") : "");
      var check = data.d3;
      needed.setAttribute("data-ug", check ? check.k2_needed_ug : "");
      needed.textContent = check ? t("calls_for") + " " + ug(check.k2_needed_ug) + " " + t("ug") + " K2" : "";
      coverage.className = check ? (check.covered ? "covered" : "not-covered") : "";
      coverage.textContent = !check ? "" : check.covered ? t("covered") :
        fill(t("flag"), { kind: t("not_covered"), reason: fill(t("more_needed"), { amount: ug(check.k2_missing_ug) }) });
      var chosen = choices();
      planLink.href = "/plan?" + params(keepLang(Object.assign({ d3: dose ? dose.value.trim() : "",
        "with": input.value.trim() }, chosen)));
      if (check && !check.covered) {
        askGap("/api/plan?" + params(inLang(Object.assign({ d3: check.dose_iu, "with": input.value.trim(),
          count: 3 }, chosen))), true);
      } else { askGap(null); hideGap(null); planLinkLine.hidden = true; }
      drawChart(data.items, data.total.k2);
      /* the same notes as the server's render (pages.meal_notes) */
      clear(notes);
      notes.appendChild(el("li", null, t("pairs_with")
        .replace("{ratio}", fmtNumber(data.ratio_ug_k2_per_10000_iu_d3))
        .replace("{iu}", iu(data.pairs_with_d3_iu))));
      var dropped = [];
      data.items.concat(data.skipped).forEach(function (item) {
        (item.dropped || []).forEach(function (word) { if (dropped.indexOf(word) < 0) dropped.push(word); });
      });
      if (dropped.length) {
        notes.appendChild(el("li", null, lead(t("words_left_out")) +
          dropped.map(function (w) { return "'" + w + "'"; }).join(t("list_sep")) + "."));
      }
      (data.warnings || []).forEach(function (w) { notes.appendChild(el("li", null, w)); });
    }
    function showRefusal(err) {
      clear(body);
      askGap(null);
      hideGap(null);
      planLinkLine.hidden = true;
      clear(notes);
      drawChart([], 0);
      total.setAttribute("data-ug", "0");
      total.textContent = "";
      needed.setAttribute("data-ug", "");
      needed.textContent = "";
      coverage.textContent = "";
      if (err && err.refused) {
        err.refused.forEach(function (p) { body.appendChild(refusedRow(p.typed, p.reason)); });
        problem.hidden = true;
      } else {
        problem.textContent = shown((err && err.error) || t("error"));
        problem.hidden = false;
      }
    }
    /* list_refused: a meal refused as a whole (a unit a food has no weight for) is a 200 answer
       listing every problem, not a 422 that the browser's console would log at each keystroke. */
    var ask = latest(function (data) {
      if (data.refused) showRefusal({ refused: data.problems });
      else showMeal(data);
    }, showRefusal);
    function refresh(immediate) {
      var q = input.value.trim();
      var d3 = dose ? dose.value.trim() : "";
      history.replaceState(null, "", "/meal?" + params(keepLang(Object.assign({ q: q, d3: d3 }, choices()))));
      if (!q) { showRefusal(null); problem.hidden = true; total.textContent = t("type_a_meal"); return; }
      ask("/api/meal?" + params(inLang({ q: q, d3: d3 })) + "&list_refused=true", immediate);
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
  function send(method, url, body) {
    var init = { method: method, headers: { Accept: "application/json" } };
    if (body) { init.headers["Content-Type"] = "application/json"; init.body = JSON.stringify(body); }
    return fetch(url, init).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, body: data }; });
    });
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
        send("POST", "/api/foods?" + params(inLang({})), food).then(function (res) {
          if (res.ok) location.href = "/food/" + encodeURIComponent(res.body.name_en || res.body.name);
          else status.textContent = shown(res.body.error || t("error"));
        }).catch(function () { status.textContent = t("error"); });
      });
    }
    var remove = document.getElementById("remove-food");
    if (remove) {
      remove.addEventListener("click", function () {
        var name = remove.getAttribute("data-name");
        if (!window.confirm(t("confirm_remove"))) return;
        send("DELETE", "/api/foods/" + encodeURIComponent(name) + "?" + params(inLang({}))).then(function (res) {
          if (res.ok) { status.textContent = t("removed"); location.href = "/"; }
          else status.textContent = shown(res.body.error || t("error"));
        }).catch(function () { status.textContent = t("error"); });
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
