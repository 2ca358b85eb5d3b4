// GPS stamps from the technician's phone: Depart / Arrive / Finish read the position
// (high accuracy, with a timeout) and POST it to /api/v1/tickets/<id>/stamps with the
// session's CSRF token. Every stamp goes into a queue in localStorage first and leaves it
// only when the server has answered: stored (201, or 200 for a resend) or refused (4xx,
// shown with the reason). Offline or on a failed post it stays queued, marked "queued"
// so the server flags it late, and is sent again on "online" and on every page load.
// The stamp's id is made here, so a resend is stored once.
(function () {
  "use strict";
  var QUEUE = "aftersales.stamps.queue";
  var RESULTS = "aftersales.stamps.results";
  var KEEP_RESULTS = 10;
  var root = document.querySelector("[data-stamps], [data-stamp-queue]");
  if (!root) { return; }
  var csrf = root.getAttribute("data-csrf");
  var ticket = root.getAttribute("data-ticket");
  var statusLine = root.querySelector("[data-status]");
  var buttons = root.querySelectorAll("button[data-kind]");
  var sending = false;

  function message(name) { return root.getAttribute("data-msg-" + name) || ""; }

  function load(key) {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function save(key, value) { localStorage.setItem(key, JSON.stringify(value)); }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));  // also on plain http
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" +
      hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function say(text) {
    if (statusLine) { statusLine.textContent = text; }
    if (text) { root.hidden = false; }
  }

  function busy(on) {
    Array.prototype.forEach.call(buttons, function (button) { button.disabled = on; });
  }

  function time(iso) {  // in the zone the pages show times in (Asia/Shanghai by default)
    var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    var zone = root.getAttribute("data-zone");
    if (zone) { options.timeZone = zone; }
    try { return new Date(iso).toLocaleTimeString([], options); } catch (e) {
      delete options.timeZone;
      return new Date(iso).toLocaleTimeString([], options);
    }
  }

  function render() {
    var queue = load(QUEUE);
    var box = root.querySelector("[data-queue]");
    var list = root.querySelector("[data-queue-list]");
    if (box && list) {
      list.textContent = "";
      queue.forEach(function (item) {
        var li = document.createElement("li");
        li.textContent = item.label + " · " + time(item.device_at) + " · " + item.number;
        list.appendChild(li);
      });
      box.hidden = queue.length === 0;
    }
    var results = root.querySelector("[data-results]");
    var shown = load(RESULTS).filter(function (r) { return !ticket || r.ticket === ticket; });
    if (root.hasAttribute("data-stamp-queue")) {  // the list page: only when there is news
      root.hidden = !queue.length && !shown.length && !(statusLine && statusLine.textContent);
    }
    if (results) {
      results.textContent = "";
      shown.forEach(function (r) {
        var li = document.createElement("li");
        li.className = "stamp-result " + r.level;
        li.textContent = time(r.at) + " " + r.text;
        results.appendChild(li);
      });
    }
  }

  function remember(item, level, text) {
    var results = load(RESULTS);
    results.unshift({ ticket: item.ticket, level: level, text: text, at: item.device_at });
    save(RESULTS, results.slice(0, KEEP_RESULTS));
  }

  function drop(clientId) {
    save(QUEUE, load(QUEUE).filter(function (item) { return item.client_id !== clientId; }));
  }

  function markQueued(clientId) {
    save(QUEUE, load(QUEUE).map(function (item) {
      if (item.client_id === clientId) { item.queued = true; }
      return item;
    }));
  }

  function refusal(body) {
    var text = message("refused") + " " + (body && body.message ? body.message : "");
    var errors = (body && body.errors) || {};
    Object.keys(errors).forEach(function (field) {
      text += " " + field + ": " + errors[field].join(" ");
    });
    return text;
  }

  // Send one queued stamp; resolves to "stored", "refused" or "kept".
  function send(item) {
    var payload = {
      client_id: item.client_id, kind: item.kind, latitude: item.latitude,
      longitude: item.longitude, accuracy_m: item.accuracy_m, device_at: item.device_at,
      queued: !!item.queued
    };
    return fetch(item.url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json",
                 "X-CSRFToken": csrf },
      body: JSON.stringify(payload)
    }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        if (response.status === 200 || response.status === 201) {
          drop(item.client_id);
          var stamp = body.stamp;
          var level = stamp.step_refused ? "refused" :  // kept, but the step was not taken
            stamp.status === "verified" && !stamp.impossible_speed &&
            !stamp.clock_skew ? "ok" : (stamp.status === "recorded" ? "info" : "warn");
          remember(item, level, body.message);
          return body.resent || !stamp.to_state ? "stored" : "moved";
        }
        var duplicate = response.status === 409 && !(body && body.errors && body.errors.client_id);
        if (duplicate) {  // the same stamp arrived twice at once: the next send finds it stored
          markQueued(item.client_id);
          return "kept";
        }
        if ([403, 404, 409, 422].indexOf(response.status) >= 0) {
          drop(item.client_id);  // the server will never take it: say why, do not retry
          remember(item, "refused", item.label + ": " + refusal(body));
          return "refused";
        }
        markQueued(item.client_id);  // signed out, expired form, server trouble: retry later
        return "kept";
      });
    }, function () {
      markQueued(item.client_id);
      return "kept";
    });
  }

  function flush() {
    if (sending || !navigator.onLine) { render(); return Promise.resolve(false); }
    var queue = load(QUEUE).sort(function (a, b) { return a.device_at < b.device_at ? -1 : 1; });
    if (!queue.length) { render(); return Promise.resolve(false); }
    sending = true;
    var moved = false;
    var kept = false;
    return queue.reduce(function (chain, item) {
      return chain.then(function () {
        return send(item).then(function (outcome) {
          if (outcome === "moved" && item.ticket === ticket) { moved = true; }
          if (outcome === "kept") { kept = true; }
        });
      });
    }, Promise.resolve()).then(function () {
      sending = false;
      render();
      say(kept ? message("queued") : "");
      if (moved) { window.location.reload(); }  // the work order took a step: show it
      return moved;
    });
  }

  function stamp(button) {
    if (!navigator.geolocation) { say(message("no-geo")); return; }
    busy(true);
    say(message("locating"));
    navigator.geolocation.getCurrentPosition(function (position) {
      var item = {
        client_id: uuid(), url: root.getAttribute("data-url"), ticket: ticket,
        number: document.title.split(" ")[0], kind: button.getAttribute("data-kind"),
        label: button.getAttribute("data-label"),
        latitude: position.coords.latitude, longitude: position.coords.longitude,
        accuracy_m: position.coords.accuracy, device_at: new Date().toISOString(),
        queued: !navigator.onLine
      };
      var queue = load(QUEUE);
      queue.push(item);
      save(QUEUE, queue);  // kept before sending: a crash or a lost answer loses nothing
      render();
      if (!navigator.onLine) { say(message("queued")); busy(false); return; }
      say(message("sending"));
      flush().then(function () { busy(false); });
    }, function (error) {
      busy(false);
      say(message("no-geo") + " (" + error.message + ")");
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 });
  }

  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener("click", function () { stamp(button); });
  });
  window.addEventListener("online", flush);
  flush();
})();
