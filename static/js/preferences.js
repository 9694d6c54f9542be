// The preference list, progressively enhanced. Without this file every button is a plain form submit that
// reloads the page. With it, the buttons and drag-and-drop save in the background and the list is updated in
// place: the page does not jump to the top, and the keyboard focus stays on the control that was used (or the
// nearest one that still makes sense), while the saved message is read out by the status region.
(function () {
  "use strict";
  var form = document.getElementById("preference-form");
  if (!form || form.dataset.editable !== "true" || !window.fetch || !window.DOMParser) return;
  var busy = false;

  function status() { return document.getElementById("save-status"); }
  function list() { return document.getElementById("preference-list"); }
  function csrfToken() { return form.querySelector("[name=csrfmiddlewaretoken]").value; }

  function reveal() {
    form.querySelectorAll(".js-only").forEach(function (element) { element.hidden = false; });
  }

  function say(text) {
    var region = status();
    if (region) { region.textContent = text; }
  }

  // Focus without the browser scrolling the page, then bring the control into view only if it is out of it.
  function focusInPlace(element) {
    element.focus({preventScroll: true});
    var box = element.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) { element.scrollIntoView({block: "nearest"}); }
  }

  // The control to focus after an action, found in the updated form: the same button when it is still usable,
  // else its neighbour that is, else the list's heading.
  function refocus(action, rowIndex) {
    var parts = action.split(":");
    var verb = parts[0], office = parts[1];
    var candidates = [];
    if (verb === "up" || verb === "down") {
      candidates = [action, (verb === "up" ? "down:" : "up:") + office, "remove:" + office];
    } else if (verb === "add") {
      var adds = form.querySelectorAll("button[value^='add:']");
      if (adds.length) { focusInPlace(adds[Math.min(rowIndex, adds.length - 1)]); return; }
    } else if (verb === "remove") {
      var removes = form.querySelectorAll("button[value^='remove:']");
      if (removes.length) { focusInPlace(removes[Math.min(rowIndex, removes.length - 1)]); return; }
    } else {
      candidates = [action];
    }
    for (var i = 0; i < candidates.length; i += 1) {
      var button = form.querySelector("button[value='" + candidates[i] + "']");
      if (button && !button.disabled) { focusInPlace(button); return; }
    }
    var heading = document.getElementById("list-heading");
    if (heading) { heading.setAttribute("tabindex", "-1"); focusInPlace(heading); }
  }

  // The sentence that says what an action changed, from the updated list (the page's own messages win).
  function describe(action) {
    var parts = action.split(":");
    var region = status();
    if (!region || parts.length < 2) return "";
    var items = Array.prototype.slice.call(form.querySelectorAll(".preference-item"));
    var position = items.findIndex(function (item) { return item.dataset.office === parts[1]; });
    var name = form.querySelector("button[value$=':" + parts[1] + "'] .visually-hidden");
    var office = name ? name.textContent.trim() : "";
    if (position >= 0) {
      return region.dataset.placed.replace("%(office)s", office).replace("%(position)s", String(position + 1));
    }
    return region.dataset.removed.replace("%(office)s", office);
  }

  // Put the freshly rendered page's form (and its messages) in place of the current ones.
  function swapIn(html, action) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var freshForm = fresh.getElementById("preference-form");
    if (!freshForm) { window.location.reload(); return false; }
    // Replacing the form's content would let the browser's scroll anchoring move the page; keep it still.
    var scrolled = window.scrollY;
    form.innerHTML = freshForm.innerHTML;
    window.scrollTo(window.scrollX, scrolled);
    form.dataset.editable = freshForm.dataset.editable;
    var messages = fresh.querySelector(".messages");
    say(messages ? messages.textContent.trim() : describe(action || ""));
    reveal();
    return true;
  }

  function rowIndexOf(button) {
    var same = form.querySelectorAll("button[value^='" + button.value.split(":")[0] + ":']");
    return Array.prototype.indexOf.call(same, button);
  }

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || button.name !== "action") return;
    event.preventDefault();
    if (busy) return;
    busy = true;
    var action = button.value, rowIndex = rowIndexOf(button);
    var data = new FormData(form);
    data.set("action", action);
    // Until the list is back, its buttons would act on positions that are about to change: hold them.
    form.setAttribute("aria-busy", "true");
    form.querySelectorAll("button[name=action]").forEach(function (control) { control.disabled = true; });
    say(status() && status().dataset.saving || "…");
    // form.action would name the buttons called "action", so the address is read from the attribute.
    fetch(form.getAttribute("action") || window.location.pathname, {method: "POST", body: data, credentials: "same-origin"})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (swapIn(html, action)) { refocus(action, rowIndex); }
      })
      // Offline or a server error: load the page afresh, which shows what was saved.
      .catch(function () { window.location.reload(); })
      .then(function () { busy = false; form.removeAttribute("aria-busy"); });
  });

  function order() {
    return Array.prototype.map.call(list().querySelectorAll(".preference-item"), function (item) {
      return item.dataset.office;
    }).join(",");
  }

  function saveOrder(moved) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken());
    data.append("action", "order");
    data.append("order", order());
    say(status() && status().dataset.saving || "…");
    fetch(window.location.pathname, {method: "POST", body: data, headers: {"Accept": "application/json"},
                                     credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (result) {
        if (!result.ok) { say(result.error); return null; }
        // Fetch the page again so positions, buttons and the submission notice match what was saved.
        return fetch(window.location.pathname, {credentials: "same-origin"}).then(function (response) {
          return response.text();
        }).then(function (html) {
          if (swapIn(html, "up:" + moved)) { refocus("up:" + moved, 0); }
        });
      })
      .catch(function () { say("!"); });
  }

  // Drag-and-drop is delegated from the form, so it keeps working after the list is replaced.
  var dragged = null;
  form.addEventListener("dragstart", function (event) {
    dragged = event.target.closest(".preference-item");
    if (dragged) { dragged.classList.add("dragging"); event.dataTransfer.effectAllowed = "move"; }
  });
  form.addEventListener("dragover", function (event) {
    if (!dragged) return;
    event.preventDefault();
    var over = event.target.closest(".preference-item");
    if (!over || over === dragged) return;
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    list().insertBefore(dragged, after ? over.nextSibling : over);
  });
  form.addEventListener("dragend", function () {
    if (!dragged) return;
    var moved = dragged.dataset.office;
    dragged.classList.remove("dragging");
    dragged = null;
    saveOrder(moved);
  });

  reveal();
})();
