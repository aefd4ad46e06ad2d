// Enhancement only: adds the self-hosted proof-of-work widget (ALTCHA) to the sign form.
// Without JavaScript, or if anything here fails, the form is sent without a proof and
// the server applies stricter rate limits; nobody is blocked.

const form = document.querySelector("form[data-pow-challenge]");
if (form && window.crypto && crypto.subtle && window.customElements) {
  const data = form.dataset;
  const style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = data.powStyle;
  document.head.append(style);
  try {
    await import(data.powScript);
    const language = document.documentElement.lang || "fr";
    const strings = JSON.parse(document.getElementById("pow-strings").textContent);
    globalThis.$altcha.i18n.set(language, strings);
    globalThis.$altcha.algorithms.set("PBKDF2/SHA-256", () => new Worker(data.powWorker));
    const widget = document.createElement("altcha-widget");
    widget.setAttribute("challenge", data.powChallenge);
    widget.setAttribute("name", "altcha");
    widget.setAttribute("language", language);
    widget.setAttribute("auto", "onfocus");
    widget.setAttribute("configuration", JSON.stringify({ hideFooter: true, hideLogo: true }));
    form.querySelector("button[type=submit]").before(widget);
  } catch (error) {
    console.warn("proof of work unavailable; the form works without it", error);
  }
}
