/* Questionnaire surveys on a phone (interviewer mode and the public self-fill page): one question per screen, the
   answers kept in localStorage (the interview in progress and every finished response until the API has it), sent
   with a client key so that a retry after a dropped connection records the response once. No library, no inline
   script: the page gives its data in data-* attributes and json_script blocks. */
(function () {
  "use strict";
  var OUTBOX = "cwt-survey-outbox";
  var RETRY_MS = 15000;

  function load(key, fallback) {
    try { var v = JSON.parse(localStorage.getItem(key)); return v === null ? fallback : v; } catch (e) { return fallback; }
  }
  function save(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full or disabled */ }
  }
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, k) { return values[k]; });
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }

  // --- The outbox: finished responses waiting for the server --------------------------------------------------
  var sending = false;
  function outbox() { return load(OUTBOX, []); }
  function showOutbox(texts) {
    var box = document.querySelector("[data-survey-outbox]");
    if (!box) return;
    var n = outbox().length;
    box.hidden = n === 0;
    if (n && texts) box.textContent = fmt(texts.waiting, { n: n });
    else if (n) box.textContent = String(n);
  }
  function flush(options) {
    options = options || {};
    if (sending) return Promise.resolve();
    var items = outbox();
    if (!items.length) { showOutbox(options.texts); return Promise.resolve(); }
    sending = true;
    var item = items[0];
    var headers = { "Content-Type": "application/json", "Accept": "application/json" };
    if (item.csrf) headers["X-CSRFToken"] = item.csrf;
    return fetch(item.api, { method: "POST", credentials: "same-origin", headers: headers, body: JSON.stringify(item.body) })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) { return { status: r.status, data: data }; });
      })
      .then(function (res) {
        sending = false;
        if (res.status === 200 || res.status === 201) {
          drop(item.body.client_key);
          if (options.onSent) options.onSent(item, res.data);
          return flush(options);
        }
        if (res.status === 429 || res.status >= 500 || res.status === 401 || res.status === 403 && !res.data.detail) {
          schedule(options);  // later: the server is busy or the session must be renewed
          if (options.onRefused && res.status === 429) options.onRefused(item, describe(res.data));
          return;
        }
        drop(item.body.client_key);  // refused for good (400, 404, 409): the message is shown, the rest goes on
        if (options.onRefused) options.onRefused(item, describe(res.data));
        return flush(options);
      })
      .catch(function () { sending = false; schedule(options); showOutbox(options.texts); });
  }
  var timer = null;
  function schedule(options) {
    if (timer) return;
    timer = setTimeout(function () { timer = null; flush(options); }, RETRY_MS);
  }
  function drop(key) {
    save(OUTBOX, outbox().filter(function (i) { return i.body.client_key !== key; }));
  }
  function describe(data) {
    if (!data || typeof data !== "object") return "";
    if (typeof data.detail === "string") return data.detail;
    var parts = [];
    Object.keys(data).forEach(function (k) {
      var v = data[k];
      parts.push(Array.isArray(v) ? v.map(function (x) { return typeof x === "string" ? x : JSON.stringify(x); }).join(" ") : String(v));
    });
    return parts.join(" ");
  }

  // --- The form ------------------------------------------------------------------------------------------------
  var app = document.getElementById("survey-app");
  if (!app) {  // the surveyor's home page: only send what waits
    var waiting = { waiting: "%(n)s" };
    showOutbox(waiting);
    flush({ texts: waiting });
    window.addEventListener("online", function () { flush({ texts: waiting }); });
    return;
  }
  var data = JSON.parse(document.getElementById("survey-data").textContent);
  var T = JSON.parse(document.getElementById("survey-text").textContent);
  var mode = app.dataset.mode;
  var DRAFT = "cwt-survey-draft-" + mode + "-" + app.dataset.round;
  var setup = document.getElementById("survey-setup");
  var qBox = document.getElementById("survey-question");
  var done = document.getElementById("survey-done");
  var selQ = document.getElementById("survey-questionnaire");
  var selArea = document.getElementById("survey-area");
  var selGroup = document.getElementById("survey-group");
  var phone = document.getElementById("survey-phone");
  var geo = document.getElementById("survey-geo");
  var state = null;

  function option(select, value, label) {
    var o = document.createElement("option");
    o.value = value; o.textContent = label; select.appendChild(o);
  }
  data.questionnaires.forEach(function (q) { option(selQ, q.id, q.code + " " + q.title); });
  if (data.questionnaires.length === 1) selQ.closest(".field").hidden = true;
  data.areas.forEach(function (a) { option(selArea, a.id, a.name); });
  function fillGroups() {
    if (!selGroup) return;
    var area = data.areas.filter(function (a) { return String(a.id) === selArea.value; })[0];
    var allowed = area && area.groups.length ? area.groups : Object.keys(data.groups);
    var q = questionnaire();
    selGroup.innerHTML = "";
    allowed.forEach(function (g) { option(selGroup, g, data.groups[g] || g); });
    if (q && allowed.indexOf(q.group) >= 0) selGroup.value = q.group;
  }
  selArea.addEventListener("change", fillGroups);
  selQ.addEventListener("change", fillGroups);
  fillGroups();

  function questionnaire() {
    return data.questionnaires.filter(function (q) { return String(q.id) === (state ? String(state.questionnaire) : selQ.value); })[0];
  }

  function locate() {
    if (!geo || !geo.checked || !navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(function (p) {
      if (!state) return;
      state.lat = Math.round(p.coords.latitude * 1e6) / 1e6;
      state.lng = Math.round(p.coords.longitude * 1e6) / 1e6;
      save(DRAFT, state);
    }, function () { /* refused or unavailable: the interview goes on without a position */ }, { timeout: 15000, maximumAge: 60000 });
  }

  function start(event) {
    event.preventDefault();
    var err = setup.querySelector("[data-setup-error]");
    if (!selQ.value || !selArea.value) { err.textContent = T.choose; err.hidden = false; return; }
    err.hidden = true;
    var q = data.questionnaires.filter(function (x) { return String(x.id) === selQ.value; })[0];
    state = {
      questionnaire: q.id, region: Number(selArea.value), group: selGroup ? selGroup.value : q.group,
      phone: phone ? phone.value.trim() : "", step: 0, answers: {}, started_at: new Date().toISOString(),
      lat: null, lng: null, client_key: newKey(),
    };
    save(DRAFT, state);
    locate();
    show();
  }
  setup.addEventListener("submit", start);

  function current() { return questionnaire().questions[state.step]; }

  function choiceButton(label, pressed, onClick) {
    var b = document.createElement("button");
    b.type = "button"; b.textContent = label; b.setAttribute("aria-pressed", pressed ? "true" : "false");
    b.addEventListener("click", onClick);
    return b;
  }

  function show() {
    setup.hidden = true; done.hidden = true; qBox.hidden = false;
    var q = questionnaire(), item = current(), total = q.questions.length;
    qBox.querySelector("[data-progress]").value = Math.round(100 * state.step / total);
    qBox.querySelector("[data-step]").textContent = fmt(T.question_of, { n: state.step + 1, total: total });
    qBox.querySelector("[data-text]").textContent = item.number + ". " + item.text;
    var hint = qBox.querySelector("[data-hint]");
    hint.hidden = item.kind !== "multiple"; hint.textContent = T.select;
    qBox.querySelector("[data-error]").hidden = true;
    var box = qBox.querySelector("[data-choices]");
    box.innerHTML = ""; box.className = "survey-choices" + (item.kind === "rating" ? " rating" : "");
    var value = state.answers[item.id];
    function set(v) { state.answers[item.id] = v; save(DRAFT, state); show(); }
    if (item.kind === "single") {
      item.options.forEach(function (o) {
        box.appendChild(choiceButton(o.code + ". " + o.text, value === o.code, function () { set(o.code); }));
      });
    } else if (item.kind === "multiple") {
      var chosen = Array.isArray(value) ? value : [];
      item.options.forEach(function (o) {
        box.appendChild(choiceButton(o.code + ". " + o.text, chosen.indexOf(o.code) >= 0, function () {
          var next = chosen.indexOf(o.code) >= 0 ? chosen.filter(function (c) { return c !== o.code; }) : chosen.concat([o.code]);
          set(next);
        }));
      });
    } else if (item.kind === "rating") {
      [1, 2, 3, 4, 5].forEach(function (n) { box.appendChild(choiceButton(String(n), value === n, function () { set(n); })); });
    } else if (item.kind === "yes_no") {
      box.appendChild(choiceButton(T.yes, value === true, function () { set(true); }));
      box.appendChild(choiceButton(T.no, value === false, function () { set(false); }));
    } else {
      var area = document.createElement("textarea");
      area.maxLength = 2000; area.value = typeof value === "string" ? value : "";
      area.addEventListener("input", function () { state.answers[item.id] = area.value; save(DRAFT, state); });
      box.appendChild(area);
    }
    qBox.querySelector("[data-back]").disabled = false;
    qBox.querySelector("[data-next]").textContent = state.step === total - 1 ? T.submit : T.next;
  }

  function answered(item) {
    var v = state.answers[item.id];
    return !(v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length));
  }

  qBox.querySelector("[data-next]").addEventListener("click", function () {
    var item = current();
    if (item.required && !answered(item)) {
      var e = qBox.querySelector("[data-error]"); e.textContent = T.required; e.hidden = false; return;
    }
    if (state.step < questionnaire().questions.length - 1) { state.step += 1; save(DRAFT, state); show(); return; }
    finish();
  });
  qBox.querySelector("[data-back]").addEventListener("click", function () {
    if (state.step === 0) { state = null; localStorage.removeItem(DRAFT); qBox.hidden = true; setup.hidden = false; return; }
    state.step -= 1; save(DRAFT, state); show();
  });

  function finish() {
    var q = questionnaire();
    var answers = q.questions.filter(answered).map(function (item) { return { question: item.id, value: state.answers[item.id] }; });
    var body = {
      questionnaire: state.questionnaire, region: state.region, group: state.group, answers: answers,
      started_at: state.started_at, finished_at: new Date().toISOString(), client_key: state.client_key,
      lat: state.lat, lng: state.lng, phone: state.phone,
    };
    if (mode === "public") { body.token = app.dataset.token; body.device = app.dataset.device; }
    else { body.round = Number(app.dataset.round); }
    var items = outbox();
    items.push({ api: app.dataset.api, csrf: app.dataset.csrf, body: body, mode: mode });
    save(OUTBOX, items);
    var last = { questionnaire: state.questionnaire, region: state.region, group: state.group };
    state = null;
    localStorage.removeItem(DRAFT);
    qBox.hidden = true; done.hidden = false;
    var doneText = done.querySelector("[data-done-text]");
    var doneError = done.querySelector("[data-done-error]");
    doneText.textContent = T.sending; doneText.hidden = false; doneError.hidden = true;
    var key = body.client_key;
    flush({
      texts: T,
      onSent: function (item) {
        if (item.body.client_key !== key) return;
        if (mode === "public" && app.dataset.thanks) { window.location.assign(app.dataset.thanks); return; }
        doneText.textContent = T.sent; showOutbox(T);
      },
      onRefused: function (item, reason) {
        if (item.body.client_key !== key) return;
        doneText.textContent = ""; doneText.hidden = true;
        doneError.textContent = fmt(T.refused, { reason: reason }); doneError.hidden = false;
      },
    }).then(function () {
      if (outbox().some(function (i) { return i.body.client_key === key; })) { doneText.textContent = T.saved; }
      showOutbox(T);
    });
    var again = done.querySelector("[data-again]");
    if (again) {
      again.onclick = null;
      again.addEventListener("click", function () {
        selQ.value = String(last.questionnaire); selArea.value = String(last.region); fillGroups();
        if (selGroup) selGroup.value = last.group;
        if (phone) phone.value = "";
        done.hidden = true; setup.hidden = false;
      }, { once: true });
    }
  }

  // Resume an interview in progress (the phone was locked, the page reloaded).
  var draft = load(DRAFT, null);
  if (draft && draft.questionnaire && questionnaireExists(draft.questionnaire)) { state = draft; show(); }
  function questionnaireExists(id) { return data.questionnaires.some(function (q) { return q.id === id; }); }
  showOutbox(T);
  flush({ texts: T });
  window.addEventListener("online", function () { flush({ texts: T }); });
})();
