// Video uploads with a progress bar. The page first asks the server where to send the file; with S3 the bytes
// go straight to the bucket (one presigned POST, or presigned parts for large files), never through the site.
(function () {
  "use strict";
  var form = document.querySelector("[data-upload-form]");
  if (!form) { return; }
  var progress = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");
  var texts = {};
  var template = document.getElementById("upload-messages");
  if (template) {
    template.content.querySelectorAll("[data-key]").forEach(function (node) {
      texts[node.getAttribute("data-key")] = node.textContent;
    });
  }
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function say(text) { status.textContent = text; }

  function send(method, url, body, headers, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      Object.keys(headers || {}).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
      if (onProgress) {
        xhr.upload.addEventListener("progress", function (event) {
          if (event.lengthComputable) { onProgress(event.loaded); }
        });
      }
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) { resolve(xhr); } else { reject(xhr); }
      };
      xhr.onerror = function () { reject(xhr); };
      xhr.send(body);
    });
  }

  function errorOf(xhr) {
    try { return JSON.parse(xhr.responseText).error || texts.failed; } catch (e) { return texts.failed; }
  }

  function showProgress(loaded, total) {
    progress.hidden = false;
    progress.value = total ? Math.round((loaded / total) * 100) : 0;
  }

  async function upload(file, ticket, finishUrl) {
    var json = { "X-CSRFToken": csrf, "Content-Type": "application/json" };
    if (ticket.mode === "local") {
      await send("PUT", ticket.url, file, { "X-CSRFToken": csrf, "Content-Type": "application/octet-stream" },
        function (loaded) { showProgress(loaded, file.size); });
      return;
    }
    if (ticket.mode === "s3_post") {
      var data = new FormData();
      Object.keys(ticket.fields).forEach(function (name) { data.append(name, ticket.fields[name]); });
      data.append("file", file);  // S3 requires the file to be the last field.
      await send("POST", ticket.url, data, {}, function (loaded) { showProgress(loaded, file.size); });
      await send("POST", finishUrl, "{}", json);
      return;
    }
    var etags = [];
    var done = 0;
    for (var i = 0; i < ticket.part_urls.length; i++) {
      var part = file.slice(i * ticket.part_bytes, (i + 1) * ticket.part_bytes);
      var xhr = await send("PUT", ticket.part_urls[i], part, {}, function (loaded) {
        showProgress(done + loaded, file.size);
      });
      done += part.size;
      etags.push(xhr.getResponseHeader("ETag"));
    }
    await send("POST", finishUrl, JSON.stringify({ parts: etags, upload_id: ticket.url }), json);
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var input = form.querySelector("input[type=file]");
    var file = input.files[0];
    if (!file) { input.focus(); return; }
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    var body = new URLSearchParams({
      csrfmiddlewaretoken: csrf, title: form.querySelector("[name=title]").value,
      file_name: file.name, size: String(file.size), content_type: file.type || "",
    });
    try {
      say(texts.uploading);
      var start = await send("POST", form.action, body, { "Content-Type": "application/x-www-form-urlencoded" });
      var answer = JSON.parse(start.responseText);
      await upload(file, answer.upload, answer.finish_url);
      showProgress(file.size, file.size);
      say(texts.checking);
      window.location.assign(answer.detail_url);
    } catch (xhr) {
      say(xhr && xhr.responseText !== undefined ? errorOf(xhr) : texts.failed);
      button.disabled = false;
    }
  });
})();
