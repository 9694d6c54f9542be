// Keep the video list current while files are being checked, without reloading the page (which would clear a
// half-filled form). Every few seconds, fetch this page and swap in its list; stop once nothing is in progress.
(function () {
  "use strict";
  var IN_PROGRESS = ["pending", "receiving", "uploaded", "processing"];
  var section = document.getElementById("video-list");
  if (!section || !window.fetch || !window.DOMParser) { return; }

  function busy(root) {
    return IN_PROGRESS.some(function (state) { return root.querySelector(".badge." + state); });
  }

  function refresh() {
    if (!busy(section)) { return; }
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("video-list");
        if (fresh) { section.innerHTML = fresh.innerHTML; }
        window.setTimeout(refresh, 4000);
      })
      .catch(function () { window.setTimeout(refresh, 15000); });
  }

  window.setTimeout(refresh, 4000);
}());
