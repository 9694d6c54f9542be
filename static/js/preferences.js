// Drag-and-drop ordering for the preference list. The page works without this file: every button is a plain
// form submit. With it, dragging reorders the list and saves the new order at once.
(function () {
  "use strict";
  var form = document.getElementById("preference-form");
  var list = document.getElementById("preference-list");
  if (!form || !list || form.dataset.editable !== "true") return;
  var status = document.getElementById("save-status");
  document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });

  function order() {
    return Array.prototype.map.call(list.querySelectorAll(".preference-item"), function (item) {
      return item.dataset.office;
    }).join(",");
  }

  function save() {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    data.append("action", "order");
    data.append("order", order());
    status.textContent = status.dataset.saving || "…";
    fetch(window.location.pathname, {method: "POST", body: data, headers: {"Accept": "application/json"},
                                     credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (result) {
        // Reload so that positions, buttons and the submission notice match what was saved.
        if (result.ok) { window.location.reload(); } else { status.textContent = result.error; }
      })
      .catch(function () { status.textContent = "!"; });
  }

  var dragged = null;
  list.addEventListener("dragstart", function (event) {
    dragged = event.target.closest(".preference-item");
    if (dragged) { dragged.classList.add("dragging"); event.dataTransfer.effectAllowed = "move"; }
  });
  list.addEventListener("dragover", function (event) {
    if (!dragged) return;
    event.preventDefault();
    var over = event.target.closest(".preference-item");
    if (!over || over === dragged) return;
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });
  list.addEventListener("dragend", function () {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    dragged = null;
    save();
  });
})();
