// The certificate QR page: checks the payload in the link's fragment on this device, against the
// office keys published in the page, with WebCrypto, so the answer needs no network. The fragment
// never reaches the server by itself; only when online is it sent to the register, to learn whether
// the office has revoked the certificate since. Layout: Sources/ZeroErrandCore/Notarization/CertificateQRPayload.swift.
(function () {
  "use strict";
  var root = document.getElementById("qr-check");
  if (!root) { return; }
  var texts = {};
  document.querySelectorAll("#qr-texts li").forEach(function (item) { texts[item.getAttribute("data-key")] = item.textContent; });
  var keys = [];
  document.querySelectorAll("#qr-keys li").forEach(function (item) {
    keys.push({ id: item.getAttribute("data-key-id"), spki: item.getAttribute("data-spki"), office: item.getAttribute("data-office") });
  });
  var CONTEXT = new TextEncoder().encode("zeroerrand-certificate-qr-v1\n");
  var progress = document.getElementById("qr-progress");

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) { return values[name] !== undefined ? values[name] : whole; });
  }

  function showVerdict(box, verdict, message) {
    var icons = { genuine: "\u2713", unknown: "?", altered: "\u2715", revoked: "\u2715" };
    var classes = { genuine: "verdict-valid", unknown: "verdict-unknown", altered: "verdict-refused", revoked: "verdict-refused" };
    box.className = "verdict " + classes[verdict];
    box.setAttribute("data-verdict", verdict);
    box.querySelector(".verdict-icon").textContent = icons[verdict];
    box.querySelector(".verdict-headline").textContent = texts[verdict];
    box.querySelector(".verdict-reason").textContent = message;
    box.hidden = false;
  }

  // Strict base64url without padding: one text for one byte string, as the server decodes it.
  function decodeBase64URL(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) { return null; }
    var standard = text.replace(/-/g, "+").replace(/_/g, "/");
    while (standard.length % 4) { standard += "="; }
    var binary;
    try { binary = atob(standard); } catch (e) { return null; }
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes;
  }

  function hex(bytes) {
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function parse(bytes) {
    var offset = 0;
    function take(count) {
      if (bytes.length - offset < count) { throw new Error("short"); }
      var part = bytes.subarray(offset, offset + count);
      offset += count;
      return part;
    }
    function string() {
      var length = take(1)[0];
      if (length < 1) { throw new Error("empty"); }
      return new TextDecoder("utf-8", { fatal: true }).decode(take(length));
    }
    try {
      if (take(1)[0] !== 1) { return null; }
      var keyID = hex(take(8));
      var number = string();
      var count = take(1)[0];
      if (count < 1) { return null; }
      var holders = [];
      for (var i = 0; i < count; i++) { holders.push(string()); }
      var date = take(4);
      var year = date[0] << 8 | date[1], month = date[2], day = date[3];
      var check = new Date(Date.UTC(year, month - 1, day));
      if (year < 1 || month < 1 || month > 12 || check.getUTCDate() !== day) { return null; }
      var documentHash = hex(take(32));
      var bodyLength = offset;
      var signature = take(64);
      if (offset !== bytes.length) { return null; }
      var pad = function (n, w) { n = String(n); while (n.length < w) { n = "0" + n; } return n; };
      return { keyID: keyID, number: number, holders: holders, issued: pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2),
               documentHash: documentHash, body: bytes.slice(0, bodyLength), signature: signature };
    } catch (e) {
      return null;
    }
  }

  function base64ToBytes(text) {
    var binary = atob(text), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes;
  }

  function verifyWith(key, payload) {
    var message = new Uint8Array(CONTEXT.length + payload.body.length);
    message.set(CONTEXT, 0);
    message.set(payload.body, CONTEXT.length);
    return crypto.subtle.importKey("spki", base64ToBytes(key.spki), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"])
      .then(function (imported) {
        return crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, imported, payload.signature, message);
      });
  }

  function showFields(payload, office) {
    var list = document.getElementById("qr-fields");
    var rows = [["number", payload.number], ["holder", payload.holders.join(", ")], ["issued", payload.issued],
                ["office", office], ["signed_with_key", payload.keyID], ["document_sha256", payload.documentHash]];
    rows.forEach(function (row) {
      var item = document.createElement("div"), term = document.createElement("dt"), value = document.createElement("dd");
      term.textContent = texts[row[0]];
      value.textContent = row[1];
      if (row[0] === "document_sha256" || row[0] === "signed_with_key") { value.className = "code hash"; }
      item.appendChild(term);
      item.appendChild(value);
      list.appendChild(item);
    });
    list.hidden = false;
  }

  function askRegister(text) {
    var section = document.getElementById("qr-online");
    var box = section.querySelector(".verdict");
    if (navigator.onLine === false) { return; }
    fetch(root.getAttribute("data-api"), {
      method: "POST", credentials: "omit",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ payload: text })
    }).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.json();
    }).then(function (answer) {
      showVerdict(box, answer.verdict, answer.message);
      section.hidden = false;
      // The register has the last word: a revoked or altered certificate must not stay green at
      // the top of a phone screen while the answer waits two screens below.
      if (answer.verdict === "revoked" || answer.verdict === "altered") {
        showVerdict(document.getElementById("qr-verdict"), answer.verdict, answer.message);
      }
    }).catch(function () {
      showVerdict(box, "unknown", texts.online_failed);
      section.hidden = false;
    });
  }

  // Another scanned link opened in this tab changes only the fragment: check it afresh.
  window.addEventListener("hashchange", function () { location.reload(); });
  // Switching language keeps the payload, which lives only in the fragment.
  document.querySelectorAll(".lang-links a").forEach(function (link) { link.href = link.href.split("#")[0] + location.hash; });

  var text = location.hash.replace(/^#/, "");
  try { text = decodeURIComponent(text); } catch (e) { /* left as it came: it will not parse */ }
  var verdictBox = document.getElementById("qr-verdict");
  if (!text) {
    progress.textContent = "";
    showVerdict(verdictBox, "unknown", texts.qr_no_payload);
    return;
  }
  var bytes = decodeBase64URL(text);
  var payload = bytes && parse(bytes);
  var candidates = payload ? keys.filter(function (key) { return key.id === payload.keyID; }) : [];
  if (!payload || candidates.length === 0) {
    progress.textContent = "";
    showVerdict(verdictBox, "unknown", texts.unknown_qr_text);
    askRegister(text);
    return;
  }
  if (!window.crypto || !crypto.subtle) {
    progress.textContent = texts.qr_no_crypto;
    askRegister(text);
    return;
  }
  Promise.all(candidates.map(function (key) {
    return verifyWith(key, payload).then(function (ok) { return ok ? key : null; }, function () { return null; });
  })).then(function (results) {
    var signer = results.filter(Boolean)[0];
    progress.textContent = "";
    if (signer) {
      showVerdict(verdictBox, "genuine", fill(texts.genuine_qr_text, { office: signer.office, number: payload.number, date: payload.issued }));
      showFields(payload, signer.office);
      document.getElementById("qr-offline-note").hidden = false;
    } else {
      showVerdict(verdictBox, "altered", texts.altered_qr_text);
    }
    askRegister(text);
  });
})();
