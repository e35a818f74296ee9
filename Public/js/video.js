// ZeroErrand video room: a small WebRTC mesh (up to six people) signalled over the room's socket,
// audio-only switching, recording consent, and the staff recording uploaded in acknowledged chunks.
// The server renders every control and every word; this file only brings them to life.
(function () {
  "use strict";

  var room = document.getElementById("video-room");
  if (!room) { return; }

  var $ = function (id) { return document.getElementById(id); };
  var stateLine = $("connection-state"), joinButton = $("join-call"), audioButton = $("audio-only");
  var leaveButton = $("leave-call"), localVideo = $("local-video"), remoteBox = $("remote-videos");
  var consentButton = $("consent-agree"), consentStatus = $("consent-status");
  var recordStart = $("record-start"), recordStop = $("record-stop"), recordStatus = $("recording-status");
  if (!stateLine || !joinButton || !audioButton || !leaveButton || !localVideo || !remoteBox) { return; }

  var attr = function (name) { return room.getAttribute(name) || ""; };
  var selfName = attr("data-self-name"), wsPath = attr("data-ws-path"), icePath = attr("data-ice-path");
  var consentPath = attr("data-consent-path"), recordingsPath = attr("data-recordings-path");
  var canRecord = attr("data-can-record") === "true" && !!(recordStart && recordStop && recordStatus);
  var CAMERA = { width: { ideal: 640 }, height: { ideal: 360 } };
  var noop = function () {};

  var strings = {};
  try { strings = JSON.parse(($("video-strings") || {}).textContent || "{}") || {}; } catch (e) { strings = {}; }
  // A missing key shows its own name, so a gap in a translation is noticed instead of hidden.
  function t(key, values) {
    var text = Object.prototype.hasOwnProperty.call(strings, key) ? String(strings[key]) : key;
    Object.keys(values || {}).forEach(function (name) { text = text.split("{" + name + "}").join(String(values[name])); });
    return text;
  }

  function toHex(buffer) {
    var bytes = new Uint8Array(buffer), out = "";
    for (var i = 0; i < bytes.length; i++) { out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16); }
    return out;
  }

  // One id per page load: when the socket reconnects with it, the server knows it is the same
  // participant and the others keep their connections to us instead of starting over.
  var myId = (window.crypto && typeof crypto.randomUUID === "function")
    ? crypto.randomUUID() : toHex(crypto.getRandomValues(new Uint8Array(16)));

  var localStream = null, audioOnly = false, cameraBusy = false;
  var joined = false, leftKey = "", fatalKey = "";   // leftKey: state_left or state_ended
  var peers = {};       // peer id -> our RTCPeerConnection with them and their tile
  var directory = {};   // peer id -> {name, role, audioOnly} for everyone the server says is here
  var lastIce = { iceServers: [] };
  var ws = null, wsRetries = 0, wsTimer = 0, wsDownSince = 0, lostTimer = 0;
  var welcomed = false, welcomedOnce = false, welcomedAt = 0;
  var consent = { agreed: [], pending: [], complete: false, mine: false }, consentBusy = false;
  var serverRecording = false, rec = null;
  // A mediator's private session with one side: who we may still talk to (null: everyone).
  var caucusAllowed = null;
  var caucusStatus = $("caucus-status"), caucusControls = $("caucus-controls");

  function el(tag, className) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    return node;
  }
  function liveStatus(className, after) {
    var p = el("p", className);
    p.setAttribute("role", "status");
    p.setAttribute("aria-live", "polite");
    after.parentNode.insertBefore(p, after.nextSibling);
    return p;
  }
  // Kept apart from the connection line so a state change can never hide that recording is on.
  var recordingIndicator = liveStatus("recording-indicator", stateLine);
  recordingIndicator.hidden = true;
  var announcer = liveStatus("video-announce", remoteBox);

  function announce(text) { announcer.textContent = text; }

  // Hiding a focused button would drop keyboard users at the top of the page.
  function moveFocus(from, to) {
    if (!to || document.activeElement !== from) { return; }
    if (!/^(BUTTON|A|INPUT)$/.test(to.tagName)) { to.setAttribute("tabindex", "-1"); }
    to.focus();
  }

  // ---- Connection state -------------------------------------------------------------------

  function show(state, key) {
    var text = t(key || "state_" + state);
    if (room.getAttribute("data-state") !== state) { room.setAttribute("data-state", state); }
    if (stateLine.textContent !== text) { stateLine.textContent = text; }
  }

  function connState(pc) {
    if (pc.connectionState) { return pc.connectionState; }
    var ice = pc.iceConnectionState;
    return ice === "completed" ? "connected" : ice === "checking" ? "connecting" : ice;
  }

  function socketOpen() { return !!ws && ws.readyState === 1; }

  function refreshState() {
    if (leftKey) { show("left", leftKey); return; }
    if (fatalKey) { show("failed", fatalKey); return; }
    if (!joined) { show("idle"); return; }
    if (!socketOpen() || !welcomed) {
      if (wsDownSince && Date.now() - wsDownSince >= 30000) { show("reconnecting", "state_signal_lost"); return; }
      show(welcomedOnce ? "reconnecting" : "connecting");
      return;
    }
    var anyConnected = false, trouble = false;
    Object.keys(peers).forEach(function (id) {
      var state = connState(peers[id].pc);
      if (state === "connected") { anyConnected = true; }
      if (state === "disconnected" || state === "failed") { trouble = true; }
    });
    if (trouble) { show("reconnecting"); }
    else if (anyConnected) { show("connected"); }
    else if (!Object.keys(directory).length) { show("waiting"); }
    else { show("connecting"); }
  }

  // ---- HTTP ---------------------------------------------------------------------------------

  // The CSRF cookie is HttpOnly; every page carries the token in its sign-out form.
  function csrfToken() {
    var field = document.querySelector("input[name=_csrf]");
    return field ? field.value : "";
  }

  // Resolves with the JSON body; rejects with .status and .data for HTTP errors, and without a
  // status for network errors (whose browser message is English, so it is never shown).
  function request(method, url, body, binary) {
    var headers = { "Accept": "application/json" };
    if (method !== "GET") { headers["X-CSRF-Token"] = csrfToken(); }
    if (body !== undefined) { headers["Content-Type"] = binary ? "application/octet-stream" : "application/json"; }
    return fetch(url, {
      method: method, headers: headers, credentials: "same-origin", cache: "no-store",
      body: body === undefined ? undefined : (binary ? body : JSON.stringify(body))
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (response.ok) { return data || {}; }
        var error = new Error((data && data.error && data.error.message) || "");
        error.status = response.status;
        error.data = data || {};
        throw error;
      });
    });
  }

  function errorText(error, fallbackKey) {
    return (error && error.status && error.message) ? error.message : t(fallbackKey);
  }

  function retryable(error) {
    return !error.status || error.status >= 500 || error.status === 408 || error.status === 429;
  }

  // If the server cannot be reached, the last answer is still better than none.
  function fetchIce() {
    return request("GET", icePath).then(function (data) {
      lastIce = {
        iceServers: Array.isArray(data.iceServers) ? data.iceServers : [],
        iceTransportPolicy: data.iceTransportPolicy === "relay" ? "relay" : "all"
      };
      return lastIce;
    }, function () { return lastIce; });
  }

  // ---- Signalling socket ----------------------------------------------------------------------

  function send(message) {
    if (!socketOpen()) { return false; }
    ws.send(JSON.stringify(message));
    return true;
  }

  function sendMedia() { send({ type: "media", data: { audioOnly: audioOnly } }); }

  function connect() {
    wsTimer = 0;
    if (!joined) { return; }
    var url = (location.protocol === "https:" ? "wss:" : "ws:") + "//" + location.host + wsPath +
      (wsPath.indexOf("?") < 0 ? "?" : "&") + "peer=" + encodeURIComponent(myId);
    var socket;
    try { socket = new WebSocket(url); } catch (e) { socketDown(); return; }
    ws = socket;
    socket.onmessage = function (event) {
      if (ws !== socket) { return; }
      var message = null;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message && typeof message.type === "string") { handle(message); }
    };
    socket.onclose = function (event) {
      if (ws !== socket) { return; }
      ws = null;
      welcomed = false;
      // The server closes with 4403 (or 1008, policy) when we may not be here, and with 1000 when
      // the session is over; only other closes are dropped lines worth reconnecting.
      if (event.code === 4403 || event.code === 1008) { fail("not_allowed"); return; }
      if (event.code === 1000) { finishCall("state_ended"); return; }
      socketDown();
    };
  }

  function socketDown() {
    if (!joined) { return; }
    if (!wsDownSince) {
      wsDownSince = Date.now();
      clearTimeout(lostTimer);
      lostTimer = setTimeout(refreshState, 30050);
    }
    var delay = Math.min(10000, 1000 * Math.pow(2, wsRetries));
    wsRetries += 1;
    wsTimer = setTimeout(connect, delay);
    refreshState();
  }

  function handle(m) {
    var from = typeof m.from === "string" ? m.from : "";
    if ((from && from === myId) || (m.to && m.to !== myId)) { return; }
    switch (m.type) {
      case "welcome": onWelcome(m); break;
      case "join": onJoin(m, false); break;
      case "rejoin": onJoin(m, true); break;
      case "leave": onLeave(from); break;
      case "offer": case "answer": case "candidate": onSignal(m.type, from, m.data); break;
      case "media": onMedia(from, m.data); break;
      case "consent": showConsent(m.data); break;
      case "recording": setServerRecording(!!(m.data && m.data.state === "on")); break;
      case "full": fail("room_full"); break;
      case "ended": finishCall("state_ended"); break;
      case "caucus": onCaucus(m.data); break;
    }
  }

  // ---- Private sessions (mediation) -------------------------------------------------------------

  function mayTalkTo(id) { return !caucusAllowed || !!caucusAllowed[id]; }

  // The server splits the room and stops every signal across the split; here the connections to
  // the other group are closed at once, so nothing more is heard either way. When everyone is back,
  // the smaller peer id of each pair calls, so every pair connects exactly once.
  function onCaucus(data) {
    if (!data || typeof data !== "object") { return; }
    var was = !!caucusAllowed;
    if (data.active === true) {
      caucusAllowed = {};
      (Array.isArray(data.peers) ? data.peers : []).forEach(function (id) { if (typeof id === "string") { caucusAllowed[id] = true; } });
      Object.keys(peers).forEach(function (id) { if (!mayTalkTo(id)) { dropPeer(id, false); } });
    } else {
      caucusAllowed = null;
      if (was && localStream) {
        Object.keys(directory).forEach(function (id) { if (!peers[id] && myId < id) { call(id); } });
      }
    }
    if (caucusStatus) {
      var text = data.active !== true ? (was ? t("caucus_ended") : "") : t(data.inCaucus === true ? "caucus_you" : "caucus_other");
      caucusStatus.textContent = text;
      caucusStatus.hidden = !text;
    }
    // The joint recording never holds a private session: the mediator's recorder pauses for it.
    if (rec && rec.recorder) {
      try {
        if (data.active === true && rec.recorder.state === "recording") { rec.recorder.pause(); }
        if (data.active !== true && rec.recorder.state === "paused") { rec.recorder.resume(); }
      } catch (e) { /* a recorder that cannot pause is stopped by its own error handler */ }
    }
    if (caucusControls) {
      caucusControls.querySelectorAll("[data-caucus]").forEach(function (button) {
        button.hidden = (button.getAttribute("data-caucus") === "") !== (data.active === true);
      });
    }
    refreshState();
  }

  if (caucusControls) {
    caucusControls.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("[data-caucus]") : null;
      if (!button) { return; }
      button.disabled = true;
      request("POST", caucusControls.getAttribute("data-caucus-path"), { side: button.getAttribute("data-caucus") })
        .catch(function () { if (caucusStatus) { caucusStatus.textContent = t("caucus_failed"); caucusStatus.hidden = false; } })
        .then(function () { button.disabled = false; });
    });
  }

  function note(id, name, role) {
    var info = directory[id] || (directory[id] = { name: "", role: "", audioOnly: false });
    if (typeof name === "string") { info.name = name; }
    if (typeof role === "string") { info.role = role; }
    // Officials come unnamed: "Official" in the reader's language.
    if (!info.name && info.role === "staff") { info.name = t("official"); }
    if (peers[id]) { peers[id].caption.textContent = info.name; showPeerMedia(peers[id]); }
  }

  function onWelcome(m) {
    if (typeof m.peer === "string" && m.peer) { myId = m.peer; }
    var again = welcomedOnce;
    welcomed = welcomedOnce = true;
    welcomedAt = Date.now();
    wsRetries = 0;
    wsDownSince = 0;
    clearTimeout(lostTimer);
    var listed = {};
    (Array.isArray(m.peers) ? m.peers : []).forEach(function (p) {
      if (!p || typeof p.peer !== "string" || p.peer === myId) { return; }
      listed[p.peer] = true;
      note(p.peer, p.name, p.role);
    });
    // Whoever left while we were away: their leave never reached us.
    Object.keys(peers).forEach(function (id) { if (!listed[id]) { dropPeer(id, true); } });
    Object.keys(directory).forEach(function (id) { if (!listed[id]) { delete directory[id]; } });
    if (again) {
      // Anyone who joined while we were away expects us to offer, as their join never reached us.
      // Our broken connections are left to their retry loop (see restartIce).
      Object.keys(listed).forEach(function (id) {
        if (!mayTalkTo(id)) { return; }
        if (!peers[id]) { call(id); } else { ensureLoop(peers[id], 5000); }
      });
    }
    if (m.consent) { showConsent(m.consent); }
    setServerRecording(!!m.recording);
    if (audioOnly) { sendMedia(); }
    refreshState();
  }

  function onJoin(m, rejoin) {
    var id = typeof m.from === "string" ? m.from : "";
    if (!id || !localStream) { return; }
    note(id, m.name, m.role);
    if (!mayTalkTo(id)) { return; }
    if (rejoin && peers[id]) { restartIfNeeded(peers[id]); } else { call(id); }
    if (audioOnly) { sendMedia(); }
    refreshState();
  }

  function onLeave(id) {
    if (!id) { return; }
    delete directory[id];
    dropPeer(id, true);
  }

  function onMedia(id, data) {
    if (!id || !data || typeof data !== "object") { return; }
    var info = directory[id] || (directory[id] = { name: "", role: "", audioOnly: false });
    info.audioOnly = data.audioOnly === true;
    if (peers[id]) { showPeerMedia(peers[id]); }
  }

  function onSignal(type, id, data) {
    if (!id || !data || typeof data !== "object" || !localStream || !mayTalkTo(id)) { return; }
    var peer = peers[id];
    if (!peer) {
      // Answers and candidates for a connection we already closed are stale.
      if (type !== "offer") { return; }
      peer = addPeer(id, false);
    }
    enqueue(peer, function () {
      if (type === "candidate") { return addCandidate(peer, data); }
      return type === "answer" ? acceptAnswer(peer, data) : acceptOffer(peer, data);
    });
  }

  // ---- Peer connections -----------------------------------------------------------------------

  function addPeer(id, offerer) {
    var info = directory[id] || {};
    var figure = el("figure", "remote-peer"), video = el("video"), caption = el("figcaption"), mediaNote = el("p", "remote-peer-note");
    figure.setAttribute("data-peer", id);
    video.autoplay = true;
    video.playsInline = true;
    video.setAttribute("playsinline", "");
    caption.textContent = info.name || "";
    mediaNote.hidden = true;
    figure.appendChild(video);
    figure.appendChild(caption);
    figure.appendChild(mediaNote);
    remoteBox.appendChild(figure);
    var peer = {
      id: id, offerer: offerer, figure: figure, video: video, caption: caption, note: mediaNote,
      pc: null, stream: null, pending: [], chain: Promise.resolve(), closed: false,
      restarting: false, loopTimer: 0, quickTimer: 0, source: null
    };
    peers[id] = peer;
    openConnection(peer);
    showPeerMedia(peer);
    announce(t("peer_joined", { name: info.name || "" }));
    refreshState();
    return peer;
  }

  function openConnection(peer) {
    var pc;
    try { pc = new RTCPeerConnection(lastIce); } catch (e) { pc = new RTCPeerConnection(); }
    peer.pc = pc;
    peer.pending = [];
    peer.stuckTicks = 0;
    peer.stream = new MediaStream();
    if (peer.offerer) {
      localStream.getTracks().forEach(function (track) { pc.addTrack(track, localStream); });
      // Without a camera there is still a video slot, so switching it on later is a replaceTrack
      // and never a renegotiation.
      if (!localStream.getVideoTracks().length) { pc.addTransceiver("video", { direction: "sendrecv", streams: [localStream] }); }
    }
    pc.onicecandidate = function (event) {
      if (peer.pc !== pc || !event.candidate || !event.candidate.candidate) { return; }
      var c = event.candidate;
      send({ type: "candidate", to: peer.id, data: c.toJSON ? c.toJSON() : { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex } });
    };
    pc.ontrack = function (event) {
      if (peer.pc !== pc) { return; }
      var track = event.track;
      peer.stream.getTracks().forEach(function (old) { if (old.kind === track.kind) { peer.stream.removeTrack(old); } });
      peer.stream.addTrack(track);
      peer.video.srcObject = peer.stream;
      play(peer.video);
      if (track.kind === "audio") { unmixPeer(peer); mixPeer(peer); }
    };
    pc.onconnectionstatechange = pc.oniceconnectionstatechange = function () {
      if (peer.pc === pc) { watch(peer); }
    };
    // Covers a first offer or answer lost with a dropped socket: nothing else would notice.
    ensureLoop(peer, 10000);
  }

  function renew(peer, offerer) {
    closeConnection(peer);
    peer.offerer = offerer;
    openConnection(peer);
  }

  function closeConnection(peer) {
    unmixPeer(peer);
    var pc = peer.pc;
    pc.onicecandidate = pc.ontrack = pc.onconnectionstatechange = pc.oniceconnectionstatechange = null;
    try { pc.close(); } catch (e) { /* already closed */ }
  }

  function dropPeer(id, announceLeft) {
    var peer = peers[id];
    if (!peer) { return; }
    delete peers[id];
    peer.closed = true;
    clearTimeout(peer.loopTimer);
    clearTimeout(peer.quickTimer);
    closeConnection(peer);
    peer.video.srcObject = null;
    if (peer.figure.parentNode) { peer.figure.parentNode.removeChild(peer.figure); }
    if (announceLeft) { announce(t("peer_left", { name: peer.caption.textContent })); }
    refreshState();
  }

  function call(id) {
    dropPeer(id, false);
    var peer = addPeer(id, true);
    enqueue(peer, function () { return offer(peer, false); });
  }

  function showPeerMedia(peer) {
    var info = directory[peer.id] || {};
    var on = !!info.audioOnly;
    peer.figure.setAttribute("data-audio-only", on ? "true" : "false");
    peer.note.hidden = !on;
    peer.note.textContent = on ? t("peer_audio_only", { name: info.name || peer.caption.textContent }) : "";
  }

  function play(video) {
    var playing = video.play();
    if (playing && playing.catch) { playing.catch(noop); }
  }

  // Signalling steps for one peer run one after another, so an answer or candidate can never
  // overtake the description it belongs to.
  function enqueue(peer, task) {
    peer.chain = peer.chain.then(function () { if (!peer.closed) { return task(); } }).catch(function (error) {
      if (window.console) { console.warn("video: signalling step failed", error); }
    });
    return peer.chain;
  }

  function plain(description) { return { type: description.type, sdp: description.sdp }; }

  function fingerprint(sdp) {
    var match = /a=fingerprint:([^\r\n]+)/.exec(sdp || "");
    return match ? match[1].trim() : "";
  }

  // TURN credentials expire, so both sides take fresh ones before every negotiation: a call may
  // outlive the credentials it started with, and the answering side gathers candidates too.
  function freshIce(pc) {
    return fetchIce().then(function (config) {
      try { pc.setConfiguration(config); } catch (e) { /* the previous servers still apply */ }
    });
  }

  function offer(peer, restart) {
    var pc = peer.pc;
    return freshIce(pc).then(function () {
      if (peer.pc !== pc || (pc.signalingState !== "stable" && pc.signalingState !== "have-local-offer")) { return; }
      return pc.createOffer(restart ? { iceRestart: true } : {});
    }).then(function (description) {
      if (!description || peer.pc !== pc) { return; }
      return pc.setLocalDescription(description).then(function () {
        send({ type: "offer", to: peer.id, data: plain(pc.localDescription) });
      });
    });
  }

  // After an offer arrives, every slot sends our current tracks (a slot without a camera track
  // still sends, so switching the camera on later is a replaceTrack).
  function attachLocal(pc) {
    var waits = [];
    pc.getTransceivers().forEach(function (tr) {
      if (tr.currentDirection === "stopped" || !tr.receiver || !tr.receiver.track) { return; }
      var kind = tr.receiver.track.kind;
      var track = kind === "audio" ? localStream.getAudioTracks()[0] : localStream.getVideoTracks()[0];
      if (tr.direction === "recvonly" || tr.direction === "inactive") { tr.direction = "sendrecv"; }
      if (track && !tr.sender.track) { waits.push(tr.sender.replaceTrack(track).catch(noop)); }
      if (tr.sender.setStreams) { try { tr.sender.setStreams(localStream); } catch (e) { /* optional */ } }
    });
    return Promise.all(waits);
  }

  function acceptOffer(peer, description) {
    return freshIce(peer.pc).then(function () { return answerOffer(peer, description); });
  }

  function answerOffer(peer, description) {
    var current = peer.pc.remoteDescription;
    if (current && current.sdp && fingerprint(current.sdp) !== fingerprint(description.sdp)) {
      // A new certificate means the other side built a fresh connection (it took us for a
      // newcomer, or gave up on the old one); restarting ours cannot reach it, so take theirs.
      renew(peer, false);
    }
    var pc = peer.pc;
    var state = pc.signalingState;
    // Perfect negotiation: on crossed offers the smaller id gives way, the other ignores theirs.
    if (state === "have-local-offer" && !(myId < peer.id)) { return; }
    var ready = state === "stable" ? Promise.resolve()
      : state === "have-local-offer" ? pc.setLocalDescription({ type: "rollback" })
      : pc.setRemoteDescription({ type: "rollback" });
    return ready.then(function () { return pc.setRemoteDescription(description); })
      .then(function () { return attachLocal(pc); })
      .then(function () { return flushCandidates(peer); })
      .then(function () { return pc.createAnswer(); })
      .then(function (answer) { return pc.setLocalDescription(answer); })
      .then(function () {
        peer.offerer = false;
        send({ type: "answer", to: peer.id, data: plain(pc.localDescription) });
      });
  }

  function acceptAnswer(peer, description) {
    var pc = peer.pc, current = pc.remoteDescription;
    if (pc.signalingState !== "have-local-offer") { return; }
    if (current && current.sdp && fingerprint(current.sdp) !== fingerprint(description.sdp)) {
      // Our restart reached a fresh connection on their side: ours cannot join it, so we start
      // a fresh one too, which they will take for the same reason.
      renew(peer, true);
      return offer(peer, false);
    }
    return pc.setRemoteDescription(description).then(function () {
      peer.offerer = true;
      return flushCandidates(peer);
    });
  }

  function addCandidate(peer, data) {
    if (!peer.pc.remoteDescription) { peer.pending.push(data); return; }
    // Candidates of an offer we ignored or of an older ICE generation fail harmlessly.
    return peer.pc.addIceCandidate(data).catch(noop);
  }

  function flushCandidates(peer) {
    var queued = peer.pending;
    peer.pending = [];
    return Promise.all(queued.map(function (data) { return peer.pc.addIceCandidate(data).catch(noop); }));
  }

  // Only the side whose offer set up the connection restarts it, so the two never both offer.
  // Just after our socket is back, the others may be building fresh connections to us (the
  // server may have taken us for gone); a restart offer then would only cross theirs.
  function restartIce(peer) {
    if (peer.closed || peer.restarting || !peer.offerer || !socketOpen() || connState(peer.pc) === "connected") { return; }
    if (Date.now() - welcomedAt < 2000) { return; }
    peer.restarting = true;
    enqueue(peer, function () { return offer(peer, true); }).then(function () { peer.restarting = false; });
  }

  function restartIfNeeded(peer) {
    if (connState(peer.pc) === "connected") { return; }
    restartIce(peer);
    ensureLoop(peer, 5000);
  }

  function ensureLoop(peer, delay) {
    if (peer.loopTimer) { return; }
    var tick = function () {
      peer.loopTimer = 0;
      if (peer.closed || connState(peer.pc) === "connected") { peer.stuckTicks = 0; return; }
      peer.stuckTicks += 1;
      if (!peer.offerer && peer.stuckTicks >= 4 && myId > peer.id && socketOpen()) {
        // Both sides can end up answerers (crossed offers around a reconnect), and then nobody
        // would ever restart. After ~20s the impolite side starts a fresh connection; the other
        // side sees the new certificate and takes it.
        renew(peer, true);   // which starts a new loop of its own
        enqueue(peer, function () { return offer(peer, false); });
        return;
      }
      restartIce(peer);
      peer.loopTimer = setTimeout(tick, 5000);
    };
    peer.loopTimer = setTimeout(tick, delay);
  }

  function watch(peer) {
    var state = connState(peer.pc);
    if (state === "connected" || state === "failed") { clearTimeout(peer.quickTimer); peer.quickTimer = 0; }
    if (state === "failed") {
      restartIce(peer);
      ensureLoop(peer, 5000);
    } else if (state === "disconnected" && !peer.quickTimer) {
      // "disconnected" often heals by itself within a few seconds.
      peer.quickTimer = setTimeout(function () { peer.quickTimer = 0; restartIce(peer); }, 3000);
      ensureLoop(peer, 8000);
    }
    refreshState();
  }

  // ---- Joining, the camera, leaving -----------------------------------------------------------

  function getMedia() {
    var media = navigator.mediaDevices;
    if (!media || !media.getUserMedia) { return Promise.reject(new Error("no media devices")); }
    return media.getUserMedia({ audio: true, video: CAMERA }).catch(function () {
      return media.getUserMedia({ audio: true }).then(function (stream) {
        audioOnly = true;
        announce(t("camera_denied"));
        return stream;
      });
    });
  }

  function stopStream(stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }

  function updateAudioUi() {
    audioButton.setAttribute("aria-pressed", audioOnly ? "true" : "false");
    audioButton.textContent = t(audioOnly ? "audio_only_on" : "audio_only_off");
    localVideo.hidden = audioOnly || !localStream || !localStream.getVideoTracks().length;
  }

  function videoSenders() {
    var senders = [];
    Object.keys(peers).forEach(function (id) {
      peers[id].pc.getTransceivers().forEach(function (tr) {
        if (tr.currentDirection !== "stopped" && tr.receiver && tr.receiver.track && tr.receiver.track.kind === "video") {
          senders.push(tr.sender);
        }
      });
    });
    return senders;
  }

  function cameraOff() {
    audioOnly = true;
    videoSenders().forEach(function (sender) { sender.replaceTrack(null).catch(noop); });
    // Stopping the track is what turns the camera light off.
    localStream.getVideoTracks().forEach(function (track) { track.stop(); localStream.removeTrack(track); });
    updateAudioUi();
    sendMedia();
  }

  function cameraOn() {
    cameraBusy = true;
    navigator.mediaDevices.getUserMedia({ video: CAMERA }).then(function (stream) {
      var track = stream.getVideoTracks()[0];
      if (!localStream || !track) { stopStream(stream); return; }
      localStream.addTrack(track);
      videoSenders().forEach(function (sender) { sender.replaceTrack(track).catch(noop); });
      audioOnly = false;
      localVideo.srcObject = localStream;
      play(localVideo);
      updateAudioUi();
      sendMedia();
    }, function () {
      announce(t("camera_denied"));
    }).catch(noop).then(function () { cameraBusy = false; });
  }

  // Tears the call down; an unfinished recording is stopped but still uploads to the end.
  function endCall() {
    joined = welcomed = false;
    clearTimeout(wsTimer);
    clearTimeout(lostTimer);
    wsTimer = wsDownSince = 0;
    var socket = ws;
    ws = null;
    // 1000 tells the server this is a goodbye, not a dropped line worth waiting for.
    if (socket) { try { socket.close(1000); } catch (e) { /* already closing */ } }
    stopRecording();
    Object.keys(peers).forEach(function (id) { dropPeer(id, false); });
    directory = {};
    if (localStream) { stopStream(localStream); localStream = null; }
    localVideo.srcObject = null;
    localVideo.hidden = audioButton.hidden = leaveButton.hidden = true;
    serverRecording = false;
    refreshRecordingIndicator();
    updateRecordButtons();
  }

  function fail(key) {
    var focused = document.activeElement;
    fatalKey = key;
    endCall();
    joinButton.hidden = false;
    if (focused === audioButton || focused === leaveButton) { joinButton.focus(); }
    refreshState();
  }

  // Leaving, or the session ending, is final for this page: a new join would need a new peer id.
  function finishCall(key) {
    var hadFocus = document.activeElement === leaveButton || document.activeElement === audioButton;
    leftKey = key;
    endCall();
    if (hadFocus) { stateLine.setAttribute("tabindex", "-1"); stateLine.focus(); }
    refreshState();
  }

  joinButton.addEventListener("click", function () {
    if (joined || leftKey) { return; }
    if (!window.RTCPeerConnection || !window.WebSocket) { fail("state_failed"); return; }
    // Focus is remembered now: by the time the camera answers it may have moved on.
    var hadFocus = document.activeElement === joinButton;
    joined = true;
    fatalKey = "";
    welcomedOnce = audioOnly = false;
    wsRetries = 0;
    refreshState();
    getMedia().then(function (stream) {
      if (!joined) { stopStream(stream); return; }
      localStream = stream;
      localVideo.muted = true;
      localVideo.srcObject = stream;
      play(localVideo);
      updateAudioUi();
      audioButton.hidden = leaveButton.hidden = false;
      joinButton.hidden = true;
      if (hadFocus) { audioButton.focus(); }
      updateRecordButtons();
      return fetchIce().then(function () {
        if (!joined) { return; }
        wsDownSince = Date.now();
        clearTimeout(lostTimer);
        lostTimer = setTimeout(refreshState, 30050);
        connect();
      });
    }, function () {
      fail("camera_denied");
    });
  });

  audioButton.addEventListener("click", function () {
    if (!localStream || cameraBusy) { return; }
    if (audioOnly) { cameraOn(); } else { cameraOff(); }
  });

  leaveButton.addEventListener("click", function () { finishCall("state_left"); });
  window.addEventListener("pagehide", function () { if (joined) { finishCall("state_left"); } });

  // ---- Consent ------------------------------------------------------------------------------

  function listNames(names) {
    try { return new Intl.ListFormat(document.documentElement.lang || undefined, { type: "conjunction" }).format(names); }
    catch (e) { return names.join(", "); }
  }

  function showConsent(data) {
    if (!data || typeof data !== "object") { return; }
    // Officials come unnamed: the room shows them as "Official" in the reader's language.
    var names = function (list) { return Array.isArray(list) ? list.map(function (name) { return String(name) || t("official"); }) : []; };
    consent = { agreed: names(data.agreed), pending: names(data.pending), complete: data.complete === true, mine: data.mine === true };
    if (consentStatus) {
      var parts = [];
      if (consent.complete) { parts.push(t("consent_complete")); }
      else {
        if (consent.mine) { parts.push(t("consent_given")); }
        if (consent.pending.length) { parts.push(t("consent_waiting", { names: listNames(consent.pending) })); }
      }
      consentStatus.textContent = parts.join(" ");
    }
    if (consentButton) {
      if (consent.mine) { moveFocus(consentButton, consentStatus); }
      consentButton.hidden = consent.mine;
      consentButton.disabled = consent.mine;
    }
    updateRecordButtons();
  }

  if (consentButton) {
    consentButton.addEventListener("click", function () {
      if (consentBusy || consent.mine) { return; }
      consentBusy = true;
      request("POST", consentPath, {}).then(function (data) {
        showConsent(data.consent);
      }, function (error) {
        if (consentStatus) { consentStatus.textContent = errorText(error, "state_failed"); }
      }).then(function () { consentBusy = false; });
    });
  }

  // ---- Recording (staff) ------------------------------------------------------------------------

  function setServerRecording(on) {
    serverRecording = on;
    refreshRecordingIndicator();
    updateRecordButtons();
  }

  function refreshRecordingIndicator() {
    var on = serverRecording || !!(rec && rec.recorder && rec.recorder.state === "recording");
    room.setAttribute("data-recording", on ? "on" : "off");
    recordingIndicator.hidden = !on;
    var text = on ? t("recording_on") : "";
    if (recordingIndicator.textContent !== text) { recordingIndicator.textContent = text; }
  }

  function updateRecordButtons() {
    if (!recordStart) { return; }
    var active = !!(rec && rec.recorder && !rec.stopping);
    if (recordStop) { recordStop.hidden = !active; }
    recordStart.hidden = active;
    recordStart.disabled = !canRecord || !!rec || !localStream || !consent.complete || serverRecording;
  }

  function setRecordStatus(state, text) {
    if (state) { recordStatus.setAttribute("data-state", state); }
    if (recordStatus.textContent !== text) { recordStatus.textContent = text; }
  }

  function progress(r) {
    if (r.stopping) { setRecordStatus("uploading", t("recording_uploading", { acked: r.next, total: r.total })); }
    else { setRecordStatus("recording", t("recording_on")); }
  }

  function recordingUrl(r) { return recordingsPath + "/" + encodeURIComponent(r.id); }

  function mixPeer(peer) {
    if (!rec || !rec.audio || peer.source || !peer.stream.getAudioTracks().length) { return; }
    try {
      peer.source = rec.audio.createMediaStreamSource(new MediaStream(peer.stream.getAudioTracks()));
      peer.source.connect(rec.destination);
    } catch (e) { peer.source = null; }
  }

  function unmixPeer(peer) {
    if (!peer.source) { return; }
    try { peer.source.disconnect(); } catch (e) { /* already gone */ }
    peer.source = null;
  }

  // Everyone in one picture, local first, each scaled to fit its cell and labelled by name.
  function drawCall(context, width, height) {
    var tiles = [{ video: localVideo, name: selfName, live: !audioOnly }];
    Object.keys(peers).forEach(function (id) {
      var peer = peers[id];
      tiles.push({ video: peer.video, name: peer.caption.textContent, live: !(directory[id] && directory[id].audioOnly) });
    });
    var cols = Math.ceil(Math.sqrt(tiles.length)), rows = Math.ceil(tiles.length / cols);
    var w = width / cols, h = height / rows;
    context.fillStyle = "#000";
    context.fillRect(0, 0, width, height);
    context.font = "14px sans-serif";
    context.textBaseline = "bottom";
    tiles.forEach(function (tile, i) {
      var x = (i % cols) * w, y = Math.floor(i / cols) * h, v = tile.video;
      if (tile.live && v.readyState >= 2 && v.videoWidth > 0) {
        var scale = Math.min(w / v.videoWidth, h / v.videoHeight);
        var dw = v.videoWidth * scale, dh = v.videoHeight * scale;
        try { context.drawImage(v, x + (w - dw) / 2, y + (h - dh) / 2, dw, dh); } catch (e) { /* no frame yet */ }
      }
      if (tile.name) {
        context.fillStyle = "rgba(0, 0, 0, 0.6)";
        context.fillRect(x, y + h - 20, w, 20);
        context.fillStyle = "#fff";
        context.fillText(tile.name, x + 6, y + h - 4, w - 12);
      }
    });
  }

  function startRecorder(r) {
    var canvas = document.createElement("canvas");
    canvas.width = 640;
    canvas.height = 360;
    var context = canvas.getContext("2d");
    var AudioContextClass = window.AudioContext || window.webkitAudioContext;
    r.audio = new AudioContextClass();
    r.destination = r.audio.createMediaStreamDestination();
    if (localStream && localStream.getAudioTracks().length) {
      r.localSource = r.audio.createMediaStreamSource(new MediaStream(localStream.getAudioTracks()));
      r.localSource.connect(r.destination);
    }
    Object.keys(peers).forEach(function (id) { mixPeer(peers[id]); });
    drawCall(context, canvas.width, canvas.height);
    // setInterval, not requestAnimationFrame: a tab in the background gets no animation frames.
    r.drawTimer = setInterval(function () { drawCall(context, canvas.width, canvas.height); }, 100);
    r.stream = new MediaStream(canvas.captureStream(10).getVideoTracks().concat(r.destination.stream.getAudioTracks()));
    var type = MediaRecorder.isTypeSupported("video/webm;codecs=vp8,opus") ? "video/webm;codecs=vp8,opus" : "video/webm";
    r.recorder = new MediaRecorder(r.stream, { mimeType: type });
    r.recorder.ondataavailable = function (event) {
      if (!event.data || event.data.size <= 0) { return; }
      r.chunks[r.total] = event.data;
      r.all.push(event.data);
      r.total += 1;
      pump(r);
    };
    // The last dataavailable comes before stop, so everything is counted once this runs.
    r.recorder.onstop = function () {
      r.recorderDone = true;
      stopComposer(r);
      refreshRecordingIndicator();
      pump(r);
    };
    r.recorder.onerror = function () { stopRecording(); };
    r.recorder.start(1000);
    if (r.audio.resume) { r.audio.resume().catch(noop); }
    progress(r);
    refreshRecordingIndicator();
    updateRecordButtons();
    // The start button was disabled while the server answered, which may have cost it the focus.
    if (r.hadFocus && (document.activeElement === recordStart || document.activeElement === document.body)) { recordStop.focus(); }
  }

  function stopComposer(r) {
    clearInterval(r.drawTimer);
    r.drawTimer = 0;
    Object.keys(peers).forEach(function (id) { unmixPeer(peers[id]); });
    if (r.localSource) { try { r.localSource.disconnect(); } catch (e) { /* gone */ } r.localSource = null; }
    if (r.stream) { stopStream(r.stream); }
    if (r.audio && r.audio.state !== "closed") { r.audio.close().catch(noop); }
    r.audio = null;
  }

  function stopRecording() {
    var r = rec;
    if (!r || r.stopping) { return; }
    r.stopping = true;
    if (r.recorder) {
      if (r.recorder.state !== "inactive") {
        try { r.recorder.stop(); } catch (e) { r.recorderDone = true; stopComposer(r); }
      } else {
        r.recorderDone = true;
        stopComposer(r);
      }
      progress(r);
      pump(r);
    }
    refreshRecordingIndicator();
    updateRecordButtons();
    moveFocus(recordStop, recordStatus);
  }

  function recordFailed(text) {
    var r = rec;
    rec = null;
    if (r) {
      clearTimeout(r.timer);
      if (r.recorder && r.recorder.state !== "inactive") {
        r.recorder.ondataavailable = r.recorder.onstop = null;
        try { r.recorder.stop(); } catch (e) { /* already stopped */ }
      }
      stopComposer(r);
    }
    setRecordStatus("failed", text);
    refreshRecordingIndicator();
    updateRecordButtons();
    moveFocus(recordStop, recordStatus);
  }

  // Everything below `next` is on the server's disk; only what is above it still needs the copy.
  function acknowledge(r, next) {
    for (var i = r.next; i < next && i < r.total; i++) { r.chunks[i] = null; }
    r.next = next;
    progress(r);
  }

  // One chunk in flight at a time, strictly in order.
  function pump(r) {
    if (r !== rec || r.inFlight || r.waiting || r.finishing) { return; }
    if (r.next < r.total) { upload(r, r.next); }
    else if (r.recorderDone) { finish(r); }
  }

  function upload(r, n) {
    r.inFlight = true;
    request("PUT", recordingUrl(r) + "/chunks/" + n, r.chunks[n] || r.all[n], true).then(function (data) {
      r.inFlight = false;
      if (r !== rec) { return; }
      r.retries = 0;
      acknowledge(r, typeof data.nextChunk === "number" ? data.nextChunk : n + 1);
      pump(r);
    }, function (error) {
      r.inFlight = false;
      if (r !== rec) { return; }
      if (error.status === 409 && typeof error.data.nextChunk === "number") {
        acknowledge(r, error.data.nextChunk);
        pump(r);
      } else if (retryable(error)) {
        retryLater(r, function () { pump(r); });
      } else {
        recordFailed(errorText(error, "recording_failed"));
      }
    });
  }

  function retryLater(r, again) {
    r.retries += 1;
    r.waiting = true;
    setRecordStatus(null, t("recording_resuming"));
    r.timer = setTimeout(function () {
      // The last attempt may have arrived even though its answer did not reach us.
      request("GET", recordingUrl(r)).then(function (data) {
        if (r === rec && typeof data.nextChunk === "number" && !r.finishing) { acknowledge(r, data.nextChunk); }
      }, noop).then(function () {
        r.waiting = false;
        if (r === rec) { again(); }
      });
    }, Math.min(30000, 1000 * Math.pow(2, r.retries - 1)));
  }

  function finish(r) {
    r.finishing = true;
    progress(r);
    var whole = new Blob(r.all, { type: "video/webm" });
    r.bytes = whole.size;
    var read = whole.arrayBuffer ? whole.arrayBuffer() : new Response(whole).arrayBuffer();
    read.then(function (buffer) { return crypto.subtle.digest("SHA-256", buffer); }).then(function (digest) {
      r.sha256 = toHex(digest);
      sendFinish(r);
    }).catch(function () {
      if (r === rec) { recordFailed(t("recording_failed")); }
    });
  }

  function sendFinish(r) {
    if (r !== rec) { return; }
    request("POST", recordingUrl(r) + "/finish", { chunks: r.total, sha256: r.sha256 }).then(function (data) {
      if (r !== rec) { return; }
      rec = null;
      r.chunks = r.all = [];
      recordStatus.setAttribute("data-sha256", typeof data.sha256 === "string" ? data.sha256 : r.sha256);
      recordStatus.setAttribute("data-bytes", String(typeof data.bytes === "number" ? data.bytes : r.bytes));
      setRecordStatus("uploaded", t("recording_done"));
      serverRecording = false;
      refreshRecordingIndicator();
      updateRecordButtons();
    }, function (error) {
      if (r !== rec) { return; }
      if (retryable(error)) {
        retryLater(r, function () { sendFinish(r); });
      } else {
        recordFailed(errorText(error, "recording_failed"));
      }
    });
  }

  if (recordStart && recordStop && recordStatus) {
    recordStart.addEventListener("click", function () {
      if (recordStart.disabled || rec) { return; }
      if (!window.MediaRecorder || !HTMLCanvasElement.prototype.captureStream || !(window.AudioContext || window.webkitAudioContext)) {
        setRecordStatus("failed", t("recording_failed"));
        return;
      }
      var r = rec = { id: "", chunks: [], all: [], next: 0, total: 0, retries: 0, timer: 0, stopping: false,
        hadFocus: document.activeElement === recordStart };
      recordStatus.removeAttribute("data-sha256");
      recordStatus.removeAttribute("data-bytes");
      updateRecordButtons();
      request("POST", recordingsPath, { mimeType: "video/webm" }).then(function (data) {
        if (r !== rec) { return; }
        if (r.stopping || !localStream || data.id === undefined) { recordFailed(t("recording_failed")); return; }
        r.id = String(data.id);
        startRecorder(r);
      }).catch(function (error) {
        if (r === rec) { recordFailed(errorText(error, "recording_failed")); }
      });
    });
    recordStop.addEventListener("click", stopRecording);
  }

  // ---- Start ----------------------------------------------------------------------------------

  show("idle");
  refreshRecordingIndicator();
  updateRecordButtons();

  window.ZeroErrandVideo = {
    peers: function () {
      var states = {};
      Object.keys(peers).forEach(function (id) { states[id] = connState(peers[id].pc); });
      return states;
    },
    // For tests and support: per peer, the selected candidate types ("host", "relay", ...) and
    // how many video frames have been decoded so far.
    stats: function () {
      var ids = Object.keys(peers);
      return Promise.all(ids.map(function (id) {
        return peers[id].pc.getStats().then(function (report) {
          var result = { state: connState(peers[id].pc), local: "", remote: "", framesDecoded: 0 };
          var pairId = "";
          report.forEach(function (entry) {
            if (entry.type === "transport" && entry.selectedCandidatePairId) { pairId = entry.selectedCandidatePairId; }
            if (entry.type === "inbound-rtp" && entry.kind === "video") { result.framesDecoded += entry.framesDecoded || 0; }
          });
          var pair = pairId && report.get(pairId);
          if (pair) {
            var local = report.get(pair.localCandidateId), remote = report.get(pair.remoteCandidateId);
            result.local = local ? local.candidateType : "";
            result.remote = remote ? remote.candidateType : "";
          }
          return [id, result];
        });
      })).then(function (entries) {
        var out = {};
        entries.forEach(function (entry) { out[entry[0]] = entry[1]; });
        return out;
      });
    }
  };
})();
