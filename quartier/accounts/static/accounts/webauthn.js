/* Security keys and passkeys (WebAuthn): registration on the keys page, the key step of a
   login. The server (accounts/passkey_views.py) sends the options as JSON with binary values
   in base64url and expects the browser's answer in the same encoding. No inline script: the
   forms carry their URLs in data attributes (strict CSP). */
(function () {
  "use strict";

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) { base64 += "="; }
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) { raw += String.fromCharCode(bytes[i]); }
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      var copy = Object.assign({}, item);
      copy.id = toBytes(item.id);
      return copy;
    });
  }

  function creationOptions(options) {
    var publicKey = Object.assign({}, options);
    publicKey.challenge = toBytes(options.challenge);
    publicKey.user = Object.assign({}, options.user, { id: toBytes(options.user.id) });
    publicKey.excludeCredentials = descriptors(options.excludeCredentials);
    return { publicKey: publicKey };
  }

  function requestOptions(options) {
    var publicKey = Object.assign({}, options);
    publicKey.challenge = toBytes(options.challenge);
    publicKey.allowCredentials = descriptors(options.allowCredentials);
    return { publicKey: publicKey };
  }

  function credentialJSON(credential) {
    var response = credential.response;
    var out = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      response: { clientDataJSON: toText(response.clientDataJSON) }
    };
    if (response.attestationObject) {
      out.response.attestationObject = toText(response.attestationObject);
      out.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      out.response.authenticatorData = toText(response.authenticatorData);
      out.response.signature = toText(response.signature);
      if (response.userHandle) { out.response.userHandle = toText(response.userHandle); }
    }
    return out;
  }

  function post(form, url, body) {
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": token ? token.value : "",
        "Accept": "application/json"
      },
      body: body === undefined ? "{}" : JSON.stringify(body)
    }).then(function (answer) {
      return answer.json().catch(function () { return {}; }).then(function (data) {
        if (!answer.ok) { throw { message: data.message }; }
        return data;
      });
    });
  }

  function text(form, name) {
    var node = form.querySelector("[data-webauthn-text-" + name + "]");
    return node ? node.textContent : "";
  }

  function setup(form) {
    var status = form.querySelector("[data-webauthn-status]");
    var supported = !!(window.PublicKeyCredential && navigator.credentials && window.fetch);
    var unsupported = form.querySelector("[data-webauthn-unsupported]");
    if (!supported) { return; }
    if (unsupported) { unsupported.hidden = true; }
    form.querySelector("[data-webauthn-supported]").hidden = false;
    var register = form.dataset.webauthn === "register";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      var nameInput = form.querySelector("input[name$=name]");
      button.disabled = true;
      status.textContent = text(form, "waiting");
      post(form, form.dataset.optionsUrl).then(function (options) {
        return register
          ? navigator.credentials.create(creationOptions(options))
          : navigator.credentials.get(requestOptions(options));
      }).then(function (credential) {
        var body = { credential: credentialJSON(credential) };
        if (register) { body.name = nameInput ? nameInput.value : ""; }
        return post(form, form.dataset.verifyUrl, body);
      }).then(function (data) {
        window.location.assign(data.redirect);
      }).catch(function (error) {
        button.disabled = false;
        if (error && (error.name === "NotAllowedError" || error.name === "AbortError")) {
          status.textContent = text(form, "cancelled");
        } else {
          status.textContent = (error && error.message && !error.name) ? error.message : text(form, "failed");
        }
      });
    });
  }

  document.querySelectorAll("form[data-webauthn]").forEach(setup);
}());
