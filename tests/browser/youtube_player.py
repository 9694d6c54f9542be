"""A loopback stand-in for YouTube's embedded player, so the journeys drive notes and seeks without the internet.

It serves `/embed/<id>` as a small page speaking the subset of the embed's postMessage protocol that
static/js/scoring.js uses: the parent posts {"event": "listening"}, the player answers with "onReady" and then
posts {"event": "infoDelivery", "info": {"currentTime": …}} every 250 ms; {"event": "command", "func": "seekTo",
"args": [seconds, true]} sets the clock. The clock advances only while "playing" (the page's Play button, or the
playVideo command), and the page shows the time and the last seek, so a test can read them through the frame.
"""
import html
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

EMBED_PATH = re.compile(r"^/embed/([A-Za-z0-9_-]{11})$")

PLAYER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Loopback player {video_id}</title></head>
<body>
<p>Loopback player for <code id="video-id">{video_id}</code></p>
<button type="button" id="play">Play</button> <button type="button" id="pause">Pause</button>
<p>Time: <output id="time">0.0</output> s · state: <output id="state">paused</output></p>
<p>Last seek: <output id="last-seek">none</output> · page: <output id="listener">not listening</output></p>
<script>
(function () {{
  "use strict";
  var playing = false, offset = 0, startedAt = 0, listener = null, timer = null;
  function now() {{ return playing ? offset + (Date.now() - startedAt) / 1000 : offset; }}
  function show() {{
    document.getElementById("time").textContent = now().toFixed(1);
    document.getElementById("state").textContent = playing ? "playing" : "paused";
  }}
  function send(message) {{
    if (listener) {{ listener.source.postMessage(JSON.stringify(message), listener.origin); }}
  }}
  function deliver() {{
    // YouTube's player reports its state as "infoDelivery" messages; 1 is playing and 2 is paused.
    send({{ event: "infoDelivery", id: listener.id, info: {{ currentTime: now(), playerState: playing ? 1 : 2 }} }});
  }}
  function play() {{ if (!playing) {{ startedAt = Date.now(); playing = true; }} show(); }}
  function pause() {{ offset = now(); playing = false; show(); }}
  function seekTo(seconds) {{
    offset = Number(seconds) || 0;
    startedAt = Date.now();
    document.getElementById("last-seek").textContent = String(offset);
    show();
  }}
  document.getElementById("play").addEventListener("click", play);
  document.getElementById("pause").addEventListener("click", pause);
  window.setInterval(show, 100);
  window.addEventListener("message", function (event) {{
    var data;
    try {{ data = typeof event.data === "string" ? JSON.parse(event.data) : event.data; }} catch (e) {{ return; }}
    if (!data) {{ return; }}
    if (data.event === "listening") {{
      listener = {{ source: event.source, origin: event.origin, id: data.id }};
      document.getElementById("listener").textContent = "listening";
      send({{ event: "onReady", id: data.id, info: {{ currentTime: now() }} }});
      if (!timer) {{ timer = window.setInterval(deliver, 250); }}
    }} else if (data.event === "command") {{
      if (data.func === "seekTo") {{ seekTo((data.args || [0])[0]); }}
      if (data.func === "playVideo") {{ play(); }}
      if (data.func === "pauseVideo") {{ pause(); }}
    }}
  }});
}})();
</script>
</body></html>
"""


class _PlayerHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the name BaseHTTPRequestHandler calls.
        match = EMBED_PATH.match(self.path.split("?", 1)[0])
        if not match:
            self.send_error(404)
            return
        body = PLAYER_PAGE.format(video_id=html.escape(match.group(1))).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def youtube_player(settings):
    """Serve the loopback player on 127.0.0.1 and embed YouTube videos from it; yield its embed base."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PlayerHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.YOUTUBE_EMBED_BASE = f"http://127.0.0.1:{server.server_address[1]}/embed/"
    try:
        yield settings.YOUTUBE_EMBED_BASE
    finally:
        server.shutdown()
        server.server_close()
