// Passkeys: shown only where the browser can use them; everything else on the page works
// without this script (the authenticator-app code, the recovery codes).
const toBytes = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=")), (c) => c.charCodeAt(0));
const toText = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

function creationOptions(json) {
  const options = { ...json, challenge: toBytes(json.challenge), user: { ...json.user, id: toBytes(json.user.id) } };
  options.excludeCredentials = (json.excludeCredentials || []).map((c) => ({ ...c, id: toBytes(c.id) }));
  return options;
}

function requestOptions(json) {
  return { ...json, challenge: toBytes(json.challenge), allowCredentials: (json.allowCredentials || []).map((c) => ({ ...c, id: toBytes(c.id) })) };
}

function serialise(credential) {
  const r = credential.response;
  const response = { clientDataJSON: toText(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = toText(r.attestationObject);
    response.transports = r.getTransports ? r.getTransports() : [];
  } else {
    response.authenticatorData = toText(r.authenticatorData);
    response.signature = toText(r.signature);
    if (r.userHandle) response.userHandle = toText(r.userHandle);
  }
  return JSON.stringify({
    id: credential.id, rawId: toText(credential.rawId), type: credential.type, response,
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: credential.authenticatorAttachment,
  });
}

for (const section of document.querySelectorAll("[data-passkey]")) {
  const data = section.querySelector("#passkey-options");
  if (!window.PublicKeyCredential || !data) continue;
  section.hidden = false;
  const form = section.querySelector("form");
  const status = section.querySelector(".passkey__status");
  section.querySelector(".passkey__start").addEventListener("click", async () => {
    const json = JSON.parse(JSON.parse(data.textContent));
    status.textContent = section.dataset.passkey === "create" ? "…" : "…";
    try {
      const credential = section.dataset.passkey === "create"
        ? await navigator.credentials.create({ publicKey: creationOptions(json) })
        : await navigator.credentials.get({ publicKey: requestOptions(json) });
      form.querySelector("input[name=response]").value = serialise(credential);
      form.submit();
    } catch (error) {
      status.textContent = document.documentElement.lang === "en"
        ? "The passkey was not used. Try again, or use a code."
        : "La clé d'accès n'a pas été utilisée. Réessayez, ou utilisez un code.";
    }
  });
}
