// The scoring page: drafts save as the member goes, and time-stamped notes on videos.
// Without JavaScript the page still works: the rubric form saves on submit and a note's time is typed by hand.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) { return; }

  // ---- Drafts ---------------------------------------------------------------------------------------------
  var form = document.getElementById("rubric-form");
  var status = document.getElementById("save-status");
  var timers = {};

  function say(text) { if (status) { status.textContent = text; } }

  // Saves go one at a time, each reading the version the previous one returned. Arrow keys step through the levels
  // faster than the server answers, and a save sent before the last one returned would post the old version and be
  // refused as coming from a stale page. A criterion already waiting its turn is not queued twice: it sends its
  // latest values when it goes. "Saved" shows once nothing is left to send.
  var queue = Promise.resolve();
  var waiting = {};
  var unsent = 0;

  function saveCriterion(fieldset) {
    var id = fieldset.getAttribute("data-criterion");
    if (waiting[id]) { return; }
    waiting[id] = true;
    unsent += 1;
    say(form.getAttribute("data-saving"));
    queue = queue.then(function () {
      waiting[id] = false;
      return sendCriterion(fieldset).then(function (ok) {
        unsent -= 1;
        if (ok && unsent === 0) { say(form.getAttribute("data-saved") + " " + new Date().toLocaleTimeString()); }
      });
    });
  }

  function sendCriterion(fieldset) {
    var id = fieldset.getAttribute("data-criterion");
    var body = new FormData();
    body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    fieldset.querySelectorAll("input, textarea").forEach(function (input) {
      if ((input.type === "radio" && !input.checked)) { return; }
      body.append(input.name, input.value);
    });
    if (!fieldset.querySelector("input[type=radio]:checked")) { body.append("c" + id + "-score", ""); }
    return fetch(form.action, { method: "POST", body: body, credentials: "same-origin",
                                headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json().then(function (data) { return [response.ok, data]; }); })
      .then(function (result) {
        if (!result[0]) { say(result[1].error); return false; }
        var saved = result[1].saved[id];
        if (saved) { fieldset.querySelector("[name=c" + id + "-version]").value = saved.version; }
        return true;
      })
      .catch(function () { say(form.getAttribute("data-failed")); return false; });
  }

  if (form) {
    form.querySelectorAll("fieldset[data-criterion]").forEach(function (fieldset) {
      var id = fieldset.getAttribute("data-criterion");
      fieldset.addEventListener("change", function () { saveCriterion(fieldset); });
      fieldset.addEventListener("input", function (event) {
        if (event.target.tagName !== "TEXTAREA") { return; }
        window.clearTimeout(timers[id]);
        timers[id] = window.setTimeout(function () { saveCriterion(fieldset); }, 1200);
      });
    });
  }

  // ---- Players --------------------------------------------------------------------------------------------
  // Uploaded videos are <video> elements; YouTube players are iframes driven through the embed's postMessage
  // protocol, so no script is loaded from YouTube.
  var youtubeTimes = {};
  window.addEventListener("message", function (event) {
    var data;
    try { data = typeof event.data === "string" ? JSON.parse(event.data) : event.data; } catch (e) { return; }
    if (!data || !data.info || typeof data.info.currentTime !== "number") { return; }
    document.querySelectorAll("iframe[data-video]").forEach(function (frame) {
      if (frame.contentWindow === event.source) { youtubeTimes[frame.getAttribute("data-video")] = data.info.currentTime; }
    });
  });
  // The player may have loaded before this deferred script ran, so its load event is not enough: say "listening"
  // every half second until the player first reports its time, as YouTube's own iframe API does.
  document.querySelectorAll("iframe[data-video]").forEach(function (frame) {
    var attempts = 0;
    function listen() {
      if (youtubeTimes[frame.getAttribute("data-video")] !== undefined || attempts >= 40) { return; }
      attempts += 1;
      frame.contentWindow.postMessage(JSON.stringify({ event: "listening", id: frame.id }), "*");
      window.setTimeout(listen, 500);
    }
    frame.addEventListener("load", listen);
    listen();
  });

  function player(videoId) { return document.querySelector("[data-video='" + videoId + "']"); }

  function currentTime(videoId) {
    var element = player(videoId);
    if (!element) { return null; }
    if (element.tagName === "VIDEO") { return element.currentTime; }
    return youtubeTimes[videoId] !== undefined ? youtubeTimes[videoId] : null;
  }

  function seek(videoId, seconds) {
    var element = player(videoId);
    if (!element) { return; }
    if (element.tagName === "VIDEO") {
      element.currentTime = seconds;
      element.focus();
    } else {
      element.contentWindow.postMessage(JSON.stringify({ event: "command", func: "seekTo", args: [seconds, true] }), "*");
      element.focus();
    }
  }

  document.querySelectorAll("[data-note-now]").forEach(function (button) {
    button.addEventListener("click", function () {
      var videoId = button.getAttribute("data-note-now");
      var time = currentTime(videoId);
      var noteForm = document.getElementById("note-form-" + videoId);
      if (time !== null) { noteForm.querySelector("[name=at_seconds]").value = Math.floor(time); }
      noteForm.querySelector("[name=text]").focus();
    });
  });

  document.querySelectorAll("[data-seek]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      seek(link.getAttribute("data-video-id"), parseInt(link.getAttribute("data-seek"), 10));
    });
  });
})();
